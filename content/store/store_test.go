package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/upload"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

var alice = Author{Fingerprint: "SHA256:alicealicealice", Comment: "alice@laptop"}

func TestOpenSeedsThenReopens(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data", "blog.git")
	seeded := Options{SeedName: "the embedded sample"}
	s, err := Open(context.Background(), dir, sample.FS(), seeded)
	if err != nil {
		t.Fatal(err)
	}
	snap := s.Snapshot()
	if snap.Revision() != mainOf(t, dir) || len(snap.Posts()) == 0 || s.Library().Snapshot() != snap {
		t.Fatalf("seeded snapshot: revision %q, %d posts", snap.Revision(), len(snap.Posts()))
	}
	h, err := s.History(context.Background(), 0)
	if err != nil || len(h) != 1 || h[0].Via != "seed" || h[0].Revision != snap.Revision() ||
		h[0].Subject != "Seed the blog from the embedded sample" || len(h[0].Files) != 4 {
		t.Fatalf("history after seeding: %+v, %v", h, err)
	}
	if _, err := Open(context.Background(), dir, sample.FS(), Options{}); err == nil || !strings.Contains(err.Error(), "another sshblog process") {
		t.Fatalf("second Open of a store in use: %v", err)
	}
	s.Close()

	s, err = Open(context.Background(), dir, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Snapshot().Revision() != snap.Revision() {
		t.Fatalf("reopened on %s, want %s", s.Snapshot().Revision(), snap.Revision())
	}
	if h, _ := s.History(context.Background(), 0); len(h) != 1 {
		t.Fatalf("reopening recorded again: %+v", h)
	}
	if matches, _ := filepath.Glob(dir + ".seeding-*"); len(matches) > 0 {
		t.Fatalf("seeding left %v", matches)
	}
}

func TestOpenRefusesAnInvalidSeed(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "blog.git")
	seed := withFile(testBlog(), "posts/2024-03-01-bad.md", []byte("---\ntags: [x]\n---\nNo title.\n"))
	seed["images/evil.png"] = &fstest.MapFile{Mode: os.ModeSymlink, Data: []byte("/etc/passwd")}
	_, err := Open(context.Background(), dir, seed, Options{})
	var ve *content.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "images/evil.png: symbolic links are not allowed") {
		t.Fatalf("Open with a bad seed: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused seed left %s: %v", dir, err)
	}
	// What content.Load finds in a seed is a warning (judgeSeed): the post
	// without a title is served, under one made from its slug.
	delete(seed, "images/evil.png")
	s, err := Open(context.Background(), dir, seed, Options{})
	if err != nil {
		t.Fatalf("Open with a post without title: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if p, ok := s.Snapshot().Post("bad"); !ok || p.Title != "Bad" {
		t.Errorf("the post without a title is not served as Bad: %+v", p)
	}
}

func TestOpenSeedsFromAJekyllFolder(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"_config.yml":                      "title: Jekyll blog\n",
		"_posts/2020-12-26-review.md":      string(post("Review", "Text.\n")),
		"_data/books.yml":                  "- title: B\n  post: review\n",
		"_layouts/default.html":            "<html>{{ content }}</html>",
		"Gemfile":                          "source 'https://rubygems.org'\n",
		"_site/index.html":                 "generated",
		".git/HEAD":                        "ref: refs/heads/master\n",
		"node_modules/x/index.js":          "x",
		"assets/css/style.scss":            "body {}",
		"_posts/drafts/.keep":              "",
		"_drafts/2021-01-01-unfinished.md": "---\ntitle: later\n---\n",
	})
	s := openTest(t, os.DirFS(src), Options{})
	snap := s.Snapshot()
	if snap.Site().Title != "Jekyll blog" || len(snap.Posts()) != 1 || len(snap.Books()) != 1 {
		t.Fatalf("Jekyll seed: site %+v, %d posts, %d books", snap.Site(), len(snap.Posts()), len(snap.Books()))
	}
	files := filesOf(t, s.Dir(), "main")
	for _, kept := range []string{"_layouts/default.html", "Gemfile", "assets/css/style.scss", "_drafts/2021-01-01-unfinished.md"} {
		if files[kept] == "" {
			t.Errorf("the seed lost %s", kept)
		}
	}
	for p := range files {
		if strings.HasPrefix(p, "_site/") || strings.HasPrefix(p, ".git/") || strings.HasPrefix(p, "node_modules/") {
			t.Errorf("the seed kept generated or dependency file %s", p)
		}
	}
	warned := 0
	for _, w := range snap.Warnings() {
		if strings.Contains(w.Message, "not part of the blog") {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("unused files summarised %d times, want once: %v", warned, snap.Warnings())
	}
}

