package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render"
	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/content/store/storetest"
	"github.com/sshblog/sshblog/server/servertest"
)

// The publishing tests drive the real OpenSSH ssh, scp and sftp and the
// real git against a real server on 127.0.0.1 with a real store, whose
// hooks run this test binary (see TestMain) as they run `sshblog hook` in
// production.

// toolTimeout bounds each run of an external client.
const toolTimeout = 60 * time.Second

// requireClients skips the test when a client is missing, except in CI
// (CI=true), where it is a failure: .ci/run installs them.
func requireClients(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range append([]string{"ssh", "git"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required in CI: %v", tool, err)
			}
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
}

// keyFile is a client key on disk, as OpenSSH reads it.
type keyFile struct {
	path   string // private key, mode 0600; the public key is path+".pub"
	signer gossh.Signer
}

func newKeyFile(t testing.TB, dir, name string) *keyFile {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(priv, name)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	pub := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey()))) + " " + name + "\n"
	if err := os.WriteFile(p+".pub", []byte(pub), 0o644); err != nil {
		t.Fatal(err)
	}
	return &keyFile{path: p, signer: signer}
}

// countingListener counts the bytes the server reads from its clients, so
// a test can tell that an upload is under way.
type countingListener struct {
	net.Listener
	read atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, n: &l.read}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// blogServer is a server publishing to a real store, with an author key and
// a reader key on disk.
type blogServer struct {
	*Server
	store          *store.Store // nil when publishing is off
	addr, port     string
	dir            string // test folder: keys, known_hosts, clones
	dataDir        string // the server's data folder (authors file, repository)
	author, reader *keyFile
	knownHosts     string
	logs           *servertest.Buffer
	listener       *countingListener
}

// serverOptions change how startBlog sets up a server.
type serverOptions struct {
	seed       fs.FS         // the blog; nil: the embedded sample
	limits     store.Options // store options (limits)
	noStore    bool          // publishing off
	publishOff string
}

