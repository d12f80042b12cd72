package ui

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/theme"
)

// maxColumn caps the reading column: longer lines are hard to read.
const maxColumn = 100

// renderKey names one rendering of a post. The post pointer identifies the
// version: a publish makes a new *content.Post.
type renderKey struct {
	post  *content.Post
	width int
	theme theme.Theme
}

// renderedMsg carries a finished rendering back to the reader that asked.
type renderedMsg struct {
	to   *reader
	key  renderKey
	text *text // nil when err is set
	err  error
}

// text is a rendering as the reader shows it: its lines, with tabs
// expanded, and the index a search reads, built by the first search. It is
// never modified once made (the index is set once), so every session
// reading the same rendering shares one, through the Cache.
type text struct {
	lines     []string
	indexOnce sync.Once
	index     *searchIndex
	outOnce   sync.Once
	outline   []content.Heading // set by the first outline asked of it
}

// newText splits out into the lines the reader shows.
func newText(out string) *text {
	lines := strings.Split(strings.TrimRight(out, "\n "), "\n")
	for i, l := range lines {
		// A tab is zero cells to x/ansi but several on the terminal (and
		// to lipgloss): make it spaces so widths agree.
		lines[i] = linebreak.ExpandTabs(l)
	}
	return &text{lines: lines}
}

// searchIndex returns the index of t's lines, building it on first use.
func (t *text) searchIndex() *searchIndex {
	t.indexOnce.Do(func() { t.index = newSearchIndex(t.lines) })
	return t.index
}

// size approximates the bytes t holds once searched: the lines, their
// headers, and the index's folded copy and offsets.
func (t *text) size() int {
	n := 0
	for _, l := range t.lines {
		n += 2*len(l) + 24
	}
	return n
}

// searchedMsg carries the matches of a search back to the reader that
// asked.
type searchedMsg struct {
	to      *reader
	seq     int
	matches []match
}

// reader shows one post: a header with its title, dates, tags and reading
// time, the rendered body scrolling under it, and a status line with the
// position, search and live-update notices.
type reader struct {
	d        *deps
	renderer Renderer
	snap     *content.Snapshot
	source   *content.Snapshot // the snapshot post comes from; its renders use it

	post    *content.Post // the version being read
	isPage  bool          // post is one of the snapshot's pages
	latest  *content.Post // a newer published version, until r reloads it
	removed bool          // the post is no longer published
	minutes int

	theme theme.Theme
	w, h  int
	left  int // margin before the column
	col   int // column width

	want     renderKey // what the reader should show
	have     renderKey // what lines holds
	inFlight bool      // a render command is running
	text     *text     // the rendering shown; nil before the first
	lines    []string  // text's lines (shared: never modified)
	err      error     // the last rendering error
	pos      scrollPos // in lines

	head    []string // header(), laid out for headFor
	headFor headKey

	input   *textinput.Model // non-nil while the search is being typed
	query   string
	matches []match
	current int // index into matches; -1 for none
	origin  int // top line when the search began
	seq     int // search generation, to drop stale results
}

// newReader opens p, a post or (isPage) a page, from snapshot s.
func newReader(d *deps, r Renderer, s *content.Snapshot, p *content.Post, isPage bool, th theme.Theme) *reader {
	rd := &reader{d: d, renderer: r, theme: th, current: -1, isPage: isPage}
	rd.snap, rd.source = s, s
	rd.show(p)
	return rd
}

// show switches to post p, from the top.
func (r *reader) show(p *content.Post) {
	r.post, r.latest, r.removed = p, nil, false
	r.source = r.snap
	r.minutes = r.d.cache.readingMinutes(p)
	r.text, r.lines, r.have, r.err = nil, nil, renderKey{}, nil
	r.pos.SetTotal(0)
	r.pos.GotoTop()
	r.clearSearch()
	r.want = renderKey{post: p, width: r.col, theme: r.theme}
}

// setTheme re-renders in another theme, keeping the place.
func (r *reader) setTheme(t theme.Theme) {
	r.theme = t
	r.want.theme = t
}

func (r *reader) refresh(s *content.Snapshot) {
	r.snap = s
	lookup := s.Post
	if r.isPage {
		lookup = s.Page
	}
	p, ok := lookup(r.post.Slug)
	switch {
	case !ok:
		r.removed, r.latest = true, nil
	case p.Hash != r.post.Hash:
		r.removed, r.latest = false, p
	default:
		r.removed, r.latest = false, nil
	}
}

// reload shows the latest version of the post, keeping the place.
func (r *reader) reload() {
	if r.latest == nil {
		return
	}
	r.post, r.latest = r.latest, nil
	r.source = r.snap
	r.minutes = r.d.cache.readingMinutes(r.post)
	r.want.post = r.post
}

