package liquid

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExpand checks that Expand never panics or runs away, whatever the
// post: it finishes within the output bound, leaves text without Liquid as
// it is, reports problems on the post's lines, and never lets a
// placeholder's marker out.
func FuzzExpand(f *testing.F) {
	f.Add("{{ page.title }} {% include note.html text='x' %} `{{ y }}`")
	f.Add("{% highlight go %}\n{{ .X }}\n{% endhighlight %}\n```\n{% raw %}{{ z }}{% endraw %}\n```")
	f.Add("{% for i in (1..5) %}{% capture c %}{{ c }}{{ i }}{% endcapture %}{% endfor %}{{ c | replace: '1', 'one' }}")
	f.Add("{% if %}\n{% endfor %}{{ x | nosuch }}{% youtube abc %}{% comment %}")
	f.Add("    {{ indented }}\n\n- {{ list }}\n\n> ~~~\n> {{ quote }}\n{% raw %}")
	if src, err := os.ReadFile("testdata/post.md"); err == nil {
		f.Add(string(src))
	}
	env := testEnv()
	f.Fuzz(func(t *testing.T, src string) {
		out, problems := Expand(src, testPage(), env)
		if !strings.Contains(src, "{{") && !strings.Contains(src, "{%") {
			if out != src || problems != nil {
				t.Fatalf("text without Liquid changed: %q -> %q, %v", src, out, problems)
			}
			return
		}
		if len(out) > maxOutput {
			t.Fatalf("output of %d bytes", len(out))
		}
		lines := strings.Count(src, "\n") + 1
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines || p.Message == "" {
				t.Fatalf("problem %d: %q outside the post's %d lines", p.Line, p.Message, lines)
			}
		}
		for r := rune(0xFDD0); r <= 0xFDEF; r++ {
			if strings.ContainsRune(out, r) && !strings.ContainsRune(src, r) {
				t.Fatalf("marker %U left in %q", r, out)
			}
		}
		if utf8.ValidString(src) && !utf8.ValidString(out) {
			t.Fatalf("valid input, invalid output %q", out)
		}
	})
}
