package ui

import (
	"errors"
	"fmt"
	"image/color"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render"
	"github.com/sshblog/sshblog/content/theme"
)

func newTestDriver(t *testing.T) (*driver, *wrapRenderer) {
	t.Helper()
	r := &wrapRenderer{}
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: r, Width: 80, Height: 24})
	return d, r
}

// depth is the number of pages on the active section's stack.
func (d *driver) depth() int { return len(d.m.stacks[d.m.active]) }

func TestSectionKeys(t *testing.T) {
	tests := []struct {
		keys []string
		want section
	}{
		{nil, sectionPosts},
		{[]string{"tab"}, sectionBooks},
		{[]string{"tab", "tab"}, sectionPapers},
		{[]string{"tab", "tab", "tab"}, sectionTags},
		{[]string{"tab", "tab", "tab", "tab"}, sectionPosts},
		{[]string{"shift+tab"}, sectionTags},
		{[]string{"shift+tab", "shift+tab"}, sectionPapers},
		{[]string{"3"}, sectionPapers},
		{[]string{"4", "1"}, sectionPosts},
		{[]string{"2"}, sectionBooks},
		{[]string{"enter", "tab"}, sectionBooks}, // from the reader
		{[]string{"enter", "4"}, sectionTags},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.keys, ","), func(t *testing.T) {
			d, _ := newTestDriver(t)
			d.keys(tc.keys...)
			if d.m.active != tc.want {
				t.Fatalf("section %d, want %d", d.m.active, tc.want)
			}
			if d.quit {
				t.Fatal("quit")
			}
			d.checkScreen()
			label := d.m.d.msgs.sections[tc.want]
			d.mustContain(label)
		})
	}
}

func TestBackAndQuit(t *testing.T) {
	tests := []struct {
		name      string
		keys      []string
		wantDepth int
		wantQuit  bool
		wantPage  string // a type name
	}{
		{"q at the top quits", []string{"q"}, 1, true, "*ui.postsPage"},
		{"ctrl+c quits anywhere", []string{"enter", "ctrl+c"}, 2, true, "*ui.reader"},
		{"esc at the top stays", []string{"esc"}, 1, false, "*ui.postsPage"},
		{"backspace at the top stays", []string{"backspace"}, 1, false, "*ui.postsPage"},
		{"enter opens the reader", []string{"enter"}, 2, false, "*ui.reader"},
		{"q leaves the reader", []string{"enter", "q"}, 1, false, "*ui.postsPage"},
		{"esc leaves the reader", []string{"enter", "esc"}, 1, false, "*ui.postsPage"},
		{"backspace leaves the reader", []string{"enter", "backspace"}, 1, false, "*ui.postsPage"},
		{"q twice from the reader quits", []string{"enter", "q", "q"}, 1, true, "*ui.postsPage"},
		{"book details", []string{"2", "enter"}, 2, false, "*ui.detailPage"},
		{"book details open the post", []string{"2", "enter", "enter"}, 3, false, "*ui.reader"},
		{"back from the post to the book", []string{"2", "enter", "enter", "esc"}, 2, false, "*ui.detailPage"},
		{"back to the books", []string{"2", "enter", "enter", "esc", "q"}, 1, false, "*ui.listPage"},
		{"paper details", []string{"3", "enter"}, 2, false, "*ui.detailPage"},
		{"tag posts", []string{"4", "enter"}, 2, false, "*ui.postsPage"},
		{"tag post opens", []string{"4", "enter", "enter"}, 3, false, "*ui.reader"},
		{"esc clears a filter before leaving", []string{"/", "gamma", "enter", "esc"}, 1, false, "*ui.postsPage"},
		{"? does not quit", []string{"?", "?"}, 1, false, "*ui.postsPage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := newTestDriver(t)
			d.keys(tc.keys...)
			if d.quit != tc.wantQuit {
				t.Fatalf("quit = %v, want %v", d.quit, tc.wantQuit)
			}
			if d.depth() != tc.wantDepth {
				t.Fatalf("depth %d, want %d", d.depth(), tc.wantDepth)
			}
			if got := typeName(d.m.top()); got != tc.wantPage {
				t.Fatalf("page %s, want %s", got, tc.wantPage)
			}
			d.checkScreen()
		})
	}
}

func typeName(p page) string {
	switch p.(type) {
	case *postsPage:
		return "*ui.postsPage"
	case *listPage:
		return "*ui.listPage"
	case *detailPage:
		return "*ui.detailPage"
	case *reader:
		return "*ui.reader"
	}
	return "?"
}

