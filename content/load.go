package content

import (
	"fmt"
	"io/fs"
	pathpkg "path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sshblog/sshblog/content/termsafe"
)

// FileKind says what a file is to the blog, judged by its path alone.
type FileKind int

// File kinds.
const (
	FileIgnored FileKind = iota // not used by the blog (Jekyll layouts, Gemfile, hidden files, ...)
	FilePost                    // a Markdown post under posts/, _posts/ or Hugo's content/posts/ (post/, blog/)
	FileSite                    // site.yaml, Jekyll's _config.yml, or Hugo's hugo.toml / config.toml / config.yaml
	FileBooks                   // books.yaml, or Jekyll's _data/books.yml
	FilePapers                  // papers.yaml, or Jekyll's _data/papers.yml
	FileImage                   // a png, jpg, gif or webp image under images/
	// FilePage is a Markdown file that may be a page: at a Jekyll blog's
	// root (about.md), under pages/, or directly under Hugo's content/
	// (content/about.md, content/about/index.md); or an HTML file at a
	// Jekyll blog's root (about.html). Load takes it as a page when it has
	// front matter (Jekyll's rule; not needed under pages/), is not a
	// listing (index, 404, a layout or body that lists posts) and, for
	// HTML, shows text of its own (not only scripts and includes).
	FilePage
	FileInclude // a file under Jekyll's _includes/, for {% include %}
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
	case FilePage:
		return "page"
	case FileInclude:
		return "include"
	default:
		return "ignored"
	}
}

// Candidate files for the site config and the lists, the first present one
// wins. A blog may hold both sshblog's and Jekyll's names.
var (
	siteFiles = [...]string{"site.yaml", "site.yml", "_config.yml", "_config.yaml",
		"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json",
		"config/_default/hugo.toml", "config/_default/config.toml", "config/_default/hugo.yaml", "config/_default/config.yaml"}
	bookFiles  = [...]string{"books.yaml", "books.yml", "_data/books.yml", "_data/books.yaml"}
	paperFiles = [...]string{"papers.yaml", "papers.yml", "_data/papers.yml", "_data/papers.yaml"}
	imageExts  = [...]string{".png", ".jpg", ".jpeg", ".gif", ".webp"}
	// markdownExts are Jekyll's markdown_ext default (markdown, mkdown,
	// mkdn, mkd, md).
	markdownExts = [...]string{".md", ".markdown", ".mkdown", ".mkdn", ".mkd"}
	postDirs     = [...]string{"posts/", "_posts/", "content/posts/", "content/post/", "content/blog/"}
)

// PostFolders lists, for messages, where Load looks for posts.
func PostFolders() []string { return slices.Clone(postDirs[:]) }

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
	markdown := slices.Contains(markdownExts[:], ext)
	base := pathpkg.Base(path)
	switch {
	case slices.Contains(siteFiles[:], path):
		return FileSite
	case slices.Contains(bookFiles[:], path):
		return FileBooks
	case slices.Contains(paperFiles[:], path):
		return FilePapers
	case markdown && strings.HasPrefix(base, "_index."):
		return FileIgnored // Hugo's list pages
	case markdown && (hasAnyPrefix(path, postDirs[:]) || strings.Contains(path, "/_posts/")):
		return FilePost // Jekyll also reads category/_posts/
	case slices.Contains(imageExts[:], ext) && strings.HasPrefix(path, "images/"):
		return FileImage
	case strings.HasPrefix(path, "_includes/"):
		return FileInclude
	case markdown && isPagePath(path):
		return FilePage
	case ext == ".html" && !strings.Contains(path, "/"):
		return FilePage // Jekyll's about.html; Load takes it if it shows content
	}
	return FileIgnored
}

// isPagePath reports whether a Markdown file at path is where pages live:
// the root, pages/, content/ or a page bundle directly under content/.
func isPagePath(path string) bool {
	dir := pathpkg.Dir(path)
	switch {
	case dir == ".", dir == "pages", dir == "content":
		return true
	case strings.HasPrefix(path, "content/") && strings.Count(path, "/") == 2:
		return strings.TrimSuffix(pathpkg.Base(path), pathpkg.Ext(path)) == "index"
	}
	return false
}

