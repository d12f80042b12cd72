package render

import (
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/termsafe"
)

// liquid resolves the Jekyll Liquid in a body, before it is parsed as
// Markdown (Liquid runs on the source text, as in Jekyll):
// {{ site.url }} and {{ site.baseurl }} (any spacing, with the relative_url
// and absolute_url filters) become the site's URL and base path; {% raw %}
// keeps its content as written; {% highlight lang %} becomes a fenced code
// block; {% comment %} drops its content; every other tag and output
// vanishes. Inside code blocks only the raw tags are removed: code such as
// Go templates keeps its braces. Finding the code blocks takes a parse of
// its own, only for a body that has both Liquid and code. (Package liquid,
// a real Liquid implementation, is to replace this.)
func liquid(p parser.Parser, md string, site content.Site) string {
	md = dropKramdownComments(md)
	return expandLiquid(md, site, codeRanges(p, []byte(md)))
}

// dropKramdownComments removes kramdown's comments, {::comment} … {:/comment}
// (or {:/}), with what they hold: kramdown never parses it. It runs on the
// text, before the parse, because a comment may span blocks.
func dropKramdownComments(s string) string {
	const open = "{::comment}"
	if !strings.Contains(s, open) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, open)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+len(open):]
		end, n := strings.Index(rest, "{:/comment}"), len("{:/comment}")
		if e := strings.Index(rest, "{:/}"); e >= 0 && (end < 0 || e < end) {
			end, n = e, len("{:/}")
		}
		if end < 0 {
			return b.String() // unclosed: a comment to the end, as in kramdown
		}
		s = rest[end+n:]
	}
}

// clean normalises line endings and neutralises what termsafe.String does
// (controls, invalid UTF-8, the runes reserved for markers).
func clean(s string) string {
	return termsafe.String(strings.ReplaceAll(s, "\r\n", "\n"))
}

// codeRanges returns the byte ranges of the code blocks in src, in order.
func codeRanges(p parser.Parser, src []byte) [][2]int {
	s := string(src)
	if (!strings.Contains(s, "{{") && !strings.Contains(s, "{%")) || !mayHaveCode(s) {
		return nil
	}
	var rs [][2]int
	_ = ast.Walk(parse(p, src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
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
	b := make([]byte, 0, len(s))
	ci := 0
	inCode := func(pos int) bool {
		for ci < len(code) && code[ci][1] <= pos {
			ci++
		}
		return ci < len(code) && code[ci][0] <= pos
	}
	i := 0
	for i < len(s) {
		start := i // s[start:j] is copied to b as it is
		j := indexLiquid(s, i)
		if j < 0 {
			b = append(b, s[i:]...)
			break
		}
		b = append(b, s[i:j]...)
		isCode := inCode(j)
		if s[j+1] == '{' {
			end := strings.Index(s[j+2:], "}}")
			if isCode || end < 0 {
				b = append(b, "{{"...)
				i = j + 2
				continue
			}
			b = append(b, liquidOutput(s[j+2:j+2+end], site)...)
			i = j + 2 + end + 2
			continue
		}
		end := strings.Index(s[j+2:], "%}")
		if end < 0 {
			b = append(b, "{%"...)
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
			b = append(b, s[next:k]...)
			i = after
		case name == "endraw":
			i = next
		case isCode:
			b = append(b, s[j:next]...)
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
			b = append(b, fence+lang+code+fence...)
			i = after
		default:
			i = next // every other tag vanishes
			// Alone on its line, with its line: a line of spaces left
			// behind would end an HTML block around it, and the indented
			// rest of the block would become code.
			ls := strings.LastIndexByte(s[:j], '\n') + 1
			le := strings.IndexByte(s[next:], '\n')
			if le >= 0 && ls >= start && strings.TrimSpace(s[ls:j]) == "" && strings.TrimSpace(s[next:next+le]) == "" {
				b = b[:len(b)-(j-ls)]
				i = next + le + 1
			}
		}
	}
	return string(b)
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
