package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content/upload"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

// These tests push with the real git client into the store's bare
// repository on disk. git-receive-pack runs the hooks InstallHooks wrote,
// which exec this test binary (see TestMain), which calls RunHook: the same
// path a push over SSH takes.

// pushSetup opens a store with its hooks installed and clones it.
func pushSetup(t *testing.T, opts Options) (*Store, string) {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "blog.git"), testBlog(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	bin, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := InstallHooks(s.Dir(), bin, hookArg); err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "clone")
	mustGit(t, "", "clone", "--quiet", s.Dir(), clone)
	return s, clone
}

// commitAll commits every change in the clone.
func commitAll(t *testing.T, clone, msg string) string {
	t.Helper()
	mustGit(t, clone, "add", "-A")
	mustGit(t, clone, "commit", "--quiet", "-m", msg)
	return mustGit(t, clone, "rev-parse", "HEAD")
}

// push runs git push in the clone as author and returns its output.
func push(clone string, author Author, args ...string) (string, error) {
	return gitRun(clone, gitEnv(PushEnv(author)...), append([]string{"push"}, args...)...)
}

func TestPushAccepted(t *testing.T) {
	t.Parallel()
	s, clone := pushSetup(t, Options{})
	before := mainOf(t, s.Dir())
	writeFiles(t, clone, map[string]string{"posts/2024-06-01-pushed.md": string(post("Pushed", "By git.\n"))})
	head := commitAll(t, clone, "Write a post")
	out, err := push(clone, alice, "origin", "main")
	if err != nil {
		t.Fatalf("push: %v\n%s", err, out)
	}
	if !strings.Contains(out, "remote: sshblog: published "+head[:12]+": Write a post") {
		t.Errorf("push output lacks the publish note:\n%s", out)
	}
	if mainOf(t, s.Dir()) != head {
		t.Fatal("main did not move")
	}
	if _, ok := s.Snapshot().Post("pushed"); ok {
		t.Fatal("the live blog changed before Refresh")
	}
	res, err := s.Refresh(context.Background())
	if err != nil || !res.Changed || res.Revision != head {
		t.Fatalf("Refresh: %+v, %v", res, err)
	}
	if _, ok := s.Snapshot().Post("pushed"); !ok || s.Library().Snapshot().Revision() != head {
		t.Fatal("the pushed post is not live after Refresh")
	}
	h, _ := s.History(context.Background(), 1)
	if h[0].Revision != head || h[0].Via != "git push" || h[0].Author != alice || h[0].Previous != before ||
		len(h[0].Files) != 1 || h[0].Files[0] != (FileChange{Path: "posts/2024-06-01-pushed.md", Status: Added}) {
		t.Fatalf("history %+v", h[0])
	}
	if res, err := s.Refresh(context.Background()); err != nil || res.Changed {
		t.Fatalf("second Refresh: %+v, %v", res, err)
	}
	// git pull brings back what was published by other means.
	var c Change
	c.Put("posts/2024-06-02-by-sftp.md", post("By sftp", ""))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
	mustGit(t, clone, "pull", "--quiet", "--ff-only")
	if _, err := os.Stat(filepath.Join(clone, "posts/2024-06-02-by-sftp.md")); err != nil {
		t.Fatal("git pull did not bring the sftp upload")
	}
}

func TestPushRejectedWithEveryProblem(t *testing.T) {
	t.Parallel()
	s, clone := pushSetup(t, Options{})
	before := mainOf(t, s.Dir())
	objects := looseObjects(t, s.Dir())
	writeFiles(t, clone, map[string]string{
		"posts/2024-06-01-untitled.md": "---\ntags: [a]\n---\nNo title.\n",
		"books.yaml":                   "- title: A book\n  post: first\n- title: Other\n  post: missing-post\n",
	})
	commitAll(t, clone, "Broken")
	out, err := push(clone, alice, "origin", "main")
	if err == nil {
		t.Fatalf("an invalid push was accepted:\n%s", out)
	}
	for _, want := range []string{
		"remote: sshblog: push refused, nothing was published: 2 problems",
		"remote: books.yaml:4: post \"missing-post\" does not exist",
		"remote: posts/2024-06-01-untitled.md:1: missing title",
		"remote: sshblog: fix the files above, commit and push again",
		"! [remote rejected] main -> main (pre-receive hook declined)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("push output lacks %q:\n%s", want, out)
		}
	}
	if mainOf(t, s.Dir()) != before || looseObjects(t, s.Dir()) != objects {
		t.Fatal("a refused push changed the repository")
	}
	if res, err := s.Refresh(context.Background()); err != nil || res.Changed {
		t.Fatalf("Refresh after a refused push: %+v, %v", res, err)
	}
	if h, _ := s.History(context.Background(), 0); len(h) != 1 {
		t.Fatalf("a refused push was recorded: %+v", h)
	}
}

