// Package server is sshblog's SSH server: it authenticates readers, routes
// each session (the terminal UI for interactive terminals, plain text for
// commands and sessions without a terminal), and keeps every open terminal
// UI up to date with the library's live snapshot.
//
// Authors (Authors: keys decided from the key that authenticated) publish
// through it to the blog's store: git push and clone of blog.git (git.go),
// legacy scp (scp.go) and sftp, which modern scp speaks (sftp.go); they see
// the history and roll back with commands. publish.go says who may do what.
//
// New is the one place the server is wired; its middleware chain is listed
// there, in order, with the reason for each position.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"
	rm "charm.land/wish/v2/recover"
	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/ui"
)

// handshakeTimeout bounds how long a connection may take to authenticate,
// so half-open connections cannot pile up.
const handshakeTimeout = 30 * time.Second

// Config holds everything a Server depends on.
type Config struct {
	// HostSigners are the server's host keys (at least one).
	HostSigners []gossh.Signer
	// Content is what the server serves (ReadOnly or Publishing); its
	// library's updates reach open sessions.
	Content Content
	// Renderer renders posts for the terminal UI; shared by all sessions.
	Renderer ui.Renderer
	// Logger receives one line per session and every recovered panic.
	Logger *slog.Logger
	// IdleTimeout closes a connection with no traffic for this long; zero
	// means never.
	IdleTimeout time.Duration
	// Authors are the keys that may publish; nil means nobody may.
	Authors *Authors
	// Search searches the whole blog, for the terminal UI's search and the
	// search command (commands_search.go); nil leaves the command out and
	// gives the UI its simple title and body search.
	Search ui.Searcher
}

// Server is sshblog's SSH server. Create it with New, start it with Serve,
// and stop it with Shutdown or Close.
type Server struct {
	ssh      *ssh.Server
	library  *content.Library
	renderer ui.Renderer
	cache    *ui.Cache // what the UI works out from the posts, once for every session
	logger   *slog.Logger
	programs *programs // open terminal UIs

	store      *store.Store // nil: publishing is off
	publishOff string       // why, for authors
	authors    *Authors     // nil: nobody may publish
	search     ui.Searcher  // nil: no search command

	mu        sync.Mutex
	addr      net.Addr      // of the first listener passed to Serve
	forwarder sync.Once     // starts forwardSnapshots
	stop      chan struct{} // closed by Shutdown and Close
	stopped   bool
	listeners map[net.Listener]struct{} // passed to Serve and not yet closed
	serving   sync.WaitGroup            // Serve calls that have not returned
}

// New returns a server for cfg. It does not listen yet: see Serve.
func New(cfg Config) (*Server, error) {
	switch {
	case len(cfg.HostSigners) == 0:
		return nil, errors.New("new server: no host key")
	case cfg.Content.library == nil:
		return nil, errors.New("new server: no content (server.ReadOnly or server.Publishing)")
	case cfg.Renderer == nil:
		return nil, errors.New("new server: no renderer")
	case cfg.IdleTimeout < 0:
		return nil, fmt.Errorf("new server: negative idle timeout %s", cfg.IdleTimeout)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		library:    cfg.Content.library,
		renderer:   cfg.Renderer,
		cache:      ui.NewCache(),
		logger:     logger,
		programs:   newPrograms(),
		stop:       make(chan struct{}),
		store:      cfg.Content.store,
		publishOff: cfg.Content.publishOff,
		authors:    cfg.Authors,
		search:     cfg.Search,
	}

	// The middleware chain. wish.WithMiddleware runs the LAST listed FIRST,
	// so read it bottom-up to follow a session.
	chain := rm.MiddlewareWithLogger(
		// A panic anywhere below ends that session only, logged with its
		// stack, instead of the whole server.
		slog.NewLogLogger(logger.Handler(), slog.LevelError),

		// Runs last: only interactive terminals without a command get here.
		// One Bubble Tea program and ui.Model per session.
		bm.MiddlewareWithProgramHandler(s.newProgram),
		// Wraps the TUI: forgets the session's program when it ends, however
		// it ends, and says goodbye when the server is shutting down.
		s.trackProgram,
		// Before the TUI: clamps the PTY's size and window changes, which a
		// client may claim as anything up to 2^32-1 cells, to what Bubble
		// Tea can afford to allocate (window.go).
		boundWindows,
		// Before the TUI: commands and sessions without a PTY get plain text
		// and never reach Bubble Tea, which would ignore s.Command(). The
		// authors' history and rollback are commands too.
		s.routeCommands,
		// Before command routing, which would take "scp -t ..." for an
		// unknown command: legacy scp (scp -O) in both directions, for
		// authors only. Modern scp speaks sftp, a subsystem (see below).
		s.scpTransport,
		// Before scp and commands: git-upload-pack and git-receive-pack on
		// blog.git, for authors only.
		s.gitTransport,
		// Runs first: one log line per session, whichever path it takes.
		s.logSession,
	)

	srv, err := wish.NewServer(
		// Readers are anonymous: accept any public key. The key that actually
		// authenticated stays available as s.PublicKey(): charm.land/ssh
		// takes it from the permissions of the method that succeeded, after
		// the signature was verified, never from a key merely offered (this
		// callback also runs for offered keys). Authors are decided by it;
		// see TestAuthorKeyMustAuthenticate.
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		// Clients without a key can still read: accept keyboard-interactive
		// without asking anything.
		wish.WithKeyboardInteractiveAuth(func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }),
		// Emulate the PTY (as the sshload baseline does): no OS pseudo-terminal
		// per session, and window changes reach Bubble Tea. Never
		// ssh.AllocatePty, which steals the window-change events.
		ssh.EmulatePty(),
		wish.WithIdleTimeout(cfg.IdleTimeout),
		wish.WithVersion("sshblog"),
		wish.WithMiddleware(chain),
		// sftp (and modern scp, which speaks it) is a subsystem: it bypasses
		// the chain above, so the handler authorises, logs and recovers by
		// itself.
		wish.WithSubsystem("sftp", s.sftpSubsystem),
		// Host keys go in as an option: wish.NewServer writes a fresh
		// id_ed25519 into the working directory when none is set.
		withHostSigners(cfg.HostSigners),
	)
	if err != nil {
		return nil, fmt.Errorf("new server: %w", err)
	}
	srv.HandshakeTimeout = handshakeTimeout
	s.ssh = srv
	return s, nil
}

