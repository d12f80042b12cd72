// Package upload holds the rules every way of publishing applies to what an
// author sends, so that scp, sftp and git push agree on them: where a file may
// go (client paths confined to the blog's tree), which kinds of file scp and
// sftp accept, how big files and the whole blog may be, that the text the
// blog reads is valid UTF-8 without NUL bytes, and that each image really is
// the format its extension names. Transports only move bytes:
// they map paths with Path, check a file they are about to receive with
// Rules.Target, and hand the whole candidate tree to Rules.CheckTree (the
// store does that for them on every change and push).
//
// Whether the blog's content is valid (front matter, dates, slugs, lists) is
// content.Load's business, not this package's.
package upload

import (
	"bytes"
	"fmt"
	"golang.org/x/text/unicode/norm"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/sshblog/sshblog/content"
)

// Limits bounds what an author may publish. A zero field means the default
// from DefaultLimits.
type Limits struct {
	TextFile int64 // most bytes in one post or YAML file
	Image    int64 // most bytes in one image, and in any file the blog does not use
	Blog     int64 // most bytes in all the blog's files together
}

// DefaultLimits returns the limits issue 3 asks for: 1 MiB per text file,
// 10 MiB per image, 256 MiB per blog.
func DefaultLimits() Limits {
	return Limits{TextFile: 1 << 20, Image: 10 << 20, Blog: 256 << 20}
}

// Validate reports a negative limit, naming it.
func (l Limits) Validate() error {
	for _, f := range []struct {
		name string
		v    int64
	}{{"text file limit", l.TextFile}, {"image limit", l.Image}, {"blog limit", l.Blog}} {
		if f.v < 0 {
			return fmt.Errorf("%s %d: must not be negative", f.name, f.v)
		}
	}
	return nil
}

// withDefaults fills the zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.TextFile == 0 {
		l.TextFile = d.TextFile
	}
	if l.Image == 0 {
		l.Image = d.Image
	}
	if l.Blog == 0 {
		l.Blog = d.Blog
	}
	return l
}

// Rules are the upload rules with their limits. The zero value uses
// DefaultLimits.
type Rules struct {
	Limits Limits
}

// Allowed describes, for people, the files scp and sftp accept. It ends the
// message that refuses any other file.
const Allowed = "Markdown posts (posts/*.md, or Jekyll's _posts/*.md), " +
	"the YAML files (site.yaml or _config.yml, books.yaml or _data/books.yml, papers.yaml or _data/papers.yml) " +
	"and images in images/ (.png, .jpg, .jpeg, .gif, .webp)"

// Target checks that scp or sftp may write a file at p, a path already
// mapped by Path, and returns the most bytes that file may hold, so a
// transport can refuse early and stop reading at the limit. Files the blog
// does not use are refused with the list of what is allowed. The error is a
// *content.ValidationError naming p. Target sees only the path: whether an
// image's bytes are the format its extension names is CheckTree's check
// (CheckImage), once the bytes are there.
func (r Rules) Target(p string) (int64, error) {
	if err := checkName(p); err != nil {
		return 0, refusal("", err.Error())
	}
	kind := kindOf(p)
	if kind == content.FileIgnored {
		return 0, refusal(p, "not accepted: you can upload "+Allowed)
	}
	return r.limitFor(kind), nil
}

// CheckTree checks every file of a candidate tree, the whole blog as it would
// be published: each name is acceptable, no symbolic link, submodule, device
// or other special file, each file within its size limit, the whole tree
// within the blog limit, every post and YAML file valid UTF-8 without NUL
// bytes, and every image in images/ the format its extension names
// (CheckImage). Files the blog does not use (say a pushed Jekyll site's
// layouts and assets) are allowed, and the size and type rules apply to them
// too, but not the image check; content.Load, not CheckTree, summarises them
// in its one warning. A ".git" element is refused: it is never part of a
// blog.
//
// It reads the files the blog reads as text and the first ImageHeadLen
// bytes of each image (through fsys.Open); the others are checked from
// their fs.FileInfo.
func (r Rules) CheckTree(fsys fs.FS) []content.Problem { return r.CheckChanges(fsys, nil) }

