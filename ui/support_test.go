package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/theme"
)

// driver runs a Model the way Bubble Tea does, but synchronously: every
// command is executed and its message fed back to Update, in order, until
// none is left. Timers (tea.Tick) are not waited for; they are counted, and
// tests deliver their messages themselves.
type driver struct {
	t      testing.TB
	m      *Model
	quit   bool
	timers int
	tickPC uintptr
}

func newDriver(t testing.TB, opts Options) *driver {
	t.Helper()
	d := &driver{t: t, m: New(opts), tickPC: reflect.ValueOf(tea.Tick(time.Hour, nil)).Pointer()}
	d.run(d.m.Init())
	return d
}

// send delivers msg and everything it leads to.
func (d *driver) send(msgs ...tea.Msg) *driver {
	d.t.Helper()
	for _, msg := range msgs {
		_, cmd := d.m.Update(msg)
		d.run(cmd)
	}
	return d
}

// keys presses keys by name ("j", "enter", "shift+tab", "ctrl+c") or types
// text: a name that is not a key is typed rune by rune.
func (d *driver) keys(names ...string) *driver {
	d.t.Helper()
	for _, n := range names {
		for _, k := range keyPresses(d.t, n) {
			d.send(k)
		}
	}
	return d
}

func (d *driver) size(w, h int) *driver {
	return d.send(tea.WindowSizeMsg{Width: w, Height: h})
}

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			d.t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		if reflect.ValueOf(c).Pointer() == d.tickPC {
			d.timers++
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			d.quit = true
		default:
			_, next := d.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// view is the screen with ANSI sequences removed and trailing blanks trimmed
// from each line (the widths are checked separately by checkScreen).
func (d *driver) view() string {
	lines := strings.Split(ansi.Strip(d.m.View().Content), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// checkScreen asserts the invariant of every screen: exactly the window's
// height in lines, none wider than the window.
func (d *driver) checkScreen() {
	d.t.Helper()
	w, h := d.m.width, d.m.height
	out := d.m.View().Content
	if w == 0 || h == 0 {
		if out != "" {
			d.t.Fatalf("%dx%d: want an empty screen, got %q", w, h, out)
		}
		return
	}
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		d.t.Fatalf("%dx%d: screen has %d lines:\n%s", w, h, len(lines), d.view())
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			d.t.Fatalf("%dx%d: line %d is %d cells wide: %q", w, h, i, lw, ansi.Strip(l))
		}
	}
}

func (d *driver) mustContain(subs ...string) {
	d.t.Helper()
	v := d.view()
	for _, s := range subs {
		if !strings.Contains(v, s) {
			d.t.Fatalf("screen lacks %q:\n%s", s, v)
		}
	}
}

func (d *driver) mustNotContain(subs ...string) {
	d.t.Helper()
	v := d.view()
	for _, s := range subs {
		if strings.Contains(v, s) {
			d.t.Fatalf("screen has %q:\n%s", s, v)
		}
	}
}

// keyPresses turns a key name, or text to type, into key presses whose
// String() is what Bubble Tea would report.
func keyPresses(t testing.TB, name string) []tea.KeyPressMsg {
	t.Helper()
	special := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"backspace": {Code: tea.KeyBackspace},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"space":     {Code: tea.KeySpace, Text: " "},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"pgup":      {Code: tea.KeyPgUp},
		"pgdown":    {Code: tea.KeyPgDown},
		"home":      {Code: tea.KeyHome},
		"end":       {Code: tea.KeyEnd},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+d":    {Code: 'd', Mod: tea.ModCtrl},
		"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
		"ctrl+v":    {Code: 'v', Mod: tea.ModCtrl},
	}
	if k, ok := special[name]; ok {
		if k.String() != name {
			t.Fatalf("key %q reports itself as %q", name, k.String())
		}
		return []tea.KeyPressMsg{k}
	}
	var out []tea.KeyPressMsg
	for _, r := range name {
		k := tea.KeyPressMsg{Code: r, Text: string(r)}
		if r >= 'A' && r <= 'Z' {
			k = tea.KeyPressMsg{Code: r + 'a' - 'A', ShiftedCode: r, Text: string(r), Mod: tea.ModShift}
		}
		out = append(out, k)
	}
	return out
}

