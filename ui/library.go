package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
)

// bookRows shows the reading log: a recommended mark, the title, the year
// read and the status; then the authors and translators.
type bookRows struct {
	d     *deps
	books []content.Book
}

func (r bookRows) Len() int        { return len(r.books) }
func (r bookRows) ID(i int) string { return r.books[i].Title }

func (r bookRows) Match(i int, terms []string) bool {
	b := &r.books[i]
	fields := [...]string{b.Title, b.Subtitle, b.Original, b.Publisher, b.Note, b.Status, r.d.msgs.statusName(b.Status), yearString(b.Year)}
	return matchesAll(terms, fields[:], b.Authors, b.Translators, b.Tags)
}

func (r bookRows) Row(i, width int, selected bool) string {
	b := &r.books[i]
	var meta []string
	if b.Year > 0 {
		meta = append(meta, strconv.Itoa(b.Year))
	}
	if b.Status != "" {
		meta = append(meta, r.d.msgs.statusName(b.Status))
	}
	people := strings.Join(b.Authors, ", ")
	if len(b.Translators) > 0 {
		if people != "" {
			people += " · "
		}
		people += r.d.msgs.translatedBy + " " + strings.Join(b.Translators, ", ")
	}
	return twoLineRow(r.d, width, selected, b.Recommended, b.Title, strings.Join(meta, " · "), people)
}

// paperRows shows the paper list: a recommended mark, the title and the
// venue; then what the paper is about.
type paperRows struct {
	d      *deps
	papers []content.Paper
}

func (r paperRows) Len() int        { return len(r.papers) }
func (r paperRows) ID(i int) string { return r.papers[i].Title }

func (r paperRows) Match(i int, terms []string) bool {
	p := &r.papers[i]
	fields := [...]string{p.Title, p.Venue, p.Topic, p.Note, yearString(p.Published), yearString(p.Year)}
	return matchesAll(terms, fields[:], p.Authors, p.Tags)
}

func (r paperRows) Row(i, width int, selected bool) string {
	p := &r.papers[i]
	venue := p.Venue
	if venue == "" && p.Published > 0 {
		venue = strconv.Itoa(p.Published)
	} else if p.Published > 0 && !strings.Contains(venue, strconv.Itoa(p.Published%100)) {
		venue += " " + strconv.Itoa(p.Published)
	}
	about := p.Topic
	if about == "" {
		about = strings.Join(p.Authors, ", ")
	}
	return twoLineRow(r.d, width, selected, p.Recommended, p.Title, venue, about)
}

// twoLineRow lays out a book or paper row.
func twoLineRow(d *deps, width int, selected, recommended bool, title, meta, sub string) string {
	st := d.styles
	titleStyle := st.ItemTitle()
	if selected {
		titleStyle = st.ItemActive()
	}
	mark := "  "
	if recommended {
		mark = st.Star().Render("★") + " "
	}
	line1 := alignRight(mark+titleStyle.Render(oneLine(title)), st.Meta().Render(oneLine(meta)), width)
	line2 := "  " + st.Faint().Render(truncate(oneLine(sub), width-2))
	return line1 + "\n" + line2
}

// tagRows shows tags with their post counts, one a line.
type tagRows struct {
	d    *deps
	tags []content.Tag
}

func (r tagRows) Len() int        { return len(r.tags) }
func (r tagRows) ID(i int) string { return r.tags[i].Name }

func (r tagRows) Match(i int, terms []string) bool {
	return matchesAll(terms, []string{r.tags[i].Name})
}

func (r tagRows) Row(i, width int, selected bool) string {
	st := r.d.styles
	t := r.tags[i]
	style := st.ItemTitle()
	if selected {
		style = st.ItemActive()
	}
	return alignRight(style.Render("#"+oneLine(t.Name)), st.Meta().Render(strconv.Itoa(t.Count)), width)
}

