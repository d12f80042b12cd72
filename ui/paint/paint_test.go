package paint

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// term is a Terminal drawing on a terminal emulator, with every write kept.
// The emulator measures as a wcwidth terminal does (see drawOn) unless it
// knows mode 2027 and the mode is set.
type term struct {
	*Terminal
	emu     *vt.Emulator
	knows   map[ansi.Mode]bool // of modes 2026 and 2027, those the terminal knows
	writes  []string
	modes   map[ansi.Mode]bool // DEC modes as the emulator last saw them
	bad     []string           // clusters the emulator could not draw as wcwidth does
	answers chan string        // what the terminal answers, as it answers it
}

// newTerm returns a Terminal on a width x height emulator that knows the
// modes given of 2026 and 2027 (reset at start, so that it reports them
// off); x/vt answers a request for any other mode that it does not know
// it.
func newTerm(width, height int, profile colorprofile.Profile, knows ...ansi.Mode) *term {
	tt := &term{emu: vt.NewEmulator(width, height), knows: map[ansi.Mode]bool{}, modes: map[ansi.Mode]bool{},
		answers: make(chan string, 64)}
	for _, m := range knows {
		tt.knows[m] = true
		tt.emu.WriteString(ansi.ResetMode(m))
	}
	tt.emu.SetCallbacks(vt.Callbacks{
		EnableMode:  func(m ansi.Mode) { tt.modes[m] = true },
		DisableMode: func(m ansi.Mode) { tt.modes[m] = false },
	})
	// The emulator answers queries on a pipe, and blocks until they are read.
	go func() {
		buf := make([]byte, 256)
		for {
			n, err := tt.emu.Read(buf)
			if err != nil {
				return
			}
			select {
			case tt.answers <- string(buf[:n]):
			default: // nobody asked for them
			}
		}
	}()
	tt.Terminal = New(tt, width, height, profile)
	return tt
}

// Write is the terminal's input: it keeps p and draws it.
func (tt *term) Write(p []byte) (int, error) {
	tt.writes = append(tt.writes, string(p))
	tt.bad = append(tt.bad, drawOn(tt.emu, p, func() bool {
		return !tt.knows[ansi.ModeUnicodeCore] || !tt.modes[ansi.ModeUnicodeCore]
	})...)
	return len(p), nil
}

// drawOn writes p on emu as a terminal that measures text by grapheme
// clusters does, or, while wcwidth() is true, as one that measures it as
// wcwidth does, as most terminals do: each code point takes its own cells,
// and a zero-width one (a combining mark, a ZWJ, a variation selector)
// goes with the one before. x/vt measures every cluster it is given by
// grapheme, so a cluster whose wcwidth differs is given to it in such
// pieces, one write each (a write ends a cluster). A piece it would still
// measure differently (a lone regional indicator, an emoji with a
// variation selector) is returned: the emulator cannot draw it as wcwidth
// does.
func drawOn(emu *vt.Emulator, p []byte, wcwidth func() bool) (bad []string) {
	var pending []byte // sequences to give the emulator in one write
	var state byte
	for len(p) > 0 {
		seq, _, n, next := ansi.DecodeSequence(p, state, nil)
		state, p = next, p[n:]
		if c := seq[0]; c < ' ' || c == ansi.DEL ||
			ansi.StringWidth(string(seq)) == ansi.StringWidthWc(string(seq)) {
			// A control, a sequence, or text measured the same either way.
			pending = append(pending, seq...)
			continue
		}
		// The sequences before may set mode 2027.
		_, _ = emu.Write(pending)
		pending = pending[:0]
		if !wcwidth() {
			pending = append(pending, seq...)
			continue
		}
		var pieces []string
		for _, r := range string(seq) {
			if ansi.StringWidthWc(string(r)) == 0 && len(pieces) > 0 {
				pieces[len(pieces)-1] += string(r)
			} else {
				pieces = append(pieces, string(r))
			}
		}
		for _, piece := range pieces {
			if ansi.StringWidth(piece) != ansi.StringWidthWc(piece) {
				bad = append(bad, piece)
			}
			_, _ = emu.WriteString(piece)
		}
	}
	_, _ = emu.Write(pending)
	return bad
}

