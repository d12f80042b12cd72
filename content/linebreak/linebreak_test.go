package linebreak

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// checkLines verifies the properties Lines promises for input s at width and
// returns the first violation.
func checkLines(s string, width int) error {
	ls := layout(s, width, true)
	w := max(width, MinWidth)
	for i, l := range ls {
		if got := ansi.StringWidth(l.text); got > w {
			return fmt.Errorf("line %d is %d cells wide, more than %d: %q", i, got, w, l.text)
		}
		if strings.ContainsFunc(l.text, IsMarker) {
			return fmt.Errorf("line %d keeps a marker: %q", i, l.text)
		}
		if err := checkEscapes(l.text); err != nil {
			return fmt.Errorf("line %d: %v", i, err)
		}
		if i == 0 || !l.cont || l.pre {
			continue
		}
		prev := ls[i-1]
		first, _ := firstNonSpace(l.body)
		last, _ := lastNonSpace(prev.body)
		if (first != "" && NoStart(first)) || (last != "" && NoEnd(last)) {
			if !prev.hard || hasValidCut(prev.body[prev.fixed:], l.body) {
				return fmt.Errorf("kinsoku broken between lines %d and %d: %q / %q", i-1, i, prev.text, l.text)
			}
		}
	}
	if utf8.ValidString(s) {
		var got []string
		for _, l := range ls {
			got = append(got, l.body...)
		}
		want := visible(s)
		if g := visible(strings.Join(got, "")); g != want {
			return fmt.Errorf("characters changed:\n got %q\nwant %q", g, want)
		}
	}
	return nil
}

// hasValidCut reports whether the hard-cut line body could have been cut at
// an earlier boundary without breaking kinsoku.
func hasValidCut(body, next []string) bool {
	all := append(append([]string(nil), body...), next...)
	for j := 1; j < len(body); j++ {
		p, okp := lastNonSpace(all[:j])
		q, okq := firstNonSpace(all[j:])
		if okp && okq && !NoEnd(p) && !NoStart(q) {
			return true
		}
	}
	return false
}

func firstNonSpace(gs []string) (string, bool) {
	for _, g := range gs {
		if g != " " {
			return g, true
		}
	}
	return "", false
}

func lastNonSpace(gs []string) (string, bool) {
	for i := len(gs) - 1; i >= 0; i-- {
		if gs[i] != " " {
			return gs[i], true
		}
	}
	return "", false
}

// visible keeps the printable grapheme clusters of s, without escape
// sequences, whitespace, controls or clusters holding a marker. It decodes
// escape sequences line by line as a terminal would (and as Lines does), so
// that malformed sequences count the same on both sides.
func visible(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		for len(line) > 0 {
			seq, _, n, _ := ansi.DecodeSequence(line, ansi.NormalState, nil)
			if n <= 0 {
				seq, n = line[:1], 1
			}
			line = line[n:]
			if c := seq[0]; c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xc0) || strings.ContainsFunc(seq, IsMarker) {
				continue
			}
			b.WriteString(strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
					return -1
				}
				return r
			}, seq))
		}
	}
	return b.String()
}

// checkEscapes verifies that s holds no escape sequence but SGR and OSC 8,
// and no control character.
func checkEscapes(s string) error {
	for len(s) > 0 {
		seq, _, n, _ := ansi.DecodeSequence(s, ansi.NormalState, nil)
		if n <= 0 {
			n = 1
		}
		s = s[n:]
		switch {
		case strings.HasPrefix(seq, "\x1b["):
			if !strings.HasSuffix(seq, "m") || strings.ContainsFunc(seq[2:len(seq)-1], func(r rune) bool {
				return (r < '0' || r > '9') && r != ';' && r != ':'
			}) {
				return fmt.Errorf("non-SGR CSI sequence %q", seq)
			}
		case strings.HasPrefix(seq, "\x1b]8;"):
			if !strings.HasSuffix(seq, "\x1b\\") {
				return fmt.Errorf("unterminated hyperlink %q", seq)
			}
			for _, c := range []byte(seq[4 : len(seq)-2]) {
				if c < 0x21 || c > 0x7e {
					return fmt.Errorf("hyperlink with byte %#x: %q", c, seq)
				}
			}
		case len(seq) > 0 && (seq[0] < 0x20 || seq[0] == 0x7f):
			return fmt.Errorf("control sequence %q", seq)
		default:
			if r, _ := utf8.DecodeRuneInString(seq); unicode.IsControl(r) {
				return fmt.Errorf("control character %q", seq)
			}
		}
	}
	return nil
}

const seedPara = "2020 年是多灾多难的一年，新冠疫情作为历史上少有的黑天鹅事件，改变了很多人的生活。我的生活也有了非常大的变化，堪称跌宕起伏。在这一年中，我跟女朋友缔结了法律上的夫妻关系，持证上岗。工作上也有了非常大的变化，面临了更多的挑战。虽然也遇到了一些挫折，但整体而言，还算顺遂。"

const seedMixed = "Ray 的团队出来创业，设计了一个基于 Ray Autoscaler 的 Operator 方案 https://github.com/ray-project/ray/blob/master/python/ray/operator/operator.py#L83，最近刚刚完成，在 Operator 里直接创建新的进程（or 线程，不确定）监控对应的 Ray 集群的 Redis 中的全局状态。"

