package ui

import (
	"reflect"
	"testing"
)

func TestParseLink(t *testing.T) {
	for _, c := range []struct {
		args []string
		want Link
		ok   bool
	}{
		{nil, Link{}, true},
		{[]string{"books"}, Link{View: "books"}, true},
		{[]string{"papers"}, Link{View: "papers"}, true},
		{[]string{"tags"}, Link{View: "tags"}, true},
		{[]string{"pages"}, Link{View: "pages"}, true},
		{[]string{"search", "Flink", "流处理"}, Link{View: "search", Query: "Flink 流处理"}, true},
		{[]string{"search"}, Link{View: "search"}, true},
		{[]string{"2020-summary"}, Link{Slug: "2020-summary"}, true},
		{[]string{"books", "--json"}, Link{}, false},
		{[]string{"search", "x", "--json"}, Link{}, false},
		{[]string{"read", "slug"}, Link{}, false},
		{[]string{"-h"}, Link{}, false},
		{[]string{""}, Link{}, false},
	} {
		got, ok := ParseLink(c.args)
		if ok != c.ok || (ok && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("ParseLink(%q) = %+v, %v; want %+v, %v", c.args, got, ok, c.want, c.ok)
		}
	}
}

func TestLinkOpensPostAndEscGoesToList(t *testing.T) {
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Width: 80, Height: 24, Link: Link{Slug: "gamma"}})
	r, ok := d.m.top().(*reader)
	if !ok || r.post.Slug != "gamma" {
		t.Fatal("the link did not open gamma")
	}
	d.mustContain("Gamma rays", "line 1 of gamma")
	d.keys("esc")
	d.mustContain("Alpha release notes")
	if _, ok := d.m.top().(*postsPage); !ok {
		t.Fatal("esc does not go to the list")
	}
	// The list is where the reader would have come from: gamma selected.
	if p := d.m.top().(*postsPage); p.list.src.ID(p.list.selected()) != "gamma" {
		t.Fatalf("the list has %q selected", p.list.src.ID(p.list.selected()))
	}
	d.keys("q")
	if !d.quit {
		t.Fatal("q at the list does not quit")
	}
}

func TestLinkOpensSections(t *testing.T) {
	for view, want := range map[string]string{"books": "Designing Data-Intensive", "papers": "Overlapping Experiment", "tags": "#release"} {
		d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Width: 80, Height: 24, Link: Link{View: view}})
		d.mustContain(want)
		d.keys("q")
		if !d.quit {
			t.Fatalf("%s: q does not quit", view)
		}
	}
}

func TestLinkUnknownSlug(t *testing.T) {
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Width: 80, Height: 24, Link: Link{Slug: "gama", Closest: "gamma"}})
	d.mustContain("no post “gama”; did you mean “gamma”?")
	p := d.m.top().(*postsPage)
	if got := p.list.src.ID(p.list.selected()); got != "gamma" {
		t.Fatalf("selected %q, want the closest, gamma", got)
	}
	if d.timers != 1 {
		t.Fatalf("%d timers: the notice never goes", d.timers)
	}
	d = newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Width: 80, Height: 24, Link: Link{Slug: "zzz"}})
	d.mustContain("no post “zzz”")
	d.mustNotContain("did you mean")
}

func TestLinkSearch(t *testing.T) {
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: &wrapRenderer{}, Width: 80, Height: 24, Link: Link{View: "search", Query: "needle"}})
	d.mustContain("Search all: needle", "Alpha release notes")
	d.keys("enter", "enter")
	if r, ok := d.m.top().(*reader); !ok || len(r.matches) == 0 {
		t.Fatal("the hit does not open on its matches")
	}
	d.keys("esc", "esc", "esc")
	if _, ok := d.m.top().(*postsPage); !ok {
		t.Fatal("esc does not lead back to the list")
	}
}
