//go:build !unix

package store

import "os"

// lockFile opens (creating) the file at p. Without flock the store cannot
// tell whether another process uses the repository; run one server per
// data directory.
func lockFile(p string) (*os.File, error) {
	return os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
}

// unlockFile closes f.
func unlockFile(f *os.File) error { return f.Close() }
