// Package paint draws a full-screen Bubble Tea program on a terminal, in
// place of Bubble Tea's own renderer: it keeps the last frame as lines and
// rewrites only the lines that changed.
//
// Why hand-written: Bubble Tea v2's renderer keeps two cell buffers the size
// of the window, at about 112 bytes a cell (ultraviolet's Cell), and parses
// every frame into cells before it compares them. On an SSH server holding
// many sessions, measured with sshload at 100x30, that was over a third of
// each held session's memory (908 KiB against 564 KiB for the same
// one-line program drawn inline) and 1.3 ms of CPU per session start.
// Bubble Tea v2 has no way to plug in another renderer, only
// tea.WithoutRenderer, and no library offers a lighter one. This package is
// the design of Bubble Tea v1's standard renderer: each changed line is
// written whole, from its first column, after moving the cursor there, so
// a terminal that measures a character's width differently from us can
// spoil at most that line, never the layout.
//
// Terminals disagree on widths: one that knows grapheme clusters (mode
// 2027) draws the ZWJ sequence "👨‍👩‍👧" in two cells; one that adds up each
// code point's wcwidth, as most still do, draws it in six, and their
// wcwidth tables differ too (on flags, on emoji with a variation
// selector). So a Terminal measures as wcwidth does until the terminal
// reports mode 2027, which it then turns on; and it turns autowrap
// (DECAWM) off while it runs, so that a row the terminal still draws wider
// than measured is clipped at the right edge instead of wrapping onto the
// row below (which would then differ from what the Terminal believes it
// shows) or, on the last row, scrolling the screen. Where the terminal
// reports synchronized output (mode 2026), each frame is one synchronized
// update, so that a frame never tears on a slow link.
//
// A Terminal owns the screen of one session; Wrap runs a model on it.
// Neither is safe for concurrent use: the program's event loop owns both
// until Program.Run returns, and then Close restores the terminal.
package paint

import (
	"bytes"
	"io"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content/linebreak"
)

// mouseOff turns every mouse report mode off.
const mouseOff = ansi.ResetModeMouseButtonEvent + ansi.ResetModeMouseAnyEvent + ansi.ResetModeMouseExtSgr

// modeRequests ask the terminal whether it knows synchronized output and
// grapheme clusters; Report takes the answers.
const modeRequests = ansi.RequestModeSynchronizedOutput + ansi.RequestModeUnicodeCore

// unicodeCore is the state of mode 2027 on the terminal.
type unicodeCore uint8

const (
	unicodeUnknown unicodeCore = iota // not reported, or not supported
	unicodeWanted                     // reported off: to be turned on with the next frame
	unicodeOurs                       // turned on by us: turned off by Close
	unicodeOn                         // reported on (or always on): left as it is
)

// Terminal is the screen of one terminal: what it shows, its size and the
// modes set on it.
type Terminal struct {
	w             io.Writer
	profile       colorprofile.Profile
	width, height int

	// lines is what the screen shows, row by row, as the last frame gave
	// it (before tabs and overlong lines were cut to fit); nil when it is
	// unknown (before the first frame, after a resize or a
	// colour change), so the next frame is written whole.
	lines   []string
	content string // the frame lines came from

	started bool // the alternate screen is on and the modes below are set
	mouse   tea.MouseMode
	paste   bool // bracketed paste is on
	title   string
	cursor  *tea.Cursor // the visible text cursor, nil when hidden
	queries string      // terminal queries to write with the next frame

	// method measures widths as the terminal does: WcWidth until the
	// terminal reports mode 2027, then GraphemeWidth.
	method ansi.Method
	// unicodeCore is how far Report has brought mode 2027 (see Report).
	unicodeCore unicodeCore
	sync        bool // the terminal reported mode 2026: frames are synchronized

	err error // the first write error; nothing is written after it
}

// New returns the screen of a terminal of width x height cells, written to
// w; colours are written as profile allows (a profile without colour still
// moves the cursor).
func New(w io.Writer, width, height int, profile colorprofile.Profile) *Terminal {
	t := &Terminal{w: w}
	t.Resize(width, height)
	t.SetProfile(profile)
	return t
}

// Resize tells t the terminal's new size; the next frame is written whole,
// because a terminal redraws (or reflows) its screen its own way on resize.
func (t *Terminal) Resize(width, height int) {
	width, height = max(width, 0), max(height, 0)
	if width != t.width || height != t.height {
		t.width, t.height = width, height
		t.lines = nil
	}
}

