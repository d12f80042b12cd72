package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	formatconfig "github.com/go-git/go-git/v5/plumbing/format/config"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// builtinRepo is a repo in pure Go, on go-git, for machines without the
// git program. go-git reads and writes the objects in git's own formats,
// loose or packed, and reads refs loose or packed, so a repository moves
// freely between this and the git program.
//
// Three things go-git does in a way that would break the store's
// guarantees are done here instead, the way git does them:
//
//   - Ref updates. go-git's CheckAndSetReference rewrites the ref file in
//     place (truncate, then write) under an flock: a kill in between leaves
//     main empty, and git's own writers, which take ref.lock, are not
//     excluded. updateRef follows git's lock file protocol: create ref.lock
//     exclusively, compare, write, fsync, rename over the ref.
//   - Durability. go-git never fsyncs. Every object the store writes is
//     synced before a ref can point at it, as git does with
//     core.fsync=committed (which Open sets).
//   - Configuration. go-git rewrites the config file in place; setConfig
//     writes a new file and renames it, and only when a value changed.
type builtinRepo struct {
	dir string
	mu  sync.Mutex // go-git's storage is not safe for concurrent use
	st  *filesystem.Storage
	// known holds objects seen to exist, so writing a tree checks each of
	// a 1,000-post blog's blobs once, not at every publish. A tree being
	// written holds blobs of published trees, which never go (the history
	// keeps them reachable), and blobs store just wrote or found; store
	// itself never trusts known, since an object written for a publish that
	// lost its race is unreachable and git gc may prune it.
	known map[plumbing.Hash]bool
}

// builtinCacheSize bounds the objects go-git keeps decoded in memory. The
// store holds the blog's text itself; this only spares re-reading trees.
const builtinCacheSize = 8 * cache.MiByte

// newBuiltinRepo returns a repo for the bare repository at dir (absolute),
// which need not exist yet (see initBare).
func newBuiltinRepo(dir string) *builtinRepo {
	fsys := osfs.New(dir, osfs.WithBoundOS())
	return &builtinRepo{
		dir:   dir,
		st:    filesystem.NewStorage(fsys, cache.NewObjectLRU(builtinCacheSize)),
		known: map[plumbing.Hash]bool{},
	}
}

func (r *builtinRepo) gitDir() string { return r.dir }

func (r *builtinRepo) initBare(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.st.Init(); err != nil { // the folders of objects and refs
		return fmt.Errorf("init: %w", err)
	}
	// What git init --bare writes.
	core := [][2]string{{"core.repositoryformatversion", "0"}, {"core.filemode", "true"}, {"core.bare", "true"}}
	if err := r.setConfigLocked(core); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if err := r.st.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, mainRef)); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	return nil
}

func (r *builtinRepo) setConfig(ctx context.Context, settings [][2]string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.setConfigLocked(settings)
}

// setConfigLocked does setConfig's work. Callers hold r.mu.
func (r *builtinRepo) setConfigLocked(settings [][2]string) error {
	p := filepath.Join(r.dir, "config")
	data, err := os.ReadFile(p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("config: %w", err)
	}
	cfg := formatconfig.New()
	if err := formatconfig.NewDecoder(bytes.NewReader(data)).Decode(cfg); err != nil {
		return fmt.Errorf("config: read %s: %w", p, err)
	}
	changed := false
	for _, kv := range settings {
		section, key, ok := strings.Cut(kv[0], ".")
		if !ok || strings.Contains(key, ".") {
			return fmt.Errorf("config: unsupported key %q", kv[0])
		}
		sec := cfg.Section(section)
		if values := sec.OptionAll(key); len(values) == 1 && values[0] == kv[1] {
			continue
		}
		sec.SetOption(key, kv[1])
		changed = true
	}
	if !changed {
		return nil
	}
	var out bytes.Buffer
	if err := formatconfig.NewEncoder(&out).Encode(cfg); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := writeFileAtomic(p, out.Bytes(), 0o644); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

func (r *builtinRepo) resolve(ctx context.Context, ref string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.resolveLocked(ref)
}

// resolveLocked reads ref, loose or packed. Callers hold r.mu.
func (r *builtinRepo) resolveLocked(ref string) (string, error) {
	got, err := storer.ResolveReference(r.st, plumbing.ReferenceName(ref))
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", ref, err)
	}
	return got.Hash().String(), nil
}

