package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
)

// idFS is a FileIDer over a MapFS (IDs are content hashes) that counts
// the post and page files read.
type idFS struct {
	fstest.MapFS
	reads atomic.Int64
}

func (f *idFS) FileID(name string) (string, bool) {
	m, ok := f.MapFS[name]
	if !ok {
		return "", false
	}
	sum := sha256.Sum256(m.Data)
	return hex.EncodeToString(sum[:]), true
}

func (f *idFS) ReadFile(name string) ([]byte, error) {
	if strings.HasSuffix(name, ".md") {
		f.reads.Add(1)
	}
	return f.MapFS.ReadFile(name)
}

func (f *idFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, ".md") {
		f.reads.Add(1)
	}
	return f.MapFS.Open(name)
}

func cacheBlog() fstest.MapFS {
	return fstest.MapFS{
		"_config.yml":                  {Data: []byte("title: T\n")},
		"_posts/2024-01-01-same.md":    {Data: []byte("---\ntitle: One\ntags: [a]\nodd_key: 1\n---\n# H\n\nFirst body.\n")},
		"_posts/2024-02-01-same.md":    {Data: []byte("---\ntitle: Two\ndate: [not a date\n---\nSecond body.\n")},
		"_posts/2024-03-01-draft.md":   {Data: []byte("---\ntitle: Draft\npublished: false\n---\nNot yet.\n")},
		"_posts/not-a-post.md":         {Data: []byte("no date in the name\n")},
		"about.md":                     {Data: []byte("---\ntitle: About\nlayout: page\n---\nMe.\n")},
		"_posts/2024-04-01-unicode.md": {Data: []byte("---\ntitle: 中文\n---\n正文。\n")},
	}
}

// A load with the cache of the one before reads and parses no post or
// page, and gives the same snapshot, duplicate slugs, problems and all.
func TestLoadCachedReusesParses(t *testing.T) {
	fsys := &idFS{MapFS: cacheBlog()}
	first, c1, err := LoadCached(fsys, "r1", nil)
	if first == nil {
		t.Fatal(err)
	}
	if w := fmt.Sprint(first.Warnings()); !strings.Contains(w, "duplicate slug") || !strings.Contains(w, "odd_key") {
		t.Fatalf("the test blog lacks its problems: %s", w)
	}
	if c1.Parsed() == 0 || c1.Parsed() != c1.Len() {
		t.Fatalf("first load parsed %d of %d", c1.Parsed(), c1.Len())
	}
	var buf bytes.Buffer
	if err := c1.WriteTo(&buf, "v1"); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDocCache(bytes.NewReader(buf.Bytes()), "v2"); err == nil {
		t.Fatal("another version's cache was read")
	}
	old, err := ReadDocCache(bytes.NewReader(buf.Bytes()), "v1")
	if err != nil {
		t.Fatal(err)
	}
	fsys.reads.Store(0)
	second, c2, err := LoadCached(fsys, "r1", old)
	if second == nil {
		t.Fatal(err)
	}
	if n := fsys.reads.Load(); n != 0 || c2.Parsed() != 0 || c2.Len() != c1.Len() {
		t.Fatalf("the cached load read %d posts, parsed %d, cached %d of %d", n, c2.Parsed(), c2.Len(), c1.Len())
	}
	if !reflect.DeepEqual(first.Warnings(), second.Warnings()) {
		t.Fatalf("problems differ:\n%v\n%v", first.Warnings(), second.Warnings())
	}
	docs := func(s *Snapshot) []*Post { return append(s.Posts()[:len(s.Posts()):len(s.Posts())], s.Pages()...) }
	a, b := docs(first), docs(second)
	if len(a) != len(b) || len(a) < 4 {
		t.Fatalf("%d and %d posts and pages", len(a), len(b))
	}
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			t.Errorf("post %d differs:\n%+v\n%+v", i, a[i], b[i])
		}
		if a[i].Markdown() != b[i].Markdown() || a[i].Lead() != b[i].Lead() ||
			!reflect.DeepEqual(a[i].Params(), b[i].Params()) {
			t.Errorf("post %s: body, lead or params differ", a[i].Path)
		}
	}

	// One changed post is the only one parsed.
	fsys.MapFS["_posts/2024-04-01-unicode.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 改了\n---\n正文。\n")}
	buf.Reset()
	if err := c2.WriteTo(&buf, "v1"); err != nil {
		t.Fatal(err)
	}
	old, err = ReadDocCache(&buf, "v1")
	if err != nil {
		t.Fatal(err)
	}
	third, c3, _ := LoadCached(fsys, "r2", old)
	if p, ok := third.Post("unicode"); c3.Parsed() != 1 || !ok || p.Title != "改了" {
		t.Fatalf("after an edit: parsed %d, post %+v", c3.Parsed(), p)
	}
}

// Garbage is no cache.
func TestReadDocCacheRefusesGarbage(t *testing.T) {
	if _, err := ReadDocCache(strings.NewReader("not gob"), "v"); err == nil {
		t.Fatal("garbage was read as a cache")
	}
}
