package liquid

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkExpand expands a post that uses Liquid the way real Jekyll posts
// do: links to other posts, relative URLs, highlight blocks, code that must
// stay as written, a loop and an include.
func BenchmarkExpand(b *testing.B) {
	src, err := os.ReadFile("testdata/post.md")
	if err != nil {
		b.Fatal(err)
	}
	env, page := testEnv(), testPage()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, problems := Expand(string(src), page, env); len(problems) != 0 {
			b.Fatal(problems)
		}
	}
}

// BenchmarkExpandNoLiquid is the common case: a post without Liquid.
func BenchmarkExpandNoLiquid(b *testing.B) {
	src := strings.Repeat("A paragraph of plain Markdown with `code` and {braces}.\n\n", 300)
	env := testEnv()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Expand(src, nil, env)
	}
}
