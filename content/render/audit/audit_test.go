package audit

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// kinds returns the kinds of findings, in order.
func kinds(fs []Finding) []Kind {
	var ks []Kind
	for _, f := range fs {
		ks = append(ks, f.Kind)
	}
	return ks
}

func TestLeftovers(t *testing.T) {
	tests := []struct {
		name     string
		source   string
		rendered string
		opt      Options
		want     []Kind
	}{
		{"clean", "Hello **world**.", "  Hello world.", Options{}, nil},
		{"bold next to CJK punctuation", "**免责声明：**我之前", "  **免责声明：**我之前", Options{}, []Kind{Strong}},
		{"a masked phone number", "138****5678 and ********", "  138****5678 and ********", Options{}, nil},
		{"asterisks alone", "a ** b", "  a ** b", Options{}, nil},
		{"an unpaired closing **", "集群**。", "  集群**。", Options{}, []Kind{Strong}},
		{"kramdown attribute list", "![x](a.png)\n{: .center}", "  Image: x\n  {: .center}", Options{}, []Kind{Attr}},
		{"toc", "* TOC\n{:toc}", "  • TOC\n  {:toc}", Options{}, []Kind{Attr}},
		{"liquid tag", "{% include foo.html %}", "  {% include foo.html %}", Options{}, []Kind{Tag}},
		{"liquid output", "Go to {{ site.url }}", "  Go to {{ site.url }}", Options{}, []Kind{Output}},
		{"hugo shortcode", `{{< tweet 1 >}}`, `  {{< tweet 1 >}}`, Options{}, []Kind{Output}},
		{"footnote", "Text[^1]\n\n[^1]: Note.", "  Text[^1]\n\n  [^1]: Note.", Options{}, []Kind{Footnote, Footnote}},
		{"markdown link", "<a name=\"x\" />\n![B](/b.png)", "  <a name=\"x\" />\n  ![B](/b.png)", Options{}, []Kind{HTML, Link}},
		{"markup inside math as written", "not $$c^**$$ here", "  not $$c^**$$ here", Options{}, nil},
		{"html tag", "Press <kbd>q</kbd>", "  Press <kbd>q</kbd>", Options{}, []Kind{HTML}},
		{"entity", "A &amp; B &nbsp;", "  A & B &nbsp;", Options{}, []Kind{Entity}},
		{"entity the author escaped", "write &amp;nbsp; for a space", "  write &nbsp; for a space", Options{}, nil},
		{"braces the author escaped", `了***\{\{\}\}***，这`, "  了{{}}，这", Options{}, nil},
		{"asterisks the author escaped", `write \*\*bold\*\*`, "  write **bold**", Options{}, nil},
		{"not a tag", "N(ci) = <ci − 1, ci + 1>.", "  N(ci) = <ci − 1, ci + 1>.", Options{}, nil},
		{"a tag with attributes", `<span class="x" id=y>a</span>`, `  <span class="x" id=y>a</span>`, Options{}, []Kind{HTML}},
		{"tag the author escaped", "the &lt;b&gt; tag", "  the <b> tag", Options{}, nil},
		{"heading without a space", "#出生年代Rank\n\ntext", "  #出生年代Rank\n\n  text", Options{}, []Kind{Heading}},
		{"a wrapped line starting with #", "my\n#1 advice", "  my\n  #1 advice", Options{}, nil},
		{"bold text starting with #", "**#最重要的指令#**： 你", "  #最重要的指令#： 你", Options{}, nil},
		{"a footnote reference without a note", "Vue Admin [^69^]", "  Vue Admin [^69^]", Options{}, nil},
		{"a heading as styled", "## Title", "  ## Title", Options{}, nil},
		{"math mangled", `$$\theta^{*}$$`, `  $$\theta^{}$$`, Options{}, []Kind{Math}},
		{"math as written, broken over lines", `$$a + b = c$$`, "  $$a +\n  b = c$$", Options{}, nil},
		{"math in a code line continued", "$$\na + b = c\n$$", "    $$\n    a + b\n    ↪ = c\n    $$", Options{}, nil},
		{"math with a paren", `\\(x_1\\)`, `  \(x1\)`, Options{}, []Kind{Math}},
		{"an escaped bracket is not math", "see \\[1\\] and [a](b)\n\nlater \\[2\\]", "  see [1] and a\n\n  later [2]", Options{}, nil},
		{"a formula in a block quote", "> $$\n> a^2 + b^2\n> $$", "  │ $$\n  │ a^2 + b^2\n  │ $$", Options{}, nil},
		{"a stray $$ does not pair across paragraphs", "cost: $$\n\n$$x^2$$ is math", "  cost: $$\n\n  $$x^2$$ is math", Options{}, nil},
		{"math in an HTML comment", "text <!-- $$x^2$$ -->", "  text", Options{}, nil},
		{"MathJax's parens read as Markdown", `\\( \sum\_i x\_i \\)`, `  \( \sum_i x_i \)`, Options{}, nil},
		{"kramdown's math is not Markdown", `$$\sum\_i$$`, `  $$\sum_i$$`, Options{}, []Kind{Math}},
		{"math broken before a >", "a $$b_g > 0$$ helps", "  a $$b_g\n  > 0$$ helps", Options{}, nil},
		{"dollars in a table of regular expressions", "| 字符 | 描述 |\n|-|-|\n| $ | 结尾 |\n| ^ | 开始 $x$ |", "  $ │ 结尾\n  ^ │ 开始 $x$", Options{}, nil},
		{"dollars are money", `costs $5 and $6`, `  costs $5 and $6`, Options{}, nil},
		{"single-dollar TeX", `so $x^2$ grows`, `  so x2 grows`, Options{}, []Kind{Math}},
		{"empty body", "{% include post.md %}\n\nSome text", "", Options{}, []Kind{Empty}},
		{"an empty body that is only tags", "{% include post.md %}\n<!-- x -->", "", Options{}, nil},
		{"url glued to CJK", "见 https://a.com/x 这里", "  见 https://a.com/x这里", Options{}, []Kind{GluedURL}},
		{"url with CJK as written", "[维基](https://zh.wikipedia.org/wiki/维基)", "  维基 (https://zh.wikipedia.org/wiki/维基)", Options{}, nil},
		{"a link to the site's own file with CJK in its name", "![轨迹](/images/轨迹.jpg)", "  [1] http://x.com/images/轨迹.jpg", Options{}, nil},
		{"link text that is a URL, then CJK", "[http://a.com/x](http://a.com/x)下载", "  http://a.com/x[5]下载", Options{}, []Kind{GluedURL}},
		{"a relative link with CJK in its anchor", "[a](b.md#原码)", "  a[1]\n\n  [1] https://x.me/b.md#原码", Options{}, nil},
		{"a URL in a table cell", "| a | b |\n|-|-|\n| https://a.com/x | 中文 |", "  https://a.com/x│中文", Options{}, nil},
		{"dollars in HTML", `<a data-hash="$x_1$">@张</a>`, `  @张`, Options{}, nil},
		{"a URL, a no-break space, CJK", "见 https://a.com/x ，然后", "  见 https://a.com/x\u00a0，然后", Options{}, nil},
		{"base path doubled", "![a](/Blog/images/a.png)", "  Image: a → https://x.io/Blog/Blog/images/a.png", Options{BaseURL: "/Blog"}, []Kind{BasePath}},
		{"base path once", "![a](/Blog/images/a.png)", "  Image: a → https://x.io/Blog/images/a.png", Options{BaseURL: "/Blog"}, nil},
		{"a block quote", "> **a**b", "  │ **a**b", Options{}, []Kind{Strong}},
		{"several kinds on a line", "**a** {: .x}", "  **a** {: .x}", Options{}, []Kind{Strong, Attr}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := kinds(Leftovers(tt.source, tt.rendered, tt.opt))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Leftovers(%q, %q) = %v, want %v", tt.source, tt.rendered, got, tt.want)
			}
		})
	}
}