func TestApplyPublishes(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	ch, stop := s.Library().Subscribe()
	defer stop()
	before := s.Snapshot()

	var c Change
	c.Via = "sftp"
	c.Put("/posts/2024-05-01-new.md", post("New post", "Fresh.\n"))
	res, err := s.Apply(context.Background(), c, alice)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Revision == before.Revision() || res.Revision != mainOf(t, s.Dir()) {
		t.Fatalf("result %+v; main %s", res, mainOf(t, s.Dir()))
	}
	if p, ok := res.Snapshot.Post("new"); !ok || p.Title != "New post" || res.Snapshot.Revision() != res.Revision {
		t.Fatalf("new snapshot lacks the post: %v %v", p, ok)
	}
	if got := <-ch; got != res.Snapshot || s.Snapshot() != res.Snapshot {
		t.Fatal("the library did not publish the new snapshot")
	}
	if before.Revision() == res.Revision || len(before.Posts()) != 2 {
		t.Fatal("the old snapshot changed")
	}
	if !slices.Equal(res.Files, []FileChange{{Path: "posts/2024-05-01-new.md", Status: Added}}) {
		t.Fatalf("files %+v", res.Files)
	}
	if data, err := s.Files().ReadFile("posts/2024-05-01-new.md"); err != nil || string(data) != string(post("New post", "Fresh.\n")) {
		t.Fatalf("Files: %q %v", data, err)
	}
	msg := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "log", "-1", "--format=%an%n%B", "main")
	for _, want := range []string{"sshblog\n", "add posts/2024-05-01-new.md", "Published over sftp by SHA256:alicealicealice (alice@laptop).", "added    posts/2024-05-01-new.md"} {
		if !strings.Contains(msg, want) {
			t.Errorf("commit message %q lacks %q", msg, want)
		}
	}
	h, _ := s.History(context.Background(), 1)
	if len(h) != 1 || h[0].Revision != res.Revision || h[0].Author != alice || h[0].Via != "sftp" || h[0].Previous != before.Revision() {
		t.Fatalf("history %+v", h)
	}
}