func yearString(y int) string {
	if y <= 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// listPage is the top page of the Books, Papers and Tags sections.
type listPage struct {
	d     *deps
	list  itemList
	rows  func(s *content.Snapshot) rowSource
	empty func(m *messages) string
	open  func(src rowSource, i int) tea.Cmd
	w, h  int
}

// newBooksPage lists the books of s; enter shows one.
func newBooksPage(d *deps, s *content.Snapshot) *listPage {
	return newListPage(d, s, 2, 1,
		func(s *content.Snapshot) rowSource { return bookRows{d: d, books: s.Books()} },
		func(m *messages) string { return m.noBooks },
		func(src rowSource, i int) tea.Cmd { return send(openBookMsg{book: src.(bookRows).books[i]}) })
}

// newPapersPage lists the papers of s; enter shows one.
func newPapersPage(d *deps, s *content.Snapshot) *listPage {
	return newListPage(d, s, 2, 1,
		func(s *content.Snapshot) rowSource { return paperRows{d: d, papers: s.Papers()} },
		func(m *messages) string { return m.noPapers },
		func(src rowSource, i int) tea.Cmd { return send(openPaperMsg{paper: src.(paperRows).papers[i]}) })
}

// newTagsPage lists the tags of s; enter lists a tag's posts.
func newTagsPage(d *deps, s *content.Snapshot) *listPage {
	return newListPage(d, s, 1, 0,
		func(s *content.Snapshot) rowSource { return tagRows{d: d, tags: s.Tags()} },
		func(m *messages) string { return m.noTags },
		func(src rowSource, i int) tea.Cmd { return send(openTagMsg{tag: src.(tagRows).tags[i].Name}) })
}

func newListPage(d *deps, s *content.Snapshot, rowHeight, spacing int,
	rows func(*content.Snapshot) rowSource, empty func(*messages) string,
	open func(rowSource, int) tea.Cmd,
) *listPage {
	return &listPage{
		d:     d,
		list:  newItemList(d, rows(s), rowHeight, spacing, empty(d.msgs)),
		rows:  rows,
		empty: empty,
		open:  open,
	}
}

func (p *listPage) refresh(s *content.Snapshot) {
	p.list.empty = p.empty(p.d.msgs)
	p.list.setSource(p.rows(s))
}

func (p *listPage) SetSize(w, h int) { p.w, p.h = w, h; p.list.SetSize(w, h) }

func (p *listPage) Update(msg tea.Msg) tea.Cmd {
	return p.list.Update(msg, func(i int) tea.Cmd { return p.open(p.list.src, i) })
}

func (p *listPage) View() string              { return p.list.View() }
func (p *listPage) back() bool                { return p.list.back() }
func (p *listPage) inputFocused() bool        { return p.list.filtering() }
func (p *listPage) ShortHelp() []key.Binding  { return p.list.shortHelp(p.d.keys.Open) }
func (p *listPage) FullHelp() [][]key.Binding { return p.list.fullHelp(p.d.keys.Open) }

// field is one labelled value of a detail page.
type field struct{ label, value string }

// detailPage shows every field of a book or paper and the post it comes
// from; enter opens that post.
type detailPage struct {
	d       *deps
	title   string // identifies the entry across snapshots
	isPaper bool
	book    content.Book
	paper   content.Paper
	post    *content.Post // the post it comes from; nil if none or missing
	lines   []string      // laid out for the width
	pos     scrollPos
	w, h    int
}

// newBookPage shows b.
func newBookPage(d *deps, s *content.Snapshot, b content.Book) *detailPage {
	p := &detailPage{d: d, title: b.Title, book: b}
	p.refresh(s)
	return p
}

// newPaperPage shows pp.
func newPaperPage(d *deps, s *content.Snapshot, pp content.Paper) *detailPage {
	p := &detailPage{d: d, title: pp.Title, isPaper: true, paper: pp}
	p.refresh(s)
	return p
}

func (p *detailPage) postSlug() string {
	if p.isPaper {
		return p.paper.Post
	}
	return p.book.Post
}

func (p *detailPage) refresh(s *content.Snapshot) {
	if p.isPaper {
		for _, pp := range s.Papers() {
			if pp.Title == p.title {
				p.paper = pp
				break
			}
		}
	} else {
		for _, b := range s.Books() {
			if b.Title == p.title {
				p.book = b
				break
			}
		}
	}
	p.post = nil
	if slug := p.postSlug(); slug != "" {
		p.post, _ = s.Post(slug)
	}
	p.layout()
}

func (p *detailPage) fields() []field {
	m := p.d.msgs
	var fs []field
	add := func(label, value string) {
		if value != "" {
			fs = append(fs, field{label, value})
		}
	}
	list := func(v []string) string { return strings.Join(v, ", ") }
	status := func(s string, times int) string {
		out := m.statusName(s)
		if times > 1 {
			if out != "" {
				out += " · "
			}
			out += fmt.Sprintf(m.timesRead, times)
		}
		return out
	}
	yes := func(v bool) string {
		if v {
			return "★ " + m.yes
		}
		return ""
	}
	if p.isPaper {
		pp := &p.paper
		add(m.authors, list(pp.Authors))
		add(m.venue, pp.Venue)
		add(m.published, yearString(pp.Published))
		add(m.year, yearString(pp.Year))
		add(m.status, status(pp.Status, 0))
		add(m.recommended, yes(pp.Recommended))
		add(m.topic, pp.Topic)
		add(m.tags, list(pp.Tags))
		add(m.note, pp.Note)
		add(m.link, pp.Link)
	} else {
		b := &p.book
		add(m.subtitle, b.Subtitle)
		add(m.original, b.Original)
		add(m.authors, list(b.Authors))
		add(m.translators, list(b.Translators))
		add(m.publisher, b.Publisher)
		add(m.year, yearString(b.Year))
		add(m.status, status(b.Status, b.Times))
		if b.Rating > 0 {
			add(m.rating, strings.Repeat("★", min(b.Rating, 5))+strings.Repeat("☆", max(0, 5-b.Rating)))
		}
		add(m.recommended, yes(b.Recommended))
		add(m.tags, list(b.Tags))
		add(m.note, b.Note)
		add(m.link, b.Link)
	}
	switch {
	case p.post != nil:
		add(m.post, p.post.Title+" ("+p.post.Date.Format(dateLayout)+")")
	case p.postSlug() != "":
		add(m.post, p.postSlug()+" "+m.notFound)
	}
	return fs
}

// detailMargin is the margin left of a book or paper's details, in line
// with the titles in the lists.
const detailMargin = 2

// layout rebuilds the text for the current size and content.
func (p *detailPage) layout() {
	if p.w <= 0 {
		return
	}
	st := p.d.styles
	width := max(1, min(p.w-detailMargin, maxColumn))
	var lines []string
	for _, l := range wrap(oneLine(p.title), width) {
		lines = append(lines, st.Heading().Render(l))
	}
	lines = append(lines, "")
	fs := p.fields()
	labelW := 0
	for _, f := range fs {
		labelW = max(labelW, ansi.StringWidth(f.label))
	}
	valueW := width - labelW - 2
	if valueW < 12 { // too narrow for two columns: labels above values
		labelW, valueW = 0, width
	}
	for _, f := range fs {
		label := st.Label().Render(f.label)
		if labelW == 0 {
			lines = append(lines, label)
		}
		for i, l := range wrap(f.value, valueW) {
			prefix := ""
			if labelW > 0 {
				prefix = strings.Repeat(" ", labelW+2)
				if i == 0 {
					prefix = label + strings.Repeat(" ", labelW+2-ansi.StringWidth(f.label))
				}
			}
			lines = append(lines, prefix+st.Value().Render(l))
		}
	}
	margin := strings.Repeat(" ", detailMargin)
	for i, l := range lines {
		if l != "" {
			lines[i] = margin + l
		}
	}
	p.lines = lines
	y := p.pos.YOffset()
	p.pos.SetTotal(len(lines))
	p.pos.SetYOffset(y)
}

func (p *detailPage) SetSize(w, h int) {
	widthChanged := w != p.w
	p.w, p.h = w, h
	p.pos.SetHeight(h)
	if widthChanged {
		p.layout()
	}
}

func (p *detailPage) Update(msg tea.Msg) tea.Cmd {
	if scroll(&p.pos, msg, p.d.keys) {
		return nil
	}
	if msg, ok := msg.(tea.KeyPressMsg); ok && key.Matches(msg, p.d.keys.OpenPost) && p.post != nil {
		return send(openPostMsg{post: p.post})
	}
	return nil
}

func (p *detailPage) View() string {
	return fitBlock(strings.Join(p.pos.visible(p.lines), "\n"), p.w, p.h)
}
func (p *detailPage) back() bool         { return false }
func (p *detailPage) inputFocused() bool { return false }

func (p *detailPage) ShortHelp() []key.Binding {
	k := p.d.keys
	kb := []key.Binding{k.Scroll}
	if p.post != nil {
		kb = append(kb, k.OpenPost)
	}
	return kb
}

func (p *detailPage) FullHelp() [][]key.Binding {
	k := p.d.keys
	cols := [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
	if p.post != nil {
		cols = append(cols, []key.Binding{k.OpenPost})
	}
	return cols
}
