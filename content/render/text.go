package render

import (
	"strings"
	"unicode"

	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/termsafe"
)

// dropKramdownComments removes kramdown's comments, {::comment} … {:/comment}
// (or {:/}), with what they hold: kramdown never parses it. It runs on the
// text, before the parse, because a comment may span blocks.
func dropKramdownComments(s string) string {
	const open = "{::comment}"
	if !strings.Contains(s, open) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, open)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+len(open):]
		end, n := strings.Index(rest, "{:/comment}"), len("{:/comment}")
		if e := strings.Index(rest, "{:/}"); e >= 0 && (end < 0 || e < end) {
			end, n = e, len("{:/}")
		}
		if end < 0 {
			return b.String() // unclosed: a comment to the end, as in kramdown
		}
		s = rest[end+n:]
	}
}

// clean normalises line endings and neutralises what termsafe.String does
// (controls, invalid UTF-8, the runes reserved for markers).
func clean(s string) string {
	return termsafe.String(strings.ReplaceAll(s, "\r\n", "\n"))
}

// cjkJoin reports whether a line break between a and b disappears: both are
// CJK, or one is CJK and the other punctuation used in CJK text (quotes,
// dashes, ellipses).
func cjkJoin(a, b rune) bool {
	return (isCJK(a) && (isCJK(b) || isCJKPunct(b))) || (isCJKPunct(a) && isCJK(b))
}

// isCJK reports whether r is CJK text written without spaces between words:
// linebreak.IsCJK but Hangul (Korean separates words with spaces).
func isCJK(r rune) bool {
	return linebreak.IsCJK(r) && !unicode.Is(unicode.Hangul, r)
}

func isCJKPunct(r rune) bool {
	switch r {
	case '“', '”', '‘', '’', '—', '…', '·':
		return true
	}
	return false
}
