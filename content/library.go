package content

import (
	"sync"
	"sync/atomic"
)

// Library holds the live snapshot of a blog and tells subscribers when a new
// one is published. It is safe for concurrent use.
type Library struct {
	current atomic.Pointer[Snapshot]

	mu   sync.Mutex
	subs map[int]chan *Snapshot
	next int
}

// NewLibrary returns a library serving s.
func NewLibrary(s *Snapshot) *Library {
	l := &Library{subs: make(map[int]chan *Snapshot)}
	l.current.Store(s)
	return l
}

// Snapshot returns the live snapshot.
func (l *Library) Snapshot() *Snapshot { return l.current.Load() }

// Publish makes s the live snapshot and notifies every subscriber. A
// subscriber that has not consumed the previous notice only gets the newest.
func (l *Library) Publish(s *Snapshot) {
	l.current.Store(s)
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ch := range l.subs {
		select {
		case <-ch: // drop a stale, unread snapshot
		default:
		}
		ch <- s
	}
}

// Subscribe returns a channel that receives each newly published snapshot,
// and a function that ends the subscription.
func (l *Library) Subscribe() (<-chan *Snapshot, func()) {
	ch := make(chan *Snapshot, 1)
	l.mu.Lock()
	id := l.next
	l.next++
	l.subs[id] = ch
	l.mu.Unlock()
	return ch, func() {
		l.mu.Lock()
		delete(l.subs, id)
		l.mu.Unlock()
	}
}