// withHostSigners adds the server's host keys.
func withHostSigners(signers []gossh.Signer) ssh.Option {
	return func(srv *ssh.Server) error {
		for _, signer := range signers {
			srv.AddHostKey(signer)
		}
		return nil
	}
}

// Serve accepts connections on l until Shutdown or Close, and returns nil
// then; any other error ends it early.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	if s.addr == nil {
		s.addr = l.Addr()
	}
	if s.listeners == nil {
		s.listeners = make(map[net.Listener]struct{})
	}
	s.listeners[l] = struct{}{}
	// Added under mu while not stopped: stopListening's Wait never runs
	// concurrently with an Add from zero.
	s.serving.Add(1)
	defer s.serving.Done()
	s.forwarder.Do(func() {
		updates, unsubscribe := s.library.Subscribe()
		go s.forwardSnapshots(updates, unsubscribe)
	})
	s.mu.Unlock()

	err := s.ssh.Serve(l)
	s.mu.Lock()
	stopped := s.stopped
	delete(s.listeners, l)
	s.mu.Unlock()
	if stopped || errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Addr returns the address of the listener Serve was given, or nil before
// Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Shutdown stops accepting connections, asks every terminal UI to quit
// (the reader is told the server is going away), and waits for open
// connections to end. When ctx is done first, it closes the remaining
// connections and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopListening()
	if n := s.programs.quitAll(); n > 0 {
		s.logger.Info("asking open terminal sessions to quit", "sessions", n)
	}
	err := s.ssh.Shutdown(ctx)
	if ctx.Err() != nil {
		if cerr := s.ssh.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) {
			s.logger.Warn("close connections", "err", cerr)
		}
		return ctx.Err()
	}
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Close closes the listeners and every connection at once.
func (s *Server) Close() error {
	s.stopListening()
	s.programs.quitAll()
	err := s.ssh.Close()
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// stopListening stops the snapshot forwarder, closes every listener and
// waits for the Serve calls to return, so that charm.land/ssh's Shutdown and
// Close never race with a Serve that is still starting (its listener
// WaitGroup would be added to while being waited on).
func (s *Server) stopListening() {
	s.mu.Lock()
	if !s.stopped {
		s.stopped = true
		close(s.stop)
	}
	for l := range s.listeners {
		if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.logger.Warn("close listener", "err", err)
		}
	}
	s.mu.Unlock()
	s.serving.Wait()
}

// forwardSnapshots passes each snapshot the library publishes on to every
// open terminal UI, until the server stops.
func (s *Server) forwardSnapshots(updates <-chan *content.Snapshot, unsubscribe func()) {
	defer unsubscribe()
	for {
		select {
		case <-s.stop:
			return
		case snap := <-updates:
			s.programs.publish(snap)
		}
	}
}

// logSession logs one line per session when it ends.
func (s *Server) logSession(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		start := time.Now()
		next(sess)
		pty, _, isPty := sess.Pty()
		attrs := []any{
			"remote", sess.RemoteAddr().String(),
			"user", sess.User(),
			"key", keyFingerprint(sess.PublicKey()),
			"duration", time.Since(start).Round(time.Millisecond),
		}
		if isPty {
			attrs = append(attrs, "term", pty.Term, "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height))
		}
		if cmd := sess.RawCommand(); cmd != "" {
			attrs = append(attrs, "command", cmd)
		}
		s.logger.Info("session", attrs...)
	}
}

func keyFingerprint(k ssh.PublicKey) string {
	if k == nil {
		return "none"
	}
	return gossh.FingerprintSHA256(k)
}
