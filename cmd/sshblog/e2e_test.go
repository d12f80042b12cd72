package main

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/hostkeys"
	"github.com/sshblog/sshblog/server/servertest"
)

// Texts of the embedded sample blog the end-to-end tests look for.
const (
	siteTitle  = "gaocegege 的博客"
	postTitle  = "2020 年终总结"
	postSlug   = "2020-year-in-review"
	postText   = "远在美国的同学" // from the second paragraph: not in the list
	bookTitle  = "Designing Data-Intensive Applications"
	paperTitle = "Overlapping Experiment Infrastructure"
)

// waitTimeout bounds every wait for a screen to show something.
const waitTimeout = 20 * time.Second

// screen is a Go SSH client session with a PTY whose output drives a
// virtual terminal, so tests read what a reader would see.
type screen struct {
	sess  *gossh.Session
	stdin io.Writer

	mu  sync.Mutex
	emu *vt.Emulator
	out bytes.Buffer // every byte received

	done    chan struct{}
	exitErr error // valid once done is closed
}

// openScreen starts a PTY shell session of width x height on c.
func openScreen(t *testing.T, c *gossh.Client, width, height int) *screen {
	t.Helper()
	return openScreenOn(t, c, vt.NewEmulator(width, height))
}

// openScreenOn starts a PTY shell session on c shown on emu, which answers
// the program's queries.
func openScreenOn(t *testing.T, c *gossh.Client, emu *vt.Emulator) *screen {
	t.Helper()
	width, height := emu.Width(), emu.Height()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	s := &screen{sess: sess, emu: emu, done: make(chan struct{})}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.stdin = stdin
	sess.Stdout = writerFunc(s.write)
	sess.Stderr = writerFunc(s.write)
	if err := sess.RequestPty("xterm-256color", height, width, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	// The terminal's answers to the program's queries (background colour,
	// supported modes) go back as input, as a real terminal's would.
	go func() { _, _ = io.Copy(stdin, s.emu) }()
	t.Cleanup(func() {
		_ = sess.Close()
		// Ends the copy above: the emulator's reply pipe reports EOF.
		if pw, ok := s.emu.InputPipe().(*io.PipeWriter); ok {
			_ = pw.Close()
		}
	})
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.exitErr = sess.Wait()
		close(s.done)
	}()
	return s
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (s *screen) write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out.Write(p)
	return s.emu.Write(p)
}

// text returns the screen's text, one line per row.
func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

// raw returns every byte the session printed.
func (s *screen) raw() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// press sends keys as a terminal encodes them.
func (s *screen) press(t *testing.T, keys ...string) {
	t.Helper()
	codes := map[string]string{"enter": "\r", "tab": "\t", "esc": "\x1b", "backspace": "\x7f"}
	for _, k := range keys {
		b := k
		if c, ok := codes[k]; ok {
			b = c
		}
		if _, err := io.WriteString(s.stdin, b); err != nil {
			t.Fatalf("press %q: %v", k, err)
		}
	}
}

// resize changes the terminal's size and tells the server.
func (s *screen) resize(t *testing.T, width, height int) {
	t.Helper()
	s.mu.Lock()
	s.emu.Resize(width, height)
	s.mu.Unlock()
	if err := s.sess.WindowChange(height, width); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until the screen shows every one of texts.
func (s *screen) waitFor(t *testing.T, texts ...string) {
	t.Helper()
	servertest.WaitUntil(t, waitTimeout, func() bool { return showsAll(s.text(), texts) },
		func() string { return fmt.Sprintf("screen never showed %q:\n%s", texts, s.text()) })
}

// waitGone waits until the screen no longer shows text.
func (s *screen) waitGone(t *testing.T, text string) {
	t.Helper()
	servertest.WaitUntil(t, waitTimeout, func() bool { return !showsAll(s.text(), []string{text}) },
		func() string { return fmt.Sprintf("screen still shows %q:\n%s", text, s.text()) })
}

// wait waits for the session to end and returns how it ended.
func (s *screen) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-s.done:
		return s.exitErr
	case <-time.After(waitTimeout):
		t.Fatalf("session still open; screen:\n%s", s.text())
		return nil
	}
}

