package ui

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render"
	"github.com/sshblog/sshblog/content/theme"
)

// bigBlog generates a blog of n posts, half with Chinese titles and half
// with English ones, each with a description, tags and a short body, the
// shape of the large Jekyll blogs the scale goals name.
func bigBlog(n int) *content.Snapshot {
	zh := []string{"数据库", "分布式系统", "机器学习", "容器", "调度器", "编译器", "网络", "存储引擎", "索引", "一致性",
		"事务", "日志", "读书笔记", "年终总结", "旅行", "算法", "操作系统", "内核", "性能优化", "开源社区"}
	en := []string{"Kubernetes", "Database", "Scheduler", "Compiler", "Network", "Storage", "Index", "Consensus",
		"Transactions", "Logging", "Reading notes", "Year in review", "Travel", "Algorithms", "Kernel", "Performance",
		"Open Source", "Go", "Rust", "Distributed Systems"}
	tags := []string{"go", "db", "k8s", "ml", "life", "notes", "linux", "rust", "papers", "talks"}
	posts := make([]*content.Post, 0, n)
	for i := range n {
		var title, desc string
		if i%2 == 0 {
			title = fmt.Sprintf("%s与%s的第 %d 篇笔记", zh[i%len(zh)], zh[(i/7)%len(zh)], i)
			desc = fmt.Sprintf("关于%s和%s的一些想法，以及在%s中遇到的问题。", zh[(i/3)%len(zh)], zh[(i/11)%len(zh)], en[i%len(en)])
		} else {
			title = fmt.Sprintf("%s and %s, part %d", en[i%len(en)], en[(i/7)%len(en)], i)
			desc = fmt.Sprintf("Notes on %s and %s: what went wrong and what we learned.", en[(i/3)%len(en)], en[(i/11)%len(en)])
		}
		date := fmt.Sprintf("%04d-%02d-%02d", 2010+i%15, 1+i%12, 1+i%28)
		p := newPost(fmt.Sprintf("post-%d", i), title, date, []string{tags[i%len(tags)], tags[(i/5)%len(tags)]}, 3, nil)
		p.Description = desc
		posts = append(posts, p)
	}
	return content.NewSnapshot(content.Site{Title: "Big Blog"}, posts, nil, nil, nil, "")
}

// BenchmarkFilter10k measures one keystroke of the post list's filter on a
// blog of 10,000 posts, through the root's Update and View as Bubble Tea
// runs them. Each op types one key and deletes it again; ns/key is the cost
// of one of them (cpu-ns/key the process's CPU time for it, which a busy
// machine does not inflate). The queries: one letter (most posts match), a growing
// Chinese and English word, and one nothing matches.
func BenchmarkFilter10k(b *testing.B) {
	blog := bigBlog(10000)
	for _, sc := range []struct{ name, query, key string }{
		{"first-letter", "", "e"},
		{"zh-grow", "数据", "库"},
		{"en-grow", "kube", "r"},
		{"two-terms", "go 笔记", "x"},
		{"no-match", "zzz", "q"},
	} {
		b.Run(sc.name, func(b *testing.B) {
			d := newDriver(b, Options{Snapshot: blog, Width: 80, Height: 24})
			d.keys("/")
			if sc.query != "" {
				d.keys(sc.query)
			}
			typed, del := keyPresses(b, sc.key)[0], keyPresses(b, "backspace")[0]
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for range b.N {
				d.m.Update(typed)
				_ = d.m.View()
				d.m.Update(del)
				_ = d.m.View()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/key")
			b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(2*b.N), "cpu-ns/key")
		})
	}
}

// TestBigBlogFilters checks that the generated blog filters as the benchmark
// assumes: the queries match some posts and not others.
func TestBigBlogFilters(t *testing.T) {
	d := newDriver(t, Options{Snapshot: bigBlog(1000), Width: 80, Height: 24})
	d.keys("/", "数据库")
	d.checkScreen()
	if n := d.m.top().(*postsPage).list.count(); n == 0 || n == 1000 {
		t.Fatalf("数据库 matches %d of 1000 posts", n)
	}
	d.keys("esc", "/", "Kubernetes")
	if n := d.m.top().(*postsPage).list.count(); n == 0 || n == 1000 {
		t.Fatalf("Kubernetes matches %d of 1000 posts", n)
	}
	if !strings.Contains(d.view(), "Kubernetes") {
		t.Fatalf("no Kubernetes on screen:\n%s", d.view())
	}
}

