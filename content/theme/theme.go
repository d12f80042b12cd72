// Package theme names the colour themes a reader can choose: the renderer
// (content/render) styles posts with one, the UI (ui) its own chrome. It is a
// package of its own so that the UI can name a theme without importing the
// renderer, and with it Glamour and chroma.
package theme

// Theme selects the styling of rendered output.
type Theme string

// Themes.
const (
	Dark  Theme = "dark"  // coloured for a dark background (the default)
	Light Theme = "light" // coloured for a light background
	Plain Theme = "plain" // no colour or escape sequences at all (NO_COLOR, TERM=dumb)
)
