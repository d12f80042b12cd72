package linebreak

import "testing"

func TestExpandTabs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no tabs", "no tabs"},
		{"\tx", "    x"},
		{"a\tb", "a   b"},
		{"abcd\te", "abcd    e"},
		{"中\tx", "中  x"},
		{"\x1b[1ma\x1b[m\tb", "\x1b[1ma\x1b[m   b"},
		{"\uFDD0a\tb", "\uFDD0a   b"},
		{"a\t\tb", "a       b"},
	}
	for _, tt := range tests {
		if got := ExpandTabs(tt.in); got != tt.want {
			t.Errorf("ExpandTabs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsCJK(t *testing.T) {
	for _, r := range "中ひカㄅ한。，「（" {
		if !IsCJK(r) {
			t.Errorf("IsCJK(%q) = false", r)
		}
	}
	for _, r := range "aZ1,.(é—" {
		if IsCJK(r) {
			t.Errorf("IsCJK(%q) = true", r)
		}
	}
}