// answer waits (at most 10 s) for the terminal's answers to the two mode
// requests of the first frame and gives them to the Terminal.
func (tt *term) answer(t *testing.T) {
	t.Helper()
	report := regexp.MustCompile(`\x1b\[\?(\d+);(\d)\$y`)
	var answers string
	timeout := time.After(10 * time.Second)
	for len(report.FindAllString(answers, -1)) < 2 {
		select {
		case a := <-tt.answers:
			answers += a
		case <-timeout:
			t.Fatalf("the terminal answered %q, want two mode reports", answers)
		}
	}
	for _, f := range report.FindAllStringSubmatch(answers, -1) {
		mode, _ := strconv.Atoi(f[1])
		value, _ := strconv.Atoi(f[2])
		tt.Report(ansi.DECMode(mode), ansi.ModeSetting(value))
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (tt *term) resize(width, height int) {
	tt.emu.Resize(width, height)
	tt.Resize(width, height)
}

func (tt *term) draw(t *testing.T, content string) bool {
	t.Helper()
	wrote, err := tt.Draw(tea.View{Content: content, MouseMode: tea.MouseModeCellMotion})
	if err != nil {
		t.Fatal(err)
	}
	return wrote
}

// want is the text a width x height screen shows for content: its first
// height lines, each cut to width cells, as the emulator prints a screen.
func want(content string, width, height int) string {
	lines := strings.Split(content, "\n")
	rows := make([]string, height)
	for i := range rows {
		if i < len(lines) {
			rows[i] = ansi.Strip(ansi.Truncate(lines[i], width, ""))
		}
	}
	return uv.TrimSpace(strings.Join(rows, "\n"))
}

func TestDrawShowsTheFrame(t *testing.T) {
	tt := newTerm(20, 4, colorprofile.TrueColor)
	frame := "title\n你好，世界。\n" + lipgloss.NewStyle().Bold(true).Render("bold") + " plain"
	if !tt.draw(t, frame) {
		t.Fatal("the first frame wrote nothing")
	}
	if got, w := tt.emu.String(), want(frame, 20, 4); got != w {
		t.Errorf("screen:\n%s\nwant:\n%s", got, w)
	}
	if !tt.emu.IsAltScreen() {
		t.Error("not in the alternate screen")
	}
	if !tt.emu.CursorHidden() {
		t.Error("text cursor shown")
	}
	if !tt.modes[ansi.ModeMouseButtonEvent] || !tt.modes[ansi.ModeMouseExtSgr] || !tt.modes[ansi.ModeBracketedPaste] {
		t.Errorf("modes = %v, want mouse button events, SGR mouse and bracketed paste", tt.modes)
	}
	// The alternate screen starts blank: only the three rows of text are
	// written.
	if moves := regexp.MustCompile(`\x1b\[[0-9;]*H`).FindAllString(tt.writes[0], -1); len(moves) != 3 {
		t.Errorf("first frame moved the cursor %d times, want 3 (one per line of text): %q", len(moves), tt.writes[0])
	}
	// The style ends with its line: the text after it is plain.
	if c := tt.emu.CellAt(5, 2); c == nil || c.Style.Attrs != 0 {
		t.Errorf("cell after the bold word: %+v, want plain", c)
	}
}

func TestAskedQueriesGoWithTheNextFrame(t *testing.T) {
	tt := newTerm(20, 2, colorprofile.TrueColor)
	tt.Ask(ansi.RequestBackgroundColor)
	tt.draw(t, "first")
	tt.draw(t, "second")
	if len(tt.writes) != 2 || !strings.Contains(tt.writes[0], ansi.RequestBackgroundColor) || strings.Contains(tt.writes[1], ansi.RequestBackgroundColor) {
		t.Errorf("writes %q: want the query in the first frame only", tt.writes)
	}
}

func TestDrawWritesOnlyWhatChanged(t *testing.T) {
	tt := newTerm(30, 5, colorprofile.TrueColor)
	tt.draw(t, "one\ntwo\nthree\nfour\nfive")
	if tt.draw(t, "one\ntwo\nthree\nfour\nfive") {
		t.Errorf("an unchanged frame wrote %q", tt.writes[len(tt.writes)-1])
	}
	n := len(tt.writes)
	tt.draw(t, "one\ntwo\nTHREE\nfour\nfive")
	if len(tt.writes) != n+1 {
		t.Fatalf("%d writes for one frame", len(tt.writes)-n)
	}
	w := tt.writes[n]
	if strings.Count(w, "\x1b[") > 4 || !strings.Contains(w, ansi.CursorPosition(1, 3)+"THREE") {
		t.Errorf("a one-line change wrote %q: want the third row only", w)
	}
	if got := tt.emu.String(); got != "one\ntwo\nTHREE\nfour\nfive" {
		t.Errorf("screen:\n%s", got)
	}
	// Shorter lines leave nothing of the longer ones behind.
	tt.draw(t, "1\n\n3")
	if got := tt.emu.String(); got != want("1\n\n3", 30, 5) {
		t.Errorf("screen after shorter lines:\n%q", got)
	}
}

func TestDrawCutsTheFrameToTheScreen(t *testing.T) {
	tt := newTerm(6, 2, colorprofile.TrueColor)
	tt.draw(t, "abcdefghij\n一二三四\nthird line, past the bottom")
	if got := tt.emu.String(); got != "abcdef\n一二三" {
		t.Errorf("screen:\n%s", got)
	}
	if pos := tt.emu.CursorPosition(); pos.Y != 1 {
		t.Errorf("cursor on row %d: the screen scrolled", pos.Y)
	}
	// An overlong line that stays is not written again.
	tt.draw(t, "abcdefghij\n二")
	if moves := strings.Count(tt.writes[len(tt.writes)-1], "H"); moves != 1 {
		t.Errorf("one changed row of two, %d rows written: %q", moves, tt.writes[len(tt.writes)-1])
	}
	// A tab is spaces to the next tab stop, so it cannot push the line past the edge.
	tt.draw(t, "a\tbcdef\nxy")
	if got := tt.emu.String(); got != "a   bc\nxy" {
		t.Errorf("tabs:\n%q", got)
	}
	// A full row keeps its last column.
	tt.draw(t, "123456\nabcdef")
	if got := tt.emu.String(); got != "123456\nabcdef" {
		t.Errorf("full rows:\n%s", got)
	}
}

func TestOddSizes(t *testing.T) {
	for _, size := range [][2]int{{0, 0}, {1, 1}, {0, 5}, {5, 0}, {-1, -1}, {500, 250}} {
		var out bytes.Buffer
		tm := New(&out, size[0], size[1], colorprofile.TrueColor)
		for _, frame := range []string{"", "你好\nworld", strings.Repeat("界", 300)} {
			if _, err := tm.Draw(tea.View{Content: frame}); err != nil {
				t.Fatalf("%v: %v", size, err)
			}
		}
		tm.Resize(size[1], size[0])
		if _, err := tm.Draw(tea.View{Content: "x"}); err != nil {
			t.Fatalf("%v: %v", size, err)
		}
	}
}

func TestResizeRedrawsEverything(t *testing.T) {
	tt := newTerm(10, 3, colorprofile.TrueColor)
	tt.draw(t, "a\nb\nc")
	// A terminal may reflow or clear its screen on resize: the emulator's
	// is cleared here, and the same frame must come back whole.
	tt.emu.WriteString("\x1b[2J")
	tt.resize(12, 3)
	if !tt.draw(t, "a\nb\nc") {
		t.Fatal("nothing written after a resize")
	}
	if got := tt.emu.String(); got != "a\nb\nc" {
		t.Errorf("screen after resize:\n%s", got)
	}
}

func TestCloseRestoresTheTerminal(t *testing.T) {
	tt := newTerm(10, 3, colorprofile.TrueColor)
	if err := tt.Close(); err != nil || len(tt.writes) != 0 {
		t.Fatalf("Close before any frame wrote %q (err %v)", tt.writes, err)
	}
	tt.emu.WriteString("shell$ ")
	if _, err := tt.Draw(tea.View{Content: "ui", MouseMode: tea.MouseModeCellMotion, WindowTitle: "blog"}); err != nil {
		t.Fatal(err)
	}
	if err := tt.Close(); err != nil {
		t.Fatal(err)
	}
	if tt.emu.IsAltScreen() || tt.emu.CursorHidden() {
		t.Errorf("after Close: alternate screen %v, cursor hidden %v", tt.emu.IsAltScreen(), tt.emu.CursorHidden())
	}
	for _, m := range []ansi.Mode{ansi.ModeMouseButtonEvent, ansi.ModeMouseExtSgr, ansi.ModeBracketedPaste} {
		if tt.modes[m] {
			t.Errorf("mode %v still set after Close", m)
		}
	}
	if got := tt.emu.String(); got != want("shell$", 10, 3) {
		t.Errorf("main screen after Close: %q", got)
	}
	last := tt.writes[len(tt.writes)-1]
	for _, seq := range []string{ansi.ResetModifyOtherKeys, ansi.PopKittyKeyboard(1), ansi.SetWindowTitle("")} {
		if !strings.Contains(last, seq) {
			t.Errorf("Close wrote %q: no %q", last, seq)
		}
	}
}

func TestCursorAndModesFollowTheView(t *testing.T) {
	tt := newTerm(10, 3, colorprofile.TrueColor)
	v := tea.View{Content: "abc", Cursor: tea.NewCursor(2, 1)}
	if _, err := tt.Draw(v); err != nil {
		t.Fatal(err)
	}
	if tt.emu.CursorHidden() || tt.emu.CursorPosition() != (uv.Position{X: 2, Y: 1}) {
		t.Errorf("cursor hidden %v at %v, want shown at 2,1", tt.emu.CursorHidden(), tt.emu.CursorPosition())
	}
	v.Cursor, v.MouseMode, v.DisableBracketedPasteMode = nil, tea.MouseModeAllMotion, true
	if _, err := tt.Draw(v); err != nil {
		t.Fatal(err)
	}
	if !tt.emu.CursorHidden() {
		t.Error("cursor shown after the view dropped it")
	}
	if !tt.modes[ansi.ModeMouseAnyEvent] || tt.modes[ansi.ModeMouseButtonEvent] || tt.modes[ansi.ModeBracketedPaste] {
		t.Errorf("modes = %v, want any-event mouse and no bracketed paste", tt.modes)
	}
}

func TestColoursFollowTheProfile(t *testing.T) {
	red := lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000")).Render("red")
	for _, tc := range []struct {
		profile      colorprofile.Profile
		want, reject string
	}{
		{colorprofile.TrueColor, "38;2;255;0;0", ""},
		{colorprofile.ANSI256, "38;5;196", "38;2;"},
		{colorprofile.ANSI, "91", "38;"},
		{colorprofile.Ascii, "", "38;"},
		{colorprofile.NoTTY, "", "38;"}, // as Ascii: the cursor still moves
	} {
		t.Run(tc.profile.String(), func(t *testing.T) {
			tt := newTerm(10, 2, tc.profile)
			tt.draw(t, "x\n"+red)
			out := strings.Join(tt.writes, "")
			if !strings.Contains(out, tc.want) || (tc.reject != "" && strings.Contains(out, tc.reject)) {
				t.Errorf("wrote %q: want %q and no %q", out, tc.want, tc.reject)
			}
			if got := tt.emu.String(); got != "x\nred" {
				t.Errorf("screen:\n%s", got)
			}
		})
	}
}

func TestAWriteErrorStopsWriting(t *testing.T) {
	calls := 0
	tm := New(writerFunc(func([]byte) (int, error) {
		calls++
		return 0, fmt.Errorf("session closed")
	}), 10, 2, colorprofile.TrueColor)
	if _, err := tm.Draw(tea.View{Content: "a"}); err == nil {
		t.Fatal("no error from a failed write")
	}
	if _, err := tm.Draw(tea.View{Content: "b"}); err == nil || calls != 1 {
		t.Errorf("after a failed write: err %v, %d writes", err, calls)
	}
	if err := tm.Close(); err == nil || calls != 1 {
		t.Errorf("Close after a failed write: err %v, %d writes", err, calls)
	}
}

// TestRandomFramesShowTheLastOne draws random sequences of frames (wide,
// narrow and joined characters, styles, short, long and missing lines) at
// random sizes on an emulator, measuring as wcwidth does and by grapheme
// clusters; after each frame the screen shows exactly it.
func TestRandomFramesShowTheLastOne(t *testing.T) {
	for _, mode := range []struct {
		name   string
		knows  []ansi.Mode
		method ansi.Method
	}{
		{"wcwidth", nil, ansi.WcWidth},
		{"grapheme", []ansi.Mode{ansi.ModeSynchronizedOutput, ansi.ModeUnicodeCore}, ansi.GraphemeWidth},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			randomFrames(t, mode.knows, mode.method)
		})
	}
}