// renderCmd starts rendering what the reader wants, unless it has it or a
// rendering is already running (its result will start the next one, so a
// burst of resizes renders only the first and the last width).
func (r *reader) renderCmd() tea.Cmd {
	if r.want == r.have || r.inFlight || r.want.width <= 0 {
		return nil
	}
	r.inFlight = true
	k, rd, source, cache := r.want, r.renderer, r.source, r.d.cache
	return func() (msg tea.Msg) {
		defer func() {
			if p := recover(); p != nil {
				msg = renderedMsg{to: r, key: k, err: fmt.Errorf("renderer panicked: %v", p)}
			}
		}()
		tk, keep := textKeyOf(source, k)
		if keep {
			if t := cache.text(tk); t != nil {
				return renderedMsg{to: r, key: k, text: t}
			}
		}
		out, err := rd.Render(source, k.post, k.width, k.theme)
		if err != nil {
			return renderedMsg{to: r, key: k, err: err}
		}
		t := newText(out)
		if keep {
			cache.addText(tk, t)
		}
		return renderedMsg{to: r, key: k, text: t}
	}
}

// rendered takes a finished rendering, unless it is stale.
func (r *reader) rendered(msg renderedMsg) tea.Cmd {
	r.inFlight = false
	if msg.key != r.want {
		return r.renderCmd()
	}
	// Keep the reader's place by the fraction of the text above the top
	// line; at the end stays at the end.
	frac, atEnd := 0.0, false
	if n := len(r.lines); n > 0 {
		frac = float64(r.pos.YOffset()) / float64(n)
		atEnd = r.pos.AtBottom() && r.pos.YOffset() > 0
	}
	r.have, r.err = msg.key, msg.err
	r.text = msg.text
	if r.text == nil { // the rendering failed: the Markdown as it is
		r.text = newText(msg.key.post.Markdown())
	}
	r.lines = r.text.lines
	r.pos.SetTotal(len(r.lines))
	if atEnd {
		r.pos.GotoBottom()
	} else {
		r.pos.SetYOffset(int(math.Round(frac * float64(len(r.lines)))))
	}
	r.matches, r.current = nil, -1
	r.seq++ // results for the old lines are wrong for these
	if r.query != "" {
		r.origin = r.pos.YOffset()
		return r.searchCmd(r.query)
	}
	return nil
}

// searchCmd finds query in the rendered lines off the update loop. The
// first search of a rendering, in any session, indexes its lines; the
// index serves every following keystroke.
func (r *reader) searchCmd(query string) tea.Cmd {
	r.seq++
	seq, t := r.seq, r.text
	return func() tea.Msg {
		if t == nil { // still rendering: rendered searches again
			return searchedMsg{to: r, seq: seq}
		}
		return searchedMsg{to: r, seq: seq, matches: t.searchIndex().find(t.lines, query)}
	}
}

// searched takes search results, unless they are stale.
func (r *reader) searched(msg searchedMsg) {
	if msg.seq != r.seq {
		return
	}
	r.matches, r.current = msg.matches, -1
	for i, m := range r.matches {
		if m.line >= r.origin {
			r.current = i
			break
		}
	}
	if r.current < 0 && len(r.matches) > 0 {
		r.current = 0
	}
	r.showMatches()
}

// showMatches scrolls the current match into view; View highlights them.
func (r *reader) showMatches() {
	if r.current < 0 || r.current >= len(r.matches) {
		return
	}
	y, h := r.pos.YOffset(), r.pos.Height()
	if line := r.matches[r.current].line; line < y || line >= y+h {
		r.pos.SetYOffset(line - h/3)
	}
}

// find searches for query as if typed after /, from the top: the first
// match shows once the post is rendered, and n and N move between them.
func (r *reader) find(query string) {
	if strings.TrimSpace(query) == "" {
		return
	}
	r.query, r.origin = query, 0
}

func (r *reader) clearSearch() {
	r.input, r.query, r.matches, r.current = nil, "", nil, -1
	r.seq++
}

// headKey is what the reader's header depends on.
type headKey struct {
	post    *content.Post
	col, h  int
	minutes int
	styles  *Styles
	msgs    *messages
}

// header returns the title, dates, tags and reading time, wrapped to the
// column. It is laid out again only when something it shows changes: View
// and SetSize both need it.
func (r *reader) header() []string {
	k := headKey{r.post, r.col, r.h, r.minutes, r.d.styles, r.d.msgs}
	if r.head == nil || k != r.headFor {
		r.head, r.headFor = r.layoutHeader(), k
	}
	return r.head
}