func TestPushRefusesOtherRefs(t *testing.T) {
	t.Parallel()
	s, clone := pushSetup(t, Options{})
	writeFiles(t, clone, map[string]string{"posts/2024-06-01-x.md": string(post("X", ""))})
	commitAll(t, clone, "X")
	mustGit(t, clone, "tag", "v1")
	for _, args := range [][]string{{"origin", "HEAD:refs/heads/draft"}, {"origin", "v1"}, {"origin", "HEAD:refs/sshblog/published/x"}} {
		out, err := push(clone, alice, args...)
		if err == nil {
			t.Fatalf("push %v accepted:\n%s", args, out)
		}
		if !strings.Contains(out, "only the main branch is published") && !strings.Contains(out, "hidden ref") {
			t.Errorf("push %v: no clear refusal:\n%s", args, out)
		}
	}
	refs := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "for-each-ref", "--format=%(refname)", "refs/heads", "refs/tags")
	if refs != "refs/heads/main" {
		t.Fatalf("refs after refused pushes: %q", refs)
	}
	out, err := push(clone, alice, "origin", ":main")
	if err == nil || mainOf(t, s.Dir()) == "" {
		t.Fatalf("deleting main was accepted:\n%s", out)
	}
}

func TestPushRefusesSymlinksSubmodulesAndBigFiles(t *testing.T) {
	t.Parallel()
	s, clone := pushSetup(t, Options{Limits: upload.Limits{Image: 1000}})
	before := mainOf(t, s.Dir())
	if err := os.Symlink("/etc/passwd", filepath.Join(clone, "images", "link.png")); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, clone, map[string]string{"images/big.png": string(uploadtest.Image("big.png", 1001))})
	mustGit(t, clone, "add", "-A")
	mustGit(t, clone, "update-index", "--add", "--cacheinfo", "160000,"+before+",themes/minima")
	mustGit(t, clone, "commit", "--quiet", "-m", "bad")
	out, err := push(clone, alice, "origin", "main")
	if err == nil {
		t.Fatalf("push accepted:\n%s", out)
	}
	for _, want := range []string{
		"remote: images/big.png: 1001 bytes is over the 1000 bytes limit for an image",
		"remote: images/link.png: symbolic links are not allowed",
		"remote: themes/minima: submodules and other special files are not allowed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("push output lacks %q:\n%s", want, out)
		}
	}
	if mainOf(t, s.Dir()) != before {
		t.Fatal("main moved")
	}
}

func TestPushAJekyllSite(t *testing.T) {
	t.Parallel()
	s, clone := pushSetup(t, Options{})
	writeFiles(t, clone, map[string]string{
		"_layouts/default.html":         "<html>{{ content }}</html>",
		"_includes/head.html":           "<head></head>",
		"Gemfile":                       "source 'https://rubygems.org'\n",
		"assets/main.scss":              "body {}",
		"_posts/2024-06-03-jekyll.md":   string(post("Jekyll post", "")),
		"_data/papers.yml":              "- title: P\n  post: jekyll\n",
		"images/2020-newyear/1.jpg":     "\xff\xd8\xff jpeg",
		"README.md":                     "# my blog\n",
		".github/workflows/pages.yml":   "on: push\n",
		"assets/fonts/font.woff2":       "\x00\x01binary",
		"posts/2024-01-01-first.md":     string(post("First", "Hello.\n")),
		"_posts/2024-06-04-another.md":  string(post("Another", "")),
		"_drafts/2024-07-01-unready.md": "no front matter at all",
	})
	head := commitAll(t, clone, "Push the Jekyll site")
	out, err := push(clone, alice, "origin", "main")
	if err != nil {
		t.Fatalf("push: %v\n%s", err, out)
	}
	if n := strings.Count(out, "not part of the blog"); n != 1 {
		t.Errorf("unused files summarised %d times, want once:\n%s", n, out)
	}
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	snap := s.Snapshot()
	if snap.Revision() != head || len(snap.Papers()) != 1 {
		t.Fatalf("snapshot %s with %d papers", snap.Revision(), len(snap.Papers()))
	}
	if _, ok := snap.Post("jekyll"); !ok {
		t.Fatal("the _posts post is not listed")
	}
	if data, err := s.Files().ReadFile("assets/fonts/font.woff2"); err != nil || string(data) != "\x00\x01binary" {
		t.Fatalf("unused file kept: %q, %v", data, err)
	}
}

