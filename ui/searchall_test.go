package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content"
)

// settle delivers the pending debounce of the search shown, as the timer
// would: the driver does not wait for timers.
func (d *driver) settle() *driver {
	d.t.Helper()
	sp, ok := d.m.top().(*searchPage)
	if !ok {
		d.t.Fatalf("no search on screen:\n%s", d.view())
	}
	return d.send(searchTickMsg{to: sp, seq: sp.seq})
}

func TestSearchAllFromEverySection(t *testing.T) {
	for _, start := range [][]string{nil, {"2"}, {"3"}, {"4"}, {"enter"}, {"4", "enter"}} {
		d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Width: 80, Height: 24})
		d.keys(start...)
		before := d.m.top()
		d.keys("s", "needle").settle()
		d.mustContain("Search all: needle", "Alpha release notes")
		d.checkScreen()
		// enter goes to the hits, enter opens the first on its first match.
		d.keys("enter", "enter")
		r, ok := d.m.top().(*reader)
		if !ok || r.post.Slug != "alpha" {
			t.Fatalf("%v: the hit did not open alpha", start)
		}
		if len(r.matches) != 4 || r.current != 0 {
			t.Fatalf("%v: %d matches, current %d", start, len(r.matches), r.current)
		}
		if l := r.matches[0].line; l < r.pos.YOffset() || l >= r.pos.YOffset()+r.pos.Height() {
			t.Fatalf("%v: the first match (line %d) is not in view", start, l)
		}
		d.keys("n")
		if r.current != 1 {
			t.Fatalf("%v: n goes to match %d", start, r.current)
		}
		// esc: the hits; esc: where the search started.
		d.keys("esc", "esc")
		if _, ok := d.m.top().(*searchPage); !ok {
			t.Fatalf("%v: esc from the post does not show the hits", start)
		}
		d.keys("esc")
		if d.m.top() != before {
			t.Fatalf("%v: esc from the hits does not go back", start)
		}
	}
}

func TestSearchAllDebounces(t *testing.T) {
	calls := 0
	search := func(ctx context.Context, s *content.Snapshot, q string, limit int) ([]SearchHit, error) {
		calls++
		return []SearchHit{{Kind: "post", Slug: "beta", Title: "数据库 笔记", Snippet: "关于部署的笔记", Matches: [][2]int{{6, 12}}}}, nil
	}
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Searcher: search, Width: 80, Height: 24})
	d.keys("s", "部署")
	if calls != 0 {
		t.Fatalf("searched %d times before the pause", calls)
	}
	sp := d.m.top().(*searchPage)
	d.send(searchTickMsg{to: sp, seq: sp.seq - 1}) // the first keystroke's timer: stale
	if calls != 0 {
		t.Fatal("a stale timer searched")
	}
	d.settle()
	if calls != 1 {
		t.Fatalf("searched %d times", calls)
	}
	d.mustContain("数据库 笔记", "关于部署的笔记")
	// The match is highlighted.
	if !strings.Contains(d.m.View().Content, d.m.d.styles.Match().Render("部署")) {
		t.Fatal("the match is not highlighted")
	}
}

func TestSearchAllNothingAndErrors(t *testing.T) {
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Width: 80, Height: 24})
	d.keys("s")
	d.mustContain("Type what to look for.")
	d.keys("zzzqqq").settle()
	d.mustContain("Nothing found for “zzzqqq”.")
	d.keys("esc") // no hits: esc leaves
	if _, ok := d.m.top().(*postsPage); !ok {
		t.Fatal("esc with no hits does not leave")
	}
	fail := func(context.Context, *content.Snapshot, string, int) ([]SearchHit, error) {
		return nil, errors.New("index broken")
	}
	d = newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Searcher: fail, Width: 80, Height: 24})
	d.keys("s", "x").settle()
	d.mustContain("search failed: index broken")
}

func TestSearchAllSanitisesSnippets(t *testing.T) {
	search := func(context.Context, *content.Snapshot, string, int) ([]SearchHit, error) {
		return []SearchHit{{Kind: "post", Slug: "alpha", Title: "A\x1b[31mB", Snippet: "x\x1b]52;c;aGk=\x07 needle \x1b[2J", Matches: [][2]int{{15, 21}}}}, nil
	}
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Searcher: search, Width: 80, Height: 24})
	d.keys("s", "needle").settle()
	out := d.m.View().Content
	for _, bad := range []string{"\x1b]52", "\x1b[2J", "\x1b[31m"} {
		if strings.Contains(out, bad) {
			t.Fatalf("escape %q reaches the screen", bad)
		}
	}
	d.mustContain("needle")
}

func TestSearchAllBookHit(t *testing.T) {
	search := func(context.Context, *content.Snapshot, string, int) ([]SearchHit, error) {
		return []SearchHit{{Kind: "book", Title: "数据库系统内幕", Snippet: "推荐"}}, nil
	}
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Searcher: search, Width: 80, Height: 24})
	d.keys("s", "推荐").settle().keys("enter", "enter")
	d.mustContain("Alex Petrov")
}

func TestFirstMatch(t *testing.T) {
	for _, c := range []struct {
		hit  SearchHit
		want string
	}{
		{SearchHit{Snippet: "用 Flink 做流处理很快", Matches: [][2]int{{13, 19}, {16, 22}}}, "流处理"},
		{SearchHit{Snippet: "rendering and render", Matches: [][2]int{{14, 20}, {0, 9}}}, "rendering"},
		{SearchHit{Snippet: "a b", Matches: [][2]int{{0, 1}, {2, 3}}}, "a"},
		{SearchHit{Snippet: "short", Matches: [][2]int{{3, 99}}}, "the query"},
		{SearchHit{Snippet: "none"}, "the query"},
	} {
		if got := firstMatch(c.hit, " the query "); got != c.want {
			t.Errorf("firstMatch(%q, %v) = %q, want %q", c.hit.Snippet, c.hit.Matches, got, c.want)
		}
	}
}