// Load reads the blog in fsys, checks all of it and returns its snapshot,
// named by revision (a commit id, or "" for a plain folder).
//
// Load never refuses a blog because of its files (see the package doc,
// Problems): it returns a snapshot whenever it can list the blog's files.
// When some files have errors, it also returns a *ValidationError listing
// every problem, errors and warnings, sorted by file then line: a server
// serving a folder may serve the snapshot anyway, a publish refuses the
// errors it introduces. The snapshot's Warnings hold every problem in
// either case. Only a failure to list or read the blog is an error without
// a snapshot, "load post posts/x.md: ...".
//
// Every problem names a file and line, but two summaries of the whole
// blog: the files it does not use (a Jekyll repository's layouts, Gemfile,
// ...) and the front matter keys it does not use.
func Load(fsys fs.FS, revision string) (*Snapshot, error) {
	return loadSnapshot(fsys, revision, nil)
}

// loadSnapshot is Load, with the parse caches of LoadCached (nil: none).
func loadSnapshot(fsys fs.FS, revision string, caches *docCaches) (*Snapshot, error) {
	b, problems, err := load(fsys, caches)
	if err != nil {
		return nil, err
	}
	s := NewSnapshot(b.site, b.posts, b.books, b.papers, problems, revision)
	s.setExtras(b)
	if hasErrors(problems) {
		return s, &ValidationError{Problems: problems}
	}
	return s, nil
}

// Check reads and checks the blog in fsys as Load does and returns every
// problem, errors and warnings, sorted by file then line; none means the
// blog is fine. A file that cannot be read is a problem too, its message
// naming the file.
func Check(fsys fs.FS) []Problem {
	b, problems, err := load(fsys, nil)
	if err != nil {
		problems = append(problems, Problem{Message: termsafe.Line(err.Error())})
	} else {
		// What the bodies' Liquid or shortcodes do not expand as Jekyll
		// or Hugo would: warnings, found by expanding every body.
		s := NewSnapshot(b.site, b.posts, b.books, b.papers, nil, "")
		s.setExtras(b)
		problems = append(problems, s.bodyProblems()...)
	}
	return tidy(problems)
}

// blog is what load found, before it becomes a Snapshot.
type blog struct {
	site     Site
	config   map[string]any // the site config file, whole
	posts    []*Post
	pages    []*Post
	books    []Book
	papers   []Paper
	includes map[string][]byte   // _includes/, by path below it
	images   map[string]struct{} // served image files, by site path (see imagePaths)
}

// load reads and checks everything; problems come back tidied. caches
// (nil: none) spare parsing posts and pages parsed before.
func load(fsys fs.FS, caches *docCaches) (*blog, []Problem, error) {
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
		b.site, b.config, ps = parseSite(name, data)
		problems = append(problems, ps...)
		problems = append(problems, shadowed...)
	} else {
		problems = append(problems, Problem{File: "site.yaml", Warning: true,
			Message: "no site.yaml (or _config.yml, hugo.toml): the blog has no title"})
	}

	unused := make(map[string]int) // front matter key -> files using it
	var notTaken []string          // candidate pages that are not pages
	posts, ps, err := parseDocs(fsys, bundled(files[FilePost]), FilePost, unused, caches)
	if err != nil {
		return nil, nil, err
	}
	problems = append(problems, ps...)
	b.posts, ps = distinctSlugs(posts)
	problems = append(problems, ps...)
	pages, ps, err := parseDocs(fsys, files[FilePage], FilePage, unused, caches)
	if err != nil {
		return nil, nil, err
	}
	problems = append(problems, ps...)
	taken := make(map[string]bool)
	for _, p := range pages {
		if listingPage(p) {
			continue
		}
		taken[p.Path] = true
		b.pages = append(b.pages, p)
	}
	for _, name := range files[FilePage] {
		if !taken[name] {
			notTaken = append(notTaken, name)
		}
	}
	b.pages, ps = distinctSlugs(b.pages)
	problems = append(problems, ps...)

	bySlug := make(map[string]*Post, len(b.posts))
	byStem := make(map[string]string) // "2020-12-26-x" -> slug, for hints
	for _, p := range b.posts {
		bySlug[p.Slug] = p
		byStem[strings.TrimSuffix(pathpkg.Base(p.Path), pathpkg.Ext(p.Path))] = p.Slug
	}

	b.images = imagePaths(files)

	if len(files[FileInclude]) > 0 {
		b.includes = make(map[string][]byte, len(files[FileInclude]))
		for _, name := range files[FileInclude] {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, nil, fmt.Errorf("load include %s: %w", name, err)
			}
			b.includes[strings.TrimPrefix(name, "_includes/")] = data
		}
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

	if len(unused) > 0 {
		problems = append(problems, Problem{Warning: true, Message: unusedKeysSummary(unused)})
	}
	if ignored := append(files[FileIgnored], notTaken...); len(ignored) > 0 {
		sort.Strings(ignored)
		problems = append(problems, Problem{Warning: true, Message: ignoredSummary(ignored)})
	}
	return b, tidy(problems), nil
}

