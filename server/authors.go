package server

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content/store"
)

// ParseAuthorKeys reads the author keys given on the command line or in
// the environment. Each value is either a literal public key in
// authorized_keys form ("ssh-ed25519 AAAA... comment"), or the path of a
// .pub or authorized_keys file, whose every non-blank, non-comment line
// must be a key. Errors name the value and, for files, the line.
func ParseAuthorKeys(values []string) ([]gossh.PublicKey, error) {
	var keys []gossh.PublicKey
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if looksLikeKey(v) {
			k, _, _, rest, err := gossh.ParseAuthorizedKey([]byte(v))
			if err != nil {
				return nil, fmt.Errorf("author key %q: %w", short(v), err)
			}
			if len(bytes.TrimSpace(rest)) > 0 {
				return nil, fmt.Errorf("author key %q: more than one key in one value", short(v))
			}
			keys = append(keys, k)
			continue
		}
		data, err := os.ReadFile(v)
		if err != nil {
			return nil, fmt.Errorf("author key file: %w", err)
		}
		entries, err := parseAuthorizedKeys(v, data)
		if err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			return nil, fmt.Errorf("author key file %s: no key in it", v)
		}
		for _, e := range entries {
			keys = append(keys, e.key)
		}
	}
	return keys, nil
}

// looksLikeKey reports whether v is a literal key rather than a path: it
// starts with a key type, such as "ssh-ed25519 " or "ecdsa-sha2-nistp256 ".
func looksLikeKey(v string) bool {
	typ, _, ok := strings.Cut(v, " ")
	if !ok {
		return false
	}
	return strings.HasPrefix(typ, "ssh-") || strings.HasPrefix(typ, "ecdsa-") ||
		strings.HasPrefix(typ, "sk-") || strings.HasSuffix(typ, "-cert-v01@openssh.com")
}

// short cuts a long value for an error message.
func short(v string) string {
	if len(v) > 40 {
		return v[:40] + "..."
	}
	return v
}

// authorizedKey is one line of an authorized_keys file.
type authorizedKey struct {
	key     gossh.PublicKey
	comment string
}

// parseAuthorizedKeys parses an authorized_keys file (or a .pub file, the
// same format), named name in errors. Blank lines and # comments are
// skipped; options before a key are allowed and ignored.
func parseAuthorizedKeys(name string, data []byte) ([]authorizedKey, error) {
	var keys []authorizedKey
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, comment, _, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a public key: %w", name, i+1, err)
		}
		keys = append(keys, authorizedKey{key: k, comment: comment})
	}
	return keys, nil
}

// Authors is the set of keys that may publish: the keys given at start-up
// and those in the authors file (authorized_keys format), which is read
// again whenever it changes. A broken authors file is logged and the last
// good set it gave is kept; a missing one gives no keys. Authors is safe for
// concurrent use; a nil *Authors has no keys.
type Authors struct {
	static map[string]bool // marshalled key → true
	file   string
	logger *slog.Logger

	mu       sync.Mutex
	stamp    fileStamp         // of the authors file when last read
	fromFile map[string]string // marshalled key → comment, from the file
	lastErr  string            // the last error reported about the file
}

// fileStamp identifies one version of a file cheaply: the file is read again when
// it changes.
type fileStamp struct {
	exists bool
	size   int64
	mtime  time.Time
}

// NewAuthors returns the authors: keys, plus the keys in file (say
// DATA/authors; "" for none). The file is read now and again on use when
// its size, modification time or inode changed.
func NewAuthors(keys []gossh.PublicKey, file string, logger *slog.Logger) *Authors {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a := &Authors{static: make(map[string]bool, len(keys)), file: file, logger: logger, fromFile: map[string]string{}}
	for _, k := range keys {
		a.static[string(k.Marshal())] = true
	}
	a.mu.Lock()
	a.refreshLocked()
	a.mu.Unlock()
	return a
}

// IsAuthor reports whether pk, the key a session authenticated with (nil
// for none), may publish.
func (a *Authors) IsAuthor(pk ssh.PublicKey) bool {
	_, ok := a.lookup(pk)
	return ok
}

// Count returns how many distinct keys may publish now.
func (a *Authors) Count() int {
	if a == nil {
		return 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	n := len(a.static)
	for k := range a.fromFile {
		if !a.static[k] {
			n++
		}
	}
	return n
}

// lookup reports whether pk may publish and, if so, who it is for the
// history: its fingerprint and its comment in the authors file, if any.
func (a *Authors) lookup(pk ssh.PublicKey) (store.Author, bool) {
	if a == nil || pk == nil {
		return store.Author{}, false
	}
	k := pk.Marshal()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refreshLocked()
	comment, inFile := a.fromFile[string(k)]
	if !inFile && !a.static[string(k)] {
		return store.Author{}, false
	}
	return store.Author{Fingerprint: gossh.FingerprintSHA256(pk), Comment: comment}, true
}

// refreshLocked reads the authors file again if it changed. a.mu is held.
func (a *Authors) refreshLocked() {
	if a.file == "" {
		return
	}
	st, err := statFile(a.file)
	if err == nil && st == a.stamp {
		return
	}
	if err == nil {
		a.stamp = st
		if !st.exists {
			if len(a.fromFile) > 0 {
				a.logger.Info("authors file removed: only the keys given at start-up may publish", "file", a.file)
			}
			a.fromFile = map[string]string{}
			return
		}
		var data []byte
		if data, err = os.ReadFile(a.file); err == nil {
			var entries []authorizedKey
			if entries, err = parseAuthorizedKeys(a.file, data); err == nil {
				keys := make(map[string]string, len(entries))
				for _, e := range entries {
					keys[string(e.key.Marshal())] = e.comment
				}
				a.fromFile, a.lastErr = keys, ""
				a.logger.Info("authors file read", "file", a.file, "keys", len(keys))
				return
			}
		}
	}
	// Reported once per version of the file: the stamp is kept, so the
	// same broken file is not read again on every use.
	if msg := err.Error(); msg != a.lastErr {
		a.lastErr = msg
		a.logger.Error("authors file is broken: keeping the last good set of keys", "file", a.file, "err", err)
	}
}

// statFile stamps the file at p; a missing file is a stamp too.
func statFile(p string) (fileStamp, error) {
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return fileStamp{}, nil
	}
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{exists: true, size: info.Size(), mtime: info.ModTime()}, nil
}
