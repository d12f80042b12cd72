package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/sshblog/sshblog/content/render"
)

// Styles is every style the UI uses, built from one theme and passed down to
// all components by pointer.
type Styles struct {
	SiteTitle lipgloss.Style // the blog's title in the header
	Tab       lipgloss.Style
	ActiveTab lipgloss.Style
	Rule      lipgloss.Style // the line under the header

	Cursor     lipgloss.Style // the bar before the selected row
	ItemTitle  lipgloss.Style
	ItemActive lipgloss.Style // title of the selected row
	Meta       lipgloss.Style // dates, counts, authors
	Faint      lipgloss.Style // descriptions, status lines
	Star       lipgloss.Style // featured and recommended marks
	Heading    lipgloss.Style // list titles such as "Posts tagged x"

	Label lipgloss.Style // field names in details
	Value lipgloss.Style

	PostTitle lipgloss.Style // reader header
	Notice    lipgloss.Style // "1 new post"
	Warning   lipgloss.Style // "this post changed"
	Error     lipgloss.Style

	Match        lipgloss.Style // search hits in the reader
	CurrentMatch lipgloss.Style

	Help  help.Styles
	Input textinput.Styles
}

// newStyles builds the styles for a theme. render.Plain gives styles with no
// colour at all: only bold, faint, underline and reverse video, which NO_COLOR
// allows, so the current row and search hits stay visible.
func newStyles(theme render.Theme) *Styles {
	s := lipgloss.NewStyle
	if theme == render.Plain {
		in := textinput.DefaultStyles(true)
		plainInput := textinput.StyleState{Text: s(), Placeholder: s().Faint(true), Suggestion: s().Faint(true), Prompt: s().Bold(true)}
		in.Focused, in.Blurred = plainInput, plainInput
		in.Cursor.Color = nil
		in.Cursor.Blink = false
		return &Styles{
			SiteTitle:    s().Bold(true),
			Tab:          s().Padding(0, 1),
			ActiveTab:    s().Padding(0, 1).Reverse(true).Bold(true),
			Rule:         s(),
			Cursor:       s().Bold(true),
			ItemTitle:    s(),
			ItemActive:   s().Bold(true),
			Meta:         s(),
			Faint:        s().Faint(true),
			Star:         s(),
			Heading:      s().Bold(true),
			Label:        s().Bold(true),
			Value:        s(),
			PostTitle:    s().Bold(true),
			Notice:       s().Bold(true),
			Warning:      s().Bold(true).Underline(true),
			Error:        s().Bold(true),
			Match:        s().Reverse(true),
			CurrentMatch: s().Reverse(true).Bold(true).Underline(true),
			Help: help.Styles{
				Ellipsis: s(), ShortKey: s().Bold(true), ShortDesc: s(), ShortSeparator: s(),
				FullKey: s().Bold(true), FullDesc: s(), FullSeparator: s(),
			},
			Input: in,
		}
	}

	dark := theme != render.Light
	ld := lipgloss.LightDark(dark)
	hex := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	accent := hex("#1F5FBF", "#8FB8FF")
	text := hex("#1A1A1A", "#E6E6E6")
	meta := hex("#5A5A5A", "#A8A8A8")
	faint := hex("#767676", "#7A7A7A")
	star := hex("#B07800", "#F5C542")
	warn := hex("#A04000", "#FFB86C")
	bad := hex("#B00020", "#FF6B6B")
	ruleC := hex("#D0D0D0", "#3A3A3A")
	black := lipgloss.Color("#000000")

	in := textinput.DefaultStyles(dark)
	in.Focused.Prompt = s().Foreground(accent).Bold(true)
	in.Focused.Text = s().Foreground(text)
	in.Cursor.Color = accent
	in.Cursor.Blink = false // a blinking cursor means a redraw per session every half second

	return &Styles{
		SiteTitle:    s().Foreground(accent).Bold(true),
		Tab:          s().Padding(0, 1).Foreground(meta),
		ActiveTab:    s().Padding(0, 1).Foreground(hex("#FFFFFF", "#101010")).Background(accent).Bold(true),
		Rule:         s().Foreground(ruleC),
		Cursor:       s().Foreground(accent),
		ItemTitle:    s().Foreground(text),
		ItemActive:   s().Foreground(accent).Bold(true),
		Meta:         s().Foreground(meta),
		Faint:        s().Foreground(faint),
		Star:         s().Foreground(star),
		Heading:      s().Foreground(accent).Bold(true),
		Label:        s().Foreground(meta).Bold(true),
		Value:        s().Foreground(text),
		PostTitle:    s().Foreground(accent).Bold(true),
		Notice:       s().Foreground(accent).Bold(true),
		Warning:      s().Foreground(warn).Bold(true),
		Error:        s().Foreground(bad).Bold(true),
		Match:        s().Foreground(black).Background(lipgloss.Color("#FFE066")),
		CurrentMatch: s().Foreground(black).Background(lipgloss.Color("#FF9E3D")).Bold(true),
		Help:         help.DefaultStyles(dark),
		Input:        in,
	}
}
