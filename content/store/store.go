// Package store keeps the blog's content in a git repository under the data
// directory and publishes changes to it, whichever way they arrive: files
// from scp or sftp (Store.Apply), a git push (ValidatePush in the
// repository's pre-receive hook, then Store.Refresh), or a rollback
// (Store.Rollback). It is transport-independent: transports move bytes and
// call it; it enforces the upload rules (package upload) and validates the
// whole blog (content.Load) before anything becomes visible.
//
// The model:
//
//   - The repository is bare, on branch main, driven with the git program
//     with a controlled environment (no user or system git configuration).
//     The store needs the program: without it Open fails with ErrNoGit,
//     and a server serves its seed read-only.
//   - The live blog is always the tree of one validated commit, the one main
//     points at. Main only ever moves to a validated commit, with a
//     compare-and-swap, so a server killed at any moment restarts on the last
//     good commit, and of two concurrent publishers one wins and the other
//     gets ErrConflict.
//   - Nothing is written to the repository before a change is validated;
//     rejected changes leave no trace.
//   - Every published commit is recorded in the history (refs under
//     refs/sshblog/published/, hidden from clients), which keeps it
//     reachable, so every published state stays recoverable even after a
//     force push; Rollback republishes one as a new commit.
//
// The store owns a content.Library and publishes every new snapshot to it in
// order; sessions subscribe to Store.Library().
package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload"
)

// MainRef is the branch readers see, the only one a push may update.
const MainRef = "refs/heads/main"

// tmpDirName is the store's scratch folder inside the repository: temporary
// index files and blob files. It is emptied whenever the store opens.
const tmpDirName = "sshblog-tmp"

// Options configure a Store. The zero value is usable.
type Options struct {
	// Limits bound uploads and pushes; zero fields take the defaults. Open
	// writes them into the repository's configuration, where the git hooks
	// (separate processes) read them.
	Limits upload.Limits
	// SeedName describes the seed in the first commit's message, e.g. "the
	// embedded sample" or "/home/me/blog".
	SeedName string
	// Git is the path of the git binary; "" looks "git" up in PATH. When it
	// is not found, Open fails with ErrNoGit.
	Git string
	// Logger receives notes about recovery and history; nil discards them.
	Logger *slog.Logger
}

// Author identifies the SSH key that made a change.
type Author struct {
	Fingerprint string // the key's SHA256 fingerprint, "SHA256:..."
	Comment     string // the key's comment in the authors file, if any
}

// String names the author for messages and history: "SHA256:... (comment)",
// or "an unknown key".
func (a Author) String() string {
	a.Fingerprint, a.Comment = oneLine(a.Fingerprint), oneLine(a.Comment)
	switch {
	case a.Fingerprint == "" && a.Comment == "":
		return "an unknown key"
	case a.Comment == "":
		return a.Fingerprint
	case a.Fingerprint == "":
		return a.Comment
	}
	return a.Fingerprint + " (" + a.Comment + ")"
}

// Store is the blog's git-backed content store. Its methods are safe for
// concurrent use; writers are serialised.
type Store struct {
	dir   string
	git   string // path of the git binary
	repo  *repo
	rules upload.Rules
	log   *slog.Logger
	lock  *os.File // holds the data directory's lock while open
	lib   *content.Library

	mu   sync.Mutex // serialises Apply, Rollback and Refresh
	cur  atomic.Pointer[state]
	docs *content.DocCache // the live state's parses, for the next load; under mu
}

// state is one published state: a commit, its files and its snapshot.
type state struct {
	commit string
	tree   *Tree
	snap   *content.Snapshot
}

