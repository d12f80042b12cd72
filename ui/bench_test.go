package ui

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/theme"
	"github.com/sshblog/sshblog/ui/paint"
)

// sharedRenderer returns one string for every call, as the real renderer's
// cross-session cache does on a hit, so the benchmarks measure what a session
// itself holds.
type sharedRenderer struct{ out string }

func (r sharedRenderer) Render(*content.Snapshot, *content.Post, int, theme.Theme) (string, error) {
	return r.out, nil
}

// BenchmarkSessionMemory reports the heap a session's UI holds: on the post
// list, and reading the seed post. Run with -benchtime=1000x to hold a
// thousand sessions at once, as the server would.
func BenchmarkSessionMemory(b *testing.B) {
	blog := seedBlog(b)
	out, err := (&wrapRenderer{}).Render(blog, blog.Posts()[0], 78, theme.Dark)
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

// helloModel is the floor: a model that prints "hello" on one line (the
// baseline of the sshload tool the README's session numbers come from),
// optionally in the alternate screen like a full-screen UI.
type helloModel struct{ altScreen bool }

func (helloModel) Init() tea.Cmd                         { return nil }
func (m helloModel) Update(tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (m helloModel) View() tea.View {
	v := tea.NewView("hello")
	v.AltScreen = m.altScreen
	return v
}

// firstFrame is a program's output; done is closed once mark has been
// written (escape sequences removed).
type firstFrame struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	mark string
	done chan struct{}
}

func (w *firstFrame) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done == nil {
		return len(p), nil
	}
	w.buf.Write(p)
	if bytes.Contains([]byte(ansi.Strip(w.buf.String())), []byte(w.mark)) {
		close(w.done)
		w.done, w.buf = nil, bytes.Buffer{}
	}
	return len(p), nil
}

// BenchmarkProgramMemory holds b.N running Bubble Tea programs at 80x24, each
// past its first frame, and reports the heap per program: the floor's
// "hello" model, the same in the alternate screen, and this UI on the sample
// blog's post list, drawn by Bubble Tea's renderer and by package paint (as
// the server runs it), and the same on a blog of 10,000 posts. SSH costs are
// the same for all and not in it; time per op is mostly the wait for the
// first frame.
//
// Measured: hello ~391 KB, hello in the alternate screen ~608 KB, the UI
// with Bubble Tea's renderer ~618 KB, the UI drawn by paint ~157 KB. Bubble
// Tea's renderer keeps cell buffers of the window (about 114 bytes a cell),
// whatever the model, and writes the first frame on its first tick (~18 ms
// per op); paint keeps the frame's lines and writes it at once (~0.6 ms).
// With 10,000 posts a painted session holds the same ~159 KB: a session
// keeps indices and the visible rows, not the posts.
func BenchmarkProgramMemory(b *testing.B) {
	blog := seedBlog(b)
	ui := func() tea.Model {
		return New(Options{Snapshot: blog, Renderer: &wrapRenderer{}, Width: 80, Height: 24})
	}
	big, cache := bigBlog(10000), NewCache()
	ui10k := func() tea.Model {
		return New(Options{Snapshot: big, Renderer: &wrapRenderer{}, Width: 80, Height: 24, Cache: cache})
	}
	for _, tc := range []struct {
		name    string
		model   func() tea.Model
		mark    string
		painted bool // drawn by package paint, as the server does
	}{
		{"hello-floor", func() tea.Model { return helloModel{} }, "hello", false},
		{"hello-altscreen", func() tea.Model { return helloModel{altScreen: true} }, "hello", false},
		{"ui", ui, "1/1", false},
		{"ui-painted", ui, "1/1", true},
		{"ui-10k-posts-painted", ui10k, "1/10000", true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			progs := make([]*tea.Program, 0, b.N)
			inputs := make([]*io.PipeWriter, 0, b.N)
			for range b.N {
				in, inW := io.Pipe()
				out := &firstFrame{mark: tc.mark, done: make(chan struct{})}
				done := out.done
				opts := []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out),
					tea.WithWindowSize(80, 24), tea.WithoutSignalHandler()}
				m := tc.model()
				if tc.painted {
					m = paint.Wrap(m, paint.New(out, 80, 24, colorprofile.TrueColor))
					opts = append(opts, tea.WithoutRenderer())
				}
				p := tea.NewProgram(m, opts...)
				go func() { _, _ = p.Run() }()
				<-done
				progs = append(progs, p)
				inputs = append(inputs, inW)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(b.N), "B/program")
			for i, p := range progs {
				p.Kill()
				_ = inputs[i].Close()
			}
		})
	}
}

// BenchmarkSearch measures one keystroke of the search in the reader on the
// seed post at 80x24: typing a character and deleting it, each running the
// search (the driver runs its command at once) and drawing the screen. "的"
// matches hundreds of times; "数据库" a few, one of them across a line
// break at some widths.
func BenchmarkSearch(b *testing.B) {
	blog := seedBlog(b)
	for _, query := range []string{"的", "数据库", "no such words"} {
		b.Run(query, func(b *testing.B) {
			d := newDriver(b, Options{Snapshot: blog, Renderer: &wrapRenderer{}, Width: 80, Height: 24})
			d.keys("enter", "/", query)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				d.keys("x", "backspace")
			}
		})
	}
}
