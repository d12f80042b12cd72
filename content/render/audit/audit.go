// Package audit measures a rendered post as a reader sees it, for
// `sshblog check --render` and scripts/corpus-report: markup the renderer
// left in the text (Markdown, kramdown, Liquid, Hugo shortcodes, HTML tags
// and entities, footnote references), math that did not come through as
// written, URLs glued to the text after them, bodies that rendered empty, and
// how well CJK paragraphs are broken into lines.
//
// It compares the rendered text with the post's source: what the source
// shows as code (fenced and indented blocks, code spans, {% highlight %},
// {{< highlight >}} and {% raw %}) may show anything, so a finding whose
// text comes from code is not reported. The measurements are heuristics
// over the screen's text, not a second renderer: they find what is visibly
// wrong and name the line, and a clean report means no known kind of
// leftover, not a proof of correct rendering.
package audit

import (
	"regexp"
	"strings"
	"unicode"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content/linebreak"
)

// Kind names a kind of finding.
type Kind string

// The kinds of findings.
const (
	Strong   Kind = "**"        // emphasis markers shown as text
	Attr     Kind = "{:"        // a kramdown attribute list or {:toc}
	Tag      Kind = "{%"        // a Liquid tag
	Output   Kind = "{{"        // a Liquid output or a Hugo shortcode
	Footnote Kind = "[^"        // a footnote reference or definition
	Link     Kind = "]("        // a Markdown link or image shown as text
	HTML     Kind = "<tag>"     // an HTML tag shown as text
	Entity   Kind = "&entity;"  // an HTML entity shown undecoded
	Heading  Kind = "#heading"  // a heading without a space after its #, shown as text
	Math     Kind = "math"      // math that is not on the screen exactly as written
	GluedURL Kind = "url+cjk"   // a URL run into the CJK text after it
	BasePath Kind = "base/base" // the site's base path doubled in a link
	Empty    Kind = "empty"     // a body with text that rendered to nothing
)

// Kinds lists every kind, in the order reports print them.
var Kinds = []Kind{Strong, Attr, Tag, Output, Footnote, Link, HTML, Entity, Heading, Math, GluedURL, BasePath, Empty}

// Finding is one thing a reader should not see.
type Finding struct {
	Kind Kind
	// Line is the 1-based line of the rendered text, 0 for a finding about
	// the whole text (Math, Empty).
	Line int
	// Text is what was found: the rendered line, trimmed, or for Math the
	// formula as written.
	Text string
	// Source is a short piece of the source to look the finding up by
	// (the leftover and what follows it), "" when there is none; Before is
	// what precedes the leftover on its line, up to 12 runes.
	Source, Before string
}

// leftover is a kind found by a pattern on one rendered line.
type leftover struct {
	kind Kind
	re   *regexp.Regexp
}

