package render

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"charm.land/glamour/v2/ansi"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/theme"
)

// Outline returns the headings and footnotes of p's body, in order, each
// with the line it starts on in Render(s, p, width, th)'s output (which it
// renders, or takes from the cache). It parses the body again for the
// headings' texts, then finds each in the output after the one before, by
// the prefix the theme gives its level ("## ") and its text, so that a
// table of contents or a code line reading like a heading is never taken
// for it. An entry not found is left out.
func (r *Renderer) Outline(s *content.Snapshot, p *content.Post, width int, th theme.Theme) ([]content.Heading, error) {
	if p == nil {
		return nil, errors.New("outline: no post")
	}
	if th == "" {
		th = theme.Dark
	}
	out, err := r.Render(s, p, width, th)
	if err != nil {
		return nil, err
	}
	body, _ := s.Body(p)
	body = dropKramdownComments(clean(body))
	d := &doc{src: []byte(body), root: rootOf(s.Site()), isLoc: r.localImages(s), refNum: make(map[string]int)}
	tree := parse(r.parser, d.src)
	d.transform(tree)

	var want []content.Heading
	_ = ast.Walk(tree, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			want = append(want, content.Heading{Level: h.Level, Text: oneLineText(d.plainText(h))})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if d.notes != nil {
		i := d.notes.Start
		for c := d.notes.FirstChild(); c != nil; c = c.NextSibling() {
			want = append(want, content.Heading{Footnote: i, Text: oneLineText(d.plainText(c))})
			i++
		}
	}
	narrow := max(width, linebreak.MinWidth) < wideFrom
	style := r.styles[styleKey{th, narrow}]
	indent := margin // where a top-level block starts
	if narrow {
		indent = 0
	}
	lines := strings.Split(out, "\n")
	var found []content.Heading
	from := 0
	for _, h := range want {
		lead, prefix := 0, strconv.Itoa(h.Footnote)+"."
		if h.Footnote == 0 {
			lead, prefix = headingPrefix(style, h.Level)
		}
		for i := from; i < len(lines); i++ {
			if startsEntry(lines[i], indent+lead, prefix, h.Text) {
				h.Line = i
				found = append(found, h)
				from = i + 1
				break
			}
		}
	}
	return found, nil
}

// headingPrefix is what the style prints before a heading of level,
// without markers: the blanks it starts with, and the rest without blanks
// ("##" for level 2 in every theme; dark's level 1 is " ", a badge).
func headingPrefix(c ansi.StyleConfig, level int) (lead int, prefix string) {
	blocks := [...]*ansi.StyleBlock{&c.H1, &c.H1, &c.H2, &c.H3, &c.H4, &c.H5, &c.H6}
	p := strings.Map(func(r rune) rune {
		if linebreak.IsMarker(r) {
			return -1
		}
		return r
	}, blocks[min(max(level, 1), 6)].Prefix)
	t := strings.TrimLeft(p, " ")
	return len(p) - len(t), strings.TrimSpace(t)
}

// startsEntry reports whether line, an output line, starts a top-level
// block (indent blanks: code, quotes and lists are indented further) with
// prefix and then text, or the start of text (a long heading breaks over
// lines), white space aside.
func startsEntry(line string, indent int, prefix, text string) bool {
	l := xansi.Strip(line)
	if len(l) <= indent || strings.TrimLeft(l[:indent], " ") != "" || l[indent] == ' ' {
		return false
	}
	l = l[indent:]
	if !strings.HasPrefix(l, prefix) {
		return false
	}
	l, t := squeeze(l[len(prefix):]), squeeze(text)
	if l == "" || t == "" {
		return l == t && prefix != ""
	}
	return strings.HasPrefix(t, l) || strings.HasPrefix(l, t)
}

// squeeze removes every white space character.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// oneLineText folds runs of white space into one space.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }
