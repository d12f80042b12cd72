package audit

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/sshblog/sshblog/content/linebreak"
)

// code is what a post's source shows as code, normalised (see norm): its
// lines, to tell a rendered line of code by, and all of it as one text, to
// tell a piece of a code span by.
type code struct {
	lines map[string]bool
	text  string // every line and span, "\n" between
	prose string // the source with the code blanked out, newlines kept
}

// Liquid and Hugo blocks whose content is code, or text shown literally.
var literalBlocks = []*regexp.Regexp{
	regexp.MustCompile(`(?s)\{%-?\s*highlight\b[^%]*-?%\}(.*?)\{%-?\s*endhighlight\s*-?%\}`),
	regexp.MustCompile(`(?s)\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}`),
	regexp.MustCompile(`(?s)\{\{[<%]\s*highlight\b.*?[>%]\}\}(.*?)\{\{[<%]\s*/highlight\s*[>%]\}\}`),
	regexp.MustCompile(`(?s)<pre\b[^>]*>(.*?)</pre>`),
}

// codeOf finds the code in source. It parses the Markdown with goldmark
// (CommonMark: fenced and indented blocks, code spans) after taking out
// the Liquid and Hugo blocks that goldmark sees as paragraphs.
func codeOf(source string) *code {
	c := &code{lines: map[string]bool{}}
	var all []string
	prose := []byte(source)
	blank := func(start, stop int) {
		for i := start; i < stop; i++ {
			if prose[i] != '\n' {
				prose[i] = ' '
			}
		}
	}
	add := func(s string) {
		for _, l := range strings.Split(s, "\n") {
			if n := norm(l); n != "" {
				c.lines[n] = true
				all = append(all, n)
			}
		}
	}
	for _, re := range literalBlocks {
		for _, m := range re.FindAllSubmatchIndex(prose, -1) {
			// The content, and the lines with the tags as they stand (a
			// <pre> in a fenced block's Javadoc is that block's line).
			add(string(prose[m[2]:m[3]]))
			add(string(prose[lineStart(prose, m[0]):m[1]]))
			blank(m[0], m[1])
		}
	}
	src := append([]byte(nil), prose...)
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				add(string(seg.Value(src)))
				blank(seg.Start, seg.Stop)
			}
			if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
				blank(f.Info.Segment.Start, f.Info.Segment.Stop)
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			// Raw HTML, not prose: a $ in an attribute is not math.
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				blank(seg.Start, seg.Stop)
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				blank(seg.Start, seg.Stop)
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			var b strings.Builder
			for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if t, ok := ch.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
					blank(t.Segment.Start, t.Segment.Stop)
				}
			}
			if s := norm(b.String()); s != "" {
				all = append(all, s)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	// HTML comments show nothing: what they hold is not prose.
	for _, m := range commentRE.FindAllIndex(prose, -1) {
		blank(m[0], m[1])
	}
	c.text = "\n" + strings.Join(all, "\n") + "\n"
	c.prose = string(prose)
	return c
}

// addLiteral adds text shown as written (math) to what is looked up as
// code: whatever markup it holds is the author's.
func (c *code) addLiteral(texts ...string) {
	for _, t := range texts {
		if n := norm(t); n != "" {
			c.text += n + "\n"
		}
	}
}

// lineStart returns the index of the start of the line of s holding i.
func lineStart(s []byte, i int) int { return bytes.LastIndexByte(s[:i], '\n') + 1 }

// hasLine reports whether a rendered line (trimmed) is a line of code, or
// a piece of one (a long line cut at the screen's edge, with a marker).
func (c *code) hasLine(line string) bool {
	n := norm(line)
	if n == "" {
		return false
	}
	if c.lines[n] {
		return true
	}
	if utf8.RuneCountInString(n) < 4 {
		return false
	}
	// A line cut at the edge goes on after linebreak.Continued on the next
	// line; an older renderer ended a cut line with a marker instead.
	n = strings.TrimSpace(strings.TrimPrefix(n, linebreak.Continued))
	if r, size := utf8.DecodeLastRuneInString(n); r > 0x7F {
		n = strings.TrimSpace(n[:len(n)-size])
	}
	return strings.Contains(c.text, n)
}