func randomFrames(t *testing.T, knows []ansi.Mode, method ansi.Method) {
	rng := rand.New(rand.NewPCG(1, 2))
	// The last word leaves its style on, as a line cut inside a styled run
	// may: it must not reach the next row or the erased rest of its own.
	// (No combining marks: Lip Gloss underlines rune by rune, putting a
	// mark after an escape sequence, away from its letter.)
	words := []string{"a", "blog", " ", "  ", "你好", "。", "，", "「引用」", "2020年终总结", "ｗｉｄｅ", "-", "x",
		"😀", "👨‍👩‍👧", "🇺🇸", "👍🏽", "\x1b[44;1mopen"}
	styles := []lipgloss.Style{
		lipgloss.NewStyle(),
		lipgloss.NewStyle().Bold(true),
		lipgloss.NewStyle().Foreground(lipgloss.Color("#5f87ff")).Background(lipgloss.Color("236")),
		lipgloss.NewStyle().Underline(true).Italic(true),
	}
	frame := func(width, height int) string {
		lines := make([]string, rng.IntN(height+3))
		for i := range lines {
			var b strings.Builder
			for range rng.IntN(width/2 + 2) {
				b.WriteString(styles[rng.IntN(len(styles))].Render(words[rng.IntN(len(words))]))
			}
			lines[i] = b.String()
		}
		return strings.Join(lines, "\n")
	}
	for run := range 200 {
		width, height := 1+rng.IntN(40), 1+rng.IntN(12)
		tt := newTerm(width, height, colorprofile.ANSI256, knows...)
		tt.draw(t, "")
		tt.answer(t)
		var last string
		for step := range 6 {
			if rng.IntN(4) == 0 {
				width, height = 1+rng.IntN(40), 1+rng.IntN(12)
				tt.resize(width, height)
			}
			switch rng.IntN(3) {
			case 0: // a new frame
				last = frame(width, height)
			case 1: // one line changed
				lines := strings.Split(last, "\n")
				lines[rng.IntN(len(lines))] = frame(width, 1)
				last = strings.Join(lines, "\n")
			}
			tt.draw(t, last)
			if checkScreen(t, tt, last, method); t.Failed() {
				t.Fatalf("run %d step %d, %dx%d, frame %q", run, step, width, height, last)
			}
			// Every cell has the frame's character and style, as a fresh
			// terminal given each line, cut, on its own row shows them.
			ref := vt.NewEmulator(width, height)
			for i, line := range strings.SplitN(last, "\n", height+1)[:min(height, strings.Count(last, "\n")+1)] {
				line, _ = cut(method, line, width)
				var b bytes.Buffer
				_, _ = (&colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI256}).Write(
					[]byte(ansi.CursorPosition(1, i+1) + line + ansi.ResetStyle))
				drawOn(ref, b.Bytes(), func() bool { return method == ansi.WcWidth })
			}
			for y := range height {
				for x := range width {
					got, w := tt.emu.CellAt(x, y), ref.CellAt(x, y)
					if got.Content != w.Content || got.Width != w.Width || !got.Style.Equal(&w.Style) {
						t.Fatalf("run %d step %d, cell %d,%d: %+v, want %+v\nframe %q", run, step, x, y, got, w, last)
					}
				}
			}
		}
	}
}

func BenchmarkDraw(b *testing.B) {
	// A reader's screen scrolled by one line: every row changes.
	style := lipgloss.NewStyle().Foreground(lipgloss.Color("#d0d0d0"))
	var lines []string
	for i := range 60 {
		lines = append(lines, style.Render(fmt.Sprintf("%03d 这是一行中文，和一些 English words 混在一起。", i)))
	}
	frames := []string{strings.Join(lines[:30], "\n"), strings.Join(lines[1:31], "\n")}
	for _, p := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256} {
		b.Run(p.String(), func(b *testing.B) {
			var out bytes.Buffer
			tm := New(&out, 100, 30, p)
			b.ReportAllocs()
			for i := range b.N {
				out.Reset()
				if _, err := tm.Draw(tea.View{Content: frames[i%2]}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.Len()), "bytes/frame")
		})
	}
}
