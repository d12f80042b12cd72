package liquid

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func testEnv() *Env {
	posts := map[string]string{
		"2010-07-21-name":         "/2010/07/21/name.html",
		"_posts/2016-01-02-hi.md": "/2016/01/02/hi.html",
	}
	return &Env{
		Site: map[string]any{"url": "https://example.com", "baseurl": "/blog", "title": "A Site"},
		Includes: fstest.MapFS{
			"note.html":     {Data: []byte(`<p class="note">{{ include.text }} ({{ include.who }})</p>`)},
			"figure.html":   {Data: []byte("<figure><img src=\"{{ include.src | relative_url }}\"><figcaption>{{ include.caption }}</figcaption></figure>")},
			"self.html":     {Data: []byte("again {% include self.html %}")},
			"code.md":       {Data: []byte("```\n{{ .Name }}\n```\n{{ page.title }}\n")},
			"bad.html":      {Data: []byte("before {% if %} {{ page.title }}")},
			"unknown.html":  {Data: []byte("x\n{% youtubeish abc %}")},
			"sub/deep.html": {Data: []byte("deep")},
		},
		Files: fstest.MapFS{
			"_posts/snippet.md": {Data: []byte("snippet of {{ page.title }}")},
		},
		PostURL: func(name string) (string, bool) { u, ok := posts[name]; return u, ok },
		Link:    func(path string) (string, bool) { u, ok := posts[path]; return u, ok },
	}
}

func testPage() map[string]any {
	return map[string]any{
		"title": "Hello",
		"date":  time.Date(2010, 7, 21, 10, 0, 0, 0, time.UTC),
		"tags":  []any{"go", "jekyll"},
		"path":  "_posts/2010-07-21-hello.md",
	}
}

// problem is an expected problem: its line and a part of its message.
type problem struct {
	line int
	has  string
}

