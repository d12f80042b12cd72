package search

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/sample"
)

// hitName names a hit in the quality tables: "post:slug", "book:title"...
func hitName(h Hit) string {
	if h.Slug != "" {
		return h.Kind + ":" + h.Slug
	}
	return h.Kind + ":" + h.Title
}

// qualityCase is one row of a search-quality table: the query, the hits
// that must be found, in this order, at the top (first the best), and the
// hits that must not be found at all.
type qualityCase struct {
	query string
	top   []string
	not   []string
}

// checkQuality runs the table on s.
func checkQuality(t *testing.T, s *content.Snapshot, table []qualityCase) {
	t.Helper()
	x := buildIndex(t, s)
	for _, c := range table {
		hits, err := x.Search(context.Background(), s, c.query, 20)
		if err != nil {
			t.Fatalf("search %q: %v", c.query, err)
		}
		var names []string
		for _, h := range hits {
			names = append(names, hitName(h))
			for _, m := range h.Matches {
				if m[0] < 0 || m[1] > len(h.Snippet) || m[0] >= m[1] {
					t.Errorf("search %q: %s: match %v outside snippet %q", c.query, hitName(h), m, h.Snippet)
				}
			}
			if strings.ContainsAny(h.Snippet, "\n\t") {
				t.Errorf("search %q: snippet %q is not one line", c.query, h.Snippet)
			}
		}
		if len(names) < len(c.top) || !slices.Equal(names[:len(c.top)], c.top) {
			t.Errorf("search %q: got %q, want first %q", c.query, names, c.top)
		}
		for _, n := range c.not {
			if slices.Contains(names, n) {
				t.Errorf("search %q: got %q, want no %s", c.query, names, n)
			}
		}
		if len(c.top) > 0 && len(hits) > 0 && len(hits[0].Matches) == 0 {
			t.Errorf("search %q: first hit's snippet %q marks no match", c.query, hits[0].Snippet)
		}
	}
}

// TestQualitySample is the search-quality table on the sample blog.
func TestQualitySample(t *testing.T) {
	s, err := content.Load(sample.FS(), "")
	if err != nil {
		t.Fatal(err)
	}
	const post = "post:2020-year-in-review"
	checkQuality(t, s, []qualityCase{
		{query: "论文", top: []string{"paper:Overlapping Experiment Infrastructure: More, Better, Faster Experimentation", post}},
		{query: "流处理", top: []string{"book:Stream Processing with Apache Flink", post}},
		{query: "Flink 流处理", top: []string{"book:Stream Processing with Apache Flink", post}},
		{query: "flink", top: []string{"book:Stream Processing with Apache Flink", post}},
		{query: "字节", top: []string{post}},
		{query: "数据库系统内幕", top: []string{"book:数据库系统内幕"}},
		{query: "DDIA", top: []string{"book:Designing Data-Intensive Applications", post}},
		{query: "部署", top: nil, not: []string{post}},
		{query: "kubernetes 字节 nothing", top: nil, not: []string{post}},
	})
}

// fixturePost returns a post of the fixture blog.
func fixturePost(slug, title string, tags []string, body string, day int) *content.Post {
	return &content.Post{Slug: slug, Path: "posts/" + slug + ".md", Title: title, Tags: tags, Body: body, Hash: slug + body,
		Date: time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC)}
}

// fixtureBlog is a small blog written for the quality table: Chinese with
// no spaces, mixed Chinese and English, English word forms, and words that
// appear only in code or a URL.
func fixtureBlog() *content.Snapshot {
	posts := []*content.Post{
		fixturePost("k8s-deploy", "在 Kubernetes 上部署 Flink", []string{"kubernetes"},
			"本文介绍如何部署一个流处理作业。我们使用 Flink 的原生集成。\n\n```\nkubectl apply -f flink.yaml\n```\n", 1),
		fixturePost("stream-notes", "流处理读书笔记", []string{"读书"},
			"最近读了一本关于流处理的书，作者讨论了窗口和水位线。Flink 是书中的主要例子。\n", 2),
		fixturePost("paper-reading", "如何读论文", []string{"论文"},
			"读论文的三遍法：第一遍看摘要，第二遍看图表，第三遍推导细节。\n", 3),
		fixturePost("renderer", "Writing a terminal renderer", []string{"go"},
			"Rendering Markdown in a terminal means wrapping lines and styling code. The renderer caches what it renders.\n", 4),
		fixturePost("code-only", "Notes on shell", []string{"shell"},
			"Some commands I use often.\n\n```\nrender --deploy 部署 now\n```\n\nSee https://example.org/render/部署 too.\n", 5),
		fixturePost("deploy-en", "Deploying a blog", []string{"ops"},
			"I deployed this blog on a small server. Deployment took an hour.\n", 6),
		fixturePost("mixed", "年终总结 2023", []string{"生活"},
			"今年换了工作，开始写 Go。我们部署了很多服务，也读了几篇论文。\n", 7),
		// 流处 and 处理 apart, Flink in the title.
		fixturePost("apart", "Flink 入门", []string{"flink"},
			"数据流处在中心，处理器很快。\n", 8),
	}
	books := []content.Book{{Title: "Streaming Systems", Note: "流处理系统的经典", Authors: []string{"Tyler Akidau"}}}
	papers := []content.Paper{{Title: "The Dataflow Model", Topic: "流处理和批处理的统一模型", Venue: "VLDB'15"}}
	return content.NewSnapshot(content.Site{Title: "Fixture"}, posts, books, papers, nil, "fixture")
}

