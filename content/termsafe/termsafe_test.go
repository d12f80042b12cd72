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
		{"layout markers", "a\uFDD0b\uFDEFc\uFDCF\uFDF0", "a\uFFFDb\uFFFDc\uFDCF\uFDF0"},
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
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || (r >= 0xfdd0 && r <= 0xfdef)
}

func TestSequence(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"sgr", "\x1b[1;38;5;203m", "\x1b[1;38;5;203m", true},
		{"sgr reset", "\x1b[m", "\x1b[m", true},
		{"sgr colon", "\x1b[38:2:1:2:3m", "\x1b[38:2:1:2:3m", true},
		{"cursor move", "\x1b[2J", "", false},
		{"private sgr-like", "\x1b[?25m", "", false},
		{"title", "\x1b]0;pwned\x07", "", false},
		{"clipboard", "\x1b]52;c;aGk=\x1b\\", "", false},
		{"link", "\x1b]8;id=1;https://x.example/a\x1b\\", "\x1b]8;id=1;https://x.example/a\x1b\\", true},
		{"link ended by BEL", "\x1b]8;;http://x.example\x07", "\x1b]8;;http://x.example\x1b\\", true},
		{"link params cleaned", "\x1b]8;id=\"a b\";http://x\x1b\\", "\x1b]8;id=ab;http://x\x1b\\", true},
		{"link target encoded", "\x1b]8;;https://x.example/中 文\x1b\\", "\x1b]8;;https://x.example/%E4%B8%AD%20%E6%96%87\x1b\\", true},
		{"javascript link dropped", "\x1b]8;;javascript:alert(1)\x1b\\", "", true},
		{"file link dropped", "\x1b]8;;file:///etc/passwd\x1b\\", "", true},
		{"link end", "\x1b]8;;\x1b\\", "", true},
		{"unterminated osc", "\x1b]8;;http://x", "", false},
		{"not an escape", "x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Sequence(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Sequence(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://x.example/a?b=c&d#e", "https://x.example/a?b=c&d#e"},
		{"https://x.example/a b", "https://x.example/a%20b"},
		{"https://x.example/%20", "https://x.example/%20"},
		{"/图片/猫.png", "/%E5%9B%BE%E7%89%87/%E7%8C%AB.png"},
		{"a\"b'c<d>e\\f`g", "a%22b%27c%3Cd%3Ee%5Cf%60g"},
		{"\x1b]0;x\x07", "%1B]0;x%07"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, ok := Link(strings.Repeat("a", 5000)); ok {
		t.Error("Link kept a 5000-byte URL")
	}
}

func FuzzString(f *testing.F) {
	for _, s := range []string{
		"", "hello", "2020 年终总结", "\x1b[31mred", "\x1b]8;;http://x\x1b\\link", "\u009b2J",
		"\u202egnp.exe", "a\xffb", "\xe6\x96", "\r\n", "👨‍👩‍👧", "\x00\x7f\u0085", "\ufdd0",
		"\x1b[1;31m", "\x1b]8;id=1;https://x/\x1b]0;t\x07\x1b\\", "\x1b]8;;javascript:x\x07",
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
		// URL and Link give printable ASCII without quotes or brackets.
		u := URL(in)
		for i := 0; i < len(u); i++ {
			if c := u[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("\"'<>\\`", c) >= 0 {
				t.Fatalf("URL(%q) = %q: byte %#x", in, u, c)
			}
		}
		// Sequence keeps only SGR and OSC 8 with a printable target.
		if kept, ok := Sequence(in); ok && kept != "" {
			sgr := strings.HasPrefix(kept, "\x1b[") && strings.HasSuffix(kept, "m") &&
				strings.Trim(kept[2:len(kept)-1], "0123456789;:") == ""
			link := strings.HasPrefix(kept, "\x1b]8;") && strings.HasSuffix(kept, "\x1b\\") &&
				!strings.ContainsFunc(kept[1:len(kept)-2], func(r rune) bool { return r <= ' ' || r >= 0x7f })
			if !sgr && !link {
				t.Fatalf("Sequence(%q) kept %q", in, kept)
			}
		}
	})
}
