package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

// TestOpenWithoutGit: the store keeps the blog in a git repository driven
// by the git program, so without it Open says so (ErrNoGit) and leaves
// nothing behind; so do the hooks' entry points.
func TestOpenWithoutGit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blog.git")
	if _, err := Open(context.Background(), dir, testBlog(), Options{Git: "/nonexistent/git"}); !errors.Is(err, ErrNoGit) {
		t.Fatalf("Open with a missing Options.Git: %v, want ErrNoGit", err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err := Open(context.Background(), dir, testBlog(), Options{})
	if !errors.Is(err, ErrNoGit) || !strings.Contains(err.Error(), "the git program is not installed") {
		t.Fatalf("Open without git: %v, want ErrNoGit", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open without git left %s: %v", dir, err)
	}
	if err := InstallHooks(dir, "/bin/true"); !errors.Is(err, ErrNoGit) {
		t.Errorf("InstallHooks without git: %v, want ErrNoGit", err)
	}
	if _, err := ValidatePush(context.Background(), dir, nil, os.Environ()); !errors.Is(err, ErrNoGit) {
		t.Errorf("ValidatePush without git: %v, want ErrNoGit", err)
	}
}

// fsck runs git fsck --strict on the bare repository dir: every object,
// ref and reflog entry sound, every object reachable.
func fsck(t *testing.T, dir string) {
	t.Helper()
	if out, err := gitRun(dir, gitEnv(), "--git-dir="+dir, "fsck", "--strict", "--no-dangling", "--no-progress"); err != nil || out != "" {
		t.Fatalf("git fsck: %v\n%s", err, out)
	}
}

// TestHistoryAfterGC publishes, rolls back, packs the repository with git
// gc (packed objects and refs), reopens it and goes on: the history, the
// files and rollbacks read what was written before, and git fsck finds
// nothing wrong. The data folder's name needs quoting in the repository's
// configuration.
func TestHistoryAfterGC(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), `my "blog" #1; a\b`, "blog.git")
	open := func() *Store {
		t.Helper()
		s, err := Open(context.Background(), dir, testBlog(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	apply := func(s *Store, c Change) Result {
		t.Helper()
		res, err := s.Apply(context.Background(), c, alice)
		if err != nil || !res.Changed {
			t.Fatalf("Apply: %+v, %v", res, err)
		}
		return res
	}
	s := open()
	var c Change
	c.Put("posts/2024-05-01-a.md", post("A", "Written first.\n"))
	c.Put("images/2024/a.png", uploadtest.Image("a.png", 64))
	a := apply(s, c)
	c = Change{}
	c.Remove("images/cover.png")
	c.Rename("posts/2024-01-02-second.md", "posts/2024-01-05-second.md", false)
	b := apply(s, c)
	history, err := s.History(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	files := treeContents(t, s.Files())
	s.Close()
	if hooks := mustGit(t, dir, "--git-dir="+dir, "config", "core.hooksPath"); hooks != filepath.Join(dir, "hooks") {
		t.Fatalf("git reads core.hooksPath as %q", hooks)
	}
	mustGit(t, dir, "--git-dir="+dir, "gc", "--quiet", "--prune=now")
	if _, err := os.Stat(filepath.Join(dir, "refs", "heads", "main")); err == nil {
		t.Fatal("git gc left main loose; the test wants it packed")
	}

	s = open()
	defer s.Close()
	if s.Snapshot().Revision() != b.Revision {
		t.Fatalf("opened on %s, want %s", s.Snapshot().Revision(), b.Revision)
	}
	if h, err := s.History(context.Background(), 0); err != nil || !reflect.DeepEqual(h, history) {
		t.Fatalf("the history reads as\n%+v, %v\nwant\n%+v", h, err, history)
	}
	if got := treeContents(t, s.Files()); !reflect.DeepEqual(got, files) {
		t.Fatalf("the files read as %v, want %v", got, files)
	}
	c = Change{}
	c.Put("posts/2024-05-02-c.md", post("C", "Written after gc.\n"))
	apply(s, c)
	if _, err := s.Rollback(context.Background(), a.Revision[:7], alice); err != nil {
		t.Fatal(err)
	}
	if data, err := s.Files().ReadFile("images/cover.png"); err != nil || string(data) != string(testBlog()["images/cover.png"].Data) {
		t.Fatalf("rolled back the image as %q, %v", data, err)
	}
	if _, err := s.Rollback(context.Background(), b.Revision[:9], alice); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(context.Background(), 0)
	if err != nil || len(h) != 6 {
		t.Fatalf("history %+v, %v", h, err)
	}
	if _, ok := s.Snapshot().Post("c"); ok || s.Snapshot().Revision() != mainOf(t, dir) {
		t.Fatal("the second rollback did not republish b")
	}
	fsck(t, dir)
	reflog := strings.Split(mustGit(t, dir, "--git-dir="+dir, "reflog", "--format=%gs", "main"), "\n")
	if len(reflog) != len(h) || !strings.HasPrefix(reflog[0], "sshblog: Roll back to "+b.Revision[:12]) {
		t.Fatalf("reflog of main %q for %d publishes", reflog, len(h))
	}
}

// treeContents reads every file of tree: path → contents.
func treeContents(t *testing.T, tree *Tree) map[string]string {
	t.Helper()
	files := map[string]string{}
	for p := range tree.files {
		data, err := tree.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = string(data)
	}
	return files
}

// TestRepoOperations drives the repository runner operation by operation:
// blobs, trees, commits and tags read back as git reads them, and what
// would corrupt the repository is refused.
func TestRepoOperations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, testBlog(), Options{})
	r := s.repo
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	fails := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
		}
	}

	datas := [][]byte{nil, []byte("a\n"), []byte("中文的句子。\r\n"), bytes.Repeat([]byte("x\x00y"), 100000)}
	oids, err := r.writeBlobs(ctx, datas)
	must("write blobs", err)
	got, err := r.readBlobs(ctx, oids)
	if err != nil || len(got) != len(datas) {
		t.Fatalf("read blobs: %d, %v", len(got), err)
	}
	for i, oid := range oids {
		if !bytes.Equal(got[oid], datas[i]) {
			t.Fatalf("blob %d read back wrong", i)
		}
	}
	if want := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "hash-object", "--stdin"); oids[0] != want {
		t.Fatalf("the empty blob is %s, git says %s", oids[0], want)
	}
	// Enough blobs to be written as a pack (git fast-import), the same
	// ones again among them.
	many := append([][]byte{}, datas...)
	for i := range packThreshold {
		many = append(many, []byte(fmt.Sprintf("blob %d\n", i)))
	}
	packed, err := r.writeBlobs(ctx, many)
	must("write blobs as a pack", err)
	if !reflect.DeepEqual(packed[:len(oids)], oids) {
		t.Fatalf("the same blobs got other ids in a pack: %v, %v", packed[:len(oids)], oids)
	}
	back, err := r.readBlobs(ctx, packed)
	must("read packed blobs", err)
	for i, oid := range packed {
		if !bytes.Equal(back[oid], many[i]) {
			t.Fatalf("packed blob %d read back wrong", i)
		}
	}

	// Names that git sorts in its own way: a folder sorts as "name/".
	files := []indexEntry{
		{modeFile, oids[1], "a-b"}, {modeFile, oids[1], "a.b"}, {modeFile, oids[2], "a/b"}, {modeFile, oids[1], "a0"},
		{modeFile, oids[0], "b/c/d.md"}, {modeFile, oids[3], "b/c.md"}, {modeFile, oids[1], "b-c/x"},
		{modeExecutable, oids[1], "run.sh"}, {modeSymlink, oids[1], "link"}, {modeFile, oids[2], "中文/文章.md"},
	}
	tree, err := r.writeTree(ctx, files)
	must("write tree", err)
	_, err = r.writeTree(ctx, append(files[:len(files):len(files)], indexEntry{modeFile, oids[1], "a"}))
	fails("write a tree with a file that is also a folder", err)
	_, err = r.writeTree(ctx, append(files[:len(files):len(files)], indexEntry{modeFile, oids[2], "a0"}))
	fails("write a tree with a file given twice", err)
	_, err = r.writeTree(ctx, []indexEntry{{modeFile, oids[1], "x/.GIT/config"}})
	fails("write a tree with a .git folder", err)
	_, err = r.writeTree(ctx, []indexEntry{{modeFile, strings.Repeat("ab", 20), "x"}})
	fails("write a tree with a missing blob", err)

	head := s.Snapshot().Revision()
	for _, msg := range []string{"Plain\n", "\n\nFirst line  \nsecond line\n\nbody\n", "  spaced  \n\nbody", "中文的标题\n"} {
		id, err := r.commitTree(ctx, tree, head, msg)
		must("commit", err)
		raw, err := gitRun(s.Dir(), gitEnv(), "--git-dir="+s.Dir(), "cat-file", "commit", id)
		if err != nil || !strings.HasSuffix(raw, "\n\n"+msg) || !strings.HasPrefix(raw, "tree "+tree+"\nparent "+head+"\nauthor sshblog <sshblog@localhost> ") {
			t.Fatalf("commit: %v\n%s", err, raw)
		}
		subject, _, err := r.commitInfo(ctx, id)
		must("commit info", err)
		if want := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "show", "-s", "--format=%s", id); subject != want {
			t.Errorf("subject of %q: %q, git says %q", msg, subject, want)
		}
		entries, err := r.lsTree(ctx, id)
		must("ls-tree", err)
		if len(entries) != len(files) {
			t.Errorf("ls-tree lists %d files, want %d", len(entries), len(files))
		}
	}
	_, err = r.commitTree(ctx, strings.Repeat("ab", 20), head, "x\n")
	fails("commit a missing tree", err)

	tag := []byte(fmt.Sprintf("object %s\ntype commit\ntag published\ntagger %s <%s> 1700000000 +0000\n\nrevision %s\n",
		head, identityName, identityEmail, head))
	tagID, err := r.writeTag(ctx, tag)
	must("write tag", err)
	_, err = r.writeTag(ctx, bytes.Replace(tag, []byte(head), []byte(strings.Repeat("ab", 20)), 1))
	fails("tag a missing commit", err)
	_, err = r.writeTag(ctx, bytes.Replace(tag, []byte(head), []byte(tree), 1))
	fails("tag a tree as a commit", err)

	for rev, want := range map[string]string{head: head, head[:7]: head, tagID[:8]: head, tree[:8]: "", oids[1][:8]: "", "0000000": "", strings.Repeat("f", 41): ""} {
		if got, err := r.resolveCommit(ctx, rev); err != nil || got != want {
			t.Errorf("resolve %s: %q, %v; want %q", rev, got, err, want)
		}
	}

	// Refs: create, compare-and-swap, a lock held by someone else.
	const ref = "refs/sshblog/test/x"
	must("create a ref", r.updateRef(ctx, ref, head, "", "create"))
	if err := r.updateRef(ctx, ref, tagID, "", "create again"); !errors.Is(err, errRefMoved) {
		t.Errorf("creating an existing ref: %v, want errRefMoved", err)
	}
	if err := r.updateRef(ctx, ref, tagID, tree, "stale"); !errors.Is(err, errRefMoved) {
		t.Errorf("a stale compare-and-swap: %v, want errRefMoved", err)
	}
	writeFiles(t, s.Dir(), map[string]string{ref + ".lock": ""})
	if err := r.updateRef(ctx, ref, tagID, head, "locked"); !errors.Is(err, errRefMoved) {
		t.Errorf("a ref locked by another writer: %v, want errRefMoved", err)
	}
	os.Remove(filepath.Join(s.Dir(), ref+".lock"))
	must("a compare-and-swap", r.updateRef(ctx, ref, tagID, head, "move"))
	fails("a branch pointing at a tree", r.updateRef(ctx, "refs/heads/other", tree, "", "branch to a tree"))
	if got, err := r.resolve(ctx, ref); err != nil || got != tagID {
		t.Errorf("resolve %s: %q, %v", ref, got, err)
	}
	if got, err := r.resolve(ctx, "refs/heads/nope"); err != nil || got != "" {
		t.Errorf("resolve a missing ref: %q, %v", got, err)
	}
	if names, err := r.refNames(ctx, "refs/sshblog/test/"); err != nil || !reflect.DeepEqual(names, []string{ref}) {
		t.Errorf("ref names: %q, %v", names, err)
	}
	if tags, err := r.tagMessages(ctx, "refs/sshblog/", 1); err != nil || len(tags) != 1 || tags[0].name != ref || tags[0].message != "revision "+head+"\n" {
		t.Errorf("the latest tag message: %+v, %v", tags, err)
	}
	fsck(t, s.Dir())
}

