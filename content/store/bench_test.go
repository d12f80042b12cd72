package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

// benchApply measures publish-to-visible: from Apply's call to the new
// snapshot being live in the Library (Apply returns after publishing it),
// for one edited post.
func benchApply(b *testing.B, s *Store, slug string) {
	ch, stop := s.Library().Subscribe()
	defer stop()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		var c Change
		c.Via = "bench"
		c.Put("posts/2024-12-31-"+slug+".md", post("Bench", fmt.Sprintf("Edit %d.\n", i)))
		res, err := s.Apply(context.Background(), c, alice)
		if err != nil {
			b.Fatal(err)
		}
		if got := <-ch; got != res.Snapshot {
			b.Fatal("a different snapshot was published")
		}
		if _, ok := s.Library().Snapshot().Post(slug); !ok {
			b.Fatal("the post is not listed")
		}
	}
}

func BenchmarkApplySample(b *testing.B) {
	s := openTest(b, sample.FS(), Options{})
	benchApply(b, s, "bench")

}

// generateBlog writes a blog of n posts of about 3 KB each under dir.
func generateBlog(b *testing.B, dir string, n int) {
	files := map[string]string{"site.yaml": "title: Big blog\n"}
	para := strings.Repeat("Lorem ipsum dolor sit amet, 中文的句子也在这里。 ", 40) + "\n\n"
	for i := range n {
		files[fmt.Sprintf("posts/%04d-%02d-%02d-post-%d.md", 2000+i/365, 1+i%12, 1+i%28, i)] =
			fmt.Sprintf("---\ntitle: Post %d\ntags: [t%d, common]\ndescription: number %d\n---\n%s%s", i, i%20, i, para, para)
	}
	writeFiles(b, dir, files)
}

func BenchmarkApply1000Posts(b *testing.B) {
	src := b.TempDir()
	generateBlog(b, src, 1000)
	s := openTest(b, os.DirFS(src), Options{})
	if len(s.Snapshot().Posts()) != 1000 {
		b.Fatalf("%d posts", len(s.Snapshot().Posts()))
	}
	benchApply(b, s, "bench")

}

// BenchmarkRefresh1000Posts measures loading main after a push changed one
// post of 1,000, the git transport's publish-to-visible.
func BenchmarkRefresh1000Posts(b *testing.B) {
	src := b.TempDir()
	generateBlog(b, src, 1000)
	benchRefresh(b, openTest(b, os.DirFS(src), Options{}))
}

func benchRefresh(b *testing.B, s *Store) {
	dir := s.Dir()
	tmp := filepath.Join(b.TempDir(), "blob")
	var cpu time.Duration
	defer func() { b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op") }()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		os.WriteFile(tmp, post("Pushed", fmt.Sprintf("v%d\n", i)), 0o644)
		oid := mustGit(b, dir, "--git-dir="+dir, "hash-object", "-w", tmp)
		idx := filepath.Join(b.TempDir(), "index")
		env := gitEnv("GIT_INDEX_FILE="+idx, "GIT_DIR="+dir)
		gitRun(dir, env, "read-tree", "main")
		gitRun(dir, env, "update-index", "--add", "--cacheinfo", "100644,"+oid+",posts/2024-12-31-pushed.md")
		tree, _ := gitRun(dir, env, "write-tree")
		commit := mustGit(b, dir, "--git-dir="+dir, "commit-tree", strings.TrimSpace(tree), "-p", "main", "-m", "push")
		mustGit(b, dir, "--git-dir="+dir, "update-ref", "refs/heads/main", commit)
		b.StartTimer()
		before := cpuTime()
		res, err := s.Refresh(context.Background())
		cpu += cpuTime() - before
		if err != nil || !res.Changed {
			b.Fatal(res, err)
		}
	}
}

// cpuTime returns the CPU time (user and system) used so far by this
// process and its finished children (the git commands).
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}

