package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// wheelLines is how far one notch of the mouse wheel scrolls.
const wheelLines = 3

// scrollPos is the vertical scroll position of a page that draws its own
// lines: the first line shown, how many lines show at a time, and how many
// there are. It moves as bubbles/viewport does, which the pages used before
// only for this. Hand-written because the viewport measures the width of
// every line it is given (for horizontal scrolling, which no page has):
// 20 ms for a 1 MiB post, on every open of it.
type scrollPos struct {
	y, height, total int
}

// YOffset is the first line shown.
func (s *scrollPos) YOffset() int { return s.y }

// Height is the number of lines shown at a time.
func (s *scrollPos) Height() int { return s.height }

// TotalLineCount is the number of lines.
func (s *scrollPos) TotalLineCount() int { return s.total }

// SetHeight sets the lines shown at a time; the position stays, even past
// the new bottom, until it is next moved.
func (s *scrollPos) SetHeight(h int) { s.height = h }

// SetTotal sets the number of lines; as with SetHeight, the position stays
// until it is next moved (the pages set it right after).
func (s *scrollPos) SetTotal(n int) { s.total = n }

func (s *scrollPos) maxY() int { return max(0, s.total-s.height) }

// SetYOffset moves to line y, within the lines.
func (s *scrollPos) SetYOffset(y int) { s.y = max(0, min(y, s.maxY())) }

// AtBottom reports whether the last line shows.
func (s *scrollPos) AtBottom() bool { return s.y >= s.maxY() }

// ScrollPercent is how far the position is from the top, 0 to 1.
func (s *scrollPos) ScrollPercent() float64 {
	if s.height >= s.total {
		return 1
	}
	return max(0, min(1, float64(s.y)/float64(s.total-s.height)))
}

// ScrollDown moves n lines down, and ScrollUp n lines up, not past the
// ends.
func (s *scrollPos) ScrollDown(n int) {
	if !s.AtBottom() && n > 0 && s.total > 0 {
		s.SetYOffset(s.y + n)
	}
}

func (s *scrollPos) ScrollUp(n int) {
	if s.y > 0 && n > 0 && s.total > 0 {
		s.SetYOffset(s.y - n)
	}
}

// PageDown, PageUp, HalfPageDown and HalfPageUp move by a screen or half
// of one.
func (s *scrollPos) PageDown()     { s.ScrollDown(s.height) }
func (s *scrollPos) PageUp()       { s.ScrollUp(s.height) }
func (s *scrollPos) HalfPageDown() { s.ScrollDown(s.height / 2) }
func (s *scrollPos) HalfPageUp()   { s.ScrollUp(s.height / 2) }

// GotoTop and GotoBottom move to either end.
func (s *scrollPos) GotoTop()    { s.SetYOffset(0) }
func (s *scrollPos) GotoBottom() { s.SetYOffset(s.maxY()) }

// visible returns the lines of lines that show.
func (s *scrollPos) visible(lines []string) []string {
	y := max(0, min(s.y, len(lines)))
	return lines[y:min(len(lines), y+s.height)]
}

// scroll moves pos for the scrolling keys every scrolled page shares (line,
// page, top and bottom) and the mouse wheel, and reports whether msg was
// one of them.
func scroll(pos *scrollPos, msg tea.Msg, k *KeyMap) bool {
	switch msg := msg.(type) {
	case tea.MouseWheelMsg:
		switch {
		case msg.Mod.Contains(tea.ModShift): // sideways on most terminals
		case msg.Button == tea.MouseWheelDown:
			pos.ScrollDown(wheelLines)
		case msg.Button == tea.MouseWheelUp:
			pos.ScrollUp(wheelLines)
		}
		return true
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			pos.ScrollUp(1)
		case key.Matches(msg, k.Down):
			pos.ScrollDown(1)
		case key.Matches(msg, k.PageUp):
			pos.PageUp()
		case key.Matches(msg, k.PageDown):
			pos.PageDown()
		case key.Matches(msg, k.Top):
			pos.GotoTop()
		case key.Matches(msg, k.Bottom):
			pos.GotoBottom()
		default:
			return false
		}
		return true
	}
	return false
}
