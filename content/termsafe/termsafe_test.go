package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"ascii", "hello, world", "hello, world"},
		{"newline and tab kept", "a\n\tb\n", "a\n\tb\n"},
		{"cjk", "2020 年终总结。", "2020 年终总结。"},
		{"emoji", "👍🏽 🇨🇳 👨‍👩‍👧", "👍🏽 🇨🇳 👨‍👩‍👧"},
		{"replacement char kept", "a\uFFFDb", "a\uFFFDb"},
		{"csi colour", "\x1b[31mred\x1b[0m", "\uFFFD[31mred\uFFFD[0m"},
		{"osc title", "\x1b]0;pwned\x07", "\uFFFD]0;pwned\uFFFD"},
		{"bell", "ding\a", "ding\uFFFD"},
		{"carriage return", "a\r\nb", "a\uFFFD\nb"},
		{"backspace", "ab\bc", "ab\uFFFDc"},
		{"nul", "a\x00b", "a\uFFFDb"},
		{"del", "a\x7fb", "a\uFFFDb"},
		{"c1 csi", "a\u009b31mb", "a\uFFFD31mb"},
		{"c1 nel", "a\u0085b", "a\uFFFDb"},
		{"c1 last", "a\u009fb", "a\uFFFDb"},
		{"just after c1", "\u00a0\u00e9", "\u00a0\u00e9"},
		{"bidi override", "abc\u202edcba\u202c", "abc\uFFFDdcba\uFFFD"},
		{"bidi isolate", "\u2066x\u2069", "\uFFFDx\uFFFD"},
		{"bidi marks kept", "\u200e\u200f", "\u200e\u200f"},
		{"invalid byte", "a\xffb", "a\uFFFDb"},
		{"truncated rune", "中\xe6\x96", "中\uFFFD\uFFFD"},
		{"overlong encoding", "\xc0\xafx", "\uFFFD\uFFFDx"},
		{"surrogate half", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "2020 年终总结", "2020 年终总结"},
		{"newline", "a\nb", "a b"},
		{"crlf", "a\r\nb", "a  b"},
		{"tab", "a\tb", "a b"},
		{"escape", "\x1b[2Jx", "\uFFFD[2Jx"},
		{"c1", "x\u0090y", "x\uFFFDy"},
		{"invalid", "\xfe", "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSafe(t *testing.T) {
	if !Safe("中文\n\t👍") {
		t.Error("Safe rejected printable text")
	}
	for _, s := range []string{"\x1b", "\u009b", "\u202e", "\xff", "\r"} {
		if Safe(s) {
			t.Errorf("Safe(%q) = true", s)
		}
	}
}

func TestStringDoesNotCopySafeInput(t *testing.T) {
	s := strings.Repeat("年终总结 ", 100)
	if n := testing.AllocsPerRun(10, func() { _ = String(s) }); n != 0 {
		t.Errorf("String allocated %v times on safe input", n)
	}
}

// control reports whether r is a character String must never emit.
func control(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

func FuzzString(f *testing.F) {
	for _, s := range []string{
		"", "hello", "2020 年终总结", "\x1b[31mred", "\x1b]8;;http://x\x1b\\link", "\u009b2J",
		"\u202egnp.exe", "a\xffb", "\xe6\x96", "\r\n", "👨‍👩‍👧", "\x00\x7f\u0085",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := String(in)
		line := Line(in)
		for name, s := range map[string]string{"String": out, "Line": line} {
			if !utf8.ValidString(s) {
				t.Fatalf("%s(%q) = %q: not valid UTF-8", name, in, s)
			}
			for _, r := range s {
				if control(r) {
					t.Fatalf("%s(%q) = %q: contains control %U", name, in, s, r)
				}
			}
		}
		if strings.ContainsAny(line, "\n\r\t") {
			t.Fatalf("Line(%q) = %q: spans lines", in, line)
		}
		if again := String(out); again != out {
			t.Fatalf("String not idempotent: %q -> %q -> %q", in, out, again)
		}
		if again := Line(line); again != line {
			t.Fatalf("Line not idempotent: %q -> %q -> %q", in, line, again)
		}
		// Each input rune, or invalid byte, becomes exactly one output rune.
		if utf8.RuneCountInString(out) != utf8.RuneCountInString(in) {
			t.Fatalf("String(%q) = %q: rune count changed", in, out)
		}
		printable := utf8.ValidString(in)
		for _, r := range in {
			if control(r) {
				printable = false
			}
		}
		if printable && out != in {
			t.Fatalf("String changed printable input %q to %q", in, out)
		}
		if printable != Safe(in) {
			t.Fatalf("Safe(%q) = %v, want %v", in, Safe(in), printable)
		}
	})
}
