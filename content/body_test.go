package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// A Jekyll blog whose config swaps url and baseurl, as gaocegege/Blog's does.
func jekyllBlog() fstest.MapFS {
	return fstest.MapFS{
		"_config.yml":            file("title: Blog\nurl: /Blog\nbaseurl: http://example.com\npermalink: /:year/:title/\nowner:\n  name: Ann\n"),
		"_includes/note.html":    file("<p>{{ include.text }} by {{ site.owner.name }}</p>\n"),
		"_posts/2010-07-21-a.md": file("---\ntitle: A\nmood: calm\n---\n{% include note.html text=\"Hi\" %}\n"),
		"_posts/2011-01-02-b.md": file("---\ntitle: B\n---\nSee [A]({{ site.baseurl }}{% post_url 2010-07-21-a %}) and ![x]({{ '/i.png' | relative_url }}).\n{{ page.mood }}{{ page.title }}\n\n{% youtubeish x %}\n{% youtubeish y %}\n{% post_url 1999-01-01-gone %}\n"),
	}
}

func TestBodyJekyll(t *testing.T) {
	s, err := Load(jekyllBlog(), "")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Post("a")
	if body, problems := s.Body(a); body != "<p>Hi by Ann</p>\n" || len(problems) != 0 {
		t.Errorf("post made of an include: %q, %v", body, problems)
	}
	b, _ := s.Post("b")
	body, problems := s.Body(b)
	if want := "See [A](/Blog/2010/a/) and ![x](/Blog/i.png).\nB\n\n\n\n/1999-01-01-gone\n"; body != want {
		t.Errorf("body %q\nwant %q", body, want)
	}
	want := []Problem{
		{File: "_posts/2011-01-02-b.md", Line: 7, Message: "unknown Liquid tag {% youtubeish %} left out (2 times; the first here)", Warning: true},
		{File: "_posts/2011-01-02-b.md", Line: 9, Message: "{% post_url 1999-01-01-gone %}: no such post: linked as /1999-01-01-gone", Warning: true},
	}
	if len(problems) != len(want) {
		t.Fatalf("problems %v", problems)
	}
	for i := range want {
		if problems[i] != want[i] {
			t.Errorf("problem %v, want %v", problems[i], want[i])
		}
	}
}

func TestCheckReportsBodyWarnings(t *testing.T) {
	var got []string
	for _, p := range Check(jekyllBlog()) {
		if p.File == "_posts/2011-01-02-b.md" {
			got = append(got, p.String())
		}
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "_posts/2011-01-02-b.md:7: warning: unknown Liquid tag") {
		t.Errorf("check: %q", got)
	}
}

func TestBodyHugo(t *testing.T) {
	s, err := Load(fstest.MapFS{
		"config.toml":           file("title = \"H\"\nbaseURL = \"https://h.example/\"\n"),
		"content/post/one.md":   file("+++\ntitle = \"One\"\ndate = 2020-01-02\n+++\n{{< figure src=\"/a.png\" caption=\"Cap\" >}}\n[two]({{< ref \"post/two.md\" >}})\n{{< gallery >}}\n"),
		"content/post/two.md":   file("+++\ntitle = \"Two\"\ndate = 2020-01-03\n+++\n{{ .NotLiquid }}\n"),
		"content/post/three.md": file("+++\ntitle = \"Three\"\ndate = 2020-01-04\n+++\n{{< highlight go >}}\nx := `{{ y }}`\n{{< /highlight >}}\n"),
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	one, _ := s.Post("one")
	body, problems := s.Body(one)
	if want := "<figure><img src=\"/a.png\"><figcaption>Cap</figcaption></figure>\n[two](/post/two/)\n\n"; body != want {
		t.Errorf("body %q\nwant %q", body, want)
	}
	if len(problems) != 1 || problems[0].Line != 7 || !strings.Contains(problems[0].Message, "gallery") {
		t.Errorf("problems %v", problems)
	}
	two, _ := s.Post("two")
	if body, problems := s.Body(two); body != "{{ .NotLiquid }}\n" || problems != nil {
		t.Errorf("Hugo posts have no Liquid: %q %v", body, problems)
	}
	three, _ := s.Post("three")
	if body, _ := s.Body(three); body != "```go\nx := `{{ y }}`\n```\n" {
		t.Errorf("highlight: %q", body)
	}
}

func TestBodyVersion(t *testing.T) {
	blog := jekyllBlog()
	a, _ := Load(blog, "")
	a2, _ := Load(blog, "r2")
	blog["_includes/note.html"] = file("changed")
	b, _ := Load(blog, "")
	if a.BodyVersion() != a2.BodyVersion() || a.BodyVersion() == b.BodyVersion() {
		t.Errorf("versions %s %s %s", a.BodyVersion(), a2.BodyVersion(), b.BodyVersion())
	}
}
