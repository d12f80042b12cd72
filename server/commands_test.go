package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render"
	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/theme"
	"github.com/sshblog/sshblog/ui"
)

// The commands' goldens run each command in process, on the sample blog
// (content/sample) and on a fixture blog of this package's
// (testdata/commands-blog: tags, a page, a very long slug, books and
// papers whose BibTeX needs escaping and deduplicated keys). Update them
// with go test ./server -run TestCommandGoldens -update.

// testAddress is the address commands print in examples.
const testAddress = "-p 23234 localhost"

// loadBlog loads a blog for the commands' tests.
func loadBlog(t testing.TB, name string) *content.Snapshot {
	t.Helper()
	fsys := sample.FS()
	if name != "sample" {
		fsys = os.DirFS("testdata/" + name)
	}
	snap, err := content.Load(fsys, "")
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return snap
}

// testBuild is the build information version reports in the goldens.
func testBuild() (*debug.BuildInfo, bool) {
	return &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/sshblog/sshblog", Version: "v0.9.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "7271cd9a0b1c2d3e4f5061728394a5b6c7d8e9f0"},
			{Key: "vcs.time", Value: "2026-12-04T17:00:00Z"},
			{Key: "vcs.modified", Value: "false"},
		},
	}, true
}

// session describes the session a command runs in.
type session struct {
	pty     bool
	term    string
	width   int
	environ []string
	author  bool
	search  ui.Searcher
	answer  string // what the terminal answers to queries; "" is a DA1 answer alone
}

// runIn runs a command line in process and returns its stdout, stderr and
// exit status.
func runIn(t testing.TB, snap *content.Snapshot, s session, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	answer := s.answer
	if answer == "" {
		answer = "\x1b[?62;22c"
	}
	c := &commandContext{
		stdin:    strings.NewReader(answer),
		stdout:   &stdout,
		stderr:   &stderr,
		snapshot: snap,
		address:  testAddress,
		hint:     "ssh -t " + testAddress,
		isAuthor: s.author,
		pty:      s.pty,
		term:     s.term,
		width:    s.width,
		environ:  s.environ,
		renderer: testRenderer,
		search:   s.search,
		build:    testBuild,
		ctx:      context.Background(),
	}
	status := runCommand(c, args)
	return stdout.String(), stderr.String(), status
}

// testRenderer is shared by the commands' tests, as a server shares one.
var testRenderer = render.New(8 << 20)

