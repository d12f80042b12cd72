package content

import (
	"bytes"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content/termsafe"
)

// checkFuzzProblems checks the properties every problem list has: each
// problem names a file and a line inside it, prints safely, and the list
// is sorted by file then line.
func checkFuzzProblems(t *testing.T, problems []Problem, data []byte) {
	t.Helper()
	lines := max(lineCount(bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))), 1)
	for _, p := range problems {
		if p.File == "" || p.Line < 0 || p.Line > lines {
			t.Fatalf("problem %q: file %q, line %d of %d", p, p.File, p.Line, lines)
		}
		if s := p.String(); !termsafe.Safe(s) || strings.ContainsAny(s, "\n\r\t") {
			t.Fatalf("problem %q does not print safely", s)
		}
	}
	if !sort.SliceIsSorted(problems, func(i, j int) bool {
		a, b := problems[i], problems[j]
		return a.File < b.File || a.File == b.File && a.Line < b.Line
	}) {
		t.Fatalf("problems not sorted:\n%s", list(problems))
	}
}

// line reports whether s is safe as a single-line field.
func line(s string) bool {
	return termsafe.Safe(s) && !strings.ContainsAny(s, "\n\r\t")
}

func FuzzFrontMatter(f *testing.F) {
	seed, err := os.ReadFile("sample/blog/posts/2020-12-26-2020-year-in-review.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("2020-12-26-2020-year-in-review.md", seed)
	for _, s := range []string{
		"---\ntitle: X\n---\nbody",
		"---\ntitle: X\ndate: 2020-12-26 10:00:00 +0800\ntags: a, b c\ncategories: [x, y]\n---\n",
		"---\ntitle: [\n---\n",
		"---\n&a title: *a\n---\n",
		"---\ntitle: &x X\nheadline: *x\n---\n",
		"---\n- a\n---\n",
		"---\ntitle: X\n",
		"+++\ntitle = 'X'\ndate = 2020-01-01T00:00:00Z\n[params]\na = 1\n+++\n",
		"+++\ntitle = \n+++\n",
		"\uFEFF---\r\ntitle: \"\\e[2J\"\r\n---\r\n\x1b]0;x\a",
		"---\ntitle: X\n...\n",
		"no front matter",
		"---\ntitle: X\x00\n---\n",
		"---\ntitle: \xff\n---\n",
	} {
		f.Add("2020-01-01-x.md", []byte(s))
	}
	f.Add("bad.md", []byte("---\ntitle: X\n---\n"))
	f.Add("2020-01-01-a b.markdown", []byte("---\ntitle: X\nslug: a/b\n---\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		path := "posts/" + name
		p, problems := parsePost(path, data)
		checkFuzzProblems(t, problems, data)
		if p == nil && !hasErrors(problems) {
			t.Fatalf("no post, and no error says why:\n%s", list(problems))
		}
		if p == nil {
			return
		}
		for _, s := range append([]string{p.Slug, p.Path, p.Title, p.Subtitle, p.Description, p.Headline, p.Layout,
			p.Excerpt, p.Author, p.Permalink, p.ImageFeature, p.Chart}, append(p.Tags, p.Categories...)...) {
			if !line(s) {
				t.Fatalf("field %q is not a safe single line", s)
			}
		}
		if p.Title == "" || !validSlug(p.Slug) || p.BodyLine < 1 || len(p.Hash) != 64 {
			t.Fatalf("incomplete post %+v", p)
		}
		if !termsafe.Safe(p.Body) {
			t.Fatalf("body %q is not safe", p.Body)
		}
	})
}

func FuzzLists(f *testing.F) {
	for _, name := range []string{"sample/blog/books.yaml", "sample/blog/papers.yaml", "testdata/jekyll/_data/books.yml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "- title: a\n", "title: a\n", "- a\n", "- title: [\n", "- title: a\n  rating: 9\n  year: x\n",
		"- &e {title: a}\n- *e\n", "- title: a\n  note: |\n    x\n    \x1b[2J\n", "- title: a\n  authors: {x: 1}\n",
		"- title: a\n  status: gone\n  colour: red\n", "- title: \"\\u202e\"\n  tags: a, b\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		books, refs, problems := parseBooks("books.yaml", data)
		checkFuzzProblems(t, tidy(problems), data)
		errs := hasErrors(problems)
		lines := max(lineCount(bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))), 1)
		for _, b := range books {
			if b.Line < 1 || b.Line > lines {
				t.Fatalf("book at line %d of %d", b.Line, lines)
			}
			for _, s := range append(append([]string{b.Title, b.Subtitle, b.Original, b.Publisher, b.Status, b.Link, b.Post},
				b.Authors...), append(b.Translators, b.Tags...)...) {
				if !line(s) {
					t.Fatalf("book field %q is not a safe single line", s)
				}
			}
			if !termsafe.Safe(b.Note) {
				t.Fatalf("note %q is not safe", b.Note)
			}
			if !errs && (b.Title == "" || b.Rating < 0 || b.Rating > 5) {
				t.Fatalf("book %+v passed validation", b)
			}
		}
		for _, r := range refs {
			if r.slug == "" || r.line < 1 || r.line > lines {
				t.Fatalf("bad reference %+v", r)
			}
		}

		papers, _, problems := parsePapers("papers.yaml", data)
		checkFuzzProblems(t, tidy(problems), data)
		for _, p := range papers {
			for _, s := range append(append([]string{p.Title, p.Venue, p.Status, p.Topic, p.Link, p.Post}, p.Authors...), p.Tags...) {
				if !line(s) {
					t.Fatalf("paper field %q is not a safe single line", s)
				}
			}
			if !hasErrors(problems) && p.Title == "" {
				t.Fatalf("paper %+v passed validation", p)
			}
		}
	})
}

