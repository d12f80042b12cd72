package linebreak

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// IsCJK reports whether r belongs to the scripts written in CJK text: Han,
// kana, Bopomofo and Hangul, and the CJK and fullwidth punctuation and forms
// (U+3000–U+303F, U+FE30–U+FE4F, U+FF00–U+FFEF). Callers that care about
// spaces between words leave Hangul out themselves: Korean separates words
// with spaces, Chinese and Japanese do not.
func IsCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
		r >= 0xFF00 && r <= 0xFFEF, // fullwidth and halfwidth forms
		r >= 0xFE30 && r <= 0xFE4F: // CJK compatibility forms
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo, unicode.Hangul)
}

// TabWidth is the distance between tab stops.
const TabWidth = 4

// ExpandTabs replaces each tab in line with spaces up to the next tab stop
// (every TabWidth cells), counting cells as a terminal shows them: escape
// sequences and marker runes take none, wide characters two. It is the one
// tab expansion of the program, for post text (Lines) and for what the UI
// paints alike; a tab is zero cells to x/ansi but up to TabWidth on a
// terminal, so left alone it would break every width computed.
func ExpandTabs(line string) string {
	if strings.IndexByte(line, '\t') < 0 {
		return line
	}
	var b strings.Builder
	b.Grow(len(line) + 3*TabWidth)
	col := 0
	for len(line) > 0 {
		if c := line[0]; c == '\t' {
			n := TabWidth - col%TabWidth
			for range n {
				b.WriteByte(' ')
			}
			col += n
			line = line[1:]
			continue
		} else if c >= utf8.RuneSelf {
			if r, size := utf8.DecodeRuneInString(line); r == utf8.RuneError && size == 1 || IsMarker(r) {
				b.WriteString(line[:size])
				line = line[size:]
				continue
			}
		}
		seq, w, n, _ := ansi.DecodeSequence(line, ansi.NormalState, nil)
		if n <= 0 {
			seq, n = line[:1], 1
		}
		b.WriteString(seq)
		col += w
		line = line[n:]
	}
	return b.String()
}
