package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/hostkeys"
)

// authorKeyFile writes a fresh public key to a .pub file and returns its
// path and the key's authorized_keys line.
func authorKeyFile(t *testing.T) (string, string) {
	t.Helper()
	keys, err := hostkeys.LoadOrCreate(t.TempDir()) // any fresh ed25519 key will do
	if err != nil {
		t.Fatal(err)
	}
	line := string(gossh.MarshalAuthorizedKey(keys[0].Signer.PublicKey()))
	path := writeFile(t, t.TempDir(), "id_ed25519.pub", line)
	return path, strings.TrimSpace(line)
}

func TestRunOpensTheBlogRepository(t *testing.T) {
	t.Parallel()
	requireTools(t, "git")
	data := t.TempDir()
	m, logs := bootMain(t, data)
	if m.Content.Store() == nil || m.Content.PublishOff() != "" {
		t.Fatalf("publishing is off (%q); want the store open", m.Content.PublishOff())
	}
	if want := filepath.Join(data, "blog.git"); m.Content.Store().Dir() != want {
		t.Errorf("store at %s, want %s", m.Content.Store().Dir(), want)
	}
	if m.Content.Library() != m.Content.Store().Library() {
		t.Error("the server does not serve the store's library: publishes would not reach readers")
	}
	if got, want := m.Content.Store().Rules().Limits, m.Config.Limits; got != want {
		t.Errorf("store limits %+v, want the configured %+v", got, want)
	}
	if _, err := os.Stat(filepath.Join(data, "authors")); err == nil {
		t.Error("Run wrote an authors file; it is the operator's")
	}

	// The hooks run this program's hook command (here the test binary,
	// which TestMain turns into the program).
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	hookScript, err := os.ReadFile(filepath.Join(m.Content.Store().Dir(), "hooks", "pre-receive"))
	if err != nil || !strings.Contains(string(hookScript), "'"+exe+"' 'hook' pre-receive") {
		t.Errorf("pre-receive hook (err %v):\n%s\nwant it to run %s hook pre-receive", err, hookScript, exe)
	}

	port := portOf(t, m)
	for _, want := range []string{
		"publish with: git clone ssh://127.0.0.1:" + port + "/blog.git, or scp -P " + port + " post.md 127.0.0.1:posts/",
		`msg="no authors yet: add a public key to ` + filepath.Join(data, "authors") + ` or start with --author-key ~/.ssh/id_ed25519.pub"`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the start-up log lacks %q:\n%s", want, logs)
		}
	}
	c := dialMain(t, m)
	out, _, status := execSession(t, c, "ls")
	if status != 0 || !strings.Contains(out, postTitle) {
		t.Errorf("ls: status %d:\n%s", status, out)
	}
	_ = c.Close() // an open connection would hold Close for the grace period

	// Close releases the store: another program can open it.
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), filepath.Join(data, "blog.git"), nil, store.Options{})
	if err != nil {
		t.Fatalf("the store is still held after Close: %v", err)
	}
	_ = st.Close()
}

// TestGitPushRunsTheHooks pushes to the blog's repository the way
// git-receive-pack does for the SSH transport, but locally, so it shows
// the hooks Run installs reach the program: an invalid push is refused
// with the problem, a valid one accepted and recorded.
func TestGitPushRunsTheHooks(t *testing.T) {
	t.Parallel()
	requireTools(t, "git")
	m, _ := bootMain(t, t.TempDir())
	work := t.TempDir()
	git := func(args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=Author", "-c", "user.email=author@example.com"}, args...)...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := git("clone", "-q", m.Content.Store().Dir(), "."); err != nil {
		t.Fatalf("clone: %v\n%s", err, out)
	}

	writeTree(t, work, map[string]string{"posts/2021-06-01-broken.md": "---\ntitle: [\n---\n"})
	if out, err := git("add", "."); err != nil {
		t.Fatal(err, out)
	}
	if out, err := git("commit", "-q", "-m", "broken"); err != nil {
		t.Fatal(err, out)
	}
	out, err := git("push", "origin", "main")
	if err == nil || !strings.Contains(out, "remote: posts/2021-06-01-broken.md:2: ") {
		t.Fatalf("an invalid push: err %v, output:\n%s", err, out)
	}

	writeTree(t, work, map[string]string{"posts/2021-06-01-broken.md": "---\ntitle: Fixed\n---\n"})
	if out, err := git("commit", "-q", "-a", "-m", "fixed"); err != nil {
		t.Fatal(err, out)
	}
	out, err = git("push", "origin", "main")
	if err != nil || !strings.Contains(out, "remote: sshblog: published ") {
		t.Fatalf("a valid push: err %v, output:\n%s", err, out)
	}
}