func TestExpand(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
		prob []problem
	}{
		{"plain text", "no liquid here {  } { %", "no liquid here {  } { %", nil},
		{"site and page", "{{ site.title }}: {{ page.title }}", "A Site: Hello", nil},
		{"urls", "{{ site.url }}{{ site.baseurl }} {{ '/a.png' | relative_url }} {{ 'a.png' | absolute_url }} {{ 'https://x.org/a' | relative_url }}",
			"https://example.com/blog /blog/a.png https://example.com/blog/a.png https://x.org/a", nil},
		{"dates", `{{ page.date | date: "%Y-%m" }} {{ page.date | date_to_string }} {{ page.date | date_to_long_string }}`,
			"2010-07 21 Jul 2010 21 July 2010", nil},
		{"jekyll filters", `{{ "Hello, World!" | slugify }} {{ page.tags | jsonify }} {{ page.tags | array_to_sentence_string }} {{ "a<b" | xml_escape }} {{ "one two" | number_of_words }}`,
			`hello-world ["go","jekyll"] go and jekyll a&lt;b 2`, nil},
		{"assign capture", "{% assign x = 'a' | upcase %}{% capture c %}[{{ x }}]{% endcapture %}{{ c }}{{ c }}", "[A][A]", nil},
		{"control flow", "{% if page.title == 'Hello' %}yes{% else %}no{% endif %} {% for t in page.tags %}{{ t }}{% unless forloop.last %},{% endunless %}{% endfor %} {% case 2 %}{% when 2 %}two{% endcase %}",
			"yes go,jekyll two", nil},
		{"whitespace control", "a\n{%- if true -%}\n  b\n{%- endif -%}\nc {% for i in (1..2) -%}\n {{ i }}{%- endfor %}", "abc 12", nil},
		{"comment", "a {% comment %}\n{{ x }} {% youtubeish %}\n{% endcomment %} b", "a  b", nil},

		{"raw", "{% raw %}{{ x }} {% if %}{% endraw %} {{ page.title }}", "{{ x }} {% if %} Hello", nil},
		{"raw over lines and a fence", "{% raw %}\n```\n{{ x }}\n```\n{% endraw %}\n{{ page.title }}", "\n```\n{{ x }}\n```\n\nHello", nil},
		{"fence keeps braces", "```go\n{{ .Name }} {% raw %}{{ y }}{% endraw %}\n```\n{{ page.title }}", "```go\n{{ .Name }} {{ y }}\n```\nHello", nil},
		{"tilde fence in a quote", "> ~~~\n> {{ .Name }}\n> ~~~\n{{ page.title }}", "> ~~~\n> {{ .Name }}\n> ~~~\nHello", nil},
		{"fence in a list", "1. step\n\n   ```sh\n   echo {{ .X }}\n   ```\n2. {{ page.title }}", "1. step\n\n   ```sh\n   echo {{ .X }}\n   ```\n2. Hello", nil},
		{"inline code with backticks", "```{{ x }}``` is not a fence, `{{ y }}` ``{{ `z` }}`` {{ page.title }}", "```{{ x }}``` is not a fence, `{{ y }}` ``{{ `z` }}`` Hello", nil},
		{"code span with raw tags", "`{% raw %}{{ x }}{% endraw %}`", "`{{ x }}`", nil},
		{"unmatched backtick", "a ` b {{ page.title }}\n\nc ` d", "a ` b Hello\n\nc ` d", nil},
		{"escaped backtick", "\\`{{ page.title }}\\`", "\\`Hello\\`", nil},
		{"indented code", "text\n\n    {{ .Name }}\n\n    {{ .More }}\n\n{{ page.title }}", "text\n\n    {{ .Name }}\n\n    {{ .More }}\n\nHello", nil},
		{"indented list paragraph", "- item\n\n    {{ page.title }}", "- item\n\n    Hello", nil},
		{"lazy indented line", "para\n    {{ page.title }}", "para\n    Hello", nil},

		{"highlight", "{% highlight go linenos %}\nfunc f() string { return `{{ x }}` }\n{% endhighlight %}\nafter",
			"```go\nfunc f() string { return `{{ x }}` }\n```\nafter", nil},
		{"highlight with a long backtick run", "{% highlight md %}\n````\n{% endhighlight %}", "`````md\n````\n`````", nil},
		{"highlight inline", "see {% highlight sh %}ls{% endhighlight %} now", "see \n```sh\nls\n```\n now", nil},
		{"highlight in a list", "- a:\n  {% highlight sh %}\n  ls {% raw %}{{x}}{% endraw %}\n  {% endhighlight %}\n", "- a:\n  ```sh\n  ls {{x}}\n  ```\n", nil},
		{"highlight never closed", "x\n{% highlight c %}\nint {{ a }};\n", "x\n```c\nint {{ a }};\n```", []problem{{2, "highlight"}}},
		{"highlight inside a fence", "```\n{% highlight c %}\n{% endhighlight %}\n```", "```\n{% highlight c %}\n{% endhighlight %}\n```", nil},

		{"include with parameters", `{% include note.html text="Mind the gap" who=page.title %}`, `<p class="note">Mind the gap (Hello)</p>`, nil},
		{"include named by a variable", "{% assign f = 'note.html' %}{% include {{ f }} text='x' %}", `<p class="note">x ()</p>`, nil},
		{"include relative_url inside", `{% include figure.html src="/i.png" caption="Cap" %}`, `<figure><img src="/blog/i.png"><figcaption>Cap</figcaption></figure>`, nil},
		{"include in a folder", "{% include sub/deep.html %}", "deep", nil},
		{"include keeps code", "{% include code.md %}", "```\n{{ .Name }}\n```\nHello\n", nil},
		{"include missing", "a\n{% include nope.html %}b", "a\nb", []problem{{2, "_includes/nope.html not found"}}},
		{"include outside _includes", "{% include ../secret %}", "", []problem{{1, "not a file"}}},
		{"include recursion", "{% include self.html %}", strings.Repeat("again ", maxIncludeDepth), []problem{{1, "nested too deep"}}},
		{"include with an error", "1\n{% include bad.html %}", "1\nbefore  Hello", []problem{{2, "in _includes/bad.html line 1"}}},
		{"include with an unknown tag", "1\n2 {% include unknown.html %}", "1\n2 x\n", []problem{{2, "in _includes/unknown.html line 2: unknown Liquid tag {% youtubeish %}"}}},
		{"include_relative", "{% include_relative snippet.md %}", "snippet of Hello", nil},

		{"post_url", "[a]({{ site.baseurl }}{% post_url 2010-07-21-name %}#x)", "[a](/blog/2010/07/21/name.html#x)", nil},
		{"post_url unknown", "x\n[a]({% post_url 2000-01-01-none %})", "x\n[a](/2000-01-01-none)", []problem{{2, "no such post"}}},
		{"link", "{% link _posts/2016-01-02-hi.md %}", "/2016/01/02/hi.html", nil},

		{"unknown tags vanish", "a {% seo %} b\n{% tabs x %}in{% endtabs %}", "a  b\nin", []problem{{1, "{% seo %}"}, {2, "{% tabs %}"}, {2, "{% endtabs %}"}}},
		{"embeds become links", "{% youtube dQw4w9WgXcQ %}\n{% gist user/123abc %}\n{% vimeo 42 %}",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ\nhttps://gist.github.com/user/123abc\nhttps://vimeo.com/42", nil},

		{"unclosed if keeps the text", "a\n{% if page.title %}\nb {{ page.title }}", "a\n\nb Hello", []problem{{2, "{% if %} is never closed"}}},
		{"stray endif", "a {% endif %} {{ page.title }}", "a  Hello", []problem{{1, "{% endif %} without its {% if %}"}}},
		{"unknown filter costs one output", "{% assign a = 'kept' %}\n{{ a }} {{ a | nosuch }} {{ page.title }}", "\nkept  Hello", []problem{{2, `undefined filter "nosuch"`}}},
		{"bad expression in a block", "{% for x in page.tags %}{{ x | }}{% endfor %}.", ".", []problem{{1, "Liquid"}}},
		{"go template outside code", "Run {{ .Name }} now", "Run  now", []problem{{1, "Liquid"}}},
		{"problem lines after code and comments", "```\n{{ x }}\n```\n{% comment %}\n\n{% endcomment %}\n{% nosuch %}", "```\n{{ x }}\n```\n\n", []problem{{7, "{% nosuch %}"}}},
		{"a silent tag's line inside HTML goes", "<section>\n  <div>\n    {% include nope.html %}\n  </div>\n  {% if true %}\n    <p>x</p>\n  {% endif %}\n</section>\n",
			"<section>\n  <div>\n  </div>\n    <p>x</p>\n</section>\n", []problem{{3, "not found"}}},
		{"a silent tag's line between paragraphs stays blank", "a\n{% if true %}\nb\n{% endif %}\nc\n{% assign x = 1 %}\n{% seo %}\nd", "a\n\nb\n\nc\n\n\nd", []problem{{7, "{% seo %}"}}},
		{"an include's lines", "<ul>\n  {% include note.html text='x' %}\n</ul>", "<ul>\n  <p class=\"note\">x ()</p>\n</ul>", nil},
		{"warnings of the first pass survive the second", "{% include nope.html %}\n{{ x | }}", "\n", []problem{{1, "not found"}, {2, "Liquid"}}},
		{"noncharacters pass through", "\uFDD0 {{ page.title }} \uFDD01\uFDD0", "\uFDD0 Hello \uFDD01\uFDD0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := Expand(tt.src, testPage(), testEnv())
			if got != tt.want {
				t.Errorf("Expand(%q)\n got %q\nwant %q", tt.src, got, tt.want)
			}
			checkProblems(t, problems, tt.prob)
		})
	}
}

