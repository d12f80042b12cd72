package ui

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render"
)

// The golden tests pin what each screen shows. Two kinds of files, under
// testdata/TestGolden*/ (run `go test ./ui -run Golden -update` to rewrite
// them after an intended change, and review the diff):
//
//   - Text goldens, one per screen and size: the View() content with the ANSI
//     sequences removed and trailing blanks trimmed. They show layout, CJK
//     wrapping and every string, and their diffs are readable. Widths and
//     heights are asserted exactly by checkScreen, so trimming hides nothing.
//   - ANSI goldens, at 80x24 for the list, the reader and the reader with
//     search matches highlighted, in the dark theme:
//     the content passed through a colorprofile.Writer pinned to ANSI256, so
//     the colours are fixed whatever terminal runs the tests. (Bubble Tea
//     downsamples the same way for a 256-colour client.)
//
// The reader goldens use the real content/render Renderer on the seed post:
// when its output changes on purpose, these goldens change with it.

var goldenSizes = [][2]int{{80, 24}, {120, 40}, {40, 12}}

type goldenScreen struct {
	name string
	blog func(t testing.TB) *content.Snapshot
	keys []string
}

var goldenScreens = []goldenScreen{
	{"posts", seedBlog, nil},
	{"reader", seedBlog, []string{"enter"}},
	{"reader-end", seedBlog, []string{"enter", "G"}},
	{"reader-search", seedBlog, []string{"enter", "/", "数据库", "enter", "n"}},
	{"books", seedBlog, []string{"2"}},
	{"book", seedBlog, []string{"2", "j", "enter"}},
	{"papers", seedBlog, []string{"3"}},
	{"paper", seedBlog, []string{"3", "j", "enter"}},
	{"tags", func(testing.TB) *content.Snapshot { return testBlog() }, []string{"4"}},
	{"tag", func(testing.TB) *content.Snapshot { return testBlog() }, []string{"4", "enter"}},
	{"posts-en", func(testing.TB) *content.Snapshot { return testBlog() }, nil},
	{"help", seedBlog, []string{"?"}},
	{"pages-posts", pagesBlog, nil},
	{"pages", pagesBlog, []string{"5"}},
	{"page", pagesBlog, []string{"5", "enter"}},
	{"reader-subtitle", pagesBlog, []string{"enter"}},
	{"pages-help", pagesBlog, []string{"?"}},
	{"outline", func(testing.TB) *content.Snapshot { return outlineBlog() }, []string{"enter", "o"}},
	{"search-all", func(testing.TB) *content.Snapshot { return testBlog() }, []string{"s", "needle", settleKey}},
	{"search-all-hits", func(testing.TB) *content.Snapshot { return testBlog() }, []string{"s", "needle", settleKey, "enter", "j"}},
	{"search-all-open", func(testing.TB) *content.Snapshot { return testBlog() }, []string{"s", "needle", settleKey, "enter", "enter", "n"}},
	{"search-all-zh", seedBlog, []string{"s", "数据库", settleKey}},
	{"link-unknown", func(testing.TB) *content.Snapshot { return testBlog() }, []string{linkKey + "gama"}},
	{"outline-jump", func(testing.TB) *content.Snapshot { return outlineBlog() }, []string{"enter", "o", "j", "j", "j", "enter"}},
}

// settleKey in a golden's keys runs the search typed; linkKey+SLUG starts
// the session on a direct link to SLUG.
const settleKey, linkKey = "<settle>", "<link>"

// play presses keys, and carries out settleKey.
func play(d *driver, keys []string) {
	for _, k := range keys {
		if k == settleKey {
			d.settle()
		} else {
			d.keys(k)
		}
	}
}

// optionsFor returns opts for a golden's keys: a linkKey first starts on
// that link, with the closest slug the server would find (set by hand).
func optionsFor(opts Options, keys []string) (Options, []string) {
	if len(keys) > 0 && strings.HasPrefix(keys[0], linkKey) {
		slug := strings.TrimPrefix(keys[0], linkKey)
		opts.Link = Link{Slug: slug, Closest: "gamma"}
		keys = keys[1:]
	}
	return opts, keys
}

func TestGolden(t *testing.T) {
	for _, sc := range goldenScreens {
		for _, sz := range goldenSizes {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				opts, keys := optionsFor(Options{Snapshot: sc.blog(t), Renderer: render.New(1 << 20), Width: sz[0], Height: sz[1]}, sc.keys)
				d := newDriver(t, opts)
				play(d, keys)
				d.checkScreen()
				golden.RequireEqual(t, d.view())
			})
		}
	}
}

func TestGoldenANSI(t *testing.T) {
	for _, sc := range []goldenScreen{goldenScreens[0], goldenScreens[1], goldenScreens[3]} {
		t.Run(sc.name, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: sc.blog(t), Renderer: render.New(1 << 20), Width: 80, Height: 24})
			play(d, sc.keys)
			var b bytes.Buffer
			w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI256}
			if _, err := w.WriteString(d.m.View().Content); err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, b.String())
		})
	}
}

// sgrColour matches an SGR sequence that sets a colour.
var sgrColour = regexp.MustCompile(`\x1b\[[0-9;:]*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])[;:m]`)

// TestPlainHasNoColour checks NO_COLOR mode: no colour anywhere, only
// attributes (bold, reverse) that mark the selection and search hits.
func TestPlainHasNoColour(t *testing.T) {
	for _, sc := range goldenScreens {
		opts, keys := optionsFor(Options{Snapshot: sc.blog(t), Renderer: render.New(1 << 20), Plain: true, Width: 80, Height: 24}, sc.keys)
		d := newDriver(t, opts)
		play(d, keys)
		if sc.name == "reader" {
			d.keys("/", "的", "enter")
		}
		out := d.m.View().Content
		if loc := sgrColour.FindStringIndex(out); loc != nil {
			t.Fatalf("%s: colour in plain mode at %q", sc.name, out[max(0, loc[0]-20):min(len(out), loc[1]+20)])
		}
		var b bytes.Buffer
		w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
		if _, err := w.WriteString(out); err != nil {
			t.Fatal(err)
		}
		if b.String() != out {
			t.Fatalf("%s: plain output changes when colours are stripped", sc.name)
		}
	}
	// The same screens in colour do have colour: the check can fail.
	d := newDriver(t, Options{Snapshot: testBlog(), Width: 80, Height: 24})
	if !sgrColour.MatchString(d.m.View().Content) {
		t.Fatal("no colour in the dark theme either: the check is broken")
	}
	if !strings.Contains(d.view(), "Alpha") {
		t.Fatal("blank screen")
	}
}