// Open opens the blog repository at dir (say DATA/blog.git), creating it from
// seed on first start (the embedded sample, or a blog folder; a Jekyll site
// works as it is). The seed must pass the same validation as any publish.
// Folders that hold generated output or installed dependencies (.git,
// _site, .jekyll-cache, .sass-cache, node_modules, .bundle, vendor) are
// left out of the seed.
//
// Open recovers from a kill: it removes stale git lock and temporary files
// and loads main, which always points at a validated commit, recording it in
// the history if a crash kept that from happening. It holds a lock on dir
// (the file dir+".lock") until Close, so a second process cannot open the
// same store.
//
// Without the git binary Open fails with an error wrapping ErrNoGit. When
// main does not load (say a newer sshblog validates more strictly), the
// error is the *content.ValidationError.
func Open(ctx context.Context, dir string, seed fs.FS, opts Options) (*Store, error) {
	if err := opts.Limits.Validate(); err != nil {
		return nil, fmt.Errorf("open blog store: %w", err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	git, err := findGit(opts.Git)
	if err != nil {
		return nil, fmt.Errorf("open blog store: %w", err)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open blog store %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return nil, fmt.Errorf("open blog store %s: %w", dir, err)
	}
	lock, err := lockFile(dir + ".lock")
	if err != nil {
		return nil, fmt.Errorf("open blog store %s: %w", dir, err)
	}
	s := &Store{
		dir:   dir,
		git:   git,
		rules: upload.Rules{Limits: opts.Limits},
		log:   log,
		lock:  lock,
	}
	s.repo = s.repoAt(dir)
	if err := s.open(ctx, seed, opts); err != nil {
		unlockFile(lock)
		return nil, err
	}
	return s, nil
}

// open does Open's work once the lock is held.
func (s *Store) open(ctx context.Context, seed fs.FS, opts Options) error {
	leftovers, _ := filepath.Glob(s.dir + ".seeding-*")
	for _, l := range leftovers {
		s.log.Info("removing an interrupted seeding", "dir", l)
		if err := os.RemoveAll(l); err != nil {
			return fmt.Errorf("open blog store: %w", err)
		}
	}
	var seeded *state // the state create published, loaded already
	if _, err := os.Stat(s.dir); errors.Is(err, fs.ErrNotExist) {
		if seed == nil {
			return fmt.Errorf("open blog store %s: it does not exist and there is no seed", s.dir)
		}
		if seeded, err = s.create(ctx, seed, opts.SeedName); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("open blog store: %w", err)
	}
	if err := s.recover(); err != nil {
		return err
	}
	if err := s.configure(ctx); err != nil {
		return err
	}
	commit, err := s.repo.resolve(ctx, MainRef)
	if err != nil {
		return fmt.Errorf("open blog store %s: %w", s.dir, err)
	}
	if commit == "" {
		return fmt.Errorf("open blog store %s: the repository has no main branch", s.dir)
	}
	var st *state
	if seeded != nil && seeded.commit == commit {
		// The seed was validated and loaded as it was published.
		st = seeded
	} else if st, err = s.loadCached(ctx, commit, nil); err != nil {
		return fmt.Errorf("open blog store %s: load main %s: %w", s.dir, short(commit), err)
	}
	if err := s.ensureRecorded(ctx, st); err != nil {
		return err
	}
	s.cur.Store(st)
	s.writeProblems(st)
	s.lib = content.NewLibrary(st.snap)
	return nil
}

// repoAt returns a runner for the bare repository at dir.
func (s *Store) repoAt(dir string) *repo { return newRepo(s.git, dir, os.Environ(), false) }

// GitBinary returns the path of the git program the store uses, for the
// git transport to run git-upload-pack and git-receive-pack with.
func (s *Store) GitBinary() string { return s.git }

// Close ends the store's git reader and releases its lock. The repository
// stays as it is; a snapshot of the store can no longer read post bodies.
func (s *Store) Close() error {
	s.repo.close()
	return unlockFile(s.lock)
}

// Dir returns the absolute path of the bare repository, for the git
// transport (git-receive-pack and git-upload-pack run on it) and InstallHooks.
func (s *Store) Dir() string { return s.dir }

// Library returns the library that serves the live snapshot and tells
// subscribers about each new one. The store publishes every change to it,
// in order.
func (s *Store) Library() *content.Library { return s.lib }

// Snapshot returns the live snapshot; its Revision is main's commit.
func (s *Store) Snapshot() *content.Snapshot { return s.cur.Load().snap }

// Files returns the files of the live state, read-only, for transports that
// list and download (sftp ls and get, scp from the server). Its Revision is
// the snapshot's.
func (s *Store) Files() *Tree { return s.cur.Load().tree }

// Rules returns the upload rules the store enforces, for transports that
// check a file before receiving it (Rules.Target).
func (s *Store) Rules() upload.Rules { return s.rules }

// recover removes what a killed git or store process leaves behind: lock
// files (*.lock), temporary object and pack files,
// push quarantines, the temporary files of writeFileAtomic and the store's
// scratch folder. Open holds the data directory's lock, and no git
// process of the previous server can still be working on the repository.
func (s *Store) recover() error {
	if err := os.RemoveAll(filepath.Join(s.dir, tmpDirName)); err != nil {
		return fmt.Errorf("recover blog store: %w", err)
	}
	return filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("recover blog store: %w", err)
		}
		name := d.Name()
		stale := strings.HasSuffix(name, ".lock") && !d.IsDir() ||
			strings.HasPrefix(name, "tmp_obj_") || strings.HasPrefix(name, "tmp_pack_") ||
			strings.HasPrefix(name, "tmp_idx_") || strings.HasPrefix(name, "tmp_objdir-incoming-") ||
			strings.HasPrefix(name, "incoming-") && d.IsDir() && filepath.Base(filepath.Dir(p)) == "objects" ||
			strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-") && !d.IsDir()
		if !stale {
			return nil
		}
		s.log.Info("removing a file left by an interrupted git command", "path", p)
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("recover blog store: %w", err)
		}
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
}

