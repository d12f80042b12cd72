package upload

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"strings"

	"github.com/sshblog/sshblog/content"
)

// imageFormat is an image format the blog accepts: its name for people and
// the media type net/http.DetectContentType gives its files.
type imageFormat struct {
	name, mediaType string
}

// imageFormatOf returns the format of images with extension e (lower
// case, without the dot), for each extension content.Classify accepts.
func imageFormatOf(e string) (imageFormat, bool) {
	switch e {
	case "png":
		return imageFormat{"PNG", "image/png"}, true
	case "jpg", "jpeg":
		return imageFormat{"JPEG", "image/jpeg"}, true
	case "gif":
		return imageFormat{"GIF", "image/gif"}, true
	case "webp":
		return imageFormat{"WebP", "image/webp"}, true
	}
	return imageFormat{}, false
}

// imageExtFor returns the extension to suggest for a file of media type t,
// or "" when the blog accepts no image of that type.
func imageExtFor(t string) string {
	switch t {
	case "image/png":
		return "png"
	case "image/jpeg":
		return "jpg"
	case "image/gif":
		return "gif"
	case "image/webp":
		return "webp"
	}
	return ""
}

// ImageHeadLen is how many leading bytes of an image CheckImage looks at;
// a caller may pass just that much of the file.
const ImageHeadLen = 512

// CheckImage reports an image whose first bytes are not the format its
// extension names (a PNG in images/x.png, a JPEG in images/x.jpg or .jpeg,
// a GIF in .gif, a WebP in .webp) as a problem at file, line 0, or returns
// nil when they are. head is the file's first ImageHeadLen bytes, or all of
// it when shorter (more is fine). Only the signature is checked, the
// magic numbers net/http.DetectContentType knows (PNG "\x89PNG\r\n\x1a\n",
// JPEG "\xff\xd8\xff", GIF "GIF87a" or "GIF89a", WebP "RIFF", a 4-byte
// length, "WEBPVP"); the blog never decodes images, it only serves them.
func CheckImage(file string, head []byte) *content.Problem {
	format, ok := imageFormatOf(ext(file))
	if !ok {
		// content.Classify accepted an extension this table lacks: refuse
		// rather than let unchecked bytes through.
		return &content.Problem{File: file, Message: "no content check is known for ." + ext(file) + " images"}
	}
	if len(head) == 0 {
		return &content.Problem{File: file, Message: "not a " + format.name + " image (the file is empty)"}
	}
	got, _, _ := strings.Cut(http.DetectContentType(head), ";")
	if got == format.mediaType {
		return nil
	}
	msg := "not a " + format.name + " image (the file starts like " + got + ")"
	if e := imageExtFor(got); e != "" {
		other, _ := imageFormatOf(e)
		msg = "not a " + format.name + " image (the file is a " + other.name + " image: name it ." + e + ")"
	} else if got == "application/octet-stream" {
		msg = "not a " + format.name + " image (its first bytes match no known format)"
	}
	return &content.Problem{File: file, Message: msg}
}

// readHead reads the first ImageHeadLen bytes of the file at p in fsys, or
// all of it when shorter.
// HeadReader is a file system that can return the first bytes of a file
// without reading it all, or from a cache: content/store's trees keep the
// heads of the images they read from git, so publishing to a blog with many
// images does not read every image again. CheckTree uses it when fsys has
// it.
type HeadReader interface {
	// ReadHead returns the first n bytes of the named file, or all of a
	// shorter one.
	ReadHead(name string, n int) ([]byte, error)
}

// readHead returns the first ImageHeadLen bytes of the file at p.
func readHead(fsys fs.FS, p string) ([]byte, error) {
	if hr, ok := fsys.(HeadReader); ok {
		return hr.ReadHead(p, ImageHeadLen)
	}
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, ImageHeadLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return head[:n], nil
}
