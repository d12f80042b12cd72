package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render/audit"
	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

// writeTree writes files (slash-separated path -> contents) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckGoodFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, sample.FS()); err != nil {
		t.Fatal(err)
	}
	// A checked-out blog: git's folder and a built site are not the blog's.
	writeTree(t, dir, map[string]string{
		".git/HEAD":                          "ref: refs/heads/main\n",
		"_site/posts/2021-01-01-broken.md":   "---\ntitle: [\n---\n",
		"node_modules/x/posts/not-a-post.md": "x",
	})
	var stdout, stderr strings.Builder
	status := run(t.Context(), []string{"check", dir}, env(nil), &stdout, &stderr)
	want := "ok: 1 post, 8 books, 2 papers; 0 warnings\n"
	if status != 0 || stdout.String() != want || stderr.String() != "" {
		t.Errorf("status %d, stdout:\n%s\nstderr:\n%s\nwant status 0 and stdout:\n%s", status, stdout.String(), stderr.String(), want)
	}
}

func TestCheckBrokenFolder(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"site.yaml":                  "title: Broken\n",
		"posts/2021-01-01-good.md":   "---\ntitle: Good\n---\nhi\n",
		"posts/2021-01-02-odd.md":    "---\ntitle: Odd\ncolour: red\n---\nhi\n",
		"posts/2021-01-03-broken.md": "---\ndate: yesterday\n---\nno title\n",
		"posts/2021-01-04-good.md":   "---\ntitle: Same slug\n---\n",
		"books.yaml":                 "- title: B\n  post: nope\n",
		"papers.yaml":                "- title: P\n  note: \xff\n",
		"images/big.png":             string(uploadtest.Image("big.png", 3000)),
		"images/fake.jpg":            "just text\n",
	})
	if err := os.Symlink("../site.yaml", filepath.Join(dir, "posts", "link.md")); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	status := run(t.Context(), []string{"check", "--max-image", "1KiB", dir}, env(nil), &stdout, &stderr)
	p := func(name string) string { return filepath.Join(dir, name) }
	want := strings.Join([]string{
		p("books.yaml") + `:2: post "nope" does not exist (no post file ends in -nope.md)`,
		p("images/big.png") + `: 2.9 KiB is over the 1 KiB limit for an image`,
		p("images/fake.jpg") + `: warning: not a JPEG image (the file starts like text/plain) (kept, as the blog already has it; a new upload of it would be refused)`,
		p("papers.yaml") + `:2: text is not valid UTF-8 (save the file as UTF-8)`,
		p("posts/2021-01-03-broken.md") + `:1: missing title: add a title: line to the front matter`,
		p("posts/2021-01-03-broken.md") + `:2: date is not a date: "yesterday" (use 2020-12-26, 2020-12-26 10:00:00 +0800 or RFC 3339)`,
		p("posts/2021-01-04-good.md") + `: duplicate slug "good": posts/2021-01-01-good.md has it too; this one is "good-2021-01-04"`,
		p("posts/link.md") + `: symbolic links are not allowed; put the file itself here`,
		`warning: 1 front matter key is not used by sshblog: colour (1 file)`,
		`7 errors, 2 warnings: fix them before publishing (a push or upload that adds or changes a file with an error is refused)`,
	}, "\n") + "\n"
	if status != 1 || stdout.String() != want {
		t.Errorf("status %d, stdout:\n%s\nwant status 1 and stdout:\n%s\nstderr: %s", status, stdout.String(), want, stderr.String())
	}

	// Run inside the folder, the paths are the blog's own, as a push
	// reports them.
	t.Chdir(dir)
	stdout.Reset()
	status = run(t.Context(), []string{"check", "--max-image=1KiB", "."}, env(nil), &stdout, &stderr)
	if status != 1 || !strings.HasPrefix(stdout.String(), `books.yaml:2: post "nope" does not exist`) {
		t.Errorf("status %d, stdout:\n%s", status, stdout.String())
	}
}

