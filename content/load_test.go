package content

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sshblog/sshblog/content/termsafe"
)

// blogFS builds an in-memory blog from path -> content pairs.
func blogFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

const goodSite = "title: Test Blog\nauthor: Ce Gao\nurl: http://example.org\nlanguage: zh-CN\nlicense: CC BY-NC-SA 3.0\n"

func TestLoadNativeBlog(t *testing.T) {
	fsys := blogFS(map[string]string{
		"site.yaml":                    goodSite,
		"posts/2020-12-26-review.md":   "---\ntitle: Review\ntags: [life, books]\nfeatured: true\n---\nbody\n",
		"posts/2019/2019-05-01-old.md": "---\ntitle: Old\ntags: life\n---\n",
		"posts/2021-01-01-draft.md":    "---\ntitle: Draft\ndraft: true\n---\n",
		"books.yaml":                   "- title: DDIA\n  authors: [Martin Kleppmann]\n  post: review\n- title: Other\n",
		"papers.yaml":                  "- title: Gobi\n  post: old\n  recommended: true\n",
		"images/a.png":                 "png",
		"images/b.JPG":                 "jpg",
	})
	snap, err := Load(fsys, "abc123")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if snap.Revision() != "abc123" {
		t.Errorf("revision %q", snap.Revision())
	}
	if got := snap.Site(); got.Title != "Test Blog" || got.Language != "zh-CN" || got.Author != "Ce Gao" {
		t.Errorf("site %+v", got)
	}
	var slugs []string
	for _, p := range snap.Posts() {
		slugs = append(slugs, p.Slug)
	}
	if strings.Join(slugs, " ") != "review old" {
		t.Errorf("posts %q, want newest first without the draft", slugs)
	}
	if len(snap.Books()) != 2 || snap.Books()[0].Line != 1 || snap.Books()[1].Line != 4 {
		t.Errorf("books %+v", snap.Books())
	}
	if len(snap.Papers()) != 1 || !snap.Papers()[0].Recommended {
		t.Errorf("papers %+v", snap.Papers())
	}
	if tags := snap.Tags(); len(tags) != 2 || tags[0] != (Tag{"life", 2}) || tags[1] != (Tag{"books", 1}) {
		t.Errorf("tags %+v", tags)
	}
	if w := snap.Warnings(); len(w) != 0 {
		t.Errorf("warnings:\n%s", list(w))
	}
}

