package content

import (
	"io/fs"
	pathpkg "path"
	"sort"
	"strings"
	"testing/fstest"
)

// Snapshot is one immutable, validated state of a blog. It never changes
// after it is built; publishing builds a new one. Callers must not modify the
// slices or values it returns.
type Snapshot struct {
	site     Site
	posts    []*Post // listed posts (drafts excluded), newest first
	books    []Book
	papers   []Paper
	tags     []Tag // by count descending, then name
	bySlug   map[string]*Post
	byTag    map[string][]*Post
	warnings []Problem
	revision string

	pages    []*Post // listed pages, by title
	pageSlug map[string]*Post
	byStem   map[string]*Post // "2010-07-21-name" -> post, for post_url
	byPath   map[string]*Post // "_posts/2010-07-21-name.md" -> post or page, for link
	config   map[string]any
	includes fstest.MapFS
	images   map[string]struct{} // for HasImage
	body     *bodyState          // for Body, built on first use
}

// NewSnapshot builds a snapshot from parsed parts: it drops drafts, sorts
// posts newest first (then by slug) and indexes slugs and tags. revision
// names the source state (a commit id, or "" for a plain folder).
func NewSnapshot(site Site, posts []*Post, books []Book, papers []Paper, warnings []Problem, revision string) *Snapshot {
	s := &Snapshot{
		site:     site,
		books:    books,
		papers:   papers,
		bySlug:   make(map[string]*Post, len(posts)),
		byTag:    make(map[string][]*Post),
		warnings: warnings,
		revision: revision,
		body:     &bodyState{},
	}
	for _, p := range posts {
		if p.Draft {
			continue
		}
		s.posts = append(s.posts, p)
	}
	sort.SliceStable(s.posts, func(i, j int) bool {
		a, b := s.posts[i], s.posts[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.Slug < b.Slug
	})
	for _, p := range s.posts {
		s.bySlug[p.Slug] = p
		for _, t := range p.Tags {
			s.byTag[t] = append(s.byTag[t], p)
		}
	}
	for name, ps := range s.byTag {
		s.tags = append(s.tags, Tag{Name: name, Count: len(ps)})
	}
	sort.Slice(s.tags, func(i, j int) bool {
		if s.tags[i].Count != s.tags[j].Count {
			return s.tags[i].Count > s.tags[j].Count
		}
		return s.tags[i].Name < s.tags[j].Name
	})
	return s
}

// setExtras adds what Load reads beyond NewSnapshot's parts: pages, the
// whole site config, the includes, and the indexes Liquid's tags need.
func (s *Snapshot) setExtras(b *blog) {
	s.config = b.config
	s.images = b.images
	s.pageSlug = make(map[string]*Post, len(b.pages))
	for _, p := range b.pages {
		s.pages = append(s.pages, p)
		s.pageSlug[p.Slug] = p
	}
	sort.SliceStable(s.pages, func(i, j int) bool {
		if s.pages[i].Title != s.pages[j].Title {
			return s.pages[i].Title < s.pages[j].Title
		}
		return s.pages[i].Slug < s.pages[j].Slug
	})
	s.byStem = make(map[string]*Post, len(s.posts))
	s.byPath = make(map[string]*Post, len(s.posts)+len(s.pages))
	for _, p := range s.posts {
		s.byStem[strings.TrimSuffix(pathpkg.Base(p.Path), pathpkg.Ext(p.Path))] = p
		s.byPath[p.Path] = p
	}
	for _, p := range s.pages {
		s.byPath[p.Path] = p
	}
	if len(b.includes) > 0 {
		// fstest.MapFS is the standard library's in-memory fs.FS; it is
		// read-only here, which is all it is used for.
		s.includes = make(fstest.MapFS, len(b.includes))
		for name, data := range b.includes {
			s.includes[name] = &fstest.MapFile{Data: data, Mode: 0o444}
		}
	}
}

// WithRevision returns a copy of s named by revision, sharing everything
// else: a publish validates a candidate before its commit exists.
func (s *Snapshot) WithRevision(revision string) *Snapshot {
	c := *s
	c.revision = revision
	return &c
}

// Pages returns the blog's pages (about.md, links.md, ...: files with
// front matter outside the posts, which the web site publishes at their
// own address), by title. Listings (an index, a 404 page, an archive) and
// drafts are not among them.
func (s *Snapshot) Pages() []*Post { return s.pages }

// Page returns the page with the given slug (its file name without the
// extension: "about"; a page bundle's folder name).
func (s *Snapshot) Page(slug string) (*Post, bool) {
	p, ok := s.pageSlug[slug]
	return p, ok
}

// SiteConfig returns the whole site configuration file as parsed (nil when
// the blog has none), for Liquid's site.*. Callers must not modify it.
func (s *Snapshot) SiteConfig() map[string]any { return s.config }

// HasImage reports whether the blog folder holds an image (a png, jpg,
// gif or webp file) that its site serves at path, given relative to the
// site's root without a leading slash ("images/a.png",
// "assets/img/b.jpg"; for Hugo's static/images/a.png, "images/a.png").
func (s *Snapshot) HasImage(path string) bool {
	_, ok := s.images[path]
	return ok
}

// Includes returns the files of Jekyll's _includes/ folder, named by their
// path below it ("head.html", "posts/card.html"), for {% include %}. It is
// never nil.
func (s *Snapshot) Includes() fs.FS {
	if s.includes == nil {
		return fstest.MapFS{}
	}
	return s.includes
}

// PostURL returns the post a {% post_url %} argument names: its file name
// without the extension, "2010-07-21-name", optionally after folders below
// _posts ("/2010/2010-07-21-name"). Liquid's post_url tag resolves it to
// this post.
func (s *Snapshot) PostURL(arg string) (*Post, bool) {
	arg = strings.TrimSpace(arg)
	stem := pathpkg.Base(strings.TrimSuffix(arg, pathpkg.Ext(arg)))
	if _, _, ok := fileNameDate(pathpkg.Base(arg)); ok {
		stem = pathpkg.Base(arg) // a dot in the slug is not an extension
	}
	p, ok := s.byStem[stem]
	if !ok {
		// A slug alone, or a file named with one-digit months the
		// author wrote with two (or the other way round).
		if d, slug, dated := fileNameDate(stem); dated {
			for k, q := range s.byStem {
				if d2, slug2, ok2 := fileNameDate(k); ok2 && d2.Equal(d) && slug2 == slug {
					return q, true
				}
			}
		}
		return s.Post(stem)
	}
	return p, ok
}

// Link returns the post or page at the file path a {% link %} tag names,
// relative to the blog root ("_posts/2010-07-21-name.md", "about.md").
func (s *Snapshot) Link(path string) (*Post, bool) {
	p, ok := s.byPath[strings.TrimPrefix(pathpkg.Clean("/"+strings.TrimSpace(path)), "/")]
	return p, ok
}

// Site returns the blog's configuration.
func (s *Snapshot) Site() Site { return s.site }

// Posts returns the listed posts, newest first.
func (s *Snapshot) Posts() []*Post { return s.posts }

// Books returns the reading log in file order.
func (s *Snapshot) Books() []Book { return s.books }

// Papers returns the paper list in file order.
func (s *Snapshot) Papers() []Paper { return s.papers }

// Tags returns every tag with its post count, most used first.
func (s *Snapshot) Tags() []Tag { return s.tags }

// Post returns the listed post with the given slug.
func (s *Snapshot) Post(slug string) (*Post, bool) {
	p, ok := s.bySlug[slug]
	return p, ok
}

// PostsTagged returns the listed posts carrying tag, newest first.
func (s *Snapshot) PostsTagged(tag string) []*Post { return s.byTag[tag] }

// Warnings returns every problem found while loading, errors and
// warnings, sorted by file then line: the snapshot serves the files with
// errors as well as it can (see Load).
func (s *Snapshot) Warnings() []Problem { return s.warnings }

// Revision names the source state this snapshot was built from.
func (s *Snapshot) Revision() string { return s.revision }

// Neighbours returns the posts before (newer) and after (older) slug in the
// listing, or nil at either end.
func (s *Snapshot) Neighbours(slug string) (newer, older *Post) {
	for i, p := range s.posts {
		if p.Slug != slug {
			continue
		}
		if i > 0 {
			newer = s.posts[i-1]
		}
		if i+1 < len(s.posts) {
			older = s.posts[i+1]
		}
		return newer, older
	}
	return nil, nil
}
