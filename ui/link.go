package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Link is where a session starts, as a direct link names it: `ssh -t HOST
// SLUG` opens a post, `ssh -t HOST books` a section, `ssh -t HOST search
// QUERY` the search over the whole blog. The zero Link is the post list.
type Link struct {
	// View is a section ("posts", "books", "papers", "tags", "pages") or
	// "search"; "" for Slug or the post list.
	View string
	// Slug is a post or page to open in the reader.
	Slug string
	// Query is what View "search" searches for.
	Query string
	// Closest is the slug nearest to an unknown Slug, named in the notice
	// the list opens with; "" for none close. The server works it out with
	// the commands' suggestion, so both say the same.
	Closest string
}

// linkViews are the views a Link names, by the word that names them.
var linkViews = map[string]section{
	"posts": sectionPosts, "books": sectionBooks, "papers": sectionPapers,
	"tags": sectionTags, "pages": sectionPages,
}

// viewSearch is the View of a Link to the search over the whole blog.
const viewSearch = "search"

// ParseLink reads a session's command words as a direct link. It reports
// false for anything else: more than one word (but "search QUERY..."), or
// a word starting with "-" (a flag: a command's). A single word that names
// no view is a slug; whether it is one is the UI's to find out.
func ParseLink(args []string) (Link, bool) {
	if len(args) == 0 {
		return Link{}, true
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") || strings.ContainsAny(a, "\x00\n") {
			return Link{}, false
		}
	}
	name := args[0]
	if name == viewSearch {
		return Link{View: viewSearch, Query: strings.Join(args[1:], " ")}, true
	}
	if len(args) > 1 || name == "" {
		return Link{}, false
	}
	if _, ok := linkViews[name]; ok {
		return Link{View: name}, true
	}
	return Link{Slug: name}, true
}

// IsView reports whether name is a view a Link names (a section, or
// search), rather than a slug.
func IsView(name string) bool {
	_, ok := linkViews[name]
	return ok || name == viewSearch
}

// follow opens what l names, on top of the section it belongs to, so that
// esc and q go back as if the reader had got there by the keys. It returns
// the command the view starts with.
func (m *Model) follow(l Link) tea.Cmd {
	switch {
	case l.View == viewSearch:
		return m.openSearch(l.Query)
	case l.View != "":
		if s, ok := linkViews[l.View]; ok {
			m.switchTo(s)
		}
	case l.Slug != "":
		if p, ok := m.snap.Post(l.Slug); ok {
			if pp, ok := m.top().(*postsPage); ok {
				pp.selectSlug(p.Slug) // where the reader would have opened it
			}
			m.openPost(p, false)
			return nil
		}
		if p, ok := m.snap.Page(l.Slug); ok {
			m.switchTo(sectionPages)
			m.openPost(p, true)
			return nil
		}
		notice := fmt.Sprintf(m.d.msgs.noSuchPost, oneLine(l.Slug))
		if l.Closest != "" {
			notice = fmt.Sprintf(m.d.msgs.noSuchPostClosest, oneLine(l.Slug), oneLine(l.Closest))
			if pp, ok := m.top().(*postsPage); ok {
				pp.selectSlug(l.Closest)
			}
		}
		return m.setNotice(notice, linkNoticeLifetime)
	}
	return nil
}

// linkNoticeLifetime is how long the notice about an unknown slug stays.
const linkNoticeLifetime = 10 * time.Second

// setNotice shows a passing notice for d.
func (m *Model) setNotice(text string, d time.Duration) tea.Cmd {
	m.notice = text
	m.noticeID++
	id := m.noticeID
	return tea.Tick(d, func(time.Time) tea.Msg { return noticeExpiredMsg{id: id} })
}