func TestLoadJekyllFolder(t *testing.T) {
	snap, err := Load(os.DirFS("testdata/jekyll"), "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	site := snap.Site()
	want := Site{Title: "A Jekyll Blog", Description: "Notes", Author: "Jane Doe", URL: "https://example.org", BaseURL: "/blog", Language: "en"}
	if site != want {
		t.Errorf("site = %+v\nwant   %+v", site, want)
	}
	posts := snap.Posts()
	if len(posts) != 1 {
		t.Fatalf("got %d posts, want 1 (the other is unpublished)", len(posts))
	}
	p := posts[0]
	if p.Slug != "year-in-review" || p.Path != "_posts/2020/2020-12-26-year-in-review.md" ||
		!p.Date.Equal(time.Date(2020, 12, 26, 2, 0, 0, 0, time.UTC)) || len(p.Categories) != 1 {
		t.Errorf("post %+v", p)
	}
	if b := snap.Books(); len(b) != 1 || len(b[0].Authors) != 1 || b[0].Authors[0] != "Martin Kleppmann" {
		t.Errorf("books from _data/books.yml: %+v", b)
	}
	if pp := snap.Papers(); len(pp) != 1 || pp[0].Link != "https://example.org/overlapping.pdf" || pp[0].Venue != "KDD'10" {
		t.Errorf("papers from _data/papers.yml: %+v", pp)
	}
	// Jekyll's own files are summed up in one warning; hidden files are not
	// mentioned, and _config.yml's Jekyll keys are not warned about.
	w := snap.Warnings()
	if len(w) != 1 {
		t.Fatalf("want one warning, got:\n%s", list(w))
	}
	const summary = "4 files are not part of the blog and ignored: Gemfile, _layouts/ (1), assets/ (1), index.md"
	if w[0].Message != summary {
		t.Errorf("warning %q\nwant    %q", w[0].Message, summary)
	}
}

func TestLoadSiteConfigPrecedence(t *testing.T) {
	snap, err := Load(blogFS(map[string]string{
		"site.yaml":   "title: Native\n",
		"_config.yml": "title: Jekyll\nmarkdown: kramdown\n",
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	if snap.Site().Title != "Native" {
		t.Errorf("title %q: site.yaml must win over _config.yml", snap.Site().Title)
	}
	checkProblems(t, snap.Warnings(), []want{{0, "not used: site.yaml takes precedence", true}})
	if snap.Warnings()[0].File != "_config.yml" {
		t.Errorf("warning names %q", snap.Warnings()[0].File)
	}
}

func TestLoadWithoutSite(t *testing.T) {
	snap, err := Load(blogFS(map[string]string{"posts/2020-01-01-a.md": "---\ntitle: A\n---\n"}), "")
	if err != nil {
		t.Fatal(err)
	}
	checkProblems(t, snap.Warnings(), []want{{0, "no site.yaml", true}})
}

func TestLoadEmptyFolder(t *testing.T) {
	snap, err := Load(fstest.MapFS{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Posts()) != 0 || len(snap.Books()) != 0 {
		t.Errorf("empty folder gave %d posts, %d books", len(snap.Posts()), len(snap.Books()))
	}
}

// TestLoadCollectsEveryProblem checks that one load reports every problem
// of every file, sorted by file then line, with warnings kept alongside.
func TestLoadCollectsEveryProblem(t *testing.T) {
	fsys := blogFS(map[string]string{
		"site.yaml":                   "title: [oops]\nfoo: bar\n",
		"posts/2020-01-01-a.md":       "---\ntitle: A\nextra: 1\n---\n",
		"posts/2020-01-02-b.md":       "---\nlayout: post\n---\n",
		"posts/2020-01-03-c.md":       "---\ntitle: C\ndate: someday\n---\n",
		"posts/2020-01-04-d.md":       "---\ntitle: [\n---\n",
		"posts/nodate.md":             "---\ntitle: X\n---\n",
		"posts/2020-01-05-a.md":       "---\ntitle: Another A\n---\n",
		"posts/2020-01-06-e.md":       "---\ntitle: E\n",
		"posts/sub/2020-01-07-f.md":   "---\ntitle: F\n---\n\x00",
		"books.yaml":                  "- title: B1\n  post: nope\n- authors: [x]\n- title: B3\n  year: soon\n  colour: red\n",
		"papers.yaml":                 "- title: P1\n  post: 2020-01-01-a\n",
		"_layouts/default.html":       "<html>",
		"images/notes.txt":            "not an image",
		".git/config":                 "[core]",
		"posts/.hidden-2020-01-01.md": "---\n---\n",
	})
	snap, err := Load(fsys, "")
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Load error %v (%T), want *ValidationError", err, err)
	}
	// The blog is served all the same, every post that could be read in
	// it: the duplicate under another slug, the one with a bad date with
	// its file name's, the one without a title with one from its slug.
	if snap == nil {
		t.Fatal("Load returned no snapshot with the ValidationError")
	}
	var slugs []string
	for _, p := range snap.Posts() {
		slugs = append(slugs, p.Slug+"="+p.Title)
	}
	if got := strings.Join(slugs, " "); got != "e=E a-2020-01-05=Another A d=[ c=C b=B a=A" {
		t.Errorf("posts served: %s", got)
	}
	got := make([]string, len(verr.Problems))
	for i, p := range verr.Problems {
		got[i] = p.String()
	}
	wantPrefixes := []string{
		"warning: 1 front matter key is not used by sshblog: extra (1 file)",
		"warning: 2 files are not part of the blog and ignored: _layouts/ (1), images/ (1)",
		"books.yaml:2: post \"nope\" does not exist",
		"books.yaml:3: missing title",
		"books.yaml:5: year must be a whole number",
		"books.yaml:6: warning: unknown book key \"colour\"",
		"papers.yaml:2: post \"2020-01-01-a\" does not exist; did you mean \"a\"?",
		"posts/2020-01-02-b.md:1: missing title",
		"posts/2020-01-03-c.md:3: date is not a date",
		"posts/2020-01-04-d.md:2: invalid YAML",
		"posts/2020-01-05-a.md: duplicate slug \"a\": posts/2020-01-01-a.md has it too; this one is \"a-2020-01-05\"",
		"posts/2020-01-06-e.md:1: front matter is not closed",
		"posts/nodate.md: post file name must be YYYY-MM-DD-slug.md",
		"posts/sub/2020-01-07-f.md:4: text contains a NUL byte",
		"site.yaml:1: title must be text",
		"site.yaml:2: warning: unknown site key \"foo\"",
	}
	if len(got) != len(wantPrefixes) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(wantPrefixes), strings.Join(got, "\n"))
	}
	for i, w := range wantPrefixes {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d:\n got %s\nwant %s...", i, got[i], w)
		}
	}
	// Error() lists the errors only, one per line.
	if msg := verr.Error(); strings.Contains(msg, "warning") || strings.Count(msg, "\n") != 11 {
		t.Errorf("Error() =\n%s", msg)
	}
	// Check reports the same problems.
	checked := Check(fsys)
	if len(checked) != len(verr.Problems) {
		t.Errorf("Check found %d problems, Load %d", len(checked), len(verr.Problems))
	}
}

func TestLoadListReferences(t *testing.T) {
	tests := []struct {
		name  string
		books string
		wants []want
	}{
		{"resolves", "- title: A\n  post: a\n", nil},
		{"missing", "- title: A\n  post: zzz\n", []want{{2, `post "zzz" does not exist`, false}}},
		{"by file name", "- title: A\n  note: x\n  post: 2020-01-01-a\n", []want{{3, `did you mean "a"`, false}}},
		{"draft", "- title: A\n  post: d\n", []want{{2, `post "d" is a draft`, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems := Check(blogFS(map[string]string{
				"site.yaml":             "title: T\n",
				"posts/2020-01-01-a.md": "---\ntitle: A\n---\n",
				"posts/2020-01-02-d.md": "---\ntitle: D\ndraft: true\n---\n",
				"books.yaml":            tt.books,
			}))
			checkProblems(t, problems, tt.wants)
		})
	}
}

func TestLoadListPrecedence(t *testing.T) {
	snap, err := Load(blogFS(map[string]string{
		"site.yaml":        "title: T\n",
		"books.yaml":       "- title: Native\n",
		"_data/books.yml":  "- title: Jekyll\n",
		"_data/papers.yml": "- title: Paper\n",
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	if b := snap.Books(); len(b) != 1 || b[0].Title != "Native" {
		t.Errorf("books %+v", b)
	}
	if p := snap.Papers(); len(p) != 1 || p[0].Title != "Paper" {
		t.Errorf("papers %+v", p)
	}
	checkProblems(t, snap.Warnings(), []want{{0, "not used: books.yaml takes precedence", true}})
}

func TestLoadSymlinkIgnored(t *testing.T) {
	fsys := blogFS(map[string]string{"site.yaml": "title: T\n"})
	fsys["posts/2020-01-01-link.md"] = &fstest.MapFile{Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink}
	snap, err := Load(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Posts()) != 0 {
		t.Error("a symlinked post was loaded")
	}
	checkProblems(t, snap.Warnings(), []want{{0, "not a regular file", true}})
}

// failingFS fails to open one file.
type failingFS struct {
	fstest.MapFS
	bad string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func (f failingFS) ReadFile(name string) ([]byte, error) {
	return fs.ReadFile(fs.FS(struct{ fs.FS }{f}), name)
}

func TestLoadReadError(t *testing.T) {
	fsys := failingFS{blogFS(map[string]string{"posts/2020-01-01-a.md": "---\ntitle: A\n---\n"}), "posts/2020-01-01-a.md"}
	_, err := Load(fsys, "")
	if err == nil || !errors.Is(err, fs.ErrPermission) || !strings.HasPrefix(err.Error(), "load post posts/2020-01-01-a.md: ") {
		t.Errorf("Load error = %v", err)
	}
	problems := Check(fsys)
	if len(problems) == 0 || !strings.Contains(problems[0].Message, "load post posts/2020-01-01-a.md") {
		t.Errorf("Check = %v", problems)
	}
}

func TestLoadSanitisesEverything(t *testing.T) {
	snap, err := Load(blogFS(map[string]string{
		"site.yaml":             "title: \"T\\e]0;x\\a\"\nauthor: \"\\u009b2J\"\n",
		"posts/2020-01-01-a.md": "---\ntitle: \"A\\e[1m\"\ndescription: \"line\\nbreak\"\n---\n\x1b[31m\n",
		"books.yaml":            "- title: \"B\\u202e\"\n  note: \"multi\\nline\\e[0m\"\n  authors: [\"\\x07x\"]\n",
		"papers.yaml":           "- title: \"P\\x1b\"\n  topic: \"t\\r\\nu\"\n",
		"_layouts/\x1b[2J.html": "",
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	s := snap.Site()
	texts = append(texts, s.Title, s.Author)
	p := snap.Posts()[0]
	texts = append(texts, p.Title, p.Description)
	b := snap.Books()[0]
	texts = append(texts, b.Title, b.Authors[0])
	pp := snap.Papers()[0]
	texts = append(texts, pp.Title, pp.Topic)
	for _, w := range snap.Warnings() {
		texts = append(texts, w.String())
	}
	for _, text := range texts {
		if !termsafe.Safe(text) || strings.ContainsAny(text, "\n\r\t") {
			t.Errorf("single-line field %q is not sanitised", text)
		}
	}
	if body := p.Markdown(); !termsafe.Safe(body) || body != "\uFFFD[31m\n" || p.Body != "" {
		t.Errorf("body %q (held: %q)", body, p.Body)
	}
	if b.Note != "multi\nline\uFFFD[0m" {
		t.Errorf("note %q: newlines kept, escapes neutralised", b.Note)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		path string
		want FileKind
	}{
		{"site.yaml", FileSite},
		{"site.yml", FileSite},
		{"_config.yml", FileSite},
		{"_config.yaml", FileSite},
		{"books.yaml", FileBooks},
		{"books.yml", FileBooks},
		{"_data/books.yml", FileBooks},
		{"_data/books.yaml", FileBooks},
		{"papers.yaml", FilePapers},
		{"_data/papers.yml", FilePapers},
		{"posts/2020-12-26-x.md", FilePost},
		{"posts/2020/12/2020-12-26-x.markdown", FilePost},
		{"_posts/2020-12-26-x.MD", FilePost},
		{"posts/bad-name.md", FilePost}, // a post, with a bad name: Load reports it
		{"./posts/2020-12-26-x.md", FilePost},
		{"/posts/2020-12-26-x.md", FilePost},
		{"posts/2020-12-26-x.html", FileIgnored},
		{"_drafts/2020-12-26-x.md", FileIgnored},
		{"images/a.png", FileImage},
		{"images/2020-newyear/1.jpg", FileImage},
		{"images/b.JPEG", FileImage},
		{"images/c.gif", FileImage},
		{"images/d.webp", FileImage},
		{"images/e.svg", FileIgnored},
		{"a.png", FileIgnored},
		{"Gemfile", FileIgnored},
		{"_layouts/post.html", FileIgnored},
		{"sub/site.yaml", FileIgnored},
		{"_data/authors.yml", FileIgnored},
		{".git/config", FileIgnored},
		{"posts/.2020-12-26-x.md", FileIgnored},
		{".posts/2020-12-26-x.md", FileIgnored},
		{"../site.yaml", FileIgnored},
		{"", FileIgnored},
		{".", FileIgnored},
	}
	for _, tt := range tests {
		if got := Classify(tt.path); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestIgnoredSummary(t *testing.T) {
	tests := []struct {
		names []string
		want  string
	}{
		{[]string{"Gemfile"}, "1 file is not part of the blog and ignored: Gemfile"},
		{[]string{"a/x", "a/y", "b"}, "3 files are not part of the blog and ignored: a/ (2), b"},
		{[]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j/k"}, "10 files are not part of the blog and ignored: a, b, c, d, e, f, g, h, and 2 more"},
	}
	for _, tt := range tests {
		if got := ignoredSummary(tt.names); got != tt.want {
			t.Errorf("ignoredSummary(%q) =\n%q\nwant\n%q", tt.names, got, tt.want)
		}
	}
}

// TestLookAlikeSlugsAreDuplicates: "café" spelt in NFC and in NFD (as macOS
// may write it) looks the same to a reader, so it is one slug.
func TestLookAlikeSlugsAreDuplicates(t *testing.T) {
	post := []byte("---\ntitle: Café\n---\nBonjour.\n")
	fsys := fstest.MapFS{
		"posts/2021-07-12-caf\u00e9.md":  {Data: post},
		"posts/2021-07-13-cafe\u0301.md": {Data: post},
	}
	_, err := Load(fsys, "")
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Load: %v, want a duplicate slug", err)
	}
	if ErrorCount(ve.Problems) != 1 || !strings.Contains(ve.Error(), "duplicate slug \"caf\u00e9\"") {
		t.Fatalf("problems: %v", ve.Problems)
	}
}
