package ui

import (
	"sync"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/theme"
)

// Cache holds what the UI works out from a blog's posts once for every
// session: the text the post list filters on, lower-cased (for the
// snapshot last asked about, and the one before while sessions move over
// after a publish); the reading time of the posts opened; and the
// renderings read, split into lines and indexed for search. A server passes
// one Cache to every session (Options.Cache); it is safe for concurrent
// use. Each part is built on first use.
type Cache struct {
	mu         sync.Mutex
	snap, prev *content.Snapshot
	keys, old  *keysOnce
	minutes    map[string]int // reading time by post version (Post.Hash)
	texts      map[textKey]*text
	textBytes  int // the texts' size()s
}

// keysOnce is the postKeys of one snapshot, built once.
type keysOnce struct {
	once sync.Once
	keys *postKeys
}

// textKey names a rendering by what the Renderer renders from: its output
// for the same site, post version, width and theme is the same, as long as
// what the post's body reads besides the post (includes, the config, other
// posts' addresses: Snapshot.BodyVersion) is. The version is the post's
// Hash, not its pointer, so that a kept rendering does not keep its post,
// and serves the same post in the next snapshot.
type textKey struct {
	site  content.Site
	body  string
	hash  string
	width int
	theme theme.Theme
}

// textKeyOf names the rendering k of a post read in snapshot s; ok is false
// for a post without a Hash, whose renderings are not kept.
func textKeyOf(s *content.Snapshot, k renderKey) (key textKey, ok bool) {
	if k.post.Hash == "" {
		return textKey{}, false
	}
	return textKey{site: s.Site(), body: s.BodyVersion(), hash: k.post.Hash, width: k.width, theme: k.theme}, true
}

// NewCache returns an empty Cache.
func NewCache() *Cache {
	return &Cache{minutes: make(map[string]int), texts: make(map[textKey]*text)}
}

// postKeys returns the folded text of the posts of s, building it on first
// use: sessions filtering the same new snapshot wait for one build rather
// than each doing their own, and the rest of the Cache serves others
// meanwhile.
func (c *Cache) postKeys(s *content.Snapshot) *postKeys {
	c.mu.Lock()
	switch s {
	case c.snap:
	case c.prev:
		c.snap, c.prev, c.keys, c.old = c.prev, c.snap, c.old, c.keys
	default:
		c.prev, c.old = c.snap, c.keys
		c.snap, c.keys = s, &keysOnce{}
	}
	k := c.keys
	c.mu.Unlock()
	k.once.Do(func() { k.keys = newPostKeys(s.Posts()) })
	return k.keys
}

// maxTextBytes bounds the renderings kept; past it they are forgotten all
// at once (sessions reading one keep it), and split again as they are
// opened. Shared, a 1 MiB post's lines (28,000 of them) and search index
// are held once instead of 0.5 MB and 1.9 MB per session reading and
// searching it, and opening it again does not split it again.
const maxTextBytes = 32 << 20

// text returns the rendering named k, or nil.
func (c *Cache) text(k textKey) *text {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.texts[k]
}

// addText keeps t as the rendering named k.
func (c *Cache) addText(k textKey, t *text) {
	n := t.size()
	if n > maxTextBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.texts[k]; ok {
		c.textBytes -= old.size()
	}
	if c.textBytes+n > maxTextBytes {
		clear(c.texts)
		c.textBytes = 0
	}
	c.texts[k] = t
	c.textBytes += n
}

// maxMinutes bounds the reading times remembered; past it they are
// forgotten all at once, and worked out again as posts are opened.
const maxMinutes = 1 << 16

// readingMinutes is readingMinutes(p.Markdown()), worked out once per version of
// the post: it reads the whole body, 5 ms for a 1 MiB post, which was most
// of the cost of opening one already rendered.
func (c *Cache) readingMinutes(p *content.Post) int {
	if p.Hash == "" {
		return readingMinutes(p.Markdown())
	}
	c.mu.Lock()
	n, ok := c.minutes[p.Hash]
	c.mu.Unlock()
	if ok {
		return n
	}
	n = readingMinutes(p.Markdown())
	c.mu.Lock()
	if len(c.minutes) >= maxMinutes {
		clear(c.minutes)
	}
	c.minutes[p.Hash] = n
	c.mu.Unlock()
	return n
}