// wrapRenderer is a deterministic stand-in for content/render in the key
// tests: it wraps the Markdown source to the width, and records calls.
type wrapRenderer struct {
	mu     sync.Mutex
	calls  []renderKey
	fail   error
	render func(p *content.Post, width int) string // optional override
}

func (r *wrapRenderer) Render(_ *content.Snapshot, p *content.Post, width int, th theme.Theme) (string, error) {
	r.mu.Lock()
	r.calls = append(r.calls, renderKey{post: p, width: width, theme: th})
	fail := r.fail
	r.mu.Unlock()
	if fail != nil {
		return "", fail
	}
	if r.render != nil {
		return r.render(p, width), nil
	}
	var lines []string
	for _, l := range strings.Split(p.Markdown(), "\n") {
		lines = append(lines, wrap(l, width)...)
	}
	return strings.Join(lines, "\n"), nil
}

func (r *wrapRenderer) last() renderKey {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.calls) == 0 {
		return renderKey{}
	}
	return r.calls[len(r.calls)-1]
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func day(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// newPost makes a listed post with a body of n numbered lines; the words of
// needles appear on the lines given.
func newPost(slug, title, date string, tags []string, lines int, needles map[int]string) *content.Post {
	var b strings.Builder
	for i := 1; i <= lines; i++ {
		fmt.Fprintf(&b, "line %d of %s", i, slug)
		if w, ok := needles[i]; ok {
			b.WriteString(" " + w)
		}
		b.WriteByte('\n')
	}
	return &content.Post{
		Slug: slug, Path: "posts/" + date + "-" + slug + ".md", Title: title, Date: day(date),
		Tags: tags, Body: b.String(), Hash: hashOf(title + b.String()),
	}
}

// testBlog is a small English blog for the key tests: three posts (the
// newest featured, one with a CJK title), two books, a paper.
func testBlog() *content.Snapshot {
	posts := []*content.Post{
		newPost("alpha", "Alpha release notes", "2021-03-01", []string{"go", "release"}, 120,
			map[int]string{10: "Needle", 60: "needle and NEEDLE", 110: "needle"}),
		newPost("beta", "数据库 笔记", "2021-02-01", []string{"db"}, 30, nil),
		newPost("gamma", "Gamma rays", "2021-01-01", []string{"go"}, 30, nil),
	}
	posts[0].Featured = true
	posts[0].Description = "What is new in alpha"
	books := []content.Book{
		{Title: "Designing Data-Intensive Applications", Authors: []string{"Martin Kleppmann"}, Year: 2020, Status: "reread", Post: "alpha"},
		{Title: "数据库系统内幕", Authors: []string{"Alex Petrov"}, Translators: []string{"茄子", "Eric"}, Year: 2020, Status: "read", Recommended: true, Post: "beta", Note: "推荐"},
	}
	papers := []content.Paper{
		{Title: "Overlapping Experiment Infrastructure", Authors: []string{"Diane Tang"}, Venue: "KDD'10", Published: 2010, Recommended: true, Topic: "A/B testing at scale", Post: "alpha"},
	}
	site := content.Site{Title: "Test Blog", Language: "en"}
	return content.NewSnapshot(site, posts, books, papers, nil, "r1")
}

// seedBlog is the sample blog embedded in the binary: the seed post with
// every book and paper it names.
func seedBlog(t testing.TB) *content.Snapshot {
	t.Helper()
	s, err := content.Load(sample.FS(), "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// findMatches returns every case-insensitive occurrence of query in lines
// (which may hold ANSI styling), in order, across line breaks: a search
// as the reader runs it, for the tests of matching.
func findMatches(lines []string, query string) []match {
	return newSearchIndex(lines).find(lines, query)
}
