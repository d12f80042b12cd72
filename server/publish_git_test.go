package server

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func TestGitCloneAndPush(t *testing.T) {
	t.Parallel()
	requireClients(t)
	bs := startBlog(t, serverOptions{})
	clone := bs.clone(t, bs.author)
	if _, err := os.Stat(filepath.Join(clone, "posts", "2020-12-26-2020-year-in-review.md")); err != nil {
		t.Fatalf("the clone lacks the sample post: %v", err)
	}

	// Accepted: the post is live for a new session.
	writeFile(t, clone, "posts/2024-06-01-pushed.md", postFile("Pushed by git", "Hello from git."))
	head := bs.commitAll(t, clone, "Write a post")
	r := bs.git(t, bs.author, clone, "push", "origin", "main")
	if r.code != 0 {
		t.Fatalf("push: %s", r)
	}
	if !strings.Contains(r.stderr, "remote: sshblog: published "+head[:12]) {
		t.Errorf("the push did not say what it published:\n%s", r.stderr)
	}
	if bs.mainRev() != head {
		t.Fatalf("live revision %s, want the pushed %s", bs.mainRev(), head)
	}
	if out := bs.listing(t); !strings.Contains(out, "2024-06-01  pushed ") || !strings.Contains(out, "Pushed by git") {
		t.Fatalf("ssh host ls after the push:\n%s", out)
	}

	// Rejected: every problem as "remote: file:line: message", nothing
	// changes.
	writeFile(t, clone, "posts/2024-06-02-broken.md", "---\ntitle: [unclosed\n---\nBody.\n")
	writeFile(t, clone, "posts/2024-06-03-untitled.md", "---\ndate: 2024-06-03\n---\nNo title.\n")
	bs.commitAll(t, clone, "Two broken posts")
	before := bs.listing(t)
	r = bs.git(t, bs.author, clone, "push", "origin", "main")
	if r.code == 0 {
		t.Fatalf("a broken push was accepted: %s", r)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^remote: posts/2024-06-02-broken\.md:2: `),
		regexp.MustCompile(`(?m)^remote: posts/2024-06-03-untitled\.md(:\d+)?: .*title`),
		regexp.MustCompile(`\[remote rejected\] main -> main \(pre-receive hook declined\)`),
	} {
		if !want.MatchString(r.stderr) {
			t.Errorf("push output lacks %s:\n%s", want, r.stderr)
		}
	}
	if bs.mainRev() != head || bs.listing(t) != before {
		t.Fatal("a refused push changed the blog")
	}
	bs.mustGit(t, nil, clone, "reset", "--quiet", "--hard", head)

	// Other branches are refused.
	bs.mustGit(t, nil, clone, "checkout", "--quiet", "-b", "drafts")
	writeFile(t, clone, "posts/2024-06-04-draft.md", postFile("A draft", "Not yet."))
	bs.commitAll(t, clone, "A draft")
	r = bs.git(t, bs.author, clone, "push", "origin", "drafts")
	if r.code == 0 || !strings.Contains(r.stderr, `remote: "refs/heads/drafts": only the main branch is published`) {
		t.Fatalf("push to another branch: %s", r)
	}
	if ls := bs.git(t, bs.author, clone, "ls-remote", "origin"); strings.Contains(ls.stdout, "drafts") {
		t.Fatalf("the branch was created:\n%s", ls.stdout)
	}
	bs.mustGit(t, nil, clone, "checkout", "--quiet", "main")

	// Symbolic links are refused.
	if err := os.Symlink("/etc/passwd", filepath.Join(clone, "posts", "2024-06-05-link.md")); err != nil {
		t.Fatal(err)
	}
	bs.commitAll(t, clone, "A symlink")
	r = bs.git(t, bs.author, clone, "push", "origin", "main")
	if r.code == 0 || !strings.Contains(r.stderr, "remote: posts/2024-06-05-link.md: symbolic links are not allowed") {
		t.Fatalf("push of a symlink: %s", r)
	}
	bs.mustGit(t, nil, clone, "reset", "--quiet", "--hard", head)
	if bs.mainRev() != head {
		t.Fatal("a refused push changed the blog")
	}

	// Someone else publishes from another clone: a push based on the old
	// main is not a fast-forward, and git pull brings the change.
	other := bs.clone(t, bs.author)
	writeFile(t, other, "posts/2024-06-06-other.md", postFile("From the other clone", "Hi."))
	bs.commitAll(t, other, "Another post")
	bs.mustGit(t, bs.author, other, "push", "--quiet", "origin", "main")
	writeFile(t, clone, "posts/2024-06-07-stale.md", postFile("Stale", "Based on an old main."))
	bs.commitAll(t, clone, "A stale post")
	r = bs.git(t, bs.author, clone, "push", "origin", "main")
	if r.code == 0 || !strings.Contains(r.stderr, "fetch first") {
		t.Fatalf("a non-fast-forward push: %s", r)
	}
	bs.mustGit(t, bs.author, clone, "pull", "--quiet", "--rebase", "origin", "main")
	bs.mustGit(t, bs.author, clone, "push", "--quiet", "origin", "main")
	out := bs.listing(t)
	if !strings.Contains(out, "From the other clone") || !strings.Contains(out, "Stale") {
		t.Fatalf("after pull and push:\n%s", out)
	}

	// A force push back to the seed drops three posts; history and rollback
	// bring them back.
	withPosts := bs.mainRev()
	seed := bs.mustGit(t, nil, clone, "rev-list", "--max-parents=0", "HEAD")
	bs.mustGit(t, nil, clone, "reset", "--quiet", "--hard", seed)
	bs.mustGit(t, bs.author, clone, "push", "--quiet", "--force", "origin", "main")
	if out := bs.listing(t); strings.Contains(out, "Pushed by git") {
		t.Fatalf("the force push did not publish:\n%s", out)
	}
	h := bs.ssh(t, bs.author, "history")
	if h.code != 0 || !strings.Contains(h.stdout, withPosts[:12]) || !strings.Contains(h.stdout, "git push") ||
		!strings.Contains(h.stdout, bs.author.fingerprint()) || !strings.Contains(h.stdout, "posts/2024-06-07-stale.md") {
		t.Fatalf("ssh host history:\n%s", h)
	}
	rb := bs.ssh(t, bs.author, "rollback", withPosts[:12])
	if rb.code != 0 || !strings.Contains(rb.stdout, "published as revision "+bs.mainRev()) {
		t.Fatalf("ssh host rollback: %s", rb)
	}
	out = bs.listing(t)
	for _, want := range []string{"Pushed by git", "From the other clone", "Stale"} {
		if !strings.Contains(out, want) {
			t.Errorf("after the rollback the blog lacks %q:\n%s", want, out)
		}
	}
	if h := bs.ssh(t, bs.author, "history", "-n", "1"); !strings.Contains(h.stdout, "rollback") || !strings.Contains(h.stdout, "Roll back to "+withPosts[:12]) {
		t.Errorf("the rollback is not the latest entry of the history:\n%s", h)
	}
	// git pull brings the rollback back to the clone.
	bs.mustGit(t, bs.author, clone, "pull", "--quiet", "--ff-only", "origin", "main")
	if _, err := os.Stat(filepath.Join(clone, "posts", "2024-06-01-pushed.md")); err != nil {
		t.Errorf("git pull did not bring back the rolled back post: %v", err)
	}
}

func (k *keyFile) fingerprint() string { return gossh.FingerprintSHA256(k.signer.PublicKey()) }

func TestGitReadersAndOtherRepositories(t *testing.T) {
	t.Parallel()
	requireClients(t)
	bs := startBlog(t, serverOptions{})
	before := bs.mainRev()

	// Readers may neither clone nor push.
	dir := t.TempDir()
	r := bs.git(t, bs.reader, dir, "clone", bs.repoURL(), "c")
	if r.code == 0 || !strings.Contains(r.stderr, permissionDenied) {
		t.Fatalf("a reader's clone: %s", r)
	}
	clone := bs.clone(t, bs.author)
	writeFile(t, clone, "posts/2024-07-01-by-reader.md", postFile("By a reader", "No."))
	bs.commitAll(t, clone, "A reader's post")
	r = bs.git(t, bs.reader, clone, "push", "origin", "main")
	if r.code == 0 || !strings.Contains(r.stderr, permissionDenied) {
		t.Fatalf("a reader's push: %s", r)
	}
	if bs.mainRev() != before {
		t.Fatal("a reader's push changed the blog")
	}

	// The repository's other spellings work; other repositories do not.
	for _, url := range []string{
		"user@127.0.0.1:blog.git", "user@127.0.0.1:blog", "user@127.0.0.1:~/blog.git",
	} {
		sshCmd := "GIT_SSH_COMMAND=ssh -p " + bs.port + " " + strings.Join(bs.sshOptions(bs.author), " ")
		r := run(t, dir, []string{sshCmd}, "", "git", "ls-remote", url, "main")
		if r.code != 0 || !strings.HasPrefix(r.stdout, before) {
			t.Errorf("git ls-remote %s: %s", url, r)
		}
	}
	r = bs.git(t, bs.author, dir, "clone", "ssh://user@127.0.0.1:"+bs.port+"/other.git", "o")
	if r.code == 0 || !strings.Contains(r.stderr, "no such repository; the blog's repository is blog.git") {
		t.Fatalf("cloning another repository: %s", r)
	}
}

// Two authors push at once: one wins, the other is refused and told to
// fetch; the blog is the winner's, never a mix.
func TestConcurrentPushes(t *testing.T) {
	t.Parallel()
	requireClients(t)
	bs := startBlog(t, serverOptions{})
	clones := []string{bs.clone(t, bs.author), bs.clone(t, bs.author)}
	heads := make([]string, 2)
	for i, c := range clones {
		writeFile(t, c, "posts/2024-08-0"+string(rune('1'+i))+"-racer.md", postFile("Racer "+string(rune('A'+i)), "Go!"))
		heads[i] = bs.commitAll(t, c, "Racer")
	}
	results := make([]result, 2)
	var wg sync.WaitGroup
	for i := range clones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = bs.git(t, bs.author, clones[i], "push", "origin", "main")
		}()
	}
	wg.Wait()
	winner := -1
	for i, r := range results {
		if r.code == 0 {
			if winner >= 0 {
				t.Fatalf("both pushes succeeded:\n%s\n%s", results[0], results[1])
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("no push succeeded:\n%s\n%s", results[0], results[1])
	}
	loser := results[1-winner]
	// Pushed at once, the loser's ref update fails (git: "cannot lock ref",
	// and sshblog says what happened); one after the other, git's client
	// refuses the loser itself ("fetch first").
	refused := regexp.MustCompile(`fetch first`)
	t.Logf("the losing push said:\n%s", loser.stderr)
	if !refused.MatchString(loser.stderr) {
		t.Errorf("the losing push was not told why:\n%s", loser)
	}
	out := bs.listing(t)
	if bs.mainRev() != heads[winner] || !strings.Contains(out, "Racer "+string(rune('A'+winner))) ||
		strings.Contains(out, "Racer "+string(rune('A'+1-winner))) {
		t.Fatalf("live %s, want the winner %s; listing:\n%s", bs.mainRev(), heads[winner], out)
	}
	if h := bs.ssh(t, bs.author, "history", "-n", "1"); !strings.HasPrefix(h.stdout, heads[winner][:12]) {
		t.Errorf("the history's latest entry is not the winner's:\n%s", h)
	}
}

// The authors' commands check their arguments and exit with 2 on a usage
// error, 1 on a refusal.
func TestHistoryAndRollbackArguments(t *testing.T) {
	t.Parallel()
	requireClients(t)
	bs := startBlog(t, serverOptions{})
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"rollback"}, 2, "sshblog rollback: missing argument (see: ssh -p " + bs.port + " 127.0.0.1 rollback --help)"},
		{[]string{"rollback", "a", "b"}, 2, `sshblog rollback: unexpected argument "b"`},
		{[]string{"rollback", "--help"}, 0, "Usage: ssh -p " + bs.port + " 127.0.0.1 rollback REV"},
		{[]string{"rollback", "not-a-revision"}, 1, `"not-a-revision" is not a revision`},
		{[]string{"rollback", "abcdef12"}, 1, "no published state abcdef12"},
		{[]string{"history", "-n", "x"}, 2, "invalid value"},
		{[]string{"history", "extra"}, 2, `sshblog history: unexpected argument "extra"`},
		{[]string{"history", "-h"}, 0, "-n N"},
	} {
		// Usage goes to stdout when asked for (--help), errors to stderr.
		r := bs.ssh(t, bs.author, tt.args...)
		out := r.stderr
		if tt.code == 0 {
			out = r.stdout
		}
		if r.code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("ssh host %s: want exit %d and %q, got %s", strings.Join(tt.args, " "), tt.code, tt.want, r)
		}
	}
	// A reader's usage error is still a usage error; a well-formed command
	// is refused.
	if r := bs.ssh(t, bs.reader, "history"); r.code != 1 || strings.TrimSpace(r.stderr) != permissionDenied {
		t.Errorf("a reader's history: %s", r)
	}
	// Rolling back to the live state changes nothing.
	live := bs.mainRev()
	if r := bs.ssh(t, bs.author, "rollback", live[:8]); r.code != 0 || !strings.Contains(r.stdout, "already as it was") || bs.mainRev() != live {
		t.Errorf("rollback to the live revision: %s", r)
	}
}

func TestStreamWatchFindsSplitNeedle(t *testing.T) {
	t.Parallel()
	for _, chunks := range [][]string{
		{"0030ok refs/heads/x\n0035ng refs/heads/main failed to update ref\n"},
		{"0035n", "g refs/hea", "ds/main ", "failed"},
		{"xxng refs/heads/", "main "},
	} {
		var out strings.Builder
		sw := &streamWatch{w: &out, needle: []byte("ng refs/heads/main ")}
		for _, c := range chunks {
			if _, err := sw.Write([]byte(c)); err != nil {
				t.Fatal(err)
			}
		}
		if !sw.seen() || out.String() != strings.Join(chunks, "") {
			t.Errorf("%q: seen %v, passed on %q", chunks, sw.seen(), out.String())
		}
	}
	sw := &streamWatch{w: io.Discard, needle: []byte("ng refs/heads/main ")}
	_, _ = sw.Write([]byte("ok refs/heads/main\nng refs/heads/other reason\n"))
	if sw.seen() {
		t.Error("seen in a report without it")
	}
}
