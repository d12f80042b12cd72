package ui

import (
	"fmt"
	"slices"
	"testing"

	"github.com/sshblog/sshblog/content"
)

// shownSlugs is the slugs the posts page on top lists, in order.
func shownSlugs(t *testing.T, d *driver) []string {
	t.Helper()
	p, ok := d.m.top().(*postsPage)
	if !ok {
		t.Fatalf("top page is %T, not the posts", d.m.top())
	}
	rows := p.list.src.(postRows)
	var out []string
	for pos := range p.list.count() {
		out = append(out, rows.posts[p.list.index(pos)].Slug)
	}
	return out
}

// wantSlugs filters posts as the list promises: every term of query, in
// any case, in the title, description, headline, slug, a tag or a category.
func wantSlugs(posts []*content.Post, query string) []string {
	terms := foldTerms(query)
	var out []string
	for _, p := range posts {
		fields, lists := postFields(p)
		if len(terms) == 0 || matchesAll(terms, fields[:], lists...) {
			out = append(out, p.Slug)
		}
	}
	return out
}

// mixedBlog is a blog whose posts hold their words in every field the filter
// reads, in mixed case, some with the same text in two fields.
func mixedBlog() *content.Snapshot {
	var posts []*content.Post
	for i := range 60 {
		p := newPost(fmt.Sprintf("post-%02d", i), fmt.Sprintf("Title %d 数据库", i), "2021-01-01", nil, 1, nil)
		switch i % 6 {
		case 0:
			p.Title = fmt.Sprintf("KUBERNETES %d", i)
		case 1:
			p.Description = "All about Kubernetes"
		case 2:
			p.Headline = "kubeRNETes 调度"
		case 3:
			p.Tags = []string{"Kube", "go"}
		case 4:
			p.Categories = []string{"Ops", "Kubernetes"}
		case 5:
			p.Title = "Kube\nrnetes split by a newline"
		}
		p.Date = day("2021-01-01").AddDate(0, 0, -i)
		posts = append(posts, p)
	}
	// No match spans two fields: "zztop" is in none of them.
	jazz := newPost("jazz", "Jazz", "2020-01-01", []string{"top"}, 1, nil)
	jazz.Description = "Top tunes"
	posts = append(posts, jazz)
	return content.NewSnapshot(content.Site{}, posts, nil, nil, nil, "r1")
}

// TestFilterMatchesFields types queries letter by letter, deletes them
// again and edits them, and checks after every key that the list shows
// exactly the posts holding every term: the folded index and the narrowing
// as the query grows find what matching each post's fields finds.
func TestFilterMatchesFields(t *testing.T) {
	blog := mixedBlog()
	for _, query := range []string{"kubernetes", "Kube go", "数据库 title 1", "ops kub", "post-0", "rnetes", "e\u0301", "jazz top", "zztop"} {
		d := newDriver(t, Options{Snapshot: blog, Width: 80, Height: 24})
		d.keys("/")
		typed := ""
		check := func() {
			t.Helper()
			if got, want := shownSlugs(t, d), wantSlugs(blog.Posts(), typed); !slices.Equal(got, want) {
				t.Fatalf("filter %q shows %v, want %v", typed, got, want)
			}
		}
		for _, r := range query {
			d.keys(string(r))
			typed += string(r)
			check()
		}
		for range min(3, len([]rune(typed))-1) {
			d.keys("backspace")
			rs := []rune(typed)
			typed = string(rs[:len(rs)-1])
			check()
		}
		d.keys("home")
		d.keys("z", "space") // a new first term: the list widens again
		typed = "z " + typed
		check()
	}
}

// TestFilterTaggedPosts filters a tag's posts, which the index finds among
// every post of the snapshot.
func TestFilterTaggedPosts(t *testing.T) {
	blog := mixedBlog()
	d := newDriver(t, Options{Snapshot: blog, Width: 80, Height: 24})
	d.send(openTagMsg{tag: "go"})
	d.keys("/", "title 2")
	want := wantSlugs(blog.PostsTagged("go"), "title 2")
	if got := shownSlugs(t, d); len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("filtering the go tag shows %v, want %v", got, want)
	}
}

// TestFilterCacheShared filters in two sessions sharing one Cache,
// across a publish: each sees its own snapshot's posts.
func TestFilterCacheShared(t *testing.T) {
	x := NewCache()
	old := mixedBlog()
	posts := slices.Clone(old.Posts())
	extra := newPost("new-one", "Kubernetes, newly published", "2022-01-01", nil, 1, nil)
	posts = append(posts, extra)
	next := content.NewSnapshot(content.Site{}, posts, nil, nil, nil, "r2")

	a := newDriver(t, Options{Snapshot: old, Width: 80, Height: 24, Cache: x})
	b := newDriver(t, Options{Snapshot: old, Width: 80, Height: 24, Cache: x})
	a.keys("/", "kubernetes")
	b.send(SnapshotMsg{Snapshot: next})
	b.keys("/", "kubernetes")
	a.keys("s") // a still filters the old snapshot
	if got, want := shownSlugs(t, a), wantSlugs(old.Posts(), "kuberness"); !slices.Equal(got, want) {
		t.Fatalf("old session shows %v, want %v", got, want)
	}
	if got := shownSlugs(t, b); !slices.Contains(got, "new-one") || !slices.Equal(got, wantSlugs(next.Posts(), "kubernetes")) {
		t.Fatalf("new session shows %v", got)
	}
	a.send(SnapshotMsg{Snapshot: next}) // the filter being typed is run again on the new posts
	if got, want := shownSlugs(t, a), wantSlugs(next.Posts(), "kuberness"); !slices.Equal(got, want) {
		t.Fatalf("after the publish the old session shows %v, want %v", got, want)
	}
}

func TestPositions(t *testing.T) {
	ps := mixedBlog().Posts()
	if positions(ps, ps) != nil {
		t.Fatal("all posts need no positions")
	}
	stray := newPost("stray", "Stray", "2020-01-01", nil, 1, nil)
	got := positions(ps, []*content.Post{ps[3], stray, ps[7], ps[59]})
	if want := []int{3, -1, 7, 59}; !slices.Equal(got, want) {
		t.Fatalf("positions = %v, want %v", got, want)
	}
}
