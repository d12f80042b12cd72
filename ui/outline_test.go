package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render"
	"github.com/sshblog/sshblog/content/theme"
)

// outlineBody is a long post with headings at three levels, a table of
// contents, a code line that reads like a heading, and footnotes.
func outlineBody() string {
	var b strings.Builder
	b.WriteString("* TOC\n{:toc}\n\nIntro.[^1]\n\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "## Part %d 第%d部分\n\n", i, i)
		for j := 1; j <= 8; j++ {
			fmt.Fprintf(&b, "Paragraph %d of part %d, with enough words to fill a line or so.\n\n", j, i)
		}
		if i%3 == 0 {
			fmt.Fprintf(&b, "### Detail %d\n\n```sh\n## Part %d is not here\n```\n\nMore.[^%d]\n\n", i, i+1, i/3+1)
		}
	}
	for n := 1; n <= 5; n++ {
		fmt.Fprintf(&b, "[^%d]: Footnote number %d.\n", n, n)
	}
	return b.String()
}

func outlineBlog() *content.Snapshot {
	body := outlineBody()
	p := &content.Post{Slug: "long-read", Path: "posts/2024-01-01-long-read.md", Title: "A long read", Date: day("2024-01-01"), Body: body, Hash: hashOf(body)}
	q := newPost("short", "Short", "2023-01-01", nil, 5, nil)
	return content.NewSnapshot(content.Site{Title: "Outline Blog", Language: "en"}, []*content.Post{p, q}, nil, nil, nil, "r1")
}

// topText is the first line of the reader's text on screen, trimmed.
func topText(d *driver) string {
	r := d.m.reader
	if r == nil {
		d.t.Fatal("no reader")
	}
	return strings.TrimSpace(ansi.Strip(r.lines[r.pos.YOffset()]))
}

func TestOutlineJumpsToHeading(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {40, 12}, {120, 40}} {
		d := newDriver(t, Options{Snapshot: outlineBlog(), Renderer: render.New(1 << 20), Width: sz[0], Height: sz[1]})
		d.keys("enter", "o")
		if _, ok := d.m.top().(*outlinePage); !ok {
			t.Fatalf("%v: o did not open the outline", sz)
		}
		entries := d.m.top().(*outlinePage).list.src.(outlineRows).entries
		// 12 parts, 4 details, 5 footnotes; the code line is not one.
		if len(entries) != 21 {
			t.Fatalf("%v: %d entries: %+v", sz, len(entries), entries)
		}
		// Part 5 is the 6th entry (Detail 3 comes after Part 3).
		d.keys("G", "/", "Part 5", "enter", "enter")
		if _, ok := d.m.top().(*reader); !ok {
			t.Fatalf("%v: enter did not go back to the reader", sz)
		}
		if got := topText(d); !strings.Contains(got, "Part 5") {
			t.Fatalf("%v: the reader's top line is %q, want Part 5's heading", sz, got)
		}
		d.checkScreen()
		// The outline opens on the heading read, and esc leaves the
		// reader where it was.
		d.keys("o")
		rows := d.m.top().(*outlinePage)
		if e := entries[rows.list.selected()]; !strings.Contains(e.Text, "Part 5") {
			t.Fatalf("%v: outline opens on %q", sz, e.Text)
		}
		d.keys("esc")
		if got := topText(d); !strings.Contains(got, "Part 5") {
			t.Fatalf("%v: after esc the top line is %q", sz, got)
		}
		// A footnote.
		d.keys("o", "G", "enter")
		if got := topText(d); !strings.Contains(got, "Footnote number 5") && !d.m.reader.pos.AtBottom() {
			t.Fatalf("%v: the last footnote is not in view: %q", sz, got)
		}
		d.mustContain("Footnote number 5")
	}
}

func TestOutlineAfterResize(t *testing.T) {
	d := newDriver(t, Options{Snapshot: outlineBlog(), Renderer: render.New(1 << 20), Width: 80, Height: 24})
	d.keys("enter", "o", "/", "Part 9", "enter")
	d.size(50, 20) // re-renders under the outline: the lines move
	d.keys("enter")
	if got := topText(d); !strings.Contains(strings.Join(d.m.reader.lines[d.m.reader.pos.YOffset():d.m.reader.pos.YOffset()+8], "\n"), "Part 9") {
		t.Fatalf("after a resize, the jump lands on %q, far from Part 9", got)
	}
}

func TestOutlineWithoutOutliner(t *testing.T) {
	d := newDriver(t, Options{Snapshot: outlineBlog(), Renderer: &wrapRenderer{}, Width: 80, Height: 24})
	d.keys("enter", "o")
	entries := d.m.top().(*outlinePage).list.src.(outlineRows).entries
	if len(entries) != 16 { // the headings; no footnotes from the source, no code line
		t.Fatalf("%d entries: %+v", len(entries), entries)
	}
	for _, e := range entries {
		if strings.Contains(e.Text, "not here") {
			t.Fatalf("a code line in the outline: %+v", e)
		}
	}
	d.keys("j", "enter")
	if got := topText(d); got != "## Part 2 第2部分" {
		t.Fatalf("top line %q", got)
	}
}

func TestOutlineNoHeadings(t *testing.T) {
	d := newDriver(t, Options{Snapshot: outlineBlog(), Renderer: render.New(1 << 20), Width: 80, Height: 24})
	d.keys("j", "enter", "o")
	d.mustContain("This post has no headings.")
	d.keys("enter", "q")
	if _, ok := d.m.top().(*reader); !ok {
		t.Fatal("q in the outline does not go back to the reader")
	}
}

// countingOutliner is a wrapRenderer with an Outline that counts its calls
// and may fail.
type countingOutliner struct {
	wrapRenderer
	calls int
	fail  bool
}

func (o *countingOutliner) Outline(_ *content.Snapshot, p *content.Post, width int, _ theme.Theme) ([]content.Heading, error) {
	o.calls++
	if o.fail {
		return nil, errors.New("no outline")
	}
	return []content.Heading{{Level: 2, Text: "From the outliner", Line: 3}}, nil
}

func TestOutlineOncePerRenderingAndFallback(t *testing.T) {
	o := &countingOutliner{}
	cache := NewCache()
	for range 3 { // three sessions reading the same rendering
		d := newDriver(t, Options{Snapshot: outlineBlog(), Renderer: o, Cache: cache, Width: 80, Height: 24})
		d.keys("enter", "o")
		d.mustContain("From the outliner")
		d.keys("esc", "o")
	}
	if o.calls != 1 {
		t.Fatalf("Outline called %d times for one rendering", o.calls)
	}
	f := &countingOutliner{fail: true}
	d := newDriver(t, Options{Snapshot: outlineBlog(), Renderer: f, Width: 80, Height: 24})
	d.keys("enter", "o")
	d.mustContain("Part 1 第1部分", "Detail 12")
	d.mustNotContain("From the outliner")
}
