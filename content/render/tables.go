package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render/wrap"
)

// Tables are the one block Glamour must lay out at the real width: with word
// wrap off it draws them at their natural width, and a table re-wrapped as
// text is unreadable. So each table is cut out of the document and replaced
// by a code block holding tablePlace; the document is rendered, then each
// table is rendered alone at the width left beside the placeholder's
// indent and spliced in as preformatted lines (cut hard only if its columns
// cannot shrink enough).

// tablePlace marks where a table was. It is a marker rune, so content
// cannot contain it.
const tablePlace = '\uFDD5'

// extractTables replaces each table in md with a placeholder code block and
// returns the tables' Markdown, in document order.
func extractTables(md string) (string, []string) {
	if !strings.Contains(md, "|") {
		return md, nil
	}
	src := []byte(md)
	type span struct {
		start, end int // lines replaced
		prefix     string
		table      string
	}
	var spans []span
	_ = ast.Walk(parse(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Kind() != extast.KindTable {
			return ast.WalkContinue, nil
		}
		first, last := -1, -1
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if t, ok := c.(*ast.Text); ok && entering {
				if first < 0 || t.Segment.Start < first {
					first = t.Segment.Start
				}
				last = max(last, t.Segment.Stop)
			}
			return ast.WalkContinue, nil
		})
		if first < 0 {
			return ast.WalkSkipChildren, nil // a table of empty cells stays
		}
		start := strings.LastIndexByte(md[:first], '\n') + 1
		line := md[start:]
		line, _, _ = strings.Cut(line, "\n")
		prefix := line[:len(line)-len(strings.TrimLeft(line, " \t>"))]
		end := start
		var rows []string
		for end < len(md) {
			l, _, _ := strings.Cut(md[end:], "\n")
			row, ok := strings.CutPrefix(l, prefix)
			if end > start && (!ok || strings.TrimSpace(row) == "" || (end >= last && !strings.Contains(row, "|"))) {
				break
			}
			rows = append(rows, row)
			end += len(l)
			if end < len(md) {
				end++ // the newline
			}
		}
		spans = append(spans, span{start, end, prefix, strings.Join(rows, "\n") + "\n"})
		return ast.WalkSkipChildren, nil
	})
	if len(spans) == 0 {
		return md, nil
	}
	var b strings.Builder
	tables := make([]string, 0, len(spans))
	pos := 0
	for _, s := range spans {
		if s.start < pos {
			continue
		}
		b.WriteString(md[pos:s.start])
		fence := fenceFor(s.table)
		b.WriteString(s.prefix + fence + "\n" + s.prefix + string(tablePlace) + "\n" + s.prefix + fence + "\n")
		tables = append(tables, s.table)
		pos = s.end
	}
	b.WriteString(md[pos:])
	return b.String(), tables
}

// spliceTables replaces the placeholder code blocks in raw (Glamour's
// output) with the tables rendered for width cells.
func (r *Renderer) spliceTables(raw string, tables []string, site content.Site, theme Theme, narrow bool, width int) (string, error) {
	codeMargin := 0
	if m := r.styles[styleKey{theme, narrow}].CodeBlock.Margin; m != nil {
		codeMargin = int(*m)
	}
	lines := strings.Split(raw, "\n")
	out := make([]string, 0, len(lines))
	k := 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		at := strings.IndexRune(l, wrap.PreStart)
		if k >= len(tables) || at < 0 || !strings.ContainsRune(l, tablePlace) {
			out = append(out, l)
			continue
		}
		// Skip the placeholder block, up to the line ending it.
		for i < len(lines) && !strings.ContainsRune(lines[i], wrap.PreEnd) {
			i++
		}
		prefix := dropTrailingSpaces(l[:at], codeMargin)
		avail := width - ansi.StringWidth(strings.Map(dropMarker, prefix))
		rows, err := r.renderTable(tables[k], site, theme, avail)
		if err != nil {
			return "", err
		}
		k++
		rows[0] = string(wrap.PreStart) + rows[0]
		for _, row := range rows {
			out = append(out, prefix+row)
		}
		// A blank line ends the block, as the code block's last line did.
		out = append(out, string(wrap.PreEnd))
	}
	return strings.Join(out, "\n"), nil
}

// renderTable renders a table at its natural width if that fits in avail
// cells, else laid out for avail cells, and returns its lines without blank
// ones at either end.
func (r *Renderer) renderTable(table string, site content.Site, theme Theme, avail int) ([]string, error) {
	t, err := r.renderGlamour(table, site, theme, true, 0)
	if err != nil {
		return nil, err
	}
	rows := trimBlank(strings.Split(t, "\n"))
	widest := 0
	for _, row := range rows {
		widest = max(widest, ansi.StringWidth(row))
	}
	if widest > avail && avail >= 10 { // narrower, laying out is hopeless: cut hard
		if t, err = r.renderGlamour(table, site, theme, true, avail); err != nil {
			return nil, err
		}
		rows = trimBlank(strings.Split(t, "\n"))
	}
	if len(rows) == 0 {
		rows = []string{""}
	}
	return rows, nil
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
	if wrap.IsMarker(r) {
		return -1
	}
	return r
}

// dropTrailingSpaces removes the last n spaces of s, keeping its escape
// sequences.
func dropTrailingSpaces(s string, n int) string {
	type piece struct {
		s     string
		space bool
	}
	var ps []piece
	for rest := s; len(rest) > 0; {
		seq, _, size, _ := ansi.DecodeSequence(rest, ansi.NormalState, nil)
		if size <= 0 {
			seq, size = rest[:1], 1
		}
		ps = append(ps, piece{seq, seq == " "})
		rest = rest[size:]
	}
	for i := len(ps) - 1; i >= 0 && n > 0; i-- {
		if ps[i].space {
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
