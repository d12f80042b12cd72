package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/termsafe"
)

// Searcher finds what matches query in snapshot s, best first, at most
// limit hits: the search over the whole blog that s opens from any section.
// The server passes content/search's; without one the UI looks for the
// query in titles and bodies (substringSearch).
type Searcher func(ctx context.Context, s *content.Snapshot, query string, limit int) ([]SearchHit, error)

// SearchHit is one result of a Searcher.
type SearchHit struct {
	Kind    string    // "post", "page", "book" or "paper"
	Slug    string    // a post's or page's slug; "" for books and papers
	Title   string    // a book's or paper's title names it
	Date    time.Time // a post's date; zero for the others
	Snippet string    // one line of text around the best match
	Matches [][2]int  // byte ranges of Snippet that match, in order, not overlapping
}

const (
	// searchDelay is how long typing must pause before the search runs:
	// a fast typist's burst searches once.
	searchDelay = 120 * time.Millisecond
	// searchLimit is how many hits the search shows.
	searchLimit = 50
	// searchTimeout bounds one search.
	searchTimeout = 5 * time.Second
)

// Messages of the search over the whole blog, each addressed to the page
// that asked, carrying the generation of the query it is for.
type (
	searchTickMsg struct {
		to  *searchPage
		seq int
	}
	searchHitsMsg struct {
		to    *searchPage
		seq   int
		query string
		hits  []SearchHit
		err   error
	}
	// closePageMsg asks the root to leave page p if it is shown.
	closePageMsg struct{ p page }
	// openHitMsg asks the root to open a hit, showing the matches of
	// find in it.
	openHitMsg struct {
		hit  SearchHit
		find string
	}
)

// searchPage is the search over the whole blog: a line to type the query
// in, and the hits under it as it is typed, each with its snippet and the
// match highlighted. enter in the query goes to the hits; enter on a hit
// opens it, on its first match.
type searchPage struct {
	d      *deps
	search Searcher
	snap   *content.Snapshot
	input  *textinput.Model // nil while browsing the hits
	query  string           // the text typed
	done   string           // the query the hits are for
	seq    int              // query generation, to drop stale results
	busy   bool
	err    error
	list   itemList
	w, h   int
}

// openSearch shows the search over the whole blog on the active section,
// with query typed; the search starts at once when query is not empty.
func (m *Model) openSearch(query string) tea.Cmd {
	if sp, ok := m.top().(*searchPage); ok {
		sp.focus()
		return nil
	}
	sp := &searchPage{d: &m.d, search: m.searcher, snap: m.snap}
	sp.list = newItemList(&m.d, searchRows{d: &m.d}, 2, 1, "")
	sp.focus()
	sp.input.SetValue(query)
	sp.input.CursorEnd()
	sp.query = query
	m.push(sp)
	if strings.TrimSpace(query) == "" {
		return nil
	}
	sp.seq++
	return sp.searchCmd(sp.seq, query)
}

func (p *searchPage) focus() {
	if p.input == nil {
		p.input = newInput(p.d, p.d.msgs.searchAllPrompt, p.w)
		p.input.SetValue(p.query)
		p.input.CursorEnd()
		p.SetSize(p.w, p.h)
	}
}

// searchCmd runs the search for query off the update loop.
func (p *searchPage) searchCmd(seq int, query string) tea.Cmd {
	p.busy = true
	search, snap := p.search, p.snap
	if search == nil {
		search = substringSearch
	}
	return func() (msg tea.Msg) {
		defer func() {
			if v := recover(); v != nil {
				msg = searchHitsMsg{to: p, seq: seq, query: query, err: fmt.Errorf("search panicked: %v", v)}
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), searchTimeout)
		defer cancel()
		hits, err := search(ctx, snap, query, searchLimit)
		return searchHitsMsg{to: p, seq: seq, query: query, hits: hits, err: err}
	}
}

// tick runs the search once typing has paused.
func (p *searchPage) tick(msg searchTickMsg) tea.Cmd {
	if msg.seq != p.seq {
		return nil
	}
	return p.searchCmd(p.seq, p.query)
}

// found takes the hits, unless they are stale.
func (p *searchPage) found(msg searchHitsMsg) {
	if msg.seq != p.seq {
		return
	}
	p.busy, p.err, p.done = false, msg.err, msg.query
	p.list.setSource(searchRows{d: p.d, hits: msg.hits})
	p.list.cursor, p.list.offset = 0, 0
	p.list.clampCursor()
}

// refresh searches the new snapshot from the next query typed; the hits
// shown stay (opening one that is gone does nothing).
func (p *searchPage) refresh(s *content.Snapshot) { p.snap = s }

