package server

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/content/upload"
)

// Both scp protocols: the default (SFTP) and legacy (scp -O).
var scpProtocols = []struct {
	name string
	flag []string
}{
	{"scp", nil},
	{"scp -O", []string{"-O"}},
}

func TestScpUpload(t *testing.T) {
	t.Parallel()
	requireClients(t, "scp")
	bs := startBlog(t, serverOptions{limits: store.Options{Limits: upload.Limits{TextFile: 16 << 10}}})
	for i, proto := range scpProtocols {
		t.Run(proto.name, func(t *testing.T) {
			scp := func(key *keyFile, args ...string) result {
				return bs.scp(t, key, append(proto.flag, args...)...)
			}
			dir := t.TempDir()
			slug := []string{"by-scp", "by-legacy-scp"}[i]
			title := []string{"Uploaded with scp", "Uploaded with scp -O"}[i]
			post := writeFile(t, dir, "2024-09-0"+string(rune('1'+i))+"-"+slug+".md", postFile(title, "Over SSH."))

			// A reader is refused, and nothing changes.
			before := bs.mainRev()
			r := scp(bs.reader, post, "host:posts/")
			if r.code == 0 || !strings.Contains(r.stderr, permissionDenied) {
				t.Fatalf("a reader's upload: %s", r)
			}
			if bs.mainRev() != before {
				t.Fatal("a reader's upload changed the blog")
			}
			// Nor may a reader download the source.
			if r := scp(bs.reader, "host:posts/2020-12-26-2020-year-in-review.md", dir); r.code == 0 || !strings.Contains(r.stderr, permissionDenied) {
				t.Fatalf("a reader's download: %s", r)
			}

			// The author publishes, and a new session lists the post.
			r = scp(bs.author, post, "host:posts/")
			if r.code != 0 {
				t.Fatalf("the author's upload: %s", r)
			}
			if !strings.Contains(r.stderr, "sshblog: published "+shortRev(bs.mainRev())+": added posts/"+filepath.Base(post)) {
				t.Errorf("the upload did not say what it published:\n%s", r.stderr)
			}
			if out := bs.listing(t); !strings.Contains(out, title) {
				t.Fatalf("ssh host ls after the upload:\n%s", out)
			}
			// To a file name, not a folder.
			renamed := writeFile(t, dir, "draft.md", postFile(title+", again", "Renamed on the way."))
			if r := scp(bs.author, renamed, "host:/posts/2024-09-1"+string(rune('1'+i))+"-"+slug+"-again.md"); r.code != 0 {
				t.Fatalf("upload to a file name: %s", r)
			}
			if out := bs.listing(t); !strings.Contains(out, slug+"-again") {
				t.Fatalf("the post uploaded to a file name is not listed:\n%s", out)
			}
			// And back: the author downloads what is published.
			got := filepath.Join(dir, "got.md")
			if r := scp(bs.author, "host:posts/"+filepath.Base(post), got); r.code != 0 {
				t.Fatalf("download: %s", r)
			}
			if data, _ := os.ReadFile(got); string(data) != postFile(title, "Over SSH.") {
				t.Fatalf("downloaded %q", data)
			}
			// Overwriting with a shorter file leaves nothing of the old one.
			shorter := writeFile(t, filepath.Join(dir, "short"), filepath.Base(post), postFile(title, "Short."))
			if r := scp(bs.author, shorter, "host:posts/"); r.code != 0 {
				t.Fatalf("overwrite: %s", r)
			}
			if data, err := bs.store.Files().ReadFile("posts/" + filepath.Base(post)); err != nil || string(data) != postFile(title, "Short.") {
				t.Fatalf("after overwriting with a shorter file: %q, %v", data, err)
			}
			// A whole folder (scp -r).
			copyDir := filepath.Join(dir, "copy")
			if r := scp(bs.author, "-r", "host:posts", copyDir); r.code != 0 {
				t.Fatalf("recursive download: %s", r)
			}
			for _, name := range []string{"2020-12-26-2020-year-in-review.md", filepath.Base(post)} {
				want, err := bs.store.Files().ReadFile("posts/" + name)
				if err != nil {
					t.Fatal(err)
				}
				if got, err := os.ReadFile(filepath.Join(copyDir, name)); err != nil || string(got) != string(want) {
					t.Errorf("scp -r: posts/%s: %v", name, err)
				}
			}

			// Refused uploads: every problem on stderr, non-zero exit, nothing
			// changes, nothing left behind.
			live, files := bs.mainRev(), bs.repoFiles(t)
			big := strings.Repeat("All work and no play. ", 1000)
			for _, bad := range []struct {
				name, file, data, target string
				want                     *regexp.Regexp
			}{
				{"invalid front matter", "2024-09-20-bad.md", "---\ntitle: [oops\n---\nBody.\n", "host:posts/",
					regexp.MustCompile(`posts/2024-09-20-bad\.md:2: `)},
				{"a NUL byte", "2024-09-21-binary.md", "---\ntitle: Binary\n---\nline\nnul \x00 here\n", "host:posts/",
					regexp.MustCompile(`posts/2024-09-21-binary\.md:5: text contains a NUL byte`)},
				{"not UTF-8", "2024-09-22-latin1.md", "---\ntitle: Caf\xe9\n---\n", "host:posts/",
					regexp.MustCompile(`posts/2024-09-22-latin1\.md:2: text is not valid UTF-8`)},
				{"over the size limit", "2024-09-23-big.md", postFile("Big", big), "host:posts/",
					regexp.MustCompile(`posts/2024-09-23-big\.md: too big: .*over the 16 KiB limit for a text file`)},
				{"a file the blog does not use", "notes.txt", "hello", "host:posts/",
					regexp.MustCompile(`posts/notes\.txt: not accepted: you can upload Markdown posts`)},
				{"path traversal", "x", "x", "host:../../etc/x",
					regexp.MustCompile(`leaves the blog's folder|etc/x: not accepted`)},
				{"into .git", "config", "x", "host:.git/",
					regexp.MustCompile(`\.git is reserved`)},
			} {
				src := writeFile(t, dir, bad.file, bad.data)
				r := scp(bs.author, src, bad.target)
				if r.code == 0 || !bad.want.MatchString(r.stderr) {
					t.Errorf("%s: want a failure matching %s, got %s", bad.name, bad.want, r)
				}
			}
			if bs.mainRev() != live {
				t.Fatal("a refused upload changed the blog")
			}
			if after := bs.repoFiles(t); !sameFiles(files, after) {
				t.Fatalf("a refused upload left files behind:\nbefore %v\nafter  %v", files, after)
			}
		})
	}
}