func checkProblems(t *testing.T, got []Problem, want []problem) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("problems = %v, want %d: %v", got, len(want), want)
		return
	}
	for i, w := range want {
		if got[i].Line != w.line || !strings.Contains(got[i].Message, w.has) {
			t.Errorf("problem %d = %d: %s, want %d: ...%s...", i, got[i].Line, got[i].Message, w.line, w.has)
		}
	}
}

func TestExpandPostMadeOfIncludes(t *testing.T) {
	// A real case: a post whose body is only includes must not come out empty.
	src := "{% include note.html text=\"first\" %}\n\n{% include figure.html src=\"a.png\" caption=\"A\" %}\n"
	got, problems := Expand(src, testPage(), testEnv())
	if strings.TrimSpace(got) == "" || !strings.Contains(got, "first") || !strings.Contains(got, "/blog/a.png") {
		t.Errorf("got %q", got)
	}
	if len(problems) != 0 {
		t.Errorf("problems: %v", problems)
	}
}

func TestExpandNilEnv(t *testing.T) {
	got, problems := Expand("{{ site.url }}[{{ 'a' | relative_url }}] {% include x.html %}{% post_url a %}", nil, nil)
	if got != "[/a] /a" {
		t.Errorf("got %q", got)
	}
	if len(problems) != 2 {
		t.Errorf("problems: %v", problems)
	}
}

