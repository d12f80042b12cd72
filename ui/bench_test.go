package ui

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render"
)

// sharedRenderer returns one string for every call, as the real renderer's
// cross-session cache does on a hit, so the benchmarks measure what a session
// itself holds.
type sharedRenderer struct{ out string }

func (r sharedRenderer) Render(content.Site, *content.Post, int, render.Theme) (string, error) {
	return r.out, nil
}

// BenchmarkSessionMemory reports the heap a session's UI holds: on the post
// list, and reading the seed post. Run with -benchtime=1000x to hold a
// thousand sessions at once, as the server would.
func BenchmarkSessionMemory(b *testing.B) {
	blog := seedBlog(b)
	out, err := (&wrapRenderer{}).Render(blog.Site(), blog.Posts()[0], 78, render.Dark)
	if err != nil {
		b.Fatal(err)
	}
	r := sharedRenderer{out: out}
	for _, sc := range []struct {
		name string
		keys []string
	}{
		{"list", nil},
		{"reader", []string{"enter"}},
		{"every-section", []string{"2", "enter", "3", "enter", "4", "1", "enter"}},
	} {
		b.Run(sc.name, func(b *testing.B) {
			held := make([]*Model, 0, b.N)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range b.N {
				d := newDriver(b, Options{Snapshot: blog, Renderer: r, Width: 80, Height: 24})
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

// BenchmarkKey measures Update plus View for a key press, as Bubble Tea runs
// them, on the list and in the reader.
func BenchmarkKey(b *testing.B) {
	blog := seedBlog(b)
	for _, sc := range []struct {
		name string
		keys []string
		key  string
	}{
		{"list-down", nil, "j"},
		{"reader-down", []string{"enter"}, "j"},
		{"reader-search-next", []string{"enter", "/", "的", "enter"}, "n"},
	} {
		b.Run(sc.name, func(b *testing.B) {
			d := newDriver(b, Options{Snapshot: blog, Renderer: &wrapRenderer{}, Width: 80, Height: 24})
			d.keys(sc.keys...)
			k := keyPresses(b, sc.key)[0]
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				d.m.Update(k)
				_ = d.m.View()
			}
		})
	}
}

// BenchmarkFilter measures one keystroke of the list filter on a blog of
// 1,000 posts: the filter runs in Update.
func BenchmarkFilter(b *testing.B) {
	var posts []*content.Post
	for i := range 1000 {
		p := newPost(fmt.Sprintf("post-%d", i), fmt.Sprintf("第 %d 篇文章 Post number %d", i, i), "2021-01-01", []string{"go", "db"}, 3, nil)
		p.Description = "A description long enough to be realistic for a blog post listing."
		posts = append(posts, p)
	}
	s := content.NewSnapshot(content.Site{}, posts, nil, nil, nil, "")
	d := newDriver(b, Options{Snapshot: s, Width: 80, Height: 24})
	d.keys("/", "文章")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		d.keys("9", "backspace")
	}
}
