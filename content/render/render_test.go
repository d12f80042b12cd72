package render

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/theme"
)

// seed returns the embedded sample blog's site and its one post, the
// author's Chinese 2020 year-in-review.
func seed(tb testing.TB) (content.Site, *content.Post) {
	tb.Helper()
	snap, err := content.Load(sample.FS(), "")
	if err != nil {
		tb.Fatalf("load sample blog: %v", err)
	}
	if len(snap.Posts()) == 0 {
		tb.Fatal("sample blog has no posts")
	}
	return snap.Site(), snap.Posts()[0]
}

var themes = []theme.Theme{theme.Dark, theme.Light, theme.Plain}

// checkOutput verifies the promises Render makes about every line of out.
func checkOutput(out string, width int, th theme.Theme) error {
	for i, line := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(line); w > max(width, linebreak.MinWidth) {
			return fmt.Errorf("line %d is %d cells wide, more than %d: %q", i, w, width, line)
		}
		if th == theme.Plain && strings.ContainsAny(line, "\x1b\x07") {
			return fmt.Errorf("plain line %d has escape sequences: %q", i, line)
		}
		if err := checkEscapes(line); err != nil {
			return fmt.Errorf("line %d: %v", i, err)
		}
		if strings.ContainsFunc(line, linebreak.IsMarker) {
			return fmt.Errorf("line %d keeps a marker: %q", i, line)
		}
	}
	return nil
}

// checkKinsoku verifies that no line of out begins with closing punctuation
// or ends with opening punctuation.
func checkKinsoku(out string) error {
	for i, line := range strings.Split(out, "\n") {
		text := strings.TrimSpace(ansi.Strip(line))
		if text == "" {
			continue
		}
		first, _ := utf8.DecodeRuneInString(text)
		last, _ := utf8.DecodeLastRuneInString(text)
		if linebreak.NoStart(string(first)) {
			return fmt.Errorf("line %d begins with %q: %q", i, first, text)
		}
		if linebreak.NoEnd(string(last)) {
			return fmt.Errorf("line %d ends with %q: %q", i, last, text)
		}
	}
	return nil
}

// checkEscapes verifies that s has no escape sequence but SGR and OSC 8 to a
// URL of printable ASCII, and no control character.
func checkEscapes(s string) error {
	for len(s) > 0 {
		seq, _, n, _ := ansi.DecodeSequence(s, ansi.NormalState, nil)
		if n <= 0 {
			n = 1
		}
		s = s[n:]
		switch {
		case strings.HasPrefix(seq, "\x1b["):
			if !strings.HasSuffix(seq, "m") || strings.Trim(seq[2:len(seq)-1], "0123456789;:") != "" {
				return fmt.Errorf("non-SGR sequence %q", seq)
			}
		case strings.HasPrefix(seq, "\x1b]8;"):
			if !strings.HasSuffix(seq, "\x1b\\") {
				return fmt.Errorf("hyperlink not ended by ST: %q", seq)
			}
			for _, c := range []byte(seq[4 : len(seq)-2]) {
				if c < 0x21 || c > 0x7e {
					return fmt.Errorf("hyperlink with byte %#x: %q", c, seq)
				}
			}
		default:
			if r, _ := utf8.DecodeRuneInString(seq); unicode.IsControl(r) {
				return fmt.Errorf("control character or sequence %q", seq)
			}
		}
	}
	return nil
}

// visible returns the text of s without escape sequences and white space.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, ansi.Strip(s))
}

func TestRenderSeed(t *testing.T) {
	r := New(8 << 20)
	seedSite, p := seed(t)
	for _, th := range themes {
		unwrapped, err := r.Render(snapOf(seedSite), p, 100000, th)
		if err != nil {
			t.Fatal(err)
		}
		for _, width := range []int{40, 60, 80, 100} {
			t.Run(fmt.Sprintf("%s/%d", th, width), func(t *testing.T) {
				out, err := r.Render(snapOf(seedSite), p, width, th)
				if err != nil {
					t.Fatal(err)
				}
				if err := checkOutput(out, width, th); err != nil {
					t.Error(err)
				}
				if err := checkKinsoku(out); err != nil {
					t.Error(err)
				}
				if visible(out) != visible(unwrapped) {
					t.Error("wrapping changed the text")
				}
				if strings.HasPrefix(out, "\n") || strings.HasSuffix(out, "\n") || strings.Contains(ansi.Strip(out), "\n\n\n") {
					t.Error("output has blank lines at its ends or runs of them")
				}
				plain := ansi.Strip(out)
				for _, want := range []string{"🖼 全副武装", "🖼 再见，朋友", "• DDIA 重读第 N 次", "License"} {
					if !strings.Contains(plain, want) {
						t.Errorf("output lacks %q", want)
					}
				}
				// Cut over lines when it is wider than the column.
				if url := "http://gaocegege.com/images/2020-newyear/1.jpg"; !strings.Contains(visible(out), url) {
					t.Errorf("output lacks %q", url)
				}
				for _, bad := range []string{"<figure", "{{", "site.url", "2020 年终总结"} {
					if strings.Contains(plain, bad) {
						t.Errorf("output has %q", bad)
					}
				}
				if th != theme.Plain && !strings.Contains(out, "\x1b]8;") {
					t.Error("no hyperlinks")
				}
			})
		}
	}
}

