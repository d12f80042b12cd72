// Package shortcode expands the shortcodes of a Hugo post body into the
// Markdown and HTML that sshblog's renderer shows, as Hugo does before it
// converts the Markdown:
//
//   - {{< figure src="..." caption="..." >}} becomes the HTML figure a
//     Jekyll post would hold (<figure><img><figcaption>);
//   - {{< highlight lang >}}...{{< /highlight >}} becomes a fenced code
//     block, its content kept as written;
//   - {{< ref "path" >}} and {{< relref "path" >}} become the URL of that
//     page;
//   - {{< youtube >}}, {{< vimeo >}}, {{< gist >}}, {{< tweet >}} and
//     {{< bilibili >}} become a link, and {{< gallery dir="..." >}} a
//     figure linking the folder;
//   - any other shortcode disappears, with a warning; a paired one keeps
//     its content;
//   - {{</* name */>}}, Hugo's way to show a shortcode, stays as text.
//
// Both forms, {{< >}} and {{% %}}, are read alike. As in Hugo, shortcodes
// are expanded wherever they stand, code blocks included (that is what the
// escaped form is for).
//
// The package imports nothing from sshblog: the page lookup comes in an Env.
// It is hand-written because Hugo's shortcode parser is internal to Hugo
// (github.com/gohugoio/hugo/parser/pageparser is not meant for use outside
// it, and brings Hugo along); the syntax is small.
package shortcode

import (
	"fmt"
	"html"
	"strings"

	"github.com/sshblog/sshblog/content/codefence"
)

// Problem is a shortcode Expand could not expand as Hugo would; the post is
// expanded as well as it can be anyway.
type Problem struct {
	Line    int // 1-based line in the source given to Expand
	Message string
}

// Env is what Expand needs from the blog.
type Env struct {
	// Ref returns the URL of the page that {{< ref path >}} or
	// {{< relref path >}} names (as written: "post/name.md", "/post/name",
	// "name"), and whether there is one.
	Ref func(path string) (string, bool)
}

// Expand returns src, a Hugo post body, with its shortcodes expanded, and
// the shortcodes it could not expand. env may be nil.
//
// Text without "{{<" or "{{%" is returned as it is, without allocating.
func Expand(src string, env *Env) (string, []Problem) {
	if !strings.Contains(src, "{{<") && !strings.Contains(src, "{{%") {
		return src, nil
	}
	if env == nil {
		env = &Env{}
	}
	tags := scan(src)
	pair(tags)
	e := expander{src: src, env: env}
	e.out.Grow(len(src))
	e.expand(tags)
	return e.out.String(), e.problems
}

// maxTagLen bounds a shortcode tag, so that many unterminated ones cost
// linear time.
const maxTagLen = 2048

// tag is one shortcode tag in the source.
type tag struct {
	start, end int    // its bytes in the source
	line       int    // the line it starts on
	name       string // "" for an escaped shortcode
	closing    bool   // {{< /name >}}
	selfClose  bool   // {{< name />}}
	pos        []string
	named      map[string]string
	match      int // for an opening tag, the index of its closing tag, else -1
	matched    bool
}

// scan finds the shortcode tags of src, in order.
func scan(src string) []tag {
	var tags []tag
	line := 1
	counted := 0
	for i := 0; i < len(src); {
		k := strings.Index(src[i:], "{{")
		if k < 0 {
			break
		}
		k += i
		if k+2 >= len(src) || (src[k+2] != '<' && src[k+2] != '%') {
			i = k + 2
			continue
		}
		line += strings.Count(src[counted:k], "\n")
		counted = k
		t, ok := parseTag(src[:min(len(src), k+maxTagLen)], k)
		if !ok {
			i = k + 3
			continue
		}
		t.line = line
		tags = append(tags, t)
		i = t.end
	}
	return tags
}