// showsAll reports whether screen shows every one of texts, on one line or
// wrapped over several (lines are joined without their margins, since a
// CJK paragraph may break anywhere).
func showsAll(screen string, texts []string) bool {
	var joined strings.Builder
	for _, line := range strings.Split(screen, "\n") {
		joined.WriteString(strings.TrimSpace(strings.Trim(line, "│┃|")))
	}
	for _, t := range texts {
		if !strings.Contains(screen, t) && !strings.Contains(joined.String(), t) {
			return false
		}
	}
	return true
}

// lastRow returns the index of the last row of the screen with text.
func lastRow(screen string) int {
	rows := strings.Split(screen, "\n")
	for i := len(rows) - 1; i >= 0; i-- {
		if strings.TrimSpace(rows[i]) != "" {
			return i
		}
	}
	return -1
}

func firstRow(screen string) string {
	row, _, _ := strings.Cut(screen, "\n")
	return row
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// withPost returns a copy of snap with one more post.
func withPost(snap *content.Snapshot, p *content.Post) *content.Snapshot {
	posts := append([]*content.Post{p}, snap.Posts()...)
	return content.NewSnapshot(snap.Site(), posts, snap.Books(), snap.Papers(), snap.Warnings(), "live")
}

func TestReadTheBlogWithAGoClient(t *testing.T) {
	t.Parallel()
	m, logs := bootMain(t, t.TempDir())
	c := dialMain(t, m)

	t.Run("without a PTY", func(t *testing.T) {
		for _, cmd := range []string{"", "ls"} {
			out, errOut, status := execSession(t, c, cmd)
			hint := "ssh -t -p " + portOf(t, m) + " 127.0.0.1"
			want := []string{"2020-12-26  " + postSlug + "  " + postTitle}
			if cmd == "" { // the welcome: the blog's title and how to go on too
				want = append(want, siteTitle, hint)
			}
			if status != 0 || errOut != "" || !showsAll(out, want) {
				t.Errorf("%q: status %d, stderr %q, stdout:\n%s", cmd, status, errOut, out)
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("%q: escape sequences in plain output: %q", cmd, out)
			}
		}
	})

	sc := openScreen(t, c, 100, 30)
	sc.waitFor(t, siteTitle, postTitle)

	// Open the post, read it, go back with q and with esc.
	sc.press(t, "enter")
	sc.waitFor(t, postText)
	sc.press(t, "q")
	sc.waitGone(t, postText)
	sc.waitFor(t, postTitle)
	sc.press(t, "enter")
	sc.waitFor(t, postText)
	sc.press(t, "esc")
	sc.waitGone(t, postText)

	// Sections: tab to Books, 3 to Papers, 2 back to Books, 1 to Posts.
	sc.press(t, "tab")
	sc.waitFor(t, bookTitle)
	sc.press(t, "3")
	sc.waitFor(t, paperTitle)
	sc.press(t, "2")
	sc.waitFor(t, bookTitle)

	// A bigger window: the UI lays itself out again down to the new last
	// rows, which were blank.
	if r := lastRow(sc.text()); r < 25 {
		t.Fatalf("the UI does not fill the 30-row window (last row used: %d):\n%s", r, sc.text())
	}
	sc.resize(t, 120, 40)
	servertest.WaitUntil(t, waitTimeout, func() bool { return lastRow(sc.text()) >= 35 && showsAll(sc.text(), []string{bookTitle}) },
		func() string { return "the UI did not grow to 120x40:\n" + sc.text() })
	// A smaller one: the virtual terminal crops its screen to 60 columns,
	// cutting off the section tabs at the right end of the header; only a
	// new layout brings the last tab back.
	lastTab := lastWord(firstRow(sc.text()))
	if lastTab == "" {
		t.Fatalf("no header on the first row:\n%s", sc.text())
	}
	sc.resize(t, 60, 20)
	servertest.WaitUntil(t, waitTimeout, func() bool { return strings.Contains(firstRow(sc.text()), lastTab) },
		func() string {
			return fmt.Sprintf("the UI did not lay out the header (%q) again at 60x20:\n%s", lastTab, sc.text())
		})

	// A post published while the session is open shows up in its list.
	sc.press(t, "1")
	sc.waitFor(t, postTitle)
	fresh := &content.Post{Slug: "fresh", Title: "Published while you read", Date: time.Now(), Body: "New."}
	m.Content.Library().Publish(withPost(m.Content.Library().Snapshot(), fresh))
	sc.waitFor(t, fresh.Title, postTitle)

	// q at the top quits, and the session ends cleanly, the terminal
	// back as it was: main screen, cursor shown, mouse reports off.
	sc.press(t, "q")
	if err := sc.wait(t); err != nil {
		t.Fatalf("session ended with %v, want exit status 0\nscreen:\n%s", err, sc.text())
	}
	sc.mu.Lock()
	if sc.emu.IsAltScreen() || sc.emu.CursorHidden() {
		t.Errorf("after quitting: alternate screen %v, cursor hidden %v", sc.emu.IsAltScreen(), sc.emu.CursorHidden())
	}
	sc.mu.Unlock()
	if raw := sc.raw(); strings.LastIndex(raw, ansi.ResetModeMouseButtonEvent) < strings.LastIndex(raw, ansi.SetModeMouseButtonEvent) {
		t.Error("mouse reports left on after quitting")
	}
	servertest.WaitUntil(t, waitTimeout, func() bool { return strings.Contains(logs.String(), "term=xterm-256color") },
		func() string { return "no session log line:\n" + logs.String() })
}

// TestTheUIFollowsTheTerminalsBackground reads the blog on a dark and on a
// light terminal: the UI asks each for its background colour and draws the
// site title in the theme's colour.
func TestTheUIFollowsTheTerminalsBackground(t *testing.T) {
	t.Parallel()
	m, _ := bootMain(t, t.TempDir())
	c := dialMain(t, m)
	dark := openScreen(t, c, 80, 24)
	lightEmu := vt.NewEmulator(80, 24)
	lightEmu.SetDefaultBackgroundColor(color.White)
	light := openScreenOn(t, c, lightEmu)
	dark.waitFor(t, siteTitle)
	light.waitFor(t, siteTitle)
	// The title starts in the second column of the first row.
	titleColour := func(s *screen) color.Color {
		s.mu.Lock()
		defer s.mu.Unlock()
		if cell := s.emu.CellAt(1, 0); cell != nil {
			return cell.Style.Fg
		}
		return nil
	}
	servertest.WaitUntil(t, waitTimeout, func() bool {
		d, l := titleColour(dark), titleColour(light)
		return d != nil && l != nil && d != l
	}, func() string {
		return fmt.Sprintf("the title has colour %v on the dark terminal and %v on the light one", titleColour(dark), titleColour(light))
	})
	// The question goes out once, with the first screen.
	raw := light.raw()
	if q := strings.Index(raw, ansi.RequestBackgroundColor); q < 0 || q > strings.Index(raw, siteTitle) || strings.Count(raw, ansi.RequestBackgroundColor) != 1 {
		t.Errorf("the background colour was not asked once, before the first screen's title: %q", raw)
	}
}

func portOf(t *testing.T, m *Main) string {
	t.Helper()
	_, port, err := net.SplitHostPort(m.Addr.String())
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// requireTools skips the test when a tool is missing, except in CI
// (CI=true), where a missing tool is a failure: .ci/run installs them.
func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required in CI: %v", tool, err)
			}
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
}

