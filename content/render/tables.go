package render

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/theme"
)

// Tables are the one block Glamour must lay out at the real width: with word
// wrap off it draws them at their natural width, and a table re-wrapped as
// text is unreadable. So the transform replaces each table in the tree
// with a code block holding tablePlace; the document is rendered, then each
// table's subtree is rendered alone at the width left beside the
// placeholder's indent and spliced in as preformatted lines (cut hard only
// if its columns cannot shrink enough).

// tablePlace marks where a table was. It is a marker rune, so content
// cannot contain it.
const tablePlace = '\uFDD5'

// spliceTables replaces the placeholder code blocks in raw (Glamour's
// output) with the tables rendered for width cells.
func (r *Renderer) spliceTables(raw string, d *doc, th theme.Theme, narrow bool, width int) (string, error) {
	tables := d.tables
	codeMargin := 0
	if m := r.styles[styleKey{th, narrow}].CodeBlock.Margin; m != nil {
		codeMargin = int(*m)
	}
	lines := strings.Split(raw, "\n")
	out := make([]string, 0, len(lines))
	k := 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		at := strings.IndexRune(l, linebreak.PreStart)
		if k >= len(tables) || at < 0 || !strings.ContainsRune(l, tablePlace) {
			out = append(out, l)
			continue
		}
		// Skip the placeholder block, up to the line ending it.
		for i < len(lines) && !strings.ContainsRune(lines[i], linebreak.PreEnd) {
			i++
		}
		prefix := dropTrailingSpaces(l[:at], codeMargin)
		avail := width - ansi.StringWidth(strings.Map(dropMarker, prefix))
		rows, err := r.renderTable(tables[k], d.src, th, avail)
		if err != nil {
			return "", err
		}
		k++
		rows[0] = string(linebreak.PreStart) + rows[0]
		for _, row := range rows {
			out = append(out, prefix+row)
		}
		// A blank line ends the block, as the code block's last line did.
		out = append(out, string(linebreak.PreEnd))
	}
	return strings.Join(out, "\n"), nil
}

// renderTable renders a table at its natural width if that fits in avail
// cells, else laid out for avail cells (see layoutTable), and returns its
// lines without blank ones at either end.
func (r *Renderer) renderTable(table *extast.Table, src []byte, th theme.Theme, avail int) ([]string, error) {
	tdoc := ast.NewDocument()
	tdoc.AppendChild(tdoc, table)
	t, err := r.glamour(tdoc, src, th, true)
	if err != nil {
		return nil, err
	}
	rows := trimBlank(strings.Split(t, "\n"))
	widest := 0
	for _, row := range rows {
		widest = max(widest, ansi.StringWidth(row))
	}
	if widest > avail {
		// Where not even two cells a column fit, the natural layout stays
		// and its lines are cut hard, like code: cramped, but no text is
		// lost (Glamour's own narrow layout cuts cells short with "…").
		if laid, ok := layoutTable(rows, table.Alignments, avail); ok {
			rows = laid
		}
	}
	if len(rows) == 0 {
		rows = []string{""}
	}
	return rows, nil
}

