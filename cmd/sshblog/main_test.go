package main

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/hostkeys"
	"github.com/sshblog/sshblog/server/servertest"
)

// TestMain lets a test run this very binary as the real program (see
// startProcess): with SSHBLOG_TEST_RUN_MAIN=1 it is main() with the given
// arguments, real signals included.
//
// It is also the program when git runs the blog repository's hooks: they
// run "<this binary> hook NAME" (Main.HookCommand's default is the running
// executable, which in tests is this one).
func TestMain(m *testing.M) {
	switch {
	case len(os.Args) > 1 && os.Args[1] == "hook":
		main()
	case os.Getenv("SSHBLOG_TEST_RUN_MAIN") == "1":
		os.Args = append(os.Args[:1], strings.Fields(os.Getenv("SSHBLOG_TEST_ARGS"))...)
		main()
	default:
		os.Exit(m.Run())
	}
}

// servertest.Buffer is a bytes.Buffer safe to share between goroutines.
// bootMain runs the whole program on 127.0.0.1:0 with its data in dataDir,
// until the test ends. Its log goes to the returned buffer.
func bootMain(t *testing.T, dataDir string) (*Main, *servertest.Buffer) {
	t.Helper()
	m, logs, err := tryBootMain(t, dataDir)
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, logs)
	}
	return m, logs
}

func tryBootMain(t *testing.T, dataDir string) (*Main, *servertest.Buffer, error) {
	t.Helper()
	return tryBootConfigured(t, dataDir, nil)
}

// tryBootConfigured is tryBootMain with the configuration changed by edit
// (when not nil) before Run.
func tryBootConfigured(t *testing.T, dataDir string, edit func(*Config)) (*Main, *servertest.Buffer, error) {
	t.Helper()
	logs := &servertest.Buffer{}
	m := NewMain()
	m.Config.Listen = "127.0.0.1:0"
	m.Config.DataDir = dataDir
	if edit != nil {
		edit(&m.Config)
	}
	m.Logger = slog.New(slog.NewTextHandler(logs, nil))
	m.Grace = 5 * time.Second
	if err := m.Run(t.Context()); err != nil {
		_ = m.Close() // what Run opened before it failed
		return m, logs, err
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return m, logs, nil
}

// dialMain connects to m with a fresh client key, checking the host key
// against the one m loaded.
func dialMain(t *testing.T, m *Main) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", m.Addr.String(), &gossh.ClientConfig{
		User:            "reader",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(newClientKey(t))},
		HostKeyCallback: gossh.FixedHostKey(m.HostKeys[0].Signer.PublicKey()),
		Timeout:         10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func newClientKey(t *testing.T) gossh.Signer {
	t.Helper()
	keys, err := hostkeys.LoadOrCreate(t.TempDir()) // any fresh ed25519 key will do
	if err != nil {
		t.Fatal(err)
	}
	return keys[0].Signer
}

// execSession runs cmd without a PTY and returns stdout, stderr and the
// exit status.
func execSession(t *testing.T, c *gossh.Client, cmd string) (string, string, int) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	err = sess.Run(cmd)
	var exit *gossh.ExitError
	switch {
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitStatus()
	case err != nil:
		t.Fatalf("run %q: %v", cmd, err)
	}
	return stdout.String(), stderr.String(), 0
}

