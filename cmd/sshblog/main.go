// Command sshblog serves a blog over SSH: `ssh -p 23234 HOST` opens a
// terminal UI to read its posts and browse the author's book and paper
// lists.
//
// Usage:
//
//	sshblog [serve] [--listen ADDR] [--data DIR] [--content DIR [--watch]] [--seed DIR] [--author-key KEY]... [--config FILE]
//	sshblog check [--render] DIR
//	sshblog hook NAME   (run by git)
//
// The wiring lives in Main, so tests boot the whole program in-process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content/render"
	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/hostkeys"
	"github.com/sshblog/sshblog/server"
)

// renderCacheBytes bounds the rendered-post cache shared by all sessions.
const renderCacheBytes = 32 << 20

// defaultGrace is how long a shutdown waits for open sessions to end.
const defaultGrace = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, a second one kills at once (default handling).
	context.AfterFunc(ctx, stop)
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run runs the sub-command named by args[0] and returns the exit status.
// A bare `sshblog` (or one given only flags) means `sshblog serve`.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	name := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	switch name {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "check":
		return check(ctx, args, stdout, stderr)
	case "hook":
		// git runs it in the blog's repository, with the hook's input.
		return hook(ctx, args, os.Stdin, stderr, os.Environ())
	case "help":
		printUsage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "sshblog: unknown command %q\n\n", name)
		printUsage(stderr)
		return 2
	}
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: sshblog [COMMAND] [flags]

Commands:
  serve       serve the blog over SSH (the default)
  check DIR   check a blog folder as publishing would: file:line: message (--render: render it too)
  hook NAME   run a git hook of the blog's repository (git does, on a push)
  help        show this help