// layoutTable lays out again, for avail cells, a table that Glamour drew at
// its natural width (rows: one line per table row, the header's rule among
// them), and reports whether it could.
//
// Glamour lays tables out with lipgloss, which cuts a cell's text without
// spaces (all of CJK) anywhere, so "，" or "。" may begin a line of a cell.
// Here each cell's styled text is taken from the natural layout, where no
// cell is wrapped, the columns get widths that fit, and each cell is broken
// by linebreak.Lines, as the rest of the post is. Columns narrower than their
// text share the room left by the others equally.
func layoutTable(rows []string, aligns []extast.Alignment, avail int) ([]string, bool) {
	rule := -1
	for i, row := range rows {
		if isRule(ansi.Strip(row)) {
			rule = i
			break
		}
	}
	if rule < 0 {
		return nil, false
	}
	plainRule := ansi.Strip(rows[rule])
	glyphs := []rune(strings.TrimLeft(plainRule, " "))
	indent := len(plainRule) - len(string(glyphs)) // leading spaces are one byte each
	line := glyphs[0]
	// Column k spans cells [bounds[k], bounds[k+1]-1); a separator is
	// between them.
	bounds := []int{indent}
	for i, g := range glyphs {
		if g != line {
			bounds = append(bounds, indent+i+1)
		}
	}
	end := indent + len(glyphs)
	bounds = append(bounds, end+1)
	n := len(bounds) - 1

	// The cells' text, and the glyph between columns, from the other rows.
	sep := ""
	cells := make([][]string, 0, len(rows))
	natural := make([]int, n)
	for i, row := range rows {
		if i == rule {
			cells = append(cells, nil)
			continue
		}
		if ansi.StringWidth(row) > end {
			return nil, false // not the layout expected
		}
		rowCells := make([]string, n)
		for k := range n {
			if k > 0 {
				g := ansi.Strip(cutCells(row, bounds[k]-1, bounds[k]))
				if sep == "" {
					sep = g
				}
				if g != sep || strings.TrimSpace(g) == "" {
					return nil, false
				}
			}
			rowCells[k] = cellText(row, bounds[k], bounds[k+1]-1)
			natural[k] = max(natural[k], ansi.StringWidth(rowCells[k]))
		}
		cells = append(cells, rowCells)
	}

	// Each cell has a space either side; separators between columns.
	widths, ok := shareWidths(natural, avail-indent-3*n+1)
	if !ok {
		return nil, false
	}

	pad := strings.Repeat(" ", indent)
	var out []string
	for i, rowCells := range cells {
		if rowCells == nil {
			out = append(out, ruleFor(rows[i], glyphs, widths))
			continue
		}
		wrapped := make([][]string, n)
		height := 1
		for k, c := range rowCells {
			if ansi.StringWidth(c) > widths[k] {
				wrapped[k] = strings.Split(linebreak.Lines(c, widths[k]), "\n")
			} else {
				wrapped[k] = []string{c}
			}
			height = max(height, len(wrapped[k]))
		}
		for h := range height {
			var b strings.Builder
			b.WriteString(pad)
			for k := range n {
				if k > 0 {
					b.WriteString(sep)
				}
				text := ""
				if h < len(wrapped[k]) {
					text = wrapped[k][h]
				}
				align := extast.AlignNone
				if k < len(aligns) {
					align = aligns[k]
				}
				b.WriteString(" " + alignCell(text, widths[k], align) + " ")
			}
			out = append(out, b.String())
		}
	}
	return out, true
}

// isRule reports whether a plain line is a table's rule: after its indent,
// one glyph repeated, with another (the columns' crossing) between columns;
// no space, letter or digit.
func isRule(l string) bool {
	glyphs := map[rune]bool{}
	for _, r := range strings.TrimLeft(l, " ") {
		if r == ' ' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
		glyphs[r] = true
	}
	return len(glyphs) == 1 || len(glyphs) == 2
}

// ruleFor is the rule line raw, drawn with glyphs (one repeated, another
// where columns cross), drawn for widths instead, in raw's style.
func ruleFor(raw string, glyphs []rune, widths []int) string {
	line, cross := glyphs[0], glyphs[0]
	for _, g := range glyphs {
		if g != line {
			cross = g
			break
		}
	}
	parts := make([]string, len(widths))
	for k, w := range widths {
		parts[k] = strings.Repeat(string(line), w+2)
	}
	run := strings.Join(parts, string(cross))
	if old := string(glyphs); strings.Contains(raw, old) {
		return strings.Replace(raw, old, run, 1)
	}
	return strings.Repeat(" ", ansi.StringWidth(raw)-len(glyphs)) + run
}