func TestHostKeyIsReusedAcrossRestarts(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	m1, logs := bootMain(t, data)
	first := m1.HostKeys[0]
	if !first.Created || first.Path != filepath.Join(data, "hostkeys", hostkeys.DefaultName) {
		t.Fatalf("first start: key %+v, want one created under the data dir", first)
	}
	if !strings.Contains(logs.String(), first.Fingerprint) {
		t.Errorf("the log does not show the host key fingerprint %s:\n%s", first.Fingerprint, logs)
	}
	c1 := dialMain(t, m1) // pins first's key
	_, _, status := execSession(t, c1, "ls")
	if status != 0 {
		t.Fatalf("exit status %d", status)
	}
	_ = c1.Close() // an open connection would hold Close for the grace period
	if err := m1.Close(); err != nil {
		t.Fatal(err)
	}

	m2, _ := bootMain(t, data)
	if m2.HostKeys[0].Created || m2.HostKeys[0].Fingerprint != first.Fingerprint {
		t.Fatalf("restart: key %s (created %v), want %s reused", m2.HostKeys[0].Fingerprint, m2.HostKeys[0].Created, first.Fingerprint)
	}
	var seen gossh.PublicKey
	c, err := gossh.Dial("tcp", m2.Addr.String(), &gossh.ClientConfig{
		User: "reader",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(newClientKey(t))},
		HostKeyCallback: func(_ string, _ net.Addr, key gossh.PublicKey) error {
			seen = key
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	if gossh.FingerprintSHA256(seen) != first.Fingerprint {
		t.Fatalf("after a restart the server presents %s, want %s", gossh.FingerprintSHA256(seen), first.Fingerprint)
	}
}

func TestCorruptHostKeyIsFatal(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	dir := filepath.Join(data, "hostkeys")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, hostkeys.DefaultName)
	corrupt := []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n")
	if err := os.WriteFile(path, corrupt, 0o600); err != nil {
		t.Fatal(err)
	}

	m, _, err := tryBootMain(t, data)
	if err == nil {
		_ = m.Close()
		t.Fatal("Run started with a corrupt host key")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}

	// Through the command line: exit status 1 and the path on stderr.
	var stdout, stderr strings.Builder
	status := run(t.Context(), []string{"serve", "--listen", "127.0.0.1:0", "--data", data}, env(nil), &stdout, &stderr)
	if status != 1 || !strings.Contains(stderr.String(), path) {
		t.Errorf("serve: status %d, stderr %q; want 1 and the key's path", status, stderr.String())
	}
	after, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(after, corrupt) {
		t.Errorf("the corrupt key was replaced or removed (err %v)", err)
	}
}

// TestBadContentIsServed checks that a folder with a broken post is
// served all the same (issue 7: loading never refuses a blog because of one
// file), its front matter read line by line, and the problem logged with
// its file and line.
func TestBadContentIsServed(t *testing.T) {
	t.Parallel()
	blog := t.TempDir()
	if err := os.MkdirAll(filepath.Join(blog, "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(blog, "posts", "2021-01-01-broken.md"), []byte("---\ntitle: [unclosed\n---\nbody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	logs := &servertest.Buffer{}
	m := NewMain()
	m.Config.Listen, m.Config.DataDir, m.Config.ContentDir = "127.0.0.1:0", t.TempDir(), blog
	m.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	if !strings.Contains(logs.String(), "posts/2021-01-01-broken.md:2: invalid YAML") {
		t.Errorf("the problem is not logged:\n%s", logs.String())
	}
	out, _, status := execSession(t, dialMain(t, m), "")
	if status != 0 || !strings.Contains(out, "2021-01-01  broken  [unclosed") {
		t.Fatalf("status %d, output:\n%s", status, out)
	}
}

func TestServeFromContentFolder(t *testing.T) {
	t.Parallel()
	blog := t.TempDir()
	if err := os.MkdirAll(filepath.Join(blog, "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"site.yaml":                     "title: Folder Blog\n",
		"posts/2021-03-04-from-disk.md": "---\ntitle: Straight from the disk\n---\nHello.\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(blog, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	logs := &servertest.Buffer{}
	m := NewMain()
	m.Config.Listen, m.Config.DataDir, m.Config.ContentDir = "127.0.0.1:0", t.TempDir(), blog
	m.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	out, _, status := execSession(t, dialMain(t, m), "")
	if status != 0 || !strings.Contains(out, "Folder Blog") || !strings.Contains(out, "2021-03-04  from-disk  Straight from the disk") {
		t.Fatalf("status %d, output:\n%s", status, out)
	}
}

// startProcess runs this test binary as the real program (see TestMain)
// and returns it with its stderr and the address it listens on.
func startProcess(t *testing.T, args string) (*exec.Cmd, *servertest.Buffer, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SSHBLOG_TEST_RUN_MAIN=1", "SSHBLOG_TEST_ARGS="+args)
	stderr := &servertest.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	listening := regexp.MustCompile(`msg=listening addr=(\S+)`)
	var addr string
	servertest.WaitUntil(t, 20*time.Second, func() bool {
		log := stderr.String()
		if m := listening.FindStringSubmatch(log); m != nil && strings.Contains(log, "connect with:") {
			addr = m[1]
			return true
		}
		return false
	}, func() string { return "the program did not log its address:\n" + stderr.String() })
	return cmd, stderr, addr
}

func TestSignalShutsDownGracefully(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, stderr, addr := startProcess(t, "serve --listen 127.0.0.1:0 --data "+data)
			for _, want := range []string{"fingerprint=SHA256:", "connect with: ssh -p "} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("start-up log lacks %q:\n%s", want, stderr)
				}
			}

			// An open terminal session is told the server is going away.
			c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
				User:            "reader",
				Auth:            []gossh.AuthMethod{gossh.PublicKeys(newClientKey(t))},
				HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // the key is checked in other tests
			})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			term := openScreen(t, c, 80, 24)
			term.waitFor(t, "2020 年终总结")

			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if err := term.wait(t); err != nil {
				t.Errorf("terminal session ended with %v, want exit status 0", err)
			}
			if !strings.Contains(term.raw(), "server is shutting down") {
				t.Errorf("the reader was not told the server is shutting down")
			}
			_ = c.Close()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit: %v, want status 0\n%s", err, stderr)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("still running 20s after %v\n%s", sig, stderr)
			}
			if !strings.Contains(stderr.String(), "shutting down") {
				t.Errorf("no shutdown log:\n%s", stderr)
			}
		})
	}
}

// TestCloseEndsSessionsLeftAfterTheGrace: a connection still open when the
// grace period ends is closed, logged, and not an error.
func TestCloseEndsSessionsLeftAfterTheGrace(t *testing.T) {
	t.Parallel()
	m, logs := bootMain(t, t.TempDir())
	c := dialMain(t, m)
	if _, _, status := execSession(t, c, "ls"); status != 0 {
		t.Fatalf("ls: exit status %d", status)
	}
	m.Grace = 50 * time.Millisecond
	if err := m.Close(); err != nil {
		t.Fatalf("Close = %v, want nil: sessions left after the grace period are closed, not an error", err)
	}
	if !strings.Contains(logs.String(), "closed the sessions still open after the grace period") {
		t.Errorf("Close did not log the sessions it closed:\n%s", logs)
	}
	closed := make(chan struct{})
	go func() {
		_ = c.Wait() // returns when the connection ends
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the connection is still open after Close")
	}
}