func TestCheckWarningsOnly(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"posts/2021-01-02-odd.md": "---\ntitle: Odd\ncolour: red\n---\nhi\n",
	})
	var stdout, stderr strings.Builder
	status := run(t.Context(), []string{"check", dir}, env(nil), &stdout, &stderr)
	want := filepath.Join(dir, "site.yaml") + ": warning: no site.yaml (or _config.yml, hugo.toml): the blog has no title\n" +
		"warning: 1 front matter key is not used by sshblog: colour (1 file)\n" +
		"ok: 1 post, 0 books, 0 papers; 2 warnings\n"
	if status != 0 || stdout.String() != want {
		t.Errorf("status %d, stdout:\n%s\nwant:\n%s", status, stdout.String(), want)
	}
}

// TestCheckNoPosts: a folder from which no posts are found (a Hugo blog
// laid out where sshblog does not look, a wrong folder) says so and fails.
func TestCheckNoPosts(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"site.yaml":          "title: Empty\n",
		"articles/a-post.md": "---\ntitle: A\n---\n",
	})
	var stdout, stderr strings.Builder
	status := run(t.Context(), []string{"check", dir}, env(nil), &stdout, &stderr)
	if status != 1 || !strings.Contains(stdout.String(), "no posts found: looked in posts/, _posts/, content/posts/") {
		t.Errorf("status %d, stdout:\n%s", status, stdout.String())
	}
}

func TestCheckUsage(t *testing.T) {
	file := writeFile(t, t.TempDir(), "f", "x")
	tests := []struct {
		name    string
		args    []string
		status  int
		wantErr string
	}{
		{"no folder", []string{"check"}, 2, "want one folder"},
		{"two folders", []string{"check", "a", "b"}, 2, "want one folder"},
		{"missing folder", []string{"check", filepath.Join(t.TempDir(), "nope")}, 2, "no such file"},
		{"a file", []string{"check", file}, 2, "not a directory"},
		{"bad limit", []string{"check", "--max-text-file", "huge", "."}, 2, `invalid text file limit "huge" (from --max-text-file)`},
		{"help", []string{"check", "--help"}, 0, "Usage: sshblog check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			status := run(t.Context(), tt.args, env(nil), &stdout, &stderr)
			if status != tt.status || !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("status %d, stderr %q; want %d and %q", status, stderr.String(), tt.status, tt.wantErr)
			}
		})
	}
}

func TestCheckRender(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, sample.FS()); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{
		// Markup that is the author's text: in code, and escaped.
		"posts/2021-01-01-escaped.md": "---\ntitle: Escaped\n---\nWrite \\*\\*bold\\*\\*; `**this**` is code.\n",
	})
	for _, flag := range []string{"--render", "-r"} {
		var stdout, stderr strings.Builder
		status := run(t.Context(), []string{"check", flag, dir}, env(nil), &stdout, &stderr)
		out := stdout.String()
		// The sample reads without leftovers: a regression in rendering
		// it shows here.
		if status != 0 || !strings.Contains(out, "\nrender: 2 posts and 0 pages at 40, 80, 120 columns: 0 of 6 screens with leftovers\n") {
			t.Errorf("check %s: status %d, stdout:\n%s\nwant status 0 and no screen with leftovers", flag, status, out)
		}
		for _, w := range []string{"40", "80", "120"} {
			if !strings.Contains(out, "\nrender: "+w+" columns: widest line ") {
				t.Errorf("check %s: no line measurements at %s columns in:\n%s", flag, w, out)
			}
		}
	}
}

