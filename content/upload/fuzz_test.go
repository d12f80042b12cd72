package upload

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/sshblog/sshblog/content"
)

// FuzzPath checks that a mapped path never leaves the tree: it is "." or a
// valid io/fs path without "..", ".git" or control characters, mapping it
// again changes nothing, and Target on it never panics.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"posts/a.md", "/posts/a.md", "../x", "/../../etc/passwd", "~/a", "a/./b//c/",
		"a/../..", `a\b`, "a\x00b", ".git", "a/.Git/b", "\xff", "文章/x.md", "~", "/", "....//...", "a/../b/../c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := Path(in)
		if err != nil {
			if p != "" {
				t.Fatalf("Path(%q) = %q with error %v", in, p, err)
			}
			if strings.ContainsAny(err.Error(), "\x00\x1b\x07\n\r") {
				t.Fatalf("error for %q carries raw control characters: %q", in, err)
			}
			return
		}
		if !fs.ValidPath(p) {
			t.Fatalf("Path(%q) = %q, not a valid fs path", in, p)
		}
		for _, el := range strings.Split(p, "/") {
			if el == ".." || strings.EqualFold(el, ".git") {
				t.Fatalf("Path(%q) = %q escapes or reaches .git", in, p)
			}
		}
		if strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
			t.Fatalf("Path(%q) = %q keeps a control character or backslash", in, p)
		}
		if again, err := Path(p); err != nil || again != p {
			t.Fatalf("Path(Path(%q)) = %q, %v; want %q", in, again, err, p)
		}
		if p != "." {
			if err := checkName(p); err != nil {
				t.Fatalf("Path(%q) = %q, which the tree check refuses: %v", in, p, err)
			}
		}
		_, _ = Rules{}.Target(p)
	})
}

// FuzzCheckTree checks the rules validator on a one-file tree: it never
// panics, it reports a text problem exactly when the blog reads the file
// as text and the bytes are not clean UTF-8, and an image problem exactly
// when the blog serves the file as an image and its bytes do not start with
// the magic number of its extension's format (checked here directly, not
// with net/http's sniffer that CheckImage uses).
func FuzzCheckTree(f *testing.F) {
	f.Add("posts/2024-01-01-a.md", []byte("---\ntitle: x\n---\n"))
	f.Add("site.yaml", []byte("title: \xff"))
	f.Add("images/a.png", []byte("\x89PNG\x00"))
	f.Add("books.yaml", []byte("a\n\x00"))
	f.Add("_layouts/a.html", []byte{0xff})
	f.Add("images/a.png", []byte("\x89PNG\r\n\x1a\n"))
	f.Add("images/a.JPEG", []byte("\xff\xd8\xff"))
	f.Add("images/a.gif", []byte("GIF87a"))
	f.Add("images/a.webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Add("images/a.webp", []byte("RIFF\x00\x00\x00\x00WEBPVX"))
	f.Add("images/b.jpg", []byte("GIF89a"))
	f.Add("images/c.png", []byte{})
	f.Add("assets/c.png", []byte("text"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		p, err := Path(name)
		if err != nil || p == "." {
			return
		}
		problems := Rules{}.CheckTree(fstest.MapFS{p: {Data: data}})
		text := IsText(p)
		bad := !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0
		got := false
		for _, pr := range problems {
			if pr.Line > 0 {
				got = true
				if pr.File != p || pr.Line > bytes.Count(data, []byte("\n"))+1 {
					t.Fatalf("problem %v does not point into %q", pr, p)
				}
			}
		}
		if got != (text && bad) {
			t.Fatalf("%q (text %v, bad %v): problems %v", p, text, bad, problems)
		}
		image := kindOf(p) == content.FileImage
		wrong := image && !hasMagic(ext(p), data)
		gotImage := false
		for _, pr := range problems {
			if strings.Contains(pr.Message, " image (") {
				gotImage = true
				if pr.File != p || pr.Line != 0 {
					t.Fatalf("image problem %v is not at the file %q", pr, p)
				}
			}
		}
		if int64(len(data)) <= (Rules{}).limitFor(kindOf(p)) && gotImage != wrong {
			t.Fatalf("%q (image %v, wrong %v) %q: problems %v", p, image, wrong, data, problems)
		}
	})
}

// hasMagic reports whether data starts with the magic number of the image
// format of extension e: the PNG signature, the JPEG SOI marker and the
// first byte of the next marker, a GIF header, or a RIFF header naming WebP
// with a VP8 chunk (the WebP pattern of the WHATWG MIME Sniffing Standard).
func hasMagic(e string, data []byte) bool {
	switch e {
	case "png":
		return bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
	case "jpg", "jpeg":
		return bytes.HasPrefix(data, []byte("\xff\xd8\xff"))
	case "gif":
		return bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a"))
	case "webp":
		return len(data) >= 14 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:14]) == "WEBPVP"
	}
	return false
}
