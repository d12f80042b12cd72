// Package termsafe neutralises text that could drive a reader's terminal.
//
// Everything a blog author writes (posts, front matter, book and paper lists,
// file names) passes through this package before it reaches a screen, so no
// content can move the cursor, change colours, set the window title, open
// hyperlinks or reorder text with bidirectional overrides.
//
// Every neutralised character is replaced by U+FFFD (the replacement
// character) rather than dropped: the reader sees that something was there,
// and text around it never silently joins up. Invalid UTF-8 also becomes
// U+FFFD, one per invalid byte, so the output is always valid UTF-8.
//
// It is hand-written because the libraries at hand do something else:
// github.com/charmbracelet/x/ansi.Strip removes whole escape sequences but
// keeps C1 controls and bidi overrides and does not repair invalid UTF-8.
package termsafe

import (
	"strings"
	"unicode/utf8"
)

// Replacement is the character put in place of each neutralised one.
const Replacement = '\uFFFD'

// String returns s with every terminal control character replaced by
// U+FFFD: ESC and the other C0 controls except newline and tab, DEL, the C1
// controls U+0080–U+009F, and the bidirectional embeddings, overrides and
// isolates U+202A–U+202E and U+2066–U+2069. Invalid UTF-8 becomes U+FFFD.
// Everything else, CJK and emoji included, is kept as it is. String is
// idempotent, and returns s itself when nothing needs replacing.
func String(s string) string {
	return clean(s, false)
}

// Line is String for single-line fields such as titles and tags: it also
// turns newline, carriage return and tab into a space, so the result never
// spans more than one line.
func Line(s string) string {
	return clean(s, true)
}

func clean(s string, line bool) string {
	i := firstUnsafe(s, line)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(Replacement)
		case line && (r == '\n' || r == '\r' || r == '\t'):
			b.WriteByte(' ')
		case unsafeRune(r):
			b.WriteRune(Replacement)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// firstUnsafe returns the byte offset of the first character clean must
// change, or -1 when s is already safe.
func firstUnsafe(s string, line bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeRune(rune(c)) || line && (c == '\n' || c == '\r' || c == '\t') {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeRune reports whether r can control a terminal or reorder text.
// Newline and tab are layout, not control, and are allowed here.
func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f: // C0 controls (ESC, BEL, CR, ...) and DEL
		return true
	case r >= 0x80 && r <= 0x9f: // C1 controls (CSI, OSC, ST, ...)
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	}
	return false
}

// Safe reports whether s is unchanged by String: valid UTF-8 with no
// terminal control characters other than newline and tab.
func Safe(s string) bool {
	return firstUnsafe(s, false) < 0
}
