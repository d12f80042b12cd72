package content

import (
	"html"
	"strings"
	"unicode"

	xhtml "golang.org/x/net/html"

	"github.com/sshblog/sshblog/content/termsafe"
)

// plainLine makes a one-line text field (a title, a description) read as
// the web page shows it: HTML tags are dropped, keeping their text
// ("<code>foo</code> bar" is "foo bar"), entities are decoded ("&amp;" is
// "&"), control characters are made safe and runs of spaces are one.
// x/net/html's tokenizer does the HTML, so a "<" that starts no tag
// ("a < b") stays.
func plainLine(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = htmlText(s)
	}
	return strings.Join(strings.Fields(termsafe.Line(s)), " ")
}

// htmlText returns the text of an HTML fragment, tags dropped and entities
// decoded.
func htmlText(s string) string {
	if !strings.Contains(s, "<") {
		return html.UnescapeString(s)
	}
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.TextToken:
			b.Write(z.Text()) // Text decodes entities
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			if string(name) == "br" || string(name) == "p" {
				b.WriteByte(' ')
			}
		}
	}
}

// titleFromSlug builds a title from a file name's slug as Jekyll does
// (Utils.titleize_slug): words split at "-", each capitalised.
// "year-in-review" is "Year In Review".
func titleFromSlug(slug string) string {
	words := strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' || r == ' ' })
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return termsafe.Line(strings.Join(words, " "))
}
