package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/theme"
)

// Outliner is what the outline needs from a Renderer that has it (content/
// render's does): the headings and footnotes of a post, each with the line
// it starts on in Render's output for the same width and theme. With a
// Renderer without it, the outline finds Markdown headings ("## ...") in
// the lines shown, outside code fences.
type Outliner interface {
	Outline(s *content.Snapshot, p *content.Post, width int, th theme.Theme) ([]content.Heading, error)
}

// outlineMsg carries a post's outline back to the reader that asked.
type outlineMsg struct {
	to      *reader
	key     renderKey // the rendering the lines are of
	entries []content.Heading
}

// outlineJumpMsg asks the root to close the outline and show line of the
// rendering key in the reader.
type outlineJumpMsg struct {
	key      renderKey
	line, of int // of: the rendering's lines
}

// outlineCmd works out the outline of the rendering shown, off the update
// loop.
func (r *reader) outlineCmd() tea.Cmd {
	k, t := r.have, r.text
	if k.post == nil || t == nil {
		return nil
	}
	o, ok := r.renderer.(Outliner)
	if r.err != nil {
		ok = false // the lines are the Markdown source
	}
	source := r.source
	return func() tea.Msg {
		// Worked out once per rendering, for every session reading it
		// (the text is shared through the Cache): 4-7 ms of CPU for a
		// post of 60 headings (BenchmarkOutline in content/render).
		t.outOnce.Do(func() {
			found := false
			if ok {
				t.outline, found = outlineOf(o, source, k)
			}
			if !found {
				t.outline = markdownOutline(t.lines)
			}
		})
		return outlineMsg{to: r, key: k, entries: t.outline}
	}
}

// outlineOf asks o for the outline of rendering k; ok is false when it
// fails.
func outlineOf(o Outliner, s *content.Snapshot, k renderKey) (entries []content.Heading, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			entries, ok = nil, false
		}
	}()
	entries, err := o.Outline(s, k.post, k.width, k.theme)
	return entries, err == nil
}

// markdownOutline finds ATX headings in lines of Markdown (the source
// shown when there is no rendering), outside fenced code.
func markdownOutline(lines []string) []content.Heading {
	var out []content.Heading
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(ansi.Strip(l))
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		level := len(t) - len(strings.TrimLeft(t, "#"))
		if level < 1 || level > 6 || len(t) == level || t[level] != ' ' {
			continue
		}
		if text := strings.TrimSpace(strings.TrimRight(t[level:], "#")); text != "" {
			out = append(out, content.Heading{Level: level, Text: text, Line: i})
		}
	}
	return out
}

// jumpTo shows line of the rendering k at the top, or where it has moved
// to when the reader has re-rendered since (by its share of the lines).
func (r *reader) jumpTo(k renderKey, line, of int) {
	if k != r.have && of > 0 {
		line = line * len(r.lines) / of
	}
	r.pos.SetYOffset(line)
}

// outlineRows shows the entries of an outline, one a line, indented by
// level; footnotes after the headings.
type outlineRows struct {
	d       *deps
	entries []content.Heading
	top     int // the shallowest heading level, shown unindented
}

func (o outlineRows) Len() int        { return len(o.entries) }
func (o outlineRows) ID(i int) string { return fmt.Sprint(i) }

func (o outlineRows) Match(i int, terms []string) bool {
	return matchesAll(terms, []string{o.entries[i].Text})
}

func (o outlineRows) Row(i, width int, selected bool) string {
	st, e := o.d.styles, o.entries[i]
	style := st.ItemTitle()
	if selected {
		style = st.ItemActive()
	}
	if e.Footnote > 0 {
		label := st.Meta().Render(fmt.Sprintf(o.d.msgs.footnote, e.Footnote)) + "  "
		return label + style.Render(truncate(oneLine(e.Text), width-ansi.StringWidth(label)))
	}
	indent := strings.Repeat("  ", max(0, e.Level-o.top))
	return indent + style.Render(truncate(oneLine(e.Text), width-len(indent)))
}

// outlinePage lists a post's headings and footnotes; enter shows one in
// the reader under it.
type outlinePage struct {
	d     *deps
	title string
	key   renderKey
	lines int // of the rendering key
	list  itemList
	w, h  int
}

// newOutlinePage shows entries of the rendering k, of n lines, of the post
// titled title, with the last entry at or above line y selected.
func newOutlinePage(d *deps, title string, k renderKey, n int, entries []content.Heading, y int) *outlinePage {
	rows := outlineRows{d: d, entries: entries, top: 6}
	for _, e := range entries {
		if e.Footnote == 0 {
			rows.top = min(rows.top, e.Level)
		}
	}
	p := &outlinePage{d: d, title: title, key: k, lines: n}
	p.list = newItemList(d, rows, 1, 0, d.msgs.noHeadings)
	for i, e := range entries {
		if e.Line <= y {
			p.list.cursor = i
		}
	}
	return p
}

func (p *outlinePage) SetSize(w, h int) {
	p.w, p.h = w, h
	p.list.SetSize(w, max(1, h-2))
}

func (p *outlinePage) Update(msg tea.Msg) tea.Cmd {
	return p.list.Update(msg, func(i int) tea.Cmd {
		e := p.list.src.(outlineRows).entries[i]
		return send(outlineJumpMsg{key: p.key, line: e.Line, of: p.lines})
	})
}

func (p *outlinePage) View() string {
	head := p.d.styles.Heading().Render(truncate(fmt.Sprintf(p.d.msgs.outline, oneLine(p.title)), p.w))
	return fitBlock(head+"\n\n"+p.list.View(), p.w, p.h)
}

func (p *outlinePage) back() bool                { return p.list.back() }
func (p *outlinePage) inputFocused() bool        { return p.list.filtering() }
func (p *outlinePage) refresh(*content.Snapshot) {}
func (p *outlinePage) ShortHelp() []key.Binding  { return p.list.shortHelp(p.d.keys.JumpTo) }
func (p *outlinePage) FullHelp() [][]key.Binding { return p.list.fullHelp(p.d.keys.JumpTo) }
