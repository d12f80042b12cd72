package render

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/termsafe"
)

// Preprocess turns a post body written for Jekyll into Markdown that Glamour
// renders well in a terminal:
//
//   - Liquid: {{ site.url }} and {{ site.baseurl }} (any spacing, with the
//     relative_url and absolute_url filters) become the site's URL and base
//     path; {% raw %} keeps its content as written; {% highlight lang %}
//     becomes a fenced code block; {% comment %} drops its content; every
//     other tag and output vanishes. Inside code blocks only the raw tags
//     are removed: code such as Go templates keeps its braces.
//   - HTML never shows as tags: each <figure> (or lone <img>) becomes an
//     image line "🖼 caption" linked to the image; <br> becomes a forced
//     line break (linebreak.Break); other tags are dropped and their text kept.
//   - Soft line breaks inside paragraphs are joined: with nothing between
//     two CJK characters, with a space otherwise. Glamour would put a space
//     (or, in list items, a line break) there.
//   - Paragraphs after the first in a list item are separated by a blank
//     line (Glamour would run them together).
//   - Safety: control characters and marker runes are removed, and numeric
//     character references to them (&#27;) are replaced with U+FFFD, so that
//     rendering cannot produce an escape sequence from content.
//
// Preprocess never fails: input it does not understand passes through.
func Preprocess(md string, site content.Site) string {
	md = clean(md)
	md = expandLiquid(md, site, codeRanges([]byte(md)))
	out, html := rewrite([]byte(md), siteURL(site), false)
	// Removing a tag can turn what was text into HTML ("<figure<a>" leaves
	// "<figure"); remove that too, a bounded number of times.
	for i := 0; html > 0 && i < 3; i++ {
		out, html = rewrite([]byte(out), siteURL(site), true)
	}
	return out
}

func newMarkdown() goldmark.Markdown {
	// The same extensions as Glamour, so both parse alike.
	return goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList))
}

func parse(src []byte) ast.Node {
	return newMarkdown().Parser().Parse(text.NewReader(src))
}

// clean normalises line endings and neutralises what termsafe.String does
// (controls, invalid UTF-8, the runes reserved for markers).
func clean(s string) string {
	return termsafe.String(strings.ReplaceAll(s, "\r\n", "\n"))
}