func TestLeftoversSparesCode(t *testing.T) {
	tests := []struct{ name, source, rendered string }{
		{"fenced block", "```go\nx := a ** b // {{ .Name }} <b>\n```", "    x := a ** b // {{ .Name }} <b>"},
		{"tilde fence", "~~~\n{% raw %} &amp;\n~~~", "    {% raw %} &amp;"},
		{"indented block", "text\n\n    <div>{: .x}</div>\n", "  text\n\n      <div>{: .x}</div>"},
		{"code span alone", "the `<b>` tag", "  the  <b>  tag"},
		{"code span with prose around", "use `{{ site.url }}` in a link", "  use  {{ site.url }}  in a link"},
		{"the end of a code span on the next line", "命令：`/skill <name>`（激活）、", "  命令：/skill\n  <name> （激活）、"},
		{"the start of a code span at a line's end", "用 `<name> x` 激活", "  用 <name>\n  x 激活"},
		{"a short code span in prose", "positive **from** `2 ** N` (congruent", "  subtracting the positive from 2 ** N (congruent to 0000"},
		{"code span broken over two lines", "positive **from** `2 ** N` (congruent", "  positive from 2\n  ** N (congruent"},
		{"code span broken the other way", "see `a **` b", "  see a **\n  b"},
		{"code span in a table", "| `a ** n` | x |\n|---|---|\n| y | z |", "  a ** n │ x"},
		{"highlight block", "{% highlight html %}\n<p>{{ x }}</p>\n{% endhighlight %}", "    <p>{{ x }}</p>"},
		{"hugo highlight", "{{< highlight go >}}\nm := map[string]int{}\n{{< /highlight >}}", "    m := map[string]int{}"},
		{"raw block", "{% raw %}{{ page.title }}{% endraw %}", "  {{ page.title }}"},
		{"pre tags in a fenced block", "```java\n/**\n * <pre>\n *   x()\n * </pre>\n */\n```", "    /**\n     * <pre>\n     *   x()\n     * </pre>\n     */"},
		{"pre block", "<pre>a ** b</pre>", "  a ** b"},
		{"a cut line of code", "```\nprint(\"{{ this is a very long line of code }}\")\n```", "    print(\"{{ this is a very l…"},
		{"a continued line of code", "```\nprint(\"{{ this is a very long line of code }}\")\n```", "    print(\"{{ this is a very l\n    ↪ong line of code }}\")"},
		{"math in code", "`$$\\theta^{*}$$`", "  $$\\theta^{*}$$"},
		{"math in a code block", "```\n$$a^{*}$$\n```", "    $$a^{*}$$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Leftovers(tt.source, tt.rendered, Options{}); len(got) > 0 {
				t.Errorf("Leftovers(%q, %q) = %+v, want none: it is code", tt.source, tt.rendered, got)
			}
		})
	}
}

