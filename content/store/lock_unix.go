//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile opens (creating) the file at p and takes an exclusive flock on
// it, failing at once if another process holds it. The kernel releases the
// lock when the process dies, so a killed server never leaves it stale.
func lockFile(p string) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another sshblog process is using it (%s is locked)", p)
		}
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	return f, nil
}

// unlockFile releases the lock and closes f. It unlocks explicitly rather
// than relying on the close: a child process forked at that moment (the
// store runs git) shares the open file, and the lock would live on until
// that child execs, so an Open right after a Close could find it held.
func unlockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
