package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/theme"
	"github.com/sshblog/sshblog/server/servertest"
	"github.com/sshblog/sshblog/ui/paint"
)

// bodyRenderer is a ui.Renderer returning the Markdown as it is.
type bodyRenderer struct{}

func (bodyRenderer) Render(_ *content.Snapshot, p *content.Post, _ int, _ theme.Theme) (string, error) {
	return p.Markdown(), nil
}

// servertest.Buffer is a bytes.Buffer safe for the logger and the test to share.
func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func testSnapshot(posts ...*content.Post) *content.Snapshot {
	if posts == nil {
		posts = []*content.Post{
			{Slug: "year-in-review", Title: "2020 年终总结", Date: day("2020-12-26"), Body: "今年读了很多书。"},
			{Slug: "hello", Title: "Hello, world", Date: day("2019-01-02"), Body: "First post."},
		}
	}
	site := content.Site{Title: "Test Blog", Description: "A blog for tests", Language: "en"}
	return content.NewSnapshot(site, posts, nil, nil, nil, "")
}

type testServer struct {
	*Server
	addr string
	logs *servertest.Buffer
}

// newSigner returns a fresh ed25519 key, for a host or a client.
func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

// newServer returns a server for lib, not yet serving, and a listener on
// 127.0.0.1 for it.
func newServer(t *testing.T, signer gossh.Signer, lib *content.Library, idle time.Duration, logs *servertest.Buffer) (*Server, net.Listener) {
	t.Helper()
	s, err := New(Config{
		HostSigners: []gossh.Signer{signer},
		Content:     ReadOnly(lib, ""),
		Renderer:    bodyRenderer{},
		Logger:      slog.New(slog.NewTextHandler(logs, nil)),
		IdleTimeout: idle,
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return s, ln
}

// startServer serves lib on 127.0.0.1:0 until the test ends.
func startServer(t *testing.T, lib *content.Library, idle time.Duration) *testServer {
	t.Helper()
	logs := &servertest.Buffer{}
	s, ln := newServer(t, newSigner(t), lib, idle, logs)
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	t.Cleanup(func() {
		_ = s.Close()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &testServer{Server: s, addr: ln.Addr().String(), logs: logs}
}

func dial(t *testing.T, addr string, auth ...gossh.AuthMethod) *gossh.Client {
	t.Helper()
	if auth == nil {
		auth = []gossh.AuthMethod{gossh.PublicKeys(newSigner(t))}
	}
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "reader",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // a test server with a fresh key
		Timeout:         10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// runSession runs cmd ("" for a shell) on a new session, with a PTY when
// pty is true, and returns stdout, stderr and the exit status.
func runSession(t *testing.T, c *gossh.Client, cmd string, pty bool) (string, string, int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	if pty {
		if err := sess.RequestPty("xterm-256color", 24, 80, nil); err != nil {
			t.Fatal(err)
		}
	}
	if cmd == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(cmd)
	}
	if err != nil {
		t.Fatal(err)
	}
	err = sess.Wait()
	status := 0
	var exit *gossh.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitStatus()
	case err != nil:
		t.Fatalf("session: %v", err)
	}
	return stdout.String(), stderr.String(), status
}

func TestSessionsWithoutTerminalGetPlainText(t *testing.T) {
	t.Parallel()
	ts := startServer(t, content.NewLibrary(testSnapshot()), 0)
	_, port, _ := net.SplitHostPort(ts.addr)
	hint := "Read in the terminal UI: ssh -t -p " + port + " 127.0.0.1\n" +
		"Commands (read a post as text, JSON, BibTeX, ...): ssh -p " + port + " 127.0.0.1 help\n"
	posts := "2020-12-26  year-in-review  2020 年终总结\n" +
		"2019-01-02  hello           Hello, world\n"
	welcome := "Test Blog\nA blog for tests\n\n" + posts + "\n" + hint

	tests := []struct {
		name       string
		cmd        string
		pty        bool
		wantOut    string // exact, or a substring when wantSubstr
		wantSubstr bool
		wantErr    string
		wantStatus int
	}{
		{name: "ssh -T host", cmd: "", wantOut: welcome},
		{name: "ssh host ls", cmd: "ls", wantOut: posts},
		{name: "ssh host posts", cmd: "posts", wantOut: posts},
		{name: "unknown command", cmd: "lss --now", wantErr: `sshblog: unknown command "lss"; did you mean "ls"? (see: ssh -p ` + port + " 127.0.0.1 help)\n", wantStatus: 1},
		{name: "help", cmd: "help", wantOut: "\n  ls              list the posts", wantSubstr: true},
		{name: "ssh -t host ls", cmd: "ls", pty: true, wantOut: strings.ReplaceAll(posts, "\n", "\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, ts.addr)
			out, errOut, status := runSession(t, c, tt.cmd, tt.pty)
			if status != tt.wantStatus {
				t.Errorf("exit status %d, want %d", status, tt.wantStatus)
			}
			if tt.wantSubstr && !strings.Contains(out, tt.wantOut) || !tt.wantSubstr && out != tt.wantOut {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tt.wantOut)
			}
			if errOut != tt.wantErr {
				t.Errorf("stderr %q, want %q", errOut, tt.wantErr)
			}
		})
	}
}

func TestListingNeutralisesControlCharacters(t *testing.T) {
	t.Parallel()
	evil := &content.Post{
		Slug:  "evil\x1b]0;owned\a",
		Title: "Red \x1b[31malert\x1b[0m \u202eevil\u009b2J",
		Date:  day("2021-01-01"),
	}
	ts := startServer(t, content.NewLibrary(testSnapshot(evil)), 0)
	out, _, status := runSession(t, dial(t, ts.addr), "ls", false)
	if status != 0 {
		t.Fatalf("exit status %d", status)
	}
	for _, bad := range []string{"\x1b", "\a", "\u202e", "\u009b"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%q", bad, out)
		}
	}
	if !strings.Contains(out, "alert") {
		t.Errorf("title lost: %q", out)
	}
}

func TestEmptyBlogListing(t *testing.T) {
	t.Parallel()
	ts := startServer(t, content.NewLibrary(content.NewSnapshot(content.Site{}, nil, nil, nil, nil, "")), 0)
	out, _, status := runSession(t, dial(t, ts.addr), "", false)
	if status != 0 || !strings.HasPrefix(out, "No posts yet.\n\nRead in the terminal UI: ssh -t") {
		t.Fatalf("status %d, output %q", status, out)
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	ts := startServer(t, content.NewLibrary(testSnapshot()), 0)

	t.Run("any public key, and the log names it", func(t *testing.T) {
		key := newSigner(t)
		_, _, status := runSession(t, dial(t, ts.addr, gossh.PublicKeys(key)), "ls", false)
		if status != 0 {
			t.Fatalf("exit status %d", status)
		}
		fp := gossh.FingerprintSHA256(key.PublicKey())
		servertest.WaitUntil(t, 10*time.Second, func() bool { return strings.Contains(ts.logs.String(), "key="+fp) },
			func() string { return "log without key " + fp + ":\n" + ts.logs.String() })
	})

	t.Run("keyboard-interactive without a key", func(t *testing.T) {
		asked := 0
		ki := gossh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
			asked += len(questions)
			return make([]string, len(questions)), nil
		})
		out, _, status := runSession(t, dial(t, ts.addr, ki), "", false)
		if status != 0 || !strings.Contains(out, "2020 年终总结") {
			t.Fatalf("status %d, output %q", status, out)
		}
		if asked != 0 {
			t.Errorf("the server asked %d questions, want none", asked)
		}
	})

	t.Run("password is not offered", func(t *testing.T) {
		_, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
			User:            "reader",
			Auth:            []gossh.AuthMethod{gossh.Password("x")},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // test
		})
		if err == nil {
			t.Fatal("password authentication accepted")
		}
	})
}

