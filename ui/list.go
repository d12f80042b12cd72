package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// rowSource is what an itemList shows: the items of one kind.
type rowSource interface {
	// Len is the number of items.
	Len() int
	// ID identifies item i across snapshots (a slug, a title, a tag name).
	ID(i int) string
	// Match reports whether item i contains every lower-cased term.
	Match(i int, terms []string) bool
	// Row renders item i as rowHeight lines of at most width cells.
	Row(i, width int, selected bool) string
}

// itemList is a scrolling list with a cursor and a filter, shared by every
// list in the UI. It is hand-written rather than bubbles/list because that
// component costs about 70 KB per instance (measured: 29 KB struct plus
// 42 KB of styles, paginator, spinner and input), fixes its status texts in
// English, and pages instead of scrolling; the server holds thousands of
// sessions, each with up to five lists. This one keeps only indices and
// allocates its text input while the filter is being typed.
type itemList struct {
	d         *deps
	src       rowSource
	rowHeight int
	spacing   int // blank lines between rows
	empty     string

	shown  []int32  // indices into src that pass the filter; nil when unfiltered
	terms  []string // the filter terms shown was computed for
	cursor int      // position in the shown items
	offset int      // first shown item on screen

	input  *textinput.Model // non-nil while the filter is being typed
	query  string           // the filter in effect
	before int              // src index selected when the filter was opened

	width, height int
}

// newItemList returns a list over src with rows of rowHeight lines; empty is
// shown when there are no items at all.
func newItemList(d *deps, src rowSource, rowHeight, spacing int, empty string) itemList {
	return itemList{d: d, src: src, rowHeight: rowHeight, spacing: spacing, empty: empty}
}

// count is the number of items passing the filter.
func (l *itemList) count() int {
	if l.shown != nil {
		return len(l.shown)
	}
	return l.src.Len()
}

// index maps a shown position to an index in src.
func (l *itemList) index(pos int) int {
	if l.shown != nil {
		return int(l.shown[pos])
	}
	return pos
}

// selected returns the src index of the selected item, or -1.
func (l *itemList) selected() int {
	if l.cursor < 0 || l.cursor >= l.count() {
		return -1
	}
	return l.index(l.cursor)
}

// setSource replaces the items, keeping the filter and, when it still exists,
// the selected item (by ID).
func (l *itemList) setSource(src rowSource) {
	id, had := "", false
	if i := l.selected(); i >= 0 {
		id, had = l.src.ID(i), true
	}
	l.src = src
	l.shown, l.terms = nil, nil // the new items are all filtered afresh
	l.applyFilter()
	if had {
		for pos := 0; pos < l.count(); pos++ {
			if l.src.ID(l.index(pos)) == id {
				l.cursor = pos
				break
			}
		}
	}
	l.clampCursor()
}

// filterText is the filter being typed or in effect.
func (l *itemList) filterText() string {
	if l.input != nil {
		return l.input.Value()
	}
	return l.query
}

// applyFilter recomputes the shown items from the filter text. When the
// query grew, only the items shown before can still match, and only they
// are checked again.
func (l *itemList) applyFilter() {
	terms := foldTerms(l.filterText())
	if len(terms) == 0 {
		l.shown, l.terms = nil, nil
		return
	}
	if l.shown != nil && narrows(l.terms, terms) {
		shown := l.shown[:0] // in place: an index is read before it is overwritten
		for _, i := range l.shown {
			if l.src.Match(int(i), terms) {
				shown = append(shown, i)
			}
		}
		l.shown, l.terms = shown, terms
		return
	}
	shown := make([]int32, 0, 16)
	for i := 0; i < l.src.Len(); i++ {
		if l.src.Match(i, terms) {
			shown = append(shown, int32(i))
		}
	}
	l.shown, l.terms = shown, terms
}

// clearFilter removes the filter, keeping the selected item selected.
func (l *itemList) clearFilter() {
	sel := l.selected()
	l.input, l.query, l.shown, l.terms = nil, "", nil, nil
	if sel >= 0 {
		l.cursor = sel
	}
	l.clampCursor()
}

func (l *itemList) clampCursor() {
	n := l.count()
	l.cursor = max(0, min(l.cursor, n-1))
	per := l.perPage()
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+per {
		l.offset = l.cursor - per + 1
	}
	l.offset = max(0, min(l.offset, n-per))
}

// chromeLines is the number of lines used by the filter line and the status
// line.
func (l *itemList) chromeLines() int {
	n := 1 // status line
	if l.input != nil || l.query != "" {
		n++
	}
	return n
}

// perPage is how many rows fit.
func (l *itemList) perPage() int {
	avail := l.height - l.chromeLines()
	return max(1, (avail+l.spacing)/(l.rowHeight+l.spacing))
}

// SetSize gives the list its cells.
func (l *itemList) SetSize(width, height int) {
	l.width, l.height = width, height
	if l.input != nil {
		l.input.SetWidth(max(1, width-ansi.StringWidth(l.d.msgs.filterPrompt)-1))
	}
	l.clampCursor()
}

// filtering reports whether the filter is being typed.
func (l *itemList) filtering() bool { return l.input != nil }