func TestCommandGoldens(t *testing.T) {
	t.Parallel()
	terminal := session{pty: true, term: "xterm-256color", width: 80}
	cases := []struct {
		blog string
		args []string
		s    session
	}{
		{"sample", nil, session{}},
		{"sample", []string{"help"}, session{}},
		{"sample", []string{"help"}, session{author: true}},
		{"sample", []string{"ls"}, session{}},
		{"sample", []string{"ls", "--json"}, session{}},
		{"sample", []string{"ls", "--help"}, session{}},
		{"sample", []string{"read", "2020-year-in-review"}, session{}},
		{"sample", []string{"read", "2020-year-in-review", "--width", "60"}, session{}},
		{"sample", []string{"read", "--raw", "2020-year-in-review"}, session{}},
		{"sample", []string{"read", "2020-year-in-review"}, terminal},
		{"sample", []string{"read", "--help"}, session{}},
		{"sample", []string{"tags", "--json"}, session{}},
		{"sample", []string{"pages", "--json"}, session{}},
		{"sample", []string{"books"}, session{}},
		{"sample", []string{"books", "--json"}, session{}},
		{"sample", []string{"books", "--bibtex"}, session{}},
		{"sample", []string{"books", "--help"}, session{}},
		{"sample", []string{"papers"}, session{}},
		{"sample", []string{"papers", "--json"}, session{}},
		{"sample", []string{"papers", "--bibtex"}, session{}},
		{"sample", []string{"version"}, session{}},
		{"sample", []string{"version", "--json"}, session{}},
		{"sample", []string{"search", "Flink", "流处理"}, session{search: fakeSearch}},
		{"sample", []string{"search", "--json", "Flink"}, session{search: fakeSearch}},
		{"sample", []string{"search", "Flink"}, session{pty: true, term: "xterm-256color", width: 80, search: fakeSearch}},
		{"sample", []string{"help"}, session{search: fakeSearch}},
		{"commands-blog", nil, session{}},
		{"commands-blog", []string{"ls"}, session{}},
		{"commands-blog", []string{"ls", "--tag", "go"}, session{}},
		{"commands-blog", []string{"ls", "--json"}, session{}},
		{"commands-blog", []string{"tags"}, session{}},
		{"commands-blog", []string{"tags", "--json"}, session{}},
		{"commands-blog", []string{"pages"}, session{}},
		{"commands-blog", []string{"pages", "--json"}, session{}},
		{"commands-blog", []string{"read", "everything"}, session{}},
		{"commands-blog", []string{"read", "everything", "--width", "40"}, session{}},
		{"commands-blog", []string{"read", "everything"}, terminal},
		{"commands-blog", []string{"read", "about"}, session{pty: true, term: "xterm-256color", width: 80, answer: "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c"}},
		{"commands-blog", []string{"read", "everything"}, session{pty: true, term: "xterm-256color", width: 80, environ: []string{"NO_COLOR=1"}}},
		{"commands-blog", []string{"read", "about"}, session{}},
		{"commands-blog", []string{"books"}, session{}},
		{"commands-blog", []string{"books", "--status", "read"}, session{}},
		{"commands-blog", []string{"books", "--json"}, session{}},
		{"commands-blog", []string{"books", "--bibtex"}, session{}},
		{"commands-blog", []string{"papers"}, session{}},
		{"commands-blog", []string{"papers", "--json"}, session{}},
		{"commands-blog", []string{"papers", "--bibtex"}, session{}},
	}
	snaps := map[string]*content.Snapshot{"sample": loadBlog(t, "sample"), "commands-blog": loadBlog(t, "commands-blog")}
	for _, tc := range cases {
		name := tc.blog + "/" + strings.Join(tc.args, " ")
		if tc.args == nil {
			name += "(no command)"
		}
		switch {
		case tc.s.search != nil && tc.args[0] == "help":
			name += " (with search)"
		case tc.s.author:
			name += " (author)"
		case tc.s.answer != "":
			name += " (light terminal)"
		case slices.Contains(tc.s.environ, "NO_COLOR=1"):
			name += " (NO_COLOR)"
		case tc.s.pty:
			name += " (terminal)"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out, errOut, status := runIn(t, snaps[tc.blog], tc.s, tc.args...)
			if status != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", status, errOut)
			}
			golden.RequireEqual(t, out)
			if !tc.s.pty || slices.Contains(tc.s.environ, "NO_COLOR=1") {
				if strings.ContainsRune(out, '\x1b') {
					t.Errorf("output has an escape byte:\n%q", out)
				}
			}
		})
	}
}

