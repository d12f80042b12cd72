package server

import (
	"context"
	"fmt"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	bm "charm.land/wish/v2/bubbletea"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/ui"
	"github.com/sshblog/sshblog/ui/paint"
)

// goodbye is written to a reader's terminal when the server shutting down
// ends their session (after the UI has restored the screen).
const goodbye = "sshblog: the server is shutting down; please come back in a moment.\n"

// newProgram builds the terminal UI for one interactive session. It returns
// nil, and the session gets no UI, when the server is shutting down.
//
// The UI is drawn by paint, not by Bubble Tea's own renderer, which keeps
// two cell buffers of the whole window per session (see package paint).
func (s *Server) newProgram(sess ssh.Session) *tea.Program {
	pty, _, _ := sess.Pty()
	snap := s.library.Snapshot()
	plain := wantsPlain(pty.Term, sess.Environ())
	link, _ := directLink(snap, sess.Command()) // routeCommands let only links through
	model := ui.New(ui.Options{
		Snapshot:        snap,
		Renderer:        s.renderer,
		Searcher:        s.search,
		Link:            link,
		Cache:           s.cache,
		Plain:           plain,
		Width:           pty.Window.Width,
		Height:          pty.Window.Height,
		BackgroundAsked: true, // by screen, below
	})
	// The colour profile as the Bubble Tea middleware works it out for an
	// emulated PTY (its options send it to the program too, but only after
	// the first frame is drawn).
	profile := colorprofile.Env(append(sess.Environ(), "TERM="+pty.Term))
	screen := paint.New(sess, pty.Window.Width, pty.Window.Height, profile)
	if !plain {
		screen.Ask(ansi.RequestBackgroundColor) // dark or light theme
	}
	// The program's own context, cancelled when the session is forgotten,
	// guarantees that a snapshot still being sent to it is given up.
	ctx, cancel := context.WithCancel(context.Background())
	opts := append(bm.MakeOptions(sess), // session I/O, colour profile from the client's TERM and env, window size
		tea.WithContext(ctx),
		tea.WithoutRenderer(), // paint draws the screen
		// With no renderer, the program's frame ticker only flushes terminal
		// queries that commands queue, and the UI sends none (screen asks for
		// the background colour): once a second instead of 60 times spares
		// an idle session's CPU (0.28 ms a second at 60).
		tea.WithFPS(1),
		// The server handles SIGINT/SIGTERM (graceful shutdown); one signal
		// handler per session would also cost a goroutine each.
		tea.WithoutSignalHandler(),
	)
	p := tea.NewProgram(paint.Wrap(model, screen), opts...)
	lp := s.programs.add(sess, p, screen, cancel)
	if lp == nil {
		cancel()
		return nil
	}
	// A snapshot published between reading snap and add was announced
	// before this program was listed: hand it over now. (The library stores
	// a snapshot before announcing it, so one of the two paths sees it.)
	if now := s.library.Snapshot(); now != snap {
		s.programs.send(lp, now)
	}
	return p
}

// trackProgram wraps the Bubble Tea middleware: when the session's program
// has ended, its screen is restored and it is forgotten (no more snapshots
// are sent to it), and if the server is shutting down the reader is told
// why the UI went away.
func (s *Server) trackProgram(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer s.programs.remove(sess) // also when next panics; then a no-op
		next(sess)
		s.programs.remove(sess)
		if s.programs.isClosed() {
			_, _ = fmt.Fprint(sess, goodbye)
		}
	}
}

// wantsPlain reports whether the client asked for output without colour or
// styling: NO_COLOR set to anything (https://no-color.org), or TERM=dumb.
// term is the terminal type from the PTY request, which wins over a TERM
// variable the client may also send.
func wantsPlain(term string, environ []string) bool {
	envTerm := ""
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "NO_COLOR":
			if v != "" {
				return true
			}
		case "TERM":
			envTerm = v
		}
	}
	if term == "" {
		term = envTerm
	}
	return term == "dumb"
}

// programs is the set of running terminal UIs, keyed by session. It passes
// snapshots on without ever blocking the publisher: each program has a
// one-slot mailbox holding the newest snapshot it has not yet received, and
// at most one goroutine delivering it (a program busy rendering may take a
// while to accept). When the session ends, the program's context is
// cancelled, which releases that goroutine.
type programs struct {
	mu     sync.Mutex
	live   map[ssh.Session]*liveProgram
	closed bool // the server is shutting down: no new programs
}

// liveProgram is one running terminal UI. pending and sending are guarded
// by programs.mu.
type liveProgram struct {
	program *tea.Program
	screen  *paint.Terminal
	cancel  context.CancelFunc
	pending *content.Snapshot // newest snapshot not yet handed to program
	sending bool              // a goroutine is delivering pending
}

func newPrograms() *programs {
	return &programs{live: make(map[ssh.Session]*liveProgram)}
}

// add lists p, drawn on screen, as sess's program; it returns nil once the
// set is closed.
func (ps *programs) add(sess ssh.Session, p *tea.Program, screen *paint.Terminal, cancel context.CancelFunc) *liveProgram {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.closed {
		return nil
	}
	lp := &liveProgram{program: p, screen: screen, cancel: cancel}
	ps.live[sess] = lp
	return lp
}

// remove forgets sess's program, if any, releases its delivery goroutine
// and restores its screen. Call it once the program has returned: until
// then its event loop owns the screen.
func (ps *programs) remove(sess ssh.Session) {
	ps.mu.Lock()
	lp := ps.live[sess]
	delete(ps.live, sess)
	ps.mu.Unlock()
	if lp != nil {
		lp.cancel()
		_ = lp.screen.Close() // the session may be gone already
	}
}

// publish hands snap to every listed program.
func (ps *programs) publish(snap *content.Snapshot) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, lp := range ps.live {
		ps.sendLocked(lp, snap)
	}
}

// send hands snap to one program.
func (ps *programs) send(lp *liveProgram, snap *content.Snapshot) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.sendLocked(lp, snap)
}

func (ps *programs) sendLocked(lp *liveProgram, snap *content.Snapshot) {
	lp.pending = snap // a newer snapshot replaces an undelivered one
	if !lp.sending {
		lp.sending = true
		go ps.deliver(lp)
	}
}

// deliver sends lp's pending snapshots until none is left. Program.Send
// returns once the program takes the message or its context is done.
func (ps *programs) deliver(lp *liveProgram) {
	for {
		ps.mu.Lock()
		snap := lp.pending
		lp.pending = nil
		if snap == nil {
			lp.sending = false
			ps.mu.Unlock()
			return
		}
		ps.mu.Unlock()
		lp.program.Send(ui.SnapshotMsg{Snapshot: snap})
	}
}

// quitAll closes the set to new programs and asks every listed one to
// quit. It returns how many it asked.
func (ps *programs) quitAll() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.closed = true
	for _, lp := range ps.live {
		go lp.program.Quit() // Quit waits until the program takes the message
	}
	return len(ps.live)
}

// isClosed reports whether quitAll has been called.
func (ps *programs) isClosed() bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.closed
}
