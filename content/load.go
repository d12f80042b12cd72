package content

import (
	"fmt"
	"io/fs"
	pathpkg "path"
	"slices"
	"sort"
	"strings"

	"github.com/sshblog/sshblog/content/termsafe"
)

// FileKind says what a file is to the blog, judged by its path alone.
type FileKind int

// File kinds.
const (
	FileIgnored FileKind = iota // not used by the blog (Jekyll layouts, Gemfile, hidden files, ...)
	FilePost                    // a Markdown post under posts/ or _posts/
	FileSite                    // site.yaml, or Jekyll's _config.yml
	FileBooks                   // books.yaml, or Jekyll's _data/books.yml
	FilePapers                  // papers.yaml, or Jekyll's _data/papers.yml
	FileImage                   // a png, jpg, gif or webp image under images/
)

// String names the kind for messages: "post", "image", "ignored", ...
func (k FileKind) String() string {
	switch k {
	case FilePost:
		return "post"
	case FileSite:
		return "site config"
	case FileBooks:
		return "book list"
	case FilePapers:
		return "paper list"
	case FileImage:
		return "image"
	default:
		return "ignored"
	}
}

// Candidate files for the site config and the lists, the first present one
// wins. A blog may hold both sshblog's and Jekyll's names.
var (
	siteFiles   = [...]string{"site.yaml", "site.yml", "_config.yml", "_config.yaml"}
	bookFiles   = [...]string{"books.yaml", "books.yml", "_data/books.yml", "_data/books.yaml"}
	paperFiles  = [...]string{"papers.yaml", "papers.yml", "_data/papers.yml", "_data/papers.yaml"}
	imageExts   = [...]string{".png", ".jpg", ".jpeg", ".gif", ".webp"}
	postDirs    = [...]string{"posts/", "_posts/"}
	jekyllSites = [...]string{"_config.yml", "_config.yaml"}
)

// Classify says what the file at path (slash-separated, relative to the
// blog root) is to the blog. Anything under a hidden directory, and any
// hidden file, is ignored.
func Classify(path string) FileKind {
	path = pathpkg.Clean(strings.TrimPrefix(path, "/"))
	if path == "." || path == ".." || strings.HasPrefix(path, "../") {
		return FileIgnored
	}
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, ".") {
			return FileIgnored
		}
	}
	ext := strings.ToLower(pathpkg.Ext(path))
	switch {
	case slices.Contains(siteFiles[:], path):
		return FileSite
	case slices.Contains(bookFiles[:], path):
		return FileBooks
	case slices.Contains(paperFiles[:], path):
		return FilePapers
	case (ext == ".md" || ext == ".markdown") && hasAnyPrefix(path, postDirs[:]):
		return FilePost
	case slices.Contains(imageExts[:], ext) && strings.HasPrefix(path, "images/"):
		return FileImage
	}
	return FileIgnored
}

// Load reads the blog in fsys, checks all of it and returns its snapshot,
// named by revision (a commit id, or "" for a plain folder).
//
// When the blog has errors Load returns a *ValidationError listing every
// problem, errors and warnings, sorted by file then line. Otherwise the
// warnings go into the snapshot. A file that cannot be read is a Go error,
// "load post posts/x.md: ...".
//
// Every problem names a file and line, but one: the summary of files the
// blog does not use (a Jekyll repository's layouts, Gemfile, ...), a single
// warning with no file.
func Load(fsys fs.FS, revision string) (*Snapshot, error) {
	b, problems, err := load(fsys)
	if err != nil {
		return nil, err
	}
	if hasErrors(problems) {
		return nil, &ValidationError{Problems: problems}
	}
	return NewSnapshot(b.site, b.posts, b.books, b.papers, problems, revision), nil
}

// Check reads and checks the blog in fsys as Load does and returns every
// problem, errors and warnings, sorted by file then line; none means the
// blog is fine. A file that cannot be read is a problem too, its message
// naming the file.
func Check(fsys fs.FS) []Problem {
	_, problems, err := load(fsys)
	if err != nil {
		problems = append(problems, Problem{Message: termsafe.Line(err.Error())})
	}
	return tidy(problems)
}

// blog is what load found, before it becomes a Snapshot.
type blog struct {
	site   Site
	posts  []*Post
	books  []Book
	papers []Paper
}

// load reads and checks everything; problems come back tidied.
func load(fsys fs.FS) (*blog, []Problem, error) {
	files, problems, err := walk(fsys)
	if err != nil {
		return nil, nil, err
	}
	b := &blog{}
	var refs []listRef

	if name, shadowed := pick(files, siteFiles[:]); name != "" {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("load site config %s: %w", name, err)
		}
		var ps []Problem
		b.site, ps = parseSite(name, data, slices.Contains(jekyllSites[:], name))
		problems = append(problems, ps...)
		problems = append(problems, shadowed...)
	} else {
		problems = append(problems, Problem{File: "site.yaml", Warning: true,
			Message: "no site.yaml (or _config.yml): the blog has no title"})
	}

	bySlug := make(map[string]*Post)
	byStem := make(map[string]string) // "2020-12-26-x" -> slug, for hints
	for _, name := range files[FilePost] {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("load post %s: %w", name, err)
		}
		p, ps := parsePost(name, data)
		problems = append(problems, ps...)
		if p == nil {
			continue
		}
		if first, dup := bySlug[p.Slug]; dup {
			problems = append(problems, Problem{File: p.Path,
				Message: fmt.Sprintf("duplicate slug %q: %s has it too", p.Slug, first.Path)})
			continue
		}
		bySlug[p.Slug] = p
		byStem[strings.TrimSuffix(pathpkg.Base(name), pathpkg.Ext(name))] = p.Slug
		b.posts = append(b.posts, p)
	}

	if name, shadowed := pick(files, bookFiles[:]); name != "" {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("load list %s: %w", name, err)
		}
		books, rs, ps := parseBooks(name, data)
		b.books = books
		refs = append(refs, rs...)
		problems = append(append(problems, ps...), shadowed...)
	}
	if name, shadowed := pick(files, paperFiles[:]); name != "" {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("load list %s: %w", name, err)
		}
		papers, rs, ps := parsePapers(name, data)
		b.papers = papers
		refs = append(refs, rs...)
		problems = append(append(problems, ps...), shadowed...)
	}
	for _, r := range refs {
		p, ok := bySlug[r.slug]
		switch {
		case !ok && byStem[r.slug] != "":
			problems = append(problems, Problem{File: r.file, Line: r.line,
				Message: fmt.Sprintf("post %q does not exist; did you mean %q? (a post's slug has no date)", r.slug, byStem[r.slug])})
		case !ok:
			problems = append(problems, Problem{File: r.file, Line: r.line,
				Message: fmt.Sprintf("post %q does not exist (no post file ends in -%s.md)", r.slug, r.slug)})
		case p.Draft:
			problems = append(problems, Problem{File: r.file, Line: r.line,
				Message: fmt.Sprintf("post %q is a draft, so readers could not open it", r.slug)})
		}
	}

	if ignored := files[FileIgnored]; len(ignored) > 0 {
		problems = append(problems, Problem{Warning: true, Message: ignoredSummary(ignored)})
	}
	return b, tidy(problems), nil
}

// walk lists the blog's files by kind, skipping hidden files and folders.
// Anything that is not a regular file (a symlink, a device) is left alone
// with a warning.
func walk(fsys fs.FS) (map[FileKind][]string, []Problem, error) {
	files := make(map[FileKind][]string)
	var problems []Problem
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("load %s: %w", name, err)
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			problems = append(problems, Problem{File: name, Warning: true,
				Message: "not a regular file (a symlink?): ignored"})
			return nil
		}
		kind := Classify(name)
		files[kind] = append(files[kind], name)
		return nil
	})
	return files, problems, err
}

// pick returns the first of candidates the blog has, and a warning for
// each other one present, which is not used.
func pick(files map[FileKind][]string, candidates []string) (string, []Problem) {
	kind := Classify(candidates[0])
	var chosen string
	var shadowed []Problem
	for _, c := range candidates {
		if !slices.Contains(files[kind], c) {
			continue
		}
		if chosen == "" {
			chosen = c
			continue
		}
		shadowed = append(shadowed, Problem{File: c, Warning: true,
			Message: fmt.Sprintf("not used: %s takes precedence", chosen)})
	}
	return chosen, shadowed
}

// ignoredSummary describes the ignored files in one line, grouped by their
// top-level folder.
func ignoredSummary(names []string) string {
	const shown = 8
	count := make(map[string]int)
	var groups []string
	for _, n := range names {
		g := n
		if i := strings.IndexByte(n, '/'); i >= 0 {
			g = n[:i+1]
		}
		if count[g] == 0 {
			groups = append(groups, g)
		}
		count[g]++
	}
	sort.Strings(groups)
	parts := make([]string, 0, shown+1)
	for i, g := range groups {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more", len(groups)-shown))
			break
		}
		if count[g] > 1 || strings.HasSuffix(g, "/") {
			parts = append(parts, fmt.Sprintf("%s (%d)", g, count[g]))
		} else {
			parts = append(parts, g)
		}
	}
	noun := "files are"
	if len(names) == 1 {
		noun = "file is"
	}
	return fmt.Sprintf("%d %s not part of the blog and ignored: %s", len(names), noun, strings.Join(parts, ", "))
}

// tidy makes problems safe to print and sorts them by file, then line.
func tidy(problems []Problem) []Problem {
	for i := range problems {
		problems[i].File = termsafe.Line(problems[i].File)
		problems[i].Message = termsafe.Line(problems[i].Message)
	}
	sort.SliceStable(problems, func(i, j int) bool {
		a, b := problems[i], problems[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return problems
}

// hasErrors reports whether any problem is an error.
func hasErrors(problems []Problem) bool { return ErrorCount(problems) > 0 }

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
