package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/sshblog/sshblog/content/theme"
)

// Styles is every style the UI uses, built from one theme and passed down to
// all components by pointer. It holds the theme's palette and hands out
// lipgloss styles from it: a lipgloss.Style is 648 bytes, and keeping the
// thirty-odd finished styles in every session would cost more memory than
// the rest of the session's UI together (the server holds thousands).
// theme.Plain gives styles with no colour at all: only bold, faint,
// underline and reverse video, which NO_COLOR allows, so the current row and
// search hits stay visible.
type Styles struct {
	plain bool
	dark  bool

	accent, onAccent, text, meta, faint, star, warn, bad, rule color.Color
}

// newStyles builds the styles for a theme.
func newStyles(th theme.Theme) *Styles {
	if th == theme.Plain {
		return &Styles{plain: true, dark: true}
	}
	dark := th != theme.Light
	ld := lipgloss.LightDark(dark)
	hex := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	return &Styles{
		dark:     dark,
		accent:   hex("#1F5FBF", "#8FB8FF"),
		onAccent: hex("#FFFFFF", "#101010"),
		text:     hex("#1A1A1A", "#E6E6E6"),
		meta:     hex("#5A5A5A", "#A8A8A8"),
		faint:    hex("#767676", "#7A7A7A"),
		star:     hex("#B07800", "#F5C542"),
		warn:     hex("#A04000", "#FFB86C"),
		bad:      hex("#B00020", "#FF6B6B"),
		rule:     hex("#D0D0D0", "#3A3A3A"),
	}
}

// fg is a style in colour c, or no colour in plain mode.
func (s *Styles) fg(c color.Color) lipgloss.Style {
	if s.plain {
		return lipgloss.NewStyle()
	}
	return lipgloss.NewStyle().Foreground(c)
}

// SiteTitle is the blog's title in the header.
func (s *Styles) SiteTitle() lipgloss.Style { return s.fg(s.accent).Bold(true) }

// Tab is a section tab in the header.
func (s *Styles) Tab() lipgloss.Style { return s.fg(s.meta).Padding(0, 1) }

// ActiveTab is the tab of the section shown.
func (s *Styles) ActiveTab() lipgloss.Style {
	if s.plain {
		return lipgloss.NewStyle().Padding(0, 1).Reverse(true).Bold(true)
	}
	return s.fg(s.onAccent).Background(s.accent).Bold(true).Padding(0, 1)
}

// Rule is the line under the header and the reader's title.
func (s *Styles) Rule() lipgloss.Style { return s.fg(s.rule) }

// Cursor is the bar before the selected row.
func (s *Styles) Cursor() lipgloss.Style { return s.fg(s.accent).Bold(s.plain) }

// ItemTitle is the title of a row.
func (s *Styles) ItemTitle() lipgloss.Style { return s.fg(s.text) }

// ItemActive is the title of the selected row.
func (s *Styles) ItemActive() lipgloss.Style { return s.fg(s.accent).Bold(true) }

// Meta is for dates, counts and authors.
func (s *Styles) Meta() lipgloss.Style { return s.fg(s.meta) }

// Faint is for descriptions and status lines.
func (s *Styles) Faint() lipgloss.Style {
	if s.plain {
		return lipgloss.NewStyle().Faint(true)
	}
	return s.fg(s.faint)
}

// Star marks featured posts and recommended books and papers.
func (s *Styles) Star() lipgloss.Style { return s.fg(s.star) }

// Heading is a page's title, such as "Posts tagged x".
func (s *Styles) Heading() lipgloss.Style { return s.fg(s.accent).Bold(true) }

// Label is a field name in the details of a book or paper.
func (s *Styles) Label() lipgloss.Style { return s.fg(s.meta).Bold(true) }

// Value is a field value in the details.
func (s *Styles) Value() lipgloss.Style { return s.fg(s.text) }

// PostTitle is the title in the reader's header.
func (s *Styles) PostTitle() lipgloss.Style { return s.fg(s.accent).Bold(true) }

// Subtitle is the line under the title in the reader's header.
func (s *Styles) Subtitle() lipgloss.Style { return s.fg(s.text) }

// Notice is a passing notice such as "1 new post".
func (s *Styles) Notice() lipgloss.Style { return s.fg(s.accent).Bold(true) }

// Warning is a lasting notice such as "this post changed".
func (s *Styles) Warning() lipgloss.Style { return s.fg(s.warn).Bold(true).Underline(s.plain) }

// Error reports a failure.
func (s *Styles) Error() lipgloss.Style { return s.fg(s.bad).Bold(true) }

// Match is a search hit in the reader.
func (s *Styles) Match() lipgloss.Style {
	if s.plain {
		return lipgloss.NewStyle().Reverse(true)
	}
	return lipgloss.NewStyle().Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FFE066"))
}

// CurrentMatch is the search hit n and N move to.
func (s *Styles) CurrentMatch() lipgloss.Style {
	if s.plain {
		return lipgloss.NewStyle().Reverse(true).Bold(true).Underline(true)
	}
	return lipgloss.NewStyle().Foreground(lipgloss.Color("#000000")).Background(lipgloss.Color("#FF9E3D")).Bold(true)
}

// Help styles the key help.
func (s *Styles) Help() help.Styles {
	if s.plain {
		n, b := lipgloss.NewStyle(), lipgloss.NewStyle().Bold(true)
		return help.Styles{Ellipsis: n, ShortKey: b, ShortDesc: n, ShortSeparator: n, FullKey: b, FullDesc: n, FullSeparator: n}
	}
	return help.DefaultStyles(s.dark)
}

// Input styles the filter and search inputs. The cursor never blinks: a
// blinking cursor is a redraw per session every half second.
func (s *Styles) Input() textinput.Styles {
	in := textinput.DefaultStyles(s.dark)
	if s.plain {
		n := lipgloss.NewStyle()
		st := textinput.StyleState{Text: n, Placeholder: n.Faint(true), Suggestion: n.Faint(true), Prompt: n.Bold(true)}
		in.Focused, in.Blurred = st, st
		in.Cursor.Color = nil
	} else {
		in.Focused.Prompt = s.fg(s.accent).Bold(true)
		in.Focused.Text = s.fg(s.text)
		in.Cursor.Color = s.accent
	}
	in.Cursor.Blink = false
	return in
}
