package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload"
)

// check runs `sshblog check [flags] DIR`: it validates the blog folder DIR
// as a publish would (the upload rules, then the blog itself), prints every
// problem as "file:line: message", warnings marked "warning:", then a
// summary line, and returns 1 when there are errors, 0 otherwise (2 for a
// usage error). With --render it also renders the blog (see renderAll),
// which stops early when ctx is done (Ctrl-C).
func check(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("sshblog check", flag.ContinueOnError)
	fset.SetOutput(stderr)
	// The upload limits, from the same table as serve's flags.
	var c Config
	for _, s := range settings() {
		if !strings.HasPrefix(s.key, "max_") {
			continue
		}
		s := s
		fset.Func(s.flag(), fmt.Sprintf("%s (default %q)", s.usage, s.def()), func(v string) error {
			if err := s.set(&c, v); err != nil {
				return s.invalid(v, "--"+s.flag(), err)
			}
			return nil
		})
	}
	var renderToo bool
	const renderUsage = "also render every post at 40, 80 and 120 columns and report what a reader should not see (leftover markup, mangled math) and how CJK text breaks into lines"
	fset.BoolVar(&renderToo, "render", false, renderUsage)
	fset.BoolVar(&renderToo, "r", false, "short for --render")
	fset.Usage = func() {
		fmt.Fprintf(stderr, "Usage: sshblog check [--render] [flags] DIR\n\n"+
			"Checks the blog folder DIR as the server takes it with --seed: every problem as\n"+
			"file:line: message, warnings marked; exit status 1 when there are errors. A file the\n"+
			"blog can serve but a new upload would be refused for (an image whose name lies about\n"+
			"its format) is a warning.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() != 1 {
		fmt.Fprintln(stderr, "sshblog check: want one folder: sshblog check DIR")
		return 2
	}
	dir := fset.Arg(0)
	if err := checkDir(dir); err != nil {
		fmt.Fprintf(stderr, "sshblog check: %s: %v\n", dir, err)
		return 2
	}

	files := publishedFiles{os.DirFS(dir)}
	problems := checkFolder(files, upload.Rules{Limits: c.Limits})
	errs, warnings := 0, 0
	for _, p := range problems {
		if p.File != "" {
			p.File = filepath.Join(dir, filepath.FromSlash(p.File))
		}
		fmt.Fprintln(stdout, p.String())
		if p.Warning {
			warnings++
		} else {
			errs++
		}
	}
	if errs > 0 {
		fmt.Fprintf(stdout, "%s, %s: fix them before publishing (a push or upload that adds or changes a file with an error is refused)\n",
			count(errs, "error"), count(warnings, "warning"))
		if renderToo {
			// What loads can still be read for what it would look like:
			// Load returns the snapshot beside the errors when the blog is usable.
			if snap, _ := content.Load(files, ""); snap != nil && len(snap.Posts())+len(snap.Pages()) > 0 {
				checkRender(ctx, stdout, stderr, dir, snap)
			} else {
				fmt.Fprintln(stdout, "render: nothing rendered: the blog does not load")
			}
		}
		return 1
	}
	snap, err := content.Load(files, "")
	if err != nil { // Check found no error, so this is the folder changing under us
		fmt.Fprintf(stderr, "sshblog check: %v\n", err)
		return 1
	}
	if len(snap.Posts()) == 0 {
		fmt.Fprintf(stdout, "no posts found: looked in %s (Markdown files with front matter)\n",
			strings.Join(content.PostFolders(), ", "))
		return 1
	}
	pages := ""
	if n := len(snap.Pages()); n > 0 {
		pages = ", " + count(n, "page")
	}
	fmt.Fprintf(stdout, "ok: %s%s, %s, %s; %s\n", count(len(snap.Posts()), "post"), pages,
		count(len(snap.Books()), "book"), count(len(snap.Papers()), "paper"), count(warnings, "warning"))
	if renderToo && !checkRender(ctx, stdout, stderr, dir, snap) {
		return 1
	}
	return 0
}

// checkFolder returns every problem of the blog in fsys: the upload rules'
// (names, special files, sizes, text encoding, image formats) and the
// blog's own (front matter, dates, slugs, lists), sorted by file then line,
// problems of the whole blog last. The folder is judged as the server takes
// it with --seed: what a file says but the blog can still serve (an image
// whose extension names another format) is a warning, since the blog
// already publishes it. Where the blog itself calls a file broken, the
// upload rules' strict word on it stands instead (papers.yaml is not UTF-8:
// "save the file as UTF-8"), and the blog's view adds nothing to a file
// the upload rules refuse (a symbolic link).
func checkFolder(fsys fs.FS, rules upload.Rules) []content.Problem {
	own := content.Check(fsys)
	broken := map[string]bool{}
	for _, p := range own {
		if !p.Warning && p.File != "" {
			broken[p.File] = true
		}
	}
	strict := map[string][]content.Problem{}
	for _, p := range rules.CheckTree(fsys) {
		strict[p.File] = append(strict[p.File], p)
	}
	var problems []content.Problem
	refused := map[string]bool{}
	for _, p := range rules.CheckSeed(fsys) {
		if p.Warning && broken[p.File] && strict[p.File] != nil {
			continue // the strict version is added below
		}
		problems = append(problems, p)
		if !p.Warning && p.File != "" {
			refused[p.File] = true
		}
	}
	for file, ps := range strict {
		if !broken[file] || refused[file] {
			continue
		}
		for _, p := range ps {
			if !p.Warning {
				problems = append(problems, p)
				refused[file] = true
			}
		}
	}
	for _, p := range own {
		if !refused[p.File] {
			problems = append(problems, p)
		}
	}
	sort.SliceStable(problems, func(i, j int) bool {
		a, b := problems[i], problems[j]
		if (a.File == "") != (b.File == "") {
			return b.File == ""
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return problems
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// notPublished are the folders of a blog folder that are not part of the
// blog when it is published: git's own, and the generated output and
// installed dependencies a Jekyll site's .gitignore leaves out, which the
// store also leaves out of a seed (see store.Open).
var notPublished = map[string]bool{
	".git": true, "_site": true, ".jekyll-cache": true, ".sass-cache": true,
	"node_modules": true, ".bundle": true, "vendor": true,
}

// publishedFiles is a blog folder as it would be published: without the
// folders in notPublished, at the top or anywhere below (a checked-out
// blog has its .git, a built Jekyll site its _site).
type publishedFiles struct{ fsys fs.FS }

// hidden reports whether name is in, or is, a folder left out.
func hidden(name string) bool {
	for _, el := range strings.Split(name, "/") {
		if notPublished[el] {
			return true
		}
	}
	return false
}

func (f publishedFiles) Open(name string) (fs.File, error) {
	if hidden(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.fsys.Open(name)
}

func (f publishedFiles) ReadDir(name string) ([]fs.DirEntry, error) {
	if hidden(name) {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	entries, err := fs.ReadDir(f.fsys, name)
	kept := entries[:0]
	for _, e := range entries {
		if !hidden(path.Join(name, e.Name())) {
			kept = append(kept, e)
		}
	}
	return kept, err
}

func (f publishedFiles) ReadFile(name string) ([]byte, error) {
	if hidden(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrNotExist}
	}
	return fs.ReadFile(f.fsys, name)
}

func (f publishedFiles) Stat(name string) (fs.FileInfo, error) {
	if hidden(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return fs.Stat(f.fsys, name)
}