// parseDocs reads and parses the posts or pages (kind) at names, counting
// the front matter keys they do not use in unused. Files are parsed on
// every core (parsing is most of a large blog's start-up); the result is
// in the order of names whatever the scheduling. With caches, and fsys a
// FileIDer, a file parsed before is neither read nor parsed again, and
// every parse is recorded in caches.fresh.
func parseDocs(fsys fs.FS, names []string, kind FileKind, unused map[string]int, caches *docCaches) ([]*Post, []Problem, error) {
	ider, _ := fsys.(FileIDer)
	if caches == nil {
		ider = nil
	}
	type result struct {
		post     *Post
		problems []Problem
		unused   []string
		err      error
	}
	results := make([]result, len(names))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(names)/16, 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(names) {
					return
				}
				name := names[i]
				var id string
				if ider != nil {
					id, _ = ider.FileID(name)
				}
				if id != "" && caches.old != nil {
					if r, p, ok := caches.old.take(name, id); ok {
						caches.fresh.put(name, id, p, r.Problems, r.Unused)
						if p != nil {
							p.src = bodySource{fsys: fsys, name: name}
						}
						results[i] = result{post: p, problems: r.Problems, unused: r.Unused}
						continue
					}
				}
				data, err := fs.ReadFile(fsys, name)
				if err != nil {
					results[i].err = fmt.Errorf("load %s %s: %w", kind, name, err)
					continue
				}
				p, ps, keys := parseDoc(name, data, kind)
				if id != "" {
					caches.fresh.put(name, id, p, ps, keys)
					caches.fresh.parsed.Add(1)
				}
				if p != nil {
					p.src = bodySource{fsys: fsys, name: name}
				}
				results[i] = result{post: p, problems: ps, unused: keys}
			}
		})
	}
	wg.Wait()
	var docs []*Post
	var problems []Problem
	for _, r := range results {
		if r.err != nil {
			return nil, nil, r.err
		}
		problems = append(problems, r.problems...)
		for _, k := range r.unused {
			unused[k]++
		}
		if r.post != nil {
			docs = append(docs, r.post)
		}
	}
	return docs, problems, nil
}

// bundled drops the Markdown files of Hugo page bundles other than their
// index.md: in content/posts/foo/, index.md is the post and any other file
// (there or below) is one of its resources.
func bundled(names []string) []string {
	bundles := make(map[string]bool)
	for _, n := range names {
		if strings.HasPrefix(n, "content/") && pathpkg.Base(n) == "index.md" {
			bundles[pathpkg.Dir(n)+"/"] = true
		}
	}
	if len(bundles) == 0 {
		return names
	}
	kept := names[:0:0]
	for _, n := range names {
		inBundle := false
		for dir := pathpkg.Dir(n) + "/"; dir != "./" && dir != "/"; dir = pathpkg.Dir(strings.TrimSuffix(dir, "/")) + "/" {
			if bundles[dir] && n != dir+"index.md" {
				inBundle = true
				break
			}
		}
		if !inBundle {
			kept = append(kept, n)
		}
	}
	return kept
}