// shareWidths gives columns whose text is natural cells wide at most budget
// cells in all: a column that fits in an equal share of what is left keeps
// its width, the others share the rest. It fails when a column would get
// fewer than linebreak.MinWidth cells.
func shareWidths(natural []int, budget int) ([]int, bool) {
	widths := make([]int, len(natural))
	open := make([]int, 0, len(natural))
	total := 0
	for k, w := range natural {
		open = append(open, k)
		total += w
	}
	if total <= budget {
		copy(widths, natural)
		return widths, true
	}
	for {
		share := budget / max(len(open), 1)
		rest := open[:0:0]
		for _, k := range open {
			if natural[k] <= share {
				widths[k] = natural[k]
				budget -= natural[k]
			} else {
				rest = append(rest, k)
			}
		}
		if len(rest) == len(open) || len(rest) == 0 {
			open = rest
			break
		}
		open = rest
	}
	if len(open) == 0 {
		return widths, true
	}
	share, extra := budget/len(open), budget%len(open)
	if share < linebreak.MinWidth {
		return nil, false
	}
	for i, k := range open {
		widths[k] = share
		if i < extra {
			widths[k]++
		}
	}
	return widths, true
}

// alignCell pads text (which fits) to width cells as align says.
func alignCell(text string, width int, align extast.Alignment) string {
	gap := max(width-ansi.StringWidth(text), 0)
	switch align {
	case extast.AlignRight:
		return strings.Repeat(" ", gap) + text
	case extast.AlignCenter:
		return strings.Repeat(" ", gap/2) + text + strings.Repeat(" ", gap-gap/2)
	default:
		return text + strings.Repeat(" ", gap)
	}
}

// cellText is the text of the cell from cell left to cell right of a table
// row, without the spaces around it, its styles closed at its end.
func cellText(row string, left, right int) string {
	text := trimSpaces(cutCells(row, left, right))
	if strings.Contains(text, "\x1b[") && !strings.HasSuffix(text, ansi.ResetStyle) {
		text += ansi.ResetStyle
	}
	return text
}

// cutCells returns the part of s from cell left to cell right, with only the
// escape sequences inside it (ansi.Cut keeps all of s's).
func cutCells(s string, left, right int) string {
	var b strings.Builder
	pos := 0
	for _, p := range pieces(s) {
		if pos >= right {
			break
		}
		if pos >= left && pos+p.width <= right {
			b.WriteString(p.s)
		}
		pos += p.width
	}
	return b.String()
}

// trimSpaces removes the spaces at both ends of s, keeping its escape
// sequences.
func trimSpaces(s string) string {
	ps := pieces(s)
	first, last := len(ps), -1
	for i, p := range ps {
		if p.width > 0 && p.s != " " {
			first = min(first, i)
			last = i
		}
	}
	var b strings.Builder
	for i, p := range ps {
		if p.s == " " && (i < first || i > last) {
			continue
		}
		b.WriteString(p.s)
	}
	return b.String()
}

// piece is a grapheme cluster or an escape sequence of a styled string, and
// its width in cells (0 for a sequence).
type piece struct {
	s     string
	width int
}

// pieces cuts s into its grapheme clusters and escape sequences.
func pieces(s string) []piece {
	var ps []piece
	for rest := s; len(rest) > 0; {
		seq, w, size, _ := ansi.DecodeSequence(rest, ansi.NormalState, nil)
		if size <= 0 {
			seq, size = rest[:1], 1
		}
		ps = append(ps, piece{seq, w})
		rest = rest[size:]
	}
	return ps
}

// trimBlank drops the blank lines at both ends of lines.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && isBlank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func dropMarker(r rune) rune {
	if linebreak.IsMarker(r) {
		return -1
	}
	return r
}

// dropTrailingSpaces removes the last n spaces of s, keeping its escape
// sequences.
func dropTrailingSpaces(s string, n int) string {
	ps := pieces(s)
	for i := len(ps) - 1; i >= 0 && n > 0; i-- {
		if ps[i].s == " " {
			ps[i].s = ""
			n--
		}
	}
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.s)
	}
	return b.String()
}