// hasPiece reports whether the match s[i:j] of a rendered line is in the
// source's code, looked up with a few runes of what follows it or of what
// precedes it (a code span in prose has prose on one side or both). A side
// with fewer than three runes besides the match tells nothing and is not
// looked up.
func (c *code) hasPiece(s string, i, j int) bool {
	start, end := i, j
	for n := 0; n < 6 && start > 0; n++ {
		start = prevRune(s, start)
	}
	for n := 0; n < 6 && end < len(s); n++ {
		end = nextRune(s, end)
	}
	// A short span alone (`<b>`), or one word of code in prose.
	ws, we := i, j
	for ws > 0 && s[ws-1] != ' ' {
		ws--
	}
	for we < len(s) && s[we] != ' ' {
		we++
	}
	for _, whole := range []string{norm(s), norm(s[i:j]), norm(s[ws:we])} {
		if whole != "" && strings.Contains(c.text, "\n"+whole+"\n") {
			return true
		}
	}
	// A code span broken over two lines: the word ends one on the next
	// line's start (`/skill <name>`), or starts one at a line's end.
	if word := norm(s[ws:we]); word != "" {
		if strings.TrimSpace(s[:ws]) == "" && strings.Contains(c.text, " "+word+"\n") {
			return true
		}
		if strings.TrimSpace(s[we:]) == "" && strings.Contains(c.text, "\n"+word+" ") {
			return true
		}
	}
	match := utf8.RuneCountInString(norm(s[i:j]))
	for _, side := range []string{norm(s[start:j]), norm(s[i:end])} {
		if utf8.RuneCountInString(side)-match >= 3 && strings.Contains(c.text, side) {
			return true
		}
	}
	// Less of the line either side: a short code span in prose ("2 ** N"),
	// or one broken over two lines ("2" ending one, "** N" starting the
	// next), has only a little of itself beside the match.
	for e := nextRune(s, j); e < end; e = nextRune(s, e) {
		if p := norm(s[i:e]); utf8.RuneCountInString(p)-match >= 2 && strings.Contains(c.text, p) {
			return true
		}
	}
	for b := prevRune(s, i); b > start; b = prevRune(s, b) {
		if p := norm(s[b:j]); utf8.RuneCountInString(p)-match >= 2 && strings.Contains(c.text, p) {
			return true
		}
	}
	return false
}