func TestOneReaderPerSession(t *testing.T) {
	d, _ := newTestDriver(t)
	d.keys("enter") // reader in Posts
	first := d.m.reader
	d.keys("2", "enter", "enter") // another post from Books
	if d.m.reader == first || d.m.reader == nil {
		t.Fatal("want a new reader")
	}
	if d.keys("1"); d.depth() != 1 {
		t.Fatalf("Posts still has the old reader: depth %d", d.depth())
	}
}

func TestFilter(t *testing.T) {
	d, _ := newTestDriver(t)
	d.keys("/")
	if !d.m.top().inputFocused() {
		t.Fatal("filter input not focused")
	}
	// While typing, q and digits are text, and help shows only the
	// input's keys.
	d.keys("q1")
	if d.quit || d.m.active != sectionPosts {
		t.Fatal("q or 1 acted as a command while filtering")
	}
	d.mustContain("Filter: q1", "Nothing matches.")
	d.mustNotContain("quit", "next section")
	d.keys("backspace", "backspace", "数据")
	d.mustContain("数据库 笔记")
	d.mustNotContain("Alpha release notes", "Gamma rays")
	d.keys("enter")
	if d.m.top().inputFocused() {
		t.Fatal("enter did not apply the filter")
	}
	d.mustContain("Filter: 数据", "1/1", "clear filter")
	d.keys("enter")
	if r := d.m.reader; r == nil || r.post.Slug != "beta" {
		t.Fatal("enter on the filtered list did not open beta")
	}
	d.keys("esc", "esc")
	d.mustContain("Alpha release notes", "Gamma rays")
	// Case-insensitive, several terms, tags match too.
	d.keys("/", "GAMMA go", "enter")
	d.mustContain("Gamma rays")
	d.mustNotContain("Alpha release notes")
	// esc while typing drops the filter.
	d.keys("esc", "/", "zzz", "esc")
	d.mustContain("Alpha release notes", "Gamma rays", "3/3") // the selection from before
	d.checkScreen()
}

func TestFilterPaste(t *testing.T) {
	d, _ := newTestDriver(t)
	d.keys("/")
	// ctrl+v would read the clipboard of the machine running the server.
	if _, cmd := d.m.Update(keyPresses(t, "ctrl+v")[0]); cmd != nil {
		t.Fatal("ctrl+v returned a command (a clipboard read?)")
	}
	// A paste from the reader's terminal arrives as a PasteMsg.
	d.send(tea.PasteMsg{Content: "gamma"})
	d.mustContain("Filter: gamma", "Gamma rays")
	d.mustNotContain("Alpha release notes")
}

func TestFilterKeepsSelection(t *testing.T) {
	d, _ := newTestDriver(t)
	d.keys("j", "j") // gamma
	d.keys("/", "a", "esc")
	if got := d.m.top().(*postsPage).list.selected(); got != 2 {
		t.Fatalf("selected %d after cancelling the filter, want 2 (gamma)", got)
	}
}

func TestListNavigation(t *testing.T) {
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"j"}, 1},
		{[]string{"down", "down", "down", "down"}, 2},
		{[]string{"G"}, 2},
		{[]string{"end", "k"}, 1},
		{[]string{"G", "g"}, 0},
		{[]string{"G", "home"}, 0},
		{[]string{"pgdown"}, 2},
		{[]string{"space", "b"}, 0},
		{[]string{"up"}, 0},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.keys, ","), func(t *testing.T) {
			d, _ := newTestDriver(t)
			d.keys(tc.keys...)
			if got := d.m.top().(*postsPage).list.cursor; got != tc.want {
				t.Fatalf("cursor %d, want %d", got, tc.want)
			}
		})
	}
	d, _ := newTestDriver(t)
	d.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if got := d.m.top().(*postsPage).list.cursor; got != 1 {
		t.Fatalf("wheel: cursor %d, want 1", got)
	}
}

// openAlpha opens the first post and waits for its rendering.
func openAlpha(t *testing.T) (*driver, *wrapRenderer) {
	t.Helper()
	d, r := newTestDriver(t)
	d.keys("enter")
	if d.m.reader == nil || d.m.reader.have.post == nil {
		t.Fatal("reader not rendered")
	}
	return d, r
}