// limitKeys name the limits in the repository's configuration, where the
// hooks read them.
const (
	keyTextFile = "sshblog.textfilelimit"
	keyImage    = "sshblog.imagelimit"
	keyBlog     = "sshblog.bloglimit"
)

// configure sets the repository configuration the store relies on.
func (s *Store) configure(ctx context.Context) error {
	lim := s.rules.Limits
	d := upload.DefaultLimits()
	settings := [][2]string{
		{"core.logAllRefUpdates", "true"}, // a reflog for main: one more trail
		{"core.fsync", "committed"},       // objects and refs survive a power cut
		{"receive.denyDeletes", "true"},   // nobody deletes main
		{"receive.fsckObjects", "true"},   // malformed objects are refused at the door
		{"transfer.hideRefs", "refs/sshblog"},
		{keyTextFile, strconv.FormatInt(cmp0(lim.TextFile, d.TextFile), 10)},
		{keyImage, strconv.FormatInt(cmp0(lim.Image, d.Image), 10)},
		{keyBlog, strconv.FormatInt(cmp0(lim.Blog, d.Blog), 10)},
	}
	if err := s.repo.setConfig(ctx, settings); err != nil {
		return fmt.Errorf("configure blog store: %w", err)
	}
	return s.refusePushes(ctx)
}

// refusePushes installs a pre-receive hook that refuses every push, until
// InstallHooks replaces it with the validating one. A server that never
// sets git publishing up then refuses pushes instead of taking them
// unchecked.
func (s *Store) refusePushes(ctx context.Context) error {
	dir := filepath.Join(s.repo.gitDir(), "hooks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("configure blog store: %w", err)
	}
	script := "#!/bin/sh\n" +
		"# Written by sshblog when it opens the blog; replaced by the validating hook\n" +
		"# once git publishing is set up (InstallHooks).\n" +
		"echo 'sshblog: publishing by git push is not set up on this server' >&2\n" +
		"exit 1\n"
	if err := writeFileAtomic(filepath.Join(dir, "pre-receive"), []byte(script), 0o755); err != nil {
		return fmt.Errorf("configure blog store: %w", err)
	}
	if err := os.Remove(filepath.Join(dir, "post-receive")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("configure blog store: %w", err)
	}
	if err := s.repo.setConfig(ctx, [][2]string{{"core.hooksPath", dir}}); err != nil {
		return fmt.Errorf("configure blog store: %w", err)
	}
	return nil
}

