// Package ui is the reader's terminal interface: a Bubble Tea model that
// browses a blog's posts, books, papers and tags and reads posts. It owns the
// screens, keys, styles and UI strings; content comes in as an immutable
// content.Snapshot and rendered Markdown through a Renderer. ui never touches
// the network or the disk, and keeps no package-level mutable state: one
// Model per SSH session.
package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/theme"
)

// Renderer is what the UI needs from content/render.
type Renderer interface {
	// Render returns p's body, read in snapshot s, rendered for a column
	// width cells wide.
	Render(s *content.Snapshot, p *content.Post, width int, th theme.Theme) (string, error)
}

// Options configure a new Model.
type Options struct {
	Snapshot      *content.Snapshot
	Renderer      Renderer
	Plain         bool // NO_COLOR set or TERM=dumb: no colour at all
	Width, Height int  // initial window size if known (may be 0)
	// BackgroundAsked says that the caller has asked the terminal for its
	// background colour itself (the server's painter does, with the first
	// frame), so Init does not ask again. The answer comes to Update as a
	// tea.BackgroundColorMsg either way.
	BackgroundAsked bool
	// Searcher searches the whole blog (the s key, and Link "search");
	// nil looks for the query in titles and bodies.
	Searcher Searcher
	// Link is what the session opens on (a direct link); the zero Link is
	// the post list.
	Link Link
	// Cache holds what the UI works out from the posts; a server passes
	// one to every session, so that it is worked out once. nil gives the
	// Model its own.
	Cache *Cache
}

// SnapshotMsg tells the UI that a new snapshot of the blog was published.
// The server sends it with Program.Send.
type SnapshotMsg struct{ Snapshot *content.Snapshot }

// noticeExpiredMsg ends the notice with the same id.
type noticeExpiredMsg struct{ id int }

const (
	// minWidth and minHeight are the smallest usable terminal; smaller ones
	// get a request to enlarge it.
	minWidth, minHeight = 40, 12
	// maxDim and maxCells bound the size the UI lays out, as Bubble Tea
	// bounds the sizes it accepts, so a bogus size cannot allocate gigabytes.
	maxDim, maxCells = 4096, 1 << 20
	// noticeLifetime is how long "1 new post" stays.
	noticeLifetime = 4 * time.Second
)

// Model is the root of the UI. It implements tea.Model: it routes messages to
// the page on top of the active section's stack and lays out the header
// (site title and section tabs), the page, and the footer (notice and help).
type Model struct {
	d        deps
	snap     *content.Snapshot
	renderer Renderer
	searcher Searcher
	start    tea.Cmd // what following Options.Link started, run by Init
	plain    bool
	asked    bool // the terminal was asked for its background colour by the caller
	theme    theme.Theme
	lang     string

	width, height int
	active        section
	stacks        [sectionCount][]page // built on first visit
	reader        *reader              // the open reader, on top of one stack; nil if none

	showHelp bool // full help instead of the one-line help
	notice   string
	noticeID int

	// header and footer are the next frame's, built by layout after every
	// message that changes the model (to size the page) and drawn by
	// screen, which then lets them go: the frame holds them.
	header, footer string

	// frame is the screen View drew last, reused while frameOK. Bubble Tea
	// asks for a view after every message, and most messages at the start
	// of a session (the size again, colour profile, environment) change
	// nothing: drawing the screen for each was most of the UI's cost per
	// session. Every message Update handles clears frameOK.
	frame   string
	frameOK bool
}

// New returns the UI for opts.Snapshot.
func New(opts Options) *Model {
	s := opts.Snapshot
	if s == nil {
		s = content.NewSnapshot(content.Site{}, nil, nil, nil, nil, "")
	}
	r := opts.Renderer
	if r == nil {
		r = sourceRenderer{}
	}
	th := theme.Dark
	if opts.Plain {
		th = theme.Plain
	}
	m := &Model{snap: s, renderer: r, plain: opts.Plain, asked: opts.BackgroundAsked, theme: th, lang: s.Site().Language}
	m.d.msgs, m.d.keys = messagesFor(m.lang)
	m.d.styles = newStyles(th)
	m.d.cache = opts.Cache
	if m.d.cache == nil {
		m.d.cache = NewCache()
	}
	m.searcher = opts.Searcher
	m.ensureSection(sectionPosts)
	m.resize(opts.Width, opts.Height)
	follow := m.follow(opts.Link)
	// The post a link opens renders from the start: the window size that
	// would start it comes as the one the Model already has.
	m.start = tea.Batch(follow, m.layout())
	return m
}

