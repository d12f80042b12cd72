package content

import (
	"encoding/gob"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"sync/atomic"
)

// FileIDer is an fs.FS that names each file's contents: two files with
// the same ID hold the same bytes, as a git blob id does. LoadCached
// reuses a post's parse by its path and ID without reading the file.
type FileIDer interface {
	fs.FS
	// FileID returns the ID of the named file's contents, or false when
	// it has none (yet).
	FileID(name string) (string, bool)
}

// DocCache holds what parsing each post and page file gave, by the file's
// path and contents ID (FileIDer), so that loading a blog again (a
// server's restart) neither reads nor parses the files it already knows.
// It can be written and read back (WriteTo, ReadDocCache). It is safe for
// concurrent use.
type DocCache struct {
	mu     sync.Mutex
	docs   map[docKey]*docRecord
	parsed atomic.Int64 // files LoadCached parsed rather than took from the old cache
}

type docKey struct{ path, id string }

// docRecord is one file's parse, in a form gob can write: the post's
// exported fields and, apart, the unexported ones parseDoc sets.
type docRecord struct {
	Path, ID string
	Post     *Post // nil: the file is no post or page
	Front    frontRecord
	Lead     string
	Problems []Problem
	Unused   []string
	slug     string // the Post's Slug as parsed
}

type frontRecord struct {
	Format   string
	Text     []byte
	FoldCase bool
}

// NewDocCache returns an empty cache.
func NewDocCache() *DocCache { return &DocCache{docs: map[docKey]*docRecord{}} }

// Len returns how many files the cache knows.
func (c *DocCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.docs)
}

// Parsed returns how many of its files the load that made the cache
// (LoadCached) parsed, rather than took from the cache it was given.
func (c *DocCache) Parsed() int { return int(c.parsed.Load()) }

// Has reports whether the cache knows the file at path with contents id;
// a nil cache knows none.
func (c *DocCache) Has(path, id string) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.docs[docKey{path, id}] != nil
}

// take returns a copy of the cached post of path with contents id (nil
// for a file that is no post or page) and its problems and unused keys.
// The cache is not changed: the copy is the loaded post, with its Slug as
// parsed, whether the record came from a file or shares a live post.
func (c *DocCache) take(path, id string) (*docRecord, *Post, bool) {
	c.mu.Lock()
	r := c.docs[docKey{path, id}]
	c.mu.Unlock()
	if r == nil {
		return nil, nil, false
	}
	if r.Post == nil {
		return r, nil, true
	}
	p := *r.Post
	p.Slug = r.slug
	p.front = frontMatterSource{format: r.Front.Format, text: r.Front.Text, foldCase: r.Front.FoldCase}
	p.lead = r.Lead
	p.src = bodySource{}
	return r, &p, true
}

// put records a parse. The post is shared with the load, not copied: its
// Slug, the one field Load changes (a duplicate's), is kept apart as
// parsed, and written and taken in its place.
func (c *DocCache) put(path, id string, p *Post, problems []Problem, unused []string) {
	r := &docRecord{Path: path, ID: id, Post: p, Problems: problems, Unused: unused}
	if p != nil {
		r.Front = frontRecord{Format: p.front.format, Text: p.front.text, FoldCase: p.front.foldCase}
		r.Lead = p.lead
		r.slug = p.Slug
	}
	c.mu.Lock()
	c.docs[docKey{path, id}] = r
	c.mu.Unlock()
}

// WriteTo writes the cache with gob, marked with version (say, the
// program's build): ReadDocCache of another version gives nothing back.
func (c *DocCache) WriteTo(w io.Writer, version string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	enc := gob.NewEncoder(w)
	if err := enc.Encode(docCacheHeader{Version: version, Count: len(c.docs)}); err != nil {
		return fmt.Errorf("write the parse cache: %w", err)
	}
	for _, r := range c.docs {
		out := *r
		if r.Post != nil {
			p := *r.Post
			p.Slug = r.slug
			out.Post = &p
		}
		if err := enc.Encode(&out); err != nil {
			return fmt.Errorf("write the parse cache: %w", err)
		}
	}
	return nil
}

// docCacheHeader starts what WriteTo writes; Count records follow.
type docCacheHeader struct {
	Version string
	Count   int
}

// ReadDocCache reads a cache WriteTo wrote with version. A cache of
// another version is an error: a different build may parse differently.
func ReadDocCache(r io.Reader, version string) (*DocCache, error) {
	dec := gob.NewDecoder(r)
	var h docCacheHeader
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("read the parse cache: %w", err)
	}
	if h.Version != version {
		return nil, fmt.Errorf("read the parse cache: made by %q, not %q", h.Version, version)
	}
	c := NewDocCache()
	for range h.Count {
		d := new(docRecord)
		if err := dec.Decode(d); err != nil {
			return nil, fmt.Errorf("read the parse cache: %w", err)
		}
		if d.Post != nil {
			d.slug = d.Post.Slug
		}
		c.docs[docKey{d.Path, d.ID}] = d
	}
	return c, nil
}

// LoadCached is Load, reusing the parses old holds for the posts and pages
// of fsys (a FileIDer; any other fs.FS loads as with Load), and returns
// with the snapshot a cache of this blog's posts and pages, for the next
// load. old may be nil; it is not changed. The returned cache shares the
// snapshot's posts, which it never changes (its WriteTo reads them).
func LoadCached(fsys fs.FS, revision string, old *DocCache) (*Snapshot, *DocCache, error) {
	fresh := NewDocCache()
	s, err := loadSnapshot(fsys, revision, &docCaches{old: old, fresh: fresh})
	return s, fresh, err
}

// docCaches are the caches a load reads from and records into.
type docCaches struct {
	old, fresh *DocCache
}