// resolveCommit finds the objects rev is a prefix of and keeps those that
// are commits or tags of commits; exactly one must remain. This is git's
// rule for "rev^{commit}", which prefers commit-ish objects when a prefix
// is ambiguous.
func (r *builtinRepo) resolveCommit(ctx context.Context, rev string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	rev = strings.ToLower(rev)
	if len(rev) < 4 || len(rev) > hex.EncodedLen(len(plumbing.ZeroHash)) || !isHex(rev) {
		return "", nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var candidates []plumbing.Hash
	if plumbing.IsHash(rev) {
		candidates = []plumbing.Hash{plumbing.NewHash(rev)}
	} else {
		prefix, _ := hex.DecodeString(rev[:len(rev)&^1])
		r.st.Reindex() // packs git may have written since
		hashes, err := r.st.HashesWithPrefix(prefix)
		if err != nil {
			return "", fmt.Errorf("resolve %s: %w", rev, err)
		}
		for _, h := range hashes {
			if strings.HasPrefix(h.String(), rev) {
				candidates = append(candidates, h)
			}
		}
	}
	var commits []plumbing.Hash
	for _, h := range candidates {
		c, err := r.peelToCommit(h)
		if err != nil {
			return "", fmt.Errorf("resolve %s: %w", rev, err)
		}
		if !c.IsZero() {
			commits = append(commits, c)
		}
	}
	if len(commits) != 1 {
		return "", nil
	}
	return commits[0].String(), nil
}

// peelToCommit returns the commit h is or, through tags, points at; the
// zero hash when it is missing or something else. Callers hold r.mu.
func (r *builtinRepo) peelToCommit(h plumbing.Hash) (plumbing.Hash, error) {
	for range 16 { // tags of tags, but not forever
		obj, err := r.object(plumbing.AnyObject, h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return plumbing.ZeroHash, nil
		}
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			var t object.Tag
			if err := t.Decode(obj); err != nil {
				return plumbing.ZeroHash, err
			}
			h = t.Target
		default:
			return plumbing.ZeroHash, nil
		}
	}
	return plumbing.ZeroHash, nil
}

func (r *builtinRepo) commitInfo(ctx context.Context, commit string) (string, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return "", time.Time{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit(commit)
	if err != nil {
		return "", time.Time{}, err
	}
	return messageSubject(c.Message), time.Unix(c.Committer.When.Unix(), 0).UTC(), nil
}

// commit reads and decodes a commit. Callers hold r.mu.
func (r *builtinRepo) commit(id string) (*object.Commit, error) {
	h, err := parseID(id)
	if err != nil {
		return nil, err
	}
	obj, err := r.object(plumbing.CommitObject, h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", id, err)
	}
	return object.DecodeCommit(r.st, obj)
}

func (r *builtinRepo) lsTree(ctx context.Context, commit string) ([]lsEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.commit(commit)
	if err != nil {
		return nil, err
	}
	var entries []lsEntry
	var walk func(tree plumbing.Hash, prefix string) error
	walk = func(tree plumbing.Hash, prefix string) error {
		obj, err := r.object(plumbing.TreeObject, tree)
		if err != nil {
			return fmt.Errorf("read tree %s: %w", tree, err)
		}
		t, err := object.DecodeTree(r.st, obj)
		if err != nil {
			return fmt.Errorf("read tree %s: %w", tree, err)
		}
		for _, e := range t.Entries { // modes canonical, as git's
			p := prefix + e.Name
			switch e.Mode {
			case filemode.Dir:
				if err := walk(e.Hash, p+"/"); err != nil {
					return err
				}
			case filemode.Submodule:
				entries = append(entries, lsEntry{mode: uint32(e.Mode), oid: e.Hash.String(), size: -1, path: p})
			default:
				size, err := r.objectSize(e.Hash)
				if err != nil {
					return fmt.Errorf("read %s: %w", p, err)
				}
				r.known[e.Hash] = true
				entries = append(entries, lsEntry{mode: uint32(e.Mode), oid: e.Hash.String(), size: size, path: p})
			}
		}
		return nil
	}
	if err := walk(c.TreeHash, ""); err != nil {
		return nil, err
	}
	return entries, nil
}

func (r *builtinRepo) readBlobs(ctx context.Context, oids []string) (map[string][]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	blobs := make(map[string][]byte, len(oids))
	for _, oid := range oids {
		data, err := r.readBlobLocked(oid)
		if err != nil {
			return nil, err
		}
		blobs[oid] = data
	}
	return blobs, nil
}

func (r *builtinRepo) readBlob(ctx context.Context, oid string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.readBlobLocked(oid)
}

// readBlobLocked reads one blob. Callers hold r.mu.
func (r *builtinRepo) readBlobLocked(oid string) ([]byte, error) {
	h, err := parseID(oid)
	if err != nil {
		return nil, err
	}
	obj, err := r.object(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", oid, err)
	}
	return readObject(obj)
}

func (r *builtinRepo) writeBlobs(ctx context.Context, datas [][]byte) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	oids := make([]string, len(datas))
	for i, data := range datas {
		obj := &plumbing.MemoryObject{}
		obj.SetType(plumbing.BlobObject)
		obj.Write(data)
		h, err := r.store(obj)
		if err != nil {
			return nil, fmt.Errorf("write blob: %w", err)
		}
		oids[i] = h.String()
	}
	return oids, nil
}