func TestReaderScrolling(t *testing.T) {
	tests := []struct {
		keys []string
		want func(h, max int) int
	}{
		{[]string{"j"}, func(h, max int) int { return 1 }},
		{[]string{"down", "down", "up"}, func(h, max int) int { return 1 }},
		{[]string{"k"}, func(h, max int) int { return 0 }},
		{[]string{"space"}, func(h, max int) int { return h }},
		{[]string{"pgdown"}, func(h, max int) int { return h }},
		{[]string{"f", "b"}, func(h, max int) int { return 0 }},
		{[]string{"pgdown", "pgup"}, func(h, max int) int { return 0 }},
		{[]string{"d"}, func(h, max int) int { return h / 2 }},
		{[]string{"G"}, func(h, max int) int { return max }},
		{[]string{"end"}, func(h, max int) int { return max }},
		{[]string{"G", "g"}, func(h, max int) int { return 0 }},
		{[]string{"G", "home"}, func(h, max int) int { return 0 }},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.keys, ","), func(t *testing.T) {
			d, _ := openAlpha(t)
			d.keys(tc.keys...)
			r := d.m.reader
			h := r.pos.Height()
			maxY := r.pos.TotalLineCount() - h
			if got, want := r.pos.YOffset(), tc.want(h, maxY); got != want {
				t.Fatalf("offset %d, want %d", got, want)
			}
			d.checkScreen()
		})
	}
	t.Run("wheel", func(t *testing.T) {
		d, _ := openAlpha(t)
		d.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
		if got := d.m.reader.pos.YOffset(); got != 3 {
			t.Fatalf("offset %d after a wheel step, want 3", got)
		}
	})
	t.Run("percent", func(t *testing.T) {
		d, _ := openAlpha(t)
		d.mustContain("0%")
		d.keys("G")
		d.mustContain("100%")
	})
}

func TestReaderHeader(t *testing.T) {
	d, _ := openAlpha(t)
	// 120 lines of four words: 480 words at 230 a minute.
	d.mustContain("Alpha release notes", "2021-03-01", "#go #release", "3 min read")
}

func TestReaderSearch(t *testing.T) {
	d, _ := openAlpha(t)
	d.keys("/", "needle")
	r := d.m.reader
	if !r.inputFocused() {
		t.Fatal("search input not focused")
	}
	// Matches appear as you type; case-insensitive; "needle and NEEDLE"
	// is two matches.
	if len(r.matches) != 4 {
		t.Fatalf("%d matches, want 4: %v", len(r.matches), r.matches)
	}
	for _, l := range strings.Split(d.view(), "\n") {
		if strings.Contains(l, "Search: needle") && (!strings.Contains(l, "1/4") || strings.Contains(l, "…")) {
			t.Fatalf("status line while searching: %q", l)
		}
	}
	d.keys("enter")
	line := func() int { return r.matches[r.current].line }
	if r.current != 0 || line() != 9 {
		t.Fatalf("current match %d on line %d, want the first (line 9)", r.current, line())
	}
	d.mustContain("1/4")
	steps := []struct {
		key      string
		want     int
		wantLine int
	}{
		{"n", 1, 59}, {"n", 2, 59}, {"n", 3, 109}, {"n", 0, 9}, // wraps
		{"N", 3, 109}, {"N", 2, 59},
	}
	for _, s := range steps {
		d.keys(s.key)
		if r.current != s.want || line() != s.wantLine {
			t.Fatalf("after %s: match %d on line %d, want %d on line %d", s.key, r.current, line(), s.want, s.wantLine)
		}
		y, h := r.pos.YOffset(), r.pos.Height()
		if line() < y || line() >= y+h {
			t.Fatalf("after %s: match line %d not in view [%d,%d)", s.key, line(), y, y+h)
		}
	}
	// The current match is highlighted with its own style.
	if !strings.Contains(d.m.View().Content, d.m.d.styles.CurrentMatch().Render("needle")) &&
		!strings.Contains(d.m.View().Content, d.m.d.styles.CurrentMatch().Render("NEEDLE")) {
		t.Fatal("current match not highlighted")
	}
	d.checkScreen()
	// esc clears the search; then esc leaves.
	d.keys("esc")
	if r.query != "" || r.matches != nil || d.depth() != 2 {
		t.Fatal("esc did not just clear the search")
	}
	d.keys("esc")
	if d.depth() != 1 {
		t.Fatal("second esc did not leave the reader")
	}
}