// CheckChanges is CheckTree for a candidate that changes a published tree:
// an image for which unchanged reports true is the one already published,
// which was checked then, so its contents are not read again (a push to a
// blog of many images need not read them all). Everything else, names,
// kinds and sizes of every file included, is checked as CheckTree does. A
// nil unchanged checks everything.
func (r Rules) CheckChanges(fsys fs.FS, unchanged func(name string) bool) []content.Problem {
	return r.check(fsys, unchanged, false)
}

// CheckSeed is CheckTree for a seed, the blog folder a server starts from:
// what a file says (an image whose extension names another format, text
// that is not UTF-8) is a warning, since the seed is the blog as its author
// already publishes it, and the file is stored and served anyway. What
// cannot be stored (special files, sizes over the limits, bad names) is
// an error as in CheckTree.
func (r Rules) CheckSeed(fsys fs.FS) []content.Problem { return r.check(fsys, nil, true) }

// check is CheckChanges, with CheckSeed's leniency when seed is set.
func (r Rules) check(fsys fs.FS, unchanged func(name string) bool, seed bool) []content.Problem {
	lenient := func(p content.Problem) content.Problem {
		if seed {
			return seeded(p)
		}
		return p
	}
	lim := r.Limits.withDefaults()
	var problems []content.Problem
	var total int64
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, content.Problem{Message: fmt.Sprintf("cannot read %q: %v", p, err)})
			return nil
		}
		if p == "." {
			return nil
		}
		if err := checkName(p); err != nil {
			// The name itself is the problem: it is quoted in the message,
			// never printed raw.
			problems = append(problems, content.Problem{Message: err.Error()})
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if msg := specialFile(d.Type()); msg != "" {
			problems = append(problems, content.Problem{File: p, Message: msg})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			problems = append(problems, content.Problem{File: p, Message: "cannot read: " + err.Error()})
			return nil
		}
		kind := kindOf(p)
		total += info.Size()
		if limit := r.limitFor(kind); info.Size() > limit {
			problems = append(problems, content.Problem{File: p, Message: fmt.Sprintf(
				"%s is over the %s limit for %s", FormatSize(info.Size()), FormatSize(limit), kindName(kind))})
			return nil
		}
		if kind == content.FileImage && (unchanged == nil || !unchanged(p)) {
			head, err := readHead(fsys, p)
			if err != nil {
				problems = append(problems, content.Problem{File: p, Message: "cannot read: " + err.Error()})
				return nil
			}
			if pr := CheckImage(p, head); pr != nil {
				problems = append(problems, lenient(*pr))
			}
		}
		if isText(kind) {
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				problems = append(problems, content.Problem{File: p, Message: "cannot read: " + err.Error()})
				return nil
			}
			if pr := CheckText(p, data); pr != nil {
				problems = append(problems, lenient(*pr))
			}
		}
		return nil
	})
	if err != nil {
		problems = append(problems, content.Problem{Message: "cannot read the blog: " + err.Error()})
	}
	if total > lim.Blog {
		problems = append(problems, content.Problem{Message: fmt.Sprintf(
			"the blog's files take %s, over the %s limit for a blog", FormatSize(total), FormatSize(lim.Blog))})
	}
	return problems
}

// CheckText reports text that is not valid UTF-8 or holds a NUL byte, at the
// line of the first bad byte, or nil when data is fine. A leading byte order
// mark is allowed.
func CheckText(file string, data []byte) *content.Problem {
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
		return nil // the common case, at memory speed; the loop below finds the line
	}
	line := 1
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == 0:
			return &content.Problem{File: file, Line: line, Message: "text contains a NUL byte (is it a binary file?)"}
		case c == '\n':
			line++
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				return &content.Problem{File: file, Line: line, Message: "text is not valid UTF-8 (save the file as UTF-8)"}
			}
			i += n
			continue
		}
		i++
	}
	return nil
}

// IsText reports whether the blog reads the file at p as text (a post or one
// of its YAML files): such files are held to the text limit and must be
// valid UTF-8.
func IsText(p string) bool { return isText(kindOf(p)) }

// limitFor returns the size limit of a file of kind k.
func (r Rules) limitFor(k content.FileKind) int64 {
	lim := r.Limits.withDefaults()
	if isText(k) {
		return lim.TextFile
	}
	return lim.Image // images, and files the blog does not use
}

