package audit

import (
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"github.com/sshblog/sshblog/content/linebreak"
)

// Lines measures how text was broken into lines at one width. Lines of
// code (as the source shows them) are left out of everything but Widest and
// Over: code is not re-wrapped.
type Lines struct {
	Width  int // the width rendered for, in cells
	Widest int // the widest line, in cells
	Over   int // lines wider than Width
	// OverLine is the first line wider than Width, without escapes.
	OverLine string
	// Wrapped counts the lines of CJK paragraphs that the next line
	// continues: the lines a line breaker filled. Fill sums their widths
	// as a fraction of Width, so Fill/Wrapped is their mean fill (at most
	// (Width-2)/Width with the renderer's two-cell margins).
	Wrapped int
	Fill    float64
	// BadStarts counts the lines that continue a paragraph (of any
	// script) and begin with a character that must not begin a line
	// (closing brackets and quotes, commas, full stops, ...: the kinsoku
	// rules of package wrap); BadStart is the first of them.
	BadStarts int
	BadStart  string
}

// Add adds the counts of m to l, for a total over many texts. Widest
// becomes the wider of the two.
func (l *Lines) Add(m Lines) {
	l.Widest = max(l.Widest, m.Widest)
	l.Over += m.Over
	if l.OverLine == "" {
		l.OverLine = m.OverLine
	}
	l.Wrapped += m.Wrapped
	l.Fill += m.Fill
	l.BadStarts += m.BadStarts
	if l.BadStart == "" {
		l.BadStart = m.BadStart
	}
}

// MeanFill is Fill/Wrapped, 0 when nothing was wrapped.
func (l Lines) MeanFill() float64 {
	if l.Wrapped == 0 {
		return 0
	}
	return l.Fill / float64(l.Wrapped)
}

// MeasureLines measures rendered, the terminal text that source (a post's
// Markdown body) rendered to at width cells.
//
// A line continues the one before when both have text, neither is code
// or part of a table, and it is indented at least as deep (a list item's
// continuation is indented under its text); a line starting with a list
// bullet starts something new.
func MeasureLines(source, rendered string, width int) Lines {
	code := codeOf(source)
	m := Lines{Width: width}
	type row struct {
		text   string // without indentation and quote bars
		indent int
		cells  int
		prose  bool // text that is not code or a table
	}
	var rows []row
	for _, raw := range strings.Split(rendered, "\n") {
		cells := xansi.StringWidth(raw)
		m.Widest = max(m.Widest, cells)
		plain := xansi.Strip(raw)
		if cells > width {
			m.Over++
			if m.OverLine == "" {
				m.OverLine = plain
			}
		}
		text := stripQuote(plain)
		r := row{text: strings.TrimRightFunc(text, isSpace), indent: len(plain) - len(strings.TrimLeft(plain, " ")), cells: cells}
		r.prose = r.text != "" && !strings.ContainsAny(r.text, "│┃─┼┬┴╭╮╰╯") && !code.hasLineExact(r.text)
		rows = append(rows, r)
	}
	// A line of code cut at the edge goes on after linebreak.Continued on
	// the next line: neither part is a line of the source's code as it is.
	for i, r := range rows {
		if strings.HasPrefix(r.text, linebreak.Continued) {
			rows[i].prose = false
			if i > 0 {
				rows[i-1].prose = false
			}
		}
	}
	for i := 0; i+1 < len(rows); i++ {
		a, b := rows[i], rows[i+1]
		if !a.prose || !b.prose || b.indent < a.indent || bullet(b.text) {
			continue
		}
		if strings.IndexFunc(a.text, linebreak.IsCJK) >= 0 {
			m.Wrapped++
			m.Fill += float64(a.cells) / float64(width)
		}
		if g, _, _, _ := uniseg.FirstGraphemeClusterInString(b.text, -1); linebreak.NoStart(g) {
			m.BadStarts++
			if m.BadStart == "" {
				m.BadStart = a.text + " / " + b.text
			}
		}
	}
	return m
}

// hasLineExact reports whether a rendered line is exactly a line of code.
// Unlike hasLine it never searches, so it is cheap enough for every line.
func (c *code) hasLineExact(line string) bool { return c.lines[norm(line)] }

// bullet reports whether a line starts a list item.
func bullet(s string) bool {
	for _, b := range []string{"• ", "- ", "* ", "◦ ", "▪ ", "[ ] ", "[x] ", "[✓] "} {
		if strings.HasPrefix(s, b) {
			return true
		}
	}
	// "1. " and the like.
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	return i > 0 && strings.HasPrefix(s[i:], ". ")
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' }
