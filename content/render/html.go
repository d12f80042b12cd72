package render

import (
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/sshblog/sshblog/content/linebreak"
)

// imageMark starts the text that stands for an image, mediaMark the text
// that stands for embedded media (an <iframe>, <video>, <audio>, <embed>
// or <object>: a chart, a player, a slide deck), which a terminal cannot
// show either.
const (
	imageMark = "🖼 "
	mediaMark = "▶ "
)

// htmlPiece is a piece of what HTML shows: text, a forced line break, or
// an image or embedded media (src and its name: caption, title, alt text
// or file name), shown as a line starting with mark.
type htmlPiece struct {
	text      string
	br        bool
	src, name string
	image     bool
	mark      string // imageMark or mediaMark, for an image
}

// htmlParagraphs returns the text an HTML fragment shows, as paragraphs of
// pieces: figures and images become image paragraphs, <br> a line break,
// block elements separate paragraphs, list items get a bullet, and script,
// style and similar elements disappear with their content. Entities are
// decoded (by the tokenizer); the text is not yet sanitised.
func htmlParagraphs(fragment string) [][]htmlPiece {
	c := htmlText{}
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
	paras   [][]htmlPiece
	cur     []htmlPiece // the paragraph being built
	skip    int         // depth inside elements whose content is not shown
	fig     *figure
	media   string // the name of a <video> or <audio> whose src is still to come (<source>)
	inMedia bool   // inside a <video> or <audio> with no src yet
	caption bool
}

type figure struct {
	src, alt string
	caption  strings.Builder
}

func (c *htmlText) start(tok html.Token, selfClosing bool) {
	switch tok.Data {
	case "iframe", "object", "video", "audio", "embed":
		// Their content is a fallback for browsers without them; the
		// media itself is a line like an image's, from its src (object's
		// data) or, for video and audio, their first <source>.
		if !selfClosing && tok.Data != "embed" { // embed is a void element
			c.skip++
		}
		p, ok := mediaPiece(tok)
		switch {
		case ok:
			c.flush()
			c.paras = append(c.paras, []htmlPiece{p})
		case tok.Data == "video" || tok.Data == "audio":
			c.inMedia, c.media = !selfClosing, mediaName(tok)
		}
	case "source":
		if c.inMedia {
			c.inMedia = false
			if p, ok := imagePiece(attr(tok, "src"), c.media, ""); ok {
				p.mark = mediaMark
				c.flush()
				c.paras = append(c.paras, []htmlPiece{p})
			}
		}
	case "script", "style", "template", "noscript", "head", "title", "svg", "math":
		if !selfClosing {
			c.skip++
		}
	case "br":
		c.cur = append(c.cur, htmlPiece{br: true})
	case "img":
		src, alt := attr(tok, "src"), attr(tok, "alt")
		if c.fig != nil && c.fig.src == "" {
			c.fig.src, c.fig.alt = src, alt
			return
		}
		c.flush()
		if p, ok := imagePiece(src, alt, ""); ok {
			c.paras = append(c.paras, []htmlPiece{p})
		}
	case "figure":
		c.flush()
		c.fig = &figure{}
	case "figcaption":
		c.caption = c.fig != nil
	case "li", "dt", "dd":
		c.flush()
		if tok.Data == "li" {
			c.cur = append(c.cur, htmlPiece{text: "• "})
		}
	default:
		if blockElement(tok.Data) {
			c.flush()
		}
	}
}