func TestLinesProperties(t *testing.T) {
	inputs := []string{
		seedPara,
		seedMixed,
		"  \x1b[38;5;252m• \ufdd2\x1b[m\x1b[38;5;252m现代操作系统原理与实现，夏老师和海波老师的书，还有很多很多很多很多很多文字\x1b[m",
		"  \x1b[38;5;252m│ \ufdd3\x1b[m\x1b[38;5;252m引用里的一段很长很长的文字，引用里的一段很长很长的文字，引用里的一段很长很长的文字。\x1b[m",
		"  \x1b]8;id=1;https://example.com/中\x1b\\\x1b[1m链接文字很长很长很长很长很长很长很长很长\x1b[m\x1b]8;;\x1b\\ 后面",
		"。。。。。。。。。。。。。。。。。。。。",
		"「「「「「「「「「「「「「「「「「「「「「",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa。",
		"line one\ufdd4line two after a break\ufdd4\ufdd4after an empty line",
		"  \ufdd0func main() { fmt.Println(\"a very long line of code that does not fit anywhere at all\") }\n  }\ufdd1",
		"\tTabs\tand\x07bells\x1b]0;title\x07 and \x1b[2J clears",
	}
	for _, in := range inputs {
		for _, w := range []int{1, 2, 3, 4, 5, 8, 10, 13, 20, 40, 60, 80, 100} {
			if err := checkLines(in, w); err != nil {
				t.Errorf("width %d, input %q: %v", w, in, err)
			}
		}
	}
}

func TestLines(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"fits", "hello world", 20, "hello world"},
		{"latin at spaces", "the quick brown fox", 10, "the quick\nbrown fox"},
		{"word longer than line", "abcdefghij xy", 4, "abcd\nefgh\nij\nxy"},
		{"cjk by character", "中文中文中文", 8, "中文中文\n中文"},
		{"closing punctuation pulls previous down", "中文中文。中文", 8, "中文中\n文。中文"},
		{"opening punctuation moves down", "中文中「文」", 8, "中文中\n「文」"},
		{"ascii comma stays", "ab cd, ef", 5, "ab\ncd,\nef"},
		{"url unsplit", "see https://a.example/x-y now", 22, "see\nhttps://a.example/x-y\nnow"},
		{"url longer than line cut", "see https://a.example/x-y/z now", 10, "see\nhttps://a.\nexample/x-\ny/z now"},
		{"hyphen breaks", "well-known thing", 8, "well-\nknown\nthing"},
		{"hanging indent", "  • \ufdd2一二三四五六七八", 10, "  • 一二三\n    四五六\n    七八"},
		{"quote prefix repeats", "│ \ufdd3一二三四五六七八", 8, "│ 一二三\n│ 四五六\n│ 七八"},
		{"break marker", "ab\ufdd4cd", 10, "ab\ncd"},
		{"break keeps hanging indent", "• \ufdd2ab\ufdd4cd", 10, "• ab\n  cd"},
		{"code hard cut", "  \ufdd0abcdefghij", 6, "  abcd\n  ↪efg\n  ↪hij"},
		{"code fits", "  \ufdd0abc\n  def\ufdd1", 6, "  abc\n  def"},
		{"invalid bytes dropped alone", "a\x9fbc d\xe2 e\xf0f", 20, "abc d ef"},
		{"style reopened", "\x1b[1m一二三四\x1b[m", 4, "\x1b[1m一二\x1b[m\n\x1b[1m三四\x1b[m"},
		{"link reopened", "\x1b]8;;https://x.y\x07一二三四\x1b]8;;\x07", 4,
			"\x1b]8;;https://x.y\x1b\\一二\x1b]8;;\x1b\\\n\x1b]8;;https://x.y\x1b\\三四\x1b]8;;\x1b\\"},
		{"unsafe link dropped", "\x1b]8;;javascript:alert(1)\x07x\x1b]8;;\x07", 4, "x"},
		{"link target encoded", "\x1b]8;;https://x.y/中 文\x07x\x1b]8;;\x07", 4,
			"\x1b]8;;https://x.y/%E4%B8%AD%20%E6%96%87\x1b\\x\x1b]8;;\x1b\\"},
		{"controls dropped", "a\x1b[2Jb\x07c\x1b]0;t\x07d\u009be", 10, "abcde"},
		{"tab expanded", "a\tb", 10, "a   b"},
		{"narrow width flattens", "  • \ufdd2一二三四", 4, "  •\n一二\n三四"},
		{"width below minimum", "一二", 1, "一\n二"},
		{"empty", "", 10, ""},
		{"keeps blank lines", "a\n\nb", 10, "a\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lines(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("Lines(%q, %d)\n got %q\nwant %q", tt.in, tt.width, got, tt.want)
			}
			if err := checkLines(tt.in, tt.width); err != nil {
				t.Error(err)
			}
		})
	}
}

func FuzzLines(f *testing.F) {
	for _, s := range []string{
		seedPara, seedMixed, "a b c", "中文。中文", "「」（）", "\x1b[1mx\x1b[m",
		"\ufdd0x\n\ufdd1", "• \ufdd2x\ufdd4y", "│ \ufdd3x", "\x1b]8;;http://a\x07b\x1b]8;;\x07",
		"e\u0301\u200d👩‍👩‍👧🇯🇵", "\t\r\n\x00\u0085",
		"\x1b\a00", // found by fuzzing
	} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = width % 200
		if width < 4 {
			// Widths below 4 are checked by the table tests; the
			// properties hold there too, but the minimum of 2 makes
			// them uninteresting.
			width = 4 + (-width)%4
		}
		if err := checkLines(s, width); err != nil {
			t.Fatalf("width %d, input %q: %v", width, s, err)
		}
		if a, b := Lines(s, width), Lines(s, width); a != b {
			t.Fatalf("not deterministic for %q", s)
		}
	})
}
