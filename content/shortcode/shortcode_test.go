package shortcode

import (
	"strings"
	"testing"
)

func testEnv() *Env {
	pages := map[string]string{"post/hello.md": "/post/hello/", "hello": "/post/hello/"}
	return &Env{Ref: func(p string) (string, bool) { u, ok := pages[p]; return u, ok }}
}

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
		{"no shortcodes", "{{ .Go }} {< x >} {{ <", "{{ .Go }} {< x >} {{ <", nil},
		{"figure", `{{< figure src="/img/a.png" caption="A & B" >}}`, `<figure><img src="/img/a.png"><figcaption>A &amp; B</figcaption></figure>`, nil},
		{"figure without spaces", `{{<figure src="/img/a.png" alt="alt" title="T">}}`, `<figure><img src="/img/a.png" alt="alt"><figcaption>T</figcaption></figure>`, nil},
		{"figure with a link, self-closed", `{{< figure src="a.png" link="https://x.org/" />}}`, `<figure><a href="https://x.org/"><img src="a.png"></a></figure>`, nil},
		{"figure inside text", "see {{< figure src=a.png >}} here", "see \n<figure><img src=\"a.png\"></figure>\n here", nil},
		{"highlight", "{{< highlight go \"linenos=table\" >}}\nfmt.Println(`{{< x >}}`)\n{{< /highlight >}}\nafter",
			"```go\nfmt.Println(`{{< x >}}`)\n```\nafter", nil},
		{"highlight percent form, spaced closing", "{{% highlight sh %}}\nls\n{{< / highlight >}}", "```sh\nls\n```", nil},
		{"highlight unclosed", "x\n{{< highlight go >}}\ny", "x\n\ny", []problem{{2, "without {{< /highlight >}}"}}},
		{"ref", `[a]({{< ref "post/hello.md" >}}) [b]({{< relref hello >}})`, "[a](/post/hello/) [b](/post/hello/)", nil},
		{"ref unknown", "\n[a]({{< ref \"nope.md\" >}})", "\n[a](nope.md)", []problem{{2, "no such page"}}},
		{"embeds", `{{< youtube qH2byF7SDO8 >}} {{< youtube id="abc" >}} {{< vimeo 146022717 >}} {{< bilibili BV1kZ4y137gv >}} {{< gist spf13 7896402 >}} {{< tweet user="jack" id="20" >}}`,
			"https://www.youtube.com/watch?v=qH2byF7SDO8 https://www.youtube.com/watch?v=abc https://vimeo.com/146022717 https://www.bilibili.com/video/BV1kZ4y137gv https://gist.github.com/spf13/7896402 https://twitter.com/jack/status/20", nil},
		{"unknown vanishes", "a {{< load-photoswipe >}} b\n{{< gallery >}}", "a  b\n", []problem{{1, "{{< load-photoswipe >}}"}, {2, "{{< gallery >}}"}}},
		{"gallery of a folder", "{{< gallery dir=\"/img/x/\" />}}", `<figure><a href="/img/x/"><img src="/img/x/" alt="gallery"></a><figcaption>Gallery: /img/x/</figcaption></figure>`, nil},
		{"gallery of figures keeps them", "{{< gallery >}}\n{{< figure src=\"a.png\" >}}\n{{< /gallery >}}", "\n<figure><img src=\"a.png\"></figure>\n", []problem{{1, "its content is kept"}}},
		{"unknown paired keeps content", "{{% mind %}}\n**idea** {{< youtube abc >}}\n{{% /mind %}}", "\n**idea** https://www.youtube.com/watch?v=abc\n", []problem{{1, "its content is kept"}}},
		{"stray closing", "a {{< /mind >}}", "a ", []problem{{1, "without its opening"}}},
		{"escaped stays as text", "{{</* bilibili BV1 */>}} and {{%/* mind */%}}", "{{< bilibili BV1 >}} and {{% mind %}}", nil},
		{"unterminated is text", "{{< figure src=\"a.png\"", "{{< figure src=\"a.png\"", nil},
		{"quoted closer inside a value", `{{< figure src="a.png" caption="x >}} y" >}}`, `<figure><img src="a.png"><figcaption>x &gt;}} y</figcaption></figure>`, nil},
		{"lines counted", "1\n2\n{{< nope >}}\n```\n{{< nope2 >}}\n```", "1\n2\n\n```\n\n```", []problem{{3, "nope"}, {5, "nope2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := Expand(tt.src, testEnv())
			if got != tt.want {
				t.Errorf("Expand(%q)\n got %q\nwant %q", tt.src, got, tt.want)
			}
			if len(problems) != len(tt.prob) {
				t.Fatalf("problems = %v, want %v", problems, tt.prob)
			}
			for i, w := range tt.prob {
				if problems[i].Line != w.line || !strings.Contains(problems[i].Message, w.has) {
					t.Errorf("problem %d = %v, want %d: ...%s...", i, problems[i], w.line, w.has)
				}
			}
		})
	}
}

func TestExpandNilEnv(t *testing.T) {
	got, problems := Expand(`{{< ref "a.md" >}}`, nil)
	if got != "a.md" || len(problems) != 1 {
		t.Errorf("got %q, %v", got, problems)
	}
}

func TestExpandWithoutShortcodesDoesNotAllocate(t *testing.T) {
	src := strings.Repeat("Text with {{ .Go }} templates and {braces}.\n", 100)
	if n := testing.AllocsPerRun(100, func() {
		if out, _ := Expand(src, nil); out != src {
			t.Fatal("changed")
		}
	}); n != 0 {
		t.Errorf("%v allocations, want 0", n)
	}
}

// FuzzExpand checks that Expand never panics, leaves text without
// shortcodes as it is, and reports problems on the post's lines.
func FuzzExpand(f *testing.F) {
	f.Add(`{{< figure src="/a.png" caption="c" >}}{{< highlight go >}}x{{< /highlight >}}`)
	f.Add("{{% mind %}}{{< ref \"a\" >}}{{% /mind %}}{{</* x */>}}{{< a b=`c` d=\"e\\\"f\" />}}")
	f.Add("{{< / x >}}{{< x\n{{%")
	env := testEnv()
	f.Fuzz(func(t *testing.T, src string) {
		out, problems := Expand(src, env)
		if !strings.Contains(src, "{{<") && !strings.Contains(src, "{{%") {
			if out != src || problems != nil {
				t.Fatalf("text without shortcodes changed: %q -> %q", src, out)
			}
			return
		}
		if len(out) > 6*len(src)+1024 {
			t.Fatalf("output of %d bytes from %d", len(out), len(src))
		}
		lines := strings.Count(src, "\n") + 1
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem %v outside the post's %d lines", p, lines)
			}
		}
	})
}
