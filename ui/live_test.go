package ui

import (
	"testing"

	"github.com/sshblog/sshblog/content"
)

// publish builds a new snapshot of the test blog with edits applied.
func publish(s *content.Snapshot, edit func(posts []*content.Post) []*content.Post) *content.Snapshot {
	posts := append([]*content.Post(nil), s.Posts()...)
	posts = edit(posts)
	return content.NewSnapshot(s.Site(), posts, s.Books(), s.Papers(), nil, "r2")
}

func TestSnapshotKeepsSelection(t *testing.T) {
	d, _ := newTestDriver(t)
	d.keys("j") // beta
	newer := newPost("delta", "Delta", "2021-04-01", []string{"go"}, 10, nil)
	d.send(SnapshotMsg{Snapshot: publish(d.m.snap, func(ps []*content.Post) []*content.Post { return append(ps, newer) })})
	l := &d.m.top().(*postsPage).list
	if got := l.src.ID(l.selected()); got != "beta" {
		t.Fatalf("selection moved to %s", got)
	}
	d.mustContain("Delta", "1 new post")
	if d.timers != 1 {
		t.Fatalf("%d timers, want one for the notice", d.timers)
	}
	d.checkScreen()

	// The notice fades: an old timer does not clear a newer notice.
	d.send(SnapshotMsg{Snapshot: publish(d.m.snap, func(ps []*content.Post) []*content.Post { return ps[1:] })})
	d.mustContain("blog updated")
	d.send(noticeExpiredMsg{id: d.m.noticeID - 1})
	d.mustContain("blog updated")
	d.send(noticeExpiredMsg{id: d.m.noticeID})
	d.mustNotContain("blog updated", "new post")
	d.checkScreen()
}

func TestSnapshotNewPostsCount(t *testing.T) {
	d, _ := newTestDriver(t)
	add := func(ps []*content.Post) []*content.Post {
		return append(ps,
			newPost("d1", "D1", "2021-04-01", nil, 3, nil),
			newPost("d2", "D2", "2021-04-02", nil, 3, nil))
	}
	d.send(SnapshotMsg{Snapshot: publish(d.m.snap, add)})
	d.mustContain("2 new posts")
	same := d.m.snap
	d.send(SnapshotMsg{Snapshot: same}, SnapshotMsg{})
	if d.timers != 1 {
		t.Fatal("the same or a nil snapshot made a notice")
	}
}

func TestSnapshotSelectionRemoved(t *testing.T) {
	d, _ := newTestDriver(t)
	d.keys("G") // gamma
	d.send(SnapshotMsg{Snapshot: publish(d.m.snap, func(ps []*content.Post) []*content.Post { return ps[:2] })})
	l := &d.m.top().(*postsPage).list
	if l.selected() != 1 {
		t.Fatalf("selection %d after its post went, want the last one", l.selected())
	}
	d.checkScreen()
}

func TestSnapshotChangesOpenPost(t *testing.T) {
	d, r := openAlpha(t)
	d.keys("j", "j", "j", "j", "j")
	old := d.m.reader.post
	changed := *old
	changed.Body = "rewritten\n" + old.Markdown()
	changed.Hash = hashOf(changed.Body)
	d.send(SnapshotMsg{Snapshot: publish(d.m.snap, func(ps []*content.Post) []*content.Post {
		ps[0] = &changed
		return ps
	})})
	rd := d.m.reader
	if rd.post != old || rd.have.post != old {
		t.Fatal("the reader lost the version being read")
	}
	d.mustContain("this post changed — r reloads", "r reload")
	y := rd.pos.YOffset()
	d.keys("r")
	if rd.post != &changed || rd.have.post != &changed {
		t.Fatal("r did not reload the new version")
	}
	if r.last().post != &changed {
		t.Fatal("new version not rendered")
	}
	if got := rd.pos.YOffset(); got < y-1 || got > y+1 {
		t.Fatalf("reload moved from line %d to %d", y, got)
	}
	d.mustNotContain("this post changed")
	d.mustContain("blog updated")

	// Republishing the same bytes is no change.
	same := changed
	d.send(SnapshotMsg{Snapshot: publish(d.m.snap, func(ps []*content.Post) []*content.Post {
		ps[0] = &same
		return ps
	})})
	d.mustNotContain("this post changed")

	// Removed: the text stays, with a notice; r does nothing.
	d.send(SnapshotMsg{Snapshot: publish(d.m.snap, func(ps []*content.Post) []*content.Post { return ps[1:] })})
	d.mustContain("this post was removed", "line 6 of alpha")
	d.keys("r", "j")
	d.mustContain("this post was removed")
	d.checkScreen()
	// Back in the list, it is gone.
	d.keys("q")
	d.mustNotContain("Alpha release notes")
	d.mustContain("数据库 笔记")
}

func TestSnapshotRefreshesEverySection(t *testing.T) {
	d, _ := newTestDriver(t)
	d.keys("2", "3", "4", "enter") // build every section; Tags shows #go's posts
	next := content.NewSnapshot(d.m.snap.Site(),
		append(d.m.snap.Posts(), newPost("delta", "Delta", "2021-04-01", []string{"go"}, 3, nil)),
		append(d.m.snap.Books(), content.Book{Title: "New Book"}),
		nil, nil, "r2")
	d.send(SnapshotMsg{Snapshot: next})
	d.mustContain("Delta")
	d.keys("q")
	d.mustContain("#go", "3")
	d.keys("2")
	d.mustContain("New Book")
	d.keys("3")
	d.mustContain("No papers yet.")
	d.checkScreen()
}

func TestSnapshotLanguageChange(t *testing.T) {
	d, _ := newTestDriver(t)
	s := d.m.snap
	site := s.Site()
	site.Language = "zh-Hans"
	d.send(SnapshotMsg{Snapshot: content.NewSnapshot(site, s.Posts(), s.Books(), s.Papers(), nil, "r2")})
	d.mustContain("文章", "博客已更新", "打开")
}
