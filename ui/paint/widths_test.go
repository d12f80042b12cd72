package paint

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"github.com/sshblog/sshblog/server/servertest"
)

// row returns the text of row y of emu and the column after its last cell
// that is not blank.
func row(emu *vt.Emulator, y int) (text string, end int) {
	var b strings.Builder
	for x := 0; x < emu.Width(); x++ {
		c := emu.CellAt(x, y)
		if c == nil || c.Width == 0 { // the rest of a wide cell
			continue
		}
		b.WriteString(c.Content)
		if c.Content != " " && c.Content != "" {
			end = x + c.Width
		}
	}
	return strings.TrimRight(b.String(), " "), end
}

// fit returns the clusters of s, which has no escape sequences, that fit
// in width cells as method measures them, and their width.
func fit(method ansi.Method, s string, width int) (string, int) {
	w := 0
	for i := 0; i < len(s); {
		c, cw := ansi.FirstGraphemeCluster(s[i:], method)
		if w+cw > width {
			return s[:i], w
		}
		i, w = i+len(c), w+cw
	}
	return s, w
}

// checkScreen fails t unless every row of tt's screen shows the text of
// its line of frame as a terminal measuring as method shows it: the line cut where
// method says it reaches the screen's width, and ending in the column
// where method says the cut line ends.
func checkScreen(t *testing.T, tt *term, frame string, method ansi.Method) {
	t.Helper()
	if len(tt.bad) > 0 {
		t.Fatalf("the emulator cannot draw %q as wcwidth does", tt.bad)
	}
	lines := strings.Split(frame, "\n")
	for y := range tt.emu.Height() {
		var line string
		var w int
		if y < len(lines) {
			line, w = fit(method, ansi.Strip(lines[y]), tt.emu.Width())
			trimmed := strings.TrimRight(line, " ") // as row trims it
			line, w = trimmed, w-(len(line)-len(trimmed))
		}
		text, end := row(tt.emu, y)
		if text != line || end != w {
			t.Errorf("row %d shows %q ending in column %d, want %q ending in column %d\nscreen:\n%s",
				y, text, end, line, w, tt.emu.String())
		}
	}
}

// TestWidthsAtRowEnds draws wide and joined characters where a row ends:
// before the last column, on it, across it and past it, on a terminal that
// measures as wcwidth does (not knowing mode 2027) and on one that knows
// grapheme clusters. Every row shows what Draw measured, cut where it cut
// it, so that rows Draw leaves alone stay right; and nothing scrolls.
func TestWidthsAtRowEnds(t *testing.T) {
	clusters := []string{
		"😀",          // emoji
		"👨‍👩‍👧‍👦",    // ZWJ sequence: 2 cells by cluster, 8 by wcwidth
		"👍🏽",         // emoji and skin tone: 2 or 4
		"🇺🇸", "🇯🇵🇫🇷", // flags
		"e\u0301", "n\u0303", // combining marks
		"स्ते",    // a conjunct: 1 cell or 2
		"你好", "ｗ", // CJK, full width
	}
	for _, tc := range []struct {
		name   string
		knows  []ansi.Mode
		method ansi.Method
	}{
		{"wcwidth", nil, ansi.WcWidth},
		{"grapheme", []ansi.Mode{ansi.ModeSynchronizedOutput, ansi.ModeUnicodeCore}, ansi.GraphemeWidth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const width = 12
			for _, c := range clusters {
				// The cluster ends two cells before the edge, one before, on
				// it, across it and past it: rows 1 to 5 of 6.
				lines := []string{"top"}
				for n := 2; n >= -2; n-- {
					lines = append(lines, strings.Repeat("x", max(width-n-tc.method.StringWidth(c), 0))+c+"yz")
				}
				tt := newTerm(width, len(lines), colorprofile.TrueColor, tc.knows...)
				tt.draw(t, "start")
				tt.answer(t)
				if tt.method != tc.method {
					t.Fatalf("measuring with %v after the terminal's answers, want %v", tt.method, tc.method)
				}
				frame := strings.Join(lines, "\n")
				tt.draw(t, frame)
				checkScreen(t, tt, frame, tc.method)
				// Rows Draw leaves alone stay as they are.
				lines[0], lines[3] = "TOP", "three"
				frame = strings.Join(lines, "\n")
				tt.draw(t, frame)
				checkScreen(t, tt, frame, tc.method)
				if t.Failed() {
					t.Fatalf("cluster %q", c)
				}
			}
		})
	}
}