func (r *reader) layoutHeader() []string {
	st, m, p := r.d.styles, r.d.msgs, r.post
	var lines []string
	// At most three lines of title, one on short screens: the text needs
	// the room.
	title := wrap(oneLine(p.Title), r.col)
	maxLines := 3
	if r.h < 16 {
		maxLines = 1
	}
	if len(title) > maxLines {
		title = title[:maxLines]
		title[maxLines-1] = truncate(title[maxLines-1]+ellipsis, r.col)
	}
	for _, l := range title {
		lines = append(lines, st.PostTitle().Render(l))
	}
	// The subtitle, in up to two lines, where the screen has room for
	// the rule under the header.
	if sub := oneLine(p.Subtitle); sub != "" && r.h >= 14 {
		sl := wrap(sub, r.col)
		if n := min(maxLines, 2); len(sl) > n {
			sl = sl[:n]
			sl[n-1] = truncate(sl[n-1]+ellipsis, r.col)
		}
		for _, l := range sl {
			lines = append(lines, st.Subtitle().Render(l))
		}
	}
	var meta []string
	if !p.Date.IsZero() {
		meta = append(meta, p.Date.Format(dateLayout))
	}
	if !p.Modified.IsZero() {
		meta = append(meta, fmt.Sprintf(m.modified, p.Modified.Format(dateLayout)))
	}
	meta = append(meta, fmt.Sprintf(m.readingTime, r.minutes))
	if len(p.Tags) > 0 {
		meta = append(meta, "#"+strings.Join(p.Tags, " #"))
	}
	lines = append(lines, st.Meta().Render(truncate(oneLine(strings.Join(meta, " · ")), r.col)))
	if r.h >= 14 {
		lines = append(lines, st.Rule().Render(strings.Repeat("─", r.col)))
	}
	return lines
}

// bodyHeight is the number of lines left for the text.
func (r *reader) bodyHeight() int {
	return max(1, r.h-len(r.header())-1)
}

func (r *reader) SetSize(w, h int) {
	atEnd := r.pos.AtBottom() && r.pos.YOffset() > 0
	r.w, r.h = w, h
	r.col = max(1, min(maxColumn, w-2))
	r.left = max(0, (w-r.col)/2)
	r.want.width = r.col
	r.pos.SetHeight(r.bodyHeight())
	if atEnd {
		r.pos.GotoBottom()
	}
	if r.input != nil {
		r.input.SetWidth(r.searchWidth())
	}
}

func (r *reader) Update(msg tea.Msg) tea.Cmd {
	k := r.d.keys
	if r.input != nil {
		return r.updateSearch(msg)
	}
	if scroll(&r.pos, msg, k) {
		return nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.HalfUp):
			r.pos.HalfPageUp()
		case key.Matches(msg, k.HalfDown):
			r.pos.HalfPageDown()
		case key.Matches(msg, k.Search):
			r.input = newInput(r.d, r.d.msgs.searchPrompt, 0)
			r.input.SetWidth(r.searchWidth())
			r.origin = r.pos.YOffset()
		case key.Matches(msg, k.NextMatch):
			if n := len(r.matches); n > 0 {
				r.current = (r.current + 1) % n
				r.showMatches()
			}
		case key.Matches(msg, k.PrevMatch):
			if n := len(r.matches); n > 0 {
				r.current = (r.current - 1 + n) % n
				r.showMatches()
			}
		case key.Matches(msg, k.NextPost):
			if _, older := r.neighbours(); older != nil {
				r.show(older)
			}
		case key.Matches(msg, k.PrevPost):
			if newer, _ := r.neighbours(); newer != nil {
				r.show(newer)
			}
		case key.Matches(msg, k.Reload):
			r.reload()
		case key.Matches(msg, k.Outline):
			return r.outlineCmd()
		}
	}
	return nil
}

// neighbours returns the posts listed before and after this one; a page
// has none.
func (r *reader) neighbours() (newer, older *content.Post) {
	if r.isPage {
		return nil, nil
	}
	return r.snap.Neighbours(r.post.Slug)
}

// updateSearch handles input while the search is being typed: matches are
// found as the text changes.
func (r *reader) updateSearch(msg tea.Msg) tea.Cmd {
	k := r.d.keys
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, k.Accept):
			r.query = r.input.Value()
			r.input = nil
			if strings.TrimSpace(r.query) == "" {
				r.clearSearch()
			}
			return nil
		case key.Matches(kp, k.Cancel):
			r.clearSearch()
			return nil
		}
	}
	before := r.input.Value()
	in, cmd := r.input.Update(msg)
	*r.input = in
	if v := in.Value(); v != before {
		r.query = v
		if strings.TrimSpace(v) == "" {
			r.matches, r.current = nil, -1
			r.seq++
			r.showMatches()
			return cmd
		}
		return tea.Batch(cmd, r.searchCmd(v))
	}
	return cmd
}

