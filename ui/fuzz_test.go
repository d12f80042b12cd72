package ui

import (
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/termsafe"
)

// FuzzWrap checks the UI's line breaker on content strings as they reach
// the UI, sanitised by termsafe: no line is wider than the width (or
// linebreak.MinWidth) unless it is a single grapheme cluster, no line begins with
// closing punctuation unless the line before was cut inside a run wider than
// a line, and only white space is lost (layout markers become U+FFFD).
func FuzzWrap(f *testing.F) {
	for _, s := range []string{
		"", "hello world", "数据库系统内幕。推荐", "（括号）里", "a\nb\r\nc", "\t\ttabs",
		"Computer Architecture: A Quantitative Approach",
		"https://github.com/ray-project/ray/blob/master/python/ray/operator/operator.py#L83",
		"👩‍👩‍👧 family 🇨🇳", "e\u0301\u0301", strings.Repeat("字", 300), "a\ufdd0b\ufdd2c",
		"0\x9f00\xe2 0000\xf00 0",
	} {
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = width%120 + 1
		if width < 1 {
			width += 120
		}
		s = termsafe.String(s)
		lines := wrap(s, width)
		if len(lines) == 0 {
			t.Fatal("no lines")
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > max(width, linebreak.MinWidth) && uniseg.GraphemeClusterCount(l) > 1 {
				t.Fatalf("line %q is %d cells, width %d", l, w, width)
			}
		}
		squash := func(s string) string {
			return strings.Map(func(r rune) rune {
				switch {
				case unicode.IsSpace(r):
					return -1
				case linebreak.IsMarker(r):
					return '\uFFFD'
				}
				return r
			}, s)
		}
		if got, want := squash(strings.Join(lines, "")), squash(s); got != want {
			t.Fatalf("lost text: %q became %q", want, got)
		}
	})
}

// FuzzFindMatches checks search results on arbitrary lines and queries:
// every span of a match is inside its line, and spans come in order without
// overlapping, across matches too.
func FuzzFindMatches(f *testing.F) {
	f.Add("在源码方面，学习了一下 Argo\n\x1b[1m数据库\x1b[0m系统", "数据")
	f.Add("我对数\n据库和体系", "数据库")
	f.Add("Computer\n  Architecture: A\n\nQuantitative", "computer architecture")
	f.Add("İstanbul ﬁle ǅ", "i")
	f.Add("aaaa", "aa")
	f.Fuzz(func(t *testing.T, text, query string) {
		lines := strings.Split(text, "\n")
		ms := findMatches(lines, query)
		prev := span{line: -1}
		for _, m := range ms {
			m.spans(func(s span) {
				if s.line < 0 || s.line >= len(lines) {
					t.Fatalf("match on line %d of %d", s.line, len(lines))
				}
				if w := ansi.StringWidth(strings.ToValidUTF8(ansi.Strip(lines[s.line]), "\uFFFD")); s.start < 0 || s.end > w || s.start >= s.end {
					t.Fatalf("span %v of %v outside line of %d cells", s, m, w)
				}
				if s.line < prev.line || s.line == prev.line && s.start < prev.end {
					t.Fatalf("span %v of %v after %v", s, m, prev)
				}
				prev = s
			})
		}
	})
}