func TestLeftoversMathInATable(t *testing.T) {
	source := "| a | b |\n|---|---|\n| `x` | $$\\frac{1}{a} = b$$ |\n| `y` | $$\\frac{2}{a}$$ |\n"
	// A narrow screen breaks the second cell over three lines, beside the
	// first cell's pieces.
	shown := "  x │ $$\\frac{1}\n    │ {a} = b$$\n  y │ $$\\frac{2}{a}$$"
	if got := Leftovers(source, shown, Options{}); len(got) > 0 {
		t.Errorf("math broken over a cell's lines: %+v, want none", got)
	}
	mangled := "  x │ $$\\frac{1}\n    │ {} = b$$\n  y │ $$\\frac{2}{a}$$"
	if got := kinds(Leftovers(source, mangled, Options{})); !slices.Equal(got, []Kind{Math}) {
		t.Errorf("math mangled in a cell: %v, want [math]", got)
	}
}

func TestLeftoversFindings(t *testing.T) {
	got := Leftovers("intro\n\n**免责声明：**我之前说过", "  intro\n\n  **免责声明：**我之前说过", Options{})
	if len(got) != 1 {
		t.Fatalf("got %+v, want one finding", got)
	}
	f := got[0]
	if f.Line != 3 || f.Text != "**免责声明：**我之前说过" || f.Source != "**免责声明：**我之前说过" {
		t.Errorf("finding = %+v, want line 3, the line's text and its source", f)
	}
	m := Leftovers(`$$\theta^{*}$$`, `$$\theta^{}$$`, Options{})
	if len(m) != 1 || m[0].Line != 0 || m[0].Text != `\theta^{*}` {
		t.Errorf("math finding = %+v, want line 0 and the formula as written", m)
	}
}

func TestLeftoversIgnoresEscapes(t *testing.T) {
	// What the reader sees is the text: SGR styles and OSC 8 links are not
	// markup.
	rendered := "  \x1b[1mbold\x1b[0m \x1b]8;;https://a.com\x1b\\link\x1b]8;;\x1b\\"
	if got := Leftovers("**bold** [link](https://a.com)", rendered, Options{}); len(got) > 0 {
		t.Errorf("styled text: %+v, want no findings", got)
	}
}

