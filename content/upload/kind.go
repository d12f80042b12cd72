package upload

import "github.com/sshblog/sshblog/content"

// kindOf classifies the file at p (a clean tree path) with content's own
// classifier, so the upload rules and the loader never disagree about what
// the blog reads.
func kindOf(p string) content.FileKind { return content.Classify(p) }

// isText reports whether the blog reads files of kind k as text.
func isText(k content.FileKind) bool {
	switch k {
	case content.FilePost, content.FilePage, content.FileInclude, content.FileSite, content.FileBooks, content.FilePapers:
		return true
	}
	return false
}

// kindName names a kind in messages ("the limit for a text file").
// KindName names the kind of file p is, for messages: "a text file", "an
// image" or "a file the blog does not use".
func KindName(p string) string { return kindName(kindOf(p)) }

func kindName(k content.FileKind) string {
	switch {
	case isText(k):
		return "a text file"
	case k == content.FileImage:
		return "an image"
	}
	return "a file the blog does not use"
}
