package ui

import "charm.land/bubbles/v2/key"

// KeyMap is the one set of key bindings of the UI. Every component matches
// keys against it with key.Matches and shows it through bubbles/help; the
// help texts are in the blog's language.
type KeyMap struct {
	Up, Down             key.Binding
	PageUp, PageDown     key.Binding
	HalfUp, HalfDown     key.Binding
	Top, Bottom          key.Binding
	Open                 key.Binding // enter: open the selected item
	OpenPost             key.Binding // enter in a book or paper's details
	Back                 key.Binding // esc, backspace
	Quit                 key.Binding // q: back, or quit at the top
	ForceQuit            key.Binding // ctrl+c
	NextSection          key.Binding
	PrevSection          key.Binding
	Section              [sectionCount]key.Binding // 1–5
	JumpSection          key.Binding               // 1–4 (1–5 with pages) as one help entry
	Help                 key.Binding
	Filter               key.Binding // / in lists
	Search               key.Binding // / in the reader
	Accept, Cancel       key.Binding // while a text input has focus
	NextMatch, PrevMatch key.Binding
	NextPost, PrevPost   key.Binding
	Reload               key.Binding
	ClearFilter          key.Binding // esc with a filter applied (help only)
	Scroll               key.Binding // the mouse wheel (help only)
	Outline              key.Binding // o in the reader: the headings
	SearchAll            key.Binding // s anywhere: search the whole blog
	JumpTo               key.Binding // enter in the outline
}

// newKeyMap returns the key bindings with help texts from msgs.
func newKeyMap(msgs *messages) *KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	k := &KeyMap{
		Up:          b([]string{"up", "k"}, "↑/k", msgs.helpUp),
		Down:        b([]string{"down", "j"}, "↓/j", msgs.helpDown),
		PageUp:      b([]string{"pgup", "b"}, "b/pgup", msgs.helpPageUp),
		PageDown:    b([]string{"pgdown", "space", "f"}, "space/pgdn", msgs.helpPageDown),
		HalfUp:      b([]string{"ctrl+u", "u"}, "u", "½ "+msgs.helpPageUp),
		HalfDown:    b([]string{"ctrl+d", "d"}, "d", "½ "+msgs.helpPageDown),
		Top:         b([]string{"g", "home"}, "g/home", msgs.helpTop),
		Bottom:      b([]string{"G", "end"}, "G/end", msgs.helpBottom),
		Open:        b([]string{"enter"}, "enter", msgs.helpOpen),
		OpenPost:    b([]string{"enter"}, "enter", msgs.helpOpenPost),
		Back:        b([]string{"esc", "backspace"}, "q/esc", msgs.helpBack),
		Quit:        b([]string{"q"}, "q", msgs.helpQuit),
		ForceQuit:   b([]string{"ctrl+c"}, "ctrl+c", msgs.helpForceQuit),
		NextSection: b([]string{"tab"}, "tab", msgs.helpNextSection),
		PrevSection: b([]string{"shift+tab"}, "shift+tab", msgs.helpPrevSection),
		JumpSection: b([]string{"1", "2", "3", "4", "5"}, "1-4", msgs.helpJump),
		Help:        b([]string{"?"}, "?", msgs.helpMore),
		Filter:      b([]string{"/"}, "/", msgs.helpFilter),
		Search:      b([]string{"/"}, "/", msgs.helpSearch),
		Accept:      b([]string{"enter"}, "enter", msgs.helpApply),
		Cancel:      b([]string{"esc"}, "esc", msgs.helpCancel),
		NextMatch:   b([]string{"n"}, "n", msgs.helpNextMatch),
		PrevMatch:   b([]string{"N"}, "N", msgs.helpPrevMatch),
		NextPost:    b([]string{"]"}, "]", msgs.helpNextPost),
		PrevPost:    b([]string{"["}, "[", msgs.helpPrevPost),
		Reload:      b([]string{"r"}, "r", msgs.helpReload),
		ClearFilter: b([]string{"esc"}, "esc", msgs.helpClearFilter),
		Scroll:      b([]string{"up", "down"}, "↑↓/wheel", msgs.helpScroll),
		Outline:     b([]string{"o"}, "o", msgs.helpOutline),
		SearchAll:   b([]string{"s"}, "s", msgs.helpSearchAll),
		JumpTo:      b([]string{"enter"}, "enter", msgs.helpJumpTo),
	}
	for i := range k.Section {
		n := string(rune('1' + i))
		k.Section[i] = b([]string{n}, n, msgs.sections[i])
	}
	return k
}