// back clears an applied filter.
func (l *itemList) back() bool {
	if l.query == "" && l.input == nil {
		return false
	}
	l.clearFilter()
	return true
}

// Update handles keys and the mouse wheel. open is called with the src index
// of the item chosen with enter.
func (l *itemList) Update(msg tea.Msg, open func(i int) tea.Cmd) tea.Cmd {
	k := l.d.keys
	if l.input != nil {
		return l.updateFilter(msg)
	}
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			l.cursor--
		case tea.MouseWheelDown:
			l.cursor++
		}
	case tea.KeyPressMsg:
		per := l.perPage()
		switch {
		case key.Matches(msg, k.Up):
			l.cursor--
		case key.Matches(msg, k.Down):
			l.cursor++
		case key.Matches(msg, k.PageUp):
			l.cursor -= per
		case key.Matches(msg, k.PageDown):
			l.cursor += per
		case key.Matches(msg, k.HalfUp):
			l.cursor -= max(1, per/2)
		case key.Matches(msg, k.HalfDown):
			l.cursor += max(1, per/2)
		case key.Matches(msg, k.Top):
			l.cursor = 0
		case key.Matches(msg, k.Bottom):
			l.cursor = l.count() - 1
		case key.Matches(msg, k.Filter):
			if l.src.Len() == 0 {
				return nil
			}
			l.before = l.selected()
			l.input = newInput(l.d, l.d.msgs.filterPrompt, l.width)
			l.input.SetValue(l.query)
			l.input.CursorEnd()
			l.clampCursor()
			return nil
		case key.Matches(msg, k.Open):
			if i := l.selected(); i >= 0 && open != nil {
				return open(i)
			}
		}
	}
	l.clampCursor()
	return nil
}

// updateFilter handles input while the filter is being typed: the list
// narrows with every keystroke.
func (l *itemList) updateFilter(msg tea.Msg) tea.Cmd {
	k := l.d.keys
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, k.Accept):
			l.query = strings.TrimSpace(l.input.Value())
			l.input = nil
			if l.query == "" {
				l.clearFilter()
			}
			l.clampCursor()
			return nil
		case key.Matches(kp, k.Cancel):
			l.clearFilter()
			if l.before >= 0 {
				l.cursor = l.before
				l.clampCursor()
			}
			return nil
		}
	}
	before := l.input.Value()
	in, cmd := l.input.Update(msg)
	*l.input = in
	if in.Value() != before {
		l.applyFilter()
		l.cursor, l.offset = 0, 0
	}
	l.clampCursor()
	return cmd
}

// View renders the list in its size.
func (l *itemList) View() string {
	st, msgs := l.d.styles, l.d.msgs
	var lines []string
	switch {
	case l.input != nil:
		lines = append(lines, l.input.View())
	case l.query != "":
		lines = append(lines, st.Meta().Render(msgs.filterPrompt+l.query))
	}
	n := l.count()
	rowsH := max(1, l.height-l.chromeLines())
	top := len(lines)
	switch {
	case l.src.Len() == 0:
		lines = append(lines, st.Faint().Render(l.empty))
	case n == 0:
		lines = append(lines, st.Faint().Render(msgs.noMatches))
	default:
		const gutterW = 2
		for pos := l.offset; pos < n && len(lines)-top < rowsH; pos++ {
			if pos > l.offset {
				for range l.spacing {
					lines = append(lines, "")
				}
			}
			sel := pos == l.cursor
			gutter := "  "
			if sel {
				gutter = st.Cursor().Render("│") + " "
			}
			row := l.src.Row(l.index(pos), max(1, min(l.width-gutterW, maxColumn)), sel)
			parts := strings.SplitN(row, "\n", l.rowHeight)
			for j := range l.rowHeight {
				line := ""
				if j < len(parts) {
					line = parts[j]
				}
				lines = append(lines, gutter+line)
			}
		}
	}
	for len(lines)-top < rowsH {
		lines = append(lines, "")
	}
	lines = lines[:top+rowsH]
	status := ""
	if n > 0 {
		status = fmt.Sprintf("%d/%d", l.cursor+1, n)
	}
	lines = append(lines, "  "+st.Faint().Render(status))
	return fitBlock(strings.Join(lines, "\n"), l.width, l.height)
}

// shortHelp returns the list's bindings for the short help.
func (l *itemList) shortHelp(open key.Binding) []key.Binding {
	k := l.d.keys
	if l.input != nil {
		return []key.Binding{k.Accept, k.Cancel}
	}
	if l.src.Len() == 0 {
		return nil
	}
	kb := []key.Binding{k.Up, k.Down, open, k.Filter}
	if l.query != "" {
		kb = append(kb, k.ClearFilter)
	}
	return kb
}

// fullHelp returns the list's bindings in columns for the full help.
func (l *itemList) fullHelp(open key.Binding) [][]key.Binding {
	k := l.d.keys
	if l.input != nil {
		return [][]key.Binding{{k.Accept, k.Cancel}}
	}
	if l.src.Len() == 0 {
		return nil
	}
	actions := []key.Binding{open, k.Filter}
	if l.query != "" {
		actions = append(actions, k.ClearFilter)
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		actions,
	}
}