// SetProfile sets the colour profile; the next frame is written whole in
// it. NoTTY is taken as Ascii: the screen still needs its cursor moves.
func (t *Terminal) SetProfile(p colorprofile.Profile) {
	if p == colorprofile.NoTTY {
		p = colorprofile.Ascii
	}
	if p != t.profile {
		t.profile = p
		t.lines = nil
	}
}

// Ask queues query, an escape sequence that the terminal answers on its
// input (such as ansi.RequestBackgroundColor), to be written with the next
// frame. The program's input reader turns the answer into a message (a
// tea.BackgroundColorMsg for that one). Asking through the Terminal, rather
// than with a Bubble Tea command, sends the query with the first screen:
// Bubble Tea writes queries only on its render ticks.
func (t *Terminal) Ask(query string) {
	t.queries += query
}

// Report takes the terminal's answer to a mode request (DECRPM), which
// the first frame asks for modes 2026 and 2027; Wrap passes it on from
// tea.ModeReportMsg. A terminal that does not answer, or answers that it
// does not know the mode, is drawn on without it.
//
// Mode 2027 reported off is turned on with the next frame and off again
// by Close; reported on, it is left on. Either way widths are then
// measured by grapheme cluster, and the next frame is written whole, as
// the terminal now measures the screen's lines differently. Mode 2026 is
// used only when reported off (known, and not in use), as Bubble Tea's own
// renderer does.
func (t *Terminal) Report(mode ansi.Mode, value ansi.ModeSetting) {
	switch mode {
	case ansi.ModeSynchronizedOutput:
		t.sync = value == ansi.ModeReset
	case ansi.ModeUnicodeCore:
		if t.unicodeCore != unicodeUnknown {
			return // a repeated answer
		}
		switch value {
		case ansi.ModeReset:
			t.unicodeCore = unicodeWanted
		case ansi.ModeSet, ansi.ModePermanentlySet:
			t.unicodeCore = unicodeOn
		default:
			return
		}
		t.method = ansi.GraphemeWidth
		t.lines = nil
	}
}

// Draw shows v: on the first call it switches to the alternate screen,
// turns autowrap off and sets the modes v asks for; after that it writes
// the lines that differ from the screen, and the modes that changed. It
// reports whether it wrote anything. After a write error it writes nothing
// and returns that error.
//
// v.Content is cut to the screen: lines past its height are dropped, and a
// line wider than the screen is truncated (a line that wrapped would push
// the whole screen up). Of the view's fields, Content, MouseMode, Cursor
// (its position only), WindowTitle and DisableBracketedPasteMode are drawn;
// the program is always in the alternate screen. (A test lists every field
// of tea.View with what Draw does with it, and fails on a new one.)
func (t *Terminal) Draw(v tea.View) (bool, error) {
	if t.err != nil {
		return false, t.err
	}
	var b bytes.Buffer
	if t.sync {
		b.WriteString(ansi.SetModeSynchronizedOutput)
	}
	empty := b.Len()
	if !t.started {
		t.started = true
		// The alternate screen, cleared, no text cursor, no autowrap (see
		// the package doc), the key disambiguation Bubble Tea's own renderer
		// asks for (xterm's modifyOtherKeys and the first Kitty keyboard
		// flag), which its input parser reads, and the modes Report takes
		// the answers to.
		b.WriteString(ansi.SetModeAltScreenSaveCursor + ansi.EraseEntireScreen + ansi.HideCursor +
			ansi.ResetModeAutoWrap + ansi.SetModifyOtherKeys2 + ansi.PushKittyKeyboard(1) + modeRequests)
		t.lines = make([]string, t.height) // blank: blank rows need no writing
	}
	if t.unicodeCore == unicodeWanted {
		b.WriteString(ansi.SetModeUnicodeCore)
		t.unicodeCore = unicodeOurs
	}
	b.WriteString(t.queries)
	t.queries = ""
	t.modes(&b, v)
	t.lines = t.rows(&b, v.Content)
	t.content = v.Content
	t.place(&b, v.Cursor)
	if b.Len() == empty {
		return false, nil
	}
	if t.sync {
		b.WriteString(ansi.ResetModeSynchronizedOutput)
	}
	return true, t.write(b.Bytes())
}

