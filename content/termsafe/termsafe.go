// Package termsafe neutralises text that could drive a reader's terminal.
//
// Everything a blog author writes (posts, front matter, book and paper lists,
// file names) passes through this package before it reaches a screen, so no
// content can move the cursor, change colours, set the window title, open
// hyperlinks or reorder text with bidirectional overrides. It is the one
// sanitiser of the program: the renderer cleans a body with String, decides
// with Sequence which escape sequences of its own output reach the terminal
// (SGR and OSC 8 hyperlinks to safe URLs only), and encodes URLs with URL.
//
// The Unicode noncharacters U+FDD0–U+FDEF are neutralised too: they never
// occur in interchanged text, and the renderer uses them internally as layout
// markers (see content/linebreak), so content must not be able to forge one.
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

// maxURL is the longest hyperlink target Sequence keeps; longer links
// become plain text.
const maxURL = 4096

// Replacement is the character put in place of each neutralised one.
const Replacement = '\uFFFD'

// String returns s with every terminal control character replaced by
// U+FFFD: ESC and the other C0 controls except newline and tab, DEL, the C1
// controls U+0080–U+009F, and the bidirectional embeddings, overrides and
// isolates U+202A–U+202E and U+2066–U+2069, and the noncharacters
// U+FDD0–U+FDEF. Invalid UTF-8 becomes U+FFFD.
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

// unsafeRune reports whether String replaces r: whether r can control a
// terminal, reorder text or forge a layout marker. Newline and tab are
// layout, not control, and are allowed here.
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
	case r >= 0xFDD0 && r <= 0xFDEF: // noncharacters, the renderer's markers
		return true
	}
	return false
}

// Safe reports whether s is unchanged by String: valid UTF-8 with no
// terminal control characters other than newline and tab, and no
// noncharacters U+FDD0–U+FDEF.
func Safe(s string) bool {
	return firstUnsafe(s, false) < 0
}

// Sequence decides whether an escape sequence in the renderer's output may
// reach the terminal. It keeps SGR sequences (ESC [ digits ; : m) as they are
// and OSC 8 hyperlinks, rebuilt with the parameters' harmless characters and
// a target made safe by Link, ended by ST. A hyperlink whose target Link
// refuses becomes a link end with no target (the text stays, unlinked), as
// does the closing "ESC ] 8 ; ; ST". Everything else is refused (ok false):
// cursor movement, titles, clipboard, device queries.
func Sequence(seq string) (kept string, ok bool) {
	if len(seq) < 2 || seq[0] != 0x1b {
		return "", false
	}
	switch seq[1] {
	case '[':
		if len(seq) < 3 || seq[len(seq)-1] != 'm' {
			return "", false
		}
		for i := 2; i < len(seq)-1; i++ {
			if c := seq[i]; (c < '0' || c > '9') && c != ';' && c != ':' {
				return "", false
			}
		}
		return seq, true
	case ']':
		data := seq[2:]
		switch {
		case strings.HasSuffix(data, "\x07"):
			data = data[:len(data)-1]
		case strings.HasSuffix(data, "\x1b\\"):
			data = data[:len(data)-2]
		default:
			return "", false // cancelled or unterminated
		}
		rest, ok := strings.CutPrefix(data, "8;")
		if !ok {
			return "", false
		}
		params, uri, ok := strings.Cut(rest, ";")
		if !ok {
			return "", false
		}
		u, ok := Link(uri)
		if !ok {
			return "", true // not a link we keep: plain text
		}
		return "\x1b]8;" + linkParams(params) + ";" + u + "\x1b\\", true
	}
	return "", false
}

// Link returns uri made safe as a hyperlink target, if it is an http, https
// or mailto URL no longer than 4 KiB: encoded by URL, so that it is
// printable ASCII.
func Link(uri string) (string, bool) {
	scheme, _, ok := strings.Cut(uri, ":")
	if !ok || len(uri) > maxURL {
		return "", false
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto":
	default:
		return "", false
	}
	return URL(uri), true
}

// linkParams keeps the characters OSC 8 parameters ("id=xyz") need.
func linkParams(p string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r == '=', r == ':', r == '.', r == '_', r == '-':
			return r
		}
		return -1
	}, p)
}

// URL percent-encodes every byte of u that is not printable ASCII (controls,
// space, DEL and every byte of a non-ASCII character), and the characters
// that end or break a URL written in Markdown, HTML or a terminal's
// hyperlink: quotes, angle brackets, backslash and backtick. What is already
// percent-encoded stays as it is. It returns u itself when nothing needs
// encoding.
func URL(u string) string {
	i := 0
	for i < len(u) && !encoded(u[i]) {
		i++
	}
	if i == len(u) {
		return u
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(u) + 16)
	b.WriteString(u[:i])
	for ; i < len(u); i++ {
		c := u[i]
		if !encoded(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func encoded(c byte) bool {
	switch c {
	case '"', '\'', '<', '>', '\\', '`':
		return true
	}
	return c <= ' ' || c >= 0x7f
}
