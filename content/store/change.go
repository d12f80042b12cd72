package store

import (
	"fmt"
	"maps"
	"strings"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload"
)

// OpKind is what an Op does.
type OpKind int

// The operations a Change is made of: what scp and sftp can do to files.
const (
	OpPut    OpKind = iota + 1 // create or overwrite the file Path with Data
	OpRemove                   // remove the file Path (sftp rm, rmdir)
	OpRename                   // move the file or folder Path to To (sftp rename)
	OpMkdir                    // make the folder Path (sftp mkdir, scp -r)
)

// Op is one operation of a Change. Paths are as the client gave them; Apply
// maps them into the tree with upload.Path.
type Op struct {
	Kind    OpKind
	Path    string
	To      string // OpRename: the new path
	Data    []byte // OpPut: the file's contents; Apply takes ownership
	Replace bool   // OpRename: replace an existing file at To (posix-rename)
}

// Change is what a client asks for: operations applied in order, all or
// nothing. Via names the transport for messages and history ("sftp", "scp").
//
// Folders: git stores no empty folder, so a folder exists while it holds a
// file. OpMkdir checks its path (not a file, not already there) and changes
// nothing by itself; a transport that wants a new empty folder to show in
// listings during a session has to remember it itself. OpRemove removes a
// file; on a folder it fails ("not empty"), because every folder in the tree
// holds files.
type Change struct {
	Via string
	Ops []Op
}

// Put adds an operation writing data to the file at p.
func (c *Change) Put(p string, data []byte) {
	c.Ops = append(c.Ops, Op{Kind: OpPut, Path: p, Data: data})
}

// Remove adds an operation removing the file at p.
func (c *Change) Remove(p string) { c.Ops = append(c.Ops, Op{Kind: OpRemove, Path: p}) }

// Rename adds an operation moving the file or folder from to to. With
// replace, an existing file at to is replaced (sftp's posix-rename);
// otherwise an existing to is an error (sftp's rename).
func (c *Change) Rename(from, to string, replace bool) {
	c.Ops = append(c.Ops, Op{Kind: OpRename, Path: from, To: to, Replace: replace})
}

// Mkdir adds an operation making the folder p.
func (c *Change) Mkdir(p string) { c.Ops = append(c.Ops, Op{Kind: OpMkdir, Path: p}) }

// String describes the change briefly, for logs.
func (c Change) String() string {
	var parts []string
	for _, op := range c.Ops {
		switch op.Kind {
		case OpPut:
			parts = append(parts, fmt.Sprintf("put %q (%d bytes)", op.Path, len(op.Data)))
		case OpRemove:
			parts = append(parts, fmt.Sprintf("remove %q", op.Path))
		case OpRename:
			parts = append(parts, fmt.Sprintf("rename %q to %q", op.Path, op.To))
		case OpMkdir:
			parts = append(parts, fmt.Sprintf("mkdir %q", op.Path))
		default:
			parts = append(parts, fmt.Sprintf("unknown operation %d", op.Kind))
		}
	}
	return strings.Join(parts, ", ")
}

// candidate is a tree being changed: path → blob.
type candidate map[string]*blob

// isDir reports whether some file is inside folder p.
func (c candidate) isDir(p string) bool {
	if p == "." {
		return true
	}
	prefix := p + "/"
	for f := range c {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}

// fileParent returns the first folder of p that is a file, or "".
func (c candidate) fileParent(p string) string {
	for _, d := range parentDirs(p) {
		if _, ok := c[d]; ok {
			return d
		}
	}
	return ""
}

// applyOps applies ops to files in place and returns every problem: bad
// paths, operations that cannot be done, files scp and sftp may not write.
// An operation with a problem is skipped; the rest are still tried, so one
// answer lists everything wrong.
func applyOps(files candidate, ops []Op, rules upload.Rules) []content.Problem {
	var problems []content.Problem
	fail := func(format string, args ...any) {
		problems = append(problems, content.Problem{Message: fmt.Sprintf(format, args...)})
	}
	mapPath := func(p string) (string, bool) {
		q, err := upload.Path(p)
		if err != nil {
			fail("%v", err)
			return "", false
		}
		return q, true
	}
	target := func(p string) bool {
		if _, err := rules.Target(p); err != nil {
			problems = append(problems, err.(*content.ValidationError).Problems...)
			return false
		}
		return true
	}
	for _, op := range ops {
		p, ok := mapPath(op.Path)
		if !ok {
			continue
		}
		switch op.Kind {
		case OpPut:
			switch {
			case p == "." || files.isDir(p):
				fail("%q is a folder; give a file name", op.Path)
			case files.fileParent(p) != "":
				fail("%q: %s is a file, not a folder", op.Path, files.fileParent(p))
			case target(p):
				files[p] = &blob{mode: modeFile, size: int64(len(op.Data)), data: op.Data}
			}
		case OpRemove:
			switch _, isFile := files[p]; {
			case isFile:
				delete(files, p)
			case files.isDir(p):
				fail("%q is a folder that is not empty; remove its files first", op.Path)
			default:
				fail("%q: no such file", op.Path)
			}
		case OpMkdir:
			switch _, isFile := files[p]; {
			case isFile:
				fail("%q is a file", op.Path)
			case files.isDir(p):
				fail("%q already exists", op.Path)
			case files.fileParent(p) != "":
				fail("%q: %s is a file, not a folder", op.Path, files.fileParent(p))
			}
		case OpRename:
			to, ok := mapPath(op.To)
			if !ok {
				continue
			}
			problems = append(problems, rename(files, p, to, op, target)...)
		default:
			fail("unknown operation %d", op.Kind)
		}
	}
	return problems
}

// rename moves the file or folder from to to in files.
func rename(files candidate, from, to string, op Op, target func(string) bool) []content.Problem {
	fail := func(format string, args ...any) []content.Problem {
		return []content.Problem{{Message: fmt.Sprintf(format, args...)}}
	}
	if from == "." || to == "." {
		return fail("cannot move the blog's root folder")
	}
	if from == to {
		return nil
	}
	if fp := files.fileParent(to); fp != "" {
		return fail("%q: %s is a file, not a folder", op.To, fp)
	}
	if b, isFile := files[from]; isFile {
		_, exists := files[to]
		switch {
		case files.isDir(to):
			return fail("%q is a folder", op.To)
		case exists && !op.Replace:
			return fail("%q already exists", op.To)
		case !target(to):
			return nil // target recorded the problem
		}
		delete(files, from)
		files[to] = b
		return nil
	}
	if !files.isDir(from) {
		return fail("%q: no such file or folder", op.Path)
	}
	if _, exists := files[to]; exists || files.isDir(to) {
		return fail("%q already exists", op.To)
	}
	if isUnder(to, from) {
		return fail("cannot move %q into itself", op.Path)
	}
	moved := make(candidate)
	allowed := true
	for p, b := range files {
		if isUnder(p, from) {
			np := to + strings.TrimPrefix(p, from)
			allowed = target(np) && allowed // target records each refusal
			moved[np] = b
		}
	}
	if !allowed {
		return nil
	}
	for p := range files {
		if isUnder(p, from) {
			delete(files, p)
		}
	}
	maps.Copy(files, moved)
	return nil
}
