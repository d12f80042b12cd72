package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/sshblog/sshblog/content"
)

// watchDebounce is how long a folder must stay quiet after a change before
// it is reloaded: an editor's save, a git checkout or a copy of many files
// arrive as bursts of events, and one reload should follow each burst.
const watchDebounce = 150 * time.Millisecond

// folderWatcher serves a blog folder while the author writes it (serve
// --content DIR --watch): when a file of the blog changes it reloads the
// whole folder and publishes the new snapshot to the library, so open
// sessions update. A folder that no longer loads is reported in the log,
// one line per problem (file:line: message), and the last good version
// stays live.
//
// It watches with fsnotify, which watches single folders, not trees: every
// folder of the blog is added, and a folder created later is added when it
// appears.
type folderWatcher struct {
	dir string
	lib *content.Library
	log *slog.Logger
	w   *fsnotify.Watcher

	// Used by run's goroutine only, after watchFolder returns.
	folders map[string]bool   // the folders watched, so their removal is noticed
	live    [sha256.Size]byte // digest of the blog's files in the live snapshot
}

// watchFolder starts watching the blog folder dir, whose current snapshot
// lib serves. Call run to handle changes.
func watchFolder(dir string, lib *content.Library, logger *slog.Logger) (*folderWatcher, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	fw := &folderWatcher{dir: abs, lib: lib, log: logger, w: w, folders: map[string]bool{}}
	if err := fw.addTree(abs); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	// lib was loaded from the folder just before; a change in between is
	// caught by the first reload, whose digest differs.
	fw.live, _ = blogDigest(os.DirFS(abs))
	return fw, nil
}

// addTree watches root and every folder below it that can hold the blog's
// files: hidden folders and those never published (notPublished) are
// skipped, as the blog skips them.
func (fw *folderWatcher) addTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p != root && errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we looked
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != root && fw.skipped(d.Name()) {
			return filepath.SkipDir
		}
		if err := fw.w.Add(p); err != nil {
			return err
		}
		fw.folders[p] = true
		return nil
	})
}

// skipped reports whether a folder named name is left out of the blog.
func (fw *folderWatcher) skipped(name string) bool {
	return strings.HasPrefix(name, ".") || notPublished[name]
}

// run reloads the folder after each burst of changes until ctx is done,
// then stops watching.
func (fw *folderWatcher) run(ctx context.Context) {
	defer fw.w.Close()
	timer := time.NewTimer(watchDebounce)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case ev, ok := <-fw.w.Events:
			if !ok {
				return
			}
			if fw.handle(ev) {
				timer.Reset(watchDebounce)
			}
		case err, ok := <-fw.w.Errors:
			if !ok {
				return
			}
			// An overflow loses events: reload to be sure.
			fw.log.Warn("watching the content folder", "dir", fw.dir, "err", err)
			timer.Reset(watchDebounce)
		case <-timer.C:
			fw.reload()
		}
	}
}

// handle watches a new folder and reports whether ev may change the blog:
// a change to one of its files (a post, a YAML file, an image) or a folder
// appearing, going or moving.
func (fw *folderWatcher) handle(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false // permissions; a removal follows with its own event
	}
	rel, err := filepath.Rel(fw.dir, ev.Name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, el := range strings.Split(rel, "/") {
		if fw.skipped(el) {
			return false
		}
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			// Files may have landed in it before the watch was added;
			// the reload that follows reads them all the same.
			if err := fw.addTree(ev.Name); err != nil {
				fw.log.Warn("watching the content folder", "dir", ev.Name, "err", err)
			}
			return true
		}
	}
	if content.Classify(rel) != content.FileIgnored {
		return true
	}
	if (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) && fw.folders[ev.Name] {
		// A folder removed or moved away: its posts went with it. (A
		// folder moved in arrives as Create.)
		delete(fw.folders, ev.Name)
		_ = fw.w.Remove(ev.Name) // gone already when it was removed
		return true
	}
	return false
}

// reload loads the folder and publishes it, or logs why it cannot and
// keeps the live snapshot.
func (fw *folderWatcher) reload() {
	fsys := os.DirFS(fw.dir)
	digest, err := blogDigest(fsys)
	if err == nil && digest == fw.live {
		return // saved as it was, or put back as it is live: nothing to publish
	}
	snap, err := content.Load(fsys, "")
	var ve *content.ValidationError
	switch {
	case errors.As(err, &ve):
		fw.log.Error("content not reloaded: still serving the last good version; fix these and save", "dir", fw.dir, "errors", content.ErrorCount(ve.Problems))
		for _, p := range ve.Problems {
			if !p.Warning {
				fw.log.Error("content", "problem", p.String())
			}
		}
		return
	case err != nil:
		fw.log.Error("content not reloaded: still serving the last good version", "dir", fw.dir, "err", err)
		return
	}
	fw.lib.Publish(snap)
	fw.live = digest
	fw.log.Info("content reloaded", "dir", fw.dir, "posts", len(snap.Posts()), "books", len(snap.Books()),
		"papers", len(snap.Papers()), "warnings", len(snap.Warnings()))
}

// blogDigest hashes the names and contents of the files the blog reads
// (content.Classify), so a reload can tell whether anything changed.
func blogDigest(fsys fs.FS) ([sha256.Size]byte, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p != "." && d.IsDir() && strings.HasPrefix(d.Name(), "."):
			return fs.SkipDir
		case d.IsDir() || content.Classify(p) == content.FileIgnored:
			return nil
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\x00%s\x00", p, d.Type())
		_, err = io.Copy(h, f)
		return err
	})
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum, err
}
