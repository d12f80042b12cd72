package content

import (
	"sort"
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

// Warnings returns the non-fatal problems found while loading.
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
