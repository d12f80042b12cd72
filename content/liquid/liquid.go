// Package liquid expands the Liquid markup of a Jekyll post body, as Jekyll
// does before it converts the Markdown, with a real Liquid implementation
// (github.com/osteele/liquid) and Jekyll's tags and filters on top:
//
//   - {% include %} and {% include_relative %} read the blog's files, with
//     parameters as include.name;
//   - {% highlight lang %} becomes a fenced code block, {% raw %} is literal,
//     {% comment %} disappears;
//   - {% post_url %} and {% link %} become the URL of that post;
//   - {% gist %}, {% youtube %} and {% vimeo %} become a link;
//   - {{ page.* }}, {{ site.* }}, assign, capture, if, for, case and
//     Jekyll's common filters work as in Jekyll;
//   - any other tag (a plugin's) disappears, with a warning.
//
// Unlike Jekyll, Liquid is not evaluated inside Markdown code (fenced and
// indented code blocks, code spans and highlight blocks): code there is
// often a Go template or another Liquid-like language that Jekyll authors had
// to wrap in {% raw %}; those raw tags are removed and the code kept as
// written.
//
// Expand never fails and never loses the post: a syntax error in one tag
// costs that tag (or that block) only, with a warning; loops, includes and
// output are bounded, so no input makes it run away.
//
// The package imports nothing from sshblog: the blog's configuration, files
// and post lookup come in an Env.
package liquid

import (
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/osteele/liquid"
)

// Problem is something in a post's Liquid that Expand could not do as Jekyll
// would; the post is expanded as well as it can be anyway.
type Problem struct {
	Line    int // 1-based line in the source given to Expand
	Message string
}

// Env is what Expand needs from the blog. One Env serves every post of a
// blog, from any number of goroutines; its fields must not change after the
// first Expand.
type Env struct {
	// Site is site.* in Liquid: the blog's _config.yml, with "url" and
	// "baseurl" as they should be joined (the relative_url and absolute_url
	// filters read them).
	Site map[string]any
	// Includes is the blog's _includes folder, for {% include %}; nil when
	// the blog has none.
	Includes fs.FS
	// Files is the blog folder, for {% include_relative %}, which resolves
	// names against the folder of page.path; nil to refuse them.
	Files fs.FS
	// PostURL returns the URL of the post that {% post_url name %} names
	// ("2010-07-21-name", optionally under a folder), as Jekyll's post_url
	// does (a path without the base URL), and whether there is one.
	PostURL func(name string) (string, bool)
	// Link returns the URL of the file that {% link path %} names (relative
	// to the blog folder, such as "_posts/2010-07-21-name.md"), and whether
	// there is one.
	Link func(path string) (string, bool)

	once   sync.Once
	engine *liquid.Engine
}

// Expand returns src, a post body, with its Liquid expanded, and what could
// not be expanded as Jekyll would. page is page.* (the post's front matter
// and the values Jekyll adds, such as title, date, url and path); env may be
// nil for a blog without configuration or files.
//
// Text without "{{" or "{%" is returned as it is, without allocating.
func Expand(src string, page map[string]any, env *Env) (string, []Problem) {
	if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
		return src, nil
	}
	if env == nil {
		env = &Env{}
	}
	marker, ok := freeMarker(src)
	if !ok {
		return stripLiquid(src), []Problem{{Line: 1, Message: "Liquid left out: the post uses every character Expand could mark code with"}}
	}
	st := &state{env: env, page: page, marker: marker}
	prep := st.prepare(src, "")
	bindings := map[string]any{"page": page, "site": env.Site, stateKey: st}
	out := st.renderPrepared(prep, bindings, nil, nil)
	return st.restore(out), byLine(st.problems)
}

// freeMarker returns a rune that src does not contain, to mark the places of
// code in the text given to the Liquid engine: one of Unicode's
// noncharacters, which are meant for such internal use, else one of the
// private use area.
func freeMarker(src string) (rune, bool) {
	for r := rune(0xFDD0); r <= 0xFDEF; r++ {
		if !strings.ContainsRune(src, r) {
			return r, true
		}
	}
	for r := rune(0xE000); r <= 0xF8FF; r++ {
		if !strings.ContainsRune(src, r) {
			return r, true
		}
	}
	return 0, false
}

// byLine puts problems in line order (the scanner's and the engine's are
// found in two passes).
func byLine(ps []Problem) []Problem {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
	return ps
}