// reportCPU reports the CPU time per operation, from now until the
// returned function runs: wall time on a busy machine measures the
// machine; CPU time measures the work.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkValidatePush1000Posts measures the pre-receive check of a push
// of a 1,000-post blog: reading the pushed tree from git and validating it
// (the hook process's own start-up is not included).
func BenchmarkValidatePush1000Posts(b *testing.B) {
	src := b.TempDir()
	generateBlog(b, src, 1000)
	s := openTest(b, os.DirFS(src), Options{})
	head := mainOf(b, s.Dir())
	updates := []RefUpdate{{Old: head, New: head, Ref: MainRef}}
	defer reportCPU(b)()
	for b.Loop() {
		problems, err := ValidatePush(context.Background(), s.Dir(), updates, os.Environ())
		if err != nil || hasErrors(problems) {
			b.Fatal(problems, err)
		}
	}
}

// BenchmarkApplyWithImages publishes one edited post to a blog of 100 posts
// and 200 images of 256 KiB (50 MiB): the upload rules check every image's
// first bytes, which must not mean reading every image from git again at
// each publish.
func BenchmarkApplyWithImages(b *testing.B) {
	src := imageBlog(b)
	s := openTest(b, os.DirFS(src), Options{})
	benchApply(b, s, "bench")

}

// imageBlog writes a blog of 100 posts and 200 PNG images of 256 KiB.
func imageBlog(b *testing.B) string {
	src := b.TempDir()
	generateBlog(b, src, 100)
	images := map[string]string{}
	for i := range 200 {
		name := fmt.Sprintf("images/%03d.png", i)
		images[name] = string(uploadtest.Image(name, 256<<10))
	}
	writeFiles(b, src, images)
	return src
}

// BenchmarkValidatePushWithImages checks a push of the image blog's main:
// onto itself, where every image is the published one and is not read
// again, and as a first push (no published main), where every image is.
func BenchmarkValidatePushWithImages(b *testing.B) {
	s := openTest(b, os.DirFS(imageBlog(b)), Options{})
	head := mainOf(b, s.Dir())
	for _, bench := range []struct{ name, old string }{
		{"unchanged", head},
		{"all-new", strings.Repeat("0", len(head))},
	} {
		b.Run(bench.name, func(b *testing.B) {
			updates := []RefUpdate{{Old: bench.old, New: head, Ref: MainRef}}
			defer reportCPU(b)()
			for b.Loop() {
				problems, err := ValidatePush(context.Background(), s.Dir(), updates, os.Environ())
				if err != nil || hasErrors(problems) {
					b.Fatal(problems, err)
				}
			}
		})
	}
}

// seedBlog10000 writes the generated 10,000-post blog once per benchmark.
func seedBlog10000(b *testing.B) string {
	b.Helper()
	src := b.TempDir()
	generateBlog(b, src, 10000)
	return src
}

// heapMB returns the live heap after a collection, in MB, while keep is
// still referenced.
func heapMB(keep any) float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	runtime.KeepAlive(keep)
	return float64(m.HeapAlloc) / 1e6
}

// BenchmarkContent10000Posts is the figure the store's are held to: the
// same folder served with --content, loaded, and the heap it holds.
func BenchmarkContent10000Posts(b *testing.B) {
	src := seedBlog10000(b)
	var heap float64
	for b.Loop() {
		snap, err := content.Load(os.DirFS(src), "")
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		heap = heapMB(snap)
		b.StartTimer()
	}
	b.ReportMetric(heap, "heap-MB")
}

// BenchmarkSeed10000Posts measures a first start with --seed: Open makes
// the repository from a folder of 10,000 posts and loads it. heap-MB is
// what the open store holds. Goals: under 5 s, and no more memory than
// BenchmarkContent10000Posts.
func BenchmarkSeed10000Posts(b *testing.B) {
	src := seedBlog10000(b)
	var heap float64
	for b.Loop() {
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), "blog.git"), os.DirFS(src), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n := len(s.Snapshot().Posts()); n != 10000 {
			b.Fatalf("%d posts", n)
		}
		heap = heapMB(s)
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(heap, "heap-MB")
}

// BenchmarkReopen10000Posts measures a restart: Open on the repository a
// seed of 10,000 posts made, once restarted already (which wrote the parse
// cache). Goal: under 1 s.
func BenchmarkReopen10000Posts(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "blog.git")
	src := seedBlog10000(b)
	for range 2 {
		s, err := Open(context.Background(), dir, os.DirFS(src), Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	var heap float64
	for b.Loop() {
		s, err := Open(context.Background(), dir, nil, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		heap = heapMB(s)
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(heap, "heap-MB")
}