func TestRenderHyperlinks(t *testing.T) {
	r := New(1 << 20)
	seedSite, p := seed(t)
	out, err := r.Render(snapOf(seedSite), p, 80, theme.Dark)
	if err != nil {
		t.Fatal(err)
	}
	want := "\x1b]8;id=" // glamour's link id, then the target
	i := strings.Index(out, "http://gaocegege.com/images/2020-newyear/1.jpg\x1b\\")
	if i < 0 || !strings.Contains(out[:i], want) {
		t.Errorf("the first image line is not a hyperlink to its image")
	}
	plain, err := r.Render(snapOf(seedSite), p, 80, theme.Plain)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plain, "🖼 全副武装[1]") || !strings.Contains(plain, "\n  [1] http://gaocegege.com/images/2020-newyear/1.jpg") {
		t.Errorf("plain image line is not \"🖼 caption[1]\" with \"[1] url\" at the end:\n%s", plain)
	}
}

func TestRenderMarkdown(t *testing.T) {
	const md = "# 标题\n\n中文第一行\n中文第二行，English\nwords.\n\n" +
		"- 列表项很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n  继续\n- two\n\n  第二段\n\n" +
		"> 引用很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n\n" +
		"```\nfunc main() { fmt.Println(\"a long line of code that is wider than the column\") }\n```\n\n" +
		"a<br>b\n"
	r := New(1 << 20)
	seedSite, _ := seed(t)
	p := &content.Post{Slug: "t", Body: md}
	for _, th := range themes {
		for _, width := range []int{20, 30, 44, 80} {
			out, err := r.Render(snapOf(seedSite), p, width, th)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkOutput(out, width, th); err != nil {
				t.Errorf("%s/%d: %v", th, width, err)
			}
			if err := checkKinsoku(out); err != nil {
				t.Errorf("%s/%d: %v", th, width, err)
			}
		}
	}
	out, err := r.Render(snapOf(seedSite), p, 44, theme.Plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"中文第一行中文第二行，English words.",
		// 44 columns less the right margin leave 42 cells.
		"  • 列表项很长很长很长很长很长很长很长很长\n    很长很长很长很长很长很长很长很长继续",
		"  | 引用很长很长很长很长很长很长很长很长很\n  | 长很长很长很长很长很长很长很长很长",
		// Cut at the edge, continued after "↪": no line starts with ").
		"    func main() { fmt.Println(\"a long line\n    ↪ of code that is wider than the colum\n    ↪n\") }",
		"  a\n  b",
		"    第二段",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plain output lacks %q:\n%s", want, out)
		}
	}
}

func TestRenderTables(t *testing.T) {
	const md = "Before 之前。\n\n| 名称 | 说明 | 链接 |\n|---|---|---|\n" +
		"| Ray | 很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长 | [l](http://x.y) |\n| | | |\n\n" +
		"> | q | r |\n> |---|---|\n> | 1 | 2 |\n\nAfter 之后。\n"
	r := New(1 << 20)
	seedSite, _ := seed(t)
	p := &content.Post{Slug: "t", Body: md}
	for _, th := range themes {
		for _, width := range []int{5, 20, 30, 44, 80, 120} {
			out, err := r.Render(snapOf(seedSite), p, width, th)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkOutput(out, width, th); err != nil {
				t.Errorf("%s/%d: %v", th, width, err)
			}
			wants := []string{"Before", "After", "名称"}
			if width >= 44 {
				wants = append(wants, "http://x.y") // narrower, cells wrap it
			}
			for _, want := range wants {
				if !strings.Contains(visible(out), want) {
					t.Errorf("%s/%d: %q missing", th, width, want)
				}
			}
		}
	}
	// Laid out for the column: the column separators line up on every row.
	for _, width := range []int{30, 44, 80} {
		out, err := r.Render(snapOf(seedSite), p, width, theme.Plain)
		if err != nil {
			t.Fatal(err)
		}
		var cols []int
		lines := strings.Split(out, "\n")
		for i, line := range lines {
			if strings.Contains(line, "名称") {
				lines = lines[i:]
				break
			}
		}
		for _, line := range lines {
			if strings.TrimSpace(line) == "" {
				break // the end of the first table
			}
			var at []int
			for i, r := range line {
				if r == '|' {
					at = append(at, ansi.StringWidth(line[:i]))
				}
			}
			if cols == nil {
				cols = at
			} else if fmt.Sprint(at) != fmt.Sprint(cols) {
				t.Errorf("width %d: columns %v, then %v in %q:\n%s", width, cols, at, line, out)
				break
			}
		}
		if len(cols) != 2 {
			t.Errorf("width %d: table not found:\n%s", width, out)
		}
	}
}

