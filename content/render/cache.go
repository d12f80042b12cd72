package render

import "container/list"

// lru is a least-recently-used cache of rendered output, bounded by the bytes
// it holds. It is not safe for concurrent use; Renderer guards it.
//
// Hand-written rather than imported: the LRU caches in the module graph
// (hashicorp/golang-lru/v2, groupcache/lru) bound the number of entries, not
// their size, and a rendered post weighs anything from a kilobyte to
// megabytes, so a count says nothing about memory.
type lru struct {
	max   int // bytes
	size  int // bytes held
	order *list.List
	items map[string]*list.Element
}

type lruEntry struct {
	key, val string
}

// entryOverhead approximates the bookkeeping bytes of one entry (list
// element, map slot, string headers), so that many tiny entries are bounded
// too.
const entryOverhead = 128

func newLRU(maxBytes int) *lru {
	return &lru{max: maxBytes, order: list.New(), items: make(map[string]*list.Element)}
}

func entryCost(key, val string) int { return len(key) + len(val) + entryOverhead }

// get returns the value cached under key and marks it recently used.
func (c *lru) get(key string) (string, bool) {
	e, ok := c.items[key]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry).val, true
}

// add caches val under key, evicting the least recently used entries until
// the cache fits its bound. A value that alone exceeds the bound is not kept.
func (c *lru) add(key, val string) {
	if e, ok := c.items[key]; ok {
		c.remove(e)
	}
	cost := entryCost(key, val)
	if cost > c.max {
		return
	}
	c.items[key] = c.order.PushFront(&lruEntry{key: key, val: val})
	c.size += cost
	for c.size > c.max {
		c.remove(c.order.Back())
	}
}

func (c *lru) remove(e *list.Element) {
	ent := c.order.Remove(e).(*lruEntry)
	delete(c.items, ent.key)
	c.size -= entryCost(ent.key, ent.val)
}