// TestARowDrawnWiderIsClipped draws rows that the terminal draws wider
// than Draw measured them: emoji with a variation selector, which some
// wcwidth terminals draw in two cells where wcwidth says one, and a ZWJ
// sequence on a terminal that says it knows grapheme clusters but draws
// as wcwidth does (as one behind a multiplexer may). With autowrap on, the
// rest of such a row would go on the row below, which Draw then takes to
// be unchanged, and on the last row it would scroll the screen up.
func TestARowDrawnWiderIsClipped(t *testing.T) {
	for _, tc := range []struct{ name, wide string }{
		{"variation selectors", "❤️❤️❤️❤️"},
		{"reported grapheme clusters", "👨‍👩‍👧‍👦"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt := newTerm(10, 3, colorprofile.TrueColor)
			tt.draw(t, "top\nmiddle\nbottom")
			if tc.name == "reported grapheme clusters" {
				tt.Report(ansi.ModeUnicodeCore, ansi.ModeSet)
			}
			wide := "ab" + tc.wide + "cd"
			if w := tt.method.StringWidth(wide); w > 10 {
				t.Fatalf("%q measures %d: it does not fit", wide, w)
			}
			tt.draw(t, wide+"\nmiddle\n"+wide)
			// Each row shows the start of its line (at least three bytes of
			// it), cut at the edge.
			for y, line := range []string{wide, "middle", wide} {
				text, end := row(tt.emu, y)
				if len(text) < 3 || !strings.HasPrefix(line, text) || end > 10 {
					t.Errorf("row %d shows %q, want the start of %q\nscreen:\n%s", y, text, line, tt.emu.String())
				}
			}
		})
	}
}

func TestAutowrapIsOffWhileDrawing(t *testing.T) {
	tt := newTerm(10, 2, colorprofile.TrueColor)
	tt.draw(t, "ui")
	if on, seen := tt.modes[ansi.ModeAutoWrap]; !seen || on {
		t.Errorf("autowrap %v (set %v) while drawing, want off", on, seen)
	}
	if err := tt.Close(); err != nil {
		t.Fatal(err)
	}
	if !tt.modes[ansi.ModeAutoWrap] {
		t.Error("autowrap still off after Close")
	}
}

// TestModesOnlyWhereTheTerminalSaysSo asks the terminal about modes 2026 and
// 2027 and uses them only where it answers that it knows them.
func TestModesOnlyWhereTheTerminalSaysSo(t *testing.T) {
	for _, tc := range []struct {
		name       string
		knows      []ansi.Mode
		already    string // written to the terminal before the program starts
		sync       bool   // frames are synchronized
		turnOn     bool   // mode 2027 is turned on, and off by Close
		method     ansi.Method
		unicodeEnd bool // mode 2027 is on after Close
	}{
		{name: "neither", method: ansi.WcWidth},
		{name: "both", knows: []ansi.Mode{ansi.ModeSynchronizedOutput, ansi.ModeUnicodeCore},
			sync: true, turnOn: true, method: ansi.GraphemeWidth},
		{name: "2027 already on", knows: []ansi.Mode{ansi.ModeUnicodeCore}, already: ansi.SetModeUnicodeCore,
			method: ansi.GraphemeWidth, unicodeEnd: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt := newTerm(20, 3, colorprofile.TrueColor, tc.knows...)
			tt.emu.WriteString(tc.already)
			tt.draw(t, "one\ntwo\nthree")
			if !strings.Contains(tt.writes[0], ansi.RequestModeSynchronizedOutput) || !strings.Contains(tt.writes[0], ansi.RequestModeUnicodeCore) {
				t.Errorf("first frame %q does not ask about modes 2026 and 2027", tt.writes[0])
			}
			tt.answer(t)
			if tt.method != tc.method {
				t.Errorf("measuring with %v, want %v", tt.method, tc.method)
			}
			if tt.draw(t, "one\ntwo\nthree") != (tc.method == ansi.GraphemeWidth) {
				t.Errorf("frame after the answers written %v, want %v (whole after a change of widths)",
					len(tt.writes) > 1, tc.method == ansi.GraphemeWidth)
			}
			tt.draw(t, "one\n2\nthree")
			last := tt.writes[len(tt.writes)-1]
			synced := strings.HasPrefix(last, ansi.SetModeSynchronizedOutput) && strings.HasSuffix(last, ansi.ResetModeSynchronizedOutput)
			if synced != tc.sync || (!tc.sync && strings.Contains(strings.Join(tt.writes, ""), "?2026h")) {
				t.Errorf("frame %q: synchronized %v, want %v", last, synced, tc.sync)
			}
			if tt.draw(t, "one\n2\nthree") {
				t.Errorf("an unchanged frame wrote %q", tt.writes[len(tt.writes)-1])
			}
			turnedOn := strings.Contains(strings.Join(tt.writes, ""), ansi.SetModeUnicodeCore)
			if turnedOn != tc.turnOn {
				t.Errorf("mode 2027 turned on %v, want %v", turnedOn, tc.turnOn)
			}
			if got := tt.emu.String(); got != "one\n2\nthree" {
				t.Errorf("screen:\n%s", got)
			}
			if err := tt.Close(); err != nil {
				t.Fatal(err)
			}
			if on := tt.knows[ansi.ModeUnicodeCore] && tt.modes[ansi.ModeUnicodeCore]; on != tc.unicodeEnd {
				t.Errorf("mode 2027 on after Close: %v, want %v", on, tc.unicodeEnd)
			}
			if tt.modes[ansi.ModeSynchronizedOutput] {
				t.Error("mode 2026 on after Close")
			}
		})
	}
}