func TestIdleConnectionsAreClosed(t *testing.T) {
	t.Parallel()
	ts := startServer(t, content.NewLibrary(testSnapshot()), 300*time.Millisecond)
	c := dial(t, ts.addr)
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("idle connection still open after 10s with a 300ms idle timeout")
	}
}

// rawTerminal opens a PTY shell session and collects everything it prints.
type rawTerminal struct {
	sess  *gossh.Session
	stdin io.WriteCloser
	out   *servertest.Buffer
	done  chan error
}

func openTerminal(t *testing.T, c *gossh.Client) *rawTerminal {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	rt := &rawTerminal{sess: sess, out: &servertest.Buffer{}, done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = rt.out, rt.out
	if rt.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { rt.done <- sess.Wait() }()
	return rt
}

func TestShutdownTellsReadersAndEndsSessions(t *testing.T) {
	t.Parallel()
	ts := startServer(t, content.NewLibrary(testSnapshot()), 0)
	c := dial(t, ts.addr)
	term := openTerminal(t, c)
	servertest.WaitUntil(t, 10*time.Second, func() bool { return liveCount(ts.programs) == 1 }, func() string { return "no program started" })
	// The UI has drawn something before the shutdown begins.
	servertest.WaitUntil(t, 10*time.Second, func() bool { return strings.Contains(term.out.String(), "Test Blog") },
		func() string { return "no screen:\n" + term.out.String() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- ts.Shutdown(ctx) }()

	select {
	case err := <-term.done:
		if err != nil {
			t.Errorf("session ended with %v, want exit status 0", err)
		}
	case <-ctx.Done():
		t.Fatal("the terminal session did not end")
	}
	if out := term.out.String(); !strings.Contains(out, strings.ReplaceAll(goodbye, "\n", "\r\n")) {
		t.Errorf("no goodbye in the output:\n%q", out[max(0, len(out)-300):])
	}
	_ = c.Close()
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		t.Error("still accepting connections after Shutdown")
	}
}

func TestShutdownClosesWhatIsLeftAfterTheGracePeriod(t *testing.T) {
	t.Parallel()
	ts := startServer(t, content.NewLibrary(testSnapshot()), 0)
	// A connection without an open session: nothing to ask to quit. The
	// finished command proves the server is tracking the connection.
	c := dial(t, ts.addr)
	if _, _, status := runSession(t, c, "ls", false); status != 0 {
		t.Fatalf("exit status %d", status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := ts.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown = %v, want the deadline error", err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("connection still open after Shutdown's deadline")
	}
}

func TestNewRequiresItsDependencies(t *testing.T) {
	t.Parallel()
	lib := content.NewLibrary(testSnapshot())
	signer := newSigner(t)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no host key", Config{Content: ReadOnly(lib, ""), Renderer: bodyRenderer{}}, "no host key"},
		{"no content", Config{HostSigners: []gossh.Signer{signer}, Renderer: bodyRenderer{}}, "no content"},
		{"no renderer", Config{HostSigners: []gossh.Signer{signer}, Content: ReadOnly(lib, "")}, "no renderer"},
		{"negative idle", Config{HostSigners: []gossh.Signer{signer}, Content: ReadOnly(lib, ""), Renderer: bodyRenderer{}, IdleTimeout: -time.Second}, "negative idle timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New = %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestWantsPlain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		term string
		env  []string
		want bool
	}{
		{"xterm-256color", nil, false},
		{"xterm-256color", []string{"LANG=C.UTF-8"}, false},
		{"dumb", nil, true},
		{"xterm", []string{"NO_COLOR=1"}, true},
		{"xterm", []string{"NO_COLOR="}, false}, // no-color.org: set and not empty
		{"", []string{"TERM=dumb"}, true},
		{"xterm", []string{"TERM=dumb"}, false}, // the PTY request's TERM wins
	}
	for _, tt := range tests {
		if got := wantsPlain(tt.term, tt.env); got != tt.want {
			t.Errorf("wantsPlain(%q, %q) = %v, want %v", tt.term, tt.env, got, tt.want)
		}
	}
}

// idle is a tea.Model that does nothing.
type idle struct{}

func (idle) Init() tea.Cmd                         { return nil }
func (m idle) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (idle) View() tea.View                        { return tea.NewView("") }

// fakeSession stands for a session as a key of programs.
type fakeSession struct{ ssh.Session }

func TestPublishNeverBlocksAndLeaksNothing(t *testing.T) {
	t.Parallel()
	ps := newPrograms()
	// Programs that never run never take a message: the worst case of a
	// busy program.
	const n = 50
	type entry struct {
		sess   *fakeSession
		cancel context.CancelFunc
	}
	var entries []entry
	for range n {
		ctx, cancel := context.WithCancel(context.Background())
		p := tea.NewProgram(idle{}, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard))
		s := &fakeSession{}
		if ps.add(s, p, paint.New(io.Discard, 80, 24, colorprofile.TrueColor), cancel) == nil {
			t.Fatal("add refused before quitAll")
		}
		entries = append(entries, entry{s, cancel})
	}

	published := make(chan struct{})
	last := testSnapshot()
	go func() {
		for range 999 {
			ps.publish(testSnapshot())
		}
		ps.publish(last)
		close(published)
	}()
	select {
	case <-published:
	case <-time.After(10 * time.Second):
		t.Fatal("publish blocked on programs that do not read")
	}
	// Each program's delivery goroutine takes one snapshot and blocks in
	// Send for good. Under load it may start only after the last publish and
	// take the newest, leaving its mailbox empty; otherwise the newest waits
	// in the mailbox. Either way no older snapshot may be held.
	ps.mu.Lock()
	for _, lp := range ps.live {
		if !lp.sending || (lp.pending != nil && lp.pending != last) {
			t.Errorf("program not holding its newest snapshot: sending=%v pending=%v, newest=%v", lp.sending, lp.pending != nil, lp.pending == last)
		}
	}
	live := make([]*liveProgram, 0, n)
	for _, lp := range ps.live {
		live = append(live, lp)
	}
	ps.mu.Unlock()

	for _, e := range entries {
		ps.remove(e.sess)
	}
	// Removing cancels each program's context, which releases its delivery
	// goroutine: each drains its mailbox and stops.
	servertest.WaitUntil(t, 10*time.Second, func() bool {
		ps.mu.Lock()
		defer ps.mu.Unlock()
		for _, lp := range live {
			if lp.sending {
				return false
			}
		}
		return len(ps.live) == 0
	}, func() string { return "delivery goroutines still running after their sessions ended" })

	ps.quitAll()
	if ps.add(&fakeSession{}, tea.NewProgram(idle{}), paint.New(io.Discard, 80, 24, colorprofile.TrueColor), func() {}) != nil {
		t.Error("add accepted a program after quitAll")
	}
}

func liveCount(ps *programs) int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.live)
}