func TestReaderSearchStartsFromPosition(t *testing.T) {
	d, _ := openAlpha(t)
	d.keys("j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j") // line 20
	d.keys("/", "needle", "enter")
	if r := d.m.reader; r.matches[r.current].line != 59 {
		t.Fatalf("first match after line 20 should be on 59, got %d", r.matches[r.current].line)
	}
	d.keys("/", "no such words", "enter")
	d.mustContain("no match")
}

func TestFindMatches(t *testing.T) {
	one := func(line, start, end int) match { return match{line: line, start: start, end: end} }
	tests := []struct {
		name  string
		lines []string
		query string
		want  []match
	}{
		{"CJK on one line, styled", []string{"在源码方面，学习了一下 Argo", "\x1b[1m数据库\x1b[0m系统内幕和数据库", "İstanbul ﬁle"},
			"数据库", []match{one(1, 0, 6), one(1, 16, 22)}},
		{"Latin after CJK", []string{"在源码方面，学习了一下 Argo"}, "argo", []match{one(0, 23, 27)}},
		// Lower-casing changes byte lengths here; positions stay in cells.
		{"folding changes lengths", []string{"İstanbul ﬁle"}, "stanbul", []match{one(0, 1, 8)}},
		// A 4-character phrase the breaker split: joined without a space
		// between CJK characters, the indent of the next line ignored.
		{"CJK split", []string{"   我对数据", "   库和体系架构都不太了解"}, "数据库和",
			[]match{{line: 0, start: 7, end: 11, more: []span{{1, 3, 7}}}}},
		{"CJK split after punctuation", []string{"是比较友善的读物，", "我对数据库"}, "读物，我对",
			[]match{{line: 0, start: 12, end: 18, more: []span{{1, 0, 4}}}}},
		// Latin words split at a space: joined with one space, trailing
		// padding and ANSI styling ignored.
		{"Latin split", []string{"其中数据库系统内幕和 \x1b[1mComputer\x1b[0m   ", "  Architecture: A Quantitative"},
			"computer architecture", []match{{line: 0, start: 21, end: 29, more: []span{{1, 2, 14}}}}},
		{"Latin words must have the space", []string{"Computer", "Architecture"}, "computerarchitecture", nil},
		{"CJK and Latin join with a space", []string{"学习了一下", "Argo 的源码"}, "一下 argo",
			[]match{{line: 0, start: 6, end: 10, more: []span{{1, 0, 4}}}}},
		// Over three lines.
		{"three lines", []string{"甲乙", "丙", "丁戊"}, "乙丙丁",
			[]match{{line: 0, start: 2, end: 4, more: []span{{1, 0, 2}, {2, 0, 2}}}}},
		// A blank line ends the paragraph: no match across it.
		{"not across paragraphs", []string{"数据", "", "库"}, "数据库", nil},
		{"not across paragraphs, Latin", []string{"end", "  ", "start"}, "end start", nil},
		// A match starting at a join starts on the next line.
		{"leading space", []string{"Argo", "is"}, " is", []match{one(1, 0, 2)}},
		{"both on one line and split", []string{"数据库和数", "据库"}, "数据库",
			[]match{one(0, 0, 6), {line: 0, start: 8, end: 10, more: []span{{1, 0, 4}}}}},
		{"blank query", []string{"a b"}, "  ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := findMatches(tt.lines, tt.query); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("findMatches(%q, %q) = %v, want %v", tt.lines, tt.query, got, tt.want)
			}
		})
	}
}

// TestReaderSearchAcrossLines searches the seed post at 40 columns for
// phrases the line breaker split, CJK and Latin: they are found, n and N
// reach them, the view scrolls to the line the match starts on, and every
// part of the match is highlighted as the current one.
func TestReaderSearchAcrossLines(t *testing.T) {
	for _, query := range []string{"数据库", "Computer Architecture"} {
		t.Run(query, func(t *testing.T) {
			d := newDriver(t, Options{Snapshot: seedBlog(t), Renderer: render.New(1 << 20), Width: 40, Height: 12})
			d.keys("enter", "/", query, "enter")
			r := d.m.reader
			split := -1
			for i, m := range r.matches {
				if len(m.more) > 0 {
					split = i
					break
				}
			}
			if split < 0 {
				t.Fatalf("no match across lines among %v", r.matches)
			}
			for r.current != split {
				d.keys("n")
			}
			m := r.matches[split]
			if y, h := r.pos.YOffset(), r.pos.Height(); m.line < y || m.lastLine() >= y+h {
				t.Fatalf("match on lines %d-%d not in view [%d,%d)", m.line, m.lastLine(), y, y+h)
			}
			view := d.m.View().Content
			var parts []string
			m.spans(func(s span) {
				part := ansi.Cut(ansi.Strip(r.lines[s.line]), s.start, s.end)
				parts = append(parts, part)
				if !strings.Contains(view, d.m.d.styles.CurrentMatch().Render(part)) {
					t.Errorf("part %q of the current match not highlighted", part)
				}
			})
			if got := strings.ToLower(strings.Join(parts, "")); strings.ReplaceAll(got, " ", "") != strings.ToLower(strings.ReplaceAll(query, " ", "")) {
				t.Fatalf("the match's parts are %q, want %q", parts, query)
			}
			d.mustContain(fmt.Sprintf("%d/%d", split+1, len(r.matches)))
			d.checkScreen()
			// N from the next match comes back to it.
			d.keys("n", "N")
			if r.current != split {
				t.Fatalf("n, N: match %d, want %d", r.current, split)
			}
		})
	}
}