func TestMeasureLines(t *testing.T) {
	source := "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十。\n\n```\nx, y := 1, 2\n, z\n```\n"
	rendered := strings.Join([]string{
		"  一二三四五六七八九十一二三四", // 30 cells
		"  五六七八九十一二三四五六七八", // 30 cells, continued
		"  九十。", // the paragraph's last line
		"",
		"    x, y := 1, 2",
		"    , z", // code: not a bad start
		"",
		"  • 项目一二三",
		"  • 项目四", // a new item, not a continuation
		"",
		"    x, y := 1,",
		"    ↪ 2", // code cut at the edge
		"  a long line of English that runs on",
		"  , starts badly",
		"  这一行太宽了这一行太宽了这一行太宽了这一行太宽了", // 50 cells: over
	}, "\n")
	m := MeasureLines(source, rendered, 40)
	if m.Width != 40 || m.Widest != 50 || m.Over != 1 || !strings.HasPrefix(m.OverLine, "  这一行太宽了") {
		t.Errorf("width %d, widest %d, over %d (%q); want 40, 50, 1 (the last line)", m.Width, m.Widest, m.Over, m.OverLine)
	}
	if m.Wrapped != 2 || math.Abs(m.MeanFill()-30.0/40) > 1e-9 {
		t.Errorf("wrapped %d, mean fill %.3f; want 2 lines, 0.750", m.Wrapped, m.MeanFill())
	}
	if m.BadStarts != 1 || !strings.Contains(m.BadStart, ", starts badly") {
		t.Errorf("bad starts %d (%q), want 1: the English line starting with a comma", m.BadStarts, m.BadStart)
	}
}

func TestMeasureLinesTables(t *testing.T) {
	// A narrow table breaks a cell's text anywhere; its rows are not
	// paragraph lines, however their first cells look.
	rendered := "        │     │ 第一页\n        │     │ ）说明"
	if m := MeasureLines("| a | b | c |\n|-|-|-|\n| x | y | 第一页）说明 |", rendered, 40); m.BadStarts != 0 || m.Wrapped != 0 {
		t.Errorf("a table's rows measured as a paragraph: %+v", m)
	}
	quoted := "  │ 我们说了很多话但是没有\n  │ 。也没有结果"
	if m := MeasureLines("> 我们说了很多话但是没有。也没有结果", quoted, 24); m.BadStarts != 1 {
		t.Errorf("a block quote's lines: bad starts = %d, want 1", m.BadStarts)
	}
}

func TestMeasureLinesClosingPunctuation(t *testing.T) {
	rendered := "  我们说了很多话但是没有\n  。也没有结果"
	m := MeasureLines("我们说了很多话但是没有。也没有结果", rendered, 24)
	if m.BadStarts != 1 {
		t.Errorf("bad starts = %d, want 1 (a line starting with 。)", m.BadStarts)
	}
}

func TestLinesAdd(t *testing.T) {
	var total Lines
	total.Add(Lines{Widest: 30, Wrapped: 2, Fill: 1.5, BadStarts: 1, BadStart: "a"})
	total.Add(Lines{Widest: 50, Over: 1, OverLine: "x", Wrapped: 1, Fill: 0.5, BadStart: "b"})
	want := Lines{Widest: 50, Over: 1, OverLine: "x", Wrapped: 3, Fill: 2, BadStarts: 1, BadStart: "a"}
	if total != want {
		t.Errorf("sum = %+v, want %+v", total, want)
	}
	if (Lines{}).MeanFill() != 0 {
		t.Error("mean fill of nothing is not 0")
	}
}

func FuzzLeftovers(f *testing.F) {
	f.Add("**a** `<b>` $$x^{*}$$ {% raw %}{{ y }}{% endraw %}", "  **a** <b> $$x^{}$$ {{ y }}")
	f.Add("| `a` | $$\\frac{1}{2}$$ |\n|-|-|\n", "  a │ $$\\frac\n    │ {1}{2}$$")
	f.Fuzz(func(t *testing.T, source, rendered string) {
		for _, fd := range Leftovers(source, rendered, Options{BaseURL: "/b"}) {
			if !slices.Contains(Kinds, fd.Kind) {
				t.Fatalf("unknown kind %q", fd.Kind)
			}
		}
		m := MeasureLines(source, rendered, 40)
		if m.Wrapped < 0 || m.Fill < 0 || m.BadStarts < 0 || (m.Wrapped == 0 && m.Fill != 0) {
			t.Fatalf("measurements out of range: %+v", m)
		}
	})
}
