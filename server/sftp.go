package server

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"sync"
	"time"

	"charm.land/ssh"
	"github.com/pkg/sftp"

	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/content/upload"
)

// The sftp subsystem serves OpenSSH's sftp and modern scp, which speaks
// SFTP. It is a pkg/sftp RequestServer with handlers over the store: reads
// come from the live tree (store.Files()), and every write is a change
// published through store.Apply when it completes (an upload when its
// handle is closed; rm, rename and mkdir at once), validated like any
// publish. A change that fails prints every problem on the session's
// stderr, which the OpenSSH clients show (they show only "Failure" for the
// status itself), and answers the request with a failure, so `sftp -b` and
// scp exit non-zero.
//
// Paths: pkg/sftp resolves each path lexically against "/", the blog's
// root, so ".." never climbs above it; upload.Path then refuses what the
// tree may not hold (.git, control characters, ...), and upload.Rules
// which files may be written at all.

// maxOpenUploads bounds the uploads one sftp session may have open at
// once; each holds its file in memory, up to the file's size limit (1 MiB
// for text, 10 MiB for an image by default). OpenSSH's clients open one at
// a time.
const maxOpenUploads = 8

// errRefused answers a request whose problems were printed on stderr.
var errRefused = errors.New("refused: see the messages above")

// sftpSubsystem serves one sftp session, for authors only. Subsystems
// bypass the middleware chain, so it authorises, logs and recovers itself.
func (s *Server) sftpSubsystem(sess ssh.Session) {
	start := time.Now()
	defer recoverTo(s.logger, "sftp session", nil)
	stderr := &lockedWriter{w: sess.Stderr()}
	author, ok := s.authorize(sess, stderr)
	defer func() {
		s.logger.Info("session", "remote", sess.RemoteAddr().String(), "user", sess.User(),
			"key", keyFingerprint(sess.PublicKey()), "subsystem", "sftp", "author", ok,
			"duration", time.Since(start).Round(time.Millisecond))
	}()
	if !ok {
		_ = sess.Exit(1)
		return
	}
	h := &sftpHandler{srv: s, sess: sess, author: author, stderr: stderr, dirs: map[string]bool{}, uploads: map[*sftpUpload]bool{}}
	rs := sftp.NewRequestServer(sess, sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h})
	if err := rs.Serve(); err != nil && !errors.Is(err, io.EOF) {
		s.logger.Info("sftp session ended", "err", err)
	}
	// The exit status before closing: scp (over sftp) fails without one.
	_ = sess.Exit(0)
	_ = rs.Close()
}

// lockedWriter serialises writes: the sftp server calls handlers from
// several goroutines, and each message is written whole.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// sftpHandler implements pkg/sftp's handlers for one session.
type sftpHandler struct {
	srv    *Server
	sess   ssh.Session
	author store.Author
	stderr io.Writer

	mu      sync.Mutex
	dirs    map[string]bool      // empty folders made in this session (git keeps none)
	uploads map[*sftpUpload]bool // open uploads
}

// refuse prints msg on stderr and returns the error that answers the
// request.
func (h *sftpHandler) refuse(format string, args ...any) error {
	fmt.Fprintf(h.stderr, format+"\n", args...)
	return errRefused
}

// mayWrite checks, before each write, that the key is still an author
// (the authors file may have changed since the session began).
func (h *sftpHandler) mayWrite() error {
	if !h.srv.authors.IsAuthor(h.sess.PublicKey()) {
		return h.refuse("%s", permissionDenied)
	}
	return nil
}

// treePath maps a request's path into the tree, printing why it cannot.
func (h *sftpHandler) treePath(p string) (string, error) {
	q, err := upload.Path(p)
	if err != nil {
		return "", h.refuse("%v", err)
	}
	return q, nil
}