func TestNextPreviousPost(t *testing.T) {
	d, _ := openAlpha(t)
	steps := []struct {
		key, want string
	}{
		{"[", "alpha"}, // newest: nothing before it
		{"]", "beta"},
		{"]", "gamma"},
		{"]", "gamma"}, // oldest
		{"[", "beta"},
	}
	for _, s := range steps {
		d.keys(s.key)
		r := d.m.reader
		if r.post.Slug != s.want {
			t.Fatalf("after %s: %s, want %s", s.key, r.post.Slug, s.want)
		}
		if r.have.post != r.post {
			t.Fatalf("after %s: not rendered", s.key)
		}
		if r.pos.YOffset() != 0 {
			t.Fatalf("after %s: new post not at the top", s.key)
		}
	}
}

func TestResizeKeepsPlace(t *testing.T) {
	d, r := openAlpha(t)
	rd := d.m.reader
	for rd.percent() < 50 {
		d.keys("j")
	}
	topLine := func() string { return strings.Fields(strings.TrimSpace(rd.lines[rd.pos.YOffset()]))[1] }
	before := topLine()
	d.size(60, 30)
	if r.last().width != 58 {
		t.Fatalf("not re-rendered at the new width: %+v", r.last())
	}
	if rd.have.width != 58 {
		t.Fatal("new rendering not shown")
	}
	if got := rd.percent(); got < 45 || got > 55 {
		t.Fatalf("position %d%% after resize, want about 50%%", got)
	}
	if after := topLine(); after != before {
		t.Fatalf("top line moved from line %s to %s", before, after)
	}
	d.checkScreen()
	// At the end stays at the end.
	d.keys("G")
	d.size(100, 20)
	if !rd.pos.AtBottom() {
		t.Fatal("left the end on resize")
	}
}

func TestStaleRenderDropped(t *testing.T) {
	d, _ := openAlpha(t)
	rd := d.m.reader
	lines := len(rd.lines)
	stale := renderedMsg{to: rd, key: renderKey{post: rd.post, width: 10, theme: theme.Dark}, text: newText("stale")}
	d.send(stale)
	if len(rd.lines) != lines || rd.have.width == 10 {
		t.Fatal("a rendering for an old width was shown")
	}
	other := renderedMsg{to: rd, key: renderKey{post: &content.Post{}, width: rd.col, theme: theme.Dark}, text: newText("other")}
	d.send(other)
	if rd.have.post != rd.post {
		t.Fatal("a rendering of another post was shown")
	}
	// A result for a reader since closed does not reach the new one, even
	// for the same post and width.
	old := renderedMsg{to: rd, key: rd.want, text: newText("from the old reader")}
	d.keys("q", "enter")
	d.send(old)
	if strings.Contains(d.view(), "from the old reader") {
		t.Fatal("a closed reader's rendering was shown")
	}
	d.send(searchedMsg{to: rd, seq: d.m.reader.seq, matches: []match{{line: 0, start: 0, end: 4}}})
	if d.m.reader.matches != nil {
		t.Fatal("a closed reader's search results were taken")
	}
}

func TestRenderingLineWhileWaiting(t *testing.T) {
	r := &wrapRenderer{}
	s := testBlog()
	m := New(Options{Snapshot: s, Renderer: r, Width: 80, Height: 24})
	_, cmd := m.Update(openPostMsg{post: s.Posts()[0]})
	if cmd == nil {
		t.Fatal("no render command")
	}
	if v := m.View().Content; !strings.Contains(v, "rendering…") {
		t.Fatalf("no rendering line:\n%s", v)
	}
}

