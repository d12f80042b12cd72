package store

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload"
)

// Git modes of the files a tree may hold.
const (
	modeFile       = 0o100644
	modeExecutable = 0o100755
	modeSymlink    = 0o120000
	modeSubmodule  = 0o160000
)

// blob is one file of a Tree. Blobs are immutable and shared between the
// trees of successive states.
type blob struct {
	mode uint32 // git mode
	oid  string // object id; "" for a file of a candidate not yet written
	size int64
	data []byte // the contents, or nil when not held in memory (read from git on demand)

	headMu sync.Mutex
	head   []byte // the first bytes of a blob not held in memory, once read (ReadHead)
}

// Tree is a read-only view of the files of one state of the blog: a
// published commit, or a candidate being validated. It implements fs.FS,
// fs.ReadDirFS, fs.ReadFileFS and fs.StatFS with the conventions of io/fs
// (slash-separated paths, "." is the root). Folders exist only as the
// parents of files: git stores no empty folder.
//
// A candidate being validated holds the posts and YAML files in memory; a
// published state holds no contents, and its files are read from git when
// opened (through one long-running git process, repo.readBlob). Symbolic links
// report fs.ModeSymlink and submodules fs.ModeIrregular; neither is ever part
// of a published tree. A Tree is safe for concurrent use.
type Tree struct {
	revision string
	time     time.Time
	files    map[string]*blob
	dirs     map[string][]string // folder → sorted names of its children
	repo     *repo               // reads blobs not held in memory; nil when all are
}

// newTree indexes files (path → blob) as a tree.
func newTree(r *repo, revision string, t time.Time, files map[string]*blob) *Tree {
	sets := map[string]map[string]bool{".": {}}
	for p := range files {
		for child := p; child != "."; {
			dir := path.Dir(child)
			if sets[dir] == nil {
				sets[dir] = map[string]bool{}
			}
			if sets[dir][path.Base(child)] {
				break // the rest of the chain is already there
			}
			sets[dir][path.Base(child)] = true
			child = dir
		}
	}
	dirs := make(map[string][]string, len(sets))
	for dir, set := range sets {
		names := make([]string, 0, len(set))
		for n := range set {
			names = append(names, n)
		}
		sort.Strings(names)
		dirs[dir] = names
	}
	return &Tree{revision: revision, time: t, files: files, dirs: dirs, repo: r}
}

// Revision returns the commit this tree is the state of ("" for a candidate).
func (t *Tree) Revision() string { return t.revision }

// FileID returns the git blob id of the named file, for content.LoadCached.
// It implements content.FileIDer. A file of a candidate not yet written to
// git gets the id git will give it, worked out from its contents, so a
// seed's parses are cached under the ids its blobs get.
func (t *Tree) FileID(name string) (string, bool) {
	b, ok := t.files[name]
	switch {
	case !ok:
		return "", false
	case b.oid != "":
		return b.oid, true
	case b.data != nil:
		return blobID(b.data), true
	}
	return "", false
}

