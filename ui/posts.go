package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
)

const dateLayout = "2006-01-02"

// postRows shows posts or pages, two lines each: a featured mark, the
// title, the subtitle where it fits, and the date; then the tags and the
// description (or the author's excerpt, or the first paragraph).
type postRows struct {
	d     *deps
	posts []*content.Post
	match *postMatcher // nil for pages: a short list, matched field by field
}

// newPostRows shows posts, all of s's or some of them in the same order.
func newPostRows(d *deps, s *content.Snapshot, posts []*content.Post) postRows {
	return postRows{d: d, posts: posts, match: &postMatcher{cache: d.cache, snap: s}}
}

// minSubtitle is the fewest cells a subtitle is cut to in a row; with less
// room it is left out.
const minSubtitle = 12

func (r postRows) Len() int        { return len(r.posts) }
func (r postRows) ID(i int) string { return r.posts[i].Slug }

func (r postRows) Match(i int, terms []string) bool {
	if r.match == nil {
		fields, lists := postFields(r.posts[i])
		return matchesAll(terms, fields[:], lists...)
	}
	return r.match.match(r.posts, i, terms)
}

func (r postRows) Row(i, width int, selected bool) string {
	st := r.d.styles
	p := r.posts[i]
	titleStyle := st.ItemTitle()
	if selected {
		titleStyle = st.ItemActive()
	}
	mark := "  "
	if p.Featured {
		mark = st.Star().Render("★") + " "
	}
	date := ""
	if !p.Date.IsZero() {
		date = st.Meta().Render(p.Date.Format(dateLayout))
	}
	left := mark + titleStyle.Render(oneLine(p.Title))
	if sub := oneLine(p.Subtitle); sub != "" {
		room := width - ansi.StringWidth(left) - 2
		if date != "" {
			room -= ansi.StringWidth(date) + 2
		}
		if w := ansi.StringWidth(sub); w <= room || room >= minSubtitle {
			left += "  " + st.Faint().Render(truncate(sub, room))
		}
	}
	line1 := alignRight(left, date, width)

	var parts []string
	if len(p.Tags) > 0 {
		parts = append(parts, "#"+strings.Join(p.Tags, " #"))
	}
	desc := p.Description
	if desc == "" {
		desc = p.Excerpt
	}
	if desc == "" {
		desc = p.Headline
	}
	if desc == "" {
		desc = p.Lead()
	}
	if desc != "" {
		parts = append(parts, desc)
	}
	line2 := "  " + st.Faint().Render(truncate(oneLine(strings.Join(parts, " · ")), width-2))
	return line1 + "\n" + line2
}

// postsPage lists every post, the posts with one tag, or the pages.
type postsPage struct {
	d     *deps
	tag   string // "" for every post
	pages bool   // the pages instead of posts
	list  itemList
	w, h  int
}

// newPostsPage returns the list of posts of s, or of those tagged tag.
func newPostsPage(d *deps, s *content.Snapshot, tag string) *postsPage {
	p := &postsPage{d: d, tag: tag}
	p.list = newItemList(d, p.rows(s), 2, 1, d.msgs.noPosts)
	return p
}

// newPagesPage returns the list of the pages of s (about, links, ...).
func newPagesPage(d *deps, s *content.Snapshot) *postsPage {
	p := &postsPage{d: d, pages: true}
	p.list = newItemList(d, p.rows(s), 2, 1, d.msgs.noPages)
	return p
}

func (p *postsPage) rows(s *content.Snapshot) postRows {
	if p.pages {
		return postRows{d: p.d, posts: s.Pages()}
	}
	return newPostRows(p.d, s, p.posts(s))
}

func (p *postsPage) posts(s *content.Snapshot) []*content.Post {
	if p.tag != "" {
		return s.PostsTagged(p.tag)
	}
	return s.Posts()
}

func (p *postsPage) refresh(s *content.Snapshot) {
	p.list.empty = p.d.msgs.noPosts
	if p.pages {
		p.list.empty = p.d.msgs.noPages
	}
	p.list.setSource(p.rows(s))
}

func (p *postsPage) headingLines() int {
	if p.tag != "" {
		return 2
	}
	return 0
}

func (p *postsPage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.list.SetSize(w, max(1, h-p.headingLines()))
}

func (p *postsPage) Update(msg tea.Msg) tea.Cmd {
	return p.list.Update(msg, func(i int) tea.Cmd {
		return send(openPostMsg{post: p.list.src.(postRows).posts[i], isPage: p.pages})
	})
}

func (p *postsPage) View() string {
	v := p.list.View()
	if p.tag != "" {
		n := p.list.src.Len()
		head := p.d.styles.Heading().Render(fmt.Sprintf(p.d.msgs.postsTagged, oneLine(p.tag))) +
			p.d.styles.Meta().Render(fmt.Sprintf(" (%d)", n))
		v = truncate(head, p.w) + "\n\n" + v
	}
	return fitBlock(v, p.w, p.h)
}

func (p *postsPage) back() bool         { return p.list.back() }
func (p *postsPage) inputFocused() bool { return p.list.filtering() }

func (p *postsPage) ShortHelp() []key.Binding  { return p.list.shortHelp(p.d.keys.Open) }
func (p *postsPage) FullHelp() [][]key.Binding { return p.list.fullHelp(p.d.keys.Open) }

// selectSlug selects the post with slug, if listed.
func (p *postsPage) selectSlug(slug string) {
	posts := p.list.src.(postRows).posts
	for i, q := range posts {
		if q.Slug == slug {
			p.list.cursor = i
			p.list.clampCursor()
			return
		}
	}
}
