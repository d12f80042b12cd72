package ui

import (
	"sort"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
)

// span is a range of cells on one rendered line.
type span struct {
	line, start, end int
}

// match is one occurrence of the search text in the rendered post. It starts
// on line, at cell start, and ends on the same line at cell end, unless the
// line breaker split it: then more holds its parts on the following lines
// (nil for the usual match on one line, so most matches allocate nothing).
type match struct {
	line, start, end int
	more             []span
}

// spans calls f for each part of m, first to last.
func (m match) spans(f func(span)) {
	f(span{m.line, m.start, m.end})
	for _, s := range m.more {
		f(s)
	}
}

// lastLine is the line m ends on.
func (m match) lastLine() int {
	if n := len(m.more); n > 0 {
		return m.more[n-1].line
	}
	return m.line
}

// searchIndex is the visible text of a post's rendered lines, lower-cased
// and joined so that a search can find a phrase the line breaker split.
// Each line contributes its text without ANSI styling and without the
// margins around it; consecutive lines are joined as the paragraph was
// before it was wrapped: with nothing between two CJK (wide) characters,
// which a break separates without a space, and with one space otherwise; a
// blank line joins as "\n", which no search text holds, so a match never
// crosses a paragraph. Built once per rendering (on the first search) and
// then read-only, so every keystroke is one strings.Index pass over it; it
// keeps only byte offsets per line, and cells are worked out again for the
// few lines that hold a match.
type searchIndex struct {
	text  string
	start []int32 // per line: where its text begins in text
	end   []int32 // per line: where it ends
}

// newSearchIndex indexes lines (which may hold ANSI styling).
func newSearchIndex(lines []string) *searchIndex {
	idx := &searchIndex{start: make([]int32, len(lines)), end: make([]int32, len(lines))}
	var b strings.Builder
	prevWide, prevBlank := false, true
	for i, l := range lines {
		t := foldLine(l)
		blank := t == ""
		if i > 0 {
			switch {
			case blank || prevBlank:
				b.WriteByte('\n')
			case !(prevWide && firstWide(t)):
				b.WriteByte(' ')
			}
		}
		idx.start[i] = int32(b.Len())
		b.WriteString(t)
		idx.end[i] = int32(b.Len())
		if !blank {
			prevWide = lastWide(t)
		}
		prevBlank = blank
	}
	idx.text = b.String()
	return idx
}

// plainLine is a rendered line's visible text, valid UTF-8 (invalid bytes
// count as U+FFFD, one cell), without trailing blanks; lead is the width of
// its leading blanks, which are cut too.
func plainLine(l string) (text string, lead int) {
	// Always through ansi.Strip, even with no escape in sight: it reads
	// invalid UTF-8 as lipgloss does when it styles the line.
	l = strings.TrimRight(strings.ToValidUTF8(ansi.Strip(l), "\uFFFD"), " ")
	t := strings.TrimLeft(l, " ")
	return t, len(l) - len(t) // spaces are one byte and one cell
}

// foldLine is what a line contributes to the index. strings.ToLower maps
// rune by rune, so lower-casing the line equals lower-casing its clusters
// one by one, as cellsOf does.
func foldLine(l string) string {
	t, _ := plainLine(l)
	return strings.ToLower(t)
}

// firstWide and lastWide report whether the first or last cluster of s is
// two cells wide, as CJK characters and punctuation are.
func firstWide(s string) bool {
	c, _, _, _ := uniseg.FirstGraphemeClusterInString(s, -1)
	return c != "" && ansi.StringWidth(c) > 1
}

func lastWide(s string) bool {
	// A cluster is a few runes; the last eight bytes hold the last rune
	// whole, which is what width depends on.
	tail := s[max(0, len(s)-8):]
	for len(tail) > 0 && !utf8.RuneStart(tail[0]) {
		tail = tail[1:]
	}
	var c string
	for state := -1; len(tail) > 0; {
		c, tail, _, state = uniseg.FirstGraphemeClusterInString(tail, state)
	}
	return c != "" && ansi.StringWidth(c) > 1
}

