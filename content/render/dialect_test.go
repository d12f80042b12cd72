package render

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/theme"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// gaoSite is configured as gaocegege/Blog is: url and baseurl swapped.
var gaoSite = content.Site{URL: "/Blog", BaseURL: "http://gaocegege.com"}

// renderPlain renders md in the plain theme at width and returns its lines'
// text.
func renderPlain(t *testing.T, r *Renderer, md string, width int) string {
	t.Helper()
	out, err := r.Render(snapOf(gaoSite), &content.Post{Slug: "t", Body: md}, width, theme.Plain)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOutput(out, width, theme.Plain); err != nil {
		t.Fatal(err)
	}
	return out
}

// renderDark renders md in the dark theme and returns it with its escape
// sequences, and as text.
func renderDark(t *testing.T, r *Renderer, md string) (styled, text string) {
	t.Helper()
	out, err := r.Render(snapOf(gaoSite), &content.Post{Slug: "t", Body: md}, 80, theme.Dark)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOutput(out, 80, theme.Dark); err != nil {
		t.Fatal(err)
	}
	return out, ansi.Strip(out)
}

// bold reports whether the text s is shown bold in styled output: some SGR
// sequence with attribute 1 opens right before it.
func bold(styled, s string) bool {
	i := strings.Index(styled, s)
	if i < 0 {
		return false
	}
	j := strings.LastIndex(styled[:i], "\x1b[")
	return j >= 0 && strings.HasSuffix(styled[j:i], "m") && strings.Contains(";"+strings.TrimSuffix(styled[j+2:i], "m")+";", ";1;")
}

func TestDialectEmphasisNextToCJK(t *testing.T) {
	r := New(0)
	for _, tt := range []struct {
		md, strong string
	}{
		{"**免责声明：**我之前写过", "免责声明："},
		{"我说**「引用」**然后", "「引用」"},
		{"这是**加粗**的字", "加粗"},
		{"结尾**粗体。**", "粗体。"},
		{"__下划线：__中文", "下划线："},
		{"就是 Google**「让 Web 成为平台」**而准备的", "「让 Web 成为平台」"},
		{"中心的。**很不幸，以 HTML 为中心的。**Angular 2 并没有", "很不幸，以 HTML 为中心的。"},
		{"开 **Data Saver（省流量模式**）的用户", "Data Saver（省流量模式"},
	} {
		styled, text := renderDark(t, r, tt.md)
		if strings.Contains(text, "**") || strings.Contains(text, "__") {
			t.Errorf("%q shows its delimiters: %q", tt.md, text)
		}
		if !bold(styled, tt.strong) {
			t.Errorf("%q: %q is not bold: %q", tt.md, tt.strong, styled)
		}
	}
	// CommonMark's rules hold where no CJK is involved.
	if _, text := renderDark(t, r, "a ** b ** c and snake_case_name"); !strings.Contains(text, "a ** b ** c and snake_case_name") {
		t.Errorf("delimiters between spaces or inside words became emphasis: %q", text)
	}
	if _, text := renderDark(t, r, "~~删除：~~之后"); strings.Contains(text, "~~") {
		t.Errorf("strikethrough next to CJK punctuation shows its tildes: %q", text)
	}
}

func TestDialectHeadingWithoutSpace(t *testing.T) {
	r := New(0)
	out := renderPlain(t, r, "#出生年代Rank\n\n##二级\n\n正文 #tag 和\n#不是标题\n\n```c\n#include <stdio.h>\n```\n", 80)
	for _, want := range []string{"# 出生年代Rank", "## 二级", "正文 #tag 和 #不是标题", "#include <stdio.h>"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "# include") {
		t.Errorf("#include in code became a heading:\n%s", out)
	}
}