// modes writes the terminal modes that differ from what v asks for.
func (t *Terminal) modes(b *bytes.Buffer, v tea.View) {
	if v.MouseMode != t.mouse {
		b.WriteString(mouseOff)
		switch v.MouseMode {
		case tea.MouseModeCellMotion:
			b.WriteString(ansi.SetModeMouseButtonEvent + ansi.SetModeMouseExtSgr)
		case tea.MouseModeAllMotion:
			b.WriteString(ansi.SetModeMouseAnyEvent + ansi.SetModeMouseExtSgr)
		}
		t.mouse = v.MouseMode
	}
	if paste := !v.DisableBracketedPasteMode; paste != t.paste {
		if paste {
			b.WriteString(ansi.SetModeBracketedPaste)
		} else {
			b.WriteString(ansi.ResetModeBracketedPaste)
		}
		t.paste = paste
	}
	if v.WindowTitle != t.title {
		b.WriteString(ansi.SetWindowTitle(v.WindowTitle))
		t.title = v.WindowTitle
	}
}

// rows writes the rows of content that differ from t.lines and returns the
// screen's new lines.
func (t *Terminal) rows(b *bytes.Buffer, content string) []string {
	old := t.lines
	if old != nil && content == t.content {
		return old
	}
	lines := make([]string, t.height)
	rest := content
	for i := range lines {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		lines[i] = line
		if old != nil && old[i] == line {
			continue
		}
		// The row's first column, the line, then plain attributes, so that
		// no style runs into the next row or the rest of this one.
		b.WriteString(ansi.CursorPosition(1, i+1))
		// The terminal would move to its next tab stop, which no width
		// counts: the line could wrap onto the row below.
		line = linebreak.ExpandTabs(line)
		w := t.method.StringWidth(line)
		if w > t.width {
			line, w = cut(t.method, line, t.width)
		}
		b.WriteString(line)
		b.WriteString(ansi.ResetStyle)
		if w < t.width {
			// Erase the rest of the row. Not after a full row: the cursor
			// then waits on its last column, which the erase would clear.
			b.WriteString(ansi.EraseLineRight)
		}
	}
	return lines
}

// cut returns the part of line that fits in width cells as m measures it,
// and its width, with every escape sequence of the line (a style or a link
// opened or closed past the cut still is).
//
// Hand-written because ansi.Truncate (x/ansi v0.11.9 to v0.12.0) returns a
// line whole when its width by grapheme clusters fits, whatever method it
// is given, so a ZWJ sequence that wcwidth measures wider than the screen
// would not be cut.
func cut(m ansi.Method, line string, width int) (string, int) {
	var b strings.Builder
	b.Grow(len(line))
	w, full := 0, false
	var state byte
	for rest := line; rest != ""; {
		seq, sw, n, next := m.DecodeSequenceInString(rest, state, nil)
		state, rest = next, rest[n:]
		switch {
		case seq[0] == ansi.ESC:
			b.WriteString(seq)
		case full:
		case w+sw > width:
			full = true
		default:
			b.WriteString(seq)
			w += sw
		}
	}
	return b.String(), w
}

// place shows the text cursor where c says, or hides it when c is nil.
func (t *Terminal) place(b *bytes.Buffer, c *tea.Cursor) {
	switch {
	case c != nil:
		if t.cursor == nil || b.Len() > 0 || c.Position != t.cursor.Position {
			b.WriteString(ansi.CursorPosition(c.X+1, c.Y+1))
		}
		if t.cursor == nil {
			b.WriteString(ansi.ShowCursor)
		}
		t.cursor = &tea.Cursor{Position: c.Position}
	case t.cursor != nil:
		b.WriteString(ansi.HideCursor)
		t.cursor = nil
	}
}

// write sends p to the terminal in one write, its colours converted to the
// profile.
func (t *Terminal) write(p []byte) error {
	var err error
	if t.profile == colorprofile.TrueColor {
		_, err = t.w.Write(p)
	} else {
		_, err = (&colorprofile.Writer{Forward: t.w, Profile: t.profile}).Write(p)
	}
	if err != nil {
		t.err = err
	}
	return err
}

// Close leaves the terminal as it was before the first frame: the main
// screen, the text cursor shown, autowrap on, the keyboard, mouse and
// paste modes reset, and mode 2027 off if Draw turned it on. It writes
// nothing if nothing was drawn.
func (t *Terminal) Close() error {
	if !t.started || t.err != nil {
		return t.err
	}
	var b bytes.Buffer
	b.WriteString(ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1) + ansi.SetModeAutoWrap)
	if t.unicodeCore == unicodeOurs {
		b.WriteString(ansi.ResetModeUnicodeCore)
		t.unicodeCore = unicodeWanted // for a Draw after Close
	}
	if t.mouse != tea.MouseModeNone {
		b.WriteString(mouseOff)
	}
	if t.paste {
		b.WriteString(ansi.ResetModeBracketedPaste)
	}
	if t.title != "" {
		b.WriteString(ansi.SetWindowTitle(""))
	}
	b.WriteString(ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor)
	t.started = false
	return t.write(b.Bytes())
}