func TestApplyOperations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ops     func(c *Change)
		added   []string
		removed []string
		err     []string // substrings of the error, one per problem expected
	}{
		{name: "overwrite", ops: func(c *Change) { c.Put("posts/2024-01-02-second.md", post("Second!", "Edited.\n")) }},
		{name: "remove", ops: func(c *Change) { c.Remove("posts/2024-01-02-second.md") }, removed: []string{"posts/2024-01-02-second.md"}},
		{name: "rename file", ops: func(c *Change) { c.Rename("posts/2024-01-02-second.md", "posts/2024-01-04-second.md", false) },
			added: []string{"posts/2024-01-04-second.md"}, removed: []string{"posts/2024-01-02-second.md"}},
		{name: "rename folder", ops: func(c *Change) { c.Rename("/posts", "/images/../_posts", false) },
			added: []string{"_posts/2024-01-01-first.md", "_posts/2024-01-03-a-draft.md"}, removed: []string{"posts/2024-01-02-second.md"}},
		{name: "rename folder to a disallowed place", ops: func(c *Change) { c.Rename("images", "pictures", false) },
			err: []string{"pictures/cover.png: not accepted"}},
		{name: "mkdir then put", ops: func(c *Change) { c.Mkdir("images/2024"); c.Put("images/2024/a.gif", []byte("GIF89a")) },
			added: []string{"images/2024/a.gif"}},
		{name: "image", ops: func(c *Change) { c.Put("images/b.webp", uploadtest.Image("b.webp", 40)) }, added: []string{"images/b.webp"}},
		{name: "remove unused file", ops: func(c *Change) { c.Put("posts/2024-06-01-x.md", post("X", "")); c.Remove("posts/2024-06-01-x.md") }},

		{name: "traversal", ops: func(c *Change) { c.Put("../../etc/passwd", []byte("x")) }, err: []string{`path "../../etc/passwd" leaves the blog's folder`}},
		{name: "absolute escape", ops: func(c *Change) { c.Put("/../x.md", []byte("x")) }, err: []string{"leaves the blog's folder"}},
		{name: "disallowed type", ops: func(c *Change) { c.Put("posts/evil.sh", []byte("rm -rf /")) },
			err: []string{"posts/evil.sh: not accepted: you can upload " + upload.Allowed}},
		{name: "rename to disallowed type", ops: func(c *Change) { c.Rename("posts/2024-01-01-first.md", "first.txt", false) }, err: []string{"first.txt: not accepted"}},
		{name: "put onto a folder", ops: func(c *Change) { c.Put("posts", []byte("x")) }, err: []string{`"posts" is a folder`}},
		{name: "put under a file", ops: func(c *Change) { c.Put("site.yaml/x.md", []byte("x")) }, err: []string{"site.yaml is a file"}},
		{name: "remove missing", ops: func(c *Change) { c.Remove("posts/nope.md") }, err: []string{`"posts/nope.md": no such file`}},
		{name: "remove folder", ops: func(c *Change) { c.Remove("posts") }, err: []string{"not empty"}},
		{name: "mkdir existing", ops: func(c *Change) { c.Mkdir("/posts/") }, err: []string{`"/posts/" already exists`}},
		{name: "rename onto existing", ops: func(c *Change) { c.Rename("posts/2024-01-01-first.md", "posts/2024-01-02-second.md", false) },
			err: []string{"already exists"}},
		{name: "rename into itself", ops: func(c *Change) { c.Rename("posts", "posts/sub", false) }, err: []string{"into itself"}},
		{name: "every problem at once", ops: func(c *Change) {
			c.Put("a.exe", nil)
			c.Put("../x", nil)
			c.Remove("nope")
		}, err: []string{"a.exe: not accepted", "leaves the blog's folder", "no such file"}},
		{name: "too big", ops: func(c *Change) { c.Put("posts/2024-06-01-big.md", make([]byte, 2<<20)) }, err: []string{"2 MiB is over the 1 MiB limit for a text file"}},
		{name: "invalid UTF-8", ops: func(c *Change) { c.Put("posts/2024-06-01-bin.md", []byte("---\ntitle: x\n---\n\xff\xfe")) },
			err: []string{"posts/2024-06-01-bin.md:4: text is not valid UTF-8"}},
		{name: "NUL", ops: func(c *Change) { c.Put("site.yaml", []byte("title: x\x00")) }, err: []string{"site.yaml:1: text contains a NUL byte"}},
		{name: "invalid blog, every problem with file:line", ops: func(c *Change) {
			c.Put("posts/2024-06-01-untitled.md", []byte("---\ntags: [a]\n---\nbody\n"))
			c.Put("books.yaml", []byte("- title: A book\n  post: first\n- title: Other\n  post: missing-post\n"))
		}, err: []string{"posts/2024-06-01-untitled.md:", "books.yaml:4: post \"missing-post\" does not exist"}},
		{name: "removing a post a book refers to", ops: func(c *Change) { c.Remove("posts/2024-01-01-first.md") },
			err: []string{`books.yaml:3: post "first" does not exist`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := openTest(t, testBlog(), Options{})
			before := mainOf(t, s.Dir())
			objects := looseObjects(t, s.Dir())
			beforeFiles := filesOf(t, s.Dir(), before)
			var c Change
			tt.ops(&c)
			res, err := s.Apply(context.Background(), c, alice)
			if tt.err != nil {
				var ve *content.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("Apply: %v, want a validation error", err)
				}
				for _, want := range tt.err {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q lacks %q", err, want)
					}
				}
				if n := strings.Count(err.Error(), "\n") + 1; n != len(tt.err) {
					t.Errorf("error has %d problems, want %d:\n%v", n, len(tt.err), err)
				}
				if mainOf(t, s.Dir()) != before || s.Snapshot().Revision() != before || looseObjects(t, s.Dir()) != objects {
					t.Fatal("a refused change changed the repository")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			after := filesOf(t, s.Dir(), mainOf(t, s.Dir()))
			for _, p := range tt.added {
				if beforeFiles[p] != "" || after[p] == "" {
					t.Errorf("%s not added", p)
				}
			}
			for _, p := range tt.removed {
				if beforeFiles[p] == "" || after[p] != "" {
					t.Errorf("%s not removed", p)
				}
			}
			if res.Changed != (mainOf(t, s.Dir()) != before) {
				t.Errorf("Changed %v, but main %s → %s", res.Changed, before, mainOf(t, s.Dir()))
			}
		})
	}
}

