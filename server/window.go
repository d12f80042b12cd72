package server

import (
	"sync"

	"charm.land/ssh"
)

// The largest terminal a client may claim, in cells. A PTY request or a
// window change carries any uint32 the client likes, and the UI lays out and
// keeps a frame of the whole window. Before package paint drew the UI,
// Bubble Tea's renderer allocated two cell buffers of the window (about 112
// bytes a cell each): a claimed 0xffffffff x 0xffffffff, or even
// 10000x10000, made the server run out of memory and die with every
// reader's session. Any code that sizes memory by the window needs this
// bound. 500x250 is larger than any real terminal (a 4K screen with a small
// font is about 400x110).
const (
	maxWindowWidth  = 500
	maxWindowHeight = 250
)

// boundWindows hands the rest of the chain a session whose PTY size and
// window changes are clamped to maxWindowWidth x maxWindowHeight, so no
// client can make the terminal UI allocate more than that. It runs for
// interactive sessions only, right before the terminal UI.
func boundWindows(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		pty, changes, ok := sess.Pty()
		if !ok {
			next(sess)
			return
		}
		pty.Window = clampWindow(pty.Window)
		windows := make(chan ssh.Window, 1)
		b := &boundedSession{Session: sess, pty: pty, windows: windows}
		go b.forward(changes, windows)
		next(b)
	}
}

// boundedSession is a session whose PTY reports a clamped window size.
type boundedSession struct {
	ssh.Session
	windows <-chan ssh.Window

	mu  sync.Mutex
	pty ssh.Pty // with the latest clamped window
}

// Pty returns the session's PTY with the latest window size, clamped, and
// the clamped window changes.
func (b *boundedSession) Pty() (ssh.Pty, <-chan ssh.Window, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.pty, b.windows, true
}

// forward passes each window change on, clamped, until the session ends.
// It keeps reading changes after the session's context is done (and drops
// them), so the session's request loop never blocks on them; the changes
// channel is closed when that loop ends, which ends this goroutine.
func (b *boundedSession) forward(changes <-chan ssh.Window, windows chan<- ssh.Window) {
	defer close(windows)
	done := b.Context().Done()
	for w := range changes {
		w = clampWindow(w)
		b.mu.Lock()
		b.pty.Window = w
		b.mu.Unlock()
		select {
		case windows <- w:
		case <-done:
		}
	}
}

// clampWindow bounds w's size in cells to 0..maxWindowWidth and
// 0..maxWindowHeight (on 32-bit platforms a huge uint32 arrives negative).
func clampWindow(w ssh.Window) ssh.Window {
	w.Width = min(max(w.Width, 0), maxWindowWidth)
	w.Height = min(max(w.Height, 0), maxWindowHeight)
	return w
}