// wish.NewServer writes a fresh id_ed25519 into the working directory when
// it is given no host key; New must give it ours first.
func TestNewWritesNoFiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if _, err := New(Config{HostSigners: []gossh.Signer{newSigner(t)}, Content: ReadOnly(content.NewLibrary(testSnapshot()), ""), Renderer: bodyRenderer{}}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("New wrote files into the working directory: %v", entries)
	}
}

// TestStopRightAfterServe stops servers whose Serve goroutine may not have
// started yet: Serve must return nil promptly, Shutdown must not wait out its
// deadline, and -race must see no race inside charm.land/ssh.
func TestStopRightAfterServe(t *testing.T) {
	t.Parallel()
	signer := newSigner(t)
	rounds := 2000
	if testing.Short() {
		rounds = 200 // the full loop runs without -short, as .ci/run does
	}
	for i := range rounds {
		s, ln := newServer(t, signer, content.NewLibrary(testSnapshot()), 0, &servertest.Buffer{})
		served := make(chan error, 1)
		go func() { served <- s.Serve(ln) }()
		var err error
		if i%2 == 0 {
			err = s.Close()
		} else {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = s.Shutdown(ctx)
			cancel()
		}
		if err != nil {
			t.Fatalf("round %d: stop: %v", i, err)
		}
		select {
		case err := <-served:
			if err != nil {
				t.Fatalf("round %d: Serve returned %v", i, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: Serve still running 10s after the server stopped", i)
		}
	}
}