// TestRenderTablesBreakCJKLikeText renders a table of Chinese text at
// every width from its natural width down to 20 columns: its cells break as
// the post's text does (no line of a cell begins with "，" or ends with
// "（"), no line is wider than the window, and each column keeps its text,
// in order.
func TestRenderTablesBreakCJKLikeText(t *testing.T) {
	const md = "| 书名 | 评价 | 次数 |\n|---|---|--:|\n" +
		"| 数据密集型应用系统设计 | 这是一本非常好的书，推荐阅读。里面讲了很多分布式系统的知识，（包括复制、分区）等等。我读了两遍！见 [链接](https://example.com/a/b) | 1 |\n" +
		"| 深入理解计算机系统 | 经典教材，**值得一读再读**。“好书”不厌百回读，熟读深思子自知。 | 22 |\n"
	r := New(1 << 20)
	p := &content.Post{Slug: "t", Body: md}
	// columns splits the table's lines into the text of each column, its
	// rule left out.
	columns := func(out string) []string {
		var cols []string
		for _, line := range strings.Split(ansi.Strip(out), "\n") {
			if strings.Trim(line, " ─┼-|") == "" {
				continue
			}
			cells := strings.FieldsFunc(line, func(r rune) bool { return r == '│' || r == '|' })
			for len(cols) < len(cells) {
				cols = append(cols, "")
			}
			for k, c := range cells {
				cols[k] += strings.ReplaceAll(c, " ", "")
			}
		}
		return cols
	}
	for _, th := range themes {
		natural, err := r.Render(snapOf(content.Site{}), p, 1000, th)
		if err != nil {
			t.Fatal(err)
		}
		want := columns(natural)
		if len(want) != 3 {
			t.Fatalf("%s: %d columns at the natural width:\n%s", th, len(want), natural)
		}
		for width := 20; width <= ansi.StringWidth(strings.Split(natural, "\n")[0])+4; width++ {
			out, err := r.Render(snapOf(content.Site{}), p, width, th)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkOutput(out, width, th); err != nil {
				t.Fatalf("%s/%d: %v", th, width, err)
			}
			for _, line := range strings.Split(ansi.Strip(out), "\n") {
				for _, cell := range strings.FieldsFunc(line, func(r rune) bool { return r == '│' || r == '|' }) {
					if err := checkKinsoku(cell); err != nil {
						t.Fatalf("%s/%d: cell %v:\n%s", th, width, err, ansi.Strip(out))
					}
				}
			}
			if got := columns(out); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s/%d: columns\n%q\nwant\n%q\n%s", th, width, got, want, ansi.Strip(out))
			}
		}
		// Narrower, columns get two cells, or the natural layout is cut
		// hard, like code: cramped, but every character is still there.
		sorted := func(s string) string { // the text, rules and separators left out
			rs := []rune(strings.Map(func(r rune) rune {
				if strings.ContainsRune("─┼│-|"+linebreak.Continued, r) {
					return -1
				}
				return r
			}, visible(s)))
			slices.Sort(rs)
			return string(rs)
		}
		for width := 2; width < 20; width++ {
			out, err := r.Render(snapOf(content.Site{}), p, width, th)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkOutput(out, width, th); err != nil {
				t.Fatalf("%s/%d: %v", th, width, err)
			}
			if sorted(out) != sorted(natural) {
				t.Fatalf("%s/%d: text lost:\n%s", th, width, ansi.Strip(out))
			}
		}
	}
}