func TestApplyWithoutChangeCommitsNothing(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	before := mainOf(t, s.Dir())
	var c Change
	c.Put("posts/2024-01-01-first.md", testBlog()["posts/2024-01-01-first.md"].Data)
	c.Mkdir("images/new")
	res, err := s.Apply(context.Background(), c, alice)
	if err != nil || res.Changed || res.Revision != before || mainOf(t, s.Dir()) != before {
		t.Fatalf("unchanged blog: %+v, %v", res, err)
	}
	if h, _ := s.History(context.Background(), 0); len(h) != 1 {
		t.Fatalf("history grew: %+v", h)
	}
}

func TestApplyLimitsAreConfigurable(t *testing.T) {
	t.Parallel()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "blog.git"), testBlog(), Options{Limits: upload.Limits{Image: 100}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var c Change
	c.Put("images/big.png", uploadtest.Image("big.png", 101))
	if _, err := s.Apply(context.Background(), c, alice); err == nil || !strings.Contains(err.Error(), "over the 100 bytes limit for an image") {
		t.Fatalf("image over a custom limit: %v", err)
	}
	if got, _ := s.Rules().Target("images/x.png"); got != 100 {
		t.Fatalf("Rules().Target = %d", got)
	}
}

// TestConcurrentApplies publishes from many goroutines at once: every
// change succeeds, one after the other, and each commit adds exactly its
// own file to the one before: never a mixed or lost state.
func TestConcurrentApplies(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	seed := mainOf(t, s.Dir())
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c Change
			c.Put(fmt.Sprintf("posts/2024-07-0%d-p%d.md", i+1, i), post(fmt.Sprintf("P%d", i), "x\n"))
			_, err := s.Apply(context.Background(), c, Author{Fingerprint: fmt.Sprintf("SHA256:%d", i)})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	commits := strings.Fields(mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "rev-list", "--first-parent", seed+"..main"))
	if len(commits) != n {
		t.Fatalf("%d commits, want %d", len(commits), n)
	}
	for _, c := range commits {
		diff := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "diff-tree", "-r", "--name-status", c+"^", c)
		if lines := strings.Split(diff, "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "A\tposts/2024-07-0") {
			t.Fatalf("commit %s changes %q, want one added post", c, diff)
		}
	}
	if got := len(s.Snapshot().Posts()); got != 2+n {
		t.Fatalf("%d posts listed, want %d", got, 2+n)
	}
	if h, _ := s.History(context.Background(), 0); len(h) != n+1 {
		t.Fatalf("%d history entries, want %d", len(h), n+1)
	}
}