func TestRenderError(t *testing.T) {
	r := &wrapRenderer{fail: errors.New("boom")}
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: r, Width: 80, Height: 24})
	d.keys("enter")
	d.mustContain("could not render this post: boom", "line 1 of alpha")
	d.checkScreen()
}

func TestRendererPanicIsContained(t *testing.T) {
	r := &wrapRenderer{render: func(*content.Post, int) string { panic("bad") }}
	d := newDriver(t, Options{Snapshot: testBlog(), Renderer: r, Width: 80, Height: 24})
	d.keys("enter")
	d.mustContain("renderer panicked: bad")
}

func TestViewModes(t *testing.T) {
	d, _ := openAlpha(t)
	v := d.m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		t.Fatalf("alt screen %v, mouse mode %v: want the alternate screen and wheel events", v.AltScreen, v.MouseMode)
	}
	if reflect.ValueOf(d.m.Init()).Pointer() != reflect.ValueOf(tea.RequestBackgroundColor).Pointer() {
		t.Fatal("Init does not ask for the background colour")
	}
	asked := New(Options{Snapshot: testBlog(), Width: 80, Height: 24, BackgroundAsked: true})
	if asked.Init() != nil {
		t.Fatal("Init asks for the background colour that the caller asked for")
	}
}

func TestTheme(t *testing.T) {
	d, r := openAlpha(t)
	if r.last().theme != theme.Dark {
		t.Fatalf("first rendering in %s, want dark until the terminal answers", r.last().theme)
	}
	dark := d.m.d.styles
	d.send(tea.BackgroundColorMsg{Color: color.White})
	if r.last().theme != theme.Light || d.m.reader.have.theme != theme.Light {
		t.Fatal("post not re-rendered light")
	}
	if d.m.d.styles == dark {
		t.Fatal("styles not rebuilt")
	}
	calls := len(r.calls)
	d.send(tea.BackgroundColorMsg{Color: color.Black})
	if d.m.reader.have.theme != theme.Dark {
		t.Fatal("not back to dark")
	}
	if len(r.calls) != calls {
		t.Fatal("the dark rendering was rendered again: the Cache holds it")
	}

	plain := &wrapRenderer{}
	p := newDriver(t, Options{Snapshot: testBlog(), Renderer: plain, Plain: true, Width: 80, Height: 24})
	if p.m.Init() != nil {
		t.Fatal("plain mode asks for the background colour")
	}
	p.keys("enter")
	p.send(tea.BackgroundColorMsg{Color: color.White})
	if plain.last().theme != theme.Plain {
		t.Fatalf("plain mode rendered %s", plain.last().theme)
	}
}

func TestSizes(t *testing.T) {
	sizes := [][2]int{{0, 0}, {1, 1}, {0, 24}, {80, 0}, {-5, -5}, {39, 12}, {40, 11}, {40, 12}, {10000, 10000}, {10000, 3}, {3, 10000}, {80, 24}}
	screens := map[string][]string{
		"posts":         nil,
		"reader":        {"enter"},
		"reader search": {"enter", "/", "needle"},
		"full help":     {"?"},
		"books":         {"2"},
		"book":          {"2", "enter"},
		"papers":        {"3"},
		"paper":         {"3", "enter"},
		"tags":          {"4"},
		"tag":           {"4", "enter"},
		"filter":        {"/", "a"},
	}
	for _, keys := range screens {
		for _, sz := range sizes {
			d, _ := newTestDriver(t)
			d.keys(keys...)
			d.size(sz[0], sz[1])
			d.checkScreen()
			if sz[0]*sz[1] <= 1<<16 { // the huge screens take long under -race
				d.keys("j", "G", "k")
				d.checkScreen()
			}
		}
	}
	d, _ := newTestDriver(t)
	d.size(30, 10)
	d.mustContain("too small", "40×12", "30×10")
	d.size(39, 30)
	d.mustContain("too small")
	d.size(40, 12)
	d.mustNotContain("too small")
	d.mustContain("Alpha release notes")

	zh := newDriver(t, Options{Snapshot: seedBlog(t), Renderer: &wrapRenderer{}, Width: 30, Height: 10})
	zh.mustContain("终端窗口太小了")
	zh.checkScreen()
}