// dirNode is a folder of a tree being written.
type dirNode struct {
	files []object.TreeEntry
	dirs  map[string]*dirNode
}

func (r *builtinRepo) writeTree(ctx context.Context, files []indexEntry) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := checkTreeFiles(files); err != nil {
		return "", err
	}
	root := &dirNode{}
	for _, f := range files {
		parts := strings.Split(f.path, "/")
		h, err := parseID(f.oid)
		if err != nil {
			return "", fmt.Errorf("write tree: %s: %w", f.path, err)
		}
		switch mode := filemode.FileMode(f.mode); mode {
		case filemode.Regular, filemode.Executable, filemode.Symlink, filemode.Submodule:
		default:
			return "", fmt.Errorf("write tree: %s: invalid mode %o", f.path, f.mode)
		}
		n := root
		for _, d := range parts[:len(parts)-1] {
			if n.dirs == nil {
				n.dirs = map[string]*dirNode{}
			}
			if n.dirs[d] == nil {
				n.dirs[d] = &dirNode{}
			}
			n = n.dirs[d]
		}
		n.files = append(n.files, object.TreeEntry{Name: parts[len(parts)-1], Mode: filemode.FileMode(f.mode), Hash: h})
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	h, err := r.storeDir(root, "")
	if err != nil {
		return "", fmt.Errorf("write tree: %w", err)
	}
	return h.String(), nil
}

// storeDir stores the trees of n and its folders, and returns n's id. Like
// git's write-tree, it refuses a tree whose files do not exist (a
// submodule's commit is not in the repository, by design). Callers hold
// r.mu.
func (r *builtinRepo) storeDir(n *dirNode, name string) (plumbing.Hash, error) {
	entries := make([]object.TreeEntry, 0, len(n.files)+len(n.dirs))
	seen := make(map[string]bool, len(n.files)+len(n.dirs))
	for _, e := range n.files {
		if seen[e.Name] || n.dirs[e.Name] != nil {
			return plumbing.ZeroHash, fmt.Errorf("%s is given twice, or as a file and a folder", joinPath(name, e.Name))
		}
		seen[e.Name] = true
		if e.Mode != filemode.Submodule {
			if err := r.has(e.Hash); err != nil {
				return plumbing.ZeroHash, fmt.Errorf("%s: object %s: %w", joinPath(name, e.Name), e.Hash, err)
			}
		}
		entries = append(entries, e)
	}
	for d, sub := range n.dirs {
		h, err := r.storeDir(sub, joinPath(name, d))
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, object.TreeEntry{Name: d, Mode: filemode.Dir, Hash: h})
	}
	sort.Sort(object.TreeEntrySorter(entries))
	obj := &plumbing.MemoryObject{}
	if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	return r.store(obj)
}

