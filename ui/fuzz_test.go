package ui

import (
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
)

// FuzzWrap checks the UI's line breaker on content strings: no line is wider
// than the width unless it is a single grapheme cluster, and only white space
// is lost (invalid UTF-8 becomes U+FFFD).
func FuzzWrap(f *testing.F) {
	for _, s := range []string{
		"", "hello world", "数据库系统内幕。推荐", "（括号）里", "a\nb\r\nc", "\t\ttabs",
		"Computer Architecture: A Quantitative Approach",
		"https://github.com/ray-project/ray/blob/master/python/ray/operator/operator.py#L83",
		"👩‍👩‍👧 family 🇨🇳", "e\u0301\u0301", strings.Repeat("字", 300),
	} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = width%120 + 1
		if width < 1 {
			width += 120
		}
		lines := wrap(s, width)
		if len(lines) == 0 {
			t.Fatal("no lines")
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > width && uniseg.GraphemeClusterCount(l) > 1 {
				t.Fatalf("line %q is %d cells, width %d", l, w, width)
			}
		}
		squash := func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, s)
		}
		if got, want := squash(strings.Join(lines, "")), squash(strings.ToValidUTF8(s, "\uFFFD")); got != want {
			t.Fatalf("lost text: %q became %q", want, got)
		}
	})
}

// FuzzFindMatches checks search results on arbitrary lines and queries:
// ranges are inside their line, in order, and do not overlap.
func FuzzFindMatches(f *testing.F) {
	f.Add("在源码方面，学习了一下 Argo\n\x1b[1m数据库\x1b[0m系统", "数据")
	f.Add("İstanbul ﬁle ǅ", "i")
	f.Add("aaaa", "aa")
	f.Fuzz(func(t *testing.T, text, query string) {
		lines := strings.Split(text, "\n")
		ms := findMatches(lines, query)
		prev := match{line: -1}
		for _, m := range ms {
			if m.line < 0 || m.line >= len(lines) {
				t.Fatalf("match on line %d of %d", m.line, len(lines))
			}
			if w := ansi.StringWidth(strings.ToValidUTF8(ansi.Strip(lines[m.line]), "\uFFFD")); m.start < 0 || m.end > w || m.start >= m.end {
				t.Fatalf("match %v outside line of %d cells", m, w)
			}
			if m.line < prev.line || m.line == prev.line && m.start < prev.end {
				t.Fatalf("match %v after %v", m, prev)
			}
			prev = m
		}
	})
}