// TestReportsBeforeTheFirstFrame: answers that come before the first frame
// (to queries that some other program sent) take effect with it.
func TestReportsBeforeTheFirstFrame(t *testing.T) {
	tt := newTerm(10, 2, colorprofile.TrueColor, ansi.ModeUnicodeCore, ansi.ModeSynchronizedOutput)
	tt.Report(ansi.ModeUnicodeCore, ansi.ModeReset)
	tt.Report(ansi.ModeSynchronizedOutput, ansi.ModeReset)
	tt.draw(t, "a👨‍👩‍👧‍👦b")
	w := tt.writes[0]
	if !strings.HasPrefix(w, ansi.SetModeSynchronizedOutput) || !strings.Contains(w, ansi.SetModeUnicodeCore) {
		t.Errorf("first frame %q: want it synchronized and mode 2027 on", w)
	}
	checkScreen(t, tt, "a👨‍👩‍👧‍👦b", ansi.GraphemeWidth)
}

// TestWrapTakesModeReports runs a program on a terminal that knows modes
// 2026 and 2027 and answers on the program's input: Bubble Tea turns the
// answers into tea.ModeReportMsg, which Wrap gives the Terminal.
func TestWrapTakesModeReports(t *testing.T) {
	emu := vt.NewEmulator(20, 1)
	emu.WriteString(ansi.ResetModeSynchronizedOutput + ansi.ResetModeUnicodeCore)
	p, scr, term, stop := runCounterOn(t, emu)
	scr.waitFor(t, "count 0")
	servertest.WaitUntil(t, 10*time.Second, func() bool {
		scr.mu.Lock()
		defer scr.mu.Unlock()
		return strings.Contains(scr.out, ansi.SetModeUnicodeCore)
	}, func() string { return "mode 2027 never turned on" })
	p.Send(bump{})
	scr.waitFor(t, "count 1")
	stop()
	scr.mu.Lock()
	last := scr.last
	scr.mu.Unlock()
	if !strings.HasPrefix(last, ansi.SetModeSynchronizedOutput) || !strings.HasSuffix(last, ansi.ResetModeSynchronizedOutput) {
		t.Errorf("frame %q not synchronized", last)
	}
	if term.method != ansi.GraphemeWidth {
		t.Errorf("measuring with %v", term.method)
	}
	if err := term.Close(); err != nil {
		t.Fatal(err)
	}
	if w := scr.last; !strings.Contains(w, ansi.ResetModeUnicodeCore) || !strings.Contains(w, ansi.SetModeAutoWrap) {
		t.Errorf("Close wrote %q: want mode 2027 off and autowrap on", w)
	}
}