// startBlog starts a server on 127.0.0.1:0 publishing to a fresh store
// seeded with opts.seed, until the test ends.
func startBlog(t testing.TB, opts serverOptions) *blogServer {
	t.Helper()
	dir := t.TempDir()
	bs := &blogServer{dir: dir, dataDir: filepath.Join(dir, "data"), logs: &servertest.Buffer{}}
	bs.author = newKeyFile(t, dir, "author")
	bs.reader = newKeyFile(t, dir, "reader")
	logger := slog.New(slog.NewTextHandler(bs.logs, nil))

	cfg := Config{
		HostSigners: []gossh.Signer{newKeyFile(t, dir, "host").signer},
		Renderer:    render.New(8 << 20),
		Logger:      logger,
		Authors:     NewAuthors([]gossh.PublicKey{bs.author.signer.PublicKey()}, filepath.Join(bs.dataDir, "authors"), logger),
	}
	if opts.noStore {
		snap, err := content.Load(sample.FS(), "")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Content = ReadOnly(content.NewLibrary(snap), opts.publishOff)
	} else {
		seed := opts.seed
		if seed == nil {
			seed = sample.FS()
		}
		so := opts.limits
		so.Logger = logger
		st, err := store.Open(context.Background(), filepath.Join(bs.dataDir, "blog.git"), seed, so)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		bin, err := filepath.Abs(os.Args[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := store.InstallHooks(st.Dir(), bin, hookArg); err != nil {
			t.Fatal(err)
		}
		bs.store = st
		cfg.Content = Publishing(st)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bs.Server = s
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bs.listener = &countingListener{Listener: ln}
	served := make(chan error, 1)
	go func() { served <- s.Serve(bs.listener) }()
	t.Cleanup(func() {
		_ = s.Close()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	bs.addr = ln.Addr().String()
	_, bs.port, _ = net.SplitHostPort(bs.addr)
	bs.knownHosts = filepath.Join(dir, "known_hosts")
	line := fmt.Sprintf("[127.0.0.1]:%s %s", bs.port, gossh.MarshalAuthorizedKey(cfg.HostSigners[0].PublicKey()))
	if err := os.WriteFile(bs.knownHosts, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return bs
}

// sshOptions are the options every OpenSSH client gets: only the given
// key, the server's real host key checked, no prompts.
func (bs *blogServer) sshOptions(key *keyFile) []string {
	return []string{
		"-F", "/dev/null",
		"-i", key.path,
		"-o", "IdentitiesOnly=yes",
		"-o", "UserKnownHostsFile=" + bs.knownHosts,
		"-o", "StrictHostKeyChecking=yes",
		"-o", "BatchMode=yes",
		"-o", "LogLevel=ERROR",
	}
}

// result is how an external client run ended.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run runs an external client in dir with env added to a clean
// environment, stdin from input, and returns how it ended.
func run(t testing.TB, dir string, env []string, input string, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(storetest.ClientEnv(os.TempDir()), env...)
	cmd.Stdin = strings.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%s %s: still running after %s\n%s", name, strings.Join(args, " "), toolTimeout, r)
	}
	return r
}

// ssh runs `ssh HOST args...` with key and returns how it ended.
func (bs *blogServer) ssh(t testing.TB, key *keyFile, args ...string) result {
	t.Helper()
	a := append(bs.sshOptions(key), "-p", bs.port, "-T", "user@127.0.0.1")
	return run(t, bs.dir, nil, "", "ssh", append(a, args...)...)
}

// scp runs scp with key; remote paths are written "host:PATH".
func (bs *blogServer) scp(t testing.TB, key *keyFile, args ...string) result {
	t.Helper()
	a := append(bs.sshOptions(key), "-P", bs.port)
	for _, arg := range args {
		if rest, ok := strings.CutPrefix(arg, "host:"); ok {
			arg = "user@127.0.0.1:" + rest
		}
		a = append(a, arg)
	}
	return run(t, bs.dir, nil, "", "scp", a...)
}

// sftp runs an sftp batch (sftp -b -) with key in dir.
func (bs *blogServer) sftp(t testing.TB, key *keyFile, dir, batch string) result {
	t.Helper()
	a := append(bs.sshOptions(key), "-P", bs.port, "-b", "-", "user@127.0.0.1")
	return run(t, dir, nil, batch, "sftp", a...)
}

// git runs git in dir with key for the SSH transport (nil for a command
// that does not reach the server).
func (bs *blogServer) git(t testing.TB, key *keyFile, dir string, args ...string) result {
	t.Helper()
	if key == nil {
		return run(t, dir, nil, "", "git", args...)
	}
	return run(t, dir, []string{"GIT_SSH_COMMAND=ssh " + servertest.ShellCommand(bs.sshOptions(key)...)}, "", "git", args...)
}

// mustGit runs git and fails the test if it fails.
func (bs *blogServer) mustGit(t testing.TB, key *keyFile, dir string, args ...string) string {
	t.Helper()
	r := bs.git(t, key, dir, args...)
	if r.code != 0 {
		t.Fatalf("git %s: %s", strings.Join(args, " "), r)
	}
	return strings.TrimSpace(r.stdout)
}

// repoURL is the blog repository's URL.
func (bs *blogServer) repoURL() string {
	return "ssh://user@127.0.0.1:" + bs.port + "/blog.git"
}

// clone clones the blog as key into a new folder and returns it.
func (bs *blogServer) clone(t testing.TB, key *keyFile) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clone")
	bs.mustGit(t, key, "", "clone", "--quiet", bs.repoURL(), dir)
	return dir
}

// commitAll commits every change in a clone and returns the commit.
func (bs *blogServer) commitAll(t testing.TB, clone, msg string) string {
	t.Helper()
	bs.mustGit(t, nil, clone, "add", "-A")
	bs.mustGit(t, nil, clone, "commit", "--quiet", "-m", msg)
	return bs.mustGit(t, nil, clone, "rev-parse", "HEAD")
}

// listing is what a new reader session's `ssh host ls` prints.
func (bs *blogServer) listing(t testing.TB) string {
	t.Helper()
	r := bs.ssh(t, bs.reader, "ls")
	if r.code != 0 {
		t.Fatalf("ssh host ls: %s", r)
	}
	return r.stdout
}

// mainRev returns the live revision.
func (bs *blogServer) mainRev() string { return bs.store.Snapshot().Revision() }

// repoFiles lists every file under the data folder with its size, to show
// that a refused or broken publish left nothing behind.
func (bs *blogServer) repoFiles(t testing.TB) map[string]int64 {
	t.Helper()
	files := map[string]int64{}
	err := filepath.WalkDir(bs.dataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files[p] = info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// writeFile writes data to p under dir, making its folders.
func writeFile(t testing.TB, dir, p, data string) string {
	t.Helper()
	full := filepath.Join(dir, p)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return full
}

// postFile returns a post with title and body.
func postFile(title, body string) string {
	return fmt.Sprintf("---\ntitle: %q\ntags: [test]\n---\n%s\n", title, body)
}

// waitUntil polls cond until it holds or the deadline passes.
func waitUntil(t testing.TB, what string, deadline time.Duration, cond func() bool) {
	t.Helper()
	servertest.WaitUntil(t, deadline, cond, func() string {
		return fmt.Sprintf("timed out after %s waiting for %s", deadline, what)
	})
}
