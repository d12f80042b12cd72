// Package render turns a post's Markdown into terminal text: Jekyll markup
// resolved, Glamour styling for a dark, light or plain theme, and line
// breaking that is correct for CJK text. Output is cached across sessions.
package render

import (
	"github.com/sshblog/sshblog/content"
)

// Theme selects the styling of rendered output.
type Theme string

// Themes.
const (
	Dark  Theme = "dark"  // coloured for a dark background (the default)
	Light Theme = "light" // coloured for a light background
	Plain Theme = "plain" // no colour or escape sequences at all (NO_COLOR, TERM=dumb)
)

// Renderer renders posts and caches the results. It is safe for concurrent
// use: it never shares a Glamour renderer between goroutines.
type Renderer struct {
	// TODO(render helper): bounded cache, glamour renderers.
}

// New returns a renderer whose cache holds at most cacheBytes of output.
func New(cacheBytes int) *Renderer {
	return &Renderer{}
}

// Render returns p's body rendered for a column width cells wide: no line is
// wider than width. site resolves Jekyll's {{ site.url }}.
func (r *Renderer) Render(site content.Site, p *content.Post, width int, theme Theme) (string, error) {
	return p.Body, nil
}
