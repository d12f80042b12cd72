package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content"
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