// sourceRenderer shows the Markdown source; used when no Renderer is given.
type sourceRenderer struct{}

func (sourceRenderer) Render(_ *content.Snapshot, p *content.Post, _ int, _ theme.Theme) (string, error) {
	return p.Markdown(), nil
}

// Init asks the terminal for its background colour, to pick a dark or light
// theme, unless Options.BackgroundAsked; until it answers, the theme is dark.
func (m *Model) Init() tea.Cmd {
	start := m.start
	m.start = nil
	if m.plain || m.asked {
		return start
	}
	return tea.Batch(tea.RequestBackgroundColor, start)
}

// Update handles a message and returns the next command.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w, h := m.width, m.height
		m.resize(msg.Width, msg.Height)
		if m.width == w && m.height == h {
			return m, nil // the size it has: it comes twice at start
		}
	case tea.BackgroundColorMsg:
		m.setBackground(msg.IsDark())
	case SnapshotMsg:
		cmd = m.publish(msg.Snapshot)
	case noticeExpiredMsg:
		if msg.id == m.noticeID {
			m.notice = ""
		}
	case tea.KeyPressMsg:
		cmd = m.handleKey(msg)
	case tea.MouseWheelMsg:
		if !m.tooSmall() {
			cmd = m.top().Update(msg)
		}
	case openPostMsg:
		m.openPost(msg.post, msg.isPage)
	case openBookMsg:
		m.push(newBookPage(&m.d, m.snap, msg.book))
	case openPaperMsg:
		m.push(newPaperPage(&m.d, m.snap, msg.paper))
	case openTagMsg:
		m.push(newPostsPage(&m.d, m.snap, msg.tag))
	case renderedMsg:
		if msg.to == m.reader && m.reader != nil { // else the reader was closed
			cmd = m.reader.rendered(msg)
		}
	case searchedMsg:
		if msg.to == m.reader && m.reader != nil {
			m.reader.searched(msg)
		}
	case searchTickMsg:
		if m.top() == page(msg.to) {
			cmd = msg.to.tick(msg)
		}
	case searchHitsMsg:
		msg.to.found(msg) // also under a post opened from it: back shows them
	case closePageMsg:
		if m.top() == msg.p {
			m.pop()
		}
	case openHitMsg:
		m.openHit(msg.hit, msg.find)
	case outlineMsg:
		if r := m.reader; msg.to == r && r != nil && m.top() == page(r) {
			m.push(newOutlinePage(&m.d, r.post.Title, msg.key, len(r.lines), msg.entries, r.pos.YOffset()))
		}
	case outlineJumpMsg:
		if _, ok := m.top().(*outlinePage); ok {
			m.pop()
		}
		if r := m.reader; r != nil && m.top() == page(r) {
			r.jumpTo(msg.key, msg.line, msg.of)
		}
	default:
		// Pastes and the text inputs' own messages. With no input focused
		// nothing uses them (nor the colour profile, environment, ...):
		// the screen stays as it is.
		p := m.top()
		if !p.inputFocused() {
			return m, nil
		}
		cmd = p.Update(msg)
	}
	m.frameOK = false
	return m, tea.Batch(cmd, m.layout())
}

// resize records the window size, bounded.
func (m *Model) resize(w, h int) {
	w, h = max(0, min(w, maxDim)), max(0, min(h, maxDim))
	if w*h > maxCells {
		h = maxCells / w
	}
	m.width, m.height = w, h
}

