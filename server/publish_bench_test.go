package server

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content/sample"
)

// BenchmarkPublishToVisibleOpenSSH is the same with the real clients, as an
// author would time it: `scp post.md host:posts/` and then `ssh host ls`
// (each a new process and connection).
func BenchmarkPublishToVisibleOpenSSH(b *testing.B) {
	requireClients(b, "scp")
	bs := startBlog(b, serverOptions{seed: generatedBlog(b, 1000)})
	dir := b.TempDir()
	var upload time.Duration
	b.ResetTimer()
	for i := range b.N {
		slug := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i)
		post := writeFile(b, dir, "2030-01-01-"+slug+".md", postFile("Benchmark "+slug, "Fast?"))
		start := time.Now()
		if r := bs.scp(b, bs.author, post, "host:posts/"); r.code != 0 {
			b.Fatalf("scp: %s", r)
		}
		upload += time.Since(start)
		if out := bs.listing(b); !strings.Contains(out, slug) {
			b.Fatalf("ls does not list %s:\n%s", slug, out)
		}
	}
	b.ReportMetric(float64(upload)/1e6/float64(b.N), "scp-ms")
}

// generatedBlog is the sample blog plus n generated posts.
func generatedBlog(b testing.TB, n int) fstest.MapFS {
	b.Helper()
	blog := fstest.MapFS{}
	for _, name := range []string{"site.yaml", "books.yaml", "papers.yaml", "posts/2020-12-26-2020-year-in-review.md"} {
		data, err := fsReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		blog[name] = &fstest.MapFile{Data: data}
	}
	body := strings.Repeat("Some words about reading and writing. ", 40)
	for i := range n {
		day := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		name := fmt.Sprintf("posts/%s-post-%d.md", day.Format("2006-01-02"), i)
		blog[name] = &fstest.MapFile{Data: []byte(postFile(fmt.Sprintf("Post number %d", i), body))}
	}
	return blog
}

func fsReadFile(name string) ([]byte, error) {
	f, err := sample.FS().Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(f)
	return buf.Bytes(), err
}

// BenchmarkPublishToVisible measures publish-to-visible latency: an author
// uploads a new post over sftp (what scp does; the publish runs when the
// file is closed, before the client is told the upload finished), then a
// new reader connection runs `ls` and must list it. ns/op is the whole;
// publish-ms is the upload's close (validation and commit), visible-ms the
// new session's ls.
func BenchmarkPublishToVisible(b *testing.B) {
	requireClients(b)
	for _, bb := range []struct {
		name string
		seed func(*testing.B) fstest.MapFS
	}{
		{"sample", func(b *testing.B) fstest.MapFS { return generatedBlog(b, 0) }},
		{"1000posts", func(b *testing.B) fstest.MapFS { return generatedBlog(b, 1000) }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			bs := startBlog(b, serverOptions{seed: bb.seed(b)})
			config := func(k *keyFile) *gossh.ClientConfig {
				return &gossh.ClientConfig{
					User:            "user",
					Auth:            []gossh.AuthMethod{gossh.PublicKeys(k.signer)},
					HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // a test server
				}
			}
			conn, err := gossh.Dial("tcp", bs.addr, config(bs.author))
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			client, err := sftp.NewClient(conn)
			if err != nil {
				b.Fatal(err)
			}
			defer client.Close()

			var publish, visible time.Duration
			b.ResetTimer()
			for i := range b.N {
				slug := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i)
				f, err := client.Create("posts/2030-01-01-" + slug + ".md")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.Write([]byte(postFile("Benchmark "+slug, "Fast?"))); err != nil {
					b.Fatal(err)
				}
				closing := time.Now()
				if err := f.Close(); err != nil {
					b.Fatalf("publish: %v\n%s", err, bs.logs)
				}
				published := time.Now()
				reader, err := gossh.Dial("tcp", bs.addr, config(bs.reader))
				if err != nil {
					b.Fatal(err)
				}
				sess, err := reader.NewSession()
				if err != nil {
					b.Fatal(err)
				}
				out, err := sess.Output("ls")
				_ = reader.Close()
				if err != nil || !bytes.Contains(out, []byte(slug)) {
					b.Fatalf("ls does not list %s (%v):\n%s", slug, err, out)
				}
				publish += published.Sub(closing)
				visible += time.Since(published)
			}
			b.ReportMetric(float64(publish)/1e6/float64(b.N), "publish-ms")
			b.ReportMetric(float64(visible)/1e6/float64(b.N), "visible-ms")
		})
	}
}

// BenchmarkGitPushOpenSSH measures `git push` of one new post to a blog of
// 1,000 posts with the real clients, from the push's start until the
// client returns: receive-pack, the pre-receive hook's validation, the
// post-receive hook's history record and the reload, as an author waits
// for them. Goal: under 500 ms.
func BenchmarkGitPushOpenSSH(b *testing.B) {
	requireClients(b)
	bs := startBlog(b, serverOptions{seed: generatedBlog(b, 1000)})
	clone := bs.clone(b, bs.author)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		slug := fmt.Sprintf("pushed-%d-%d", time.Now().UnixNano(), i)
		writeFile(b, filepath.Join(clone, "posts"), "2030-01-01-"+slug+".md", postFile("Pushed "+slug, "Fast?"))
		bs.commitAll(b, clone, "add "+slug)
		b.StartTimer()
		if r := bs.git(b, bs.author, clone, "push", "--quiet", "origin", "main"); r.code != 0 {
			b.Fatalf("push: %s", r)
		}
		b.StopTimer()
		if _, ok := bs.store.Snapshot().Post(slug); !ok {
			b.Fatalf("the pushed post is not live")
		}
		b.StartTimer()
	}
}
