package server

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2/scp"

	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/content/upload"
)

// Legacy scp (scp -O) runs "scp -t PATH" (upload) or "scp -f PATH"
// (download) as a command. wish's scp middleware speaks the protocol; the
// handlers here map paths into the blog's tree and collect the files of one
// scp command, which are published together as one change when the client
// has sent them all, so a post and the books.yaml that refers to it can go
// in one command.

// scpTransport serves legacy scp for authors and refuses it to readers
// (see publish.go), before command routing, which would take "scp" for an
// unknown command.
func (s *Server) scpTransport(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		info := scp.GetInfo(sess.Command())
		if !info.Ok {
			next(sess)
			return
		}
		author, ok := s.authorize(sess, sess.Stderr())
		if !ok {
			_ = sess.Exit(1)
			return
		}
		tree := s.store.Files()
		target, err := upload.Path(info.Path)
		if err != nil {
			fmt.Fprintf(sess.Stderr(), "%v\n", err)
			_ = sess.Exit(1)
			return
		}
		rec := &scpSession{Session: sess}
		switch info.Op {
		case scp.OpCopyToClient:
			reader := &scpReader{CopyToClientHandler: scp.NewFSReadHandler(tree), tree: tree}
			scp.Middleware(reader, nil)(func(ssh.Session) {})(rec)
			if !rec.exited {
				waitForAcks(sess, reader.acks())
			}
		case scp.OpCopyFromClient:
			up := &scpUpload{
				rules:  s.store.Rules(),
				tree:   tree,
				stderr: sess.Stderr(),
				base:   info.Path,
				target: target,
				// scp sends -d when it copies several files: the target must
				// be a folder then.
				targetIsDir: target == "." || strings.HasSuffix(info.Path, "/") ||
					slices.Contains(sess.Command(), "-d") || isTreeDir(tree, target),
			}
			rec.quiet = &up.reported
			scp.Middleware(nil, up)(func(ssh.Session) {})(rec)
			if rec.exited || len(up.change.Ops) == 0 {
				return // refused (the reason is printed), or nothing sent
			}
			up.change.Via = "scp"
			if !s.apply(up.change, author, sess.Stderr()) {
				_ = sess.Exit(1)
				return
			}
		}
		if !rec.exited {
			_ = sess.Exit(0)
		}
	}
}

// scpAckTimeout bounds how long a finished download waits for the client
// to acknowledge what it was sent.
const scpAckTimeout = 10 * time.Second

// waitForAcks ends a download the way OpenSSH's scp expects: the server
// exits only once the client has acknowledged everything (n bytes; wish's
// middleware never reads them). Exiting at once races with the client's
// last acknowledgement, which then fails with "lost connection".
func waitForAcks(sess ssh.Session, n int) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64)
		for n > 0 {
			k, err := sess.Read(buf[:min(n, len(buf))])
			n -= k
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(scpAckTimeout):
	}
}

// scpSession is the session as wish's scp middleware sees it: it notes
// whether the middleware gave up (wish.Fatal calls Exit), keeps the
// middleware from repeating, wrapped, a refusal our handler already
// printed, and drops what the middleware writes after the client's EOF.
// (wish acknowledges the client's EOF with a NUL byte that OpenSSH's scp
// server never sends: the client has closed its end by then, and ssh,
// failing to pass the byte on, drops the messages on stderr that follow,
// such as why the upload was refused.)
type scpSession struct {
	ssh.Session
	exited bool
	eof    bool
	quiet  *bool // when true, the middleware's own error message is dropped
}

func (s *scpSession) Read(p []byte) (int, error) {
	n, err := s.Session.Read(p)
	if errors.Is(err, io.EOF) {
		s.eof = true
	}
	return n, err
}

func (s *scpSession) Write(p []byte) (int, error) {
	if s.eof {
		return len(p), nil
	}
	return s.Session.Write(p)
}

func (s *scpSession) Exit(code int) error {
	s.exited = true
	return s.Session.Exit(code)
}

func (s *scpSession) Stderr() io.ReadWriter {
	if s.quiet != nil && *s.quiet {
		return discardReadWriter{}
	}
	return s.Session.Stderr()
}

type discardReadWriter struct{}

func (discardReadWriter) Read([]byte) (int, error)    { return 0, io.EOF }
func (discardReadWriter) Write(p []byte) (int, error) { return len(p), nil }

