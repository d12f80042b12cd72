package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content/store/storetest"
	"github.com/sshblog/sshblog/server/servertest"
	gossh "golang.org/x/crypto/ssh"
)

// These tests publish through the whole program (Main, its store, its
// hooks, which run this test binary as `sshblog hook`) with the real
// OpenSSH clients and git. The server package's tests cover each way in
// and its refusals in detail.

// clientRun is how one run of an external client ended.
type clientRun struct {
	stdout, stderr string
	code           int
}

// runClient runs name with args in dir and returns how it ended.
func runClient(t *testing.T, dir string, env []string, name string, args ...string) clientRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = storetest.ClientEnv(t.TempDir(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := clientRun{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

// publisher is one OpenSSH user of a Main: ssh, scp, sftp and git with
// one key.
type publisher struct {
	o    *openSSH
	port string
	key  gossh.PublicKey
}

func newPublisher(t *testing.T, m *Main) *publisher {
	t.Helper()
	o := newOpenSSH(t, m)
	keyPath := o.args[slices.Index(o.args, "-i")+1]
	pem, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.ParsePrivateKey(pem)
	if err != nil {
		t.Fatal(err)
	}
	return &publisher{o: o, port: portOf(t, m), key: signer.PublicKey()}
}

// options are the client options without the port, which scp, sftp and
// git give each their own way.
func (p *publisher) options() []string {
	i := slices.Index(p.o.args, "-p")
	return append(slices.Clone(p.o.args[:i]), p.o.args[i+2:]...)
}

func (p *publisher) ssh(t *testing.T, cmd ...string) clientRun {
	t.Helper()
	return runClient(t, "", nil, "ssh", p.o.command([]string{"-T"}, cmd...)...)
}

func (p *publisher) scp(t *testing.T, src, dst string) clientRun {
	t.Helper()
	return runClient(t, "", nil, "scp", append(p.options(), "-P", p.port, src, "user@127.0.0.1:"+dst)...)
}

func (p *publisher) sftp(t *testing.T, batch string) clientRun {
	t.Helper()
	f := writeFile(t, t.TempDir(), "batch", batch)
	return runClient(t, "", nil, "sftp", append(p.options(), "-P", p.port, "-b", f, "user@127.0.0.1")...)
}

func (p *publisher) git(t *testing.T, dir string, args ...string) clientRun {
	t.Helper()
	return runClient(t, dir, []string{"GIT_SSH_COMMAND=ssh " + servertest.ShellCommand(p.options()...)}, "git", args...)
}

func TestPublishThroughTheWholeProgram(t *testing.T) {
	t.Parallel()
	requireTools(t, "ssh", "scp", "sftp", "git")
	data := t.TempDir()
	m, logs := bootMain(t, data)
	author, reader := newPublisher(t, m), newPublisher(t, m)
	port := portOf(t, m)
	post := writeFile(t, t.TempDir(), "2024-03-01-by-scp.md", "---\ntitle: Uploaded with scp\n---\nHello.\n")

	// Nobody is an author yet.
	if r := author.scp(t, post, "posts/"); r.code == 0 || !strings.Contains(r.stderr, "permission denied: only the blog's authors can publish") {
		t.Fatalf("scp before the key is in the authors file: %+v", r)
	}
	// The authors file makes the key an author, without a restart.
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(author.key))) + " author@laptop\n"
	if err := os.WriteFile(filepath.Join(data, "authors"), []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}

	// git clone, commit, push: published.
	clone := filepath.Join(t.TempDir(), "blog")
	if r := author.git(t, "", "clone", "-q", "ssh://user@127.0.0.1:"+port+"/blog.git", clone); r.code != 0 {
		t.Fatalf("git clone: %+v\nlog:\n%s", r, logs)
	}
	writeTree(t, clone, map[string]string{"posts/2024-03-02-by-git.md": "---\ntitle: Pushed with git\n---\nHi.\n"})
	for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "-m", "A post by git"}} {
		if r := author.git(t, clone, args...); r.code != 0 {
			t.Fatalf("git %v: %+v", args, r)
		}
	}
	if r := author.git(t, clone, "push", "origin", "main"); r.code != 0 || !strings.Contains(r.stderr, "remote: sshblog: published ") {
		t.Fatalf("git push: %+v\nlog:\n%s", r, logs)
	}

	// scp: published; the reader is refused.
	if r := author.scp(t, post, "posts/"); r.code != 0 {
		t.Fatalf("the author's scp: %+v", r)
	}
	if r := reader.scp(t, post, "posts/2024-03-03-by-reader.md"); r.code == 0 || !strings.Contains(r.stderr, "permission denied: only the blog's authors can publish") {
		t.Fatalf("the reader's scp: %+v", r)
	}
	out := reader.ssh(t, "ls")
	for _, want := range []string{"Pushed with git", "Uploaded with scp", postTitle} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("ssh host ls lacks %q:\n%s", want, out.stdout)
		}
	}
	if strings.Contains(out.stdout, "by-reader") {
		t.Error("the reader's upload was published")
	}

	// sftp: the author removes the git post.
	if r := author.sftp(t, "rm posts/2024-03-02-by-git.md\n"); r.code != 0 {
		t.Fatalf("sftp rm: %+v", r)
	}
	if out := reader.ssh(t, "ls"); strings.Contains(out.stdout, "Pushed with git") {
		t.Errorf("the removed post is still listed:\n%s", out.stdout)
	}

	// The history names each way in and the key, with its comment from the
	// authors file; the reader may not see it.
	h := author.ssh(t, "history")
	fp := gossh.FingerprintSHA256(author.key)
	// (Modern scp speaks sftp: its uploads are recorded as sftp.)
	if h.code != 0 || strings.Count(h.stdout, fp+" (author@laptop)") != 3 ||
		strings.Count(h.stdout, "  git push  "+fp) != 1 || strings.Count(h.stdout, "  sftp  "+fp) != 2 {
		t.Errorf("ssh host history:\n%+v", h)
	}
	if r := reader.ssh(t, "history"); r.code != 1 || !strings.Contains(r.stderr, "permission denied") {
		t.Errorf("the reader's history: %+v", r)
	}
}