func TestNothingToShow(t *testing.T) {
	empty := content.NewSnapshot(content.Site{}, nil, nil, nil, nil, "")
	d := newDriver(t, Options{Snapshot: empty, Width: 80, Height: 24})
	d.mustContain("No posts yet.")
	d.keys("enter", "/", "j")
	if d.depth() != 1 || d.m.top().inputFocused() {
		t.Fatal("an empty list opened something")
	}
	for _, s := range []struct{ key, want string }{{"2", "No books yet."}, {"3", "No papers yet."}, {"4", "No tags yet."}} {
		d.keys(s.key, "enter")
		d.mustContain(s.want)
		d.checkScreen()
	}
	// No snapshot and no renderer at all still works.
	n := newDriver(t, Options{Width: 80, Height: 24})
	n.checkScreen()
}

func TestHostileStrings(t *testing.T) {
	long := strings.Repeat("很长的标题 very long title ", 400)
	p := newPost("long", long, "2021-01-01", []string{strings.Repeat("t", 300)}, 5, nil)
	p.Description = long
	p.Modified = day("2021-01-02")
	book := content.Book{Title: long, Authors: []string{long}, Note: long + "\n\n" + long, Post: "long", Rating: 99}
	paper := content.Paper{Title: "\n\n", Venue: long, Topic: long}
	s := content.NewSnapshot(content.Site{Title: long, Language: "zh"}, []*content.Post{p}, []content.Book{book}, []content.Paper{paper}, nil, "")
	for _, keys := range [][]string{nil, {"enter"}, {"2", "enter"}, {"3", "enter"}, {"4"}, {"4", "enter"}} {
		for _, sz := range [][2]int{{40, 12}, {80, 24}, {200, 50}} {
			d := newDriver(t, Options{Snapshot: s, Renderer: &wrapRenderer{}, Width: sz[0], Height: sz[1]})
			d.keys(keys...)
			d.checkScreen()
			if r := d.m.reader; r != nil && r.pos.Height() < sz[1]/3 {
				t.Fatalf("%dx%d: the title leaves %d lines for the text", sz[0], sz[1], r.pos.Height())
			}
		}
	}
}

func TestHelpShowsWorkingKeys(t *testing.T) {
	d, _ := newTestDriver(t)
	d.mustContain("enter open", "/ filter", "q quit", "? more")
	d.mustNotContain("n next match", "back")
	d.keys("enter")
	d.mustContain("/ search", "] next post", "q/esc back")
	d.mustNotContain("[ prev post", "n next match", "r reload", "q quit") // newest post; no search
	d.keys("/", "needle", "enter")
	d.mustContain("n next match")
	d.keys("?")
	d.mustContain("G/end", "bottom", "force quit", "1-4", "sections", "less")
	d.keys("?", "2")
	d.mustContain("enter open", "q quit")
}

func TestChinese(t *testing.T) {
	d := newDriver(t, Options{Snapshot: seedBlog(t), Renderer: &wrapRenderer{}, Width: 80, Height: 24})
	d.mustContain("文章", "书单", "论文", "标签", "2020 年终总结", "打开", "筛选", "退出")
	d.keys("enter")
	d.mustContain("更新于 2020-12-26", "分钟", "返回")
	d.keys("q", "2")
	d.mustContain("数据库系统内幕", "译 茄子, Eric", "已读", "重读")
	d.keys("j", "enter")
	d.mustContain("作者", "Alex Petrov", "译者", "推荐", "文章", "2020 年终总结 (2020-12-26)")
}

