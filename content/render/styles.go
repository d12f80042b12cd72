package render

import (
	"fmt"
	"strings"

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
		// Without a chroma theme Glamour prints code through its text
		// path, which takes "\\" for an escaped backslash. Chroma's
		// black and white theme prints code as written; the escape
		// sequences go with the others.
		c.CodeBlock.Theme = "bw"
		// Glamour's plain style writes bold and italic as Markdown
		// (**x**, *x*): markup a reader of plain text must read past.
		// Emphasis goes without a mark, as a book read aloud loses it.
		// Headings keep their "#" prefixes, the one heading mark that
		// survives any terminal, a copy and a screen reader: upper case
		// does not exist in Chinese or Japanese, and an underline would be
		// a second line the wrapper must keep to the heading's width.
		// Strikethrough keeps its "~~", which says the text was struck.
		c.Strong.BlockPrefix, c.Strong.BlockSuffix = "", ""
		c.Emph.BlockPrefix, c.Emph.BlockSuffix = "", ""
	default:
		return ansi.StyleConfig{}, fmt.Errorf("unknown theme %q", th)
	}
	if narrow {
		c.Document.Margin = uintPtr(0)
	} else {
		c.Document.Margin = uintPtr(margin)
	}

	// Every assignment below replaces a field of the copy; the pointers
	// shared with Glamour's package-level styles are never written through.
	// Glamour prints a link's URL after its text; the URL goes to the
	// references at the end instead (see dropHidden).
	c.Link.BlockPrefix = string(hideStart)
	c.Link.BlockSuffix = string(hideEnd)
	c.Link.Prefix, c.Link.Suffix, c.Link.Format = "", "", ""
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

// hideStart and hideEnd enclose what Glamour prints that the reader must not
// see (a link's URL after its text). They are noncharacters, so content
// cannot hold them (termsafe.String).
const (
	hideStart = '\uFDD6'
	hideEnd   = '\uFDD7'
)

// dropHidden removes the hidden parts of Glamour's output, each with the
// styled space Glamour puts before it and the style sequences around it:
// [SGR] " " [reset] [SGR...] hideStart … hideEnd [reset].
func dropHidden(s string) string {
	if !strings.ContainsRune(s, hideStart) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexRune(s, hideStart)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexRune(s[i:], hideEnd)
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + j + len(string(hideEnd))
		end += resetAt(s[end:])
		k := i
		for n := sgrBefore(s[:k]); n > 0; n = sgrBefore(s[:k]) {
			k -= n
		}
		if n := resetBefore(s[:k]); n > 0 && k-n > 0 && s[k-n-1] == ' ' {
			k -= n + 1
			k -= sgrBefore(s[:k])
		} else if k > 0 && s[k-1] == ' ' {
			k--
		}
		b.WriteString(s[:k])
		s = s[end:]
	}
}

// resetAt returns the length of the SGR reset s starts with, or 0.
func resetAt(s string) int {
	switch {
	case strings.HasPrefix(s, "\x1b[m"):
		return 3
	case strings.HasPrefix(s, "\x1b[0m"):
		return 4
	}
	return 0
}

// resetBefore returns the length of the SGR reset s ends with, or 0.
func resetBefore(s string) int {
	switch {
	case strings.HasSuffix(s, "\x1b[m"):
		return 3
	case strings.HasSuffix(s, "\x1b[0m"):
		return 4
	}
	return 0
}

// sgrBefore returns the length of the SGR sequence (not a reset) s ends
// with, or 0.
func sgrBefore(s string) int {
	if !strings.HasSuffix(s, "m") {
		return 0
	}
	for i := len(s) - 2; i >= 1; i-- {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == ';', c == ':':
			continue
		case c == '[' && s[i-1] == 0x1b && i < len(s)-2 && s[i+1:len(s)-1] != "0":
			return len(s) - i + 1
		}
		return 0
	}
	return 0
}
