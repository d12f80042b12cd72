// Package content owns a blog's content: the site configuration, posts, and
// the author's book and paper lists. It parses and validates a blog folder
// (native layout or a Jekyll site) into an immutable Snapshot, and holds the
// Library that swaps snapshots when the author publishes.
//
// content imports no UI or SSH package.
package content

import (
	"time"
)

// Site is the blog-wide configuration from site.yaml (or Jekyll's _config.yml).
type Site struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	URL         string `yaml:"url"`
	BaseURL     string `yaml:"baseurl"`
	Language    string `yaml:"language"` // BCP 47, e.g. "zh-CN"; "" means "en"
	License     string `yaml:"license"`
}

// Post is one blog post. All text fields are sanitised: they contain no
// terminal control characters.
type Post struct {
	Slug         string    // from the file name: 2020-12-26-year-in-review.md -> year-in-review
	Path         string    // slash-separated path relative to the blog root
	Title        string    // front matter title (required)
	Description  string    //
	Headline     string    //
	Date         time.Time // front matter date, else the file name's date
	Modified     time.Time // front matter modified; zero when unset
	Layout       string    //
	Categories   []string  // category and categories, merged
	Tags         []string  //
	ImageFeature string    //
	Chart        string    //
	MathJax      bool      //
	Comments     bool      //
	Featured     bool      //
	Draft        bool      // drafts are never listed
	Body         string    // Markdown after the front matter
	BodyLine     int       // 1-based line number of the first body line in the file
	Hash         string    // hex digest of the file's bytes; identifies this version
}

// Book is one entry of the author's reading log (books.yaml).
type Book struct {
	Title       string   `yaml:"title"`
	Subtitle    string   `yaml:"subtitle,omitempty"`
	Original    string   `yaml:"original,omitempty"` // title in the original language, for a translation
	Authors     []string `yaml:"authors,omitempty"`
	Translators []string `yaml:"translators,omitempty"`
	Publisher   string   `yaml:"publisher,omitempty"`
	Year        int      `yaml:"year,omitempty"`   // year the author read it
	Status      string   `yaml:"status,omitempty"` // "read", "reading", "reread", "want", "abandoned"
	Times       int      `yaml:"times,omitempty"`  // how many times read, when known (0 = unknown)
	Rating      int      `yaml:"rating,omitempty"` // 0-5, 0 = unrated
	Recommended bool     `yaml:"recommended,omitempty"`
	Tags        []string `yaml:"tags,omitempty"`
	Note        string   `yaml:"note,omitempty"`
	Link        string   `yaml:"link,omitempty"`
	Post        string   `yaml:"post,omitempty"` // slug of the post that mentions it
	Line        int      `yaml:"-"`              // line in books.yaml, for error messages
}

// Paper is one entry of the author's paper list (papers.yaml).
type Paper struct {
	Title       string   `yaml:"title"`
	Authors     []string `yaml:"authors,omitempty"`
	Venue       string   `yaml:"venue,omitempty"`     // e.g. "KDD'10"
	Published   int      `yaml:"published,omitempty"` // publication year
	Year        int      `yaml:"year,omitempty"`      // year the author read it
	Status      string   `yaml:"status,omitempty"`    // "read", "reading", "want"
	Recommended bool     `yaml:"recommended,omitempty"`
	Topic       string   `yaml:"topic,omitempty"` // one line: what it is about
	Tags        []string `yaml:"tags,omitempty"`
	Note        string   `yaml:"note,omitempty"`
	Link        string   `yaml:"link,omitempty"`
	Post        string   `yaml:"post,omitempty"` // slug of the post that mentions it
	Line        int      `yaml:"-"`              // line in papers.yaml, for error messages
}

// Tag is a tag with the number of listed posts carrying it.
type Tag struct {
	Name  string
	Count int
}