// bigPost is a post of about size bytes of Markdown: paragraphs of Chinese
// and English, headings, lists and code, with tabs in the code.
func bigPost(size int) *content.Post {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "## 第 %d 节 Section %d\n\n", i, i)
		b.WriteString("分布式系统中的一致性问题一直是一个非常重要的话题，我们在实现存储引擎的时候遇到了很多挑战。")
		b.WriteString("The **consensus** layer decides the order of writes; see [the paper](https://example.com/raft) for details. ")
		b.WriteString("调度器需要考虑资源的公平性和利用率，这在 Kubernetes 中尤其明显。\n\n")
		b.WriteString("- 第一点：数据库的索引\n- Second: the write-ahead log\n- 第三点：`fsync` 的代价\n\n")
		b.WriteString("```go\nfunc main() {\n\tfmt.Println(\"hello, 世界\")\n}\n```\n\n")
	}
	p := newPost("big", "一篇很长的文章 A very long post", "2021-01-01", []string{"long"}, 0, nil)
	p.Body = b.String()
	p.Hash = hashOf(p.Body)
	return p
}

// BenchmarkOpenCached measures opening a 1 MiB post whose rendering is
// already in the renderer's cache: enter on the list until the reader
// holds its lines, then back to the list (q) for the next op. cacheOnly
// is the cache lookup alone, the goal for a cached open.
func BenchmarkOpenCached(b *testing.B) {
	p := bigPost(1 << 20)
	blog := content.NewSnapshot(content.Site{Title: "Big"}, []*content.Post{p}, nil, nil, nil, "")
	r := render.New(64 << 20)
	d := newDriver(b, Options{Snapshot: blog, Renderer: r, Width: 100, Height: 30})
	d.keys("enter", "q") // renders, and caches
	col := min(maxColumn, 100-2)
	b.Run("cache-only", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := r.Render(blog, p, col, theme.Dark); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open", func(b *testing.B) {
		enter, quit := keyPresses(b, "enter")[0], keyPresses(b, "q")[0]
		b.ReportAllocs()
		b.ResetTimer()
		cpu := cpuTime()
		for range b.N {
			d.send(enter)
			_ = d.m.View()
			if d.m.reader == nil || len(d.m.reader.lines) == 0 {
				b.Fatal("the reader has no lines")
			}
			b.StopTimer()
			d.send(quit)
			b.StartTimer()
		}
		b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
}

// BenchmarkSessionMemory10k reports the heap a session's UI holds on a blog
// of 10,000 posts, sessions sharing one Cache as the server's do: on the
// post list, with a filter typed, and reading a post. Run with
// -benchtime=1000x to hold a thousand sessions at once. shared-cache is
// what the Cache itself holds once the list has been filtered: the
// lower-cased text of every post, built once for all sessions.
func BenchmarkSessionMemory10k(b *testing.B) {
	blog := bigBlog(10000)
	out, err := (&wrapRenderer{}).Render(blog, blog.Posts()[0], 78, theme.Dark)
	if err != nil {
		b.Fatal(err)
	}
	r := sharedRenderer{out: out}
	b.Run("shared-cache", func(b *testing.B) {
		var before, after runtime.MemStats
		held := make([]*Cache, 0, b.N)
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range b.N {
			c := NewCache()
			c.postKeys(blog)
			held = append(held, c)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(b.N), "B/cache")
		runtime.KeepAlive(held)
	})
	cache := NewCache()
	for _, sc := range []struct {
		name string
		keys []string
	}{
		{"list", nil},
		{"filtered", []string{"/", "数据库"}},
		{"filtered-wide", []string{"/", "e"}},
		{"reader", []string{"enter"}},
	} {
		b.Run(sc.name, func(b *testing.B) {
			held := make([]*Model, 0, b.N)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range b.N {
				d := newDriver(b, Options{Snapshot: blog, Renderer: r, Width: 80, Height: 24, Cache: cache})
				d.keys(sc.keys...)
				_ = d.m.View()
				held = append(held, d.m)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(b.N), "B/session")
			runtime.KeepAlive(held)
		})
	}
}

// BenchmarkSessionMemoryBigPost reports the heap a session holds reading a
// 1 MiB post, and searching it, when other sessions have read and searched
// it before: the lines and the search index are the Cache's, shared; the
// session holds its matches. (Each session held its own before: 467 KB
// reading, 1.9 MB searching.)
func BenchmarkSessionMemoryBigPost(b *testing.B) {
	p := bigPost(1 << 20)
	blog := content.NewSnapshot(content.Site{Title: "Big"}, []*content.Post{p}, nil, nil, nil, "")
	r, cache := render.New(64<<20), NewCache()
	newDriver(b, Options{Snapshot: blog, Renderer: r, Width: 100, Height: 30, Cache: cache}).keys("enter", "/", "数据库", "enter")
	for _, sc := range []struct {
		name string
		keys []string
	}{
		{"reader", []string{"enter"}},
		{"search", []string{"enter", "/", "数据库", "enter"}},
	} {
		b.Run(sc.name, func(b *testing.B) {
			held := make([]*Model, 0, b.N)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range b.N {
				d := newDriver(b, Options{Snapshot: blog, Renderer: r, Width: 100, Height: 30, Cache: cache})
				d.keys(sc.keys...)
				held = append(held, d.m)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(b.N), "B/session")
			runtime.KeepAlive(held)
		})
	}
}
