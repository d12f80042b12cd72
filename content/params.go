package content

import (
	"io/fs"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"

	"github.com/sshblog/sshblog/content/termsafe"
)

// frontMatterSource is a post's front matter as written, kept so that
// Params can give templates every key, theme keys included, without the
// snapshot holding a parsed tree for each of 10,000 posts: the text is a
// few hundred bytes, parsed again on demand.
type frontMatterSource struct {
	format   string // as frontMatter.format
	text     []byte
	foldCase bool // Hugo: keys are matched without regard to case
}

// Params returns the post's front matter as Liquid's page.* sees it:
// every key, with its value as the YAML or TOML decoder gives it (text,
// numbers, booleans, lists, mappings, time.Time for a timestamp). With Hugo's case-insensitive
// keys they are lower-cased. It parses the front matter again at each call
// and returns an empty map for a post without one or whose front matter
// does not parse.
func (p *Post) Params() map[string]any {
	m := map[string]any{}
	src := p.front
	if len(src.text) == 0 {
		return m
	}
	switch src.format {
	case "toml":
		if _, err := toml.Decode(string(src.text), &m); err != nil {
			return map[string]any{}
		}
	default: // YAML, and JSON as YAML's flow style
		if err := yaml.Unmarshal(src.text, &m); err != nil || m == nil {
			return map[string]any{}
		}
	}
	if src.foldCase {
		folded := make(map[string]any, len(m))
		for k, v := range m {
			folded[strings.ToLower(k)] = v
		}
		m = folded
	}
	return m
}

// bodySource is where a loaded post's body is read from: the snapshot's
// source (a folder, or a git revision's tree), and the file's name in it.
type bodySource struct {
	fsys fs.FS
	name string
}

// Markdown returns the post's body, the Markdown after the front matter,
// sanitised (no terminal control characters): Body when the post was built
// in memory, else read again from the source the snapshot was loaded from
// (a git revision's tree never changes; a folder served as it is may have
// been edited since, and then its current text is shown). It returns ""
// when the file can no longer be read.
func (p *Post) Markdown() string {
	if p.Body != "" || p.src.fsys == nil {
		return p.Body
	}
	data, err := fs.ReadFile(p.src.fsys, p.src.name)
	if err != nil {
		return ""
	}
	return bodyOf(data)
}

// bodyOf returns the sanitised body of a post file's bytes.
func bodyOf(data []byte) string {
	text, _ := readText("", data)
	if text == nil {
		return ""
	}
	fm, _ := splitFrontMatter("", text)
	return termsafe.String(string(fm.body))
}