// isDir reports whether p is a folder of tree or one made this session.
func (h *sftpHandler) isDir(tree *store.Tree, p string) bool {
	if info, err := tree.Stat(p); err == nil {
		return info.IsDir()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dirs[p]
}

// Fileread opens a file of the live tree for reading (get, scp from the
// server).
func (h *sftpHandler) Fileread(r *sftp.Request) (_ io.ReaderAt, err error) {
	defer recoverTo(h.srv.logger, "sftp read", &err)
	p, err := h.treePath(r.Filepath)
	if err != nil {
		return nil, err
	}
	f, err := h.srv.store.Files().Open(p)
	if err != nil {
		return nil, err
	}
	if info, _ := f.Stat(); info != nil && info.IsDir() {
		_ = f.Close()
		return nil, h.refuse("%s is a folder", r.Filepath)
	}
	ra, ok := f.(io.ReaderAt)
	if !ok {
		_ = f.Close()
		return nil, fmt.Errorf("%s cannot be read at an offset", p)
	}
	return ra, nil
}

// Filewrite starts an upload (put, scp to the server). The file is held in
// memory, bounded by its size limit, and published when the client closes
// it.
func (h *sftpHandler) Filewrite(r *sftp.Request) (_ io.WriterAt, err error) {
	defer recoverTo(h.srv.logger, "sftp write", &err)
	if err := h.mayWrite(); err != nil {
		return nil, err
	}
	p, err := h.treePath(r.Filepath)
	if err != nil {
		return nil, err
	}
	tree := h.srv.store.Files()
	if p == "." || h.isDir(tree, p) {
		return nil, h.refuse("%s is a folder; give a file name", r.Filepath)
	}
	limit, err := h.srv.store.Rules().Target(p)
	if err != nil {
		reportPublishError(h.stderr, err)
		return nil, errRefused
	}
	flags := r.Pflags()
	u := &sftpUpload{h: h, path: p, limit: limit, append: flags.Append}
	if !flags.Trunc {
		// Resuming (reput) or writing into a file: start from what is there.
		if data, err := tree.ReadFile(p); err == nil && int64(len(data)) <= limit {
			u.buf = data
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.uploads) >= maxOpenUploads {
		return nil, h.refuse("sshblog: at most %d uploads may be open at once", maxOpenUploads)
	}
	h.uploads[u] = true
	return u, nil
}

// sftpUpload is a file being uploaded. It implements io.WriterAt,
// io.Closer (publish) and sftp.TransferError (the client went away:
// nothing is published).
type sftpUpload struct {
	h      *sftpHandler
	path   string
	limit  int64
	append bool // opened with SSH_FXF_APPEND: every write goes at the end

	mu     sync.Mutex
	buf    []byte
	failed error // a refused write or a broken transfer: Close publishes nothing
	closed bool
}

// WriteAt stores b at off, or at the end when the file was opened to
// append (the client's offset is then ignored, as SFTP says and as
// OpenSSH's server does through O_APPEND), refusing to go past the file's
// size limit.
func (u *sftpUpload) WriteAt(b []byte, off int64) (int, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.failed != nil {
		return 0, u.failed
	}
	if u.append {
		off = int64(len(u.buf))
	}
	end := off + int64(len(b))
	if off < 0 || end > u.limit || end < off {
		u.failed = u.h.refuse("%s: too big: over the %s limit for %s; nothing was published",
			u.path, upload.FormatSize(u.limit), upload.KindName(u.path))
		return 0, u.failed
	}
	if end > int64(len(u.buf)) {
		if end > int64(cap(u.buf)) {
			grown := make([]byte, end, max(end, min(2*int64(cap(u.buf)), u.limit)))
			copy(grown, u.buf)
			u.buf = grown
		} else {
			u.buf = u.buf[:end]
		}
	}
	copy(u.buf[off:], b)
	return len(b), nil
}

// TransferError is called when the session ends with the file still open:
// the upload is incomplete and must not be published.
func (u *sftpUpload) TransferError(err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.failed == nil {
		u.failed = fmt.Errorf("upload of %s interrupted: %w", u.path, err)
	}
}

// Close publishes the file, unless a write was refused or the transfer
// broke.
func (u *sftpUpload) Close() (err error) {
	defer recoverTo(u.h.srv.logger, "sftp close", &err)
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closed {
		return nil
	}
	u.closed = true
	u.h.mu.Lock()
	delete(u.h.uploads, u)
	u.h.mu.Unlock()
	data := u.buf
	u.buf = nil
	if u.failed != nil {
		u.h.srv.logger.Info("upload not published", "path", u.path, "err", u.failed)
		return u.failed
	}
	if err := u.h.mayWrite(); err != nil {
		return err
	}
	c := store.Change{Via: "sftp"}
	c.Put(u.path, data)
	if !u.h.srv.apply(c, u.h.author, u.h.stderr) {
		return errRefused
	}
	return nil
}

// Filecmd changes the tree: rm, rename, mkdir, rmdir. Links are refused;
// setting attributes is accepted and ignored (git keeps no owners or
// times, and the blog's files are never executable).
func (h *sftpHandler) Filecmd(r *sftp.Request) (err error) {
	defer recoverTo(h.srv.logger, "sftp command", &err)
	switch r.Method {
	case "Symlink":
		return h.refuse("%s: symbolic links are not allowed; put the file itself there", r.Target)
	case "Link":
		return h.refuse("%s: links are not allowed; put the file itself there", r.Target)
	case "Setstat": // also fsetstat on an upload's handle (scp and put -p)
		return h.setstat(r)
	case "Rename":
		return h.rename(r, false)
	case "Mkdir":
		return h.mkdir(r)
	case "Rmdir":
		return h.rmdir(r)
	case "Remove":
		if err := h.mayWrite(); err != nil {
			return err
		}
		p, err := h.treePath(r.Filepath)
		if err != nil {
			return err
		}
		c := store.Change{Via: "sftp"}
		c.Remove(p)
		if !h.srv.apply(c, h.author, h.stderr) {
			return errRefused
		}
		return nil
	}
	return sftp.ErrSSHFxOpUnsupported
}

// PosixRename is rename replacing an existing file (OpenSSH's
// posix-rename@openssh.com, which its sftp client uses for rename).
func (h *sftpHandler) PosixRename(r *sftp.Request) (err error) {
	defer recoverTo(h.srv.logger, "sftp rename", &err)
	return h.rename(r, true)
}

// setstat accepts attribute changes and ignores them (git keeps no owners,
// modes or times), except a size: it truncates a file being uploaded (scp
// sets the size it sent before closing), and is refused on a published
// file, which changes only by a new upload.
func (h *sftpHandler) setstat(r *sftp.Request) error {
	p, err := h.treePath(r.Filepath)
	if err != nil {
		return err
	}
	size, setSize := int64(-1), r.AttrFlags().Size
	if setSize {
		size = int64(r.Attributes().Size)
	}
	h.mu.Lock()
	var open []*sftpUpload
	for u := range h.uploads {
		if u.path == p {
			open = append(open, u)
		}
	}
	h.mu.Unlock()
	if len(open) > 0 {
		for _, u := range open {
			if setSize {
				if err := u.truncate(size); err != nil {
					return err
				}
			}
		}
		return nil
	}
	info, err := h.stat(p)
	if err != nil {
		return err
	}
	if setSize && !info.IsDir() && size != info.Size() {
		return h.refuse("%s: a published file's size cannot be changed; upload it again", r.Filepath)
	}
	return nil
}

// truncate sets the upload's size, as ftruncate would.
func (u *sftpUpload) truncate(size int64) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.failed != nil {
		return u.failed
	}
	if size < 0 || size > u.limit {
		u.failed = u.h.refuse("%s: too big: over the %s limit for %s; nothing was published",
			u.path, upload.FormatSize(u.limit), upload.KindName(u.path))
		return u.failed
	}
	if size <= int64(len(u.buf)) {
		u.buf = u.buf[:size]
	} else {
		u.buf = append(u.buf, make([]byte, size-int64(len(u.buf)))...)
	}
	return nil
}

func (h *sftpHandler) rename(r *sftp.Request, replace bool) error {
	if err := h.mayWrite(); err != nil {
		return err
	}
	from, err := h.treePath(r.Filepath)
	if err != nil {
		return err
	}
	to, err := h.treePath(r.Target)
	if err != nil {
		return err
	}
	// An empty folder made this session exists only here.
	if _, err := h.srv.store.Files().Stat(from); err != nil {
		h.mu.Lock()
		defer h.mu.Unlock()
		if !h.dirs[from] {
			return &fs.PathError{Op: "rename", Path: r.Filepath, Err: fs.ErrNotExist}
		}
		if _, err := h.srv.store.Files().Stat(to); err == nil || h.dirs[to] {
			return h.refuse("%s already exists", r.Target)
		}
		delete(h.dirs, from)
		h.dirs[to] = true
		return nil
	}
	c := store.Change{Via: "sftp"}
	c.Rename(from, to, replace)
	if !h.srv.apply(c, h.author, h.stderr) {
		return errRefused
	}
	return nil
}

// mkdir remembers an empty folder for the session: git keeps no empty
// folder, so it becomes part of the blog when a file is put in it.
func (h *sftpHandler) mkdir(r *sftp.Request) error {
	if err := h.mayWrite(); err != nil {
		return err
	}
	p, err := h.treePath(r.Filepath)
	if err != nil {
		return err
	}
	if _, err := h.stat(p); err == nil {
		return h.refuse("%s already exists", r.Filepath)
	}
	parent := path.Dir(p)
	if info, err := h.stat(parent); err != nil || !info.IsDir() {
		return h.refuse("%s: %s is not a folder", r.Filepath, parent)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dirs[p] = true
	return nil
}

// rmdir removes an empty folder made this session; every folder of the
// tree holds files, so it is not empty.
func (h *sftpHandler) rmdir(r *sftp.Request) error {
	if err := h.mayWrite(); err != nil {
		return err
	}
	p, err := h.treePath(r.Filepath)
	if err != nil {
		return err
	}
	if info, err := h.srv.store.Files().Stat(p); err == nil {
		if !info.IsDir() {
			return h.refuse("%s is not a folder", r.Filepath)
		}
		return h.refuse("%s is not empty; remove its files first", r.Filepath)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for d := range h.dirs {
		if d != p && isUnder(d, p) {
			return h.refuse("%s is not empty", r.Filepath)
		}
	}
	if !h.dirs[p] {
		return &fs.PathError{Op: "rmdir", Path: r.Filepath, Err: fs.ErrNotExist}
	}
	delete(h.dirs, p)
	return nil
}

// stat describes p, a file or folder of the live tree or a folder made
// this session.
func (h *sftpHandler) stat(p string) (fs.FileInfo, error) {
	if info, err := h.srv.store.Files().Stat(p); err == nil {
		return info, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.dirs[p] {
		return sessionDir{name: path.Base(p)}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: p, Err: fs.ErrNotExist}
}

// Filelist lists a folder (ls) or describes one file (stat).
func (h *sftpHandler) Filelist(r *sftp.Request) (_ sftp.ListerAt, err error) {
	defer recoverTo(h.srv.logger, "sftp list", &err)
	p, err := h.treePath(r.Filepath)
	if err != nil {
		return nil, err
	}
	switch r.Method {
	case "List":
		return h.list(p)
	case "Stat", "Lstat": // the tree holds no links: both are stat
		info, err := h.stat(p)
		if err != nil {
			return nil, err
		}
		return listerAt{info}, nil
	}
	// Readlink: the tree holds no links.
	return nil, sftp.ErrSSHFxOpUnsupported
}

// list lists folder p: the tree's entries and the session's empty folders
// in it.
func (h *sftpHandler) list(p string) (sftp.ListerAt, error) {
	var infos listerAt
	names := map[string]bool{}
	tree := h.srv.store.Files()
	entries, err := tree.ReadDir(p)
	inTree := err == nil
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
		names[e.Name()] = true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !inTree && !h.dirs[p] {
		if info, err := tree.Stat(p); err == nil && !info.IsDir() {
			return nil, h.refuse("%s is not a folder", p)
		}
		return nil, &fs.PathError{Op: "readdir", Path: p, Err: fs.ErrNotExist}
	}
	for d := range h.dirs {
		if d != p && path.Dir(d) == p && !names[path.Base(d)] {
			infos = append(infos, sessionDir{name: path.Base(d)})
		}
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].Name() < infos[j].Name() })
	return infos, nil
}

// listerAt serves a fixed list of entries.
type listerAt []fs.FileInfo

func (l listerAt) ListAt(dst []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(dst, l[off:])
	if n < len(dst) {
		return n, io.EOF
	}
	return n, nil
}

// sessionDir describes an empty folder made this session.
type sessionDir struct{ name string }

func (d sessionDir) Name() string       { return d.name }
func (d sessionDir) Size() int64        { return 0 }
func (d sessionDir) Mode() fs.FileMode  { return fs.ModeDir | 0o755 }
func (d sessionDir) ModTime() time.Time { return time.Time{} }
func (d sessionDir) IsDir() bool        { return true }
func (d sessionDir) Sys() any           { return nil }

// isUnder reports whether p is dir or inside it.
func isUnder(p, dir string) bool {
	return dir == "." || p == dir || len(p) > len(dir) && p[:len(dir)] == dir && p[len(dir)] == '/'
}