func (c *htmlText) end(tok html.Token) {
	switch tok.Data {
	case "script", "style", "template", "noscript", "head", "title", "iframe", "object", "svg", "math", "video", "audio":
		if c.skip > 0 {
			c.skip--
		}
		if tok.Data == "video" || tok.Data == "audio" {
			c.inMedia = false
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
		c.cur = append(c.cur, htmlPiece{text: s})
	}
}

func (c *htmlText) endFigure() {
	f := c.fig
	c.fig, c.caption = nil, false
	c.flush()
	if p, ok := imagePiece(f.src, f.alt, collapseSpace(f.caption.String())); ok {
		c.paras = append(c.paras, []htmlPiece{p})
	}
}

// flush ends the current paragraph: white space collapsed across its text
// pieces, empty paragraphs dropped.
func (c *htmlText) flush() {
	cur := c.cur
	c.cur = nil
	var out []htmlPiece
	var b strings.Builder
	shows := false
	end := func() {
		if b.Len() > 0 {
			t := collapseSpace(b.String())
			if strings.Trim(t, " •") != "" {
				shows = true
			}
			if t != "" {
				out = append(out, htmlPiece{text: t})
			}
			b.Reset()
		}
	}
	for _, p := range cur {
		if p.br {
			end()
			out = append(out, p)
			continue
		}
		b.WriteString(p.text)
	}
	end()
	if shows {
		c.paras = append(c.paras, out)
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

// imagePiece names an image: its caption, else its alt text, else its file
// name. An image with no name and no source is nothing.
func imagePiece(src, alt, caption string) (htmlPiece, bool) {
	src = strings.TrimSpace(src)
	name := caption
	if name == "" {
		name = collapseSpace(alt)
	}
	if name == "" && src != "" {
		name = fileName(src)
	}
	if name == "" {
		return htmlPiece{}, false
	}
	return htmlPiece{image: true, src: src, name: name}, true
}

// mediaPiece returns the line for an <iframe>, <video>, <audio>, <embed>
// or <object> that names its source in an attribute (src; object's data):
// named by its title, else its file name. ok is false when it has no
// source there.
func mediaPiece(tok html.Token) (htmlPiece, bool) {
	src := attr(tok, "src")
	if tok.Data == "object" {
		src = attr(tok, "data")
	}
	if strings.TrimSpace(src) == "" {
		return htmlPiece{}, false
	}
	p, ok := imagePiece(src, mediaName(tok), "")
	if ok && p.name == "" {
		p.name = src
	}
	p.mark = mediaMark
	return p, ok
}

// mediaName is the name embedded media gives itself: its title, else its
// aria-label.
func mediaName(tok html.Token) string {
	if t := collapseSpace(attr(tok, "title")); t != "" {
		return t
	}
	return collapseSpace(attr(tok, "aria-label"))
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

// collapseSpace collapses runs of white space to one space, or to nothing
// where a line break falls between CJK characters, drops controls and
// marker runes, and trims the ends.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	space, newline := false, false
	for _, r := range s {
		switch {
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

// inlineHTML returns what an inline HTML tag shows: a line break for <br>,
// an image for <img>, a media line for an <iframe> (and the like) with a
// source, nothing for anything else.
func inlineHTML(raw string) []htmlPiece {
	z := html.NewTokenizer(strings.NewReader(raw))
	var out []htmlPiece
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "br":
			out = append(out, htmlPiece{br: true})
		case "img":
			if p, ok := imagePiece(attr(tok, "src"), attr(tok, "alt"), ""); ok {
				out = append(out, p)
			}
		case "iframe", "object", "video", "audio", "embed":
			if p, ok := mediaPiece(tok); ok {
				out = append(out, p)
			}
		case "source": // of a <video> or <audio>; <picture>'s have srcset
			if p, ok := imagePiece(attr(tok, "src"), "", ""); ok {
				p.mark = mediaMark
				out = append(out, p)
			}
		}
	}
}

// openMedia returns the name of the element raw opens when it is the start
// tag of embedded media whose content is a fallback (iframe, object, video,
// audio), else "".
func openMedia(raw string) string {
	z := html.NewTokenizer(strings.NewReader(raw))
	if z.Next() != html.StartTagToken {
		return ""
	}
	switch name, _ := z.TagName(); string(name) {
	case "iframe", "object", "video", "audio":
		return string(name)
	}
	return ""
}

// closes reports whether raw is the end tag of the element tag.
func closes(raw, tag string) bool {
	z := html.NewTokenizer(strings.NewReader(raw))
	if z.Next() != html.EndTagToken {
		return false
	}
	name, _ := z.TagName()
	return string(name) == tag
}
