package content

import (
	"bytes"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// liquidTag matches a Liquid tag ({% ... %}), which writes nothing a
// reader reads by itself.
var liquidTag = regexp.MustCompile(`(?s)\{%.*?%\}`)

// htmlShowsContent reports whether the body of a Jekyll .html page is
// content a reader reads (an about page, a FAQ) rather than a frame for
// scripts or a layout's: it has text outside scripts, styles and
// comments, or an output tag ({{ about | markdownify }}) that may write
// some. Liquid tags alone ({% include header.html %}) do not count: a page
// made of them and scripts (an offline page, a search page) shows nothing
// of its own.
func htmlShowsContent(body []byte) bool {
	body = liquidTag.ReplaceAll(body, nil)
	if bytes.Contains(body, []byte("{{")) {
		return true
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	skip := 0 // depth inside elements whose text is not shown
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken:
			if hiddenElement(z) {
				skip++
			}
		case html.EndTagToken:
			if hiddenElement(z) && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 && strings.TrimSpace(string(z.Text())) != "" {
				return true
			}
		}
	}
}

// hiddenElement reports whether the tag z is at holds no text a reader
// sees.
func hiddenElement(z *html.Tokenizer) bool {
	name, _ := z.TagName()
	switch string(name) {
	case "script", "style", "template", "noscript", "head", "title", "svg":
		return true
	}
	return false
}

// dedentHTML removes the indentation of an HTML page's lines, outside
// <pre> elements. Jekyll copies an .html page's body as it is (Liquid
// aside), where indentation means nothing; read as Markdown, which is how
// Body's result is read, an indented line after a blank one would be code,
// its tags shown and its Liquid left alone.
func dedentHTML(body string) string {
	var b strings.Builder
	b.Grow(len(body))
	pre := false
	for line := range strings.SplitAfterSeq(body, "\n") {
		lower := strings.ToLower(line)
		if !pre {
			line = strings.TrimLeft(line, " \t")
		}
		if strings.Contains(lower, "<pre") {
			pre = true
		}
		if strings.Contains(lower, "</pre") {
			pre = false
		}
		b.WriteString(line)
	}
	return b.String()
}