func (p *searchPage) SetSize(w, h int) {
	p.w, p.h = w, h
	if p.input != nil {
		// Room on the right for the status ("searching…", "50 hits").
		const room = 16
		p.input.SetWidth(max(1, min(w, maxColumn)-ansi.StringWidth(p.d.msgs.searchAllPrompt)-1-room))
	}
	p.list.SetSize(w, max(1, h-2))
}

func (p *searchPage) Update(msg tea.Msg) tea.Cmd {
	k := p.d.keys
	if p.input == nil {
		if kp, ok := msg.(tea.KeyPressMsg); ok && (key.Matches(kp, k.Filter) || key.Matches(kp, k.SearchAll)) {
			p.focus()
			p.SetSize(p.w, p.h)
			return nil
		}
		return p.list.Update(msg, func(i int) tea.Cmd {
			return send(openHitMsg{hit: p.list.src.(searchRows).hits[i], find: firstMatch(p.list.src.(searchRows).hits[i], p.done)})
		})
	}
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, k.Accept):
			if p.list.src.Len() > 0 {
				p.input = nil
			}
			return nil
		case key.Matches(kp, k.Cancel):
			if p.list.src.Len() > 0 {
				p.input = nil
				return nil
			}
			return send(closePageMsg{p: p})
		case key.Matches(kp, k.Down) && kp.Text == "":
			// The arrow (not j, which is typed) moves to the hits.
			if p.list.src.Len() > 0 {
				p.input = nil
				return p.list.Update(msg, nil)
			}
			return nil
		}
	}
	in, cmd := p.input.Update(msg)
	*p.input = in
	if v := in.Value(); v != p.query {
		p.query = v
		p.seq++
		if strings.TrimSpace(v) == "" {
			p.busy, p.done, p.err = false, "", nil
			p.list.setSource(searchRows{d: p.d})
			return cmd
		}
		seq := p.seq
		return tea.Batch(cmd, tea.Tick(searchDelay, func(time.Time) tea.Msg { return searchTickMsg{to: p, seq: seq} }))
	}
	return cmd
}

func (p *searchPage) View() string {
	st, m := p.d.styles, p.d.msgs
	var top string
	if p.input != nil {
		top = p.input.View()
	} else {
		top = st.Meta().Render(m.searchAllPrompt + p.query)
	}
	var status string
	switch {
	case p.err != nil:
		status = st.Error().Render(fmt.Sprintf(m.searchFailed, p.err))
	case p.busy:
		status = st.Faint().Render(m.searching)
	case p.done != "" && p.list.src.Len() == 1:
		status = st.Faint().Render(m.searchAllOne)
	case p.done != "" && p.list.src.Len() > 1:
		status = st.Faint().Render(fmt.Sprintf(m.searchAllCount, p.list.src.Len()))
	}
	top = alignRight(top, status, min(p.w, maxColumn))
	var body string
	switch {
	case strings.TrimSpace(p.query) == "":
		body = st.Faint().Render(m.searchAllEmpty)
	case p.list.src.Len() == 0 && !p.busy && p.done != "":
		body = st.Faint().Render(truncate(fmt.Sprintf(m.searchAllNone, oneLine(p.done)), p.w))
	case p.list.src.Len() > 0:
		body = p.list.View()
	}
	return fitBlock(top+"\n\n"+body, p.w, p.h)
}

// back has nothing to undo: esc leaves the search.
func (p *searchPage) back() bool { return false }

func (p *searchPage) inputFocused() bool { return p.input != nil }

func (p *searchPage) ShortHelp() []key.Binding {
	k := p.d.keys
	if p.input != nil {
		return []key.Binding{k.Accept, k.Cancel}
	}
	return []key.Binding{k.Up, k.Down, k.Open, k.SearchAll}
}

func (p *searchPage) FullHelp() [][]key.Binding {
	k := p.d.keys
	if p.input != nil {
		return [][]key.Binding{{k.Accept, k.Cancel}}
	}
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, {k.Open, k.SearchAll}}
}

// firstMatch is the text of a hit's first match, which the reader then
// finds in the post (a stemmed search matches "rendering" for "render":
// the reader looks for "rendering"), with the matches that touch it (a
// CJK phrase may come as bigrams: 流处 and 处理 are 流处理); the query when
// there is none.
func firstMatch(h SearchHit, query string) string {
	ms := append([][2]int(nil), h.Matches...)
	sort.Slice(ms, func(a, b int) bool { return ms[a][0] < ms[b][0] })
	if len(ms) > 0 {
		m := ms[0]
		for _, n := range ms[1:] {
			if n[0] > m[1] {
				break
			}
			m[1] = max(m[1], n[1])
		}
		if 0 <= m[0] && m[0] < m[1] && m[1] <= len(h.Snippet) {
			return h.Snippet[m[0]:m[1]]
		}
	}
	return strings.TrimSpace(query)
}