// parseTag parses the shortcode tag at src[at:], which starts with "{{<"
// or "{{%".
func parseTag(src string, at int) (tag, bool) {
	delim := src[at+2] // '<' or '%'
	closer := string(delim) + "}}"
	if delim == '<' {
		closer = ">}}"
	}
	t := tag{start: at, match: -1}
	i := skipSpace(src, at+3)
	if strings.HasPrefix(src[i:], "/*") {
		// {{</* name */>}}: the shortcode itself, as text.
		end := strings.Index(src[i+2:], "*/")
		if end < 0 {
			return t, false
		}
		end += i + 2
		j := skipSpace(src, end+2)
		if !strings.HasPrefix(src[j:], closer) {
			return t, false
		}
		t.end = j + len(closer)
		t.pos = []string{src[at:at+3] + src[i+2:end] + src[j:t.end]}
		return t, true
	}
	if i < len(src) && src[i] == '/' {
		t.closing = true
		i = skipSpace(src, i+1)
	}
	n := i
	for n < len(src) && (isNameByte(src[n])) {
		n++
	}
	if n == i {
		return t, false
	}
	t.name = src[i:n]
	i = n
	for {
		i = skipSpace(src, i)
		switch {
		case i >= len(src):
			return t, false
		case strings.HasPrefix(src[i:], closer):
			t.end = i + len(closer)
			return t, true
		case src[i] == '/' && strings.HasPrefix(src[skipSpace(src, i+1):], closer):
			t.selfClose = true
			i = skipSpace(src, i+1)
			continue
		}
		key, val, next, ok := param(src, i)
		if !ok {
			return t, false
		}
		if key != "" {
			if t.named == nil {
				t.named = map[string]string{}
			}
			t.named[strings.ToLower(key)] = val
		} else {
			t.pos = append(t.pos, val)
		}
		i = next
	}
}

