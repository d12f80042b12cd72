package ui

import (
	"testing"
	"testing/fstest"

	"github.com/sshblog/sshblog/content"
)

// pagesBlog is a blog in sshblog's own layout with pages (about, links)
// and posts with subtitles, loaded as the server loads one. One post's
// slug is a page's too.
func pagesBlog(t testing.TB) *content.Snapshot {
	t.Helper()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys := fstest.MapFS{
		"site.yaml": file("title: Pages Blog\nlanguage: en\n"),
		"posts/2021-03-01-alpha.md": file("---\ntitle: Alpha release notes\n" +
			"subtitle: What changed in this release, and why it matters to you\n" +
			"description: What is new in alpha\ntags: [go, release]\n---\n" +
			"Alpha is out. It reads **faster** and breaks lines better.\n\n## What changed\n\nMost of it.\n"),
		"posts/2021-02-01-beta.md": file("---\ntitle: 数据库笔记\nsubtitle: 读《数据库系统内幕》的第一部分：存储引擎\ntags: [db]\n---\n" +
			"存储引擎负责数据在内存和磁盘上的组织方式。\n"),
		"posts/2021-01-01-gamma.md": file("---\ntitle: Gamma rays\ntags: [go]\n---\nNo subtitle here.\n"),
		"posts/2020-12-01-about.md": file("---\ntitle: About a year of blogging\n---\nA post whose slug is a page's.\n"),
		"pages/about.md": file("---\ntitle: About\nsubtitle: Who writes here, and why\n" +
			"description: The author and this blog\n---\nI write about databases and Go.\n\nFind me on [GitHub](https://github.com/example).\n"),
		"pages/links.md": file("---\ntitle: Links\n---\n- [Go](https://go.dev)\n- [Bubble Tea](https://github.com/charmbracelet/bubbletea)\n"),
	}
	s, err := content.Load(fsys, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Pages()) != 2 || len(s.Posts()) != 4 {
		t.Fatalf("pages blog loads %d pages and %d posts", len(s.Pages()), len(s.Posts()))
	}
	return s
}

// TestPagesSection checks the Pages tab: shown with pages and only then,
// reached with 5 and by cycling, and its pages open in the reader as pages.
func TestPagesSection(t *testing.T) {
	d := newDriver(t, Options{Snapshot: pagesBlog(t), Width: 100, Height: 30})
	d.mustContain("Tags  Pages")
	d.keys("5")
	if d.m.active != sectionPages {
		t.Fatalf("5 shows section %d", d.m.active)
	}
	d.mustContain("About", "Who writes here", "Links", "The author and this blog", "1/2")
	d.keys("enter")
	r := d.m.reader
	if r == nil || r.post.Slug != "about" || !r.isPage {
		t.Fatalf("enter on About opened %+v", r)
	}
	d.mustContain("About", "Who writes here, and why", "I write about databases")
	// A page has no next or previous post, though a post has its slug.
	d.mustNotContain("next post", "prev post")
	d.keys("]")
	if d.m.reader.post.Slug != "about" || d.m.reader.post.Title != "About" {
		t.Fatalf("] left the page for %q", d.m.reader.post.Title)
	}
	d.keys("q", "tab")
	if d.m.active != sectionPosts {
		t.Fatalf("tab from the pages goes to section %d, want the posts", d.m.active)
	}
	d.keys("shift+tab")
	if d.m.active != sectionPages {
		t.Fatalf("shift+tab from the posts goes to section %d, want the pages", d.m.active)
	}
	d.keys("?")
	d.mustContain("1-5")

	// A blog without pages has no Pages tab, and 5 does nothing.
	d = newDriver(t, Options{Snapshot: testBlog(), Width: 100, Height: 30})
	d.mustContain("Tags")
	d.mustNotContain("Pages")
	d.keys("5")
	if d.m.active != sectionPosts {
		t.Fatalf("5 without pages shows section %d", d.m.active)
	}
	d.keys("shift+tab")
	if d.m.active != sectionTags {
		t.Fatalf("shift+tab from the posts goes to section %d, want the tags", d.m.active)
	}
	d.keys("tab")
	if d.m.active != sectionPosts {
		t.Fatalf("tab from the tags goes to section %d, want the posts", d.m.active)
	}
	d.keys("?")
	d.mustContain("1-4")
}

// TestPageRefresh publishes a snapshot without pages while a page is read:
// the reader says it was removed (though a post has its slug), and the
// Pages tab stays while the section is on screen.
func TestPageRefresh(t *testing.T) {
	blog := pagesBlog(t)
	d := newDriver(t, Options{Snapshot: blog, Width: 100, Height: 30})
	d.keys("5", "enter")
	next := content.NewSnapshot(blog.Site(), blog.Posts(), nil, nil, nil, "r2") // no pages
	d.send(SnapshotMsg{Snapshot: next})
	if r := d.m.reader; !r.removed {
		t.Fatal("the page was unpublished, and the reader did not say so")
	}
	d.mustContain("this page was removed")
	d.mustContain("Tags  Pages")
	d.keys("q")
	d.mustContain("No pages yet.")
	d.keys("1")
	d.mustContain("Tags")
	d.mustNotContain("Tags  Pages")
}

// TestSubtitleInList shows a subtitle after the title, cut where the row is
// narrow, and left out where too little of it would fit.
func TestSubtitleInList(t *testing.T) {
	blog := pagesBlog(t)
	d := newDriver(t, Options{Snapshot: blog, Width: 120, Height: 30})
	d.mustContain("Alpha release notes  What changed in this release, and why it matters to you", "数据库笔记  读《数据库系统内幕》")
	d.size(60, 30)
	d.checkScreen()
	d.mustContain("Alpha release notes  What changed in this r…  2021-03-01")
	d.size(40, 30)
	d.checkScreen()
	d.mustNotContain("What changed")
}

// TestFilterSubtitle finds posts and pages by their subtitles.
func TestFilterSubtitle(t *testing.T) {
	d := newDriver(t, Options{Snapshot: pagesBlog(t), Width: 100, Height: 30})
	d.keys("/", "存储引擎")
	d.mustContain("数据库笔记", "1/1")
	d.keys("esc", "5", "/", "who writes")
	d.mustContain("About", "1/1")
}