func (m *Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// setBackground picks the theme for the terminal's background colour.
func (m *Model) setBackground(dark bool) {
	if m.plain {
		return
	}
	th := theme.Light
	if dark {
		th = theme.Dark
	}
	if th == m.theme {
		return
	}
	m.theme = th
	m.d.styles = newStyles(th)
	if m.reader != nil {
		m.reader.setTheme(th)
	}
}

// publish shows a new snapshot: every page refreshes in place, and a notice
// says what changed.
func (m *Model) publish(s *content.Snapshot) tea.Cmd {
	if s == nil || s == m.snap {
		return nil
	}
	old := m.snap
	m.snap = s
	if lang := s.Site().Language; lang != m.lang {
		m.lang = lang
		m.d.msgs, m.d.keys = messagesFor(lang)
	}
	for _, stack := range m.stacks {
		for _, p := range stack {
			p.refresh(s)
		}
	}
	added := 0
	for _, p := range s.Posts() {
		if _, ok := old.Post(p.Slug); !ok {
			added++
		}
	}
	m.notice = m.d.msgs.updated
	if added > 0 {
		m.notice = m.d.msgs.newPostsNotice(added)
	}
	m.noticeID++
	id := m.noticeID
	return tea.Tick(noticeLifetime, func(time.Time) tea.Msg { return noticeExpiredMsg{id: id} })
}

// handleKey routes a key press: ctrl+c always quits; a focused text input
// gets every other key; then the keys that work everywhere; then the page.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.d.keys
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	p := m.top()
	if p.inputFocused() {
		return p.Update(msg)
	}
	switch {
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
	case key.Matches(msg, k.NextSection):
		m.switchTo(m.nextSection(1))
	case key.Matches(msg, k.PrevSection):
		m.switchTo(m.nextSection(-1))
	case key.Matches(msg, k.Quit):
		if !m.pop() {
			return tea.Quit
		}
	case key.Matches(msg, k.Back):
		if !p.back() {
			m.pop()
		}
	case key.Matches(msg, k.SearchAll) && !m.tooSmall():
		return m.openSearch("")
	default:
		for i, b := range k.Section {
			if key.Matches(msg, b) && m.shown(section(i)) {
				m.switchTo(section(i))
				return nil
			}
		}
		if m.tooSmall() {
			return nil
		}
		return p.Update(msg)
	}
	return nil
}

// ensureSection builds a section's first page on its first visit.
func (m *Model) ensureSection(s section) {
	if len(m.stacks[s]) > 0 {
		return
	}
	var p page
	switch s {
	case sectionBooks:
		p = newBooksPage(&m.d, m.snap)
	case sectionPapers:
		p = newPapersPage(&m.d, m.snap)
	case sectionTags:
		p = newTagsPage(&m.d, m.snap)
	case sectionPages:
		p = newPagesPage(&m.d, m.snap)
	default:
		p = newPostsPage(&m.d, m.snap, "")
	}
	m.stacks[s] = []page{p}
}

// shown reports whether section s has a tab: the pages only when the blog
// has some (or they are on screen), as most blogs have none.
func (m *Model) shown(s section) bool {
	return s != sectionPages || m.active == sectionPages || len(m.snap.Pages()) > 0
}

// nextSection is the section with a tab step tabs away from the active
// one, round the end.
func (m *Model) nextSection(step int) section {
	s := m.active
	for {
		s = (s + section(step) + sectionCount) % sectionCount
		if m.shown(s) {
			return s
		}
	}
}

func (m *Model) switchTo(s section) {
	m.active = s
	m.ensureSection(s)
}

// top is the page shown.
func (m *Model) top() page {
	stack := m.stacks[m.active]
	return stack[len(stack)-1]
}

func (m *Model) push(p page) {
	m.stacks[m.active] = append(m.stacks[m.active], p)
}

// pop leaves the page shown; it reports false at the top of a section.
func (m *Model) pop() bool {
	stack := m.stacks[m.active]
	if len(stack) <= 1 {
		return false
	}
	if stack[len(stack)-1] == page(m.reader) {
		m.reader = nil
	}
	stack[len(stack)-1] = nil
	m.stacks[m.active] = stack[:len(stack)-1]
	return true
}

// openPost opens p, a post or a page, in the reader on the active section.
// Only one reader exists per session: one left open in another section is
// closed.
func (m *Model) openPost(p *content.Post, isPage bool) {
	if p == nil {
		return
	}
	if m.reader != nil {
		for s, stack := range m.stacks {
			if n := len(stack); n > 1 && stack[n-1] == page(m.reader) {
				stack[n-1] = nil
				m.stacks[s] = stack[:n-1]
			}
		}
	}
	m.reader = newReader(&m.d, m.renderer, m.snap, p, isPage, m.theme)
	m.push(m.reader)
}