// status renders the line under the text: a notice or the search on the
// left, the match count and position on the right.
func (r *reader) status() string {
	st, m := r.d.styles, r.d.msgs
	changed, removed := m.changed, m.removed
	if r.isPage {
		changed, removed = m.pageChanged, m.pageRemoved
	}
	var left string
	switch {
	case r.input != nil:
		left = r.input.View()
	case r.have.post == nil:
		left = st.Faint().Render(m.rendering)
	case r.removed:
		left = st.Warning().Render(removed)
	case r.latest != nil:
		left = st.Warning().Render(changed)
	case r.err != nil:
		left = st.Error().Render(fmt.Sprintf(m.renderFailed, r.err))
	case r.want != r.have:
		left = st.Faint().Render(m.rendering)
	}
	var right []string
	if r.query != "" {
		if len(r.matches) == 0 {
			right = append(right, m.noMatch)
		} else {
			right = append(right, fmt.Sprintf(m.matchOf, r.current+1, len(r.matches)))
		}
	}
	if r.have.post != nil {
		right = append(right, fmt.Sprintf("%d%%", r.percent()))
	}
	return alignRight(left, st.Faint().Render(strings.Join(right, " · ")), r.col)
}

// percent is how far through the text the reader is.
func (r *reader) percent() int {
	if r.pos.TotalLineCount() <= r.pos.Height() {
		return 100
	}
	return int(math.Round(r.pos.ScrollPercent() * 100))
}

func (r *reader) View() string {
	var b strings.Builder
	for _, l := range r.header() {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if r.have.post == nil {
		b.WriteString(strings.Repeat("\n", r.pos.Height()))
	} else {
		b.WriteString(r.bodyView())
		b.WriteByte('\n')
	}
	b.WriteString(r.status())
	margin := strings.Repeat(" ", r.left)
	lines := strings.Split(fitBlock(b.String(), r.col, r.h), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = margin + l
		}
	}
	return strings.Join(lines, "\n")
}

// bodyView renders the lines in view, with search matches highlighted.
// Drawing only the visible lines keeps a key press cheap however long the
// post and however many matches.
func (r *reader) bodyView() string {
	visible := make([]string, r.pos.Height())
	copy(visible, r.pos.visible(r.lines))
	highlight(visible, max(0, min(r.pos.YOffset(), len(r.lines))), r.matches, r.current, r.d.styles)
	for i, l := range visible {
		if ansi.StringWidth(l) > r.col {
			visible[i] = ansi.Truncate(l, r.col, "")
		}
	}
	return strings.Join(visible, "\n")
}

// searchWidth is the width of the search text: the status line less the
// prompt and room for the match count and position on the right.
func (r *reader) searchWidth() int {
	const room = 16 // " 123/456 · 100%"
	return max(1, r.col-ansi.StringWidth(r.d.msgs.searchPrompt)-room)
}

// back clears a search.
func (r *reader) back() bool {
	if r.input == nil && r.query == "" {
		return false
	}
	r.clearSearch()
	return true
}

func (r *reader) inputFocused() bool { return r.input != nil }

func (r *reader) ShortHelp() []key.Binding {
	k := r.d.keys
	if r.input != nil {
		return []key.Binding{k.Accept, k.Cancel}
	}
	kb := []key.Binding{k.Scroll, k.Search, k.Outline}
	if len(r.matches) > 0 {
		kb = append(kb, k.NextMatch, k.PrevMatch)
	}
	if r.latest != nil {
		kb = append(kb, k.Reload)
	}
	newer, older := r.neighbours()
	if older != nil {
		kb = append(kb, k.NextPost)
	}
	if newer != nil {
		kb = append(kb, k.PrevPost)
	}
	return kb
}

func (r *reader) FullHelp() [][]key.Binding {
	k := r.d.keys
	if r.input != nil {
		return [][]key.Binding{{k.Accept, k.Cancel}}
	}
	actions := []key.Binding{k.Search, k.Outline}
	if len(r.matches) > 0 {
		actions = append(actions, k.NextMatch, k.PrevMatch)
	}
	newer, older := r.neighbours()
	if older != nil {
		actions = append(actions, k.NextPost)
	}
	if newer != nil {
		actions = append(actions, k.PrevPost)
	}
	if r.latest != nil {
		actions = append(actions, k.Reload)
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.PageDown, k.PageUp, k.HalfDown, k.HalfUp, k.Top, k.Bottom},
		actions,
	}
}
