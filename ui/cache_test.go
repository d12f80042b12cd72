package ui

import (
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/theme"
)

// TestCacheSharesRenderings opens and searches one post in two sessions
// with one Cache: they share its lines and search index, and the renderer
// renders it once.
func TestCacheSharesRenderings(t *testing.T) {
	c, r, blog := NewCache(), &wrapRenderer{}, testBlog()
	open := func() *reader {
		d := newDriver(t, Options{Snapshot: blog, Renderer: r, Width: 80, Height: 24, Cache: c})
		d.keys("enter", "/", "needle", "enter")
		if d.m.reader == nil || len(d.m.reader.matches) == 0 {
			t.Fatalf("no matches for needle:\n%s", d.view())
		}
		return d.m.reader
	}
	a, b := open(), open()
	if a.text != b.text || a.text.index == nil {
		t.Fatal("two sessions reading one post hold two texts")
	}
	if len(r.calls) != 1 {
		t.Fatalf("the post was rendered %d times", len(r.calls))
	}
	// The same version of the post in the next snapshot (a new pointer) is
	// the same rendering.
	posts := make([]*content.Post, 0, len(blog.Posts()))
	for _, p := range blog.Posts() {
		q := *p
		posts = append(posts, &q)
	}
	next := content.NewSnapshot(blog.Site(), posts, nil, nil, nil, "r2")
	d := newDriver(t, Options{Snapshot: next, Renderer: r, Width: 80, Height: 24, Cache: c})
	d.keys("enter")
	if d.m.reader.text != a.text || len(r.calls) != 1 {
		t.Fatal("an unchanged post of the next snapshot was rendered again")
	}
}

func TestCacheTextsBounded(t *testing.T) {
	c := NewCache()
	line := strings.Repeat("x", 1000)
	big := newText(strings.Repeat(line+"\n", maxTextBytes/(2*len(line)+24)/3))
	key := func(w int) textKey { return textKey{hash: "p", width: w, theme: theme.Dark} }
	for w := range 3 {
		c.addText(key(w), big)
	}
	if c.text(key(0)) == nil || c.textBytes > maxTextBytes {
		t.Fatalf("three texts of a third of the bound: first kept %v, %d bytes", c.text(key(0)) != nil, c.textBytes)
	}
	c.addText(key(3), big)
	if c.text(key(0)) != nil || c.text(key(3)) == nil || c.textBytes != big.size() {
		t.Fatalf("past the bound: first kept %v, last kept %v, %d bytes", c.text(key(0)) != nil, c.text(key(3)) != nil, c.textBytes)
	}
	c.addText(key(4), newText(strings.Repeat(line+"\n", maxTextBytes/1000)))
	if c.text(key(4)) != nil {
		t.Fatal("a text larger than the bound was kept")
	}
}

// TestCachePostKeysConcurrent asks for a snapshot's postKeys from many
// sessions at once, and for another snapshot's: each is built once, and
// the one before stays while sessions move over.
func TestCachePostKeysConcurrent(t *testing.T) {
	c, a, b := NewCache(), bigBlog(200), bigBlog(100)
	got := make(chan *postKeys, 8)
	for range cap(got) {
		go func() { got <- c.postKeys(a) }()
	}
	first := <-got
	for range cap(got) - 1 {
		if k := <-got; k != first {
			t.Fatal("one snapshot's postKeys built twice")
		}
	}
	if k := c.postKeys(b); k == first || len(k.end) != 100 {
		t.Fatal("another snapshot got the first one's postKeys")
	}
	if c.postKeys(a) != first {
		t.Fatal("the snapshot before was not kept")
	}
}