// openHit opens a hit of the search over the whole blog on the active
// section: a post or page in the reader, on the first place find is in it;
// a book's or paper's details.
func (m *Model) openHit(h SearchHit, find string) {
	switch h.Kind {
	case "book":
		for _, b := range m.snap.Books() {
			if b.Title == h.Title {
				m.push(newBookPage(&m.d, m.snap, b))
				return
			}
		}
	case "paper":
		for _, p := range m.snap.Papers() {
			if p.Title == h.Title {
				m.push(newPaperPage(&m.d, m.snap, p))
				return
			}
		}
	default:
		lookup, isPage := m.snap.Post, h.Kind == "page"
		if isPage {
			lookup = m.snap.Page
		}
		if p, ok := lookup(h.Slug); ok {
			m.openPost(p, isPage)
			m.reader.find(find)
		}
	}
}

// layout builds the header and footer, sizes the page shown to what they
// leave, and starts rendering the post when the reader needs it at its new
// size.
func (m *Model) layout() tea.Cmd {
	if m.tooSmall() {
		m.header, m.footer = "", ""
		return nil
	}
	m.header, m.footer = m.headerView(), m.footerView()
	p := m.top()
	p.SetSize(m.width, m.bodyHeight())
	if r, ok := p.(*reader); ok {
		return r.renderCmd()
	}
	return nil
}

// bodyHeight is what the header and footer leave to the page.
func (m *Model) bodyHeight() int {
	return max(1, m.height-lipgloss.Height(m.header)-lipgloss.Height(m.footer))
}

// View renders the screen; it reuses the last one while no message has
// changed the model since.
func (m *Model) View() tea.View {
	if !m.frameOK {
		m.frame, m.frameOK = m.screen(), true
	}
	v := tea.NewView(m.frame)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

func (m *Model) screen() string {
	switch {
	case m.width <= 0 || m.height <= 0:
		return ""
	case m.tooSmall():
		return m.enlargeView()
	}
	if m.header == "" { // no message since the last frame: never so from View
		m.header, m.footer = m.headerView(), m.footerView()
	}
	s := fitBlock(m.header+"\n"+fitBlock(m.top().View(), m.width, m.bodyHeight())+"\n"+m.footer, m.width, m.height)
	m.header, m.footer = "", ""
	return s
}

// enlargeView asks for a bigger terminal.
func (m *Model) enlargeView() string {
	text := fmt.Sprintf(m.d.msgs.enlarge, minWidth, minHeight, m.width, m.height)
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, wrap(para, m.width)...)
	}
	block := m.d.styles.Warning().Render(strings.Join(lines, "\n"))
	return fitBlock(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, block), m.width, m.height)
}

// headerView is the site title and the section tabs, over a rule.
func (m *Model) headerView() string {
	st := m.d.styles
	var tabs strings.Builder
	for i, label := range m.d.msgs.sections {
		if !m.shown(section(i)) {
			continue
		}
		style := st.Tab()
		if section(i) == m.active {
			style = st.ActiveTab()
		}
		tabs.WriteString(style.Render(label))
	}
	right := tabs.String()
	titleW := m.width - ansi.StringWidth(right) - 3
	line := right
	if title := oneLine(m.snap.Site().Title); title != "" && titleW >= 4 {
		left := " " + st.SiteTitle().Render(truncate(title, titleW))
		line = left + strings.Repeat(" ", max(1, m.width-ansi.StringWidth(left)-ansi.StringWidth(right))) + right
	} else {
		line = strings.Repeat(" ", max(0, m.width-ansi.StringWidth(right))) + right
	}
	return truncate(line, m.width) + "\n" + st.Rule().Render(strings.Repeat("─", m.width))
}

// footerView is the notice, if any, and the help for the page shown. The
// full help falls back to the short one when no layout of it would leave
// the page three lines.
func (m *Model) footerView() string {
	var lines []string
	if m.notice != "" {
		lines = append(lines, m.d.styles.Notice().Render(truncate(m.notice, m.width)))
	}
	// The help model is built per frame: it is 4.6 KB, and sessions idle.
	hm := help.New()
	hm.Styles = m.d.styles.Help()
	hm.SetWidth(m.width)
	keys := m.helpKeys()
	h := hm.ShortHelpView(keys.ShortHelp())
	if m.showHelp {
		if full, ok := fullHelpView(hm, keys.FullHelp(), m.width, m.height-2-len(lines)-3); ok {
			h = full
		}
	}
	lines = append(lines, h)
	return strings.Join(lines, "\n")
}
