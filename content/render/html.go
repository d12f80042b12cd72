package render

import (
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/termsafe"
)

// imageMark starts the line that stands for an image.
const imageMark = "🖼 "

// htmlParagraphs returns the text an HTML fragment shows, as Markdown
// paragraphs: figures and images become image lines, <br> a linebreak.Break,
// block elements separate paragraphs, list items get a bullet, and script,
// style and similar elements disappear with their content.
// Image sources that are absolute paths are resolved against site, the
// site's URL.
func htmlParagraphs(fragment, site string) []string {
	c := htmlText{site: site}
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			c.start(tok, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			c.end(tok)
		case html.TextToken:
			c.text(tok.Data)
		}
	}
	if c.fig != nil {
		c.endFigure()
	}
	c.flush()
	return c.paras
}

type htmlText struct {
	site    string
	paras   []string
	cur     strings.Builder // text of the paragraph being built, not yet escaped
	skip    int             // depth inside elements whose content is not shown
	fig     *figure
	caption bool
}

type figure struct {
	src, alt string
	caption  strings.Builder
}

func (c *htmlText) start(tok html.Token, selfClosing bool) {
	switch tok.Data {
	case "script", "style", "template", "noscript", "head", "title", "iframe", "object", "svg", "math":
		if !selfClosing {
			c.skip++
		}
	case "br":
		c.cur.WriteRune(linebreak.Break)
	case "img":
		src, alt := attr(tok, "src"), attr(tok, "alt")
		if c.fig != nil && c.fig.src == "" {
			c.fig.src, c.fig.alt = src, alt
			return
		}
		c.flush()
		if line := imageLine(c.site, src, alt, ""); line != "" {
			c.paras = append(c.paras, line)
		}
	case "figure":
		c.flush()
		c.fig = &figure{}
	case "figcaption":
		c.caption = c.fig != nil
	case "li", "dt", "dd":
		c.flush()
		if tok.Data == "li" {
			c.cur.WriteString("• ")
		}
	default:
		if blockElement(tok.Data) {
			c.flush()
		}
	}
}

func (c *htmlText) end(tok html.Token) {
	switch tok.Data {
	case "script", "style", "template", "noscript", "head", "title", "iframe", "object", "svg", "math":
		if c.skip > 0 {
			c.skip--
		}
	case "figure":
		if c.fig != nil {
			c.endFigure()
		}
	case "figcaption":
		c.caption = false
	default:
		if blockElement(tok.Data) || tok.Data == "li" || tok.Data == "dt" || tok.Data == "dd" {
			c.flush()
		}
	}
}

func (c *htmlText) text(s string) {
	switch {
	case c.skip > 0:
	case c.caption:
		c.fig.caption.WriteString(s)
	default:
		c.cur.WriteString(s)
	}
}

func (c *htmlText) endFigure() {
	f := c.fig
	c.fig, c.caption = nil, false
	c.flush()
	if line := imageLine(c.site, f.src, f.alt, collapseSpace(f.caption.String())); line != "" {
		c.paras = append(c.paras, line)
	}
}

// flush ends the current paragraph.
func (c *htmlText) flush() {
	t := collapseSpace(c.cur.String())
	c.cur.Reset()
	if strings.Trim(t, string(linebreak.Break)+" •") != "" {
		c.paras = append(c.paras, escapeText(t))
	}
}

func attr(tok html.Token, name string) string {
	for _, a := range tok.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func blockElement(name string) bool {
	switch name {
	case "address", "article", "aside", "blockquote", "center", "details", "dialog", "div", "dl",
		"fieldset", "figcaption", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
		"hr", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead",
		"tfoot", "tr", "ul", "caption", "body", "html":
		return true
	}
	return false
}

// imageLine returns the Markdown for an image: "🖼 caption" linked to src
// (resolved against site when it is an absolute path). Without a caption the
// alt text, else the file name, names the image.
func imageLine(site, src, alt, caption string) string {
	src = strings.TrimSpace(src)
	if strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "//") && site != "" {
		src = site + src
	}
	name := caption
	if name == "" {
		name = collapseSpace(alt)
	}
	dest := destination(src)
	if name == "" && dest != "" {
		name = fileName(src)
	}
	if name == "" {
		return ""
	}
	if dest == "" {
		return imageMark + escapeText(name)
	}
	return imageMark + "[" + escapeText(name) + "](<" + dest + ">)"
}

func fileName(src string) string {
	p := src
	if u, err := url.Parse(src); err == nil {
		p = u.Path
	}
	if n := path.Base(p); n != "." && n != "/" {
		return n
	}
	return ""
}

// destination prepares src for a Markdown link destination in angle
// brackets: encoded by termsafe.URL, ampersands written as a reference so
// that nothing in the URL is read as one.
func destination(src string) string {
	return strings.ReplaceAll(termsafe.URL(strings.TrimSpace(src)), "&", "&amp;")
}

// collapseSpace collapses runs of white space to one space, or to nothing
// where a line break falls between CJK characters, drops controls and
// marker runes but linebreak.Break, and trims the ends.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	space, newline := false, false
	for _, r := range s {
		switch {
		case r == linebreak.Break:
		case r == '\n' || r == '\r':
			space, newline = true, true
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || linebreak.IsMarker(r) || r == utf8.RuneError:
			continue
		}
		if space && b.Len() > 0 && !(newline && cjkJoin(prev, r)) {
			b.WriteByte(' ')
		}
		space, newline = false, false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// escapeText makes plain text safe as Markdown inline content: every ASCII
// punctuation mark Markdown could read as syntax becomes a numeric character
// reference (Glamour decodes references in text), so text from HTML is shown
// as it is.
func escapeText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '{', '}', '[', ']', '<', '>', '(', ')', '#', '+', '-', '.', '!', '|', '~', '&', '=', ':', '"', '\'':
			b.WriteString("&#")
			b.WriteString(strconv.Itoa(int(r)))
			b.WriteByte(';')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// inlineHTML returns what an inline HTML tag shows: a linebreak.Break for <br>,
// an image line for <img>, nothing for anything else.
func inlineHTML(raw, site string) string {
	z := html.NewTokenizer(strings.NewReader(raw))
	var b strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "br":
			b.WriteRune(linebreak.Break)
		case "img":
			if line := imageLine(site, attr(tok, "src"), attr(tok, "alt"), ""); line != "" {
				b.WriteString(line)
			}
		}
	}
}
