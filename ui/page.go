package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
)

// section is one of the tabs in the header.
type section int

// The sections, in tab order.
const (
	sectionPosts section = iota
	sectionBooks
	sectionPapers
	sectionTags
	sectionPages // shown only when the blog has pages
	sectionCount
)

// deps is what every component needs from the root: the key map, the styles
// and the strings. Components hold a pointer to the root's deps, so a new
// theme or language reaches them all at once.
type deps struct {
	keys   *KeyMap
	styles *Styles
	msgs   *messages
	cache  *Cache
}

// page is one screen of a section: a list, a detail view or the reader.
// Each section has a stack of pages; the top one is shown.
type page interface {
	// Update handles a message routed to the page and returns a command.
	Update(msg tea.Msg) tea.Cmd
	// View renders the page in exactly the size last given to SetSize.
	View() string
	// SetSize gives the page the cells it may use.
	SetSize(width, height int)
	// ShortHelp and FullHelp list the keys that work on this page now.
	help.KeyMap
	// back undoes page-local state (an applied filter, a search) and
	// reports whether there was any; if not, the root leaves the page.
	back() bool
	// inputFocused reports whether a text input has the keyboard, in which
	// case every key but ctrl+c goes to the page.
	inputFocused() bool
	// refresh shows a newly published snapshot, keeping the selection.
	refresh(s *content.Snapshot)
}

// Messages by which pages ask the root to open something.
type (
	openPostMsg struct {
		post   *content.Post
		isPage bool // one of the snapshot's pages, not a post
	}
	openBookMsg  struct{ book content.Book }
	openPaperMsg struct{ paper content.Paper }
	openTagMsg   struct{ tag string }
)

// send returns a command that delivers msg.
func send(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}

// newInput returns a focused single-line text input with the given prompt.
func newInput(d *deps, prompt string, width int) *textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.SetStyles(d.styles.Input())
	in.CharLimit = 200
	// ctrl+v would paste the clipboard of the machine running the server,
	// not the reader's: never. Bracketed paste from the client still works.
	in.KeyMap.Paste.SetEnabled(false)
	in.SetWidth(max(1, width-ansi.StringWidth(prompt)-1))
	in.Focus()
	return &in
}

// fitBlock makes s exactly height lines of at most width cells: longer lines
// are cut, missing lines are added empty, extra lines dropped.
func fitBlock(s string, width, height int) string {
	if height <= 0 || width <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// alignRight joins left and right on one line of width cells, right-aligned
// right part; the left part is cut first when both do not fit, and the right
// part is dropped when even it does not fit with a little of the left.
func alignRight(left, right string, width int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if right == "" || rw+2 > width-8 {
		return truncate(left, width)
	}
	if lw+2+rw > width {
		left = truncate(left, width-2-rw)
		lw = ansi.StringWidth(left)
	}
	return left + strings.Repeat(" ", max(2, width-lw-rw)) + right
}
