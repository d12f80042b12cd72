package render

import (
	"fmt"
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/theme"
)

// outlineBody has what could be taken for a heading and is not: a table of
// contents listing the headings, a code line starting "## ", a paragraph
// starting with a heading's words.
const outlineBody = `* TOC
{:toc}

# 第一章 部署

Intro text[^a].

` + "```sh\n## Setup the tools\necho hi\n```" + `

Setup the tools first, then read on.

## Setup the tools

Text.

### A [linked](https://example.com) heading that is long enough to break over two lines at forty

More[^b].

#### 四级标题

Body.

[^a]: The first note.
[^b]: The second note, longer.
`

func TestOutline(t *testing.T) {
	p := &content.Post{Slug: "o", Body: outlineBody}
	s := content.NewSnapshot(content.Site{}, []*content.Post{p}, nil, nil, nil, "")
	r := New(1 << 20)
	for _, th := range []theme.Theme{theme.Dark, theme.Light, theme.Plain} {
		for _, width := range []int{80, 40, 20} {
			hs, err := r.Outline(s, p, width, th)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := r.Render(s, p, width, th)
			lines := strings.Split(out, "\n")
			want := []struct {
				level, note int
				text        string
			}{
				{1, 0, "第一章 部署"}, {2, 0, "Setup the tools"},
				{3, 0, "A linked[1] heading that is long enough to break over two lines at forty"},
				{4, 0, "四级标题"}, {0, 1, "The first note."}, {0, 2, "The second note, longer."},
			}
			if len(hs) != len(want) {
				t.Fatalf("%s %d: got %d entries, want %d: %+v\n%s", th, width, len(hs), len(want), hs, xansi.Strip(out))
			}
			prev := -1
			for i, h := range hs {
				w := want[i]
				if h.Level != w.level || h.Footnote != w.note || h.Text != w.text {
					t.Errorf("%s %d: entry %d is %+v, want %+v", th, width, i, h, w)
				}
				if h.Line <= prev {
					t.Errorf("%s %d: entry %d on line %d, after %d", th, width, i, h.Line, prev)
				}
				prev = h.Line
				shown := squeeze(xansi.Strip(lines[h.Line]))
				first := []rune(squeeze(w.text))[:2]
				if !strings.Contains(shown, string(first)) || strings.Contains(shown, "•") || strings.Contains(shown, "echo") {
					t.Errorf("%s %d: entry %d points at %q", th, width, i, xansi.Strip(lines[h.Line]))
				}
			}
			// The heading after the code line, not the code line.
			if code := strings.Index(xansi.Strip(out), "echo"); code >= 0 {
				before := strings.Count(xansi.Strip(out)[:code], "\n")
				if hs[1].Line < before {
					t.Errorf("%s %d: the code line was taken for a heading", th, width)
				}
			}
		}
	}
}

// BenchmarkOutline measures the outline of a long post (60 headings, 20
// footnotes, 1,200 paragraphs) whose rendering is cached, as the reader's o
// key asks for it.
func BenchmarkOutline(b *testing.B) {
	var md strings.Builder
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&md, "## Section %d 第%d节\n\n", i, i)
		for j := 0; j < 20; j++ {
			fmt.Fprintf(&md, "Paragraph %d of section %d: 一些中文 and some English words to wrap.[^%d]\n\n", j, i, i%20+1)
		}
	}
	for n := 1; n <= 20; n++ {
		fmt.Fprintf(&md, "[^%d]: Note %d.\n", n, n)
	}
	p := &content.Post{Slug: "long", Body: md.String()}
	s := content.NewSnapshot(content.Site{}, []*content.Post{p}, nil, nil, nil, "")
	r := New(64 << 20)
	if _, err := r.Render(s, p, 80, theme.Dark); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		hs, err := r.Outline(s, p, 80, theme.Dark)
		if err != nil || len(hs) != 80 {
			b.Fatalf("%d entries, %v", len(hs), err)
		}
	}
}