// joinPath joins a folder ("" for the root) and a name.
func joinPath(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

func (r *builtinRepo) commitTree(ctx context.Context, tree, parent, message string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	treeHash, err := parseID(tree)
	if err != nil {
		return "", fmt.Errorf("commit: %w", err)
	}
	if _, err := r.object(plumbing.TreeObject, treeHash); err != nil {
		return "", fmt.Errorf("commit: tree %s: %w", tree, err)
	}
	var parents []plumbing.Hash
	if parent != "" {
		h, err := parseID(parent)
		if err != nil {
			return "", fmt.Errorf("commit: %w", err)
		}
		if _, err := r.object(plumbing.CommitObject, h); err != nil {
			return "", fmt.Errorf("commit: parent %s: %w", parent, err)
		}
		parents = append(parents, h)
	}
	sig := object.Signature{Name: identityName, Email: identityEmail, When: time.Now().Truncate(time.Second)}
	c := &object.Commit{Author: sig, Committer: sig, Message: message, TreeHash: treeHash, ParentHashes: parents}
	obj := &plumbing.MemoryObject{}
	if err := c.Encode(obj); err != nil {
		return "", fmt.Errorf("commit: %w", err)
	}
	h, err := r.store(obj)
	if err != nil {
		return "", fmt.Errorf("commit: %w", err)
	}
	return h.String(), nil
}

// writeTag checks the tag as git mktag does (it parses, it names its
// target's type, the target exists with that type) and stores it as given.
func (r *builtinRepo) writeTag(ctx context.Context, tag []byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.TagObject)
	obj.Write(tag)
	var t object.Tag
	if err := t.Decode(obj); err != nil {
		return "", fmt.Errorf("write tag: %w", err)
	}
	if t.Name == "" || t.Tagger.Name == "" || t.Tagger.When.IsZero() {
		return "", errors.New("write tag: incomplete tag header")
	}
	if _, err := r.object(t.TargetType, t.Target); err != nil {
		return "", fmt.Errorf("write tag: %s %s: %w", t.TargetType, t.Target, err)
	}
	h, err := r.store(obj)
	if err != nil {
		return "", fmt.Errorf("write tag: %w", err)
	}
	return h.String(), nil
}

// updateRef follows git's lock file protocol (hand-written: go-git has
// none, see builtinRepo): ref.lock is created exclusively, so of two
// writers, git processes included, one fails; the old value is compared
// under the lock; the new value is written to the lock file, synced, and
// renamed over the ref, so a kill leaves the old ref or the new one and at
// worst a stale lock, which Open removes. Like git with
// core.logAllRefUpdates, it appends to the reflog of a branch, and of HEAD
// when HEAD points at that branch.
func (r *builtinRepo) updateRef(ctx context.Context, ref, newID, oldID, reason string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	name := plumbing.ReferenceName(ref)
	if err := name.Validate(); err != nil || !strings.HasPrefix(ref, "refs/") {
		return fmt.Errorf("update %s: invalid ref name", ref)
	}
	newHash, err := parseID(newID)
	if err != nil {
		return fmt.Errorf("update %s: %w", ref, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	obj, err := r.object(plumbing.AnyObject, newHash)
	if err != nil {
		return fmt.Errorf("update %s: object %s: %w", ref, newID, err)
	}
	if name.IsBranch() && obj.Type() != plumbing.CommitObject {
		return fmt.Errorf("update %s: %s is not a commit", ref, newID)
	}

	p := filepath.Join(r.dir, filepath.FromSlash(ref))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("update %s: %w", ref, err)
	}
	lock, err := os.OpenFile(p+".lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("update %s: %w", ref, errRefMoved)
	}
	if err != nil {
		return fmt.Errorf("update %s: %w", ref, err)
	}
	committed := false
	defer func() {
		if !committed {
			lock.Close()
			os.Remove(lock.Name())
		}
	}()
	cur, err := r.resolveLocked(ref)
	if err != nil {
		return fmt.Errorf("update %s: %w", ref, err)
	}
	if cur != oldID {
		return fmt.Errorf("update %s: %w", ref, errRefMoved)
	}
	if _, err := lock.WriteString(newID + "\n"); err != nil {
		return fmt.Errorf("update %s: %w", ref, err)
	}
	if err := lock.Sync(); err != nil {
		return fmt.Errorf("update %s: %w", ref, err)
	}
	if err := lock.Close(); err != nil {
		return fmt.Errorf("update %s: %w", ref, err)
	}
	if name.IsBranch() {
		if err := r.appendReflog(ref, oldID, newID, reason); err != nil {
			return fmt.Errorf("update %s: %w", ref, err)
		}
	}
	if err := os.Rename(lock.Name(), p); err != nil {
		return fmt.Errorf("update %s: %w", ref, err)
	}
	committed = true
	return nil
}

// appendReflog adds a line to ref's reflog, and to HEAD's when HEAD points
// at ref, in git's format. Callers hold ref's lock.
func (r *builtinRepo) appendReflog(ref, oldID, newID, reason string) error {
	if oldID == "" {
		oldID = plumbing.ZeroHash.String()
	}
	now := time.Now()
	line := fmt.Sprintf("%s %s %s <%s> %d %s\t%s\n", oldID, newID, identityName, identityEmail,
		now.Unix(), now.Format("-0700"), oneLine(reason))
	logs := []string{ref}
	if head, err := r.st.Reference(plumbing.HEAD); err == nil && head.Type() == plumbing.SymbolicReference && head.Target().String() == ref {
		logs = append(logs, "HEAD")
	}
	for _, l := range logs {
		p := filepath.Join(r.dir, "logs", filepath.FromSlash(l))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		_, werr := f.WriteString(line)
		if err := f.Close(); werr == nil {
			werr = err
		}
		if werr != nil {
			return werr
		}
	}
	return nil
}

func (r *builtinRepo) refNames(ctx context.Context, prefix string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refNamesLocked(prefix)
}

// refNamesLocked lists the refs under prefix, sorted. Callers hold r.mu.
func (r *builtinRepo) refNamesLocked(prefix string) ([]string, error) {
	iter, err := r.st.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	defer iter.Close()
	var names []string
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if n := ref.Name().String(); strings.HasPrefix(n, prefix) && ref.Type() == plumbing.HashReference {
			names = append(names, n)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	sort.Strings(names)
	return names, nil
}

// tagMessages gives, like git's %(contents), everything after an object's
// header: a tag's message (with its signature, if any) or a commit's.
func (r *builtinRepo) tagMessages(ctx context.Context, prefix string, limit int) ([]taggedRef, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	names, err := r.refNamesLocked(prefix)
	if err != nil {
		return nil, err
	}
	refs := make([]taggedRef, 0, len(names))
	for i := len(names) - 1; i >= 0 && (limit <= 0 || len(refs) < limit); i-- {
		id, err := r.resolveLocked(names[i])
		if err != nil {
			return nil, err
		}
		obj, err := r.object(plumbing.AnyObject, plumbing.NewHash(id))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", names[i], err)
		}
		raw, err := readObject(obj)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", names[i], err)
		}
		_, contents, _ := bytes.Cut(raw, []byte("\n\n"))
		refs = append(refs, taggedRef{name: names[i], message: string(contents)})
	}
	return refs, nil
}