// scpUpload collects the files of one "scp -t" into one change.
type scpUpload struct {
	rules       upload.Rules
	tree        *store.Tree
	stderr      io.Writer
	base        string // the path the client gave, as the middleware joins it
	target      string // base in the tree
	targetIsDir bool

	change   store.Change
	total    int64
	reported bool // a refusal was printed
}

// refuse prints a refusal and returns the error that stops the transfer.
func (u *scpUpload) refuse(format string, args ...any) error {
	fmt.Fprintf(u.stderr, format+"\n", args...)
	u.reported = true
	return errRefused
}

// dest maps the path the middleware built (base joined with the folders
// and name the client sent) into the tree, as an scp server would: into
// the target when it is a folder; otherwise the target is the new name.
func (u *scpUpload) dest(p string) (string, error) {
	rel, err := filepath.Rel(u.base, p)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", u.refuse("%s: not inside %s", p, u.base)
	}
	rel = filepath.ToSlash(rel)
	var q string
	if u.targetIsDir {
		q = path.Join(u.target, rel)
	} else {
		_, rest, _ := strings.Cut(rel, "/")
		q = path.Join(u.target, rest)
	}
	q, err = upload.Path(q)
	if err != nil {
		return "", u.refuse("%v", err)
	}
	if q == "." {
		return "", u.refuse("%s: give a file name", p)
	}
	return q, nil
}

// Mkdir checks a folder the client sends (scp -r). Nothing is made: git
// keeps no empty folder; the folder comes with the files put in it.
func (u *scpUpload) Mkdir(_ ssh.Session, e *scp.DirEntry) error {
	q, err := u.dest(e.Filepath)
	if err != nil {
		return err
	}
	if info, err := u.tree.Stat(q); err == nil && !info.IsDir() {
		return u.refuse("%s is a file, not a folder", q)
	}
	return nil
}

// Write reads one file the client sends, refusing it before reading when
// the upload rules do not allow it there or it is over its size limit.
func (u *scpUpload) Write(_ ssh.Session, e *scp.FileEntry) (int64, error) {
	q, err := u.dest(e.Filepath)
	if err != nil {
		return 0, err
	}
	limit, err := u.rules.Target(q)
	if err != nil {
		reportPublishError(u.stderr, err)
		u.reported = true
		return 0, errRefused
	}
	if e.Size > limit {
		return 0, u.refuse("%s: too big: %s, over the %s limit for %s; nothing was published",
			q, upload.FormatSize(e.Size), upload.FormatSize(limit), upload.KindName(q))
	}
	blog := u.rules.Limits.Blog
	if blog == 0 {
		blog = upload.DefaultLimits().Blog
	}
	if u.total+e.Size > blog {
		return 0, u.refuse("%s: the files of this copy are over the %s limit for a blog; nothing was published", q, upload.FormatSize(blog))
	}
	data, err := io.ReadAll(e.Reader)
	if err != nil {
		return int64(len(data)), fmt.Errorf("read %s: %w", q, err)
	}
	u.total += int64(len(data))
	u.change.Put(q, data)
	return int64(len(data)), nil
}

// scpReader serves "scp -f" from one state of the tree, mapping the
// client's paths (and glob patterns) into it. It counts what it sends, for
// the acknowledgements to wait for.
type scpReader struct {
	scp.CopyToClientHandler // wish's reader over tree
	tree                    *store.Tree
	files, dirs             int
}

// NewFileEntry counts a file sent.
func (r *scpReader) NewFileEntry(sess ssh.Session, p string) (*scp.FileEntry, func() error, error) {
	r.files++
	return r.CopyToClientHandler.NewFileEntry(sess, p)
}

// NewDirEntry counts a folder sent.
func (r *scpReader) NewDirEntry(sess ssh.Session, p string) (*scp.DirEntry, error) {
	r.dirs++
	return r.CopyToClientHandler.NewDirEntry(sess, p)
}

// acks returns how many acknowledgements the client sends for what was
// sent: one when it starts, then one for each line wish writes (a time
// line, then "C" or "D") and one at the end of each file's data or
// folder's "E".
func (r *scpReader) acks() int { return 1 + 3*(r.files+r.dirs) }

// Glob maps pattern into the tree and expands it there.
func (r *scpReader) Glob(_ ssh.Session, pattern string) ([]string, error) {
	p, err := upload.Path(pattern)
	if err != nil {
		return nil, err
	}
	return fs.Glob(r.tree, p)
}

// isTreeDir reports whether p is a folder of tree.
func isTreeDir(tree *store.Tree, p string) bool {
	info, err := tree.Stat(p)
	return err == nil && info.IsDir()
}