// sameFiles reports whether two listings of the data folder are the same,
// ignoring git's logs (reflogs and the like are appended to by reads).
func sameFiles(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for p, n := range a {
		if m, ok := b[p]; !ok || m != n {
			return false
		}
	}
	return true
}

// Legacy scp sends the files of one command together: a post and the
// books.yaml that refers to it are published as one change, which neither
// would pass alone (the book refers to a post that does not exist yet).
func TestLegacyScpPublishesOneChange(t *testing.T) {
	t.Parallel()
	requireClients(t, "scp")
	bs := startBlog(t, serverOptions{})
	dir := t.TempDir()
	books, err := bs.store.Files().ReadFile("books.yaml")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "up/posts/2024-10-01-on-reading.md", postFile("On reading", "Books."))
	writeFile(t, dir, "up/books.yaml", string(books)+"\n- title: A new book\n  status: read\n  post: on-reading\n")

	// The book alone refers to a missing post: refused.
	r := bs.scp(t, bs.author, "-O", filepath.Join(dir, "up", "books.yaml"), "host:")
	if r.code == 0 || !strings.Contains(r.stderr, "books.yaml:") || !strings.Contains(r.stderr, "on-reading") {
		t.Fatalf("books.yaml alone: %s", r)
	}
	// Both in one command (scp -r of the folder): one commit.
	before := bs.mainRev()
	r = bs.scp(t, bs.author, "-O", "-r", filepath.Join(dir, "up", "books.yaml"), filepath.Join(dir, "up", "posts"), "host:")
	if r.code != 0 {
		t.Fatalf("scp -O -r: %s", r)
	}
	entries, err := bs.store.History(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	e := entries[0]
	if e.Previous != before || e.Via != "scp" || len(e.Files) != 2 || e.Author.Fingerprint != bs.author.fingerprint() || e.Author.Comment != "" {
		t.Fatalf("history entry %+v, want one scp change of two files on %s by the author", e, before)
	}
	if !strings.Contains(bs.listing(t), "On reading") {
		t.Fatal("the post is not listed")
	}
}

