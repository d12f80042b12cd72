package content

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
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

// writeJekyllBlog writes a generated Jekyll blog shaped like a real large
// Chinese one (houbb.github.io: 7,000 posts, 91 MB, about 13 KB a post):
// front matter with a +0800 date, categories, tags and theme keys, a body
// of CJK prose with headings, lists and code.
func writeJekyllBlog(tb testing.TB, dir string, posts int) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "_posts"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "_config.yml"), []byte("title: 老马啸西风\nurl: https://example.org\nbaseurl: /blog\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	para := strings.Repeat("这是一段用来测试加载速度的中文正文，包含标点符号、English words 和数字 123。", 6) + "\n\n"
	code := "```java\npublic class Main {\n    public static void main(String[] args) {\n        System.out.println(\"hello\");\n    }\n}\n```\n\n"
	var body strings.Builder
	for i := range 12 {
		fmt.Fprintf(&body, "## 第 %d 节\n\n%s- 要点一\n- 要点二\n\n", i+1, para)
		if i%3 == 0 {
			body.WriteString(code)
		}
	}
	for i := range posts {
		day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/3)
		name := fmt.Sprintf("%s-post-%d.md", day.Format("2006-01-02"), i)
		fm := fmt.Sprintf("---\nlayout: post\ntitle: 第 %d 篇：Java 并发编程详解\ndate: %s 21:01:55 +0800\n"+
			"categories: [Java, Concurrency]\ntags: [java, lock, jdk]\npublished: true\nheader-img: img/post-bg.jpg\ncatalog: true\n---\n\n",
			i, day.Format("2006-01-02"))
		if err := os.WriteFile(filepath.Join(dir, "_posts", name), []byte(fm+body.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkLoadJekyll7000 loads a generated 7,000-post Chinese Jekyll blog
// from disk (warm: the files are in the page cache after the first
// round), the start-up of `serve --content` on such a blog. live-MB is
// the heap the snapshot holds after a garbage collection.
func BenchmarkLoadJekyll7000(b *testing.B) {
	dir := b.TempDir()
	writeJekyllBlog(b, dir, 7000)
	fsys := os.DirFS(dir)
	b.ReportAllocs()
	var snap *Snapshot
	before := cpuTime(b)
	n := 0
	for b.Loop() {
		s, err := Load(fsys, "")
		if err != nil {
			b.Fatal(err)
		}
		snap = s
		n++
	}
	// CPU time is steadier than wall time on a shared machine.
	b.ReportMetric(float64((cpuTime(b)-before).Milliseconds())/float64(n), "cpu-ms/op")
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "live-MB")
	if len(snap.Posts()) != 7000 {
		b.Fatalf("%d posts", len(snap.Posts()))
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
