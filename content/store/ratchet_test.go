package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
	if !strings.Contains(logs.String(), "images/photo.jpg: warning: not a JPEG image (the file is a PNG image: name it .png) (kept, as the blog already has it; a new upload of it would be refused)") {
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

// TestProblemsAlreadyPublishedNeverBlock: a seed may hold a post content.Load
// finds an error in. It is published (a warning then), and never blocks a
// later publish, over Apply or git push, whose summary says it is there;
// a change that adds or edits a file with an error is refused, with or
// without the cache of the published problems the hook reads.
func TestProblemsAlreadyPublishedNeverBlock(t *testing.T) {
	t.Parallel()
	const broken = "posts/2024-03-01-broken.md"
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "blog.git"),
		withFile(testBlog(), broken, []byte("---\ntitle: [unclosed\n---\nBody.\n")), Options{})
	if err != nil {
		t.Fatalf("Open with a broken post in the seed: %v", err)
	}
	defer s.Close()
	if n := content.ErrorCount(s.Snapshot().Warnings()); n != 1 {
		t.Fatalf("the seed's snapshot has %d errors, want the broken post's: %v", n, s.Snapshot().Warnings())
	}

	var c Change
	c.Put("posts/2024-05-01-new.md", post("New", "Fresh.\n"))
	res, err := s.Apply(context.Background(), c, alice)
	if err != nil {
		t.Fatalf("a new post refused because of a published problem: %v", err)
	}
	if got := problemLines(res.Warnings); !strings.Contains(got, "warning: 1 problem already published (fix them when you can): "+broken+":2: invalid YAML") {
		t.Errorf("no summary of the published problem:\n%s", got)
	}
	for name, data := range map[string]string{
		broken:                         "---\ntitle: [still unclosed\n---\nEdited.\n",
		"posts/2024-05-02-also-bad.md": "---\ntitle: [unclosed\n---\nNew.\n",
	} {
		c = Change{}
		c.Put(name, []byte(data))
		var ve *content.ValidationError
		if _, err := s.Apply(context.Background(), c, alice); !errors.As(err, &ve) || !strings.Contains(err.Error(), name+":2: invalid YAML") {
			t.Errorf("a change with an error in %s: %v, want it refused", name, err)
		}
	}

	// A blog-wide problem the change creates: a second post "first".
	c = Change{}
	c.Put("posts/2024-07-01-first.md", post("First again", "Same slug.\n"))
	if _, err := s.Apply(context.Background(), c, alice); err == nil || !strings.Contains(err.Error(), `duplicate slug "first"`) {
		t.Errorf("a new duplicate slug: %v, want it refused", err)
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
	for i, cached := range []bool{true, false} {
		if !cached {
			if err := os.RemoveAll(filepath.Join(s.Dir(), cacheDirName)); err != nil {
				t.Fatal(err)
			}
		}
		writeFiles(t, clone, map[string]string{fmt.Sprintf("posts/2024-06-0%d-pushed-%d.md", i+1, i): string(post("Pushed", "Hi.\n"))})
		commitAll(t, clone, "a post")
		out, err := push(clone, alice, "origin", "main")
		if err != nil || !strings.Contains(out, "1 problem already published") {
			t.Fatalf("push of a post (cached problems %v): %v\n%s", cached, err, out)
		}
		if _, err := s.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		writeFiles(t, clone, map[string]string{broken: "---\ntitle: [still unclosed\n---\nPushed.\n"})
		commitAll(t, clone, "edit the broken post")
		if out, err := push(clone, alice, "origin", "main"); err == nil || !strings.Contains(out, broken+":2: invalid YAML") {
			t.Fatalf("push of an edit that keeps the error (cached problems %v): %v\n%s", cached, err, out)
		}
		mustGit(t, clone, "reset", "--quiet", "--hard", "HEAD~1")
	}
}

// problemLines formats problems one a line.
func problemLines(problems []content.Problem) string {
	var b strings.Builder
	for _, p := range problems {
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}
