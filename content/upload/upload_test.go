package upload

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

func TestPath(t *testing.T) {
	tests := []struct {
		in, want string
		err      string // substring of the error; "" for none
	}{
		{in: "posts/a.md", want: "posts/a.md"},
		{in: "/posts/a.md", want: "posts/a.md"},
		{in: "./posts//a.md", want: "posts/a.md"},
		{in: "~/posts/a.md", want: "posts/a.md"},
		{in: "posts/", want: "posts"},
		{in: "posts/../site.yaml", want: "site.yaml"},
		{in: "/a/b/../../c", want: "c"},
		{in: "", want: "."},
		{in: "/", want: "."},
		{in: "~", want: "."},
		{in: ".", want: "."},
		{in: "文章/二〇二〇.md", want: "文章/二〇二〇.md"},
		{in: "posts/2021-07-12-cafe\u0301.md", want: "posts/2021-07-12-caf\u00e9.md"}, // NFD (macOS) becomes NFC
		{in: "~user/x", want: "~user/x"},                                              // only "~" and "~/" mean home
		{in: "..", err: "leaves the blog's folder"},
		{in: "../etc/passwd", err: "leaves the blog's folder"},
		{in: "/../etc/passwd", err: "leaves the blog's folder"},
		{in: "posts/../../x", err: "leaves the blog's folder"},
		{in: "~/../x", err: "leaves the blog's folder"},
		{in: "posts/a\x00.md", err: "control character"},
		{in: "posts/\x1b[2J.md", err: "control character"},
		{in: "posts/a\n.md", err: "control character"},
		{in: "posts/\u0085.md", err: "control character"},
		{in: `posts\a.md`, err: "backslash"},
		{in: `..\..\x`, err: "backslash"},
		{in: "posts/\xff.md", err: "not valid UTF-8"},
		{in: ".git/config", err: ".git is reserved"},
		{in: "posts/.GIT/hooks/x", err: ".git is reserved"},
		{in: "posts/" + strings.Repeat("a", 256), err: "longer than 255"},
		{in: strings.Repeat("a/", 2049), err: "longer than 4096"},
	}
	for _, tt := range tests {
		got, err := Path(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Path(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Path(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestPathErrorQuotesControlCharacters(t *testing.T) {
	_, err := Path("posts/\x1b]0;pwned\x07.md")
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Fatalf("error %q must not carry raw control characters", err)
	}
}

func TestTarget(t *testing.T) {
	r := Rules{Limits: Limits{TextFile: 100, Image: 1000}}
	tests := []struct {
		path  string
		limit int64
		err   string
	}{
		{path: "posts/2024-01-02-hello.md", limit: 100},
		{path: "_posts/2024-01-02-hello.markdown", limit: 100},
		{path: "site.yaml", limit: 100},
		{path: "_config.yml", limit: 100},
		{path: "books.yaml", limit: 100},
		{path: "_data/papers.yml", limit: 100},
		{path: "images/a.png", limit: 1000},
		{path: "images/2020/b.JPG", limit: 1000},
		{path: "images/c.webp", limit: 1000},
		{path: "x.exe", err: "not accepted: you can upload Markdown posts"},
		{path: "posts/run.sh", err: "not accepted"},
		{path: "_layouts/default.html", err: "not accepted"},
		{path: "Gemfile", err: "not accepted"},
		{path: "posts/.hidden.md", err: "not accepted"},
		{path: "images/a.svg", err: "not accepted"},
		{path: "a.png", err: "images in images/"}, // images live in images/
		{path: ".git/config", err: ".git is reserved"},
	}
	for _, tt := range tests {
		limit, err := r.Target(tt.path)
		if tt.err != "" {
			var ve *content.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Target(%q) = %d, %v; want a ValidationError containing %q", tt.path, limit, err, tt.err)
			}
			continue
		}
		if err != nil || limit != tt.limit {
			t.Errorf("Target(%q) = %d, %v; want %d", tt.path, limit, err, tt.limit)
		}
	}
}

func TestTargetRefusalListsWhatIsAllowed(t *testing.T) {
	_, err := Rules{}.Target("notes.txt")
	for _, want := range []string{"notes.txt", "Markdown posts", "site.yaml", "books.yaml", "papers.yaml", ".png", ".jpg", ".gif", ".webp"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not mention %q", err, want)
		}
	}
}

func TestDefaultLimits(t *testing.T) {
	var r Rules // the zero value uses the defaults of issue 3
	if got, _ := r.Target("posts/2024-01-01-a.md"); got != 1<<20 {
		t.Errorf("text limit %d, want 1 MiB", got)
	}
	if got, _ := r.Target("images/a.gif"); got != 10<<20 {
		t.Errorf("image limit %d, want 10 MiB", got)
	}
	if err := (Limits{TextFile: -1}).Validate(); err == nil || !strings.Contains(err.Error(), "text file limit") {
		t.Errorf("negative limit: %v", err)
	}
}

func TestCheckTree(t *testing.T) {
	small := Rules{Limits: Limits{TextFile: 10, Image: 20, Blog: 45}}
	post := "posts/2024-01-01-a.md"
	tests := []struct {
		name  string
		rules Rules
		fsys  fstest.MapFS
		want  []string // each a problem's String(), in order; nil = no problems
	}{
		{name: "fine", fsys: fstest.MapFS{post: {Data: []byte("ok")}, "images/a.png": {Data: uploadtest.Image("a.png", 3)}}},
		{name: "symlink", fsys: fstest.MapFS{"posts/link.md": {Mode: fs.ModeSymlink | 0o777, Data: []byte("/etc/passwd")}},
			want: []string{"posts/link.md: symbolic links are not allowed; put the file itself here"}},
		{name: "submodule", fsys: fstest.MapFS{"themes/x": {Mode: fs.ModeIrregular}},
			want: []string{"themes/x: submodules and other special files are not allowed; add the files themselves"}},
		{name: "device", fsys: fstest.MapFS{"dev/null": {Mode: fs.ModeDevice | fs.ModeCharDevice}},
			want: []string{"dev/null: devices, pipes and sockets are not allowed"}},
		{name: "text too big", rules: small, fsys: fstest.MapFS{post: {Data: []byte("0123456789x")}},
			want: []string{post + ": 11 bytes is over the 10 bytes limit for a text file"}},
		{name: "image too big", rules: small, fsys: fstest.MapFS{"images/a.png": {Data: uploadtest.Image("a.png", 21)}},
			want: []string{"images/a.png: 21 bytes is over the 20 bytes limit for an image"}},
		{name: "unused file: image limit applies", rules: small, fsys: fstest.MapFS{"_layouts/x.html": {Data: make([]byte, 21)}},
			want: []string{"_layouts/x.html: 21 bytes is over the 20 bytes limit for a file the blog does not use"}},
		{name: "unused file within limits, binary", rules: small, fsys: fstest.MapFS{"assets/font.woff": {Data: []byte{0, 0xff}}}},
		{name: "blog too big", rules: small, fsys: fstest.MapFS{"images/a.png": {Data: uploadtest.Image("a.png", 20)},
			"images/b.png": {Data: uploadtest.Image("b.png", 20)}, "images/c.png": {Data: uploadtest.Image("c.png", 20)}},
			want: []string{"the blog's files take 60 bytes, over the 45 bytes limit for a blog"}},
		{name: "invalid UTF-8 names its line", fsys: fstest.MapFS{post: {Data: []byte("---\ntitle: x\n\xc3(\n")}},
			want: []string{post + ":3: text is not valid UTF-8 (save the file as UTF-8)"}},
		{name: "NUL names its line", fsys: fstest.MapFS{"site.yaml": {Data: []byte("title: x\n\x00")}},
			want: []string{"site.yaml:2: text contains a NUL byte (is it a binary file?)"}},
		{name: "byte order mark is fine", fsys: fstest.MapFS{post: {Data: []byte("\ufeff---\n")}}},
		{name: "bad name is quoted", fsys: fstest.MapFS{"posts/a\x1b.md": {Data: []byte("x")}},
			want: []string{`path "posts/a\x1b.md" contains a control character`}},
		{name: "git folder", fsys: fstest.MapFS{".git/config": {Data: []byte("x")}},
			want: []string{`path ".git": .git is reserved for git's own files`}},
		{name: "every problem", rules: small, fsys: fstest.MapFS{
			"a/link": {Mode: fs.ModeSymlink}, "books.yaml": {Data: []byte("\xff")}, "images/x.gif": {Data: uploadtest.Image("x.gif", 30)}, "images/y.jpg": {Data: []byte("hi")}},
			want: []string{"a/link: symbolic links are not allowed; put the file itself here",
				"books.yaml:1: text is not valid UTF-8 (save the file as UTF-8)",
				"images/x.gif: 30 bytes is over the 20 bytes limit for an image",
				"images/y.jpg: not a JPEG image (the file starts like text/plain)"}},
		{name: "text named .png", fsys: fstest.MapFS{"images/x.png": {Data: []byte("hello")}},
			want: []string{"images/x.png: not a PNG image (the file starts like text/plain)"}},
		{name: "empty image", fsys: fstest.MapFS{"images/a/b.webp": {}},
			want: []string{"images/a/b.webp: not a WebP image (the file is empty)"}},
		{name: "every image format", fsys: fstest.MapFS{
			"images/a.png": {Data: uploadtest.Image("a.png", 100)}, "images/b.jpg": {Data: uploadtest.Image("b.jpg", 100)},
			"images/c.JPEG": {Data: uploadtest.Image("c.JPEG", 100)}, "images/d.gif": {Data: uploadtest.Image("d.gif", 100)},
			"images/e.webp": {Data: uploadtest.Image("e.webp", 100)}}},
		{name: "files the blog does not use are not checked as images", fsys: fstest.MapFS{
			"assets/logo.png": {Data: []byte("<svg/>")}, "a.png": {}, "_site/images/x.jpg": {Data: []byte("text")},
			"images/.x.png": {Data: []byte("text")}, "images/x.svg": {Data: []byte("<svg/>")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range tt.rules.CheckTree(tt.fsys) {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestIsText(t *testing.T) {
	for p, want := range map[string]bool{
		"posts/2024-01-01-a.md": true, "site.yaml": true, "_data/books.yml": true,
		"images/a.png": false, "Gemfile": false, "_layouts/a.html": false,
	} {
		if IsText(p) != want {
			t.Errorf("IsText(%q) = %v", p, !want)
		}
	}
}

func TestCheckImage(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	jpeg := "\xff\xd8\xff\xe0\x00\x10JFIF\x00"
	gif := "GIF87a\x01\x00\x01\x00"
	webp := "RIFF\x24\x00\x00\x00WEBPVP8L\x00"
	tests := []struct {
		file, data string
		want       string // the problem's String(); "" for none
	}{
		{file: "images/a.png", data: png},
		{file: "images/a.PNG", data: png},
		{file: "images/a.jpg", data: jpeg},
		{file: "images/a.jpeg", data: jpeg},
		{file: "images/a.gif", data: gif},
		{file: "images/a.gif", data: "GIF89a"},
		{file: "images/a.webp", data: webp},
		{file: "images/a.webp", data: "RIFF\x00\x00\x00\x00WEBPVP8X"},

		{file: "images/a.png", data: jpeg, want: "images/a.png: not a PNG image (the file is a JPEG image: name it .jpg)"},
		{file: "images/a.jpg", data: png, want: "images/a.jpg: not a JPEG image (the file is a PNG image: name it .png)"},
		{file: "images/a.jpeg", data: gif, want: "images/a.jpeg: not a JPEG image (the file is a GIF image: name it .gif)"},
		{file: "images/a.gif", data: webp, want: "images/a.gif: not a GIF image (the file is a WebP image: name it .webp)"},
		{file: "images/a.webp", data: png, want: "images/a.webp: not a WebP image (the file is a PNG image: name it .png)"},
		{file: "images/a.webp", data: "RIFF\x24\x00\x00\x00WAVEfmt ", want: "images/a.webp: not a WebP image (the file starts like audio/wave)"},
		{file: "images/a.png", data: "BM\x00\x00", want: "images/a.png: not a PNG image (the file starts like image/bmp)"},
		{file: "images/a.png", data: "hello, world\n", want: "images/a.png: not a PNG image (the file starts like text/plain)"},
		{file: "images/a.png", data: "<!DOCTYPE html><p>", want: "images/a.png: not a PNG image (the file starts like text/html)"},
		{file: "images/a.png", data: "\x89PNG\r\n\x1a", want: "images/a.png: not a PNG image (its first bytes match no known format)"}, // cut short
		{file: "images/a.jpg", data: "\x00\xd8\xff\xe0\x01", want: "images/a.jpg: not a JPEG image (its first bytes match no known format)"},
		{file: "images/a.gif", data: "", want: "images/a.gif: not a GIF image (the file is empty)"},
		{file: "images/a.png", data: "", want: "images/a.png: not a PNG image (the file is empty)"},
		{file: "images/a.tiff", data: "II*\x00", want: "images/a.tiff: no content check is known for .tiff images"},
	}
	for _, tt := range tests {
		got := ""
		if p := CheckImage(tt.file, []byte(tt.data)); p != nil {
			if p.Line != 0 {
				t.Errorf("CheckImage(%q, %q) at line %d, want the file (line 0)", tt.file, tt.data, p.Line)
			}
			got = p.String()
		}
		if got != tt.want {
			t.Errorf("CheckImage(%q, %q) = %q, want %q", tt.file, tt.data, got, tt.want)
		}
	}
}

// TestCheckTreeReadsOnlyTheHeadOfImages checks that an image's content check
// reads its first ImageHeadLen bytes, not the whole file: a big image in a
// store is read from git when opened, and every publish checks every image.
func TestCheckTreeReadsOnlyTheHeadOfImages(t *testing.T) {
	big := uploadtest.Image("a.png", 5<<20)
	fsys := &countingFS{FS: fstest.MapFS{"images/a.png": {Data: big}}}
	if problems := (Rules{}).CheckTree(fsys); len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	if fsys.read != ImageHeadLen {
		t.Errorf("read %d bytes of a %d-byte image, want %d", fsys.read, len(big), ImageHeadLen)
	}
}

// countingFS counts the bytes read from the files it opens.
type countingFS struct {
	fs.FS
	read int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, fs: c}, nil
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(c.FS, name) }

type countingFile struct {
	fs.File
	fs *countingFS
}

func (f *countingFile) Read(b []byte) (int, error) {
	n, err := f.File.Read(b)
	f.fs.read += n
	return n, err
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 512: "512 bytes", 1 << 10: "1 KiB", 1536: "1.5 KiB", 3000: "2.9 KiB",
		1 << 20: "1 MiB", 10 << 20: "10 MiB", 2<<20 + 1: "2.0 MiB", 256 << 20: "256 MiB", 1 << 30: "1 GiB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