// TestApplyWhileMainIsLocked: a git process holding main's lock (a push
// being received) makes a publish fail cleanly with ErrConflict.
func TestApplyWhileMainIsLocked(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	before := mainOf(t, s.Dir())
	writeFiles(t, s.Dir(), map[string]string{"refs/heads/main.lock": before + "\n"})
	var c Change
	c.Put("posts/2024-05-01-new.md", post("New post", "Fresh.\n"))
	if _, err := s.Apply(context.Background(), c, alice); !errors.Is(err, ErrConflict) {
		t.Fatalf("Apply while main is locked: %v, want ErrConflict", err)
	}
	if mainOf(t, s.Dir()) != before || s.Snapshot().Revision() != before {
		t.Fatal("main moved")
	}
	if h, _ := s.History(context.Background(), 0); len(h) != 1 {
		t.Fatalf("history %+v", h)
	}
	os.Remove(filepath.Join(s.Dir(), "refs/heads/main.lock"))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentReadsAndWrites reads files from the repository (images are
// read from git on demand), the history and the snapshot from many
// goroutines while publishing, as sessions do: run it with -race.
func TestConcurrentReadsAndWrites(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	image := testBlog()["images/cover.png"].Data
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if data, err := s.Files().ReadFile("images/cover.png"); err != nil || !bytes.Equal(data, image) {
					errs <- fmt.Errorf("read the image: %q, %v", data, err)
					return
				}
				if _, err := s.History(context.Background(), 3); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 5 {
		var c Change
		c.Put(fmt.Sprintf("posts/2024-06-0%d-p%d.md", i+1, i), post(fmt.Sprintf("P%d", i), ""))
		if _, err := s.Apply(context.Background(), c, alice); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var ve *content.ValidationError
	if _, err := s.Rollback(context.Background(), "ffffffff", alice); !errors.As(err, &ve) {
		t.Fatalf("Rollback to nothing: %v", err)
	}
}
