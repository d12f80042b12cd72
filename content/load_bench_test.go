package content

import (
	"fmt"
	"os"
	"testing"
	"testing/fstest"
)

// BenchmarkLoadSample loads the embedded sample blog (read from its folder:
// content does not import content/sample).
func BenchmarkLoadSample(b *testing.B) {
	fsys := os.DirFS("sample/blog")
	for b.Loop() {
		if _, err := Load(fsys, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad1000 loads a generated blog of 1,000 posts the size of the
// seed post, with a book list referring to them: the loading part of
// publish-to-visible latency.
func BenchmarkLoad1000(b *testing.B) {
	seed, err := os.ReadFile("sample/blog/posts/2020-12-26-2020-year-in-review.md")
	if err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{"site.yaml": {Data: []byte(goodSite)}}
	var books []byte
	for i := range 1000 {
		name := fmt.Sprintf("posts/%d/%d-%02d-%02d-post-%d.md", 2000+i/365, 2000+i/365, 1+i%12, 1+i%28, i)
		fsys[name] = &fstest.MapFile{Data: seed}
		books = fmt.Appendf(books, "- title: Book %d\n  authors: [A, B]\n  year: 2020\n  post: post-%d\n", i, i)
	}
	fsys["books.yaml"] = &fstest.MapFile{Data: books}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(fsys, ""); err != nil {
			b.Fatal(err)
		}
	}
}