// codeRanges returns the byte ranges of the code blocks in src, in order.
func codeRanges(src []byte) [][2]int {
	s := string(src)
	if (!strings.Contains(s, "{{") && !strings.Contains(s, "{%")) || !mayHaveCode(s) {
		return nil
	}
	var rs [][2]int
	_ = ast.Walk(parse(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock:
			if l := n.Lines(); l.Len() > 0 {
				rs = append(rs, [2]int{l.At(0).Start, l.At(l.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return rs
}

// mayHaveCode reports whether s may hold a code block: a fence, or an
// indented line after a blank one (an indented code block cannot interrupt a
// paragraph). It saves a parse when the answer is no.
func mayHaveCode(s string) bool {
	if strings.Contains(s, "```") || strings.Contains(s, "~~~") {
		return true
	}
	prevBlank := true
	for line := range strings.SplitSeq(s, "\n") {
		if prevBlank && (strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t")) {
			return true
		}
		prevBlank = strings.TrimSpace(line) == ""
	}
	return false
}

// expandLiquid resolves Liquid markup outside the code ranges.
func expandLiquid(s string, site content.Site, code [][2]int) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "{%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	ci := 0
	inCode := func(pos int) bool {
		for ci < len(code) && code[ci][1] <= pos {
			ci++
		}
		return ci < len(code) && code[ci][0] <= pos
	}
	i := 0
	for i < len(s) {
		j := indexLiquid(s, i)
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i:j])
		isCode := inCode(j)
		if s[j+1] == '{' {
			end := strings.Index(s[j+2:], "}}")
			if isCode || end < 0 {
				b.WriteString("{{")
				i = j + 2
				continue
			}
			b.WriteString(liquidOutput(s[j+2:j+2+end], site))
			i = j + 2 + end + 2
			continue
		}
		end := strings.Index(s[j+2:], "%}")
		if end < 0 {
			b.WriteString("{%")
			i = j + 2
			continue
		}
		next := j + 2 + end + 2
		name, args := liquidTag(s[j+2 : j+2+end])
		switch {
		case name == "raw":
			k, after := findTag(s, next, "endraw")
			if k < 0 {
				k, after = len(s), len(s)
			}
			b.WriteString(s[next:k])
			i = after
		case name == "endraw":
			i = next
		case isCode:
			b.WriteString(s[j:next])
			i = next
		case name == "comment":
			_, after := findTag(s, next, "endcomment")
			if after < 0 {
				after = len(s)
			}
			i = after
		case name == "highlight":
			// The whole block at once: its content is code, whatever
			// the parse of the Liquid source said.
			k, after := findTag(s, next, "endhighlight")
			if k < 0 {
				k, after = len(s), len(s)
			}
			code := expandLiquid(s[next:k], site, nil)
			fence := fenceFor(code)
			lang, _, _ := strings.Cut(strings.TrimSpace(args), " ")
			b.WriteString(fence + lang + code + fence)
			i = after
		default:
			i = next // every other tag vanishes
		}
	}
	return b.String()
}

// indexLiquid returns the index of the next "{{" or "{%" at or after i.
func indexLiquid(s string, i int) int {
	for {
		k := strings.IndexByte(s[i:], '{')
		if k < 0 || i+k+1 >= len(s) {
			return -1
		}
		i += k
		if c := s[i+1]; c == '{' || c == '%' {
			return i
		}
		i++
	}
}

// liquidTag splits the inside of a {% %} tag into its name and arguments,
// ignoring whitespace-control dashes.
func liquidTag(inner string) (name, args string) {
	inner = strings.TrimSpace(strings.Trim(strings.TrimSpace(inner), "-"))
	name, args, _ = strings.Cut(inner, " ")
	return name, args
}

// findTag returns the start of the next {% name %} tag at or after from and
// the index after it, or -1, -1.
func findTag(s string, from int, name string) (start, after int) {
	for from < len(s) {
		k := strings.Index(s[from:], "{%")
		if k < 0 {
			return -1, -1
		}
		start = from + k
		end := strings.Index(s[start+2:], "%}")
		if end < 0 {
			return -1, -1
		}
		after = start + 2 + end + 2
		if n, _ := liquidTag(s[start+2 : start+2+end]); n == name {
			return start, after
		}
		from = after
	}
	return -1, -1
}

// fenceFor returns a backtick fence longer than any backtick run in code.
func fenceFor(code string) string {
	longest, run := 0, 0
	for i := 0; i < len(code); i++ {
		if code[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// liquidOutput evaluates the inside of {{ }}: site.url and site.baseurl and
// string literals, with the relative_url and absolute_url filters. Anything
// else evaluates to nothing.
func liquidOutput(expr string, site content.Site) string {
	expr = strings.TrimSpace(strings.Trim(strings.TrimSpace(expr), "-"))
	parts := strings.Split(expr, "|")
	var v string
	switch base := strings.TrimSpace(parts[0]); {
	case base == "site.url":
		v = siteURL(site)
	case base == "site.baseurl":
		v = basePath(site)
	case len(base) >= 2 && (base[0] == '"' || base[0] == '\'') && base[len(base)-1] == base[0]:
		v = safeURLText(base[1 : len(base)-1])
	default:
		return ""
	}
	for _, f := range parts[1:] {
		name, _, _ := strings.Cut(strings.TrimSpace(f), ":")
		switch strings.TrimSpace(name) {
		case "relative_url":
			v = joinURL(basePath(site), v)
		case "absolute_url":
			v = joinURL(siteURL(site)+basePath(site), v)
		}
	}
	return v
}

// siteURL returns the site's URL without a trailing slash.
func siteURL(site content.Site) string {
	return strings.TrimRight(safeURLText(site.URL), "/")
}

// basePath returns the site's base path as "/path", or "".
func basePath(site content.Site) string {
	p := strings.Trim(safeURLText(site.BaseURL), "/")
	if p == "" {
		return ""
	}
	return "/" + p
}

func joinURL(base, p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	if p == "" {
		return base
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(p, "/")
}

// safeURLText percent-encodes what may not appear in a URL placed in
// Markdown or an HTML attribute (termsafe.URL).
func safeURLText(s string) string {
	return termsafe.URL(strings.TrimSpace(s))
}

// edit replaces src[start:end] with repl; a raw edit copies src[start:end]
// unchanged (a code block, where references are not decoded).
type edit struct {
	start, end int
	repl       string
	raw        bool
}

// rewrite applies the Markdown-level changes that need the parse tree, or
// only those to HTML when htmlOnly, and returns the result and the number of
// HTML elements it replaced. site is the site's URL, for images.
func rewrite(src []byte, site string, htmlOnly bool) (string, int) {
	var eds []edit
	html := 0
	_ = ast.Walk(parse(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if l := n.Lines(); l.Len() > 0 {
				eds = append(eds, edit{start: l.At(0).Start, end: l.At(l.Len() - 1).Stop, raw: true})
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			if e, ok := htmlBlockEdit(src, n, site); ok {
				eds = append(eds, e)
				html++
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if n.Segments.Len() > 0 {
				start, end := n.Segments.At(0).Start, n.Segments.At(n.Segments.Len()-1).Stop
				eds = append(eds, edit{start: start, end: end, repl: inlineHTML(string(src[start:end]), site)})
				html++
			}
		}
		if htmlOnly {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			eds = append(eds, codeSpanEdits(src, n)...)
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph:
			if p := n.PreviousSibling(); p != nil && n.Parent().Kind() == ast.KindListItem &&
				(p.Kind() == ast.KindParagraph || p.Kind() == ast.KindTextBlock) && n.Lines().Len() > 0 {
				at := n.Lines().At(0).Start
				eds = append(eds, edit{start: at, end: at, repl: string([]rune{linebreak.Break, linebreak.Break})})
			}
		case *ast.Text:
			if n.SoftLineBreak() {
				if e, ok := softBreakEdit(src, n); ok {
					eds = append(eds, e)
				}
			}
		}
		return ast.WalkContinue, nil
	})
	sort.SliceStable(eds, func(i, j int) bool { return eds[i].start < eds[j].start })

	var b strings.Builder
	b.Grow(len(src) + len(src)/16)
	pos := 0
	for _, e := range eds {
		if e.start < pos || e.end < e.start {
			continue // overlaps an earlier edit
		}
		b.WriteString(neutraliseRefs(string(src[pos:e.start])))
		if e.raw {
			b.Write(src[e.start:e.end])
		} else {
			b.WriteString(neutraliseRefs(e.repl))
		}
		pos = e.end
	}
	b.WriteString(neutraliseRefs(string(src[pos:])))
	return b.String(), html
}

// softBreakEdit joins the line that text ends with the next line of its
// block: without a space between CJK characters, with one otherwise.
func softBreakEdit(src []byte, n *ast.Text) (edit, bool) {
	block := n.Parent()
	for block != nil && block.Type() != ast.TypeBlock {
		block = block.Parent()
	}
	if block == nil {
		return edit{}, false
	}
	lines := block.Lines()
	stop := n.Segment.Stop
	i := sort.Search(lines.Len(), func(i int) bool { return lines.At(i).Stop >= stop })
	if i+1 >= lines.Len() {
		return edit{}, false
	}
	cur, next := lines.At(i), lines.At(i+1)
	end := cur.Stop
	for end > cur.Start && isSpaceByte(src[end-1]) {
		end--
	}
	start := next.Start
	for start < len(src) && (src[start] == ' ' || src[start] == '\t') {
		start++
	}
	if end >= start {
		return edit{}, false
	}
	for _, c := range src[end:start] {
		if !isSpaceByte(c) && c != '>' {
			return edit{}, false // not just line end and container prefix
		}
	}
	sep := " "
	if cjkJoin(lastRuneSkipping(src[:end]), firstRuneSkipping(src[start:])) {
		sep = ""
	}
	return edit{start: end, end: start, repl: sep}, true
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lastRuneSkipping returns the last rune of b before any trailing '*'
// (emphasis delimiters, which join safely).
func lastRuneSkipping(b []byte) rune {
	for len(b) > 0 && b[len(b)-1] == '*' {
		b = b[:len(b)-1]
	}
	r, _ := utf8.DecodeLastRune(b)
	return r
}

func firstRuneSkipping(b []byte) rune {
	for len(b) > 0 && b[0] == '*' {
		b = b[1:]
	}
	r, _ := utf8.DecodeRune(b)
	return r
}

// cjkJoin reports whether a line break between a and b disappears: both are
// CJK, or one is CJK and the other punctuation used in CJK text (quotes,
// dashes, ellipses).
func cjkJoin(a, b rune) bool {
	return (isCJK(a) && (isCJK(b) || isCJKPunct(b))) || (isCJKPunct(a) && isCJK(b))
}

// isCJK reports whether r is CJK text written without spaces between words:
// linebreak.IsCJK but Hangul (Korean separates words with spaces).
func isCJK(r rune) bool {
	return linebreak.IsCJK(r) && !unicode.Is(unicode.Hangul, r)
}

func isCJKPunct(r rune) bool {
	switch r {
	case '“', '”', '‘', '’', '—', '…', '·':
		return true
	}
	return false
}

// codeSpanEdits turns line breaks inside a code span into spaces, as
// CommonMark says; left alone they would break the line in list items.
func codeSpanEdits(src []byte, n *ast.CodeSpan) []edit {
	var eds []edit
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		next, ok2 := c.NextSibling().(*ast.Text)
		if !ok || !ok2 {
			continue
		}
		stop := t.Segment.Stop
		if stop > 0 && stop <= next.Segment.Start && src[stop-1] == '\n' {
			eds = append(eds, edit{start: stop - 1, end: next.Segment.Start, repl: " "})
		}
	}
	return eds
}

// htmlBlockEdit replaces an HTML block with the text it shows, as Markdown
// paragraphs that keep the block's container prefix (quote markers, list
// indentation).
func htmlBlockEdit(src []byte, n *ast.HTMLBlock, site string) (edit, bool) {
	lines := n.Lines()
	if lines.Len() == 0 {
		return edit{}, false
	}
	start, end := lines.At(0).Start, lines.At(lines.Len()-1).Stop
	var raw strings.Builder
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		raw.Write(seg.Value(src))
	}
	if n.HasClosure() {
		cl := n.ClosureLine
		raw.Write(cl.Value(src))
		end = max(end, cl.Stop)
	}
	lineStart := start
	for lineStart > 0 && src[lineStart-1] != '\n' {
		lineStart--
	}
	prefix := string(src[lineStart:start])
	if strings.Trim(prefix, " \t>") != "" {
		prefix = ""
	}
	blank := strings.TrimRight(prefix, " \t")

	var b strings.Builder
	b.WriteString("\n")
	for _, p := range htmlParagraphs(raw.String(), site) {
		b.WriteString(prefix)
		b.WriteString(p)
		b.WriteString("\n")
		b.WriteString(blank)
		b.WriteString("\n")
	}
	if end > 0 && src[end-1] != '\n' {
		// The block ended the input without a newline; so does the edit.
		return edit{start: start, end: end, repl: strings.TrimRight(b.String(), "\n")}, true
	}
	return edit{start: start, end: end, repl: b.String()}, true
}

// neutraliseRefs replaces numeric character references that would decode to
// a control character, a surrogate, a marker rune or no character at all with
// U+FFFD. HTML allows the semicolon to be left out, so it is optional here.
func neutraliseRefs(s string) string {
	if !strings.Contains(s, "&#") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for {
		k := strings.Index(s[i:], "&#")
		if k < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		k += i
		b.WriteString(s[i:k])
		j := k + 2
		base := 10
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			base = 16
			j++
		}
		digits := j
		for j < len(s) && isDigit(s[j], base) {
			j++
		}
		if j == digits {
			b.WriteString(s[k:j])
			i = j
			continue
		}
		if j < len(s) && s[j] == ';' {
			j++
		}
		v, err := strconv.ParseUint(strings.TrimSuffix(s[digits:j], ";"), base, 32)
		if err != nil || badRef(rune(v)) {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[k:j])
		}
		i = j
	}
}

func isDigit(c byte, base int) bool {
	if c >= '0' && c <= '9' {
		return true
	}
	return base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
}

func badRef(r rune) bool {
	return r == 0 || r > unicode.MaxRune || (r >= 0xD800 && r <= 0xDFFF) || termsafe.Unsafe(r)
}