func TestSeedFolderOnFirstStartOnly(t *testing.T) {
	t.Parallel()
	requireTools(t, "git")
	data := t.TempDir()
	jekyll := t.TempDir()
	writeTree(t, jekyll, map[string]string{
		"_config.yml":                  "title: Jekyll Seed\n",
		"_posts/2019-01-02-seeded.md":  "---\ntitle: From the seed\nlayout: post\n---\nHi.\n",
		"_data/books.yml":              "- title: A Seeded Book\n  post: seeded\n",
		"_layouts/post.html":           "{{ content }}",
		"Gemfile":                      "source 'https://rubygems.org'\n",
		"_site/2019/01/02/seeded.html": "generated",
	})
	m, _, err := tryBootConfigured(t, data, func(c *Config) { c.SeedDir = jekyll })
	if err != nil {
		t.Fatal(err)
	}
	c := dialMain(t, m)
	out, _, _ := execSession(t, c, "") // the welcome: the blog's title and its posts
	if !strings.Contains(out, "Jekyll Seed") || !strings.Contains(out, "From the seed") || strings.Contains(out, postTitle) {
		t.Fatalf("first start with --seed lists:\n%s", out)
	}
	_ = c.Close() // an open connection would hold Close for the grace period
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	// From then on the repository is the source of truth: another seed is
	// ignored, and the log says so.
	other := t.TempDir()
	writeTree(t, other, map[string]string{"posts/2020-01-01-other.md": "---\ntitle: Other seed\n---\n"})
	m, logs, err := tryBootConfigured(t, data, func(c *Config) { c.SeedDir = other })
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ = execSession(t, dialMain(t, m), "ls")
	if !strings.Contains(out, "From the seed") || strings.Contains(out, "Other seed") {
		t.Errorf("restart with another --seed lists:\n%s", out)
	}
	if !strings.Contains(logs.String(), `msg="seed ignored: the blog's repository exists and is the source of truth now" seed=`+other) {
		t.Errorf("the log does not say the seed was ignored:\n%s", logs)
	}
}

func TestBrokenSeedIsFatal(t *testing.T) {
	t.Parallel()
	requireTools(t, "git")
	data := t.TempDir()
	seed := t.TempDir()
	// What a post says is served as well as it can be (a warning); what
	// cannot be stored, such as a symbolic link, stops the first start.
	writeTree(t, seed, map[string]string{"posts/2021-01-01-broken.md": "---\ntitle: [unclosed\n---\n"})
	if err := os.Symlink("/etc/passwd", filepath.Join(seed, "posts", "2021-01-02-link.md")); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	status := run(t.Context(), []string{"--listen", "127.0.0.1:0", "--data", data, "--seed", seed}, env(nil), &stdout, &stderr)
	if status != 1 || !strings.Contains(stderr.String(), "posts/2021-01-02-link.md: symbolic links are not allowed") || !strings.Contains(stderr.String(), seed) {
		t.Errorf("status %d, stderr:\n%s\nwant 1, the seed and the broken file named", status, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(data, "blog.git")); err == nil {
		t.Error("a repository was made from a broken seed")
	}
}

func TestAuthorKeysFromTheConfiguration(t *testing.T) {
	t.Parallel()
	requireTools(t, "git")
	file, line := authorKeyFile(t)
	_, literal := authorKeyFile(t)
	m, logs, err := tryBootConfigured(t, t.TempDir(), func(c *Config) { c.AuthorKeys = []string{file, literal} })
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Authors.Count(); n != 2 {
		t.Errorf("%d authors, want 2 (%s and %s)", n, line, literal)
	}
	if !strings.Contains(logs.String(), "msg=authors keys=2 file="+filepath.Join(m.Config.DataDir, "authors")) ||
		strings.Contains(logs.String(), "no authors yet") {
		t.Errorf("the start-up log does not count the authors:\n%s", logs)
	}
}

func TestBadAuthorKeyIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.pub", "ssh-ed25519 not-base64\n")
	config := writeFile(t, dir, "sshblog.yaml", "author_keys:\n  - "+filepath.Join(dir, "missing.pub")+"\n")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"flag", []string{"--author-key", bad}, nil, []string{"invalid author key (from --author-key): ", bad + ":1: not a public key"}},
		{"env", nil, map[string]string{"SSHBLOG_AUTHOR_KEYS": "ssh-ed25519 AAAAnope"}, []string{"invalid author key (from SSHBLOG_AUTHOR_KEYS): "}},
		{"file", []string{"--config", config}, nil, []string{"invalid author key (from " + config + ":2 (author_keys)): ", "missing.pub"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			args := append([]string{"--listen", "127.0.0.1:0", "--data", t.TempDir()}, tt.args...)
			status := run(t.Context(), args, env(tt.env), &stdout, &stderr)
			if status != 2 {
				t.Errorf("status %d, want 2", status)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr %q lacks %q", stderr.String(), w)
				}
			}
		})
	}

	// Main checks too, for a configuration that skipped Validate.
	_, _, err := tryBootConfigured(t, t.TempDir(), func(c *Config) { c.AuthorKeys = []string{bad} })
	if err == nil || !strings.Contains(err.Error(), "invalid author key (from the program)") {
		t.Errorf("Run with a bad author key: %v", err)
	}
}

