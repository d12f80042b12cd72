package ui

import (
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
)

// match is one occurrence of the search text in the rendered post: a line
// and a range of cells in it.
type match struct {
	line, start, end int
}

// findMatches returns every case-insensitive occurrence of query in lines
// (which may hold ANSI styling), in order. Matches do not span lines and do
// not overlap.
func findMatches(lines []string, query string) []match {
	// Rendered text is valid UTF-8; should it not be, invalid bytes count
	// as U+FFFD, one cell.
	q := strings.ToLower(strings.ToValidUTF8(query, "\uFFFD"))
	if strings.TrimSpace(q) == "" {
		return nil
	}
	var out []match
	var folded strings.Builder
	var starts, cols []int // per grapheme cluster: byte offset in folded text, first cell
	for li, line := range lines {
		plain := strings.ToValidUTF8(ansi.Strip(line), "\uFFFD")
		if !strings.Contains(strings.ToLower(plain), q) {
			continue
		}
		// Fold cluster by cluster so positions in the folded text map back
		// to cells even where lower-casing changes the byte length.
		folded.Reset()
		starts, cols = starts[:0], cols[:0]
		col, state := 0, -1
		rest := plain
		for len(rest) > 0 {
			var cluster string
			cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
			starts = append(starts, folded.Len())
			cols = append(cols, col)
			folded.WriteString(strings.ToLower(cluster))
			col += ansi.StringWidth(cluster) // as lipgloss counts cells
		}
		starts = append(starts, folded.Len())
		cols = append(cols, col)
		text := folded.String()
		// cellAt maps a byte offset to the first cell of its cluster; end
		// offsets round up to the end of their cluster.
		cellAt := func(off int, roundUp bool) int {
			i := sort.SearchInts(starts, off)
			if i < len(starts) && starts[i] == off {
				return cols[i]
			}
			if roundUp {
				return cols[min(i, len(cols)-1)]
			}
			return cols[max(0, i-1)]
		}
		for from := 0; from < len(text); {
			i := strings.Index(text[from:], q)
			if i < 0 {
				break
			}
			s, e := from+i, from+i+len(q)
			if cs, ce := cellAt(s, false), cellAt(e, true); ce > cs {
				out = append(out, match{line: li, start: cs, end: ce})
			}
			from = e
		}
	}
	return out
}

// highlight styles the matches in lines, which are the rendered lines from
// first on; the current match gets its own style.
func highlight(lines []string, first int, matches []match, current int, st *Styles) {
	i := sort.Search(len(matches), func(i int) bool { return matches[i].line >= first })
	for i < len(matches) && matches[i].line < first+len(lines) {
		line := matches[i].line
		var ranges []lipgloss.Range
		for ; i < len(matches) && matches[i].line == line; i++ {
			style := st.Match()
			if i == current {
				style = st.CurrentMatch()
			}
			ranges = append(ranges, lipgloss.NewRange(matches[i].start, matches[i].end, style))
		}
		lines[line-first] = lipgloss.StyleRanges(lines[line-first], ranges...)
	}
}