var leftovers = []leftover{
	// Two asterisks by a word, not in a longer run: a masked number
	// (138****5678) or a password (********) is text.
	{Strong, regexp.MustCompile(`(?:^|[^*])(\*\*)(?:[^*\s]|$)|(?:^|[^*\s])(\*\*)(?:[^*]|$)`)},
	{Attr, regexp.MustCompile(`\{:`)},
	{Tag, regexp.MustCompile(`\{%`)},
	{Output, regexp.MustCompile(`\{\{`)},
	{Footnote, regexp.MustCompile(`\[\^`)},
	{Link, regexp.MustCompile(`\]\([^)\s]+\)`)},
	// A tag as CommonMark's raw HTML has it: "<ci − 1, ci + 1>" is text.
	{HTML, regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9-]*(\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>` + "`" + `]+))?)*\s*/?>`)},
	{Entity, regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);`)},
}

// footnoteRE is a footnote reference, with its label.
var footnoteRE = regexp.MustCompile(`^\[\^([^\]\s]+)\]`)

// startsALine reports whether a line of source starts with the first runes
// of text: a heading written without a space, rather than a paragraph whose
// first word, bold, starts with # (**#tag#**).
func startsALine(source, text string) bool {
	prefix := text
	if r := []rune(text); len(r) > 6 {
		prefix = string(r[:6])
	}
	return strings.HasPrefix(source, prefix) || strings.Contains(source, "\n"+prefix)
}

// headingRE is a heading without a space after its #: only a paragraph's
// first line can be one (a wrapped line may start with "#1").
var headingRE = regexp.MustCompile(`^#+[^\s#]`)

// urlRE is a URL as a terminal's link detection sees it: up to white
// space, a no-break or ideographic space included.
var urlRE = regexp.MustCompile(`https?://[^\s\p{Z}]+`)

// Options are what Leftovers needs to know of the site.
type Options struct {
	// BaseURL is the site's base path ("/Blog"); a link with it twice
	// ("/Blog/Blog/...") is a BasePath finding. "" or "/" checks nothing.
	BaseURL string
}

// Leftovers returns the findings in rendered, the terminal text (escape
// sequences allowed) that source, a post's Markdown body, rendered to.
// A title is audited with source "" (it has no code to excuse anything).
func Leftovers(source, rendered string, opt Options) []Finding {
	code := codeOf(source)
	formulas := mathOf(code)
	for _, f := range formulas {
		code.addLiteral(f.written, strings.TrimSpace(strings.Trim(strings.TrimSpace(f.written), "$")))
	}
	lines := strings.Split(xansi.Strip(rendered), "\n")
	var out []Finding
	base := strings.Trim(opt.BaseURL, "/")
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		isCode := -1 // unknown until a finding asks: the lookup is not free
		if strings.HasPrefix(line, linebreak.Continued) {
			isCode = 1 // only a line of code goes on after the mark
		}
		inCode := func() bool {
			if isCode < 0 {
				isCode = 0
				if code.hasLine(line) {
					isCode = 1
				}
			}
			return isCode == 1
		}
		text := stripQuote(line)
		if (i == 0 || strings.TrimSpace(lines[i-1]) == "") && headingRE.MatchString(text) && !inCode() && startsALine(source, text) {
			out = append(out, Finding{Kind: Heading, Line: i + 1, Text: line, Source: from(text, 0)})
		}
		cells := []string{text}
		if strings.Contains(text, "│") { // a table's row: each cell apart
			cells = strings.Split(text, "│")
		}
		for _, l := range leftovers {
			for _, cell := range cells {
				loc := l.re.FindStringSubmatchIndex(cell)
				if loc == nil {
					continue
				}
				// Strong's pattern marks the asterisks with the group that
				// matched; the others match the leftover itself.
				for g := 2; l.kind == Strong && g+1 < len(loc); g += 2 {
					if loc[g] >= 0 {
						loc = loc[g : g+2]
						break
					}
				}
				if inCode() || code.hasPiece(cell, loc[0], loc[1]) || excused(l.kind, cell[loc[0]:loc[1]], cell[loc[0]:], source) {
					continue
				}
				out = append(out, Finding{Kind: l.kind, Line: i + 1, Text: line, Source: from(cell, loc[0]), Before: before(cell, loc[0])})
				break
			}
		}
		for _, u := range urlRE.FindAllString(strings.Join(cells, " "), -1) {
			if base != "" && strings.Contains(u, "/"+base+"/"+base+"/") {
				out = append(out, Finding{Kind: BasePath, Line: i + 1, Text: line, Source: u})
			}
			if strings.IndexFunc(u, linebreak.IsCJK) >= 0 && !inCode() && !linked(u, source) {
				out = append(out, Finding{Kind: GluedURL, Line: i + 1, Text: line, Source: u})
			}
		}
		if base != "" && !strings.Contains(text, "://") && strings.Contains(text, "/"+base+"/"+base+"/") {
			out = append(out, Finding{Kind: BasePath, Line: i + 1, Text: line})
		}
	}
	// A long line of code (display math is shown as code) continues on
	// the next line after linebreak.Continued: the formula reads on across it.
	unquoted := make([]string, len(lines))
	for i, l := range lines {
		unquoted[i] = stripQuote(strings.TrimSpace(l))
	}
	flat := squash(strings.ReplaceAll(strings.Join(unquoted, ""), linebreak.Continued, ""))
	for _, f := range formulas {
		if !f.shown(flat) {
			out = append(out, Finding{Kind: Math, Text: f.tex, Source: f.tex})
		}
	}
	if strings.TrimSpace(flat) == "" && visible(source) {
		out = append(out, Finding{Kind: Empty})
	}
	return out
}