func cmp0(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}

// skippedSeedDirs hold generated output or installed dependencies, never
// content: a Jekyll site's .gitignore excludes them, and they would only
// blow the size limits.
var skippedSeedDirs = map[string]bool{
	"_site": true, ".jekyll-cache": true, ".sass-cache": true,
	"node_modules": true, ".bundle": true, "vendor": true,
}

// create makes the repository from seed. It builds it in a scratch folder
// next to dir and renames it into place only when it is complete, so a kill
// leaves either nothing or a whole repository. It returns the state it
// published, its snapshot loaded.
func (s *Store) create(ctx context.Context, seed fs.FS, seedName string) (*state, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(s.dir), filepath.Base(s.dir)+".seeding-")
	if err != nil {
		return nil, fmt.Errorf("create blog store: %w", err)
	}
	defer os.RemoveAll(tmp)
	// The seeding store works on the scratch repository; it is never shared.
	seeder := &Store{dir: tmp, git: s.git, repo: s.repoAt(tmp), rules: s.rules, log: s.log}
	if err := seeder.repo.initBare(ctx); err != nil {
		return nil, fmt.Errorf("create blog store: %w", err)
	}
	if err := seeder.configure(ctx); err != nil {
		return nil, err
	}
	files, err := readSeed(seed)
	if err != nil {
		return nil, fmt.Errorf("create blog store: read the seed: %w", err)
	}
	if seedName == "" {
		seedName = "the seed"
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("create blog store: %s holds no files", seedName)
	}
	empty := &state{tree: newTree(nil, "", time.Time{}, map[string]*blob{})}
	msg := "Seed the blog from " + oneLine(seedName)
	res, err := seeder.publish(ctx, empty, files, msg, "seed", Author{}, judgeSeed)
	if err != nil {
		var ve *content.ValidationError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("create blog store: the seed %s is not a valid blog:\n%w", seedName, err)
		}
		return nil, fmt.Errorf("create blog store: %w", err)
	}
	if err := os.RemoveAll(filepath.Join(tmp, tmpDirName)); err != nil {
		return nil, fmt.Errorf("create blog store: %w", err)
	}
	if err := os.Rename(tmp, s.dir); err != nil {
		return nil, fmt.Errorf("create blog store: %w", err)
	}
	s.log.Info("created the blog repository", "dir", s.dir, "seed", seedName)
	// The upload rules' warnings (an image whose extension lies); what
	// content.Load found is the snapshot's, which the server logs.
	loaded := upload.ProblemSet(res.Snapshot.Warnings())
	for _, w := range res.Warnings {
		if !loaded(w) {
			s.log.Warn("seed", "problem", w.String())
		}
	}
	// The seeded snapshot reads its posts' bodies through its tree, which
	// must read from the repository where it now is. Nothing shares the
	// state yet.
	seeded := seeder.cur.Load()
	seeded.tree.repo = s.repo
	s.docs = seeder.docs
	return seeded, nil
}

// readSeed reads every file of seed, leaving out skippedSeedDirs and .git.
// Symbolic links and other special files are kept as such, for the upload
// rules to refuse by name.
func readSeed(seed fs.FS) (map[string]*blob, error) {
	files := make(map[string]*blob)
	err := fs.WalkDir(seed, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || p == d.Name() && skippedSeedDirs[p] {
				return fs.SkipDir
			}
			return nil
		}
		switch t := d.Type(); {
		case t&fs.ModeSymlink != 0:
			files[p] = &blob{mode: modeSymlink}
			return nil
		case !t.IsRegular():
			files[p] = &blob{mode: modeSubmodule} // any special file: refused as irregular
			return nil
		}
		data, err := fs.ReadFile(seed, p)
		if err != nil {
			return err
		}
		mode := uint32(modeFile)
		if info, err := d.Info(); err == nil && info.Mode()&0o111 != 0 {
			mode = modeExecutable
		}
		files[p] = &blob{mode: mode, size: int64(len(data)), data: data}
		return nil
	})
	return files, err
}