// param parses one parameter at src[i:]: "quoted", `raw`, bare, or any of
// them after key=.
func param(src string, i int) (key, val string, next int, ok bool) {
	j := i
	for j < len(src) && isNameByte(src[j]) {
		j++
	}
	if j > i && j < len(src) && src[j] == '=' {
		key = src[i:j]
		i = j + 1
	}
	if i >= len(src) {
		return "", "", 0, false
	}
	switch c := src[i]; c {
	case '"':
		var b strings.Builder
		for j = i + 1; j < len(src) && src[j] != '"'; j++ {
			if src[j] == '\\' && j+1 < len(src) {
				j++
			}
			b.WriteByte(src[j])
		}
		if j >= len(src) {
			return "", "", 0, false
		}
		return key, b.String(), j + 1, true
	case '`':
		end := strings.IndexByte(src[i+1:], '`')
		if end < 0 {
			return "", "", 0, false
		}
		return key, src[i+1 : i+1+end], i + 2 + end, true
	}
	j = i
	for j < len(src) && !isSpace(src[j]) && src[j] != '>' && src[j] != '%' &&
		!(src[j] == '/' && strings.HasPrefix(src[skipSpace(src, j+1):], ">}}")) {
		j++
	}
	if j == i {
		return "", "", 0, false
	}
	return key, src[i:j], j, true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// pair matches each closing tag with the nearest open tag of its name
// before it.
func pair(tags []tag) {
	open := map[string][]int{}
	for i := range tags {
		t := &tags[i]
		switch {
		case t.name == "" || t.selfClose:
		case !t.closing:
			open[t.name] = append(open[t.name], i)
		default:
			if s := open[t.name]; len(s) > 0 {
				o := s[len(s)-1]
				open[t.name] = s[:len(s)-1]
				tags[o].match = i
				t.matched = true
			}
		}
	}
}

type expander struct {
	src      string
	env      *Env
	out      strings.Builder
	problems []Problem
}

func (e *expander) warn(t tag, format string, a ...any) {
	e.problems = append(e.problems, Problem{Line: t.line, Message: fmt.Sprintf(format, a...)})
}

func (e *expander) expand(tags []tag) {
	pos := 0
	for i := 0; i < len(tags); i++ {
		t := tags[i]
		if t.start < pos {
			continue // inside a highlight block
		}
		e.out.WriteString(e.src[pos:t.start])
		pos = t.end
		switch {
		case t.name == "":
			e.out.WriteString(t.pos[0])
		case t.closing:
			if !t.matched {
				e.warn(t, "Hugo shortcode {{< /%s >}} without its opening: left out", t.name)
			}
		case t.name == "highlight" && t.match >= 0:
			c := tags[t.match]
			e.out.WriteString(e.block(t.start, codefence.Block(e.src[t.end:c.start], t.arg(0, "lang")), c.end))
			pos = c.end
		case t.name == "highlight":
			e.warn(t, "Hugo shortcode {{< highlight >}} without {{< /highlight >}}: left out")
		case t.name == "figure":
			e.out.WriteString(e.block(t.start, figure(t), t.end))
		case t.name == "ref" || t.name == "relref":
			e.out.WriteString(e.ref(t))
		case t.name == "gallery" && t.named["dir"] != "" && t.match < 0:
			// hugo-easy-gallery's folder of pictures, which Expand cannot
			// list: a figure linking the folder, so that a post made of a
			// gallery is not empty.
			e.out.WriteString(e.block(t.start, gallery(t.named["dir"]), t.end))
		default:
			if u, ok := embedURL(t); ok {
				e.out.WriteString(u)
				continue
			}
			if t.match >= 0 {
				e.warn(t, "Hugo shortcode {{< %s >}} left out; its content is kept", t.name)
			} else {
				e.warn(t, "Hugo shortcode {{< %s >}} left out", t.name)
			}
		}
	}
	e.out.WriteString(e.src[pos:])
}

// arg returns the i-th positional parameter, or else the named one.
func (t tag) arg(i int, name string) string {
	if i < len(t.pos) {
		return t.pos[i]
	}
	return t.named[name]
}

// block returns text (a code block or a figure) so that it stands on lines
// of its own where the shortcode from start to end shared its lines.
func (e *expander) block(start int, text string, end int) string {
	lineStart := strings.LastIndexByte(e.src[:start], '\n') + 1
	if strings.TrimSpace(e.src[lineStart:start]) != "" {
		text = "\n" + text
	}
	rest := e.src[end:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	if strings.TrimSpace(rest) != "" {
		text += "\n"
	}
	return text
}

// figure returns Hugo's figure as the HTML a Jekyll post would hold: an
// image with its caption (title, caption and attribution together).
func figure(t tag) string {
	a := t.named
	var b strings.Builder
	b.WriteString("<figure>")
	if a["link"] != "" {
		b.WriteString(`<a href="` + html.EscapeString(a["link"]) + `">`)
	}
	b.WriteString(`<img src="` + html.EscapeString(a["src"]) + `"`)
	alt := a["alt"]
	if alt == "" {
		alt = a["title"]
	}
	if alt != "" {
		b.WriteString(` alt="` + html.EscapeString(alt) + `"`)
	}
	b.WriteString(">")
	if a["link"] != "" {
		b.WriteString("</a>")
	}
	var caption []string
	for _, k := range []string{"title", "caption", "attr"} {
		if v := strings.TrimSpace(a[k]); v != "" {
			caption = append(caption, html.EscapeString(v))
		}
	}
	if len(caption) > 0 {
		b.WriteString("<figcaption>" + strings.Join(caption, " — ") + "</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String()
}

// gallery returns a figure that links the folder dir of a gallery.
func gallery(dir string) string {
	d := html.EscapeString(dir)
	return `<figure><a href="` + d + `"><img src="` + d + `" alt="gallery"></a><figcaption>Gallery: ` + d + `</figcaption></figure>`
}

// ref returns the URL of the page ref or relref names; a page it cannot
// find becomes its path, with a warning.
func (e *expander) ref(t tag) string {
	p := t.arg(0, "path")
	if e.env.Ref != nil {
		if u, ok := e.env.Ref(p); ok {
			return u
		}
	}
	e.warn(t, "Hugo shortcode {{< %s %q >}}: no such page: linked as written", t.name, p)
	return p
}

// embedURL returns the link an embedding shortcode stands for.
func embedURL(t tag) (string, bool) {
	id := t.arg(0, "id")
	switch t.name {
	case "youtube":
		return "https://www.youtube.com/watch?v=" + id, validID(id)
	case "vimeo":
		return "https://vimeo.com/" + id, validID(id)
	case "bilibili":
		return "https://www.bilibili.com/video/" + id, validID(id)
	case "gist": // {{< gist user id [file] >}}
		user, id := t.arg(0, "user"), t.arg(1, "id")
		return "https://gist.github.com/" + user + "/" + id, validID(user) && validID(id)
	case "tweet": // {{< tweet user="name" id="123" >}}, or {{< tweet 123 >}}
		if user := t.named["user"]; user != "" {
			return "https://twitter.com/" + user + "/status/" + id, validID(user) && validID(id)
		}
		return "https://twitter.com/i/status/" + id, validID(id)
	}
	return "", false
}

// validID reports whether s can stand in a URL as an id or a user name.
func validID(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-.", r))
	}) < 0
}