// excused reports whether a match (rest is the text from it on) is what
// the author wrote as text: markup the source escaped with backslashes
// (\{\{ shows as {{, \*\* as **), an entity or tag escaped as entities
// (&amp;lt; shows as &lt;, &lt;b&gt; as <b>), a footnote reference with no
// note to refer to ([^69^]).
func excused(k Kind, match, rest, source string) bool {
	if backslashed(match, source) {
		return true
	}
	switch k {
	case Footnote:
		// A reference without a note is text for kramdown and GFM alike.
		if m := footnoteRE.FindStringSubmatch(rest); m != nil {
			return !strings.Contains(source, "[^"+m[1]+"]:")
		}
	case Entity:
		return strings.Contains(source, "&amp;"+match[1:])
	case HTML:
		return strings.Contains(source, "&lt;"+match[1:len(match)-1]) || strings.Contains(source, `\<`+match[1:])
	}
	return false
}

// backslashed reports whether source has match with some of its
// punctuation escaped by backslashes.
func backslashed(match, source string) bool {
	if !strings.Contains(source, `\`) {
		return false
	}
	var b strings.Builder
	for _, r := range match {
		if r < 0x80 && unicode.IsPunct(r) || unicode.IsSymbol(r) {
			b.WriteString(`\\?`)
		}
		b.WriteString(regexp.QuoteMeta(string(r)))
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return false
	}
	for _, m := range re.FindAllString(source, -1) {
		if strings.Contains(m, `\`) {
			return true
		}
	}
	return false
}

// linked reports whether url is in source as the target of a link, as
// written, so that its CJK characters are the author's. A link to the
// site's own files is looked up by its path ("/images/轨迹.jpg", or
// relative, "a.md#原码"): the renderer puts the site's address before it.
func linked(url, source string) bool {
	if strings.Contains(source, "("+url) || strings.Contains(source, "<"+url) || strings.Contains(source, `"`+url) {
		return true
	}
	rest := url[strings.Index(url, "://")+3:]
	slash := strings.IndexByte(rest, '/')
	if slash < 0 || len(rest[slash:]) < 2 {
		return false
	}
	return strings.Contains(source, rest[slash:]+")") || strings.Contains(source, "("+rest[slash+1:]+")")
}

// from returns up to 24 runes of s from i, to find the leftover in the
// source by.
func from(s string, i int) string {
	end := i
	for n := 0; n < 24 && end < len(s); n++ {
		end = nextRune(s, end)
	}
	return strings.TrimSpace(s[i:end])
}

// before returns up to 12 runes of s before i, without leading space.
func before(s string, i int) string {
	start := i
	for n := 0; n < 12 && start > 0; n++ {
		start = prevRune(s, start)
	}
	return strings.TrimLeft(s[start:i], " ")
}

func prevRune(s string, i int) int {
	i--
	for i > 0 && !startsRune(s[i]) {
		i--
	}
	return i
}

func nextRune(s string, i int) int {
	i++
	for i < len(s) && !startsRune(s[i]) {
		i++
	}
	return i
}

func startsRune(b byte) bool { return b&0xC0 != 0x80 }

// quotePrefix is the indentation and the bars of block quotes ("│ │ ")
// that start a line. A table's row starts with a bar too, but a cell's
// padding follows it, not one space and text: it keeps its bars.
var quotePrefix = regexp.MustCompile(`^[ \t]*(?:[│┃▌] ?)*`)

// stripQuote drops the indentation and block quote bars that prefix a line.
func stripQuote(line string) string {
	rest := line[len(quotePrefix.FindString(line)):]
	if strings.ContainsRune(rest, '│') { // a table's row: keep its first bar
		return strings.TrimLeft(line, " \t")
	}
	return strings.TrimLeft(rest, " \t")
}

// squash drops white space, so that text compares equal however it was
// broken into lines and indented.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// visible reports whether Markdown source has text a reader would see,
// roughly: anything but white space, HTML comments and Liquid tags.
func visible(source string) bool {
	s := commentRE.ReplaceAllString(source, "")
	s = liquidTagRE.ReplaceAllString(s, "")
	return strings.TrimSpace(s) != ""
}

var (
	commentRE   = regexp.MustCompile(`(?s)<!--.*?-->`)
	liquidTagRE = regexp.MustCompile(`(?s)\{%.*?%\}`)
)