func TestReadingMinutes(t *testing.T) {
	tests := []struct {
		body string
		want int
	}{
		{"", 1},
		{strings.Repeat("字", 400*3), 3},
		{strings.Repeat("word ", 230*2), 2},
		{strings.Repeat("字", 400) + strings.Repeat(" word", 230), 2},
	}
	for _, tc := range tests {
		if got := readingMinutes(tc.body); got != tc.want {
			t.Errorf("readingMinutes(%d bytes) = %d, want %d", len(tc.body), got, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"hello world", 5, []string{"hello", "world"}},
		{"数据库系统内幕。推荐", 6, []string{"数据库", "系统内", "幕。推", "荐"}}, // never "。" first
		{"（括号）里", 4, []string{"（括", "号）", "里"}},               // nor "（" last
		{"a\nb", 10, []string{"a", "b"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"字", 1, []string{"字"}},
		{"", 5, []string{""}},
	}
	for _, tc := range tests {
		got := wrap(tc.in, tc.width)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

// TestFullHelpFits opens the full help on several pages at several sizes:
// no help line is wider than the window, and the key of every binding the
// page offers is on screen, so nothing was cut at the right edge.
func TestFullHelpFits(t *testing.T) {
	screens := map[string][]string{
		"posts":         nil,
		"reader":        {"enter"},
		"reader search": {"enter", "/", "数据库", "enter"},
		"book":          {"2", "enter"},
		"papers":        {"3"},
	}
	for _, sz := range [][2]int{{40, 12}, {60, 24}, {80, 24}} {
		for name, keys := range screens {
			t.Run(fmt.Sprintf("%s/%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				d := newDriver(t, Options{Snapshot: seedBlog(t), Renderer: render.New(1 << 20), Width: sz[0], Height: sz[1]})
				d.keys(keys...)
				d.keys("?")
				d.checkScreen()
				footer := d.m.footerView()
				for _, l := range strings.Split(footer, "\n") {
					if w := lipgloss.Width(l); w > sz[0] {
						t.Errorf("help line %d cells wide: %q", w, ansi.Strip(l))
					}
				}
				var plainLines []string
				for _, l := range strings.Split(ansi.Strip(footer), "\n") {
					plainLines = append(plainLines, strings.TrimRight(l, " "))
				}
				plain := strings.Join(plainLines, "\n")
				if !strings.HasSuffix(d.view(), plain) {
					t.Fatalf("help not at the foot of the screen:\n%s", d.view())
				}
				// Each key beside its description, in columns or flowed.
				for _, g := range d.m.helpKeys().FullHelp() {
					for _, b := range g {
						re := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(b.Help().Key) + ` +` + regexp.QuoteMeta(b.Help().Desc))
						if b.Enabled() && !re.MatchString(plain) {
							t.Errorf("%q (%s) not in the help:\n%s", b.Help().Key, b.Help().Desc, plain)
						}
					}
				}
			})
		}
	}
}

// TestFullHelpLayouts checks each layout of the full help and the fallback
// to the short help when none fits.
func TestFullHelpLayouts(t *testing.T) {
	_, km := messagesFor("en")
	groups := [][]key.Binding{
		{km.Up, km.Down, km.PageUp, km.PageDown},
		{km.Search, km.NextMatch},
		{km.NextSection, km.PrevSection, km.Quit},
	}
	hm := help.New()
	check := func(out string, width int) {
		t.Helper()
		plain := ansi.Strip(out)
		for _, l := range strings.Split(out, "\n") {
			if lipgloss.Width(l) > width {
				t.Fatalf("line wider than %d: %q", width, ansi.Strip(l))
			}
		}
		for _, g := range groups {
			for _, b := range g {
				if !strings.Contains(plain, b.Help().Key) {
					t.Fatalf("%q missing at width %d:\n%s", b.Help().Key, width, plain)
				}
			}
		}
	}
	side, ok := fullHelpView(hm, groups, 200, 10)
	if !ok || lipgloss.Height(side) != 4 || side != hm.FullHelpView(groups) {
		t.Fatalf("wide: want bubbles' side-by-side view, got:\n%s", side)
	}
	sideW := lipgloss.Width(side)
	// Narrower: the third column goes under the first two.
	stacked, ok := fullHelpView(hm, groups, sideW-1, 10)
	if !ok || lipgloss.Height(stacked) != 7 {
		t.Fatalf("stacked: want 4+3 lines, got:\n%s", stacked)
	}
	check(stacked, sideW-1)
	// Too few lines for the columns: the bindings flow.
	flowed, ok := fullHelpView(hm, groups, 40, 6)
	if !ok || lipgloss.Height(flowed) > 6 || !strings.Contains(ansi.Strip(flowed), " • ") {
		t.Fatalf("flowed: got:\n%s", flowed)
	}
	check(flowed, 40)
	if _, ok := fullHelpView(hm, groups, 40, 2); ok {
		t.Fatal("a layout claimed to fit in 2 lines")
	}
	// A binding wider than the window is cut, never wider.
	long := key.NewBinding(key.WithKeys("x"), key.WithHelp("x", strings.Repeat("very long ", 10)))
	out, ok := fullHelpView(hm, [][]key.Binding{{long}}, 20, 5)
	if !ok || lipgloss.Width(out) > 20 || !strings.HasPrefix(ansi.Strip(out), "x ") {
		t.Fatalf("long binding at 20 cells: %q", ansi.Strip(out))
	}
	if _, ok := fullHelpView(hm, nil, 40, 5); ok {
		t.Fatal("no bindings, yet a help view")
	}
}
