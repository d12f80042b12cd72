package render

import (
	"fmt"

	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"

	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/theme"
)

// Glamour renders with word wrap off, so that every paragraph, list item and
// heading comes out as one line, and linebreak.Lines breaks those lines. What the
// wrapper cannot see in the text (where a code block starts and ends, where a
// list bullet ends, which prefix a block quote repeats) the style tells it
// through marker runes placed in prefixes and indent tokens. This is more
// robust than pre-wrapping the Markdown: the wrapper measures exactly what
// Glamour prints (link URLs appended after link text, code span padding,
// bullets), and Glamour's own line breaking never runs.

const (
	// margin is Glamour's document margin, kept on both sides of the text.
	margin = 2
	// wideFrom is the narrowest width that keeps the margins; narrower
	// columns need every cell for text.
	wideFrom = 24
)

// styleConfig returns the Glamour style for theme, with markers for the
// wrapper. narrow drops the document margin.
func styleConfig(th theme.Theme, narrow bool) (ansi.StyleConfig, error) {
	var c ansi.StyleConfig
	switch th {
	case theme.Dark:
		c = styles.DarkStyleConfig
	case theme.Light:
		c = styles.LightStyleConfig
		// Glamour registers its code colours in chroma's global registry
		// under one name ("charm"), first come first served, so dark and
		// light would share whichever rendered code first. Light uses a
		// built-in chroma theme instead.
		c.CodeBlock.Chroma = nil
		c.CodeBlock.Theme = "github"
	case theme.Plain:
		c = styles.NoTTYStyleConfig
		// Links read "text (url)" once the escape sequences are gone.
		c.Link.BlockPrefix = "("
		c.Link.BlockSuffix = ")"
	default:
		return ansi.StyleConfig{}, fmt.Errorf("unknown th %q", th)
	}
	if narrow {
		c.Document.Margin = uintPtr(0)
	} else {
		c.Document.Margin = uintPtr(margin)
	}

	// Every assignment below replaces a field of the copy; the pointers
	// shared with Glamour's package-level styles are never written through.
	hang := string(linebreak.Hang)
	c.CodeBlock.BlockPrefix += string(linebreak.PreStart)
	c.CodeBlock.BlockSuffix = string(linebreak.PreEnd) + c.CodeBlock.BlockSuffix
	c.Item.BlockPrefix += hang
	c.Enumeration.BlockPrefix += hang
	c.Task.Ticked += hang
	c.Task.Unticked += hang
	c.DefinitionDescription.BlockPrefix += hang
	for _, h := range []*ansi.StyleBlock{&c.H1, &c.H2, &c.H3, &c.H4, &c.H5, &c.H6} {
		h.Prefix += hang
	}
	token := " "
	if c.BlockQuote.IndentToken != nil {
		token = *c.BlockQuote.IndentToken
	}
	token += string(linebreak.Repeat)
	c.BlockQuote.IndentToken = &token
	return c, nil
}

func uintPtr(u uint) *uint { return &u }
