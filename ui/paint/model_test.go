package paint

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"

	"github.com/sshblog/sshblog/server/servertest"
)

// counter shows how many bumps it has had.
type counter struct{ n int }

type bump struct{}

func (c counter) Init() tea.Cmd { return nil }

func (c counter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(bump); ok {
		c.n++
	}
	return c, nil
}

func (c counter) View() tea.View {
	return tea.View{Content: "count " + strconv.Itoa(c.n), AltScreen: true}
}

// screen is an emulator that a program draws on from its own goroutine.
type screen struct {
	mu     sync.Mutex
	emu    *vt.Emulator
	writes int
	out    string // every write
	last   string // the last write
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	s.out += string(p)
	s.last = string(p)
	return s.emu.Write(p)
}

func (s *screen) state() (text string, writes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String(), s.writes
}

// waitFor waits (at most 10 s) until the screen shows text.
func (s *screen) waitFor(t *testing.T, text string) {
	t.Helper()
	var got string
	servertest.WaitUntil(t, 10*time.Second, func() bool {
		got, _ = s.state()
		return got == text
	}, func() string { return fmt.Sprintf("screen shows %q, want %q", got, text) })
}

// runCounter runs a counter drawn on a 20x1 emulator; see runCounterOn.
func runCounter(t *testing.T) (p *tea.Program, scr *screen, term *Terminal, stop func()) {
	t.Helper()
	return runCounterOn(t, vt.NewEmulator(20, 1))
}

// runCounterOn runs a counter drawn on emu, whose answers to queries are
// the program's input; stop quits it and returns once Run has (also done
// at cleanup).
func runCounterOn(t *testing.T, emu *vt.Emulator) (p *tea.Program, scr *screen, term *Terminal, stop func()) {
	t.Helper()
	scr = &screen{emu: emu}
	term = New(scr, emu.Width(), emu.Height(), colorprofile.TrueColor)
	p = tea.NewProgram(Wrap(counter{}, term),
		tea.WithoutRenderer(), tea.WithInput(emu), tea.WithOutput(io.Discard),
		tea.WithoutSignalHandler(), tea.WithWindowSize(emu.Width(), emu.Height()))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := p.Run(); err != nil {
			t.Error(err)
		}
	}()
	stop = func() {
		p.Quit()
		<-done
	}
	t.Cleanup(stop)
	return p, scr, term, stop
}

func TestWrapDrawsTheFirstFrameAtOnce(t *testing.T) {
	_, scr, _, _ := runCounter(t)
	// No message is sent: the frame after Init is drawn by itself.
	scr.waitFor(t, "count 0")
}

func TestWrapDrawsABurstAsFewFramesEndingWithTheLast(t *testing.T) {
	p, scr, _, _ := runCounter(t)
	scr.waitFor(t, "count 0")
	_, before := scr.state()
	start := time.Now()
	const n = 500
	for range n {
		p.Send(bump{})
	}
	scr.waitFor(t, "count "+strconv.Itoa(n))
	elapsed := time.Since(start)
	_, after := scr.state()
	// After a burst of Burst frames, frames are FrameInterval apart,
	// whatever the machine's speed.
	if frames, most := after-before, int(elapsed/FrameInterval)+Burst+1; frames > most {
		t.Errorf("%d frames for %d messages in %v: more than one per %v", frames, n, elapsed, FrameInterval)
	}
}

func TestWrapFollowsTheWindowSize(t *testing.T) {
	p, scr, term, stop := runCounter(t)
	scr.waitFor(t, "count 0")
	scr.mu.Lock()
	scr.emu.Resize(4, 1)
	scr.mu.Unlock()
	p.Send(tea.WindowSizeMsg{Width: 4, Height: 1})
	p.Send(bump{})
	scr.waitFor(t, "coun") // cut to the new width
	// Once Run has returned, the screen is the caller's to restore.
	stop()
	if err := term.Close(); err != nil {
		t.Fatal(err)
	}
	scr.mu.Lock()
	defer scr.mu.Unlock()
	if scr.emu.IsAltScreen() {
		t.Error("still in the alternate screen after Close")
	}
}