func TestExpandWithoutLiquidDoesNotAllocate(t *testing.T) {
	src := strings.Repeat("Plain text with {braces} and `code`.\n", 100)
	env := testEnv()
	if n := testing.AllocsPerRun(100, func() {
		if out, _ := Expand(src, nil, env); out != src {
			t.Fatal("changed")
		}
	}); n != 0 {
		t.Errorf("%v allocations, want 0", n)
	}
}

// TestExpandBounds runs inputs that would run away without the bounds:
// each must finish, within the output bound, with a warning.
func TestExpandBounds(t *testing.T) {
	big := strings.Repeat("x", 200_000)
	tests := map[string]string{
		"huge range":         "{% for i in (1..1000000000) %}{% endfor %}done",
		"nested loops":       "{% for i in (1..1000) %}{% for j in (1..1000) %}{{ j }}{% endfor %}{% endfor %}",
		"capture doubling":   "{% assign s = 'xx' %}{% for i in (1..64) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}",
		"append doubling":    "{% assign s = 'xx' %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}",
		"replace everywhere": "{% assign s = '" + strings.Repeat("a", 5000) + "' %}{{ s | replace: '', s }}",
		"join a range":       "{{ (1..1000000000) | join: ',' }}",
		"escape chain":       "{% assign s = '" + strings.Repeat("&", 100_000) + "' %}{{ s | escape | escape | escape | escape | escape }}",
		"code in a loop":     "{% for i in (1..100000) %}`" + big + "`{% endfor %}",
		"includes in a loop": "{% for i in (1..100000) %}{% include self.html %}{% endfor %}",
		"deep nesting":       strings.Repeat("{% if true %}", 10_000) + "x" + strings.Repeat("{% endif %}", 10_000),
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			out, problems := Expand(src, testPage(), testEnv())
			if len(out) > maxOutput {
				t.Errorf("output of %d bytes", len(out))
			}
			if len(problems) == 0 {
				t.Errorf("no problem reported; output %.100q", out)
			}
			for _, p := range problems {
				if strings.Contains(p.Message, "sshblog") {
					t.Errorf("a problem names the scanner's own tags: %s", p.Message)
				}
			}
		})
	}
}

// TestExpandConcurrently shares one Env between goroutines, as the server
// does between sessions (run with -race).
func TestExpandConcurrently(t *testing.T) {
	env := testEnv()
	src := "{% include note.html text='x' %} {{ page.title | upcase }} {% for i in (1..3) %}{{ i }}{% endfor %}"
	want, _ := Expand(src, testPage(), env)
	done := make(chan string)
	for range 8 {
		go func() {
			out, _ := Expand(src, testPage(), env)
			done <- out
		}()
	}
	for range 8 {
		if out := <-done; out != want {
			t.Errorf("got %q, want %q", out, want)
		}
	}
}