// openSSH holds what the real ssh client needs to reach a Main: a client
// key and a known_hosts file holding the server's real host key, so
// StrictHostKeyChecking=yes proves the key.
type openSSH struct {
	args []string // options before the destination
	dest string
}

func newOpenSSH(t *testing.T, m *Main) *openSSH {
	t.Helper()
	dir := t.TempDir()
	keys, err := hostkeys.LoadOrCreate(filepath.Join(dir, "client")) // an ed25519 key file with mode 0600
	if err != nil {
		t.Fatal(err)
	}
	knownHosts := filepath.Join(dir, "known_hosts")
	port := portOf(t, m)
	line := fmt.Sprintf("[127.0.0.1]:%s %s", port, gossh.MarshalAuthorizedKey(m.HostKeys[0].Signer.PublicKey()))
	if err := os.WriteFile(knownHosts, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return &openSSH{
		args: []string{
			"-F", "/dev/null",
			"-i", keys[0].Path,
			"-o", "IdentitiesOnly=yes",
			"-o", "UserKnownHostsFile=" + knownHosts,
			"-o", "StrictHostKeyChecking=yes",
			"-o", "BatchMode=yes",
			"-o", "LogLevel=ERROR",
			"-p", port,
		},
		dest: "reader@127.0.0.1",
	}
}

// command returns ssh's argument list with extra options and a command.
func (o *openSSH) command(extra []string, cmd ...string) []string {
	args := append(append(append([]string{}, o.args...), extra...), o.dest)
	return append(args, cmd...)
}

// tmux drives one detached tmux session on a private server socket.
// tmux is the pane a test runs the real ssh in.
type tmux struct{ *servertest.Tmux }

func (x tmux) waitFor(t *testing.T, texts ...string) {
	t.Helper()
	var last string
	servertest.WaitUntil(t, waitTimeout, func() bool {
		last = x.Capture(t)
		return showsAll(last, texts)
	}, func() string { return fmt.Sprintf("tmux pane never showed %q:\n%s", texts, last) })
}

func (x tmux) waitGone(t *testing.T, text string) {
	t.Helper()
	var last string
	servertest.WaitUntil(t, waitTimeout, func() bool {
		last = x.Capture(t)
		return !showsAll(last, []string{text})
	}, func() string { return fmt.Sprintf("tmux pane still shows %q:\n%s", text, last) })
}

func TestReadTheBlogWithOpenSSHInTmux(t *testing.T) {
	t.Parallel()
	requireTools(t, "ssh", "tmux")
	m, _ := bootMain(t, t.TempDir())
	o := newOpenSSH(t, m)

	t.Run("ssh -T and ssh host ls", func(t *testing.T) {
		for _, extra := range [][]string{{"-T"}, {"-T", "ls"}} {
			var args []string
			if len(extra) == 2 {
				args = o.command(extra[:1], extra[1])
			} else {
				args = o.command(extra)
			}
			cmd := exec.Command("ssh", args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			cmd.Stdin = strings.NewReader("")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("ssh %v: %v\n%s", extra, err, stderr.String())
			}
			// Without a command the blog's title and how to go on come too;
			// ls lists the posts alone.
			want := []string{postTitle, postSlug}
			if len(extra) == 1 {
				want = append(want, siteTitle, "ssh -t -p "+portOf(t, m))
			}
			if !showsAll(string(out), want) {
				t.Errorf("ssh %v printed:\n%s", extra, out)
			}
		}
	})

	// When ssh ends, its exit status stays on screen (cat keeps the pane).
	shell := "ssh " + servertest.ShellCommand(o.command([]string{"-t"})...) + `; echo "[ssh exited: $?]"; exec cat`
	x := tmux{servertest.StartTmux(t, 100, 30, shell)}

	x.waitFor(t, siteTitle, postTitle)
	x.Keys(t, "Enter")
	x.waitFor(t, postText)
	x.Keys(t, "q")
	x.waitGone(t, postText)

	x.Keys(t, "Tab")
	x.waitFor(t, bookTitle)
	x.Keys(t, "3")
	x.waitFor(t, paperTitle)

	x.Resize(t, 120, 40)
	var last string
	servertest.WaitUntil(t, waitTimeout, func() bool {
		last = x.Capture(t)
		return lastRow(last) >= 35 && showsAll(last, []string{paperTitle})
	}, func() string { return "the UI did not grow to 120x40:\n" + last })

	x.Keys(t, "1")
	x.waitFor(t, postTitle)
	x.Keys(t, "q")
	x.waitFor(t, "[ssh exited: 0]")
	// The terminal is back on its main screen: none of the UI is left on it.
	if screen := x.Capture(t); strings.Contains(screen, siteTitle) {
		t.Errorf("the UI is still on the screen after quitting:\n%s", screen)
	}
}
