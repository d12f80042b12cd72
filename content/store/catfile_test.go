package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// bodies returns each post's Markdown by slug.
func bodies(t *testing.T, s *Store) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, p := range s.Snapshot().Posts() {
		got[p.Slug] = p.Markdown()
	}
	return got
}

// A live state holds no post text: a post's body is read from git when it
// is asked for, after seeding, after a publish and after a restart, and
// no longer once the store is closed.
func TestBodiesAreReadFromGit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "blog.git")
	s, err := Open(context.Background(), dir, testBlog(), Options{SeedName: "the test blog"})
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range s.Files().files {
		if b.data != nil {
			t.Errorf("the seeded state holds the contents of %s", p)
		}
	}
	want := map[string]string{"first": "Hello.\n", "second": "Again.\n"}
	if got := bodies(t, s); got["first"] != want["first"] || got["second"] != want["second"] {
		t.Fatalf("seeded bodies: %q", got)
	}
	var c Change
	c.Via = "test"
	c.Put("posts/2024-01-04-third.md", post("Third", "Three.\n"))
	if _, err := s.Apply(context.Background(), c, alice); err != nil {
		t.Fatal(err)
	}
	want["third"] = "Three.\n"
	if n := s.docs.Parsed(); n != 1 {
		t.Errorf("publishing one new post parsed %d posts and pages", n)
	}
	for p, b := range s.Files().files {
		if b.data != nil {
			t.Errorf("the published state holds the contents of %s", p)
		}
	}
	if got := bodies(t, s); got["first"] != want["first"] || got["third"] != want["third"] {
		t.Fatalf("bodies after a publish: %q", got)
	}
	old := s.Snapshot()
	s.Close()
	if body := old.Posts()[0].Markdown(); body != "" {
		t.Fatalf("a closed store's snapshot read %q", body)
	}

	s, err = Open(context.Background(), dir, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := bodies(t, s); got["first"] != want["first"] || got["third"] != want["third"] {
		t.Fatalf("bodies after a restart: %q", got)
	}
}

// The cat-file process is started again when it dies, and a missing
// object leaves it running.
func TestCatFileRestartsWhenKilled(t *testing.T) {
	t.Parallel()
	s := openTest(t, testBlog(), Options{})
	b := s.Files().files["posts/2024-01-01-first.md"]
	first, err := s.repo.readBlob(b.oid)
	if err != nil || string(first) != string(post("First", "Hello.\n")) {
		t.Fatalf("read %q, %v", first, err)
	}
	proc := s.repo.batch.cmd.Process
	var missing errMissing
	if _, err := s.repo.readBlob("0123456789012345678901234567890123456789"); !errors.As(err, &missing) {
		t.Fatalf("reading a missing object: %v", err)
	}
	if s.repo.batch.cmd.Process != proc {
		t.Fatal("a missing object restarted the process")
	}
	if err := proc.Kill(); err != nil {
		t.Fatal(err)
	}
	again, err := s.repo.readBlob(b.oid)
	if err != nil || string(again) != string(first) {
		t.Fatalf("after a kill: read %q, %v", again, err)
	}
	if s.repo.batch.cmd.Process == proc {
		t.Fatal("the killed process is still in use")
	}
	s.repo.close()
	if _, err := s.repo.readBlob(b.oid); !errors.Is(err, errClosed) {
		t.Fatalf("read after close: %v", err)
	}
	if s.repo.batch.cmd != nil {
		t.Fatal("close left the process")
	}
}

// A restart takes the posts parsed before from the parse cache: seeding
// writes it (under the ids git gives the blobs), a restart reads it and
// writes nothing, and both serve the same blog; a broken cache only costs
// a full load, which writes it again.
func TestRestartUsesTheParseCache(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "blog.git")
	cacheFile := filepath.Join(dir, cacheDirName, docCacheName)
	open := func() *Store {
		t.Helper()
		s, err := Open(context.Background(), dir, testBlog(), Options{SeedName: "the test blog"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	var want map[string]string // the bodies, by slug
	same := func(a, b *Store) {
		t.Helper()
		pa, pb := a.Snapshot().Posts(), b.Snapshot().Posts()
		if len(pa) != len(pb) || !reflect.DeepEqual(a.Snapshot().Warnings(), b.Snapshot().Warnings()) {
			t.Fatalf("%d and %d posts, problems %v and %v", len(pa), len(pb), a.Snapshot().Warnings(), b.Snapshot().Warnings())
		}
		for i := range pa {
			if pa[i].Slug != pb[i].Slug || pa[i].Title != pb[i].Title || pa[i].Hash != pb[i].Hash || pb[i].Markdown() != want[pa[i].Slug] {
				t.Fatalf("post %d: %+v and %+v", i, pa[i], pb[i])
			}
		}
	}
	seeded := open()
	want = bodies(t, seeded)
	seeded.Close()
	before, err := os.Stat(cacheFile)
	if err != nil {
		t.Fatalf("no parse cache after seeding: %v", err)
	}
	cached := open()
	same(seeded, cached)
	after, err := os.Stat(cacheFile)
	if err != nil || !os.SameFile(before, after) {
		t.Fatalf("a restart on a full cache wrote it again (%v)", err)
	}
	cached.Close()

	if err := os.WriteFile(cacheFile, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	repaired := open()
	same(seeded, repaired)
	if after, err := os.Stat(cacheFile); err != nil || after.Size() == int64(len("garbage")) {
		t.Fatalf("a broken cache was not written again (%v)", err)
	}
}