func TestCommandErrors(t *testing.T) {
	t.Parallel()
	snap := loadBlog(t, "commands-blog")
	see := func(what string) string { return " (see: ssh " + testAddress + " " + what + ")\n" }
	cases := []struct {
		args       []string
		s          session
		wantErr    string
		wantStatus int
	}{
		{[]string{"lss"}, session{}, `sshblog: unknown command "lss"; did you mean "ls"?` + see("help"), 1},
		{[]string{"raed", "everything"}, session{}, `sshblog: unknown command "raed"; did you mean "read"?` + see("help"), 1},
		{[]string{"frobnicate"}, session{}, `sshblog: unknown command "frobnicate"` + see("help"), 1},
		// Readers are not offered the authors' commands.
		{[]string{"histor"}, session{}, `sshblog: unknown command "histor"` + see("help"), 1},
		{[]string{"histor"}, session{author: true}, `sshblog: unknown command "histor"; did you mean "history"?` + see("help"), 1},
		{[]string{"read", "helo-world"}, session{}, `sshblog: no post "helo-world"; did you mean "hello-world"?` + see("ls"), 1},
		{[]string{"read", "everthing", "--raw"}, session{}, `sshblog: no post "everthing"; did you mean "everything"?` + see("ls"), 1},
		{[]string{"read", "abut"}, session{}, `sshblog: no post "abut"; did you mean "about"?` + see("ls"), 1},
		{[]string{"read", "a-post-whose-slug"}, session{}, `sshblog: no post "a-post-whose-slug"; did you mean "a-post-whose-slug-is-far-longer-than-the-slug-column-of-the-listing-so-that-only-its-own-line-is-pushed"?` + see("ls"), 1},
		{[]string{"read", "zzzzzz"}, session{}, `sshblog: no post "zzzzzz"` + see("ls"), 1},
		{[]string{"ls", "--tag", "testng"}, session{}, `sshblog: no tag "testng"; did you mean "testing"?` + see("tags"), 1},
		{[]string{"books", "--status", "red"}, session{}, `sshblog: no status "red"; did you mean "read"?` + see("books --help"), 1},
		{[]string{"papers", "--status", "rereading"}, session{}, `sshblog: no status "rereading"; did you mean "reading"?` + see("papers --help"), 1},
		{[]string{"help", "lss"}, session{}, `sshblog: unknown command "lss"; did you mean "ls"?` + see("help"), 1},
		{[]string{"read"}, session{}, "sshblog read: missing argument" + see("read --help"), 2},
		{[]string{"read", "a", "b"}, session{}, `sshblog read: unexpected argument "b"` + see("read --help"), 2},
		{[]string{"read", "everything", "--width", "-3"}, session{}, "sshblog read: --width -3: want 0 to 4096" + see("read --help"), 2},
		{[]string{"read", "everything", "--theme", "blue"}, session{}, `sshblog read: --theme "blue": want dark, light or plain` + see("read --help"), 2},
		{[]string{"ls", "--jsno"}, session{}, "sshblog ls: flag provided but not defined: -jsno" + see("ls --help"), 2},
		{[]string{"books", "--json", "--bibtex"}, session{}, "sshblog books: --json and --bibtex: choose one" + see("books --help"), 2},
		{[]string{"tags", "extra"}, session{}, `sshblog tags: unexpected argument "extra"` + see("tags --help"), 2},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			out, errOut, status := runIn(t, snap, tc.s, tc.args...)
			if status != tc.wantStatus || errOut != tc.wantErr || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q\nwant exit %d, stderr %q, no stdout", status, errOut, out, tc.wantStatus, tc.wantErr)
			}
		})
	}
}

// TestEveryCommandHasHelp runs COMMAND --help and help COMMAND for every
// command: the usage on stdout, exit 0.
func TestEveryCommandHasHelp(t *testing.T) {
	t.Parallel()
	snap := loadBlog(t, "sample")
	s := session{author: true, search: func(context.Context, *content.Snapshot, string, int) ([]ui.SearchHit, error) { return nil, nil }}
	for _, cmd := range commands(true) {
		for _, args := range [][]string{{cmd.name, "--help"}, {cmd.name, "-h"}, {"help", cmd.name}} {
			out, errOut, status := runIn(t, snap, s, args...)
			if status != 0 || errOut != "" || !strings.HasPrefix(out, "Usage: ssh "+testAddress+" "+cmd.name) {
				t.Errorf("%q: exit %d, stderr %q, stdout:\n%s", args, status, errOut, out)
			}
		}
	}
	for _, flag := range []string{"--help", "-h"} {
		out, errOut, status := runIn(t, snap, s, flag)
		if status != 0 || errOut != "" || !strings.HasPrefix(out, "Usage: ssh "+testAddress+" COMMAND") {
			t.Errorf("%s: exit %d, stderr %q, stdout:\n%s", flag, status, errOut, out)
		}
	}
}

