package upload

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

func TestRatchet(t *testing.T) {
	published := []content.Problem{
		{File: "posts/old.md", Line: 3, Message: "old error"},
		{File: "posts/edited.md", Line: 2, Message: "was there before the edit"},
		{File: "posts/b.md", Line: 1, Message: "old one", Warning: true},
	}
	problems := []content.Problem{
		{File: "posts/old.md", Line: 3, Message: "old error"},                    // unchanged file, published: demoted
		{File: "posts/edited.md", Line: 2, Message: "was there before the edit"}, // changed file: refused
		{File: "posts/new.md", Line: 5, Message: "new file's error"},             // changed file: refused
		{File: "posts/a.md", Line: 1, Message: `duplicate slug "a"`},             // unchanged file, new problem: refused
		{Message: "the blog's files take 300 MiB, over the 256 MiB limit"},       // blog-wide: refused
		{File: "posts/b.md", Line: 1, Message: "old one"},                        // published as a warning, now an error in an unchanged file: demoted
		{File: "posts/c.md", Message: "a warning", Warning: true},                // passes through
	}
	changed := func(f string) bool { return f == "posts/edited.md" || f == "posts/new.md" }
	got := Ratchet(problems, changed, ProblemSet(published))
	var errs, warns []string
	for _, p := range got {
		if p.Warning {
			warns = append(warns, p.String())
		} else {
			errs = append(errs, p.String())
		}
	}
	wantErrs := []string{"posts/edited.md:2: was there before the edit", "posts/new.md:5: new file's error",
		`posts/a.md:1: duplicate slug "a"`, "the blog's files take 300 MiB, over the 256 MiB limit"}
	if strings.Join(errs, "\n") != strings.Join(wantErrs, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
	wantWarns := []string{"posts/c.md: warning: a warning",
		"warning: 2 problems already published (fix them when you can): posts/old.md:3: old error; posts/b.md:1: old one"}
	if strings.Join(warns, "\n") != strings.Join(wantWarns, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(wantWarns, "\n"))
	}
	if got := Ratchet(nil, changed, ProblemSet(nil)); len(got) != 0 {
		t.Errorf("no problems gave %v", got)
	}
}

func TestAlreadyPublishedSummarisesOnce(t *testing.T) {
	var old []content.Problem
	for _, f := range []string{"a.md", "b.md", "c.md", "d.md", "e.md"} {
		old = append(old, content.Problem{File: f, Message: "bad"})
	}
	p := AlreadyPublished(old)
	if want := "warning: 5 problems already published (fix them when you can): a.md: bad; b.md: bad; c.md: bad; and 2 more"; !p.Warning || p.String() != want {
		t.Errorf("got %q, want %q", p, want)
	}
	if p := AlreadyPublished(old[:1]); !strings.HasPrefix(p.Message, "1 problem already published") {
		t.Errorf("one problem: %q", p.Message)
	}
}

// CheckSeed stores what a file says as it is (a warning), and refuses what
// cannot be stored, as CheckTree does.
func TestCheckSeed(t *testing.T) {
	png := uploadtest.Image("x.png", 100)
	fsys := fstest.MapFS{
		"images/photo.jpg":      {Data: png},
		"posts/2024-01-01-a.md": {Data: []byte("---\ntitle: a\n---\n\xff\n")},
		"images/huge.png":       {Data: append(png, make([]byte, 11<<20)...)},
	}
	var errs, warns []string
	for _, p := range (Rules{}).CheckSeed(fsys) {
		if p.Warning {
			warns = append(warns, p.String())
		} else {
			errs = append(errs, p.String())
		}
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "images/huge.png: 11.0 MiB is over the 10 MiB limit") {
		t.Errorf("errors: %q", errs)
	}
	want := []string{
		"images/photo.jpg: warning: not a JPEG image (the file is a PNG image: name it .png) (kept, as the blog already has it; a new upload of it would be refused)",
		"posts/2024-01-01-a.md:4: warning: text is not valid UTF-8 (save the file as UTF-8) (kept, as the blog already has it; a new upload of it would be refused)",
	}
	if strings.Join(warns, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(want, "\n"))
	}
	if ps := (Rules{}).CheckTree(fsys); content.ErrorCount(ps) != 3 {
		t.Errorf("CheckTree: %v, want 3 errors", ps)
	}
}