func TestSftpBatch(t *testing.T) {
	t.Parallel()
	requireClients(t, "sftp")
	bs := startBlog(t, serverOptions{})
	dir := t.TempDir()
	writeFile(t, dir, "2024-11-01-sftp.md", postFile("Put with sftp", "Batch mode."))
	writeFile(t, dir, "cover.png", "\x89PNG\r\n\x1a\nnot really an image")

	t.Run("reader", func(t *testing.T) {
		before := bs.mainRev()
		for _, batch := range []string{
			"put 2024-11-01-sftp.md posts/\n",
			"rm posts/2020-12-26-2020-year-in-review.md\n",
			"rename posts/2020-12-26-2020-year-in-review.md posts/x.md\n",
			"mkdir images\n",
			"ls\n",
		} {
			r := bs.sftp(t, bs.reader, dir, batch)
			if r.code == 0 || !strings.Contains(r.stderr, permissionDenied) {
				t.Errorf("a reader's %q: %s", strings.TrimSpace(batch), r)
			}
		}
		if bs.mainRev() != before {
			t.Fatal("a reader changed the blog")
		}
	})

	t.Run("author", func(t *testing.T) {
		r := bs.sftp(t, bs.author, dir, strings.Join([]string{
			"mkdir images",
			"ls",
			"put cover.png images/cover.png",
			"put 2024-11-01-sftp.md posts/",
			"ls -1 posts",
			"rename posts/2024-11-01-sftp.md posts/2024-11-02-renamed.md",
			"get posts/2024-11-02-renamed.md back.md",
		}, "\n")+"\n")
		if r.code != 0 {
			t.Fatalf("the author's batch: %s", r)
		}
		if !strings.Contains(r.stdout, "images") || !strings.Contains(r.stdout, "posts/2024-11-01-sftp.md") {
			t.Errorf("ls did not show the new folder and post:\n%s", r.stdout)
		}
		if data, _ := os.ReadFile(filepath.Join(dir, "back.md")); string(data) != postFile("Put with sftp", "Batch mode.") {
			t.Errorf("got back %q", data)
		}
		out := bs.listing(t)
		if !strings.Contains(out, "2024-11-02  renamed") {
			t.Fatalf("after put and rename:\n%s", out)
		}
		if _, err := bs.store.Files().Stat("images/cover.png"); err != nil {
			t.Fatalf("the image was not published: %v", err)
		}
		if r := bs.sftp(t, bs.author, dir, "rm posts/2024-11-02-renamed.md\n"); r.code != 0 {
			t.Fatalf("rm: %s", r)
		}
		if out := bs.listing(t); strings.Contains(out, "renamed") {
			t.Fatalf("after rm:\n%s", out)
		}
	})

	t.Run("refused", func(t *testing.T) {
		writeFile(t, dir, "2024-11-03-untitled.md", "---\ndate: 2024-11-03\n---\nNo title.\n")
		live, files := bs.mainRev(), bs.repoFiles(t)
		for _, bad := range []struct {
			batch string
			want  *regexp.Regexp
		}{
			{"put 2024-11-03-untitled.md posts/", regexp.MustCompile(`posts/2024-11-03-untitled\.md(:\d+)?: .*title`)},
			{"put 2024-11-01-sftp.md /../x", regexp.MustCompile(`x: not accepted`)},
			{"put 2024-11-01-sftp.md /../../posts/../../etc/passwd", regexp.MustCompile(`etc/passwd: not accepted`)},
			{"symlink /etc/passwd posts/2024-11-04-link.md", regexp.MustCompile(`symbolic links are not allowed`)},
			{"ln posts/2020-12-26-2020-year-in-review.md posts/2024-11-05-hard.md", regexp.MustCompile(`links are not allowed`)},
			{"rm posts", regexp.MustCompile(`folder that is not empty|not empty`)},
			{"rmdir posts", regexp.MustCompile(`not empty`)},
			{"rename site.yaml site.txt", regexp.MustCompile(`site\.txt: not accepted`)},
			{"rm posts/2020-12-26-2020-year-in-review.md", regexp.MustCompile(`books\.yaml|papers\.yaml`)}, // the lists refer to it
			{"put 2024-11-01-sftp.md posts/.git/x.md", regexp.MustCompile(`\.git is reserved`)},
		} {
			r := bs.sftp(t, bs.author, dir, bad.batch+"\n")
			if r.code == 0 || !bad.want.MatchString(r.stderr) {
				t.Errorf("%q: want a failure matching %s, got %s", bad.batch, bad.want, r)
			}
		}
		if bs.mainRev() != live {
			t.Fatal("a refused change changed the blog")
		}
		if after := bs.repoFiles(t); !sameFiles(files, after) {
			t.Fatalf("a refused change left files behind:\nbefore %v\nafter  %v", files, after)
		}
	})
}

