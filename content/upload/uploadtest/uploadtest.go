// Package uploadtest makes files that pass the upload rules' content checks,
// for tests of the transports and the store: an image that starts with the
// signature of its format, padded to the size the test needs.
package uploadtest

import (
	"fmt"
	"path"
	"strings"
)

// Image returns size bytes that upload.CheckImage accepts as an image named
// name (by its extension: .png, .jpg, .jpeg, .gif or .webp): the format's
// signature followed by zero bytes. The bytes are no decodable picture, only
// a valid-looking start; a size below the signature's length is raised to it.
// Image panics on any other extension, a mistake in the calling test.
func Image(name string, size int) []byte {
	var sig string
	switch e := strings.ToLower(path.Ext(name)); e {
	case ".png":
		sig = "\x89PNG\r\n\x1a\n"
	case ".jpg", ".jpeg":
		sig = "\xff\xd8\xff\xe0"
	case ".gif":
		sig = "GIF89a"
	case ".webp":
		sig = "RIFF\x00\x00\x00\x00WEBPVP8 "
	default:
		panic(fmt.Sprintf("uploadtest.Image(%q): no image format for %q", name, e))
	}
	b := make([]byte, max(size, len(sig)))
	copy(b, sig)
	return b
}