func TestForcePushThenRollback(t *testing.T) {
	t.Parallel()
	s, clone := pushSetup(t, Options{})
	writeFiles(t, clone, map[string]string{"posts/2024-06-01-precious.md": string(post("Precious", "Words worth keeping.\n"))})
	precious := commitAll(t, clone, "Precious words")
	if out, err := push(clone, alice, "origin", "main"); err != nil {
		t.Fatalf("push: %v\n%s", err, out)
	}
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Rewrite history: the precious commit is gone from main.
	mustGit(t, clone, "reset", "--quiet", "--hard", "HEAD~1")
	writeFiles(t, clone, map[string]string{"posts/2024-06-02-instead.md": string(post("Instead", ""))})
	rewritten := commitAll(t, clone, "Something else")
	if out, err := push(clone, alice, "origin", "main"); err == nil {
		t.Fatalf("a non-fast-forward push went through without --force:\n%s", out)
	}
	if out, err := push(clone, alice, "--force", "origin", "main"); err != nil {
		t.Fatalf("force push: %v\n%s", err, out)
	}
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Snapshot().Post("precious"); ok || mainOf(t, s.Dir()) != rewritten {
		t.Fatal("the force push did not replace main")
	}
	// Even an aggressive gc keeps every published state.
	mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "reflog", "expire", "--expire=now", "--all")
	mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "gc", "--quiet", "--prune=now")

	h, err := s.History(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range h {
		found = found || e.Revision == precious && e.Subject == "Precious words"
	}
	if !found || h[0].Revision != rewritten {
		t.Fatalf("history after a force push: %+v", h)
	}
	res, err := s.Rollback(context.Background(), precious[:10], alice)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := res.Snapshot.Post("precious"); !ok || !strings.Contains(p.Markdown(), "Words worth keeping.") {
		t.Fatal("rollback did not bring the precious post back")
	}
	if parent := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "rev-parse", "main^"); parent != rewritten {
		t.Fatalf("the rollback commit's parent is %s, want main before it %s", parent, rewritten)
	}
	// The author's clone can pull the rollback as a fast-forward.
	mustGit(t, clone, "pull", "--quiet", "--ff-only")
}

// TestPushRacesWithApply: the store publishes while an author's clone is
// behind; the push is refused cleanly ("fetch first"), and after a pull it
// goes through. Never a mixed state.
func TestPushRacesWithApply(t *testing.T) {
	t.Parallel()
	s, clone := pushSetup(t, Options{})
	writeFiles(t, clone, map[string]string{"posts/2024-06-01-from-git.md": string(post("From git", ""))})
	commitAll(t, clone, "From git")
	var c Change
	c.Put("posts/2024-06-02-from-sftp.md", post("From sftp", ""))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
	applied := mainOf(t, s.Dir())
	out, err := push(clone, alice, "origin", "main")
	if err == nil || !strings.Contains(out, "fetch first") {
		t.Fatalf("a stale push: %v\n%s", err, out)
	}
	if mainOf(t, s.Dir()) != applied {
		t.Fatal("the stale push moved main")
	}
	mustGit(t, clone, "pull", "--quiet", "--rebase")
	if out, err := push(clone, alice, "origin", "main"); err != nil {
		t.Fatalf("push after pull: %v\n%s", err, out)
	}
	res, err := s.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"from-git", "from-sftp"} {
		if _, ok := res.Snapshot.Post(slug); !ok {
			t.Errorf("%s missing after both publishes", slug)
		}
	}
}

