package codefence

import "testing"

func TestBlock(t *testing.T) {
	tests := []struct{ code, lang, want string }{
		{"\nx := 1\n", "go", "```go\nx := 1\n```"},
		{"x", "", "```\nx\n```"},
		{"", "sh", "```sh\n```"},
		{"a ``` b\n````\n", "md", "`````md\na ``` b\n````\n`````"},
		{"\r\ny\n", "c++", "```c++\ny\n```"},
		{"z\n", "go\n```", "```\nz\n```"}, // not a language: left out
	}
	for _, tt := range tests {
		if got := Block(tt.code, tt.lang); got != tt.want {
			t.Errorf("Block(%q, %q) = %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
}