// listingLayouts are layouts that make a page a list of posts (a home,
// an archive, a tag index), which the UI shows its own way.
var listingLayouts = map[string]bool{
	"home": true, "index": true, "archive": true, "archives": true, "tags": true, "tag": true,
	"categories": true, "category": true, "search": true, "blog": true, "list": true, "redirect": true,
}

// listingPage reports whether a page is one readers would not want among
// the pages: the home page, a 404 page, a draft, or a listing of posts (by
// its layout; parseDoc gives a page whose body loops over site.posts or a
// paginator the layout "list").
func listingPage(p *Post) bool {
	stem := strings.TrimSuffix(pathpkg.Base(p.Path), pathpkg.Ext(p.Path))
	switch {
	case p.Draft, stem == "index" && !strings.HasPrefix(p.Path, "content/"), stem == "404", stem == "_index",
		listingLayouts[strings.ToLower(p.Layout)]:
		return true
	}
	return false
}

// distinctSlugs gives every post a slug of its own. The oldest post with
// a slug keeps it, so publishing a newer post never renames one readers
// know; each later one gets its date appended ("MCM-2015-01-21", then
// "-2", "-3" if that is taken too), with a problem on its file: a warning
// in Jekyll's and Hugo's layouts, which publish both posts at their own
// permalinks, an error in sshblog's, whose slugs are the posts' names.
// posts come back in their input order.
func distinctSlugs(posts []*Post) ([]*Post, []Problem) {
	order := make([]*Post, len(posts))
	copy(order, posts)
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.Path < b.Path
	})
	owner := make(map[string]*Post, len(posts))
	var problems []Problem
	for _, p := range order {
		first, dup := owner[p.Slug]
		if !dup {
			owner[p.Slug] = p
			continue
		}
		slug := p.Slug + "-" + p.Date.Format("2006-01-02")
		for n := 2; owner[slug] != nil; n++ {
			slug = fmt.Sprintf("%s-%s-%d", p.Slug, p.Date.Format("2006-01-02"), n)
		}
		problems = append(problems, Problem{File: p.Path, Warning: dialectOf(p.Path) != dialectNative,
			Message: fmt.Sprintf("duplicate slug %q: %s has it too; this one is %q", p.Slug, first.Path, slug)})
		p.Slug = slug
		owner[slug] = p
	}
	return posts, problems
}

// unusedKeysSummary describes in one line the front matter keys sshblog
// does not use, most used first: "12 front matter keys are not used by
// sshblog: header-img (86 files), catalog (86), ...".
func unusedKeysSummary(unused map[string]int) string {
	const shown = 10
	keys := make([]string, 0, len(unused))
	for k := range unused {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if unused[keys[i]] != unused[keys[j]] {
			return unused[keys[i]] > unused[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, 0, shown+1)
	for i, k := range keys {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more", len(keys)-shown))
			break
		}
		files := "files"
		if unused[k] == 1 {
			files = "file"
		}
		if i > 0 {
			files = ""
		}
		parts = append(parts, strings.TrimSpace(fmt.Sprintf("%s (%d %s", k, unused[k], files))+")")
	}
	noun := "keys are"
	if len(keys) == 1 {
		noun = "key is"
	}
	return fmt.Sprintf("%d front matter %s not used by sshblog: %s", len(keys), noun, strings.Join(parts, ", "))
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

// imagePaths returns the image files of the blog, wherever they are
// (images/, Jekyll's assets/ or img/, a Hugo page bundle), by the path a
// site serves them at: the path within the blog, and for Hugo's static/
// folder the path below it as well (static/images/a.png is served at
// /images/a.png). Hidden files are not among them (walk skips them).
func imagePaths(files map[FileKind][]string) map[string]struct{} {
	images := make(map[string]struct{}, len(files[FileImage]))
	for _, kind := range []FileKind{FileImage, FileIgnored} {
		for _, name := range files[kind] {
			if !slices.Contains(imageExts[:], strings.ToLower(pathpkg.Ext(name))) {
				continue
			}
			images[name] = struct{}{}
			if rest, ok := strings.CutPrefix(name, "static/"); ok {
				images[rest] = struct{}{}
			}
		}
	}
	return images
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
