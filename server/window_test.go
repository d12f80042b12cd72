package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"charm.land/ssh"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/server/servertest"
)

// A client may claim any window size up to 2^32-1 cells, in the PTY request
// and in every window change. Before boundWindows, a claimed 0xffffffff x
// 0xffffffff made Bubble Tea allocate its cell buffers for it and the
// whole server died out of memory. The terminal UI must see at most
// maxWindowWidth x maxWindowHeight. (The sizes below exceed the bounds in
// one direction only, so that the test stays cheap even without them.)
func TestTerminalUISeesABoundedWindow(t *testing.T) {
	t.Parallel()
	ts := startServer(t, content.NewLibrary(testSnapshot()), 0)
	c := dial(t, ts.addr)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	out := &servertest.Buffer{}
	sess.Stdout, sess.Stderr = out, out
	if err := sess.RequestPty("xterm-256color", 3, 40000, nil); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	servertest.WaitUntil(t, 10*time.Second, func() bool { return liveCount(ts.programs) == 1 }, func() string { return "no program started" })
	ts.programs.mu.Lock()
	var uiSess ssh.Session
	for s := range ts.programs.live {
		uiSess = s
	}
	ts.programs.mu.Unlock()
	pty, _, ok := uiSess.Pty()
	if !ok || pty.Window.Width != maxWindowWidth || pty.Window.Height != 3 {
		t.Errorf("the terminal UI sees a %dx%d window (pty %v), want %dx3", pty.Window.Width, pty.Window.Height, ok, maxWindowWidth)
	}

	// A window change is bounded too.
	if err := sess.WindowChange(1<<31, 2); err != nil {
		t.Fatal(err)
	}
	servertest.WaitUntil(t, 10*time.Second, func() bool {
		pty, _, _ := uiSess.Pty()
		return pty.Window.Height == maxWindowHeight
	}, func() string {
		pty, _, _ := uiSess.Pty()
		return fmt.Sprintf("after the window change the terminal UI sees %dx%d", pty.Window.Width, pty.Window.Height)
	})
	if pty, _, _ := uiSess.Pty(); pty.Window.Width != 2 {
		t.Errorf("width %d after the change, want 2", pty.Window.Width)
	}
}

// ptySession is a session with a PTY and a context, and nothing else.
type ptySession struct {
	ssh.Session
	ctx     ssh.Context
	pty     ssh.Pty
	changes chan ssh.Window
}

func (f *ptySession) Pty() (ssh.Pty, <-chan ssh.Window, bool) { return f.pty, f.changes, true }
func (f *ptySession) Context() ssh.Context                    { return f.ctx }

// doneContext is a session context of which only Done works.
type doneContext struct {
	ssh.Context
	done <-chan struct{}
}

func (d doneContext) Done() <-chan struct{} { return d.done }

// Every window change reaches the terminal UI clamped, in order, and the
// forwarding ends when the session's changes end, even when nobody reads
// them any more.
func TestBoundWindowsClampsEveryChange(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fs := &ptySession{
		ctx:     doneContext{done: ctx.Done()},
		pty:     ssh.Pty{Term: "xterm", Window: ssh.Window{Width: 1<<32 - 1, Height: 1<<32 - 1}},
		changes: make(chan ssh.Window),
	}
	got := make(chan ssh.Window, 10)
	handled := make(chan struct{})
	go boundWindows(func(s ssh.Session) {
		defer close(handled)
		pty, windows, _ := s.Pty()
		got <- pty.Window
		for range 3 {
			got <- <-windows
		}
	})(fs)
	// Pty reports the latest window, as charm.land/ssh's own session does
	// (it sets the PTY's window before it sends the change): the first
	// window is the initial one only if it is read before any change comes.
	want := []ssh.Window{{Width: maxWindowWidth, Height: maxWindowHeight}, {Width: maxWindowWidth, Height: 5}, {Width: 0, Height: 0}, {Width: 80, Height: maxWindowHeight}}
	if g := <-got; g != want[0] {
		t.Errorf("initial window: %+v, want %+v", g, want[0])
	}
	for _, w := range []ssh.Window{{Width: 1<<32 - 1, Height: 5}, {Width: 0, Height: 0}, {Width: 80, Height: 1 << 20}} {
		fs.changes <- w
	}
	<-handled
	for i, w := range want[1:] {
		if g := <-got; g != w {
			t.Errorf("window change %d: %+v, want %+v", i, g, w)
		}
	}
	// Nobody reads now: once the session is over, changes are dropped, not
	// blocking the sender.
	cancel()
	select {
	case fs.changes <- ssh.Window{Width: 1, Height: 1}:
	case <-time.After(10 * time.Second):
		t.Fatal("a window change blocked after the session ended")
	}
	close(fs.changes)
}