// specialFile returns why a file of type t may not be published, or "" for a
// regular file.
func specialFile(t fs.FileMode) string {
	switch {
	case t&fs.ModeSymlink != 0:
		return "symbolic links are not allowed; put the file itself here"
	case t&fs.ModeIrregular != 0:
		// Tree (store) reports git submodules (mode 160000) as irregular.
		return "submodules and other special files are not allowed; add the files themselves"
	case t&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe|fs.ModeSocket) != 0:
		return "devices, pipes and sockets are not allowed"
	case t.Type() != 0:
		return "only regular files are allowed"
	}
	return ""
}

// refusal wraps one problem about file p as a validation error.
func refusal(p, msg string) error {
	return &content.ValidationError{Problems: []content.Problem{{File: p, Message: msg}}}
}

// FormatSize formats n bytes for people, in the largest binary unit that
// reaches it, with one decimal unless the size is whole in that unit: "512
// bytes", "1.5 KiB", "10 MiB", "1 GiB". Sizes in a unit read back exactly
// where they are whole, so flag defaults use it too.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		switch {
		case n >= u.size && n%u.size == 0:
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		case n >= u.size:
			return fmt.Sprintf("%.1f %s", float64(n)/float64(u.size), u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// maxPath and maxName bound path lengths (bytes), as most file systems do.
const (
	maxPath = 4096
	maxName = 255
)

// Path maps a path given by a client (an scp target, an sftp request) to a
// clean, slash-separated path inside the blog's tree, the form io/fs uses:
// "/posts/a.md", "posts/a.md", "./posts//a.md" and "~/posts/a.md" all give
// "posts/a.md", and the tree's root is ".". The client sees the blog's
// folder as its root and home, so an absolute path is read inside it.
// ".." may move up within the tree but never above its root. Paths with
// NUL or other control characters, backslashes, invalid UTF-8, a ".git"
// element or over-long names are refused: they are mistakes or attacks, and
// git or a terminal would mishandle them. A trailing slash is dropped; the
// caller knows whether it meant a folder.
func Path(p string) (string, error) {
	if err := checkChars(p); err != nil {
		return "", err
	}
	switch {
	case p == "~":
		p = ""
	case strings.HasPrefix(p, "~/"):
		p = p[2:]
	}
	var out []string
	for _, el := range strings.Split(p, "/") {
		switch el {
		case "", ".":
			continue
		case "..":
			if len(out) == 0 {
				return "", fmt.Errorf("path %q leaves the blog's folder", p)
			}
			out = out[:len(out)-1]
			continue
		}
		if err := checkElement(el); err != nil {
			return "", fmt.Errorf("path %q: %w", p, err)
		}
		out = append(out, el)
	}
	if len(out) == 0 {
		return ".", nil
	}
	// One spelling per name: "café" typed on Linux (NFC) and on macOS
	// (often NFD) look the same and must name the same file.
	return norm.NFC.String(strings.Join(out, "/")), nil
}

// checkName checks a path that is already inside a tree (from a walk of a
// candidate or pushed tree): the same characters and elements Path accepts.
func checkName(p string) error {
	if err := checkChars(p); err != nil {
		return err
	}
	for _, el := range strings.Split(p, "/") {
		if err := checkElement(el); err != nil {
			return fmt.Errorf("path %q: %w", p, err)
		}
	}
	return nil
}

// checkChars refuses over-long paths and characters no blog file name needs.
func checkChars(p string) error {
	if len(p) > maxPath {
		return fmt.Errorf("path %q… is longer than %d bytes", p[:64], maxPath)
	}
	if !utf8.ValidString(p) {
		return fmt.Errorf("path %q is not valid UTF-8", p)
	}
	for _, r := range p {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return fmt.Errorf("path %q contains a control character", p)
		case r == '\\':
			return fmt.Errorf("path %q contains a backslash; separate folders with /", p)
		}
	}
	return nil
}

// checkElement checks one element of a path.
func checkElement(el string) error {
	switch {
	case len(el) > maxName:
		return fmt.Errorf("a name is longer than %d bytes", maxName)
	case strings.EqualFold(el, ".git"):
		return fmt.Errorf(".git is reserved for git's own files")
	case el == "" || el == "." || el == "..":
		return fmt.Errorf("empty, . or .. element")
	}
	return nil
}

// ext returns p's extension in lower case, without the dot.
func ext(p string) string {
	return strings.ToLower(strings.TrimPrefix(path.Ext(p), "."))
}
