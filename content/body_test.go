package content

import (
	"strings"
	"testing"
	"time"
)

func TestBodyExpandsLiquid(t *testing.T) {
	s := NewSnapshot(Site{URL: "https://example.com", BaseURL: "/blog", Title: "Blog"}, nil, nil, nil, nil, "")
	p := &Post{
		Slug: "x", Path: "_posts/2020-01-02-x.md", Title: "Hello", Date: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
		Tags:     []string{"a", "b"},
		Body:     "![i]({{ '/i.png' | relative_url }}) {{ page.title }} in {{ site.title }} {{ page.tags | join: ',' }}\n\n{% nosuch %}\n",
		BodyLine: 5,
	}
	body, problems := s.Body(p)
	if want := "![i](/blog/i.png) Hello in Blog a,b\n\n\n"; body != want {
		t.Errorf("body %q, want %q", body, want)
	}
	if len(problems) != 1 {
		t.Fatalf("problems: %v", problems)
	}
	if got := problems[0]; got.File != p.Path || got.Line != 7 || !got.Warning || !strings.Contains(got.Message, "nosuch") {
		t.Errorf("problem %+v, want a warning at %s:7", got, p.Path)
	}
}

func TestBodyVersionFollowsTheSite(t *testing.T) {
	a := NewSnapshot(Site{URL: "https://a.example"}, nil, nil, nil, nil, "")
	a2 := NewSnapshot(Site{URL: "https://a.example"}, nil, nil, nil, nil, "r2")
	b := NewSnapshot(Site{URL: "https://b.example"}, nil, nil, nil, nil, "")
	if a.BodyVersion() != a2.BodyVersion() || a.BodyVersion() == b.BodyVersion() {
		t.Errorf("versions %s %s %s", a.BodyVersion(), a2.BodyVersion(), b.BodyVersion())
	}
}
