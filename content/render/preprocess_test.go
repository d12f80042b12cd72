package render

import (
	"html"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/linebreak"
)

var testSite = content.Site{URL: "https://blog.example/", BaseURL: "/base/"}

const br = string(linebreak.Break)

func TestPreprocess(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"site url", "![a]({{ site.url }}/x.png)", "![a](https://blog.example/x.png)"},
		{"site url no spaces", "{{site.url}}/x", "https://blog.example/x"},
		{"site url odd spacing", "{{   site.url\t}}|{{- site.url -}}", "https://blog.example|https://blog.example"},
		{"baseurl", "{{ site.url }}{{ site.baseurl }}/p", "https://blog.example/base/p"},
		{"relative_url filter", `{{ "/a.png" | relative_url }}`, "/base/a.png"},
		{"absolute_url filter", `{{ '/a.png' | absolute_url }}`, "https://blog.example/base/a.png"},
		{"other output vanishes", "a{{ page.title }}b", "ab"},
		{"other tags vanish", "a{% include x.html %}b{% if x %}c{% endif %}", "abc"},
		{"unterminated liquid stays", "a {{ b and {% c", "a {{ b and {% c"},
		{"raw keeps content", "{% raw %}{{ x }}{% endraw %}", "{{ x }}"},
		{"comment dropped", "a{% comment %}secret{% endcomment %}b", "ab"},
		{"highlight becomes fence", "{% highlight go %}\nx := 1\n{% endhighlight %}", "```go\nx := 1\n```"},
		{"highlight fence outgrows backticks", "{% highlight md %}\n```\n{% endhighlight %}", "````md\n```\n````"},
		{"liquid in code kept", "```\n{{ .Name }} {% if %}\n```", "```\n{{ .Name }} {% if %}\n```"},
		{"raw tags in code removed", "```\n{% raw %}{{ .Name }}{% endraw %}\n```", "```\n{{ .Name }}\n```"},
		{"figure", "<figure>\n\t<img src=\"{{ site.url }}/images/1.jpg\" height=\"300\">\n    <figcaption>全副武装</figcaption>\n</figure>\n",
			"\n🖼 [全副武装](<https://blog.example/images/1.jpg>)\n\n"},
		{"figure without caption uses alt", "<figure><img src=\"/a.jpg\" alt=\"猫\"></figure>\n", "\n🖼 [猫](<https://blog.example/a.jpg>)\n\n"},
		{"figure without caption or alt uses file name", "<figure><img src=\"/p/a_b.jpg\"></figure>\n", "\n🖼 [a&#95;b&#46;jpg](<https://blog.example/p/a_b.jpg>)\n\n"},
		{"figure after paragraph stays apart", "text\n<figure><img src=\"/a.jpg\" alt=\"x\"></figure>\n", "text\n\n🖼 [x](<https://blog.example/a.jpg>)\n\n"},
		{"figure in quote", "> <figure><img src=\"/a.jpg\" alt=\"x\"></figure>\n", "> \n> 🖼 [x](<https://blog.example/a.jpg>)\n>\n"},
		{"html block text kept, tags dropped", "<div>\n<p>one *two*</p><p>三</p>\n</div>\n", "\none &#42;two&#42;\n\n三\n\n"},
		{"script dropped", "<script>alert(1)</script>\n", "\n"},
		{"inline html dropped", "a <span class=\"x\">b</span> c", "a b c"},
		{"br breaks", "a<br>b<br/>c", "a" + br + "b" + br + "c"},
		{"inline img", "see <img src=\"/a.png\" alt=\"pic\"> here", "see 🖼 [pic](<https://blog.example/a.png>) here"},
		{"html comment dropped", "a <!-- hidden --> b", "a  b"},
		{"cjk soft break joins", "中文\n中文", "中文中文"},
		{"cjk punctuation soft break joins", "中文，\n中文", "中文，中文"},
		{"latin soft break keeps a space", "latin\nwords", "latin words"},
		{"mixed soft break keeps a space", "中文\nEnglish", "中文 English"},
		{"soft break across emphasis", "**粗体**\n中文", "**粗体**中文"},
		{"hard break kept", "中文  \n中文", "中文  \n中文"},
		{"soft break in list item", "- 列表\n  继续", "- 列表继续"},
		{"soft break in quote", "> 引用\n> 继续", "> 引用继续"},
		{"lazy continuation", "> 引用\n继续", "> 引用继续"},
		{"code span newline", "- `a\n  b`", "- `a b`"},
		{"second paragraph in list item", "- one\n\n  two", "- one\n\n  " + br + br + "two"},
		{"control reference neutralised", "a &#27;[31m b &#x1B; c &#27 d &#155; e", "a \uFFFD[31m b \uFFFD c \uFFFD d \uFFFD e"},
		{"harmless references kept", "&#20013; &amp; &#x4e2d;", "&#20013; &amp; &#x4e2d;"},
		{"reference to a marker neutralised", "&#xFDD4;", "\uFFFD"},
		{"reference in code block kept", "```\n&#27;\n```", "```\n&#27;\n```"},
		{"controls and markers neutralised", "a\x1b[31mb\x07c\ufdd0d\u009be", "a\uFFFD[31mb\uFFFDc\uFFFDd\uFFFDe"},
		{"crlf", "a\r\nb", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Preprocess(tt.in, testSite); got != tt.want {
				t.Errorf("Preprocess(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPreprocessSeed(t *testing.T) {
	site, p := seed(t)
	got := Preprocess(p.Body, site)
	for _, want := range []string{
		"🖼 [全副武装](<http://gaocegege.com/images/2020-newyear/1.jpg>)",
		"🖼 [调侃](<http://gaocegege.com/images/2020-newyear/2.jpg>)",
		"🖼 [Congrats](<http://gaocegege.com/images/2020-newyear/3.jpg>)",
		"🖼 [再见，朋友](<http://gaocegege.com/images/2020-newyear/4.jpg>)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("preprocessed seed lacks %q", want)
		}
	}
	for _, bad := range []string{"{{", "<figure", "<img", "figcaption"} {
		if strings.Contains(got, bad) {
			t.Errorf("preprocessed seed keeps %q", bad)
		}
	}
}

func FuzzPreprocess(f *testing.F) {
	for _, s := range []string{
		"中文\n中文", "- a\n  b\n\n  c", "> q\n> r", "<figure><img src=x><figcaption>c</figcaption></figure>",
		"a<br>b <img src=/a alt=x>", "{{ site.url }}{% raw %}{{x}}{% endraw %}{% highlight go %}\nx\n{% endhighlight %}",
		"```\n{{ x }}\n```", "&#27;[31m &#x9b; &#0;", "`a\nb`", "**粗体**\n中文", "<div>\n*x*\n</div>",
		"<figure<A>", "\t&#0", // found by fuzzing
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Preprocess(s, testSite)
		if out != Preprocess(s, testSite) {
			t.Fatalf("not deterministic for %q", s)
		}
		for _, r := range out {
			if (unicode.IsControl(r) && r != '\n' && r != '\t') || (linebreak.IsMarker(r) && r != linebreak.Break) {
				t.Fatalf("output keeps %U: %q -> %q", r, s, out)
			}
		}
		// What Glamour will print: text and code spans with references
		// decoded, link and image destinations (code blocks are printed
		// as written, references and all).
		src := []byte(out)
		_ = ast.Walk(parse(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			var shown string
			switch n := n.(type) {
			case *ast.HTMLBlock, *ast.RawHTML:
				t.Fatalf("output keeps raw HTML: %q -> %q", s, out)
			case *ast.Text:
				shown = html.UnescapeString(string(n.Segment.Value(src)))
			case *ast.Link:
				shown = string(n.Destination)
			case *ast.Image:
				shown = string(n.Destination)
			case *ast.AutoLink:
				shown = string(n.URL(src))
			}
			if strings.ContainsFunc(shown, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
				t.Fatalf("output shows a control character: %q -> %q (%q)", s, out, shown)
			}
			return ast.WalkContinue, nil
		})
	})
}