// object reads an object of type t (plumbing.AnyObject for any). When it
// is not found, go-git's list of packs may be out of date (git gc or
// repack ran since): it reloads it and tries once more. Callers hold r.mu.
func (r *builtinRepo) object(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	obj, err := r.st.EncodedObject(t, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		r.st.Reindex()
		obj, err = r.st.EncodedObject(t, h)
	}
	return obj, err
}

// objectSize returns the size of an object without reading it all.
// Callers hold r.mu.
func (r *builtinRepo) objectSize(h plumbing.Hash) (int64, error) {
	size, err := r.st.EncodedObjectSize(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		r.st.Reindex()
		size, err = r.st.EncodedObjectSize(h)
	}
	return size, err
}

// has reports (nil) whether the object exists. Callers hold r.mu.
func (r *builtinRepo) has(h plumbing.Hash) error {
	if r.known[h] {
		return nil
	}
	err := r.st.HasEncodedObject(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		r.st.Reindex()
		err = r.st.HasEncodedObject(h)
	}
	if err == nil {
		r.known[h] = true
	}
	return err
}

// store writes obj as a loose object, unless it exists already, and syncs
// it to disk before returning its id. Callers hold r.mu.
func (r *builtinRepo) store(obj *plumbing.MemoryObject) (plumbing.Hash, error) {
	h := obj.Hash()
	if r.st.HasEncodedObject(h) == nil {
		r.known[h] = true
		return h, nil
	}
	if _, err := r.st.SetEncodedObject(obj); err != nil {
		return plumbing.ZeroHash, err
	}
	// go-git wrote it to a temporary file and renamed it into place without
	// syncing; fsync works on the file, whichever descriptor wrote it.
	id := h.String()
	f, err := os.Open(filepath.Join(r.dir, "objects", id[:2], id[2:]))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	serr := f.Sync()
	if err := f.Close(); serr == nil {
		serr = err
	}
	if serr != nil {
		return plumbing.ZeroHash, serr
	}
	r.known[h] = true
	return h, nil
}

// readObject returns an object's contents.
func readObject(obj plumbing.EncodedObject) ([]byte, error) {
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	data := make([]byte, 0, obj.Size())
	buf := bytes.NewBuffer(data)
	if _, err := io.Copy(buf, rd); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// parseID parses a full hexadecimal object id.
func parseID(id string) (plumbing.Hash, error) {
	if !plumbing.IsHash(id) {
		return plumbing.ZeroHash, fmt.Errorf("invalid object id %q", id)
	}
	return plumbing.NewHash(id), nil
}

// isHex reports whether s is made of hexadecimal digits only.
func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
