package store

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sshblog/sshblog/content/store/storetest"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

// The test binary doubles as the hook program and as the victim of the
// kill test, chosen by its arguments or environment in TestMain. Production
// code has no test hooks: the hook scripts exec whatever command
// InstallHooks is given, here this binary.
const (
	hookArg      = "store-test-hook" // argv[1] when git runs the test binary as a hook
	applyLoopEnv = "STORE_TEST_APPLY_LOOP"
)

func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == hookArg {
		os.Exit(RunHook(context.Background(), os.Args[2], ".", os.Stdin, os.Stderr, os.Environ()))
	}
	if dir := os.Getenv(applyLoopEnv); dir != "" {
		os.Exit(applyLoop(dir))
	}
	os.Exit(m.Run())
}

// applyLoop opens the store at dir and publishes new posts forever, printing
// "published N" after each; the kill test kills it at a random moment.
func applyLoop(dir string) int {
	s, err := Open(context.Background(), dir, nil, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; ; i++ {
		var c Change
		c.Via = "test"
		c.Put(fmt.Sprintf("posts/2024-02-01-loop-%d.md", i), post(fmt.Sprintf("Loop %d", i), fmt.Sprintf("Body %d.\n", i)))
		c.Put("images/loop.png", append(uploadtest.Image("loop.png", 0), fmt.Sprintf("png %d", i)...))
		if _, err := s.Apply(context.Background(), c, Author{Fingerprint: "SHA256:loop"}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("published %d\n", i)
	}
}

// post returns a post file with title and body.
func post(title, body string) []byte {
	return []byte(fmt.Sprintf("---\ntitle: %q\ntags: [test]\n---\n%s", title, body))
}

// testBlog is a small valid blog: a site, two posts, a book about one.
func testBlog() fstest.MapFS {
	return fstest.MapFS{
		"site.yaml":                   {Data: []byte("title: Test blog\nlanguage: en\n")},
		"posts/2024-01-01-first.md":   {Data: post("First", "Hello.\n")},
		"posts/2024-01-02-second.md":  {Data: post("Second", "Again.\n")},
		"books.yaml":                  {Data: []byte("- title: A book\n  status: read\n  post: first\n")},
		"images/cover.png":            {Data: []byte("\x89PNG\r\n\x1a\n fake")},
		"posts/2024-01-03-a-draft.md": {Data: []byte("---\ntitle: Draft\ndraft: true\n---\nNot yet.\n")},
	}
}

// openTest opens a new store seeded with seed in a temporary folder, with
// opts (SeedName "the test blog" unless set).
func openTest(t testing.TB, seed fs.FS, opts Options) *Store {
	t.Helper()
	if opts.SeedName == "" {
		opts.SeedName = "the test blog"
	}
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "blog.git"), seed, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// gitEnv is the environment of the test's own git commands (the author's
// side), with extra added.
func gitEnv(extra ...string) []string { return storetest.ClientEnv(os.TempDir(), extra...) }

// gitRun runs git in dir as an author would and returns its combined
// output and error.
func gitRun(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// mustGit runs git and fails the test if it fails.
func mustGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := gitRun(dir, gitEnv(), args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(out)
}

// mainOf returns what main points at in the bare repository dir.
func mainOf(t testing.TB, dir string) string {
	t.Helper()
	return mustGit(t, dir, "--git-dir="+dir, "rev-parse", "refs/heads/main")
}

// filesOf lists the files of a commit: path → blob id.
func filesOf(t testing.TB, dir, commit string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, line := range strings.Split(mustGit(t, dir, "--git-dir="+dir, "ls-tree", "-r", commit), "\n") {
		meta, p, ok := strings.Cut(line, "\t")
		if ok {
			files[p] = strings.Fields(meta)[2]
		}
	}
	return files
}

// looseObjects counts the objects in the repository, to show that a refused
// change wrote nothing.
func looseObjects(t testing.TB, dir string) string {
	t.Helper()
	return mustGit(t, dir, "--git-dir="+dir, "count-objects", "-v")
}

// writeFiles writes files (path → contents) under dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for p, data := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, deadline time.Duration, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// withFile returns a copy of blog with one more file.
func withFile(blog fstest.MapFS, p string, data []byte) fstest.MapFS {
	b := maps.Clone(blog)
	b[p] = &fstest.MapFile{Data: data}
	return b
}