// FuzzHugoFrontMatter parses Hugo posts and pages, whose front matter is
// TOML, YAML or JSON with keys in any case, and Jekyll posts with
// one-digit dates: whatever the bytes, a post comes back unless an error
// says why, every field is a safe line, and Params never panics.
func FuzzHugoFrontMatter(f *testing.F) {
	for _, s := range []string{
		"+++\nTitle = 'X'\nDate = 2020-01-01T00:00:00Z\nDraft = true\n[params]\na = 1\n+++\nbody",
		"+++\ntitle = \"X\"\ndate = 2020-01-01\ntags = [\"a\", \"b\"]\n+++\n",
		"{\n  \"title\": \"X\",\n  \"date\": \"2020-01-01\",\n  \"Tags\": [\"a\"]\n}\nbody\n",
		"{\"title\": \"X\"}",
		"{ not json",
		"---\nTitle: X\nSlug: my-slug\nlastmod: 2021-1-2\nimages: [a.png]\nauthors: [{name: A}]\n---\n",
		"---\ntitle: \"<code>x</code> &amp; y\"\ndate: 2016-4-26 12:53:12 +0800\n---\n",
		"+++\ntitle = 'X'\ndate = 1979-05-27T07:32:00-08:00\nurl = '/x/'\naliases = ['/y/']\n+++\n",
	} {
		f.Add(uint8(0), []byte(s))
	}
	dirs := []string{"content/posts/2020-1-2-x.md", "content/posts/bundle/index.md", "content/about.md", "_posts/2014-11-2-x.md", "about.md", "about.html"}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		path := dirs[int(which)%len(dirs)]
		kind := FilePost
		if !hasAnyPrefix(path, postDirs[:]) {
			kind = FilePage
		}
		p, problems, _ := parseDoc(path, data, kind)
		checkFuzzProblems(t, tidy(problems), data)
		if p == nil {
			return // a page without front matter, or a binary file
		}
		for _, s := range append([]string{p.Slug, p.Path, p.Title, p.Subtitle, p.Description, p.Headline, p.Layout,
			p.Excerpt, p.Author, p.Permalink, p.ImageFeature, p.Chart}, append(p.Tags, p.Categories...)...) {
			if !line(s) {
				t.Fatalf("field %q is not a safe single line", s)
			}
		}
		if p.Title == "" || !validSlug(p.Slug) || p.BodyLine < 1 || !termsafe.Safe(p.Body) {
			t.Fatalf("incomplete post %+v", p)
		}
		_ = p.Params()
	})
}