// Publishing off: authors are told why, readers get the permission message.
func TestPublishingOff(t *testing.T) {
	t.Parallel()
	requireClients(t, "scp", "sftp")
	const why = "this server serves a folder read-only (--content)"
	bs := startBlog(t, serverOptions{noStore: true, publishOff: why})
	dir := t.TempDir()
	post := writeFile(t, dir, "2024-12-01-off.md", postFile("Off", "No."))
	for _, who := range []struct {
		key  *keyFile
		want string
	}{{bs.author, "publishing is off: " + why}, {bs.reader, permissionDenied}} {
		for name, r := range map[string]result{
			"scp":      bs.scp(t, who.key, post, "host:posts/"),
			"scp -O":   bs.scp(t, who.key, "-O", post, "host:posts/"),
			"sftp":     bs.sftp(t, who.key, dir, "put "+post+" posts/\n"),
			"git push": bs.git(t, who.key, dir, "clone", bs.repoURL(), "c"),
			"history":  bs.ssh(t, who.key, "history"),
			"rollback": bs.ssh(t, who.key, "rollback", "abcd"),
		} {
			if r.code == 0 || !strings.Contains(r.stderr, who.want) {
				t.Errorf("%s as %s: want %q, got %s", name, filepath.Base(who.key.path), who.want, r)
			}
		}
	}
	if out := bs.listing(t); !strings.Contains(out, "2020 年终总结") {
		t.Fatalf("readers are not served:\n%s", out)
	}
}

// A problem already published (a seed's post with broken front matter)
// never blocks an upload, over scp, legacy scp or sftp; the author is told
// once that it is there. A new post with the same mistake is refused.
func TestPublishedProblemsDoNotBlockUploads(t *testing.T) {
	t.Parallel()
	requireClients(t, "scp", "sftp")
	seed := generatedBlog(t, 0)
	seed["posts/2024-03-01-broken.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [unclosed\n---\nBody.\n")}
	bs := startBlog(t, serverOptions{seed: seed})
	dir := t.TempDir()
	for i, way := range []string{"scp", "scp -O", "sftp"} {
		name := fmt.Sprintf("2024-12-0%d-fine-%d.md", i+1, i)
		post := writeFile(t, dir, name, postFile("Fine "+way, "Fine."))
		var r result
		switch way {
		case "scp":
			r = bs.scp(t, bs.author, post, "host:posts/")
		case "scp -O":
			r = bs.scp(t, bs.author, "-O", post, "host:posts/")
		case "sftp":
			r = bs.sftp(t, bs.author, dir, "put "+post+" posts/\n")
		}
		if r.code != 0 || !strings.Contains(r.stderr, "1 problem already published") || !strings.Contains(bs.listing(t), "Fine "+way) {
			t.Fatalf("%s of a fine post next to a published problem: %s", way, r)
		}
	}
	bad := writeFile(t, dir, "2024-12-09-bad.md", "---\ntitle: [unclosed\n---\nAgain.\n")
	if r := bs.scp(t, bs.author, bad, "host:posts/"); r.code == 0 || !strings.Contains(r.stderr, "posts/2024-12-09-bad.md:2: invalid YAML") {
		t.Fatalf("scp of a post with the same mistake: %s", r)
	}
}