// blobID returns the id git gives a blob of data in a SHA-1 repository
// (the store's: it makes them with git's defaults): the SHA-1 of
// "blob <size>\x00" and data.
func blobID(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// Open opens the named file or folder.
func (t *Tree) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if b, ok := t.files[name]; ok {
		data, err := t.contents(b)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &openFile{info: t.fileInfo(name, b), Reader: bytes.NewReader(data)}, nil
	}
	if _, ok := t.dirs[name]; ok {
		return &openDir{info: t.dirInfo(name), tree: t, name: name}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadFile returns the contents of the named file.
func (t *Tree) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	b, ok := t.files[name]
	if !ok {
		if _, isDir := t.dirs[name]; isDir {
			return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	data, err := t.contents(b)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return bytes.Clone(data), nil
}

// ReadHead returns the first n bytes of the named file (all of a shorter
// one). For a file read from git it keeps them with the blob, which
// successive states share, so upload.Rules.CheckTree reads each image from
// git once, not at every publish. It implements upload.HeadReader.
func (t *Tree) ReadHead(name string, n int) ([]byte, error) {
	b, ok := t.files[name]
	if !fs.ValidPath(name) || !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	n = max(n, 0)
	if b.data != nil || b.size == 0 {
		return bytes.Clone(b.data[:min(n, len(b.data))]), nil
	}
	b.headMu.Lock()
	defer b.headMu.Unlock()
	if len(b.head) < n && int64(len(b.head)) < b.size {
		data, err := t.contents(b)
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		b.head = bytes.Clone(data[:min(n, len(data))])
	}
	return bytes.Clone(b.head[:min(n, len(b.head))]), nil
}

// Stat describes the named file or folder.
func (t *Tree) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	if b, ok := t.files[name]; ok {
		return t.fileInfo(name, b), nil
	}
	if _, ok := t.dirs[name]; ok {
		return t.dirInfo(name), nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// ReadDir lists the named folder, sorted by name.
func (t *Tree) ReadDir(name string) ([]fs.DirEntry, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	names, ok := t.dirs[name]
	if !ok {
		if _, isFile := t.files[name]; isFile {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
		}
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries := make([]fs.DirEntry, len(names))
	for i, n := range names {
		entries[i] = fs.FileInfoToDirEntry(t.info(path.Join(name, n)))
	}
	return entries, nil
}

// Size returns the total size in bytes of the tree's files.
func (t *Tree) Size() int64 {
	var n int64
	for _, b := range t.files {
		n += max(b.size, 0)
	}
	return n
}

// info describes a file or folder known to exist.
func (t *Tree) info(name string) fs.FileInfo {
	if b, ok := t.files[name]; ok {
		return t.fileInfo(name, b)
	}
	return t.dirInfo(name)
}

func (t *Tree) fileInfo(name string, b *blob) fs.FileInfo {
	mode := fs.FileMode(0o644)
	switch b.mode {
	case modeExecutable:
		mode = 0o755
	case modeSymlink:
		mode = fs.ModeSymlink | 0o777
	case modeSubmodule:
		mode = fs.ModeIrregular
	}
	return &fileInfo{name: path.Base(name), size: max(b.size, 0), mode: mode, time: t.time}
}

func (t *Tree) dirInfo(name string) fs.FileInfo {
	return &fileInfo{name: path.Base(name), mode: fs.ModeDir | 0o755, time: t.time}
}

// contents returns b's bytes, from memory or from git.
func (t *Tree) contents(b *blob) ([]byte, error) {
	if b.data != nil || b.size == 0 {
		return b.data, nil
	}
	if b.mode == modeSubmodule {
		return nil, nil
	}
	if t.repo == nil || b.oid == "" {
		return nil, errors.New("contents not available")
	}
	return t.repo.readBlob(b.oid)
}

// fileInfo implements fs.FileInfo for a Tree.
type fileInfo struct {
	name string
	size int64
	mode fs.FileMode
	time time.Time
}

func (i *fileInfo) Name() string       { return i.name }
func (i *fileInfo) Size() int64        { return i.size }
func (i *fileInfo) Mode() fs.FileMode  { return i.mode }
func (i *fileInfo) ModTime() time.Time { return i.time }
func (i *fileInfo) IsDir() bool        { return i.mode.IsDir() }
func (i *fileInfo) Sys() any           { return nil }

// openFile is an open file of a Tree. It also offers io.Seeker and
// io.ReaderAt, which sftp servers use.
type openFile struct {
	info fs.FileInfo
	*bytes.Reader
}

func (f *openFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *openFile) Close() error               { return nil }

// openDir is an open folder of a Tree.
type openDir struct {
	info fs.FileInfo
	tree *Tree
	name string
	read int // entries already returned by ReadDir
}

func (d *openDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *openDir) Close() error               { return nil }
func (d *openDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a directory")}
}

// ReadDir implements fs.ReadDirFile.
func (d *openDir) ReadDir(n int) ([]fs.DirEntry, error) {
	all, _ := d.tree.ReadDir(d.name)
	rest := all[d.read:]
	if n <= 0 {
		d.read = len(all)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.read += len(rest)
	return rest, nil
}

// isUnder reports whether p is dir or inside it.
func isUnder(p, dir string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}

// fillContents makes every text file of files (the posts and YAML files
// content.Load reads) hold its contents, reading those that lack them
// from git in one go, so that validating a candidate does not read them one
// by one; but the posts and pages cached knows (nil: none), which
// content.LoadCached does not read. Blobs are shared between states and
// never changed: a blob that needs its contents is replaced in files by a
// copy.
func fillContents(ctx context.Context, r *repo, files map[string]*blob, cached *content.DocCache) error {
	var need []string
	for p, b := range files {
		if b.data == nil && b.oid != "" && b.size > 0 && (b.mode == modeFile || b.mode == modeExecutable) && upload.IsText(p) &&
			!cached.Has(p, b.oid) {
			need = append(need, b.oid)
		}
	}
	if len(need) == 0 {
		return nil
	}
	datas, err := r.readBlobs(ctx, need)
	if err != nil {
		return err
	}
	for p, b := range files {
		if data, ok := datas[b.oid]; ok && b.data == nil && upload.IsText(p) {
			files[p] = &blob{mode: b.mode, oid: b.oid, size: b.size, data: data}
		}
	}
	return nil
}

// dropContents makes no file of files hold its contents once they are in
// git: a snapshot holds its posts' metadata only and reads a body from the
// tree when a reader opens it (content.Post.Markdown), which reads it from
// git (repo.readBlob), so a live state holds no post text at all (a
// 7,000-post blog held 78 MB of it). Whoever needs the bytes reads them
// from git (Tree.ReadFile, fillContents); an image keeps the head the
// upload rules check (Tree.ReadHead).
func dropContents(files map[string]*blob) {
	for p, b := range files {
		if b.data == nil || b.oid == "" {
			continue
		}
		d := &blob{mode: b.mode, oid: b.oid, size: b.size}
		if !upload.IsText(p) {
			d.head = bytes.Clone(b.data[:min(len(b.data), upload.ImageHeadLen)])
		}
		files[p] = d
	}
}