// norm collapses runs of white space into one space and trims the ends:
// the renderer indents code, expands tabs and pads code spans.
func norm(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

var (
	displayMath = regexp.MustCompile(`(?s)\$\$(.+?)\$\$`)
	parenMath   = regexp.MustCompile(`(?s)\\\\?\((.+?)\\\\?\)`)
	bracketMath = regexp.MustCompile(`(?s)\\\\?\[(.+?)\\\\?\]`)
	dollarMath  = regexp.MustCompile(`(?:^|[^$\\0-9])\$([^$\s](?:[^$\n]*[^$\s])?)\$(?:[^$0-9]|$)`)
)

// formula is a piece of math in a post's source.
type formula struct {
	tex     string // as written between its delimiters
	written string // with its delimiters
	table   bool   // in a line of a table, whose cells a narrow screen breaks
	// escaped is set for math that kramdown reads as Markdown text and
	// MathJax finds in the page (\\( \\), \\[ \\], $ $): its backslash
	// escapes (\_ for _) are Markdown's, so it may show without them.
	escaped bool
}

// mathOf returns the formulas in the source's prose: $$...$$ (kramdown's
// math), \(...\) and \[...\] (MathJax's), and $...$ when it holds TeX (a
// backslash, ^, _ or a brace), so that prices are not taken for math.
func mathOf(c *code) []formula {
	var out []formula
	tex := func(s string) bool { return strings.ContainsAny(s, `\^_{`) }
	rest := []byte(c.prose)
	// Each paragraph apart: no formula runs across a blank line, so a stray
	// delimiter (an escaped bracket, \[1\]) cannot take the paragraphs after
	// it for math.
	var paras [][2]int
	for start := 0; start < len(rest); {
		end := bytes.Index(rest[start:], []byte("\n\n"))
		if end < 0 {
			end = len(rest)
		} else {
			end += start
		}
		paras = append(paras, [2]int{start, end})
		start = end + 2
	}
	found := func(re *regexp.Regexp, needTeX bool) {
		escaped := re != displayMath
		for _, para := range paras {
			for _, m := range re.FindAllSubmatchIndex(rest[para[0]:para[1]], -1) {
				for i := range m {
					m[i] += para[0]
				}
				s := strings.TrimSpace(unquote(string(rest[m[2]:m[3]])))
				table := inTableRow(rest, m[0])
				// In a table row an unescaped | ends the cell, math or not:
				// "$ | end of line | ^ |" is two cells, not a formula.
				cells := table && strings.Contains(strings.ReplaceAll(s, `\|`, ""), "|")
				if s != "" && (!needTeX || tex(s)) && !strings.Contains(s, "](") && !cells {
					out = append(out, formula{tex: s, written: string(rest[m[0]:m[1]]), table: table, escaped: escaped})
				}
				for i := m[0]; i < m[1]; i++ { // taken: no other pattern sees it
					if rest[i] != '\n' {
						rest[i] = ' '
					}
				}
			}
		}
	}
	found(displayMath, false)
	found(parenMath, true)
	found(bracketMath, true)
	found(dollarMath, true)
	return out
}

// mdEscape is a Markdown backslash escape: a backslash before ASCII
// punctuation.
var mdEscape = regexp.MustCompile("\\\\([!\"#$%&'()*+,./:;<=>?@\\[\\\\\\]^_`{|}~-])")

// unescape removes Markdown's backslash escapes from s.
func unescape(s string) string { return mdEscape.ReplaceAllString(s, "$1") }

// quoteMarks are a block quote's markers at the start of a line.
var quoteMarks = regexp.MustCompile(`(?m)^[ \t]*(>[ \t]?)+`)

// unquote drops the block quote markers of a formula written over the lines
// of a block quote: they are the quote's, not the formula's.
func unquote(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	lines := strings.SplitAfter(s, "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = quoteMarks.ReplaceAllString(lines[i], "")
	}
	return strings.Join(lines, "")
}

// inTableRow reports whether the line of s around i is a row of a table.
func inTableRow(s []byte, i int) bool {
	start := bytes.LastIndexByte(s[:i], '\n') + 1
	end := bytes.IndexByte(s[i:], '\n')
	if end < 0 {
		end = len(s) - i
	}
	return bytes.Count(s[start:i+end], []byte("|")) >= 2
}

// shown reports whether formula f is in flat, the rendered text without
// white space. A formula in a table may be broken over the lines of its
// cell, between pieces of the cells beside it: it is looked for as the runes
// in order from where its first runes are, within a few times its length.
func (f formula) shown(flat string) bool {
	if f.escaped && f.tex != unescape(f.tex) {
		g := f
		g.tex, g.escaped = unescape(f.tex), false
		if g.shown(flat) {
			return true
		}
	}
	tex := squash(f.tex)
	if strings.Contains(flat, tex) {
		return true
	}
	if !f.table {
		return false
	}
	// A narrow cell holds as little as two or three runes a line.
	head := tex
	if r := []rune(tex); len(r) > 2 {
		head = string(r[:2])
	}
	for off := 0; ; {
		i := strings.Index(flat[off:], head)
		if i < 0 {
			return false
		}
		off += i
		window := []rune(flat[off:min(len(flat), off+4*(12*len(tex)+400))])
		window = window[:min(len(window), 12*len(tex)+400)]
		want := []rune(tex)
		for _, r := range window {
			if len(want) > 0 && r == want[0] {
				want = want[1:]
			}
		}
		if len(want) == 0 {
			return true
		}
		off += len(head)
	}
}