// TestConflictIsRefusedCleanly moves main behind the store's back between
// its reading main and its compare-and-swap, as a concurrent push would.
func TestConflictIsRefusedCleanly(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	base := s.cur.Load()
	var c Change
	c.Put("posts/2024-08-01-other.md", post("Other", ""))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
	winner := mainOf(t, s.Dir())

	files := candidate{}
	for p, b := range base.tree.files {
		files[p] = b
	}
	files["posts/2024-08-02-loser.md"] = &blob{mode: modeFile, size: 5, data: post("Loser", "")}
	s.mu.Lock()
	_, err := s.publish(context.Background(), base, files, "", "sftp", alice, judgeChange)
	s.mu.Unlock()
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "fetch the latest version") {
		t.Fatalf("stale publish: %v, want ErrConflict", err)
	}
	if mainOf(t, s.Dir()) != winner || s.Snapshot().Revision() != winner {
		t.Fatal("the losing publish moved main")
	}
	if h, _ := s.History(context.Background(), 0); len(h) != 2 {
		t.Fatalf("the losing publish was recorded: %+v", h)
	}
}

func TestApplyAfterAnOutsideChangeBuildsOnIt(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	// Someone moves main (as a push does) without telling the store.
	tree := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "rev-parse", "main^{tree}")
	commit := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "commit-tree", tree, "-p", "main", "-m", "outside")
	mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "update-ref", "refs/heads/main", commit)
	var c Change
	c.Put("posts/2024-09-01-after.md", post("After", ""))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
	if parent := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "rev-parse", "main^"); parent != commit {
		t.Fatalf("Apply built on %s, want the outside commit %s", parent, commit)
	}
}

func TestRollback(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	seed := mainOf(t, s.Dir())
	var c Change
	c.Put("posts/2024-10-01-a.md", post("A", ""))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
	c = Change{}
	c.Remove("images/cover.png")
	c.Put("site.yaml", []byte("title: Renamed\n"))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
	bob := Author{Fingerprint: "SHA256:bob"}
	res, err := s.Rollback(context.Background(), seed[:7], bob)
	if err != nil {
		t.Fatal(err)
	}
	if res.Revision == seed || mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "rev-parse", "main^{tree}") !=
		mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "rev-parse", seed+"^{tree}") {
		t.Fatal("rollback did not republish the seed's tree as a new commit")
	}
	if s.Snapshot().Site().Title != "Test blog" {
		t.Fatalf("live title %q after rollback", s.Snapshot().Site().Title)
	}
	if data, err := s.Files().ReadFile("images/cover.png"); err != nil || string(data) != string(testBlog()["images/cover.png"].Data) {
		t.Fatalf("image after rollback: %q, %v", data, err)
	}
	h, _ := s.History(context.Background(), 1)
	if h[0].Via != "rollback" || h[0].Author != bob || !strings.HasPrefix(h[0].Subject, "Roll back to "+seed[:12]) {
		t.Fatalf("history %+v", h[0])
	}
	for _, bad := range []string{"main", "HEAD~1", "--output=/tmp/x", "abc", "zzzz", "1234567"} {
		_, err := s.Rollback(context.Background(), bad, bob)
		var ve *content.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("Rollback(%q): %v, want a validation error", bad, err)
		}
	}
}

func TestFilesIsAnFS(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	if err := fstest.TestFS(s.Files(), "site.yaml", "posts/2024-01-01-first.md", "images/cover.png"); err != nil {
		t.Fatal(err)
	}
	info, err := s.Files().Stat("posts")
	if err != nil || !info.IsDir() {
		t.Fatalf("Stat(posts) = %v, %v", info, err)
	}
}

func TestRecoversFromStaleFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "blog.git")
	s, err := Open(context.Background(), dir, testBlog(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := mainOf(t, dir)
	s.Close()
	// What a kill in the middle of git commands leaves behind.
	leftovers := []string{"refs/heads/main.lock", "packed-refs.lock", "HEAD.lock", "config.lock",
		"sshblog-tmp/index-123", "objects/ab/tmp_obj_xyz", "objects/tmp_objdir-incoming-abc/x",
		"refs/sshblog/published/1.lock", "objects/pack/tmp_obj_123", ".config.tmp-123", "hooks/.pre-receive.tmp-9"}
	for _, p := range leftovers {
		writeFiles(t, dir, map[string]string{p: "junk"})
	}
	writeFiles(t, filepath.Dir(dir), map[string]string{"blog.git.seeding-42/HEAD": "x"})

	s, err = Open(context.Background(), dir, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range append(leftovers, "../blog.git.seeding-42") {
		if _, err := os.Stat(filepath.Join(dir, p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s survived recovery", p)
		}
	}
	if s.Snapshot().Revision() != good {
		t.Fatal("recovery moved main")
	}
	var c Change
	c.Put("posts/2024-11-01-ok.md", post("OK", ""))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatalf("Apply after recovery: %v", err)
	}
}

func TestOpenRecordsAnUnrecordedMain(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "blog.git")
	s, err := Open(context.Background(), dir, testBlog(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// main moved but the history was not written (a kill in between).
	tree := mustGit(t, dir, "--git-dir="+dir, "rev-parse", "main^{tree}")
	commit := mustGit(t, dir, "--git-dir="+dir, "commit-tree", tree, "-p", "main", "-m", "lost record")
	mustGit(t, dir, "--git-dir="+dir, "update-ref", "refs/heads/main", commit)

	s, err = Open(context.Background(), dir, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, _ := s.History(context.Background(), 0)
	if len(h) != 2 || h[0].Revision != commit || h[0].Via != "recovery" || h[0].Subject != "lost record" {
		t.Fatalf("history %+v", h)
	}
}

// TestIgnoresTheUsersGitConfiguration: a user's global git configuration
// and GIT_* variables never reach the store's git commands. Here they would
// make every git command fail (an invalid core.bare) or point git at
// another repository.
func TestIgnoresTheUsersGitConfiguration(t *testing.T) {
	home := t.TempDir()
	config := "[core]\n\tbare = maybe\n\thooksPath = /nonexistent\n"
	writeFiles(t, home, map[string]string{".gitconfig": config, "global.config": config})
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, "global.config"))
	t.Setenv("GIT_DIR", home)
	t.Setenv("GIT_INDEX_FILE", filepath.Join(home, "index"))
	t.Setenv("GIT_AUTHOR_NAME", "Mallory")
	s := openTest(t, testBlog(), Options{})
	var c Change
	c.Put("posts/2024-12-01-signed.md", post("Signed?", ""))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatalf("Apply with a hostile user configuration: %v", err)
	}
	if who := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "log", "-1", "--format=%an <%ae>", "main"); who != "sshblog <sshblog@localhost>" {
		t.Fatalf("commit by %q", who)
	}
	if hooks := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "config", "core.hooksPath"); hooks != filepath.Join(s.Dir(), "hooks") {
		t.Fatalf("core.hooksPath %q", hooks)
	}
}

// TestReadHead gives the first bytes of an image the upload rules check:
// from the blob just published (kept when its data is dropped), and from
// git after a reopen.
func TestReadHead(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "blog.git")
	s, err := Open(context.Background(), dir, sample.FS(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	img := uploadtest.Image("images/a.png", 100<<10)
	img[20] = 'x' // something past the signature to compare
	var c Change
	c.Put("images/a.png", img)
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) {
		t.Helper()
		for _, n := range []int{0, 4, 512, 200 << 10} {
			got, err := s.Files().ReadHead("images/a.png", n)
			if err != nil {
				t.Fatal(err)
			}
			if want := img[:min(n, len(img))]; !bytes.Equal(got, want) {
				t.Fatalf("ReadHead(%d): %d bytes, want the first %d", n, len(got), len(want))
			}
		}
		if _, err := s.Files().ReadHead("images/none.png", 4); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("ReadHead of a missing file: %v", err)
		}
	}
	check(s)
	s.Close()
	s, err = Open(context.Background(), dir, sample.FS(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	check(s)

}
