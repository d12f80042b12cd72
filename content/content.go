// Package content owns a blog's content: the site configuration, posts,
// pages, and the author's book and paper lists. It reads a blog folder in
// one of three layouts (dialects) into an immutable Snapshot, and holds the
// Library that swaps snapshots when the author publishes:
//
//   - sshblog's own: site.yaml, posts/YYYY-MM-DD-slug.md, pages/*.md,
//     books.yaml, papers.yaml, images/;
//   - Jekyll: _config.yml, _posts/, pages with front matter at the root
//     (about.md), _includes/, _data/books.yml;
//   - Hugo: hugo.toml, config.toml or config.yaml, posts under
//     content/posts/ (or post/, blog/; page bundles' index.md too), pages
//     directly under content/.
//
// # Problems
//
// Loading never refuses a blog because of one file. A file it cannot fully
// understand is served as well as it can be (a bad date falls back to the
// file name's, a missing title to one made from the slug, a duplicate slug
// gets the date appended), or, when it cannot be read at all (a binary
// file), left out. Every such finding is a Problem with the file and line
// it concerns, of one of two kinds:
//
//   - An error (Warning false) is something the author must fix: the blog
//     is served with it, but a publish that adds or changes the file
//     refuses it (the publish "ratchet": problems already published never
//     block the next push). In sshblog's own layout every defect is an
//     error.
//   - A warning (Warning true) never blocks anything. A Jekyll or Hugo
//     blog is taken as Jekyll or Hugo take it: what they build without
//     complaint (a post without front matter, front matter that is not
//     valid YAML, which is then read line by line, a theme key sshblog
//     cannot parse, two posts with one slug) is a warning there. What they
//     refuse to build (a date they cannot read) stays an error.
//
// Problems of the whole blog have no file: the summary of files the blog
// does not use, and the one line listing front matter keys sshblog does
// not use. Load returns a snapshot for every blog it can list; with errors
// in files it also returns a *ValidationError listing every problem, so a
// publish can refuse them while a server serving a folder goes ahead.
//
// # What templates need
//
// A Jekyll post's Liquid and a Hugo post's shortcodes are expanded with
// what the snapshot gives: SiteVars (site.*), PageVars (page.*), Includes
// (_includes/ for {% include %}), PostURL and Link (the post a post_url or
// link tag names) and URL (its address on the web site).
//
// content imports no UI or SSH package.
package content

import (
	"time"
)

// Site is the blog-wide configuration from site.yaml (or Jekyll's
// _config.yml, or Hugo's hugo.toml / config.toml / config.yaml). The whole
// parsed file, for Liquid's site.*, is Snapshot.SiteConfig. Its keys are
// named in one place, siteFields, which decodes them by hand.
type Site struct {
	Title       string
	Description string
	Author      string
	// URL is the web site's origin, absolute and without a path or a
	// trailing slash: "https://gaocegege.com". Whichever of url and
	// baseurl is an absolute URL gives it (some themes swap the two);
	// a path in it moves to BaseURL.
	URL string
	// BaseURL is the path the blog lives under on that origin, "" or
	// "/Blog" (leading slash, no trailing one). URL + BaseURL + "/about/"
	// is a page's address.
	BaseURL  string
	Language string // BCP 47, e.g. "zh-CN"; "" means "en"
	License  string
}

// Post is one blog post, or one page (Snapshot.Pages). All text fields are
// sanitised: they contain no terminal control characters, and the one-line
// ones (Title, Subtitle, Description, Headline, Excerpt, Author) no HTML:
// tags are dropped and entities decoded.
type Post struct {
	// Slug names the post in the blog: from the file name
	// (2020-12-26-year-in-review.md -> year-in-review; a page bundle's
	// folder for index.md), or the slug key. Two posts never share one: a
	// later post with the slug of an earlier one gets its date appended
	// ("MCM-2015-01-21").
	Slug        string
	Path        string // slash-separated path relative to the blog root
	Title       string // front matter title; else made from the slug, as Jekyll does
	Subtitle    string // subtitle: a line shown under the title
	Description string //
	Headline    string //
	Excerpt     string // the author's own summary: excerpt (Jekyll) or summary (Hugo)
	Author      string // author, when the post names one (a name, or the first of authors)
	// Permalink is the post's address on the web site as the front matter
	// gives it (permalink, or Hugo's url), "" when the site's pattern
	// applies. Readers' old links may use it.
	Permalink    string
	Aliases      []string  // other addresses the post answered to (Hugo's aliases, Jekyll's redirect_from)
	Date         time.Time // front matter date, else the file name's date
	Modified     time.Time // front matter modified; zero when unset
	Layout       string    //
	Categories   []string  // category and categories, merged
	Tags         []string  //
	ImageFeature string    // imagefeature, header-img, image or cover: the post's picture
	Chart        string    //
	MathJax      bool      //
	Comments     bool      //
	Featured     bool      //
	Draft        bool      // drafts are never listed
	// Body is the Markdown after the front matter when the post was
	// built in memory (by hand, or by the tests' parsePost). Load leaves it empty, so a
	// snapshot of 10,000 posts holds their metadata only, and keeps where
	// to read it: use Markdown, which works for both.
	Body     string
	BodyLine int    // 1-based line number of the first body line in the file
	Hash     string // hex digest of the file's bytes; identifies this version

	front frontMatterSource // the raw front matter, for Params
	src   bodySource        // where Markdown reads the body when Body is empty
	lead  string            // Lead, worked out at load
}

// Book is one entry of the author's reading log (books.yaml). Its keys are
// named in one place, bookFields, which decodes them by hand.
type Book struct {
	Title       string
	Subtitle    string
	Original    string // title in the original language, for a translation
	Authors     []string
	Translators []string
	Publisher   string
	Year        int    // year the author read it
	Status      string // "read", "reading", "reread", "want", "abandoned"
	Times       int    // how many times read, when known (0 = unknown)
	Rating      int    // 0-5, 0 = unrated
	Recommended bool
	Tags        []string
	Note        string
	Link        string
	Post        string // slug of the post that mentions it
	Line        int    // line in books.yaml, for error messages
}

// Paper is one entry of the author's paper list (papers.yaml). Its keys
// are named in one place, paperFields, which decodes them by hand.
type Paper struct {
	Title       string
	Authors     []string
	Venue       string // e.g. "KDD'10"
	Published   int    // publication year
	Year        int    // year the author read it
	Status      string // "read", "reading", "want"
	Recommended bool
	Topic       string // one line: what it is about
	Tags        []string
	Note        string
	Link        string
	Post        string // slug of the post that mentions it
	Line        int    // line in papers.yaml, for error messages
}

// Tag is a tag with the number of listed posts carrying it.
type Tag struct {
	Name  string
	Count int
}

// Heading is one entry of a post's outline: a heading, or a footnote, as
// content/render's Outline finds it in the rendered post. It lives here, in
// the model, so that ui can take outlines without importing the renderer
// (and Glamour and chroma with it).
type Heading struct {
	// Level is the heading's level, 1 to 6; 0 for a footnote.
	Level int
	// Footnote is the footnote's number, 0 for a heading.
	Footnote int
	// Text is the heading's or footnote's text as shown, on one line.
	Text string
	// Line is the line of the rendered post (content/render's Render
	// output) the entry starts on.
	Line int
}
