package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// helpKeys collects the keys that work now: the page's, then the app's.
func (m *Model) helpKeys() helpKeys {
	k := m.d.keys
	p := m.top()
	if p.inputFocused() {
		return helpKeys{short: p.ShortHelp(), full: p.FullHelp()}
	}
	atTop := len(m.stacks[m.active]) == 1
	quit := k.Back
	if atTop {
		quit = k.Quit
	}
	helpKey := k.Help
	if m.showHelp {
		helpKey.SetHelp("?", m.d.msgs.helpLess)
	}
	short := p.ShortHelp()
	if _, searching := p.(*searchPage); atTop && !searching {
		short = append(short, k.SearchAll)
	}
	short = append(short, quit, helpKey)
	jump := k.JumpSection
	if m.shown(sectionPages) {
		jump.SetHelp("1-5", m.d.msgs.helpJump)
	}
	full := append(p.FullHelp(), []key.Binding{k.SearchAll, k.NextSection, k.PrevSection, jump, quit, helpKey, k.ForceQuit})
	return helpKeys{short: short, full: full}
}

// helpKeys is a help.KeyMap of precomputed bindings.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

// fullHelpView lays out the full help in at most width cells and maxLines
// lines, trying in turn: the groups side by side, as bubbles/help draws them;
// the groups one under another, side by side where they fit; and the
// bindings flowed along lines like the short help. It reports false when
// none fits in maxLines. Hand-written around help.Model because its full
// view only draws columns side by side and cuts those past the width.
func fullHelpView(hm help.Model, groups [][]key.Binding, width, maxLines int) (string, bool) {
	var shown [][]key.Binding
	for _, g := range groups {
		var enabled []key.Binding
		for _, b := range g {
			if b.Enabled() {
				enabled = append(enabled, b)
			}
		}
		if len(enabled) > 0 {
			shown = append(shown, enabled)
		}
	}
	if len(shown) == 0 || width <= 0 || maxLines <= 0 {
		return "", false
	}
	fits := func(s string) bool { return lipgloss.Height(s) <= maxLines && lipgloss.Width(s) <= width }
	hm.SetWidth(0) // no cutting: the widths are checked here
	if side := hm.FullHelpView(shown); fits(side) {
		return side, true
	}
	if stacked := stackHelp(hm, shown, width); fits(stacked) {
		return stacked, true
	}
	if flowed := flowHelp(hm, shown, width); lipgloss.Height(flowed) <= maxLines {
		return flowed, true
	}
	return "", false
}

// stackHelp draws each group as a column and packs the columns into rows,
// as many side by side as fit in width; a column wider than width has its
// lines cut.
func stackHelp(hm help.Model, groups [][]key.Binding, width int) string {
	sep := hm.Styles.FullSeparator.Inline(true).Render(hm.FullSeparator)
	sepW := lipgloss.Width(sep)
	var rows, row []string
	rowW := 0
	for _, g := range groups {
		col := hm.FullHelpView([][]key.Binding{g})
		if lipgloss.Width(col) > width {
			lines := strings.Split(col, "\n")
			for i, l := range lines {
				lines[i] = truncate(l, width)
			}
			col = strings.Join(lines, "\n")
		}
		w := lipgloss.Width(col)
		if len(row) > 0 && rowW+sepW+w > width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			row = append(row, sep)
			rowW += sepW
		}
		row = append(row, col)
		rowW += w
	}
	rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	return strings.Join(rows, "\n")
}

// flowHelp draws every binding as "key description", in the short help's
// styles, along lines of at most width cells, each group on new lines.
func flowHelp(hm help.Model, groups [][]key.Binding, width int) string {
	st := hm.Styles
	sep := st.ShortSeparator.Inline(true).Render(hm.ShortSeparator)
	sepW := lipgloss.Width(sep)
	var lines []string
	for _, g := range groups {
		var line strings.Builder
		lineW := 0
		for _, b := range g {
			item := st.ShortKey.Inline(true).Render(b.Help().Key) + " " + st.ShortDesc.Inline(true).Render(b.Help().Desc)
			w := lipgloss.Width(item)
			if w > width {
				item, w = truncate(item, width), width
			}
			if lineW > 0 && lineW+sepW+w > width {
				lines = append(lines, line.String())
				line.Reset()
				lineW = 0
			}
			if lineW > 0 {
				line.WriteString(sep)
				lineW += sepW
			}
			line.WriteString(item)
			lineW += w
		}
		lines = append(lines, line.String())
	}
	return strings.Join(lines, "\n")
}