func TestDialectKramdownAttributes(t *testing.T) {
	r := New(0)
	md := "# 一\n\n* TOC\n{:toc}\n\n## 二 {#two}\n\n段落\n{: .note}\n\n{: class=\"x\"}\n\n*强调*{: .c} 文字\n\n{::options parse_block_html=\"true\" /}\n\n### 三\n"
	out := renderPlain(t, r, md, 80)
	if strings.Contains(out, "{:") || strings.Contains(out, "TOC") || strings.Contains(out, "{#") {
		t.Errorf("attribute lists or the TOC marker show:\n%s", out)
	}
	toc := "  • 一\n      • 二\n          • 三"
	if !strings.Contains(out, toc) {
		t.Errorf("no table of contents %q:\n%s", toc, out)
	}
	if out := renderPlain(t, r, "前{::comment}\n隐藏的\n\n段落{:/comment}后\n", 80); strings.TrimSpace(out) != "前后" {
		t.Errorf("a kramdown comment shows: %q", out)
	}
	// Without headings, {:toc} is nothing.
	if out := renderPlain(t, r, "* TOC\n{:toc}\n\ntext\n", 80); strings.TrimSpace(out) != "text" {
		t.Errorf("a TOC without headings shows %q", out)
	}
}

func TestDialectFootnotes(t *testing.T) {
	r := New(0)
	out := renderPlain(t, r, "正文[^a]，还有[^b]。\n\n[^b]: 第二条。\n[^a]: 第一条，有 *强调*。\n", 80)
	for _, want := range []string{"正文¹，还有²。", "1. 第一条，有 强调。", "2. 第二条。"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "[^") {
		t.Errorf("footnote markup shows:\n%s", out)
	}
	if strings.Index(out, "正文") > strings.Index(out, "第一条") {
		t.Errorf("footnotes are not at the end:\n%s", out)
	}
}

func TestDialectMath(t *testing.T) {
	r := New(0)
	for _, tt := range []struct{ md, want string }{
		{`损失 $$\theta^{*}$$ 最小`, `$$\theta^{*}$$`},
		{`inline $x_1 * y_2$ and $a_b$`, `$x_1 * y_2$`},
		{`paren \(a^{*}_1\) end`, `\(a^{*}_1\)`},
		{`bracket \[ \frac{a}{b} \] end`, `\[ \frac{a}{b} \]`},
		{"$$\n\\sum_{i=1}^{n} x_i^{*} \\\\ y\n$$\n", "\\sum_{i=1}^{n} x_i^{*} \\\\ y"},
		{`entities stay $a &lt; b$`, `$a &lt; b$`},
		// Math that closes on a later line of its paragraph, and in a table.
		{"- return $$R = \\begin{cases}\n\t0 & s \\\\\n\t\\end{cases}\n\t$$\n", `$$R = \begin{cases} 0 & s \\ \end{cases} $$`},
		{"| a |\n|---|\n| $$\\{ x \\}$$ |\n", `$$\{ x \}$$`},
		{"- a\n    - $$\n    \\mathcal{L}_\\text{val} = x_1\n    $$\n", `$$ \mathcal{L}_\text{val} = x_1 $$`},
	} {
		if out := renderPlain(t, r, tt.md, 80); !strings.Contains(out, tt.want) {
			t.Errorf("%q: output lacks %q:\n%s", tt.md, tt.want, out)
		}
	}
	for _, tt := range []struct{ md, want string }{
		{"it costs $5 and $10 now", "it costs $5 and $10 now"},
		{"between $ 5 and 6 $ here", "between $ 5 and 6 $ here"},
		{"from $1,000 to $2,000", "from $1,000 to $2,000"},
		{`escaped \[1\] brackets`, `escaped [1] brackets`},
	} {
		if out := renderPlain(t, r, tt.md, 80); !strings.Contains(out, tt.want) {
			t.Errorf("%q is not plain text: %q", tt.md, out)
		}
	}
}