func TestContentFolderTurnsPublishingOff(t *testing.T) {
	t.Parallel()
	blog := t.TempDir()
	writeTree(t, blog, map[string]string{"posts/2021-03-04-from-disk.md": "---\ntitle: Straight from the disk\n---\n"})
	data := t.TempDir()
	m, logs, err := tryBootConfigured(t, data, func(c *Config) { c.ContentDir = blog })
	if err != nil {
		t.Fatal(err)
	}
	if m.Content.Store() != nil || m.Content.PublishOff() != "this server serves a folder read-only (--content)" {
		t.Errorf("store %v, publish off %q", m.Content.Store(), m.Content.PublishOff())
	}
	if !strings.Contains(logs.String(), `msg="publishing is off: this server serves a folder read-only (--content)"`) {
		t.Errorf("the start-up log does not say publishing is off:\n%s", logs)
	}
	if _, err := os.Stat(filepath.Join(data, "blog.git")); err == nil {
		t.Error("--content made a blog repository")
	}
}

// TestWithoutGitServesTheSeedReadOnly starts with no git program on
// PATH. The store needs git, so publishing is off and says why, at
// start-up and to an author who tries; readers get the seed.
func TestWithoutGitServesTheSeedReadOnly(t *testing.T) {
	author := newClientKey(t)
	t.Setenv("PATH", t.TempDir())
	m, logs, err := tryBootConfigured(t, t.TempDir(), func(c *Config) {
		c.AuthorKeys = []string{strings.TrimSpace(string(gossh.MarshalAuthorizedKey(author.PublicKey())))}
	})
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, logs)
	}
	out, _, status := execSession(t, dialMain(t, m), "ls")
	if status != 0 || !strings.Contains(out, postTitle) {
		t.Fatalf("ls: status %d:\n%s", status, out)
	}
	if m.Content.Store() != nil || m.Content.PublishOff() != publishOffNoGit {
		t.Fatalf("store %v, publishing off %q; want no store, %q", m.Content.Store(), m.Content.PublishOff(), publishOffNoGit)
	}
	if want := "publishing is off: the git program is not installed"; !strings.Contains(logs.String(), want) {
		t.Errorf("the start-up log lacks %q:\n%s", want, logs)
	}
	if strings.Contains(logs.String(), "git clone") {
		t.Errorf("the log offers git clone without git:\n%s", logs)
	}

	c, err := gossh.Dial("tcp", m.Addr.String(), &gossh.ClientConfig{
		User:            "author",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(author)},
		HostKeyCallback: gossh.FixedHostKey(m.HostKeys[0].Signer.PublicKey()),
		Timeout:         10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, stderr, status := execSession(t, c, "history"); status == 0 || !strings.Contains(stderr, "publishing is off: the git program is not installed") {
		t.Fatalf("history as an author without git: status %d: %s", status, stderr)
	}
}