// lineCells maps byte offsets in one line's folded text to cells.
type lineCells struct {
	line   int
	starts []int // per grapheme cluster: byte offset in the folded text
	cols   []int // per cluster: its first cell; one more entry for the end
}

// walk folds line l cluster by cluster, so positions in the folded text map
// back to cells even where lower-casing changes the byte length.
func (c *lineCells) walk(line int, l string) {
	t, col := plainLine(l)
	c.line, c.starts, c.cols = line, c.starts[:0], c.cols[:0]
	off, state := 0, -1
	for rest := t; len(rest) > 0; {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		c.starts = append(c.starts, off)
		c.cols = append(c.cols, col)
		off += len(strings.ToLower(cluster))
		col += ansi.StringWidth(cluster) // as lipgloss counts cells
	}
	c.starts = append(c.starts, off)
	c.cols = append(c.cols, col)
}

// cell maps a byte offset to the first cell of its cluster; end offsets
// round up to the end of their cluster.
func (c *lineCells) cell(off int, roundUp bool) int {
	i := sort.SearchInts(c.starts, off)
	if i < len(c.starts) && c.starts[i] == off {
		return c.cols[i]
	}
	if roundUp {
		return c.cols[min(i, len(c.cols)-1)]
	}
	return c.cols[max(0, i-1)]
}

// find returns every case-insensitive occurrence of query in the indexed
// lines, in order, as spans of cells on those lines. Matches do not overlap.
func (idx *searchIndex) find(lines []string, query string) []match {
	// "\n" joins paragraphs in the index: a pasted one must not match it.
	q := strings.ReplaceAll(strings.ToLower(strings.ToValidUTF8(query, "\uFFFD")), "\n", " ")
	if strings.TrimSpace(q) == "" {
		return nil
	}
	var out []match
	var cells lineCells
	cells.line = -1
	for from := 0; from < len(idx.text); {
		i := strings.Index(idx.text[from:], q)
		if i < 0 {
			break
		}
		s, e := from+i, from+i+len(q)
		from = e
		// The line the match starts in, or the join before it.
		li := sort.Search(len(idx.start), func(j int) bool { return int(idx.start[j]) > s }) - 1
		var m match
		found := false
		for li = max(li, 0); li < len(lines) && int(idx.start[li]) < e; li++ {
			ls, le := int(idx.start[li]), int(idx.end[li])
			a, z := max(s, ls), min(e, le)
			if a >= z {
				continue // the match only touches this line's join
			}
			if cells.line != li {
				cells.walk(li, lines[li])
			}
			sp := span{li, cells.cell(a-ls, false), cells.cell(z-ls, true)}
			if sp.end <= sp.start {
				continue
			}
			if !found {
				m, found = match{line: sp.line, start: sp.start, end: sp.end}, true
			} else {
				m.more = append(m.more, sp)
			}
		}
		if found {
			out = append(out, m)
		}
	}
	return out
}

// highlight styles the matches in lines, which are the rendered lines from
// first on; the current match gets its own style.
func highlight(lines []string, first int, matches []match, current int, st *Styles) {
	// The first match that ends in view; matches do not overlap, so they
	// end in the same order they start.
	i := sort.Search(len(matches), func(i int) bool { return matches[i].lastLine() >= first })
	var ranges [][]lipgloss.Range
	for ; i < len(matches) && matches[i].line < first+len(lines); i++ {
		style := st.Match()
		if i == current {
			style = st.CurrentMatch()
		}
		matches[i].spans(func(s span) {
			if s.line < first || s.line >= first+len(lines) {
				return
			}
			if ranges == nil {
				ranges = make([][]lipgloss.Range, len(lines))
			}
			ranges[s.line-first] = append(ranges[s.line-first], lipgloss.NewRange(s.start, s.end, style))
		})
	}
	for j, r := range ranges {
		if len(r) > 0 {
			lines[j] = lipgloss.StyleRanges(lines[j], r...)
		}
	}
}
