// Package servertest holds what the tests of the server and of the whole
// program share to drive them as a reader or an author would: a log buffer
// that the server writes while the test reads it, a tmux pane to run the
// real OpenSSH client in, and shell quoting for the commands typed there.
// Only tests import it.
package servertest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Buffer is a bytes.Buffer safe for one writer and readers at once, such as
// a server's log read by the test that runs it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Tmux is a tmux server of the test's own, with one pane running a shell
// command in a terminal of a given size.
type Tmux struct {
	socket, target string
}

// StartTmux runs command (for sh) in a new width x height tmux pane, which
// is killed when the test ends.
func StartTmux(t *testing.T, width, height int, command string) *Tmux {
	t.Helper()
	dir, err := os.MkdirTemp("", "tmux") // short: socket paths are limited to ~100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	x := &Tmux{socket: filepath.Join(dir, "s"), target: "blog"}
	x.Run(t, "new-session", "-d", "-s", x.target, "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), command)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", x.socket, "kill-server").Run() })
	return x
}

// Run runs a tmux command on the pane's server and returns its output.
func (x *Tmux) Run(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", x.socket, "-f", "/dev/null"}, args...)...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Keys types keys into the pane, in tmux send-keys names ("Enter", "Tab").
func (x *Tmux) Keys(t *testing.T, keys ...string) {
	t.Helper()
	x.Run(t, append([]string{"send-keys", "-t", x.target}, keys...)...)
}

// Resize resizes the pane's window to width x height.
func (x *Tmux) Resize(t *testing.T, width, height int) {
	t.Helper()
	x.Run(t, "resize-window", "-t", x.target, "-x", strconv.Itoa(width), "-y", strconv.Itoa(height))
}

// Capture returns the text the pane shows.
func (x *Tmux) Capture(t *testing.T) string {
	t.Helper()
	return x.Run(t, "capture-pane", "-p", "-t", x.target)
}

// ShellCommand quotes args for sh and joins them into one command line.
func ShellCommand(args ...string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(quoted, " ")
}

// WaitUntil waits until cond holds, checking it every 10 ms, and fails the
// test with msg() if it does not within timeout.
func WaitUntil(t testing.TB, timeout time.Duration, cond func() bool, msg func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(msg())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
