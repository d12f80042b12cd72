package store

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

// TestSeedKeepsAnImageWhoseExtensionLies: a seed (the author's blog as it
// is) may hold a .jpg that is really a PNG. It is stored and served with a
// warning; publishing other files never trips on it; the same mistake in
// a file an upload or a push adds is refused.
func TestSeedKeepsAnImageWhoseExtensionLies(t *testing.T) {
	t.Parallel()
	png := uploadtest.Image("photo.png", 300)
	var logs bytes.Buffer
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "blog.git"), withFile(testBlog(), "images/photo.jpg", png),
		Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("Open with a PNG named .jpg: %v", err)
	}
	defer s.Close()
	if !strings.Contains(logs.String(), "images/photo.jpg: warning: not a JPEG image (the file is a PNG image: name it .png) (published anyway: it comes from the seed)") {
		t.Errorf("the seed's warning was not logged:\n%s", logs.String())
	}
	if data, err := s.Files().ReadFile("images/photo.jpg"); err != nil || !bytes.Equal(data, png) {
		t.Fatalf("the image is not stored as it is: %v", err)
	}

	var c Change
	c.Put("posts/2024-05-01-new.md", post("New", "Fresh.\n"))
	res, err := s.Apply(context.Background(), c, alice)
	if err != nil {
		t.Fatalf("a new post refused because of the seed's image: %v", err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "photo.jpg") {
			t.Errorf("an unchanged image is reported again: %s", w)
		}
	}
	for _, name := range []string{"images/other.jpg", "images/photo.jpg"} {
		c = Change{}
		c.Put(name, png)
		var ve *content.ValidationError
		if _, err := s.Apply(context.Background(), c, alice); !errors.As(err, &ve) || !strings.Contains(err.Error(), name+": not a JPEG image") {
			t.Errorf("upload of a PNG as %s: %v, want it refused", name, err)
		}
	}

	bin, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := InstallHooks(s.Dir(), bin, hookArg); err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(t.TempDir(), "clone")
	mustGit(t, "", "clone", "--quiet", s.Dir(), clone)
	writeFiles(t, clone, map[string]string{"posts/2024-05-02-pushed.md": string(post("Pushed", "Hi.\n"))})
	commitAll(t, clone, "a post")
	if out, err := push(clone, alice, "origin", "main"); err != nil || strings.Contains(out, "photo.jpg") {
		t.Fatalf("push of a post next to the seed's image: %v\n%s", err, out)
	}
	writeFiles(t, clone, map[string]string{"images/pushed.jpg": string(png)})
	commitAll(t, clone, "a PNG named .jpg")
	if out, err := push(clone, alice, "origin", "main"); err == nil || !strings.Contains(out, "images/pushed.jpg: not a JPEG image") {
		t.Fatalf("push of a PNG named .jpg: %v\n%s", err, out)
	}
}
