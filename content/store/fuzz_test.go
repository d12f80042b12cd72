package store

import (
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content/upload"
)

// FuzzApplyOps applies client operations, decoded from the input, to a
// small tree: it never panics, every path stays a clean path inside the
// tree, and the result is still a tree (no file is also a folder).
func FuzzApplyOps(f *testing.F) {
	f.Add("put posts/2024-01-01-a.md\nrename posts _posts\nremove site.yaml")
	f.Add("put ../x\nmkdir /images/a\nput images/a/b.png\nrename images/a images/a/b")
	f.Add("rename site.yaml posts/x.md\nput site.yaml/x.md\nrename posts images/cover.png/x")
	f.Fuzz(func(t *testing.T, script string) {
		files := candidate{}
		for p, b := range map[string]*blob{
			"site.yaml": {}, "posts/2024-01-01-first.md": {}, "images/cover.png": {}, "_layouts/a.html": {},
		} {
			files[p] = b
		}
		var c Change
		for _, line := range strings.Split(script, "\n") {
			f := strings.SplitN(line, " ", 3)
			switch {
			case len(f) >= 2 && f[0] == "put":
				c.Put(f[1], []byte("x"))
			case len(f) >= 2 && f[0] == "remove":
				c.Remove(f[1])
			case len(f) >= 2 && f[0] == "mkdir":
				c.Mkdir(f[1])
			case len(f) == 3 && f[0] == "rename":
				c.Rename(f[1], f[2], len(line)%2 == 0)
			}
		}
		applyOps(files, c.Ops, upload.Rules{})
		for p := range files {
			if q, err := upload.Path(p); err != nil || q != p || p == "." {
				t.Fatalf("path %q in the tree is not clean: %q, %v", p, q, err)
			}
			for _, d := range parentDirs(p) {
				if _, ok := files[d]; ok {
					t.Fatalf("%q is a file and the folder of %q", d, p)
				}
			}
		}
	})
}
