package ui

import (
	"sync"

	"github.com/sshblog/sshblog/content"
)

// Cache holds what the UI works out from a blog's posts once for every
// session: the text the post list filters on, lower-cased (for the
// snapshot last asked about, and the one before while sessions move over
// after a publish), and the reading time of the posts opened. A server
// passes one Cache to every session (Options.Cache); it is safe for
// concurrent use. Each part is built on first use.
type Cache struct {
	mu         sync.Mutex
	snap, prev *content.Snapshot
	keys, old  *postKeys
	minutes    map[string]int // reading time by post version (Post.Hash)
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{minutes: make(map[string]int)} }

// postKeys returns the folded text of the posts of s, building it on first
// use. Building holds the lock: sessions filtering the same new snapshot
// wait for one build rather than each doing their own.
func (c *Cache) postKeys(s *content.Snapshot) *postKeys {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch s {
	case c.snap:
	case c.prev:
		c.snap, c.prev, c.keys, c.old = c.prev, c.snap, c.old, c.keys
	default:
		c.prev, c.old = c.snap, c.keys
		c.snap, c.keys = s, newPostKeys(s.Posts())
	}
	return c.keys
}

// maxMinutes bounds the reading times remembered; past it they are
// forgotten all at once, and worked out again as posts are opened.
const maxMinutes = 1 << 16

// readingMinutes is readingMinutes(p.Body), worked out once per version of
// the post: it reads the whole body, 5 ms for a 1 MiB post, which was most
// of the cost of opening one already rendered.
func (c *Cache) readingMinutes(p *content.Post) int {
	if p.Hash == "" {
		return readingMinutes(p.Body)
	}
	c.mu.Lock()
	n, ok := c.minutes[p.Hash]
	c.mu.Unlock()
	if ok {
		return n
	}
	n = readingMinutes(p.Body)
	c.mu.Lock()
	if len(c.minutes) >= maxMinutes {
		clear(c.minutes)
	}
	c.minutes[p.Hash] = n
	c.mu.Unlock()
	return n
}