// TestJSONShapes parses every --json output back and checks its keys: the
// shapes the README documents, every key always present.
func TestJSONShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		keys string // sorted, comma-separated
	}{
		{[]string{"ls", "--json"}, "author,categories,date,description,modified,slug,subtitle,tags,title,url"},
		{[]string{"pages", "--json"}, "description,slug,title,url"},
		{[]string{"tags", "--json"}, "count,name"},
		{[]string{"books", "--json"}, "authors,link,note,original,post,publisher,rating,recommended,status,subtitle,tags,times,title,translators,year"},
		{[]string{"papers", "--json"}, "authors,link,note,post,published,recommended,status,tags,title,topic,venue,year"},
	}
	for _, blog := range []string{"sample", "commands-blog"} {
		snap := loadBlog(t, blog)
		for _, tc := range cases {
			out, _, status := runIn(t, snap, session{}, tc.args...)
			if status != 0 {
				t.Fatalf("%s %q: exit %d", blog, tc.args, status)
			}
			var items []map[string]any
			if err := json.Unmarshal([]byte(out), &items); err != nil {
				t.Fatalf("%s %q: %v\n%s", blog, tc.args, err, out)
			}
			for i, item := range items {
				keys := slices.Sorted(maps.Keys(item))
				if got := strings.Join(keys, ","); got != tc.keys {
					t.Errorf("%s %q: item %d has keys %s, want %s", blog, tc.args, i, got, tc.keys)
				}
				for _, k := range []string{"date", "modified"} {
					if d, ok := item[k].(string); ok && d != "" {
						if _, err := time.Parse(time.RFC3339, d); err != nil {
							t.Errorf("%s %q: %s %q is not RFC 3339: %v", blog, tc.args, k, d, err)
						}
					}
				}
			}
		}
		// ls --json lists the posts ls lists, in its order.
		out, _, _ := runIn(t, snap, session{}, "ls", "--json")
		var posts []postJSON
		if err := json.Unmarshal([]byte(out), &posts); err != nil {
			t.Fatal(err)
		}
		if len(posts) != len(snap.Posts()) {
			t.Fatalf("%s: ls --json has %d posts, want %d", blog, len(posts), len(snap.Posts()))
		}
		for i, p := range snap.Posts() {
			if posts[i].Slug != p.Slug || posts[i].Title != p.Title || posts[i].Date != p.Date.Format(time.RFC3339) {
				t.Errorf("%s: ls --json post %d is %+v, want %s %q %s", blog, i, posts[i], p.Slug, p.Title, p.Date)
			}
		}
	}
	out, _, _ := runIn(t, loadBlog(t, "sample"), session{}, "version", "--json")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(slices.Sorted(maps.Keys(v)), ","); got != "go,modified,module,revision,time,version" {
		t.Errorf("version --json keys %s", got)
	}
}

func TestPlainReadHasNoEscapes(t *testing.T) {
	t.Parallel()
	for _, blog := range []string{"sample", "commands-blog"} {
		snap := loadBlog(t, blog)
		for _, p := range append(slices.Clone(snap.Posts()), snap.Pages()...) {
			for _, s := range []session{{}, {pty: true, term: "dumb", width: 80}, {pty: true, term: "xterm", width: 80, environ: []string{"NO_COLOR=1"}}} {
				out, errOut, status := runIn(t, snap, s, "read", p.Slug)
				if status != 0 || errOut != "" {
					t.Fatalf("read %s: exit %d, %s", p.Slug, status, errOut)
				}
				if i := strings.IndexRune(out, '\x1b'); i >= 0 {
					t.Errorf("read %s (%+v) has an escape byte at %d:\n%q", p.Slug, s, i, out[max(0, i-40):min(len(out), i+40)])
				}
				for _, glyph := range []string{"• ", "🖼", "↪", "▶"} {
					if strings.Contains(out, glyph) {
						t.Errorf("read %s (%+v) has the glyph %q", p.Slug, s, glyph)
					}
				}
			}
		}
	}
}

func TestListPadsSlugsToTheColumnOnly(t *testing.T) {
	t.Parallel()
	out, _, _ := runIn(t, loadBlog(t, "commands-blog"), session{}, "ls")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// The 107-character slug widens its own line only.
	for _, l := range lines {
		if !strings.Contains(l, "a-post-whose-slug") && len(l) > 60 {
			t.Errorf("line padded past the slug column: %q", l)
		}
	}
}