// TestInstallHooksQuotesTheCommand installs the hooks with a program path
// holding a space and a quote, as a real install directory might.
func TestInstallHooksQuotesTheCommand(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	dir := filepath.Join(t.TempDir(), "it's a dir")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin, _ := filepath.Abs(os.Args[0])
	link := filepath.Join(dir, "sshblog $(touch pwned)")
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	if err := InstallHooks(s.Dir(), link, hookArg); err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "clone")
	mustGit(t, "", "clone", "--quiet", s.Dir(), clone)
	writeFiles(t, clone, map[string]string{"posts/2024-06-01-q.md": "no front matter"})
	commitAll(t, clone, "bad")
	out, err := push(clone, alice, "origin", "main")
	if err == nil || !strings.Contains(out, "remote: posts/2024-06-01-q.md:1: missing front matter") {
		t.Fatalf("the hook did not run through the quoted path: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "pwned")); err == nil {
		t.Fatal("the command was not quoted")
	}
}

// TestPushWithoutHooksIsRefused: a server that never called InstallHooks
// refuses pushes rather than taking them unchecked.
func TestPushWithoutHooksIsRefused(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	before := mainOf(t, s.Dir())
	clone := filepath.Join(t.TempDir(), "clone")
	mustGit(t, "", "clone", "--quiet", s.Dir(), clone)
	writeFiles(t, clone, map[string]string{"posts/2024-06-01-x.md": "not checked"})
	commitAll(t, clone, "unchecked")
	out, err := push(clone, alice, "origin", "main")
	if err == nil || !strings.Contains(out, "remote: sshblog: publishing by git push is not set up on this server") {
		t.Fatalf("push without hooks: %v\n%s", err, out)
	}
	if mainOf(t, s.Dir()) != before {
		t.Fatal("main moved")
	}
}

func TestRunHookInput(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	if code := RunHook(context.Background(), "pre-receive", t.TempDir(), strings.NewReader("only two\n"), &stderr, nil); code == 0 ||
		!strings.Contains(stderr.String(), "unexpected line") {
		t.Fatalf("bad input: exit %d, %q", code, stderr.String())
	}
	stderr.Reset()
	if code := RunHook(context.Background(), "update", t.TempDir(), strings.NewReader(""), &stderr, nil); code == 0 ||
		!strings.Contains(stderr.String(), "unknown hook") {
		t.Fatalf("unknown hook: exit %d, %q", code, stderr.String())
	}
}

// TestPushRefusesAFakeImage: a push onto a published main still checks the
// images it adds or changes (only unchanged ones are taken as checked).
func TestPushRefusesAFakeImage(t *testing.T) {
	t.Parallel()
	s, clone := pushSetup(t, Options{})
	writeFiles(t, clone, map[string]string{"images/good.png": string(uploadtest.Image("good.png", 2000))})
	mustGit(t, clone, "add", "-A")
	mustGit(t, clone, "commit", "--quiet", "-m", "good image")
	if out, err := push(clone, alice, "origin", "main"); err != nil {
		t.Fatalf("push of a good image refused: %v\n%s", err, out)
	}
	before := mainOf(t, s.Dir())
	writeFiles(t, clone, map[string]string{"images/fake.png": "not a picture at all\n"})
	mustGit(t, clone, "add", "-A")
	mustGit(t, clone, "commit", "--quiet", "-m", "fake image")
	out, err := push(clone, alice, "origin", "main")
	if err == nil {
		t.Fatalf("push of a fake image accepted:\n%s", out)
	}
	if want := "remote: images/fake.png: not a PNG image"; !strings.Contains(out, want) {
		t.Errorf("push output lacks %q:\n%s", want, out)
	}
	if strings.Contains(out, "images/good.png") {
		t.Errorf("the published image was reported:\n%s", out)
	}
	if mainOf(t, s.Dir()) != before {
		t.Fatal("main moved")
	}
}