func TestPrintRenderReport(t *testing.T) {
	post := &content.Post{Path: "_posts/2020-01-01-a.md", Body: "intro\n\n**免责声明：**我之前\n", BodyLine: 4}
	page := &content.Post{Path: "about.md", Body: "x"}
	lines := func(width int) audit.Lines {
		return audit.Lines{Width: width, Widest: width - 2, Wrapped: 2, Fill: 1.8}
	}
	reports := []renderReport{
		{doc: post, lines: []audit.Lines{
			{Width: 40, Widest: 41, Over: 1, OverLine: "  1️⃣ 自动选择工具", Wrapped: 4, Fill: 3.6, BadStarts: 1, BadStart: "页 / ）"},
			lines(80), lines(120),
		}, findings: []widthFinding{
			{Finding: audit.Finding{Kind: audit.Strong, Line: 3, Text: "**免责声明：**我之前", Source: "**免责声明：**我之前"}, widths: []int{40, 80, 120}},
			{Finding: audit.Finding{Kind: audit.Math, Text: `\theta^{*}`, Source: `\theta^{*}`}, widths: []int{120}},
		}},
		{doc: page, page: true, lines: []audit.Lines{lines(40), lines(80), lines(120)}, findings: []widthFinding{
			{Finding: audit.Finding{Kind: audit.HTML, Text: "<b>x</b>"}, title: true},
		}},
	}
	var out strings.Builder
	if bad := printRenderReport(&out, "blog", reports); bad != 6 {
		t.Errorf("%d screens with leftovers, want 6 (3 of the post, 3 of the page's title)", bad)
	}
	want := strings.Join([]string{
		"blog/_posts/2020-01-01-a.md:6: render: ** at 40, 80, 120 columns: **免责声明：**我之前",
		`blog/_posts/2020-01-01-a.md: render: math at 120 columns: not shown as written: \theta^{*}`,
		"blog/_posts/2020-01-01-a.md: render: 1 line wider than 40 columns (41 cells): 1️⃣ 自动选择工具",
		"blog/about.md: render: <tag> in the title: <b>x</b>",
		"render: 1 post and 1 page at 40, 80, 120 columns: 6 of 6 screens with leftovers (** 1, <tag> 1, math 1)",
		"render: 40 columns: widest line 41, 1 lines over; 6 lines of CJK paragraphs wrapped, mean fill 0.900; 1 continuation lines start with closing punctuation",
		"render: 40 columns: for example blog/_posts/2020-01-01-a.md: 页 / ）",
		"render: 80 columns: widest line 78, 0 lines over; 4 lines of CJK paragraphs wrapped, mean fill 0.900; 0 continuation lines start with closing punctuation",
		"render: 120 columns: widest line 118, 0 lines over; 4 lines of CJK paragraphs wrapped, mean fill 0.900; 0 continuation lines start with closing punctuation",
	}, "\n") + "\n"
	if got := out.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

func TestCheckRenderBrokenFolder(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"posts/2021-01-03-broken.md": "---\ndate: yesterday\n---\n"})
	var stdout, stderr strings.Builder
	status := run(t.Context(), []string{"check", "--render", dir}, env(nil), &stdout, &stderr)
	// The post has errors, but it is served (with its file name's date and
	// title), so it is rendered too: an error stops publishing, not reading.
	if status != 1 || !strings.Contains(stdout.String(), "\nrender: 1 post and 0 pages at 40, 80, 120 columns: 0 of 3 screens with leftovers\n") {
		t.Errorf("status %d, stdout:\n%s\nwant status 1 and the post rendered", status, stdout.String())
	}
}

func TestSourceLine(t *testing.T) {
	p := &content.Post{BodyLine: 5, Body: "intro\n{: .a}\n![x](x.png)\n{: .a}\ntext **here\n"}
	tests := []struct {
		name string
		f    audit.Finding
		want int
	}{
		{"found with what precedes it", audit.Finding{Source: "**here", Before: "text "}, 9},
		{"the leftover alone, once in the body", audit.Finding{Source: "**here"}, 9},
		{"the leftover alone, twice in the body", audit.Finding{Source: "{: .a}"}, 0},
		{"what precedes it on screen is not in the source", audit.Finding{Source: "{: .a}", Before: "x.png) "}, 0},
		{"nothing to look up", audit.Finding{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sourceLine(p, tt.f); got != tt.want {
				t.Errorf("sourceLine(%+v) = %d, want %d", tt.f, got, tt.want)
			}
		})
	}
}

func TestCheckRenderInterrupted(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, sample.FS()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // Ctrl-C before the first render
	var stdout, stderr strings.Builder
	status := run(ctx, []string{"check", "--render", dir}, env(nil), &stdout, &stderr)
	if status != 1 || !strings.Contains(stderr.String(), "interrupted: rendered 0 of 1 documents") ||
		!strings.Contains(stdout.String(), "render: 0 posts and 0 pages at") {
		t.Errorf("status %d, stdout:\n%s\nstderr:\n%s\nwant 1, and the interruption said", status, stdout.String(), stderr.String())
	}
}
