// Package sample holds the blog embedded in the sshblog binary: the
// author's 2020 year-in-review post, the blog's site.yaml, and the book and
// paper lists with every book and paper the post mentions. It is what a
// fresh server shows, and what a new data directory is seeded with.
package sample

import (
	"embed"
	"io/fs"
)

// blog is read-only: embed.FS cannot be modified.
//
//go:embed blog
var blog embed.FS

// FS returns the sample blog, rooted at the blog folder (site.yaml,
// posts/, books.yaml, papers.yaml).
func FS() fs.FS {
	sub, err := fs.Sub(blog, "blog")
	if err != nil {
		// fs.Sub only fails on an invalid path, and "blog" is valid.
		panic(err)
	}
	return sub
}