func TestRenderNarrow(t *testing.T) {
	r := New(1 << 20)
	seedSite, p := seed(t)
	for _, th := range themes {
		for _, width := range []int{-5, 0, 1, 2, 3, 5, 9, 10, 15} {
			out, err := r.Render(snapOf(seedSite), p, width, th)
			if err != nil {
				t.Fatalf("%s/%d: %v", th, width, err)
			}
			if err := checkOutput(out, width, th); err != nil {
				t.Errorf("%s/%d: %v", th, width, err)
			}
			if !strings.Contains(visible(out), "全副武装") {
				t.Errorf("%s/%d: text missing", th, width)
			}
		}
	}
}

func TestRenderUnsafeContent(t *testing.T) {
	// Posts are sanitised before they get here; rendering must not turn
	// what is left into escape sequences.
	const md = "a &#27;[31mred&#27;[0m &#x1b;]0;title&#7; &#155;31m\n\n" +
		"[link](http://x.example/&#27;]8;;evil&#27;\\) [js](javascript:alert(1))\n\n" +
		"`&#27;[2J` <img src=\"http://x.example/&#27;[1m\" alt=\"&#27;[1m\">\n\n" +
		"raw \x1b[31m esc \x07 bel \u009b csi \ufdd0 marker\n"
	r := New(1 << 20)
	seedSite, _ := seed(t)
	for _, th := range themes {
		out, err := r.Render(snapOf(seedSite), &content.Post{Slug: "evil", Body: md}, 60, th)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkOutput(out, 60, th); err != nil {
			t.Errorf("%s: %v", th, err)
		}
		if strings.Contains(out, "javascript:") && strings.Contains(out, "\x1b]8;;javascript") {
			t.Errorf("%s: javascript: hyperlink", th)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	r := New(1 << 20)
	seedSite, _ := seed(t)
	if _, err := r.Render(snapOf(seedSite), nil, 80, theme.Dark); err == nil {
		t.Error("no error for a nil post")
	}
	if _, err := r.Render(snapOf(seedSite), &content.Post{Slug: "x"}, 80, theme.Theme("sepia")); err == nil || !strings.Contains(err.Error(), "x") {
		t.Errorf("unknown th: got error %v, want one naming the post", err)
	}
	out, err := r.Render(snapOf(seedSite), &content.Post{Slug: "x", Body: "hi"}, 80, "")
	if err != nil || !strings.Contains(out, "\x1b[") {
		t.Errorf("the empty th is not dark: %q, %v", out, err)
	}
}

func TestRenderCache(t *testing.T) {
	r := New(1 << 20)
	seedSite, p := seed(t)
	a, err := r.Render(snapOf(seedSite), p, 80, theme.Dark)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.cache.items); n != 1 {
		t.Fatalf("cache holds %d entries, want 1", n)
	}
	b, _ := r.Render(snapOf(seedSite), p, 80, theme.Dark)
	if a != b || len(r.cache.items) != 1 {
		t.Error("second render is not the cached one")
	}
	// A new version of the post (new hash) or another site URL is another entry.
	p2 := *p
	p2.Hash += "-2"
	p2.Body = strings.Replace(p.Markdown(), "2020 年是", "2021 年是", 1)
	c, _ := r.Render(snapOf(seedSite), &p2, 80, theme.Dark)
	if c == a || len(r.cache.items) != 2 {
		t.Error("a new post version came from the cache")
	}
	other := seedSite
	other.URL = "https://other.example"
	d, _ := r.Render(snapOf(other), p, 80, theme.Dark)
	if d == a || !strings.Contains(d, "https://other.example/images/2020-newyear/1.jpg") {
		t.Error("another site URL came from the cache")
	}

	small := New(len(a) + 1024) // room for one rendering
	for _, w := range []int{60, 70, 80} {
		if _, err := small.Render(snapOf(seedSite), p, w, theme.Dark); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(small.cache.items); n != 1 {
		t.Errorf("bounded cache holds %d entries, want 1", n)
	}
	none := New(0)
	if _, err := none.Render(snapOf(seedSite), p, 80, theme.Dark); err != nil || len(none.cache.items) != 0 {
		t.Errorf("a zero-byte cache holds %d entries (err %v)", len(none.cache.items), err)
	}
}

// TestRenderConcurrent renders from many goroutines at once; run it with
// -race. Results must match renders made one at a time.
func TestRenderConcurrent(t *testing.T) {
	seedSite, p := seed(t)
	type req struct {
		width int
		th    theme.Theme
	}
	var reqs []req
	for _, th := range themes {
		for _, w := range []int{40, 61, 80} {
			reqs = append(reqs, req{w, th})
		}
	}
	serial := New(0)
	want := make(map[req]string)
	for _, q := range reqs {
		out, err := serial.Render(snapOf(seedSite), p, q.width, q.th)
		if err != nil {
			t.Fatal(err)
		}
		want[q] = out
	}
	for _, cacheBytes := range []int{0, 64 << 10, 8 << 20} {
		r := New(cacheBytes)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := range 16 {
			wg.Go(func() {
				for i := range 2 * len(reqs) {
					q := reqs[(g+i)%len(reqs)]
					out, err := r.Render(snapOf(seedSite), p, q.width, q.th)
					if err != nil {
						errs <- err
						return
					}
					if out != want[q] {
						errs <- fmt.Errorf("cache %d: %s/%d differs from the serial render", cacheBytes, q.th, q.width)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}

func BenchmarkRenderSeedCold(b *testing.B) {
	r := New(0) // no cache: every iteration renders
	seedSite, p := seed(b)
	snap := snapOf(seedSite)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(snap, p, 80, theme.Dark); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderSeedCached(b *testing.B) {
	r := New(8 << 20)
	seedSite, p := seed(b)
	snap := snapOf(seedSite) // one snapshot, as a reader's session holds
	if _, err := r.Render(snap, p, 80, theme.Dark); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(snap, p, 80, theme.Dark); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderStages measures the parts of a cold render: the one
// parse (with Liquid expanded and sanitising), the tree transform, Glamour,
// and the CJK re-wrap.
func BenchmarkRenderStages(b *testing.B) {
	seedSite, p := seed(b)
	r := New(0)
	snap := snapOf(seedSite)
	prep := func() (*doc, ast.Node) {
		body, _ := snap.Body(p)
		d := &doc{src: []byte(clean(body)), root: rootOf(seedSite), refNum: map[string]int{}}
		return d, parse(r.parser, d.src)
	}
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			prep()
		}
	})
	b.Run("transform", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			d, tree := prep()
			b.StartTimer()
			d.transform(tree)
		}
	})
	b.Run("glamour", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			d, tree := prep()
			d.transform(tree)
			b.StartTimer()
			if _, err := r.glamour(tree, d.src, theme.Dark, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("wrap", func(b *testing.B) {
		d, tree := prep()
		d.transform(tree)
		raw, err := r.glamour(tree, d.src, theme.Dark, false)
		if err != nil {
			b.Fatal(err)
		}
		raw = tidy(raw)
		b.ReportAllocs()
		for b.Loop() {
			linebreak.Lines(raw, 78)
		}
	})
}

// FuzzRender checks the whole pipeline on arbitrary Markdown: no error, no
// line wider than the column, no escape sequence but SGR and OSC 8.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# 标题\n\n中文\n中文。", "- a\n  - b\n\n  c", "> q\n> ```\n> code\n> ```", "| a | b |\n|---|---|\n| 1 | 2 |",
		"<figure><img src=\"{{ site.url }}/a.jpg\"><figcaption>图</figcaption></figure>", "a<br>b &#27;[31m",
		"```\n\tcode\n```", "[x](http://a.b/&#27;)", "1. a\n2. b\n\n---\n\nTerm\n: def",
		"| 书名 | 评价 |\n|:-:|--:|\n| 数据密集型 | 很好，推荐。**粗**[l](http://x.y) |\n| a \\| b | `c` |",
		"> - | x | y |\n>   |---|---|\n>   | 一二三四五六七八九十，一二三四五六七八九十。 | z |",
		"**免责声明：**我之前 __下：__中 ~~删：~~后", "#标题\n\n##二\n\n* TOC\n{:toc}\n\n段落\n{: .c}\n{::options x /}",
		"脚注[^1]\n\n[^1]: 文字 [l](http://x.y)\n", "$$\\theta^{*}$$ $x_1$ \\(a\\) \\[b^2\\] $5 and $10\n\n$$\na \\\\ b\n$$\n",
		"https://x.com/a这是 <span>s</span> &#xFDD6;&#27;]8;;http://e\x07 ![i](/a.png) [a](#b)",
	} {
		f.Add(s, 40)
	}
	r := New(0)
	site := content.Site{URL: "http://blog.example"}
	f.Fuzz(func(t *testing.T, md string, width int) {
		width = 2 + abs(width)%150
		for _, th := range themes {
			out, err := r.Render(snapOf(site), &content.Post{Slug: "f", Body: md}, width, th)
			if err != nil {
				t.Fatalf("%s/%d: %v for %q", th, width, err, md)
			}
			if err := checkOutput(out, width, th); err != nil {
				t.Fatalf("%s/%d: %v for %q", th, width, err, md)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// snapOf returns a snapshot of a blog with site and no posts, to render
// posts in.
func snapOf(site content.Site) *content.Snapshot {
	return content.NewSnapshot(site, nil, nil, nil, nil, "")
}
