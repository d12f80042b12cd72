package render

import (
	"testing"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/linebreak"
)

var testSite = content.Site{URL: "https://blog.example/", BaseURL: "/base/"}

const br = string(linebreak.Break)

func TestLiquid(t *testing.T) {
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
		{"a tag alone on its line goes with its line", "<section>\n  <div>\n    {% include disqus.html %}\n  </div>\n</section>\n", "<section>\n  <div>\n  </div>\n</section>\n"},
		{"other tags vanish", "a{% include x.html %}b{% if x %}c{% endif %}", "abc"},
		{"unterminated liquid stays", "a {{ b and {% c", "a {{ b and {% c"},
		{"raw keeps content", "{% raw %}{{ x }}{% endraw %}", "{{ x }}"},
		{"comment dropped", "a{% comment %}secret{% endcomment %}b", "ab"},
		{"highlight becomes fence", "{% highlight go %}\nx := 1\n{% endhighlight %}", "```go\nx := 1\n```"},
		{"highlight fence outgrows backticks", "{% highlight md %}\n```\n{% endhighlight %}", "````md\n```\n````"},
		{"liquid in code kept", "```\n{{ .Name }} {% if %}\n```", "```\n{{ .Name }} {% if %}\n```"},
		{"raw tags in code removed", "```\n{% raw %}{{ .Name }}{% endraw %}\n```", "```\n{{ .Name }}\n```"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := liquid(newParser(), clean(tt.in), testSite); got != tt.want {
				t.Errorf("liquid(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
