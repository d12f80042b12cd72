package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

// TestOpenWithoutGit: without the git program the store opens, publishes,
// keeps its history and rolls back with its built-in git, says why git
// push is off, and leaves a repository git reads.
func TestOpenWithoutGit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blog.git")
	t.Run("no git in PATH", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		var logs bytes.Buffer
		s, err := Open(context.Background(), dir, testBlog(), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		if err != nil {
			t.Fatalf("Open without git: %v", err)
		}
		defer s.Close()
		if s.CanPush() || s.GitBinary() != "" {
			t.Fatalf("CanPush %v, GitBinary %q without git", s.CanPush(), s.GitBinary())
		}
		if !strings.Contains(logs.String(), "git push is off, scp and sftp still publish") {
			t.Errorf("nothing logged about git push: %q", logs.String())
		}
		seed := s.Snapshot().Revision()
		var c Change
		c.Via = "sftp"
		c.Put("posts/2024-05-01-new.md", post("New post", "Fresh.\n"))
		if _, err := s.Apply(context.Background(), c, alice); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Rollback(context.Background(), seed[:8], alice); err != nil {
			t.Fatal(err)
		}
		if h, err := s.History(context.Background(), 0); err != nil || len(h) != 3 || h[1].Via != "sftp" || h[0].Via != "rollback" {
			t.Fatalf("history %+v, %v", h, err)
		}
		if err := InstallHooks(s.Dir(), "/bin/true"); !errors.Is(err, ErrNoGit) {
			t.Errorf("InstallHooks without git: %v, want ErrNoGit", err)
		}
		if _, err := ValidatePush(context.Background(), s.Dir(), nil, os.Environ()); !errors.Is(err, ErrNoGit) {
			t.Errorf("ValidatePush without git: %v, want ErrNoGit", err)
		}
	})
	fsck(t, dir)
	if got := len(strings.Fields(mustGit(t, dir, "--git-dir="+dir, "rev-list", "main"))); got != 3 {
		t.Fatalf("git sees %d commits on main, want 3", got)
	}

	s, err := Open(context.Background(), dir, nil, Options{Git: "/nonexistent/git"})
	if err != nil || s.CanPush() {
		t.Fatalf("Open with a missing Options.Git: %v", err)
	}
	s.Close()
	s, err = Open(context.Background(), dir, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.CanPush() || !filepath.IsAbs(s.GitBinary()) {
		t.Fatalf("with git: CanPush %v, GitBinary %q", s.CanPush(), s.GitBinary())
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

// TestBackendsShareARepository publishes with one backend, packs the
// repository with git gc (packed objects and refs), then goes on with the
// other backend, and back: each reads all the other wrote, history and
// rollbacks included, and git fsck finds nothing wrong. The data folder's
// name needs quoting in the repository's configuration.
func TestBackendsShareARepository(t *testing.T) {
	for _, first := range backends {
		t.Run(first+" first", func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), `my "blog" #1; a\b`, "blog.git")
			opts := map[string]Options{backendGit: {}, backendBuiltin: {BuiltinGit: true}}
			second := backendBuiltin
			if first == backendBuiltin {
				second = backendGit
			}
			open := func(backend string) *Store {
				t.Helper()
				s, err := Open(context.Background(), dir, testBlog(), opts[backend])
				if err != nil {
					t.Fatal(err)
				}
				if backendOf(s) != backend {
					t.Fatalf("opened with %s, want %s", backendOf(s), backend)
				}
				return s
			}
			apply := func(s *Store, c Change) Result {
				t.Helper()
				res, err := s.Apply(context.Background(), c, alice)
				if err != nil || !res.Changed {
					t.Fatalf("Apply with %s: %+v, %v", backendOf(s), res, err)
				}
				return res
			}

			s := open(first)
			var c Change
			c.Put("posts/2024-05-01-a.md", post("A", "Written by the first.\n"))
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

			s = open(second)
			if s.Snapshot().Revision() != b.Revision {
				t.Fatalf("%s opened on %s, want %s", second, s.Snapshot().Revision(), b.Revision)
			}
			if h, err := s.History(context.Background(), 0); err != nil || !reflect.DeepEqual(h, history) {
				t.Fatalf("%s reads the history as\n%+v, %v\nwant\n%+v", second, h, err, history)
			}
			if got := treeContents(t, s.Files()); !reflect.DeepEqual(got, files) {
				t.Fatalf("%s reads the files as %v, want %v", second, got, files)
			}
			c = Change{}
			c.Put("posts/2024-05-02-c.md", post("C", "Written by the second.\n"))
			apply(s, c)
			rolled, err := s.Rollback(context.Background(), a.Revision[:7], alice)
			if err != nil {
				t.Fatal(err)
			}
			if data, err := s.Files().ReadFile("images/cover.png"); err != nil || string(data) != string(testBlog()["images/cover.png"].Data) {
				t.Fatalf("%s rolled back the image as %q, %v", second, data, err)
			}
			s.Close()

			s = open(first)
			defer s.Close()
			if s.Snapshot().Revision() != rolled.Revision {
				t.Fatalf("%s reopened on %s, want %s", first, s.Snapshot().Revision(), rolled.Revision)
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
		})
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

// TestBackendsAgree drives the two repo implementations over the same
// repository, operation by operation: the same objects get the same ids,
// each reads what the other wrote as git does, and both refuse the same
// things.
func TestBackendsAgree(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, testBlog(), Options{})
	repos := map[string]repo{backendGit: s.repo, backendBuiltin: newBuiltinRepo(s.Dir())}
	both := func(what string, op func(r repo) (any, error)) any {
		t.Helper()
		var results [2]any
		for i, name := range backends {
			res, err := op(repos[name])
			if err != nil {
				t.Fatalf("%s with %s: %v", what, name, err)
			}
			results[i] = res
		}
		if !reflect.DeepEqual(results[0], results[1]) {
			t.Fatalf("%s: git gives %v, built-in %v", what, results[0], results[1])
		}
		return results[0]
	}
	bothFail := func(what string, op func(r repo) error) {
		t.Helper()
		for _, name := range backends {
			if err := op(repos[name]); err == nil {
				t.Errorf("%s with %s: no error", what, name)
			}
		}
	}

	datas := [][]byte{nil, []byte("a\n"), []byte("中文的句子。\r\n"), bytes.Repeat([]byte("x\x00y"), 100000)}
	oids := both("write blobs", func(r repo) (any, error) { return r.writeBlobs(ctx, datas) }).([]string)
	for _, r := range repos {
		got, err := r.readBlobs(ctx, oids)
		if err != nil || len(got) != len(datas) {
			t.Fatalf("read blobs: %d, %v", len(got), err)
		}
		for i, oid := range oids {
			if !bytes.Equal(got[oid], datas[i]) {
				t.Fatalf("blob %d read back wrong", i)
			}
		}
	}

	// Names that git sorts in its own way: a folder sorts as "name/".
	files := []indexEntry{
		{modeFile, oids[1], "a-b"}, {modeFile, oids[1], "a.b"}, {modeFile, oids[2], "a/b"}, {modeFile, oids[1], "a0"},
		{modeFile, oids[0], "b/c/d.md"}, {modeFile, oids[3], "b/c.md"}, {modeFile, oids[1], "b-c/x"},
		{modeExecutable, oids[1], "run.sh"}, {modeSymlink, oids[1], "link"}, {modeFile, oids[2], "中文/文章.md"},
	}
	tree := both("write tree", func(r repo) (any, error) { return r.writeTree(ctx, files) }).(string)
	bothFail("write a tree with a file that is also a folder", func(r repo) error {
		_, err := r.writeTree(ctx, append(files[:len(files):len(files)], indexEntry{modeFile, oids[1], "a"}))
		return err
	})
	bothFail("write a tree with a file given twice", func(r repo) error {
		_, err := r.writeTree(ctx, append(files[:len(files):len(files)], indexEntry{modeFile, oids[2], "a0"}))
		return err
	})
	bothFail("write a tree with a .git folder", func(r repo) error {
		_, err := r.writeTree(ctx, []indexEntry{{modeFile, oids[1], "x/.GIT/config"}})
		return err
	})
	bothFail("write a tree with a missing blob", func(r repo) error {
		_, err := r.writeTree(ctx, []indexEntry{{modeFile, strings.Repeat("ab", 20), "x"}})
		return err
	})

	head := s.Snapshot().Revision()
	messages := []string{"Plain\n", "\n\nFirst line  \nsecond line\n\nbody\n", "  spaced  \n\nbody", "中文的标题\n"}
	for _, msg := range messages {
		var commits []string
		for _, name := range backends {
			id, err := repos[name].commitTree(ctx, tree, head, msg)
			if err != nil {
				t.Fatalf("commit with %s: %v", name, err)
			}
			commits = append(commits, id)
			raw, err := gitRun(s.Dir(), gitEnv(), "--git-dir="+s.Dir(), "cat-file", "commit", id)
			if err != nil || !strings.HasSuffix(raw, "\n\n"+msg) || !strings.HasPrefix(raw, "tree "+tree+"\nparent "+head+"\nauthor sshblog <sshblog@localhost> ") {
				t.Fatalf("commit by %s: %v\n%s", name, err, raw)
			}
		}
		for _, id := range commits {
			want := mustGit(t, s.Dir(), "--git-dir="+s.Dir(), "show", "-s", "--format=%s", id)
			subject := both("commit info", func(r repo) (any, error) {
				subject, when, err := r.commitInfo(ctx, id)
				return fmt.Sprintf("%s|%d", subject, when.Unix()), err
			}).(string)
			if !strings.HasPrefix(subject, want+"|") {
				t.Errorf("subject of %q: %q, git says %q", msg, subject, want)
			}
			both("ls-tree", func(r repo) (any, error) {
				entries, err := r.lsTree(ctx, id)
				sort.Slice(entries, func(i, j int) bool { return entries[i].path < entries[j].path })
				return entries, err
			})
		}
	}
	bothFail("commit a missing tree", func(r repo) error {
		_, err := r.commitTree(ctx, strings.Repeat("ab", 20), head, "x\n")
		return err
	})

	tag := []byte(fmt.Sprintf("object %s\ntype commit\ntag published\ntagger %s <%s> 1700000000 +0000\n\nrevision %s\n",
		head, identityName, identityEmail, head))
	tagID := both("write tag", func(r repo) (any, error) { return r.writeTag(ctx, tag) }).(string)
	bothFail("tag a missing commit", func(r repo) error {
		_, err := r.writeTag(ctx, bytes.Replace(tag, []byte(head), []byte(strings.Repeat("ab", 20)), 1))
		return err
	})
	bothFail("tag a tree as a commit", func(r repo) error {
		_, err := r.writeTag(ctx, bytes.Replace(tag, []byte(head), []byte(tree), 1))
		return err
	})

	for _, rev := range []string{head, head[:7], strings.ToUpper(head[:10]), tagID[:8], tree[:8], oids[1][:8], "0000000", strings.Repeat("f", 41)} {
		both("resolve "+rev, func(r repo) (any, error) { return r.resolveCommit(ctx, rev) })
	}
	if got, _ := repos[backendBuiltin].resolveCommit(ctx, tagID[:8]); got != head {
		t.Errorf("a tag's prefix resolves to %q, want its commit %s", got, head)
	}

	// Refs: create, compare-and-swap, a lock held by someone else.
	const ref = "refs/sshblog/test/x"
	for _, name := range backends {
		r := repos[name]
		other := ref + "-" + name
		if err := r.updateRef(ctx, other, head, "", "create"); err != nil {
			t.Fatalf("%s: create a ref: %v", name, err)
		}
		if err := r.updateRef(ctx, other, tagID, "", "create again"); !errors.Is(err, errRefMoved) {
			t.Errorf("%s: creating an existing ref: %v, want errRefMoved", name, err)
		}
		if err := r.updateRef(ctx, other, tagID, tree, "stale"); !errors.Is(err, errRefMoved) {
			t.Errorf("%s: a stale compare-and-swap: %v, want errRefMoved", name, err)
		}
		writeFiles(t, s.Dir(), map[string]string{other + ".lock": ""})
		if err := r.updateRef(ctx, other, tagID, head, "locked"); !errors.Is(err, errRefMoved) {
			t.Errorf("%s: a ref locked by another writer: %v, want errRefMoved", name, err)
		}
		os.Remove(filepath.Join(s.Dir(), other+".lock"))
		if err := r.updateRef(ctx, other, tagID, head, "move"); err != nil {
			t.Errorf("%s: a compare-and-swap: %v", name, err)
		}
		if err := r.updateRef(ctx, "refs/heads/other", tree, "", "branch to a tree"); err == nil {
			t.Errorf("%s: a branch pointing at a tree was accepted", name)
		}
	}
	both("ref names", func(r repo) (any, error) { return r.refNames(ctx, "refs/sshblog/") })
	both("tag messages", func(r repo) (any, error) { return r.tagMessages(ctx, "refs/sshblog/", 0) })
	both("the latest tag message", func(r repo) (any, error) { return r.tagMessages(ctx, "refs/sshblog/", 1) })
	both("resolve", func(r repo) (any, error) { return r.resolve(ctx, ref+"-"+backendGit) })
	both("resolve a missing ref", func(r repo) (any, error) { return r.resolve(ctx, "refs/heads/nope") })
	fsck(t, s.Dir())
}

// TestApplyWhileMainIsLocked: a git process holding main's lock (a push
// being received) makes a publish fail cleanly with ErrConflict.
func TestApplyWhileMainIsLocked(t *testing.T) { eachBackend(t, testApplyWhileMainIsLocked) }

func testApplyWhileMainIsLocked(t *testing.T, opts Options) {
	s := openTest(t, testBlog(), opts)
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
func TestConcurrentReadsAndWrites(t *testing.T) { eachBackend(t, testConcurrentReadsAndWrites) }

func testConcurrentReadsAndWrites(t *testing.T, opts Options) {
	s := openTest(t, testBlog(), opts)
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
