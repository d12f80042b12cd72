package content

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content/termsafe"
)

// parsePost parses one post file alone, as Load parses each (parseDoc),
// with its body kept and its problems sorted. It lives with the tests, its
// only users: they check one file's fields and problems, and the fuzz test
// one file's parse, without building a whole blog.
func parsePost(path string, data []byte) (*Post, []Problem) {
	p, problems, _ := parseDoc(path, data, FilePost)
	if p != nil {
		p.Body = bodyOf(data)
	}
	return p, tidy(problems)
}

// want describes a problem expected at a line, by a part of its message.
type want struct {
	line    int
	text    string
	warning bool
}

// checkProblems fails unless problems are exactly wants, in order.
func checkProblems(t *testing.T, problems []Problem, wants []want) {
	t.Helper()
	if len(problems) != len(wants) {
		t.Fatalf("got %d problems, want %d:\n%s", len(problems), len(wants), list(problems))
	}
	for i, w := range wants {
		p := problems[i]
		if p.Line != w.line || !strings.Contains(p.Message, w.text) || p.Warning != w.warning {
			t.Errorf("problem %d = %s (warning %v), want line %d, %q, warning %v", i, p, p.Warning, w.line, w.text, w.warning)
		}
	}
}

func list(problems []Problem) string {
	var b strings.Builder
	for _, p := range problems {
		fmt.Fprintf(&b, "\t%s\n", p)
	}
	return b.String()
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestParsePostFields(t *testing.T) {
	seedLike := "---\nlayout: post\ntitle: \"2020 年终总结\"\ndescription: \nheadline:\nmodified: 2020-12-26\n" +
		"category: \ntags: []\nimagefeature:\nmathjax: false\nchart:\ncomments: true\nfeatured: true\n---\n\n正文。\n"
	tests := []struct {
		name string
		path string
		in   string
		want Post // Path, Hash and unset fields are filled in or ignored as noted
	}{
		{
			name: "seed front matter",
			path: "posts/2020-12-26-2020-year-in-review.md",
			in:   seedLike,
			want: Post{Slug: "2020-year-in-review", Title: "2020 年终总结", Layout: "post",
				Date: utc(2020, 12, 26, 0, 0), Modified: utc(2020, 12, 26, 0, 0),
				Comments: true, Featured: true, Body: "\n正文。\n", BodyLine: 15},
		},
		{
			name: "every key with values",
			path: "_posts/2019/2019-01-02-hello.markdown",
			in: "---\ntitle: Hello\ndescription: A greeting\nheadline: Hi there\ndate: 2019-01-03 10:30:00 +0800\n" +
				"modified: 2019-02-01T08:00:00Z\ncategory: classic hollywood\ncategories: go, ssh\ntags: \"go  tui,ssh go\"\n" +
				"imagefeature: cover.png\nmathjax: true\nchart: true\ncomments: false\nfeatured: false\nlayout: page\n---\nbody\n",
			want: Post{Slug: "hello", Title: "Hello", Description: "A greeting", Headline: "Hi there",
				Date:       time.Date(2019, 1, 3, 10, 30, 0, 0, time.FixedZone("", 8*3600)),
				Modified:   utc(2019, 2, 1, 8, 0),
				Categories: []string{"classic hollywood", "go", "ssh"}, Tags: []string{"go", "tui", "ssh"},
				ImageFeature: "cover.png", MathJax: true, Chart: "true", Layout: "page",
				Body: "body\n", BodyLine: 17},
		},
		{
			name: "lists as YAML sequences",
			path: "posts/2021-05-01-lists.md",
			in:   "---\ntitle: Lists\ntags:\n  - 读书\n  - go\n  - go\ncategories: 生活，读书、go\n---\n",
			want: Post{Slug: "lists", Title: "Lists", Date: utc(2021, 5, 1, 0, 0),
				Tags: []string{"读书", "go"}, Categories: []string{"生活", "读书", "go"}, BodyLine: 9},
		},
		{
			name: "toml front matter",
			path: "posts/2022-03-04-toml.md",
			in:   "+++\ntitle = \"TOML post\"\ndate = 2022-03-05T09:00:00Z\ntags = [\"a\", \"b\"]\nfeatured = true\n+++\nbody",
			want: Post{Slug: "toml", Title: "TOML post", Date: utc(2022, 3, 5, 9, 0),
				Tags: []string{"a", "b"}, Featured: true, Body: "body", BodyLine: 7},
		},
		{
			name: "toml local date",
			path: "posts/2022-03-04-toml.md",
			in:   "+++\ntitle = 'T'\ndate = 2022-03-06\n+++\n",
			want: Post{Slug: "toml", Title: "T", Date: utc(2022, 3, 6, 0, 0), BodyLine: 5},
		},
		{
			name: "draft and slug override",
			path: "posts/2020-01-01-old-name.md",
			in:   "---\ntitle: Draft\ndraft: true\nslug: new-name\n---\n",
			want: Post{Slug: "new-name", Title: "Draft", Draft: true, Date: utc(2020, 1, 1, 0, 0), BodyLine: 6},
		},
		{
			name: "jekyll published false is a draft",
			path: "posts/2020-01-01-x.md",
			in:   "---\ntitle: X\npublished: false\n---\n",
			want: Post{Slug: "x", Title: "X", Draft: true, Date: utc(2020, 1, 1, 0, 0), BodyLine: 5},
		},
		{
			name: "yaml document end closes front matter",
			path: "posts/2020-01-01-x.md",
			in:   "---\ntitle: X\n...\nbody\n",
			want: Post{Slug: "x", Title: "X", Date: utc(2020, 1, 1, 0, 0), Body: "body\n", BodyLine: 4},
		},
		{
			name: "byte order mark and CRLF",
			path: "posts/2020-01-01-x.md",
			in:   "\uFEFF---\r\ntitle: X\r\n---\r\nline one\r\nline two\r\n",
			want: Post{Slug: "x", Title: "X", Date: utc(2020, 1, 1, 0, 0), Body: "line one\nline two\n", BodyLine: 4},
		},
		{
			name: "date forms",
			path: "posts/2020-01-01-x.md",
			in:   "---\ntitle: X\ndate: 2020-12-26 10:00\nmodified: 2021-01-02 03:04:05\n---\n",
			want: Post{Slug: "x", Title: "X", Date: utc(2020, 12, 26, 10, 0), Modified: time.Date(2021, 1, 2, 3, 4, 5, 0, time.UTC), BodyLine: 6},
		},
		{
			name: "quoted date and empty date",
			path: "posts/2020-01-01-x.md",
			in:   "---\ntitle: X\ndate: \"\"\nmodified: '2020-02-03T04:05:06+01:00'\n---\n",
			want: Post{Slug: "x", Title: "X", Date: utc(2020, 1, 1, 0, 0),
				Modified: time.Date(2020, 2, 3, 4, 5, 6, 0, time.FixedZone("", 3600)), BodyLine: 6},
		},
		{
			name: "control characters are neutralised",
			path: "posts/2020-01-01-x.md",
			in:   "---\ntitle: \"Evil\\e[2J\\u202e title\"\ntags: [\"a\\x1b]0;t\\a\"]\n---\n\x1b[31mred\x1b[0m \u009b\n",
			want: Post{Slug: "x", Title: "Evil\uFFFD[2J\uFFFD title", Tags: []string{"a\uFFFD]0;t\uFFFD"},
				Date: utc(2020, 1, 1, 0, 0), Body: "\uFFFD[31mred\uFFFD[0m \uFFFD\n", BodyLine: 5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, problems := parsePost(tt.path, []byte(tt.in))
			if len(problems) > 0 || p == nil {
				t.Fatalf("unexpected problems:\n%s", list(problems))
			}
			sum := sha256.Sum256([]byte(tt.in))
			tt.want.Path = tt.path
			tt.want.Hash = hex.EncodeToString(sum[:])
			if !p.Date.Equal(tt.want.Date) || !p.Modified.Equal(tt.want.Modified) {
				t.Errorf("date %v modified %v, want %v and %v", p.Date, p.Modified, tt.want.Date, tt.want.Modified)
			}
			got := *p
			got.front, got.lead = frontMatterSource{}, ""
			got.Date, got.Modified, tt.want.Date, tt.want.Modified = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParsePostProblems(t *testing.T) {
	const ok = "posts/2020-12-26-ok.md"
	tests := []struct {
		name  string
		path  string
		in    string
		post  bool // whether a post is still returned (only with warnings)
		wants []want
	}{
		{"unknown keys are no problem of the file", ok, "---\ntitle: X\nsubtitle: me\nheader-mask: 0.3\n---\n", true, nil},
		{"empty values are fine", ok, "---\ntitle: X\ndescription:\ntags:\ncategories: \"\"\n---\n", true, nil},
		{"missing title", ok, "---\nlayout: post\n---\nbody\n", true, []want{{1, "missing title", false}}},
		{"empty title", ok, "---\nlayout: post\ntitle: \"  \"\n---\n", true, []want{{3, "title is empty", false}}},
		{"title of the wrong type", ok, "---\ntitle: [a, b]\n---\n", true, []want{{2, "title must be text, not a list", false}}},
		{"no front matter", ok, "# Just markdown\n", true, []want{{1, "missing front matter", false}}},
		{"unterminated yaml", ok, "---\ntitle: X\n\nbody\n", true, []want{{1, "not closed: add a --- line", false}}},
		{"unterminated toml", ok, "+++\ntitle = 'X'\n", true, []want{{1, "not closed: add a +++ line", false}}},
		{"delimiter alone", ok, "---", true, []want{{1, "not closed", false}}},
		{"bad yaml on its real line", ok, "---\ntitle: X\ntags: [a, b\nfeatured: true\n---\n", true,
			[]want{{3, "invalid YAML", false}}},
		{"bad yaml mapping", ok, "---\ntitle: X\nlayout: a: b\n---\n", true, []want{{3, "invalid YAML: mapping values", false}}},
		{"yaml error without a line", ok, "---\ntitle: *nope\n---\n", true, []want{{2, "unknown anchor", false}}},
		{"bad toml on its real line", ok, "+++\ntitle = 'X'\ndate = = 3\n+++\n", true, []want{{3, "invalid TOML", false}}},
		{"toml type error on the key's line", ok, "+++\ntitle = 'X'\n\nfeatured = 'yes please'\n+++\n", true,
			[]want{{4, "featured must be true or false", false}}},
		{"toml unknown table", ok, "+++\ntitle = 'X'\n[params]\nx = 1\n+++\n", true, nil},
		{"front matter not a mapping", ok, "---\n- a\n- b\n---\n", true, []want{{2, "must be key: value", false}}},
		{"unparsable date", ok, "---\ntitle: X\ndate: next tuesday\n---\n", true, []want{{3, `date is not a date: "next tuesday"`, false}}},
		{"impossible date", ok, "---\ntitle: X\nmodified: 2020-02-30\n---\n", true, []want{{3, "modified is not a date", false}}},
		{"bad bool", ok, "---\ntitle: X\nfeatured: maybe\n---\n", true, []want{{3, `featured must be true or false, not "maybe"`, false}}},
		{"nested tag", ok, "---\ntitle: X\ntags: [[a]]\n---\n", true, []want{{3, "tags must be a list of texts", false}}},
		{"duplicate key", ok, "---\ntitle: X\ntitle: Y\n---\n", true, []want{{3, `duplicate front matter key "title" (first at line 2)`, false}}},
		{"bad slug override", ok, "---\ntitle: X\nslug: a/b\n---\n", true, []want{{3, `slug "a/b" must not contain`, false}}},
		{"bad file name", "posts/hello.md", "---\ntitle: X\n---\n", false, []want{{0, "YYYY-MM-DD-slug.md", false}}},
		{"bad date in file name", "posts/2020-13-01-x.md", "---\ntitle: X\n---\n", false, []want{{0, "valid date", false}}},
		{"space in file name", "posts/2020-01-01-a b.md", "---\ntitle: X\n---\n", true, nil},
		{"bad file name and bad front matter", "posts/x.md", "---\ntitle: [\n---\n", false,
			[]want{{0, "YYYY-MM-DD", false}}},
		{"not utf-8", ok, "---\ntitle: X\n---\nfine\n\xff\xfe\n", true, []want{{5, "not valid UTF-8", false}}},
		{"nul byte", ok, "---\ntitle: X\x00\n---\n", false, []want{{2, "NUL byte", false}}},
		{"every field error at once", ok, "---\ntitle: X\ndate: soon\nfeatured: 3\nmathjax: [x]\nextra: 1\n---\n", true,
			[]want{{3, "date is not a date", false}, {4, "featured must be", false}, {5, "mathjax must be", false}}},
		// Jekyll's _posts: what Jekyll builds is a warning, what it refuses an error.
		{"jekyll: bad bool is a warning", "_posts/2020-1-2-x.md", "---\ntitle: X\nfeatured: maybe\n---\n", true,
			[]want{{3, `featured must be true or false, not "maybe" (ignored)`, true}}},
		{"jekyll: theme date is a warning", "_posts/2015-05-27-datagod.md", "---\ntitle: X\nmodified: \"2015-XX-XX\"\n---\n", true,
			[]want{{3, `modified is not a date: "2015-XX-XX"`, true}}},
		{"jekyll: bad date is an error", "_posts/2020-1-2-x.md", "---\ntitle: X\ndate: soon\n---\n", true,
			[]want{{3, "date is not a date", false}}},
		{"jekyll: missing title is fine", "_posts/2014-11-2-hackathon.md", "---\nlayout: post\n---\n", true, nil},
		{"jekyll: no front matter is a warning", "_posts/2014-11-2-hackathon.md", "# Hi\n", true, nil},
		{"jekyll: not a post name", "_posts/notes.md", "---\ntitle: X\n---\n", false, []want{{0, "not a post", true}}},
		{"jekyll: invalid YAML is a warning, read line by line", "_posts/2020-1-2-x.md", "---\ntitle: GitHub - X: Y\nfeatured: true\n---\n", true,
			[]want{{2, "invalid YAML: mapping values are not allowed in this context (read line by line)", true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, problems := parsePost(tt.path, []byte(tt.in))
			if (p != nil) != tt.post {
				t.Errorf("post returned = %v, want %v", p != nil, tt.post)
			}
			checkProblems(t, problems, tt.wants)
			for _, pr := range problems {
				if pr.File != tt.path {
					t.Errorf("problem %s: file %q, want %q", pr, pr.File, tt.path)
				}
			}
		})
	}
}

func TestProblemFileIsSanitised(t *testing.T) {
	_, problems := parsePost("posts/\x1b[2Jevil.md", []byte("x"))
	for _, p := range problems {
		if !termsafe.Safe(p.String()) {
			t.Errorf("problem %q is not safe to print", p.String())
		}
	}
	if len(problems) == 0 {
		t.Fatal("want problems for a bad file name")
	}
}

func TestFileNameDate(t *testing.T) {
	tests := []struct {
		name string
		date time.Time
		slug string
		ok   bool
	}{
		{"2020-12-26-2020-year-in-review", utc(2020, 12, 26, 0, 0), "2020-year-in-review", true},
		{"2020-12-26-x", utc(2020, 12, 26, 0, 0), "x", true},
		{"2020-12-26-中文标题", utc(2020, 12, 26, 0, 0), "中文标题", true},
		{"2014-11-2-hackathon", utc(2014, 11, 2, 0, 0), "hackathon", true},
		{"2016-4-26-a b c", utc(2016, 4, 26, 0, 0), "a b c", true},
		{"2020-12-26-", utc(2020, 12, 26, 0, 0), "", true},
		{"2020-12-26", time.Time{}, "", false},
		{"20201226-x", time.Time{}, "", false},
		{"2020-02-30-x", time.Time{}, "", false},
		{"2020-123-1-x", time.Time{}, "", false},
		{"md", time.Time{}, "", false},
		{"", time.Time{}, "", false},
	}
	for _, tt := range tests {
		date, slug, ok := fileNameDate(tt.name)
		if ok != tt.ok || slug != tt.slug || !date.Equal(tt.date) {
			t.Errorf("fileNameDate(%q) = %v, %q, %v; want %v, %q, %v", tt.name, date, slug, ok, tt.date, tt.slug, tt.ok)
		}
	}
}

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		in, format, text, body string
		bodyLine               int
	}{
		{"---\na: 1\n---\nbody", "yaml", "a: 1\n", "body", 4},
		{"---  \na: 1\n---\t\n", "yaml", "a: 1\n", "", 4},
		{"---\n---\n", "yaml", "", "", 3},
		{"---\na: 1\n---", "yaml", "a: 1\n", "", 4},
		{"+++\na = 1\n+++\n\nb", "toml", "a = 1\n", "\nb", 4},
		{"+++\na = 1\n---\n+++\n", "toml", "a = 1\n---\n", "", 5},
		{"body only\n---\n", "", "", "body only\n---\n", 1},
		{"", "", "", "", 1},
		{" ---\na\n---\n", "", "", " ---\na\n---\n", 1},
	}
	for _, tt := range tests {
		fm, p := splitFrontMatter("f", []byte(tt.in))
		if p != nil {
			t.Errorf("splitFrontMatter(%q): %s", tt.in, p)
			continue
		}
		if fm.format != tt.format || string(fm.text) != tt.text || string(fm.body) != tt.body || fm.bodyLine != tt.bodyLine {
			t.Errorf("splitFrontMatter(%q) = %q %q %q %d, want %q %q %q %d", tt.in,
				fm.format, fm.text, fm.body, fm.bodyLine, tt.format, tt.text, tt.body, tt.bodyLine)
		}
	}
}

func TestParseDate(t *testing.T) {
	cst := time.FixedZone("", 8*3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2020-12-26", utc(2020, 12, 26, 0, 0)},
		{"2020-12-26 10:00:00 +0800", time.Date(2020, 12, 26, 10, 0, 0, 0, cst)},
		{"2020-12-26 10:00:00 +08:00", time.Date(2020, 12, 26, 10, 0, 0, 0, cst)},
		{"2020-12-26 10:00:00.5 +0800", time.Date(2020, 12, 26, 10, 0, 0, 5e8, cst)},
		{"2020-12-26 10:00:00", utc(2020, 12, 26, 10, 0)},
		{"2020-12-26 10:00 +0800", time.Date(2020, 12, 26, 10, 0, 0, 0, cst)},
		{"2020-12-26 10:00", utc(2020, 12, 26, 10, 0)},
		{"2020-12-26T10:00:00+08:00", time.Date(2020, 12, 26, 10, 0, 0, 0, cst)},
		{"2020-12-26T10:00:00.123Z", time.Date(2020, 12, 26, 10, 0, 0, 123e6, time.UTC)},
		{"2020-12-26T10:00:00", utc(2020, 12, 26, 10, 0)},
		{" 2020-12-26 ", utc(2020, 12, 26, 0, 0)},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "26/12/2020", "2020-12", "2020-12-26 25:00"} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want failure", bad, got)
		}
	}
}