func TestDialectHTML(t *testing.T) {
	r := New(0)
	for _, tt := range []struct{ md, want string }{
		{"a <span class=\"x\">b</span> c", "a b c"},
		{"一<br>二<br/>三", "一\n  二\n  三"},
		{"<div>\n<p>one *two*</p><p>三</p>\n</div>\n", "one *two*\n\n  三"},
		{"<script>alert(1)</script>\n\nafter", "after"},
		{"AT&amp;T &lt;b&gt; &#20013;", "AT&T <b> 中"},
		{"`&amp; <b>`", "&amp; <b>"},
		{"```\n&amp; <b>\n```\n", "&amp; <b>"},
		{"<figure><img src=\"{{ site.url }}/images/1.jpg\"><figcaption>全副武装</figcaption></figure>\n", "🖼 全副武装[1]"},
		{"see <img src=\"/a.png\" alt=\"pic\"> here", "see 🖼 pic[1] here"},
		{"a <!-- hidden --> b", "a  b"},
		// A lone span-level tag is inline HTML, as in kramdown, not an HTML
		// block that would swallow the Markdown after it.
		{"<br />\n[链接](http://x.y) and ![图](/a.png)\n", "链接[1] and 🖼 图"},
		{"<a name='qa' />\n- [SQuAD](http://x.y)\n", "• SQuAD[1]"},
		// The indented end of an HTML block cut short by a blank line is
		// not code; Markdown between HTML lines is Markdown.
		{"<section>\n    <div>\n        <h1>评论</h1>\n\n<script>x</script>\n\n    </div>\n</section>\n\n后文\n", "评论\n\n  后文"},
		{"<div class=\"zh\">\n\n[链接](http://x.y) 和文字\n\n</div>\n", "链接[1] 和文字"},
		{"例子：\n\n    <div>\n      代码\n    </div>\n", "    <div>\n      代码\n    </div>"},
	} {
		if out := renderPlain(t, r, tt.md, 80); !strings.Contains(out, tt.want) {
			t.Errorf("%q: output lacks %q:\n%s", tt.md, tt.want, out)
		}
	}
}

func TestDialectImages(t *testing.T) {
	local := map[string]bool{"images/x.png": true}
	r := New(0, LocalImages(func(p string) bool { return local[p] }))
	out := renderPlain(t, r, "![猫]({{ site.url }}/images/x.png)\n\n![远](https://cdn.example/y.png)\n\n![]({{ site.url }}/images/z.png)\n", 80)
	for _, want := range []string{
		"🖼 猫[1]", "🖼 远[2]", "🖼 z.png[3]",
		"[1] http://gaocegege.com/Blog/images/x.png (images/x.png)",
		"[2] https://cdn.example/y.png\n",
		"[3] http://gaocegege.com/Blog/images/z.png",
	} {
		if !strings.Contains(out+"\n", want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "/Blog/Blog") {
		t.Errorf("base path doubled:\n%s", out)
	}
}

func TestSiteRoot(t *testing.T) {
	for _, tt := range []struct {
		site            content.Site
		dest, url, path string
	}{
		{gaoSite, "/Blog/images/a.png", "http://gaocegege.com/Blog/images/a.png", "images/a.png"},
		{gaoSite, "images/a.png", "http://gaocegege.com/Blog/images/a.png", "images/a.png"},
		{content.Site{URL: "https://b.example", BaseURL: "/base"}, "/base/p/x.png", "https://b.example/base/p/x.png", "p/x.png"},
		{content.Site{URL: "https://b.example/"}, "/x%20y.png", "https://b.example/x%20y.png", "x y.png"},
		{content.Site{URL: "https://b.example"}, "https://other.example/a.png", "https://other.example/a.png", ""},
		{content.Site{URL: "https://b.example"}, "#top", "", ""},
		{content.Site{}, "/a.png", "", "a.png"},
	} {
		root := rootOf(tt.site)
		if got := root.resolve(tt.dest); got != tt.url {
			t.Errorf("%+v: resolve(%q) = %q, want %q", tt.site, tt.dest, got, tt.url)
		}
		if got := root.local(tt.dest); got != tt.path {
			t.Errorf("%+v: local(%q) = %q, want %q", tt.site, tt.dest, got, tt.path)
		}
	}
}

func TestDialectLinks(t *testing.T) {
	r := New(0)
	md := "见[这篇文章](https://example.com/a)和[另一篇](https://example.com/b)，" +
		"再见[这篇](https://example.com/a)。地址 https://x.com/a这是中文，" +
		"[页内](#top)，[坏的](javascript:alert(1))。见[https://y.com/p](https://y.com/p)下载。" +
		"网址：https://z.example/p，打开 http://localhost:1975/mcp。验证 http://q.example/?a=1&amp;b=2\n"
	out := renderPlain(t, r, md, 100)
	for _, want := range []string{
		"见这篇文章[1]和另一篇[2]，再见这篇[1]。", "https://x.com/a 这是中文", "页内，坏的。", "https://y.com/p 下载。", "网址：https://z.example/p ，打开", "http://localhost:1975/mcp 。验证", "http://q.example/?a=1&b=2",
		"[1] https://example.com/a\n  [2] https://example.com/b",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "https://example.com/a") != 1 {
		t.Errorf("a target is listed more than once, or shown in the text:\n%s", out)
	}
	styled, _ := renderDark(t, r, md)
	for _, u := range []string{"https://example.com/a", "https://x.com/a", "https://z.example/p", "http://localhost:1975/mcp"} {
		if !strings.Contains(styled, ";"+u+"\x1b\\") {
			t.Errorf("no hyperlink to %s", u)
		}
	}
	if strings.Contains(styled, "javascript") {
		t.Error("a javascript: link survived")
	}
}

func TestDialectCodeLines(t *testing.T) {
	r := New(0)
	md := "```go\nfmt.Println(\"a line of code much wider than the column it is shown in\")\n```\n"
	out := renderPlain(t, r, md, 40)
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.ContainsRune(",.;:!?)]}\"'", rune(l[0])) {
			t.Errorf("a code line starts with punctuation: %q\n%s", l, out)
		}
	}
	if !strings.Contains(out, "↪") {
		t.Errorf("the cut line has no continuation mark:\n%s", out)
	}
	joined := strings.ReplaceAll(strings.ReplaceAll(out, "\n", ""), " ", "")
	if !strings.Contains(strings.ReplaceAll(joined, "↪", ""), `fmt.Println("alineofcodemuchwiderthanthecolumnitisshownin")`) {
		t.Errorf("code lost in cutting:\n%s", out)
	}
}