Run "sshblog serve --help" and "sshblog check --help" for the flags.
`)
}

// hook runs `sshblog hook NAME`, the body of the blog repository's git
// hooks (see store.InstallHooks). git runs it inside the bare repository,
// hence ".".
func hook(ctx context.Context, args []string, stdin io.Reader, stderr io.Writer, environ []string) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "sshblog hook: want the hook's name: sshblog hook pre-receive (git runs this, not people)")
		return 2
	}
	return store.RunHook(ctx, args[0], ".", stdin, stderr, environ)
}

// serve runs the server until ctx is done (SIGINT, SIGTERM), then shuts it
// down gracefully and returns 0.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := LoadConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "sshblog: %v\n", err)
		return 2
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(stderr, "sshblog: %v\n", err)
		return 2
	}

	m := NewMain()
	m.Config = cfg
	m.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	if err := m.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "sshblog: %v\n", err)
		_ = m.Close()
		return 1
	}
	status := 0
	select {
	case <-ctx.Done():
		m.Logger.Info("shutting down", "grace", m.Grace)
	case err := <-m.ServeErr():
		m.Logger.Error("server stopped", "err", err)
		status = 1
	}
	if err := m.Close(); err != nil {
		m.Logger.Error("shut down", "err", err)
	}
	return status
}

// Main is the whole program, wired: host keys, content (the blog's
// repository, or a folder), authors, renderer, SSH server. Set its inputs
// (Config, and optionally Logger, Grace and HookCommand), call Run, and
// Close when done. Run sets its results, which callers only read.
type Main struct {
	// Inputs: set before Run; Run and Close only read them.

	Config Config
	Logger *slog.Logger
	Grace  time.Duration // how long Close waits for open sessions to end
	// HookCommand is the command git runs for the blog repository's hooks,
	// the hook's name appended; nil means this program's own hook
	// sub-command, [os.Executable(), "hook"].
	HookCommand []string

	// Results: set by Run, never before.

	Addr     net.Addr       // where the server listens (the real port when Config.Listen asks for port 0)
	HostKeys []hostkeys.Key // the server's host keys
	Content  server.Content // the blog served: a folder read-only, or the store authors publish to
	Authors  *server.Authors

	srv        *server.Server
	listener   net.Listener
	serveErr   chan error
	store      *store.Store // the open store, until Close closes it; nil when publishing is off
	stopWatch  func()       // stops the folder watcher (--watch) and waits for it
	stopSearch func()       // stops indexing and releases the search index
}

// NewMain returns a Main with the default configuration, logging to stderr.
func NewMain() *Main {
	return &Main{
		Config: DefaultConfig(),
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
		Grace:  defaultGrace,
	}
}

// DefaultConfig returns the configuration with every setting at its default.
func DefaultConfig() Config {
	c, err := LoadConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		panic("default config: " + err.Error()) // the settings table is wrong
	}
	return c
}

// Run loads the host keys, opens the blog (its repository under the data
// directory, made from the seed on first start; or the --content folder),
// reads the authors, starts listening and serving in the background, and
// logs how to connect and how to publish. It returns once the server
// accepts connections; a fatal problem (a bad host key, invalid content, a
// bad author key, a busy port) is returned as an error.
func (m *Main) Run(ctx context.Context) error {
	keyDir := filepath.Join(m.Config.DataDir, "hostkeys")
	keys, err := hostkeys.LoadOrCreate(keyDir)
	if err != nil {
		return err
	}
	m.HostKeys = keys

	authorKeys, err := m.Config.authorKeys()
	if err != nil {
		return err
	}
	source, err := m.openContent(ctx)
	if err != nil {
		return err
	}
	// Loading read every post once; what only that needed goes back to the
	// system now rather than over the next minutes, so an idle server's
	// memory is its snapshot's (a 10,000-post blog: 191 -> 110 MB RSS).
	debug.FreeOSMemory()
	snap := m.Content.Library().Snapshot()
	for _, w := range snap.Warnings() {
		m.Logger.Warn("content", "problem", w.String())
	}
	if m.Config.Watch {
		if err := m.watch(); err != nil {
			return err
		}
	}
	authorsFile := filepath.Join(m.Config.DataDir, "authors")
	m.Authors = server.NewAuthors(authorKeys, authorsFile, m.Logger)

	signers := make([]gossh.Signer, len(keys))
	for i, k := range keys {
		signers[i] = k.Signer
	}
	find, stopSearch, err := m.startSearch(m.Content.Library())
	if err != nil {
		return err
	}
	m.stopSearch = stopSearch
	srv, err := server.New(server.Config{
		Search:      find,
		HostSigners: signers,
		Content:     m.Content,
		Renderer:    render.New(renderCacheBytes),
		Logger:      m.Logger,
		IdleTimeout: m.Config.IdleTimeout,
		Authors:     m.Authors,
	})
	if err != nil {
		return err
	}
	m.srv = srv

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", m.Config.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	m.listener = ln
	m.Addr = ln.Addr()
	m.serveErr = make(chan error, 1)
	go func() {
		if err := srv.Serve(ln); err != nil {
			m.serveErr <- err
		}
	}()

	m.Logger.Info("listening", "addr", ln.Addr().String())
	for _, k := range keys {
		m.Logger.Info("host key", "type", k.Type(), "fingerprint", k.Fingerprint, "path", k.Path, "created", k.Created)
	}
	m.Logger.Info("content", "source", source, "posts", len(snap.Posts()), "books", len(snap.Books()), "papers", len(snap.Papers()))
	m.logPublishing(ln.Addr(), authorsFile)
	m.Logger.Info("connect with: " + connectHint(m.Config.Listen, ln.Addr()))
	return nil
}

// watch reloads the content folder into the served library as its files change,
// until Close.
func (m *Main) watch() error {
	if m.Config.ContentDir == "" {
		return errors.New("watch: there is no content folder to watch (--watch needs --content DIR)")
	}
	fw, err := watchFolder(m.Config.ContentDir, m.Content.Library(), m.Logger)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		fw.run(ctx)
	}()
	m.stopWatch = func() {
		cancel()
		<-done
	}
	m.Logger.Info("watching the content folder: saved changes go live", "dir", m.Config.ContentDir)
	return nil
}

// ServeErr returns a channel that receives an error if the server stops
// serving by itself (not through Close).
func (m *Main) ServeErr() <-chan error { return m.serveErr }

// Close stops accepting connections, asks open terminal sessions to quit,
// waits up to Grace for sessions to end, then closes what is left, stops
// watching the content folder and closes the blog's store. Sessions still
// open after the grace period are not an error: closing them is the
// expected way to stop.
func (m *Main) Close() error {
	var err error
	if m.listener != nil {
		// Shutdown closes the listeners the SSH server tracks; a Close
		// right after Run may come before the Serve goroutine has
		// tracked this one, which would then accept until the grace
		// period ends. Closed here, Serve stops at once either way.
		_ = m.listener.Close()
	}
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Grace)
		defer cancel()
		err = m.srv.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			m.Logger.Warn("closed the sessions still open after the grace period", "grace", m.Grace)
			err = nil
		}
	}
	if m.stopWatch != nil {
		m.stopWatch()
		m.stopWatch = nil
	}
	if m.stopSearch != nil {
		m.stopSearch()
		m.stopSearch = nil
	}
	if m.store != nil {
		if cerr := m.store.Close(); cerr != nil && err == nil {
			err = cerr
		}
		m.store = nil
	}
	return err
}

// connectHint returns the ssh command that reaches a server configured to
// listen on listen and actually listening on addr (whose port is the real
// one when listen asked for port 0).
func connectHint(listen string, addr net.Addr) string {
	host, port := publicHostPort(listen, addr)
	if port == "22" {
		return "ssh " + host
	}
	return "ssh -p " + port + " " + host
}

// publicHostPort returns the host and port clients use to reach a server
// configured to listen on listen and listening on addr: the configured
// host ("localhost" for every interface) and the real port.
func publicHostPort(listen string, addr net.Addr) (host, port string) {
	host, _, _ = net.SplitHostPort(listen)
	_, port, _ = net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return host, port
}