// searchRows shows hits: the title and date, then the snippet with its
// matches highlighted.
type searchRows struct {
	d    *deps
	hits []SearchHit
}

func (r searchRows) Len() int { return len(r.hits) }
func (r searchRows) ID(i int) string {
	return r.hits[i].Kind + "\x00" + r.hits[i].Slug + "\x00" + r.hits[i].Title
}
func (r searchRows) Match(i int, t []string) bool {
	return matchesAll(t, []string{r.hits[i].Title, r.hits[i].Snippet})
}

func (r searchRows) Row(i, width int, selected bool) string {
	st, h := r.d.styles, r.hits[i]
	titleStyle := st.ItemTitle()
	if selected {
		titleStyle = st.ItemActive()
	}
	var meta []string
	if h.Kind != "post" && h.Kind != "" {
		meta = append(meta, h.Kind)
	}
	if !h.Date.IsZero() {
		meta = append(meta, h.Date.Format(dateLayout))
	}
	line1 := alignRight(titleStyle.Render(oneLine(termsafe.Line(h.Title))), st.Meta().Render(strings.Join(meta, " · ")), width)
	return line1 + "\n" + truncate(highlightSnippet(h, st), width)
}

// highlightSnippet styles a hit's snippet on one line, its matches in the
// reader's match style. Each piece is made safe for the terminal on its
// own, so the byte ranges stay true.
func highlightSnippet(h SearchHit, st *Styles) string {
	s := h.Snippet
	ms := append([][2]int(nil), h.Matches...)
	sort.Slice(ms, func(a, b int) bool { return ms[a][0] < ms[b][0] })
	var b strings.Builder
	at := 0
	for _, m := range ms {
		if m[0] < at || m[1] > len(s) || m[0] >= m[1] {
			continue
		}
		b.WriteString(st.Faint().Render(oneLine(termsafe.Line(s[at:m[0]]))))
		b.WriteString(st.Match().Render(oneLine(termsafe.Line(s[m[0]:m[1]]))))
		at = m[1]
	}
	b.WriteString(st.Faint().Render(oneLine(termsafe.Line(s[at:]))))
	return b.String()
}

// substringSearch is the search without a Searcher: the posts and pages
// whose title or body holds the query, case-insensitively, titles first,
// then newest first; the snippet is the line of the first match. It reads
// every body, so it serves small blogs and tests; content/search serves
// the rest.
func substringSearch(ctx context.Context, s *content.Snapshot, query string, limit int) ([]SearchHit, error) {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return nil, nil
	}
	var inTitle, inBody []SearchHit
	look := func(p *content.Post, kind string) {
		h := SearchHit{Kind: kind, Slug: p.Slug, Title: p.Title, Date: p.Date}
		if snip, ms, ok := snippetOf(p.Title, q); ok {
			h.Snippet, h.Matches = snip, ms
			if body, bms, ok := snippetOf(p.Markdown(), q); ok {
				h.Snippet, h.Matches = body, bms
			}
			inTitle = append(inTitle, h)
			return
		}
		if snip, ms, ok := snippetOf(p.Markdown(), q); ok {
			h.Snippet, h.Matches = snip, ms
			inBody = append(inBody, h)
		}
	}
	for _, p := range s.Posts() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		look(p, "post")
	}
	for _, p := range s.Pages() {
		look(p, "page")
	}
	hits := append(inTitle, inBody...)
	return hits[:min(len(hits), limit)], nil
}

// snippetMax bounds a snippet, in bytes.
const snippetMax = 240

// snippetOf finds q (lower-case) in text and returns the line it is on,
// cut around it, with the match as a byte range.
func snippetOf(text, q string) (string, [][2]int, bool) {
	lower := strings.ToLower(text)
	if len(lower) != len(text) { // lower-casing moved the bytes: match on text as it is
		lower = text
	}
	i := strings.Index(lower, q)
	if i < 0 {
		return "", nil, false
	}
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := len(text)
	if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
		end = i + j
	}
	if i-start > snippetMax/2 {
		start = i - snippetMax/2
	}
	if end-i > snippetMax/2 {
		end = i + snippetMax/2
	}
	start, end = runeStart(text, start), runeStart(text, end)
	return text[start:end], [][2]int{{i - start, i - start + len(q)}}, true
}

// runeStart moves i back to the start of the rune it is in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && s[i]&0xC0 == 0x80 {
		i--
	}
	return i
}