// TestDialectGolden renders one post that uses every rule, at several
// widths, in the plain and dark themes (the dark one's escape sequences as
// the renderer writes them: its colour profile is fixed).
func TestDialectGolden(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("testdata", "dialect.md"))
	if err != nil {
		t.Fatal(err)
	}
	local := func(p string) bool { return p == "images/local.png" }
	r := New(0, LocalImages(local))
	for _, th := range []theme.Theme{theme.Plain, theme.Dark} {
		for _, width := range []int{40, 80, 120} {
			name := fmt.Sprintf("dialect-%s-%d.golden", th, width)
			t.Run(name, func(t *testing.T) {
				out, err := r.Render(snapOf(gaoSite), &content.Post{Slug: "dialect", Body: string(md)}, width, th)
				if err != nil {
					t.Fatal(err)
				}
				if err := checkOutput(out, width, th); err != nil {
					t.Fatal(err)
				}
				if err := checkKinsoku(out); err != nil {
					t.Error(err)
				}
				text := ansi.Strip(out)
				for _, bad := range []string{"{:", "{%", "{{", "[^", "<span", "<br", "**免", "/Blog/Blog", `\theta^{}`} {
					if strings.Contains(text, bad) {
						t.Errorf("output shows %q", bad)
					}
				}
				path := filepath.Join("testdata", name)
				if *update {
					if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -run TestDialectGolden -update)", err)
				}
				if out != string(want) {
					t.Errorf("output differs from %s (run with -update to rewrite it):\n%s", path, text)
				}
			})
		}
	}
}

