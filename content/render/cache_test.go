package render

import (
	"strings"
	"testing"
)

func TestLRU(t *testing.T) {
	val := strings.Repeat("x", 100)
	one := entryCost("a", val)
	c := newLRU(3 * one)
	c.add("a", val)
	c.add("b", val)
	c.add("c", val)
	if _, ok := c.get("a"); !ok { // a is now the most recently used
		t.Fatal("a missing")
	}
	c.add("d", val) // evicts b, the least recently used
	if _, ok := c.get("b"); ok {
		t.Error("b not evicted")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	if c.size > c.max || len(c.items) != 3 {
		t.Errorf("size %d of %d with %d entries", c.size, c.max, len(c.items))
	}
	c.add("a", val+val) // replacing grows a: something else must go
	if c.size > c.max {
		t.Errorf("size %d exceeds %d", c.size, c.max)
	}
	if v, ok := c.get("a"); !ok || v != val+val {
		t.Error("a not replaced")
	}
	c.add("huge", strings.Repeat("x", 4*one)) // larger than the cache: not kept
	if _, ok := c.get("huge"); ok || c.size > c.max {
		t.Error("an entry larger than the cache was kept")
	}
}