// loadCached reads commit's files and loads its snapshot, at Open and
// after a push. The posts and pages the parse cache (readDocCache) knows
// are neither read from git nor parsed again, which is most of a restart's
// work (a 7,000-post blog: 1.5 s reading its 78 MB of posts and 1 s
// parsing them on a loaded 2-core machine). The cache is written again
// when it missed any. Blobs of prev (the previous state) are reused.
func (s *Store) loadCached(ctx context.Context, commit string, prev *state) (*state, error) {
	old := s.docs
	if old == nil {
		old = s.readDocCache()
	}
	tree, err := readTree(ctx, s.repo, commit, prev, old)
	if err != nil {
		return nil, err
	}
	known := 0
	if old != nil {
		known = old.Len()
	}
	snap, fresh, err := content.LoadCached(tree, commit, old)
	st, err := s.finishState(commit, tree, snap, err)
	if st != nil {
		s.docs = fresh
		if old == nil || fresh.Parsed() > 0 || fresh.Len() != known {
			s.writeDocCache(fresh)
		}
	}
	return st, err
}

// finishState makes the state of a loaded tree, its contents dropped.
func (s *Store) finishState(commit string, tree *Tree, snap *content.Snapshot, err error) (*state, error) {
	if snap == nil {
		return nil, err
	}
	dropContents(tree.files)
	// Problems a snapshot holds were published (Load serves each file as
	// well as it can); they are its Warnings.
	return &state{commit: commit, tree: tree, snap: snap}, nil
}

// readTree reads the files of commit as a Tree, holding the text the blog
// reads in memory, but the posts and pages cached knows (nil: none), which
// are not read. Blobs of prev's tree are reused.
func readTree(ctx context.Context, r *repo, commit string, prev *state, cached *content.DocCache) (*Tree, error) {
	entries, err := r.lsTree(ctx, commit)
	if err != nil {
		return nil, err
	}
	_, when, err := r.commitInfo(ctx, commit)
	if err != nil {
		return nil, err
	}
	// Blobs are immutable: the previous state's are reused by id, with the
	// contents and image heads they hold.
	known := make(map[string]*blob)
	if prev != nil {
		for _, b := range prev.tree.files {
			if b.oid != "" {
				known[b.oid] = b
			}
		}
	}
	files := make(map[string]*blob, len(entries))
	var need []string
	var fresh []*blob // text blobs made here, to be filled; known ones are never changed
	for _, e := range entries {
		b := &blob{mode: e.mode, oid: e.oid, size: e.size}
		switch k := known[e.oid]; {
		case k != nil && k.mode == e.mode && (k.data != nil || !upload.IsText(e.path)):
			b = k
		case (e.mode == modeFile || e.mode == modeExecutable) && upload.IsText(e.path) &&
			(cached == nil || !cached.Has(e.path, e.oid)):
			need = append(need, e.oid)
			fresh = append(fresh, b)
		}
		files[e.path] = b
	}
	datas, err := r.readBlobs(ctx, need)
	if err != nil {
		return nil, err
	}
	for _, b := range fresh {
		b.data = datas[b.oid]
	}
	return newTree(r, commit, when, files), nil
}

// short abbreviates a commit id for people.
func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// oneLine makes s safe as one line of a message or history record: control
// characters become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return ' '
		}
		return r
	}, s)
}

// parentDirs returns the folders p is in, innermost first ("a/b/c" gives
// "a/b", "a").
func parentDirs(p string) []string {
	var dirs []string
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		dirs = append(dirs, d)
	}
	return dirs
}