// A renderer given no LocalImages asks the snapshot the post is read in:
// the images its blog folder holds, in any folder, are the blog's own.
func TestLocalImagesFromSnapshot(t *testing.T) {
	md := "---\ntitle: t\n---\n![猫](/images/x.png)\n\n![狗](/assets/img/y.jpg)\n\n![远](https://cdn.example/z.png)\n\n![无](/images/missing.png)\n\n![静](/pics/s.png)\n"
	for _, tt := range []struct {
		config string
		want   []string
	}{
		{"url: https://b.example\n", []string{
			"[1] https://b.example/images/x.png (images/x.png)\n",
			"[2] https://b.example/assets/img/y.jpg (assets/img/y.jpg)\n",
			"[3] https://cdn.example/z.png\n",
			"[4] https://b.example/images/missing.png\n",
			"[5] https://b.example/pics/s.png (pics/s.png)\n",
		}},
		// No URL: the blog's own images are still reachable by path.
		{"title: t\n", []string{"🖼 猫[1]", "🖼 狗[2]", "🖼 远[3]", "🖼 无\n", "🖼 静[4]",
			"[1] images/x.png\n", "[2] assets/img/y.jpg\n", "[3] https://cdn.example/z.png\n", "[4] pics/s.png\n"}},
	} {
		s, err := content.Load(fstest.MapFS{
			"_config.yml":             {Data: []byte(tt.config)},
			"_posts/2020-01-02-a.md":  {Data: []byte(md)},
			"images/x.png":            {Data: []byte("png")},
			"assets/img/y.jpg":        {Data: []byte("jpg")},
			"static/pics/s.png":       {Data: []byte("png")}, // Hugo serves static/ at the root
			"images/.hidden/h.png":    {Data: []byte("png")},
			"_posts/images/notes.txt": {Data: []byte("txt")},
		}, "")
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.Post("a")
		out, err := New(0).Render(s, p, 80, theme.Plain)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range tt.want {
			if !strings.Contains(out+"\n", want) {
				t.Errorf("%q: output lacks %q:\n%s", tt.config, want, out)
			}
		}
	}
}

// A post that is only an <iframe> (a chart, a player) is not empty: the
// iframe, like <video>, <audio>, <embed> and <object>, is a line like an
// image's, linked to its source; their fallback content does not show.
func TestDialectMedia(t *testing.T) {
	r := New(0)
	for _, tt := range []struct{ md, want string }{
		{"<iframe \n  id=\"chart\"\n  src=\"https://huangxuan.me/PL-chart/\"\n  frameborder=\"0\" \n  style=\"width: 100%\">\n</iframe>\n",
			"▶ PL-chart[1]\n"},
		{"<iframe src=\"https://huangxuan.me/PL-chart/\"></iframe>\n", "[1] https://huangxuan.me/PL-chart/"},
		{"<iframe title=\"演示\" src=\"https://v.example/embed/1\"></iframe>\n", "▶ 演示[1]"},
		{"<video controls>\n  <source src=\"/media/a.mp4\" type=\"video/mp4\">\n  Your browser does not support video.\n</video>\n", "▶ a.mp4[1]"},
		{"<audio src=\"https://a.example/s.mp3\" aria-label=\"一首歌\" controls></audio>\n", "▶ 一首歌[1]"},
		{"<embed src=\"/slides/x.pdf\">\n", "▶ x.pdf[1]"},
		{"<object data=\"/d/y.svg\">fallback</object>\n", "▶ y.svg[1]"},
		{"看 <iframe src=\"https://v.example/p\"></iframe> 这个\n", "看 ▶ p[1] 这个"},
		{"看 <video controls><source src=\"/m/v.webm\">fallback</video> 这个\n", "看 ▶ v.webm[1] 这个"},
	} {
		out := renderPlain(t, r, tt.md, 80)
		if !strings.Contains(out, tt.want) {
			t.Errorf("%q: output lacks %q:\n%s", tt.md, tt.want, out)
		}
		for _, bad := range []string{"support", "fallback", "<"} {
			if strings.Contains(out, bad) {
				t.Errorf("%q: output shows %q:\n%s", tt.md, bad, out)
			}
		}
	}
}

// The plain theme (NO_COLOR, TERM=dumb) shows bold and italic text without
// Markdown's asterisks; headings keep their "#" and strikethrough its "~~",
// which carry meaning that would be lost.
func TestPlainEmphasis(t *testing.T) {
	r := New(0)
	out := renderPlain(t, r, "# 标题\n\n## Sub\n\n**免责声明：**我之前 *italic* and ***both*** and ~~struck~~ and `code`\n", 80)
	for _, want := range []string{"# 标题\n", "## Sub\n", "免责声明：我之前 italic and both and ~~struck~~ and code"} {
		if !strings.Contains(out+"\n", want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "*") {
		t.Errorf("plain output shows asterisks:\n%s", out)
	}
}