// TestQualityFixture is the search-quality table on the fixture blog.
func TestQualityFixture(t *testing.T) {
	checkQuality(t, fixtureBlog(), []qualityCase{
		// Two characters in text with no spaces; the title counts most,
		// code and URLs least.
		{query: "部署", top: []string{"post:k8s-deploy", "post:mixed", "post:code-only"}},
		{query: "论文", top: []string{"post:paper-reading", "post:mixed"}},
		{query: "流处理", top: []string{"post:stream-notes"}, not: []string{"post:paper-reading"}},
		{query: "Flink 流处理", top: []string{"post:stream-notes", "post:k8s-deploy", "post:apart"}, not: []string{"book:Streaming Systems"}},
		{query: "流处理系统", top: []string{"book:Streaming Systems"}},
		{query: "批处理", top: []string{"paper:The Dataflow Model"}},
		// English word forms.
		{query: "render", top: []string{"post:renderer", "post:code-only"}},
		{query: "rendering", top: []string{"post:renderer", "post:code-only"}},
		{query: "deploy", top: []string{"post:deploy-en", "post:code-only"}},
		{query: "KUBERNETES", top: []string{"post:k8s-deploy"}},
		{query: "读书笔记", top: []string{"post:stream-notes"}},
		{query: "渲染", top: nil, not: []string{"post:renderer"}},
	})
}

// TestFollowsPublish checks the index follows snapshots: a changed post is
// found by its new text and not its old, a removed one is gone, and only
// the changed documents are indexed again.
func TestFollowsPublish(t *testing.T) {
	s := fixtureBlog()
	x := buildIndex(t, s)
	var posts []*content.Post
	for _, p := range s.Posts() {
		switch p.Slug {
		case "renderer":
			c := *p
			c.Body, c.Hash = "Now about 索引 and indexing.", "v2"
			posts = append(posts, &c)
		case "deploy-en":
		default:
			posts = append(posts, p)
		}
	}
	next := content.NewSnapshot(s.Site(), posts, s.Books(), s.Papers(), nil, "next")
	if err := x.Update(context.Background(), next); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"索引": {"post:renderer"}, "index": {"post:renderer"}, "rendering": {"post:renderer", "post:code-only"}, "caches": nil, "deployment": {"post:code-only"}, "deployed": {"post:code-only"}} {
		hits, err := x.Search(context.Background(), next, q, 20)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, h := range hits {
			names = append(names, hitName(h))
		}
		if !slices.Equal(names, want) {
			t.Errorf("after publish, search %q: got %q, want %q", q, names, want)
		}
	}
	if rev, ok := x.Revision(); !ok || rev != "next" {
		t.Errorf("Revision() = %q, %v; want next, true", rev, ok)
	}
}

// TestSearchBeforeBuild checks a search before the first build says so,
// after a moment, rather than waiting for ever.
func TestSearchBeforeBuild(t *testing.T) {
	x, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	_, err = x.Search(context.Background(), fixtureBlog(), "部署", 10)
	if !errors.Is(err, ErrNotReady) || !strings.Contains(err.Error(), "0 of 0 documents") {
		t.Errorf("search before the build: %v, want ErrNotReady with its progress", err)
	}
}

// TestOlderSnapshotDoesNotWait checks a session holding an older snapshot
// than the index's searches at once (the index is past it), and one holding
// a snapshot the index has not reached yet finds its new post once the
// index gets there.
func TestOlderSnapshotDoesNotWait(t *testing.T) {
	old := fixtureBlog()
	x := buildIndex(t, old)
	posts := append(old.Posts(), fixturePost("new-post", "新文章", nil, "关于索引的新文章。", 20))
	next := content.NewSnapshot(old.Site(), posts, old.Books(), old.Papers(), nil, "next")

	found := make(chan []Hit, 1)
	go func() {
		hits, err := x.Search(context.Background(), next, "新文章", 10)
		if err != nil {
			t.Error(err)
		}
		found <- hits
	}()
	if err := x.Update(context.Background(), next); err != nil {
		t.Fatal(err)
	}
	if hits := <-found; len(hits) != 1 || hits[0].Slug != "new-post" {
		t.Errorf("search of the next snapshot: %+v, want new-post", hits)
	}

	ctx, cancel := context.WithTimeout(context.Background(), catchUp/2)
	defer cancel()
	if hits, err := x.Search(ctx, old, "部署", 10); err != nil || len(hits) == 0 {
		t.Errorf("search of the older snapshot: %v, %d hits; want hits at once", err, len(hits))
	}
}
