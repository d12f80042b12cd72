package content

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"
)

// TestJekyllBlogLoadsWhole reproduces what stopped gaocegege/Blog: a
// one-digit day in a file name, a theme date sshblog cannot read, two
// posts with one slug. All of it loads, with warnings, and no error.
func TestJekyllBlogLoadsWhole(t *testing.T) {
	fsys := blogFS(map[string]string{
		"_config.yml":                    "title: 高策\nbaseurl: http://gaocegege.com\nurl: /Blog\nowner:\n  name: 高策\n",
		"_posts/2014-11-2-hackathon.md":  "---\nlayout: post\ntitle: Hackathon\n---\nbody\n",
		"_posts/2014-11-23-MCM.md":       "---\ntitle: MCM 2014\n---\n",
		"_posts/2015-01-21-MCM.md":       "---\ntitle: MCM 2015\n---\n",
		"_posts/2015-05-27-datagod.md":   "---\ntitle: Datagod\nmodified: \"2015-XX-XX\"\n---\n",
		"_posts/2016-4-26-spaced out.md": "---\ntitle: \"\"\ndate: 2016-4-26 12:53:12 +0800\n---\n",
		"_posts/2014-10-1-a.md":          "---\ntitle: A\ndate: 2014-10-1 12:00:00\nsubtitle: S\nheader-img: img/a.jpg\ncatalog: true\n---\n",
		"_posts/2014-10-2-b.md":          "---\ntitle: B\ncatalog: true\nheader-mask: 0.3\n---\n",
	})
	snap, err := Load(fsys, "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checkProblems(t, snap.Warnings(), []want{
		{0, "2 front matter keys are not used by sshblog: catalog (2 files), header-mask (1)", true},
		{0, "duplicate slug \"MCM\": _posts/2014-11-23-MCM.md has it too; this one is \"MCM-2015-01-21\"", true},
		{3, "modified is not a date: \"2015-XX-XX\"", true},
	})
	byPath := map[string]*Post{}
	for _, p := range snap.Posts() {
		byPath[p.Path] = p
	}
	if len(byPath) != 7 {
		t.Fatalf("%d posts, want 7", len(byPath))
	}
	if p := byPath["_posts/2014-11-2-hackathon.md"]; p.Slug != "hackathon" || !p.Date.Equal(time.Date(2014, 11, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("one-digit day: %s %v", p.Slug, p.Date)
	}
	if p, ok := snap.Post("MCM"); !ok || p.Title != "MCM 2014" {
		t.Errorf("MCM is the older post's: %+v", p)
	}
	if p, ok := snap.Post("MCM-2015-01-21"); !ok || p.Title != "MCM 2015" {
		t.Errorf("the newer MCM is reachable as MCM-2015-01-21: %+v", p)
	}
	p := byPath["_posts/2016-4-26-spaced out.md"]
	if p.Slug != "spaced out" || p.Title != "Spaced Out" {
		t.Errorf("space in the slug and empty title: slug %q, title %q", p.Slug, p.Title)
	}
	if want := time.Date(2016, 4, 26, 4, 53, 12, 0, time.UTC); !p.Date.Equal(want) {
		t.Errorf("date %v, want %v", p.Date, want)
	}
	if p := byPath["_posts/2014-10-1-a.md"]; p.Subtitle != "S" || p.ImageFeature != "img/a.jpg" || !p.Date.Equal(time.Date(2014, 10, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("subtitle %q, image %q, date %v", p.Subtitle, p.ImageFeature, p.Date)
	}
	if site := snap.Site(); site.URL != "http://gaocegege.com" || site.BaseURL != "/Blog" {
		t.Errorf("swapped url and baseurl: URL %q, BaseURL %q", site.URL, site.BaseURL)
	}
	if owner, _ := snap.SiteConfig()["owner"].(map[string]any); owner["name"] != "高策" {
		t.Errorf("site config %v", snap.SiteConfig())
	}
	if got := byPath["_posts/2014-10-1-a.md"].Params()["catalog"]; got != true {
		t.Errorf("Params()[catalog] = %v", got)
	}
}

// TestDuplicateSlugsAreStable checks that the oldest post keeps a slug
// whatever the order of files, and that a third one still gets its own.
func TestDuplicateSlugsAreStable(t *testing.T) {
	fsys := blogFS(map[string]string{
		"_posts/2015-01-21-x.md":      "---\ntitle: B\n---\n",
		"_posts/2014-01-01-x.md":      "---\ntitle: A\n---\n",
		"_posts/2016/2015-01-21-x.md": "---\ntitle: C\n---\n",
		"posts/2020-01-01-y.md":       "---\ntitle: Y1\n---\n",
		"posts/2021-01-01-y.md":       "---\ntitle: Y2\n---\n",
	})
	snap, err := Load(fsys, "")
	var ve *ValidationError
	if !errors.As(err, &ve) || snap == nil {
		t.Fatalf("Load: %v; want a snapshot and the native duplicate as an error", err)
	}
	for slug, title := range map[string]string{"x": "A", "x-2015-01-21": "B", "x-2015-01-21-2": "C", "y": "Y1", "y-2021-01-01": "Y2"} {
		if p, ok := snap.Post(slug); !ok || p.Title != title {
			t.Errorf("Post(%q) = %+v, want %s", slug, p, title)
		}
	}
	var errs []string
	for _, p := range ve.Problems {
		if !p.Warning {
			errs = append(errs, p.String())
		}
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "posts/2021-01-01-y.md: duplicate slug") {
		t.Errorf("errors: %q, want the native duplicate only", errs)
	}
}

// TestPages checks which files become pages: Markdown with front matter at
// a Jekyll root, under pages/ and directly under Hugo's content/; not
// index, 404, listings or drafts.
func TestPages(t *testing.T) {
	fsys := blogFS(map[string]string{
		"_config.yml":               "title: T\n",
		"_posts/2020-01-01-p.md":    "---\ntitle: P\n---\n",
		"about.md":                  "---\nlayout: page\ntitle: 关于 <em>me</em>\n---\nHello\n",
		"links.markdown":            "---\ntitle: Links\n---\n",
		"README.md":                 "# no front matter: not a page\n",
		"404.md":                    "---\ntitle: Not found\n---\n",
		"index.md":                  "---\nlayout: home\n---\n",
		"archive.md":                "---\ntitle: Archive\n---\n{% for post in site.posts %}{% endfor %}\n",
		"tags.md":                   "---\nlayout: tags\ntitle: Tags\n---\n",
		"secret.md":                 "---\ntitle: S\npublished: false\n---\n",
		"pages/now.md":              "Now, without front matter\n",
		"content/cv.md":             "+++\ntitle = 'CV'\n+++\n",
		"content/projects/index.md": "---\ntitle: Projects\n---\n",
		"docs/deep.md":              "---\ntitle: Deep\n---\n",
	})
	snap, err := Load(fsys, "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var got []string
	for _, p := range snap.Pages() {
		got = append(got, p.Slug+"="+p.Title)
	}
	if want := "cv=CV links=Links now=Now projects=Projects about=关于 me"; strings.Join(got, " ") != want {
		t.Errorf("pages %q\nwant  %q", strings.Join(got, " "), want)
	}
	if p, ok := snap.Page("about"); !ok || p.Markdown() != "Hello\n" || p.Path != "about.md" {
		t.Errorf("Page(about) = %+v", p)
	}
	if _, ok := snap.Post("about"); ok {
		t.Error("a page is not a post")
	}
	if w := snap.Warnings(); len(w) != 1 || !strings.Contains(w[0].Message, "404.md, README.md, archive.md, docs/ (1), index.md, secret.md, tags.md") {
		t.Errorf("warnings %s", list(w))
	}
}

// TestHTMLPages checks which .html files at a Jekyll root become pages:
// those with front matter whose body shows content of its own (text, or an
// output tag such as {{ about | markdownify }}); not a listing of posts
// whatever its layout, not scripts and includes alone, not a file without
// front matter, and none below the root.
func TestHTMLPages(t *testing.T) {
	fsys := blogFS(map[string]string{
		"_config.yml":            "title: T\n",
		"_posts/2020-01-01-p.md": "---\ntitle: P\n---\n",
		"FAQ.html":               "---\nlayout: default\n---\n<div class='qa'>\n\t<p><b>Q:</b> 问题？</p>\n\n\t<p>{{ site.title }}</p>\n<pre>\n  kept\n</pre>\n</div>\n",
		"about.html":             "---\nlayout: page\ntitle: About\n---\n{% include sel.html %}\n<!-- zh -->\n<div>\n{% capture zh %}{% include about/zh.md %}{% endcapture %}\n{{ zh | markdownify }}\n</div>\n",
		"offline.html":           "---\ntitle: Offline\n---\n{% include header.html %}\n<script>document.body.classList.add('x');</script>\n<style>p { color: red }</style>\n",
		"tags.html":              "---\nlayout: page\ntitle: Tags\n---\n<ul>{% for tag in site.tags %}<li>{{ tag[0] }}</li>{% endfor %}</ul>\n",
		"archive.md":             "---\nlayout: page\ntitle: Archive\n---\n{% for post in site.posts %}{% endfor %}\n",
		"google123.html":         "google-site-verification: google123.html\n",
		"index.html":             "---\nlayout: default\n---\n<p>Welcome</p>\n",
		"docs/deep.html":         "---\ntitle: Deep\n---\n<p>Deep</p>\n",
	})
	snap, err := Load(fsys, "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var got []string
	for _, p := range snap.Pages() {
		got = append(got, p.Slug+"="+p.Title)
	}
	if want := "about=About FAQ=FAQ"; strings.Join(got, " ") != want {
		t.Errorf("pages %q\nwant  %q", strings.Join(got, " "), want)
	}
	if p, ok := snap.Page("FAQ"); !ok || !strings.Contains(p.Markdown(), "问题？") {
		t.Errorf("Page(FAQ) = %+v", p)
	} else if body, _ := snap.Body(p); !strings.Contains(body, "\n<p>T</p>\n") || !strings.Contains(body, "\n  kept\n") {
		// Indentation means nothing in HTML: an indented line after a
		// blank one is no Markdown code block, and its Liquid runs.
		t.Errorf("Body(FAQ) = %q", body)
	}
	if w := snap.Warnings(); len(w) != 1 || !strings.Contains(w[0].Message, "archive.md, docs/ (1), google123.html, index.html, offline.html, tags.html") {
		t.Errorf("warnings %s", list(w))
	}
}

// TestHugoBlog loads a Hugo site: config.toml, posts under content/post
// and content/posts in TOML, YAML and JSON with keys in any case, a page
// bundle, a draft, and pages.
func TestHugoBlog(t *testing.T) {
	fsys := blogFS(map[string]string{
		"config.toml": "baseURL = 'https://example.org/blog/'\nlanguageCode = 'en-gb'\ntitle = 'Hugo Blog'\n" +
			"[params]\ndescription = 'Notes &amp; more'\nauthor = 'Jane'\n",
		"content/post/first.md":         "+++\nTitle = 'First'\nDate = 2020-01-02T03:04:05+08:00\nTags = ['a', 'b']\nSlug = 'one'\n+++\nbody\n",
		"content/posts/bundle/index.md": "---\ntitle: Bundle\ndate: 2021-03-04\nsummary: Short\n---\n",
		"content/posts/bundle/notes.md": "---\ntitle: a resource of the bundle\n---\n",
		"content/posts/json.md":         "{\n  \"title\": \"JSON\",\n  \"date\": \"2022-05-06\",\n  \"Categories\": [\"x\"]\n}\nbody\n",
		"content/posts/draft.md":        "---\ntitle: Draft\ndraft: true\ndate: 2023-01-01\n---\n",
		"content/posts/_index.md":       "---\ntitle: Posts\n---\n",
		"content/about.md":              "---\ntitle: About\n---\n",
		"layouts/_default/single.html":  "{{ .Content }}",
	})
	snap, err := Load(fsys, "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	site := snap.Site()
	if site.Title != "Hugo Blog" || site.URL != "https://example.org" || site.BaseURL != "/blog" || site.Language != "en-gb" ||
		site.Description != "Notes & more" || site.Author != "Jane" {
		t.Errorf("site %+v", site)
	}
	var got []string
	for _, p := range snap.Posts() {
		got = append(got, p.Slug+"="+p.Title+"@"+p.Date.Format("2006-01-02"))
	}
	if want := "json=JSON@2022-05-06 bundle=Bundle@2021-03-04 one=First@2020-01-02"; strings.Join(got, " ") != want {
		t.Errorf("posts %q\nwant  %q", strings.Join(got, " "), want)
	}
	if p, _ := snap.Post("one"); strings.Join(p.Tags, ",") != "a,b" || p.Params()["title"] != "First" {
		t.Errorf("first: tags %v, params %v", p.Tags, p.Params())
	}
	if p, _ := snap.Post("bundle"); p.Excerpt != "Short" {
		t.Errorf("summary %q", p.Excerpt)
	}
	if p, _ := snap.Post("json"); strings.Join(p.Categories, ",") != "x" || p.Markdown() != "body\n" || p.BodyLine != 6 {
		t.Errorf("json: %+v", p)
	}
	if _, ok := snap.Page("about"); !ok {
		t.Error("content/about.md is a page")
	}
}

// TestSiteAddress covers joining url and baseurl once.
func TestSiteAddress(t *testing.T) {
	tests := []struct{ url, base, origin, path string }{
		{"https://example.org", "/blog", "https://example.org", "/blog"},
		{"/Blog", "http://gaocegege.com", "http://gaocegege.com", "/Blog"}, // swapped
		{"https://example.org/", "", "https://example.org", ""},
		{"https://example.org/blog/", "", "https://example.org", "/blog"},
		{"https://example.org/blog", "/blog/", "https://example.org", "/blog"},
		{"", "/", "", ""},
		{"", "blog", "", "/blog"},
		{"http://localhost:4000", "", "http://localhost:4000", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		origin, path := siteAddress(tt.url, tt.base)
		if origin != tt.origin || path != tt.path {
			t.Errorf("siteAddress(%q, %q) = %q, %q; want %q, %q", tt.url, tt.base, origin, path, tt.origin, tt.path)
		}
	}
}

// TestTitlesAreText checks that HTML in one-line fields shows as text.
func TestTitlesAreText(t *testing.T) {
	p, problems := parsePost("_posts/2020-01-01-x.md", []byte("---\ntitle: \"<code>foo</code> bar &amp; baz\"\n"+
		"subtitle: \"a <b>bold</b>   move\"\ndescription: \"1 < 2 &lt; 3\"\n---\n"))
	if len(problems) > 0 {
		t.Fatalf("problems: %s", list(problems))
	}
	if p.Title != "foo bar & baz" || p.Subtitle != "a bold move" || p.Description != "1 < 2 < 3" {
		t.Errorf("title %q, subtitle %q, description %q", p.Title, p.Subtitle, p.Description)
	}
}

// TestParseDateForms covers the date forms Jekyll and Hugo accept.
func TestParseDateForms(t *testing.T) {
	cst := time.FixedZone("", 8*3600)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2014-10-1", time.Date(2014, 10, 1, 0, 0, 0, 0, time.UTC)},
		{"2014-10-1 12:00:00", time.Date(2014, 10, 1, 12, 0, 0, 0, time.UTC)},
		{"2016-4-26 12:53:12 +0800", time.Date(2016, 4, 26, 12, 53, 12, 0, cst)},
		{"2016-04-26 12:53:12 +08:00", time.Date(2016, 4, 26, 12, 53, 12, 0, cst)},
		{"2016-04-26 12:53 +0800", time.Date(2016, 4, 26, 12, 53, 0, 0, cst)},
		{"2016-04-26T12:53:12Z", time.Date(2016, 4, 26, 12, 53, 12, 0, time.UTC)},
		{"2016-04-26T12:53:12.5+08:00", time.Date(2016, 4, 26, 12, 53, 12, 5e8, cst)},
		{"2016-04-26T12:53", time.Date(2016, 4, 26, 12, 53, 0, 0, time.UTC)},
		{"2016-4-6 9:05:00", time.Date(2016, 4, 6, 9, 5, 0, 0, time.UTC)},
		{"  2016-04-26   10:00:00  ", time.Date(2016, 4, 26, 10, 0, 0, 0, time.UTC)},
		{"2016-04-26 12:53:12 +08", time.Date(2016, 4, 26, 12, 53, 12, 0, cst)},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"2015-XX-XX", "yesterday", "2020-02-30", "2020-13-01", ""} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want no date", bad, got)
		}
	}
}

// TestLiquidContract checks what Liquid's tags get from a snapshot: the
// includes, post_url and link resolution.
func TestLiquidContract(t *testing.T) {
	fsys := blogFS(map[string]string{
		"_config.yml":                   "title: T\n",
		"_posts/2010-07-21-name.md":     "---\ntitle: Name\n---\n",
		"_posts/2010/2010-7-2-other.md": "---\ntitle: Other\n---\n",
		"_includes/note.html":           "<p>{{ include.text }}</p>",
		"_includes/posts/card.html":     "card",
		"about.md":                      "---\ntitle: About\n---\n",
	})
	snap, err := Load(fsys, "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for arg, slug := range map[string]string{"2010-07-21-name": "name", "/2010/2010-7-2-other": "other", "2010-07-02-other": "other", "name": "name"} {
		if p, ok := snap.PostURL(arg); !ok || p.Slug != slug {
			t.Errorf("PostURL(%q) = %v, %v; want %s", arg, p, ok, slug)
		}
	}
	if _, ok := snap.PostURL("2010-07-22-name"); ok {
		t.Error("PostURL of a missing post found one")
	}
	if p, ok := snap.Link("_posts/2010-07-21-name.md"); !ok || p.Slug != "name" {
		t.Errorf("Link: %v %v", p, ok)
	}
	if p, ok := snap.Link("/about.md"); !ok || p.Title != "About" {
		t.Errorf("Link(about): %v %v", p, ok)
	}
	data, err := fs.ReadFile(snap.Includes(), "posts/card.html")
	if err != nil || string(data) != "card" {
		t.Errorf("include: %q %v", data, err)
	}
	if w := snap.Warnings(); len(w) != 0 {
		t.Errorf("includes are part of the blog: %s", list(w))
	}
}

// TestInvalidFrontMatterIsReadLineByLine: an unquoted colon in a title
// breaks YAML; the post keeps its title and other simple keys.
func TestInvalidFrontMatterIsReadLineByLine(t *testing.T) {
	p, problems := parsePost("_posts/2026-05-13-x.md", []byte("---\nlayout: post \ntitle: GitHub - CloakHQ/CloakBrowser: 能通过\n"+
		"date: 2026-05-13 21:01:55 +0800\ncategories: [AI]\nfeatured: true\n---\nbody\n"))
	if len(problems) != 1 || !problems[0].Warning {
		t.Fatalf("problems: %s", list(problems))
	}
	if p.Title != "GitHub - CloakHQ/CloakBrowser: 能通过" || !p.Featured || p.Layout != "post" || p.Date.Hour() != 21 || p.Body != "body\n" ||
		strings.Join(p.Categories, ",") != "AI" {
		t.Errorf("post %+v", p)
	}
}

// TestURLs checks the addresses Liquid's post_url and link give: Jekyll's
// styles and patterns, a post's own permalink, Hugo's sections, pages.
func TestURLs(t *testing.T) {
	load := func(files map[string]string) *Snapshot {
		t.Helper()
		snap, err := Load(blogFS(files), "")
		if snap == nil {
			t.Fatal(err)
		}
		return snap
	}
	post := "---\ntitle: T\ncategories: [Go, Life]\n---\n"
	tests := []struct {
		name   string
		files  map[string]string
		target string // slug, or "page:" slug
		want   string
	}{
		{"jekyll default", map[string]string{"_config.yml": "title: x\n", "_posts/2010-7-21-name.md": post}, "name", "/go/life/2010/07/21/name.html"},
		{"jekyll pretty", map[string]string{"_config.yml": "permalink: pretty\n", "_posts/2010-07-21-name.md": post}, "name", "/go/life/2010/07/21/name/"},
		{"jekyll pattern", map[string]string{"_config.yml": "permalink: /blog/:year/:title/\n", "_posts/2010-07-21-name.md": post}, "name", "/blog/2010/name/"},
		{"post permalink", map[string]string{"_config.yml": "permalink: pretty\n", "_posts/2010-07-21-name.md": "---\npermalink: /about-name/\n---\n"}, "name", "/about-name/"},
		{"jekyll page", map[string]string{"_config.yml": "title: x\n", "about.md": "---\ntitle: About\n---\n"}, "page:about", "/about.html"},
		{"hugo default", map[string]string{"config.toml": "title = 'x'\n", "content/post/my-post.md": "---\ntitle: T\ndate: 2020-01-02\n---\n"}, "my-post", "/post/my-post/"},
		{"hugo permalinks", map[string]string{"config.toml": "[permalinks]\npost = '/:year/:month/:slug/'\n", "content/post/my-post.md": "---\ntitle: T\ndate: 2020-01-02\n---\n"}, "my-post", "/2020/01/my-post/"},
		{"hugo url", map[string]string{"config.toml": "title = 'x'\n", "content/posts/a.md": "---\ntitle: T\nurl: /old/a.html\n---\n"}, "a", "/old/a.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := load(tt.files)
			var p *Post
			var ok bool
			if slug, isPage := strings.CutPrefix(tt.target, "page:"); isPage {
				p, ok = snap.Page(slug)
			} else {
				p, ok = snap.Post(tt.target)
			}
			if !ok {
				t.Fatalf("no %s", tt.target)
			}
			if got := snap.URL(p); got != tt.want {
				t.Errorf("URL = %q, want %q", got, tt.want)
			}
		})
	}
	snap := load(map[string]string{"_config.yml": "baseurl: http://gaocegege.com\nurl: /Blog\nowner: {name: x}\n", "_posts/2010-07-21-name.md": post})
	p, _ := snap.Post("name")
	site, page := snap.SiteVars(), snap.PageVars(p)
	if site["url"] != "http://gaocegege.com" || site["baseurl"] != "/Blog" || site["owner"] == nil {
		t.Errorf("site vars %v", site)
	}
	if page["url"] != "/go/life/2010/07/21/name.html" || page["title"] != "T" || page["path"] != "_posts/2010-07-21-name.md" {
		t.Errorf("page vars %v", page)
	}
}

// TestCategoryPostsFolders: Jekyll reads category/_posts/ too, with the
// folders as categories, and every Markdown extension it knows.
func TestCategoryPostsFolders(t *testing.T) {
	snap, err := Load(blogFS(map[string]string{
		"_config.yml":                     "title: T\n",
		"life/books/_posts/2020-1-1-a.md": "---\ntitle: A\ncategories: x\n---\n",
		"_posts/2020-1-2-b.mkd":           "---\ntitle: B\n---\n",
	}), "")
	if err != nil {
		t.Fatal(err)
	}
	a, ok := snap.Post("a")
	if !ok || strings.Join(a.Categories, ",") != "life,books,x" {
		t.Errorf("a: %+v", a)
	}
	if _, ok := snap.Post("b"); !ok {
		t.Error(".mkd is a post")
	}
}

// TestHugoConfigForms: hugo.toml wins over config.yaml, which Hugo reads
// too, with keys in any case; JSON configs parse as well.
func TestHugoConfigForms(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"hugo.toml over config.yaml": {"hugo.toml": "Title = 'Hugo Blog'\nBaseURL = 'https://x.org/'\n", "config.yaml": "title: From YAML\n"},
		"config.yaml":                {"config.yaml": "title: Hugo Blog\nbaseURL: https://x.org/\nparams:\n  Description: D\n"},
		"hugo.json":                  {"hugo.json": "{\"title\": \"Hugo Blog\", \"baseURL\": \"https://x.org\"}\n"},
	} {
		t.Run(name, func(t *testing.T) {
			files["content/posts/a.md"] = "---\ntitle: A\n---\n"
			snap, err := Load(blogFS(files), "")
			if snap == nil {
				t.Fatal(err)
			}
			if s := snap.Site(); s.Title != "Hugo Blog" || s.URL != "https://x.org" {
				t.Errorf("site %+v", s)
			}
		})
	}
}