func TestClosest(t *testing.T) {
	t.Parallel()
	cands := []string{"hello-world", "year-in-review", "about", "ls", "read"}
	for name, want := range map[string]string{
		"helo-world": "hello-world", "Hello-World": "hello-world", "year": "year-in-review",
		"abot": "about", "l": "ls", "rd": "read", "qqqqqqqq": "", "": "",
	} {
		got, ok := closest(name, cands)
		if got != want || ok != (want != "") {
			t.Errorf("closest(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

// fakeSearch stands in for the search index: it finds the query in the
// sample's Flink book and its post, whatever the query.
func fakeSearch(_ context.Context, snap *content.Snapshot, query string, limit int) ([]ui.SearchHit, error) {
	p := snap.Posts()[0]
	hits := []ui.SearchHit{
		{Kind: "post", Slug: p.Slug, Title: p.Title, Date: p.Date, Snippet: "加强对 Flink 等流处理框架的学习", Matches: [][2]int{{10, 15}, {19, 28}}},
		{Kind: "book", Title: "Stream Processing with Apache Flink", Snippet: "Stream Processing with Apache Flink", Matches: [][2]int{{30, 35}}},
	}
	return hits[:min(limit, len(hits))], nil
}

// BenchmarkCommands measures commands in process, on the fixture blog,
// after a first run filled the renderer's cache (as a server's is, after
// the first reader): what a command costs beyond the SSH session.
func BenchmarkCommands(b *testing.B) {
	snap := loadBlog(b, "commands-blog")
	for _, args := range [][]string{
		{"ls"}, {"ls", "--json"}, {"tags"}, {"read", "everything"}, {"read", "--raw", "everything"},
		{"books", "--bibtex"}, {"papers", "--json"}, {"read", "helo-world"},
	} {
		b.Run(strings.Join(args, " "), func(b *testing.B) {
			runIn(b, snap, session{}, args...)
			b.ReportAllocs()
			for b.Loop() {
				runIn(b, snap, session{}, args...)
			}
		})
	}
}

// BenchmarkLargeBlog lists a generated blog of 10,000 posts.
func BenchmarkLargeBlog(b *testing.B) {
	var posts []*content.Post
	for i := range 10000 {
		posts = append(posts, &content.Post{Slug: fmt.Sprintf("post-number-%d-about-things", i), Title: fmt.Sprintf("第 %d 篇文章 about things", i), Date: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i), Tags: []string{"go"}})
	}
	snap := content.NewSnapshot(content.Site{}, posts, nil, nil, nil, "")
	for _, args := range [][]string{{"ls"}, {"ls", "--json"}, {"tags"}} {
		b.Run(fmt.Sprint(args), func(b *testing.B) {
			for b.Loop() {
				runIn(b, snap, session{}, args...)
			}
		})
	}
}

// TestReadFindsByAddress reads posts and pages by what a reader may have
// at hand instead of the slug: the web address, its path, the file.
func TestReadFindsByAddress(t *testing.T) {
	t.Parallel()
	snap := loadBlog(t, "commands-blog")
	for arg, want := range map[string]string{
		"https://example.com/posts/everything/":        "# Everything at once\n",
		"/posts/everything":                            "# Everything at once\n",
		"posts/everything/index.html":                  "# Everything at once\n",
		"https://old.example.org/2024/everything.html": "# Everything at once\n",
		"/about/":                         "# About\n",
		"posts/2024-02-01-hello-world.md": "# Hello, world\n",
		"https://example.com/posts/hello-world.html": "# Hello, world\n",
	} {
		out, errOut, status := runIn(t, snap, session{}, "read", arg)
		if status != 0 || !strings.HasPrefix(out, want) {
			t.Errorf("read %s: exit %d, %s%.40q", arg, status, errOut, out)
		}
		if link, ok := directLink(snap, []string{arg}); !ok || link.Closest != "" || !strings.Contains(want, snapTitle(snap, link.Slug)) {
			t.Errorf("directLink(%q) = %+v, %v", arg, link, ok)
		}
	}
	if _, errOut, status := runIn(t, snap, session{}, "read", "https://example.com/nothing/"); status != 1 || errOut == "" {
		t.Errorf("read of an unknown address: exit %d, %q", status, errOut)
	}
}

func snapTitle(snap *content.Snapshot, slug string) string {
	if p, ok := findPost(snap, slug); ok {
		return p.Title
	}
	return "\x00none"
}

func TestAskBackground(t *testing.T) {
	t.Parallel()
	for answer, want := range map[string]theme.Theme{
		"\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[?62;22c": theme.Light,
		"\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[?1;2c": theme.Dark,
		"\x1b]11;rgb:fdfd/f6f6/e3e3\x1b\\\x1b[?6c":   theme.Light, // Solarized light
		"\x1b[?62;22c": "", // no colour: the terminal does not know OSC 11
		"":             "", // stdin ends
	} {
		var out bytes.Buffer
		if got := askBackground(strings.NewReader(answer), &out, time.Minute); got != want {
			t.Errorf("answer %q: theme %q, want %q", answer, got, want)
		}
		if out.String() != "\x1b]11;?\x07\x1b[c" {
			t.Errorf("asked %q", out.String())
		}
	}
	// A terminal that never answers: the wait ends it.
	r, w := io.Pipe()
	defer w.Close()
	if got := askBackground(r, io.Discard, 10*time.Millisecond); got != "" {
		t.Errorf("no answer: theme %q", got)
	}
}
