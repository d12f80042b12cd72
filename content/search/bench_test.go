package search

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content"
)

// benchQueries are the queries the benchmarks time: two-character Chinese,
// longer Chinese, mixed, English word forms, and a miss.
var benchQueries = []string{"部署", "论文", "流处理", "分布式 系统", "Flink 流处理", "render", "rendering", "kubernetes deployment", "一致性 replica", "nothing-matches-this"}

// inMemory makes the benchmarks and tests use an index in memory rather
// than in a folder: go test -bench . -args -search.memory
var inMemory = flag.Bool("search.memory", false, "index in memory, not in a folder")

// benchDir returns the folder an index is kept in: a temporary one, or ""
// (memory) with -search.memory.
func benchDir(tb testing.TB) string {
	if *inMemory {
		return ""
	}
	return tb.TempDir()
}

// buildIndex returns an index of s.
func buildIndex(tb testing.TB, s *content.Snapshot) *Index {
	tb.Helper()
	x, err := New(benchDir(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { x.Close() })
	if err := x.Update(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return x
}

// cpuTime returns the CPU time the process has used, user and system: on a
// shared, loaded machine it says more than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// dirSize returns the bytes of the files under dir.
func dirSize(tb testing.TB, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// heap returns the live heap after a collection.
func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkBuild10000 builds the index of a generated 10,000-post blog from
// nothing (the server's start-up build) and reports the index's live heap
// against the blog's text size.
func BenchmarkBuild10000(b *testing.B) {
	s, size := genBlog(10000)
	b.ReportMetric(float64(size)/1e6, "text-MB")
	for b.Loop() {
		before := heap()
		cpu := cpuTime()
		dir := benchDir(b)
		x, err := New(dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := x.Update(context.Background(), s); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if dir != "" {
			b.ReportMetric(float64(dirSize(b, dir))/1e6, "disk-MB")
		}
		b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s")
		after := heap()
		b.ReportMetric(float64(after-before)/1e6, "index-MB")
		b.ReportMetric(float64(after-before)/float64(size), "index/text")
		x.Close()
		b.StartTimer()
	}
}

// BenchmarkQuery10000 times the queries of benchQueries on a generated
// 10,000-post blog (each search with its snippets, limit 20), reporting the
// 50th and 99th percentile.
func BenchmarkQuery10000(b *testing.B) {
	s, _ := genBlog(10000)
	x := buildIndex(b, s)
	var times []time.Duration
	ctx := context.Background()
	cpu := cpuTime()
	for i := 0; b.Loop(); i++ {
		q := benchQueries[i%len(benchQueries)]
		t := time.Now()
		if _, err := x.Search(ctx, s, q, 20); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t))
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(len(times)), "cpu-ms/op")
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkReindexOne10000 times bringing the index of a generated
// 10,000-post blog to the next snapshot after a one-post publish (one post
// edited): the part of publish-to-visible latency search adds.
func BenchmarkReindexOne10000(b *testing.B) {
	s, _ := genBlog(10000)
	x := buildIndex(b, s)
	posts := s.Posts()
	var cpu time.Duration
	n := 0
	for i := 0; b.Loop(); i++ {
		n++
		b.StopTimer()
		next := slices.Clone(posts)
		p := *next[i%len(next)]
		p.Body += fmt.Sprintf("\n\n修改 %d edited\n", i)
		p.Hash = fmt.Sprintf("edit-%d", i)
		next[i%len(next)] = &p
		ns := content.NewSnapshot(s.Site(), next, s.Books(), s.Papers(), nil, fmt.Sprint("rev", i))
		b.StartTimer()
		start := cpuTime()
		if err := x.Update(context.Background(), ns); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/op")
}
