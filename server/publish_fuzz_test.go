package server

import (
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content/upload"
)

// FuzzScpDest checks legacy scp's path mapping: whatever target the client
// names and whatever folder and file names it sends, a file lands inside the
// blog's tree at a path upload.Path accepts as it is, or is refused.
func FuzzScpDest(f *testing.F) {
	for _, s := range [][3]string{
		{"posts/", "", "a.md"}, {"posts/x.md", "", "a.md"}, {".", "posts", "a.md"}, {"", "", "a.md"},
		{"../../etc", "", "passwd"}, {"~/posts", "", "a.md"}, {"/", "..", "x"}, {"posts", "a/../..", "b"},
		{".git", "", "config"}, {"images/", "sub", "p.png"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, base, dirs, name string) {
		target, err := upload.Path(base)
		if err != nil {
			return // the command is refused before anything is sent
		}
		// wish's middleware refuses names with slashes and "." or "..".
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\") {
			return
		}
		p := base
		for _, d := range strings.Split(dirs, "/") {
			if d == "" || d == "." || d == ".." || strings.Contains(d, "\\") {
				continue
			}
			p = filepath.Join(p, d)
		}
		p = filepath.Join(p, name)
		for _, isDir := range []bool{false, true} {
			u := &scpUpload{stderr: io.Discard, base: base, target: target, targetIsDir: isDir}
			q, err := u.dest(p)
			if err != nil {
				continue
			}
			if again, err := upload.Path(q); err != nil || again != q || q == "." || !fs.ValidPath(q) {
				t.Fatalf("dest(%q) with target %q (folder %v) = %q, which is not a clean path in the tree (%v)", p, target, isDir, q, err)
			}
		}
	})
}
