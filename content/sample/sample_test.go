package sample_test

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/sample"
)

const seedPost = "posts/2020-12-26-2020-year-in-review.md"

func TestSampleLoads(t *testing.T) {
	snap, err := content.Load(sample.FS(), "")
	if err != nil {
		t.Fatalf("Load(sample): %v", err)
	}
	for _, w := range snap.Warnings() {
		t.Errorf("unexpected warning: %s", w)
	}

	site := snap.Site()
	if site.Language != "zh-CN" || site.URL != "http://gaocegege.com" || site.Title == "" {
		t.Errorf("site = %+v", site)
	}

	posts := snap.Posts()
	if len(posts) != 1 {
		t.Fatalf("got %d posts, want 1", len(posts))
	}
	p := posts[0]
	if p.Title != "2020 年终总结" {
		t.Errorf("title = %q", p.Title)
	}
	if want := time.Date(2020, 12, 26, 0, 0, 0, 0, time.UTC); !p.Modified.Equal(want) || !p.Date.Equal(want) {
		t.Errorf("date %v, modified %v, want both %v", p.Date, p.Modified, want)
	}
	if !p.Featured || !p.Comments || p.MathJax || p.Draft {
		t.Errorf("flags: featured %v comments %v mathjax %v draft %v", p.Featured, p.Comments, p.MathJax, p.Draft)
	}
	if p.Slug != "2020-year-in-review" || p.Path != seedPost {
		t.Errorf("slug %q path %q", p.Slug, p.Path)
	}

	books := snap.Books()
	if len(books) != 8 {
		t.Errorf("got %d books, want the 8 the post lists", len(books))
	}
	var recommended []string
	for _, b := range books {
		if b.Recommended {
			recommended = append(recommended, b.Title)
		}
		if b.Year != 2020 || b.Status == "" || len(b.Authors) == 0 || b.Note == "" {
			t.Errorf("book %q lacks the facts the post gives: %+v", b.Title, b)
		}
	}
	want := []string{"数据库系统内幕", "Computer Architecture: A Quantitative Approach"}
	if len(recommended) != len(want) || recommended[0] != want[0] || recommended[1] != want[1] {
		t.Errorf("recommended books = %q, want %q", recommended, want)
	}
	if b := find(books, "数据库系统内幕"); b == nil || len(b.Translators) != 2 {
		t.Errorf("数据库系统内幕 should name its two translators: %+v", b)
	}
	if b := find(books, "Designing Data-Intensive Applications"); b == nil || b.Status != "reread" {
		t.Errorf("DDIA should be a re-read: %+v", b)
	}

	papers := snap.Papers()
	if len(papers) != 2 {
		t.Fatalf("got %d papers, want 2", len(papers))
	}
	for _, pp := range papers {
		if !pp.Recommended || pp.Topic == "" || len(pp.Authors) == 0 {
			t.Errorf("paper %q: %+v", pp.Title, pp)
		}
	}
	if pp := papers[1]; pp.Venue != "KDD'10" || pp.Published != 2010 {
		t.Errorf("Overlapping Experiment Infrastructure: venue %q published %d", pp.Venue, pp.Published)
	}

	for _, b := range books {
		if _, ok := snap.Post(b.Post); !ok {
			t.Errorf("book %q refers to post %q, which is not listed", b.Title, b.Post)
		}
	}
	for _, pp := range papers {
		if _, ok := snap.Post(pp.Post); !ok {
			t.Errorf("paper %q refers to post %q, which is not listed", pp.Title, pp.Post)
		}
	}
}

func find(books []content.Book, title string) *content.Book {
	for i := range books {
		if books[i].Title == title {
			return &books[i]
		}
	}
	return nil
}

// seedSHA256 is the SHA-256 of the seed post as its author wrote it
// (10,924 bytes): the sample must carry it byte for byte. Pinned here, so
// the test needs nothing outside the repository.
const seedSHA256 = "596f4a6fc8dc41de81c1199539f1667ec6dbc770ff985f7551e644865cdc694b"

// TestSeedCopyIsExact checks that the sample post is the seed, byte for
// byte.
func TestSeedCopyIsExact(t *testing.T) {
	got, err := fs.ReadFile(sample.FS(), seedPost)
	if err != nil {
		t.Fatal(err)
	}
	if sum := fmt.Sprintf("%x", sha256.Sum256(got)); sum != seedSHA256 {
		t.Errorf("%s differs from the seed: SHA-256 %s (%d bytes), want %s (10924 bytes)", seedPost, sum, len(got), seedSHA256)
	}
}
