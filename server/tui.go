package server

import (
	"context"
	"fmt"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	bm "charm.land/wish/v2/bubbletea"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/ui"
)

// goodbye is written to a reader's terminal when the server shutting down
// ends their session (after the UI has restored the screen).
const goodbye = "sshblog: the server is shutting down; please come back in a moment.\n"

// newProgram builds the terminal UI for one interactive session. It returns
// nil, and the session gets no UI, when the server is shutting down.
func (s *Server) newProgram(sess ssh.Session) *tea.Program {
	pty, _, _ := sess.Pty()
	snap := s.library.Snapshot()
	model := ui.New(ui.Options{
		Snapshot: snap,
		Renderer: s.renderer,
		Plain:    wantsPlain(pty.Term, sess.Environ()),
		Width:    pty.Window.Width,
		Height:   pty.Window.Height,
	})
	// The program's own context, cancelled when the session is forgotten,
	// guarantees that a snapshot still being sent to it is given up.
	ctx, cancel := context.WithCancel(context.Background())
	opts := append(bm.MakeOptions(sess), // session I/O, colour profile from the client's TERM and env, window size
		tea.WithContext(ctx),
		// The server handles SIGINT/SIGTERM (graceful shutdown); one signal
		// handler per session would also cost a goroutine each.
		tea.WithoutSignalHandler(),
	)
	p := tea.NewProgram(model, opts...)
	lp := s.programs.add(sess, p, cancel)
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

// trackProgram wraps the Bubble Tea middleware: when the session ends, its
// program is forgotten (no more snapshots are sent to it), and if the server
// is shutting down the reader is told why the UI went away.
func (s *Server) trackProgram(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer s.programs.remove(sess)
		next(sess)
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
	cancel  context.CancelFunc
	pending *content.Snapshot // newest snapshot not yet handed to program
	sending bool              // a goroutine is delivering pending
}

func newPrograms() *programs {
	return &programs{live: make(map[ssh.Session]*liveProgram)}
}

// add lists p as sess's program; it returns nil once the set is closed.
func (ps *programs) add(sess ssh.Session, p *tea.Program, cancel context.CancelFunc) *liveProgram {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.closed {
		return nil
	}
	lp := &liveProgram{program: p, cancel: cancel}
	ps.live[sess] = lp
	return lp
}

// remove forgets sess's program, if any, and releases its delivery goroutine.
func (ps *programs) remove(sess ssh.Session) {
	ps.mu.Lock()
	lp := ps.live[sess]
	delete(ps.live, sess)
	ps.mu.Unlock()
	if lp != nil {
		lp.cancel()
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
