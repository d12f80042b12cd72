package content

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

func TestLead(t *testing.T) {
	tests := []struct{ body, want string }{
		{"", ""},
		{"# Title\n\n<figure>\n{% raw %}\nFirst [words](http://x) and **bold**.\nSecond", "First words and bold."},
		{"![img](a.png)\n- item\n\n正文第一段。", "正文第一段。"},
		{strings.Repeat("# heading\n", 1000) + "late paragraph", ""},
		{"<iframe\n  id=\"chart\"\n  src=\"x\">\n</iframe>\nAfter the chart.", "After the chart."},
		{"<p>One line</p>\nNext.", "Next."},
	}
	for _, tc := range tests {
		if got := lead([]byte(tc.body)); got != tc.want {
			t.Errorf("lead(%.30q) = %q, want %q", tc.body, got, tc.want)
		}
	}
	if got := lead([]byte("Bell\x07 rings.")); strings.ContainsRune(got, 7) {
		t.Errorf("a lead keeps a control character: %q", got)
	}
	long := lead([]byte(strings.Repeat("中文", 200)))
	if len(long) > LeadMax || !utf8.ValidString(long) || !strings.HasPrefix(long, "中文中文") {
		t.Errorf("a long paragraph's lead: %d bytes, %q", len(long), long)
	}
}

// Load works out each post's lead, so a list never reads a body.
func TestLoadSetsLead(t *testing.T) {
	snap, err := Load(fstest.MapFS{
		"site.yaml":             {Data: []byte("title: T\n")},
		"posts/2024-01-01-a.md": {Data: []byte("---\ntitle: A\n---\n# Heading\n\nThe first paragraph.\n")},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := snap.Post("a"); !ok || p.Lead() != "The first paragraph." || p.Body != "" {
		t.Fatalf("lead %q", p.Lead())
	}
}

// A post built in memory has a lead from its Body.
func TestLeadOfAPostInMemory(t *testing.T) {
	p := &Post{Body: "# H\n\nText."}
	if got := p.Lead(); got != "Text." {
		t.Fatalf("lead %q", got)
	}
}
