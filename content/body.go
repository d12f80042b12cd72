package content

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	pathpkg "path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/sshblog/sshblog/content/liquid"
	"github.com/sshblog/sshblog/content/shortcode"
)

// bodyState is what Body needs beyond a post, built once per snapshot on
// first use.
type bodyState struct {
	once      sync.Once
	liquid    *liquid.Env
	shortcode *shortcode.Env
	version   string
}

// Body returns p's body as the Markdown the renderer reads, with its
// template markup expanded as the blog's generator would: Hugo's shortcodes
// in a Hugo post, Jekyll's Liquid otherwise (sshblog's own posts use
// {{ site.url }} as the seed's do). It also returns the problems met on
// the way, as warnings at the lines of p's file (Jekyll and Hugo build such
// a post anyway); the same problem several times in a post is one warning
// saying how many. p need not be one of s's posts.
func (s *Snapshot) Body(p *Post) (string, []Problem) {
	b := s.bodyState()
	var problems []Problem
	if dialectOf(p.Path) == dialectHugo {
		body, found := shortcode.Expand(p.Markdown(), b.shortcode)
		for _, f := range found {
			problems = append(problems, bodyProblem(p, f.Line, f.Message))
		}
		return body, summarise(problems)
	}
	body, found := liquid.Expand(p.Markdown(), s.pageVars(p), b.liquid)
	for _, f := range found {
		problems = append(problems, bodyProblem(p, f.Line, f.Message))
	}
	return body, summarise(problems)
}

// BodyVersion identifies what Body's result depends on besides the post
// (the site config, the includes, where the other posts are): for two
// snapshots with the same BodyVersion, Body of the same post is the same.
// A render cache keys on it.
func (s *Snapshot) BodyVersion() string { return s.bodyState().version }

// bodyProblems returns the problems of every post's and page's body.
func (s *Snapshot) bodyProblems() []Problem {
	var problems []Problem
	for _, docs := range [][]*Post{s.posts, s.pages} {
		for _, p := range docs {
			_, ps := s.Body(p)
			problems = append(problems, ps...)
		}
	}
	return problems
}

func (s *Snapshot) bodyState() *bodyState {
	b := s.body
	if b == nil {
		b = &bodyState{} // a Snapshot built without NewSnapshot
	}
	b.once.Do(func() {
		site := s.siteVars()
		b.liquid = &liquid.Env{
			Site:     site,
			Includes: s.Includes(),
			PostURL: func(name string) (string, bool) {
				if p, ok := s.PostURL(name); ok {
					return s.postURL(p), true
				}
				return "", false
			},
			Link: func(path string) (string, bool) {
				if p, ok := s.Link(path); ok {
					return s.postURL(p), true
				}
				return "", false
			},
		}
		b.shortcode = &shortcode.Env{Ref: func(path string) (string, bool) {
			if p, ok := s.hugoRef(path); ok {
				return s.postURL(p), true
			}
			return "", false
		}}
		b.version = s.bodyVersion(site)
	})
	return b
}

// bodyVersion hashes what Body reads besides the post.
func (s *Snapshot) bodyVersion(site map[string]any) string {
	h := sha256.New()
	if data, err := json.Marshal(site); err == nil { // maps marshal with sorted keys
		h.Write(data)
	} else {
		fmt.Fprintf(h, "%v", site) // a value JSON cannot hold: best effort
	}
	inc := s.Includes()
	_ = fs.WalkDir(inc, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, _ := fs.ReadFile(inc, name)
		fmt.Fprintf(h, "\x00%s\x00%d\x00", name, len(data))
		h.Write(data)
		return nil
	})
	for _, docs := range [][]*Post{s.posts, s.pages} {
		for _, p := range docs {
			fmt.Fprintf(h, "\x00%s\x00%s", p.Path, s.postURL(p))
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// bodyProblem returns a warning at line l of p's body.
func bodyProblem(p *Post, l int, msg string) Problem {
	if p.BodyLine > 0 {
		l += p.BodyLine - 1
	}
	return Problem{File: p.Path, Line: l, Message: msg, Warning: true}
}

// summarise keeps the first of the problems that say the same thing, and
// says how many there were.
func summarise(ps []Problem) []Problem {
	if len(ps) < 2 {
		return ps
	}
	count := map[string]int{}
	for _, p := range ps {
		count[p.Message]++
	}
	var out []Problem
	for _, p := range ps {
		n := count[p.Message]
		if n < 0 {
			continue
		}
		count[p.Message] = -1
		if n > 1 {
			p.Message += " (" + strconv.Itoa(n) + " times; the first here)"
		}
		out = append(out, p)
	}
	return out
}

// siteVars returns site.* for Liquid: the whole site config, with url and
// baseurl as Load joined them (an origin and a path), and the fields
// sshblog's own site.yaml names.
func (s *Snapshot) siteVars() map[string]any {
	site := maps.Clone(s.config)
	if site == nil {
		site = map[string]any{}
	}
	for k, v := range map[string]string{
		"title": s.site.Title, "description": s.site.Description, "author": s.site.Author,
		"language": s.site.Language,
	} {
		if _, ok := site[k]; !ok && v != "" {
			site[k] = v
		}
	}
	site["url"] = s.site.URL
	site["baseurl"] = s.site.BaseURL
	return site
}

// pageVars returns page.* for Liquid: the post's front matter, and what
// Jekyll adds for a post.
func (s *Snapshot) pageVars(p *Post) map[string]any {
	v := p.Params()
	set := map[string]any{
		"title":      p.Title,
		"date":       p.Date,
		"path":       p.Path,
		"slug":       p.Slug,
		"url":        s.postURL(p),
		"id":         strings.TrimSuffix(s.postURL(p), ".html"),
		"categories": anyList(p.Categories),
		"tags":       anyList(p.Tags),
	}
	maps.Copy(v, set)
	if p.Description != "" {
		v["description"] = p.Description
	}
	if p.Subtitle != "" {
		v["subtitle"] = p.Subtitle
	}
	if p.Excerpt != "" {
		v["excerpt"] = p.Excerpt
	}
	return v
}

// anyList returns ss as Liquid's arrays are, []any.
func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// postURL returns p's address on the web site, without the base URL (as
// Jekyll's post_url gives it): its permalink from the front matter, else
// the site's pattern (Jekyll's permalink setting, "date" by default), or
// Hugo's /section/slug/.
func (s *Snapshot) postURL(p *Post) string {
	if p.Permalink != "" {
		return "/" + strings.TrimPrefix(p.Permalink, "/")
	}
	switch dialectOf(p.Path) {
	case dialectHugo:
		rel := strings.TrimPrefix(p.Path, "content/")
		if dir := pathpkg.Dir(rel); dir != "." {
			return "/" + strings.Split(dir, "/")[0] + "/" + p.Slug + "/"
		}
		return "/" + p.Slug + "/"
	case dialectNative:
		return "/posts/" + p.Slug + "/"
	}
	if !strings.HasPrefix(p.Path, "_posts/") && !strings.Contains(p.Path, "/_posts/") {
		// A page: its path, with .html for Markdown.
		ext := pathpkg.Ext(p.Path)
		return "/" + strings.TrimSuffix(p.Path, ext) + ".html"
	}
	pattern, _ := s.config["permalink"].(string)
	return jekyllPermalink(pattern, p)
}

// jekyllPermalink fills in Jekyll's permalink pattern for post p: one of
// the named styles, or a pattern of :year, :month, :day, :title, ...
func jekyllPermalink(pattern string, p *Post) string {
	switch pattern {
	case "", "date":
		pattern = "/:categories/:year/:month/:day/:title:output_ext"
	case "pretty":
		pattern = "/:categories/:year/:month/:day/:title/"
	case "ordinal":
		pattern = "/:categories/:year/:y_day/:title:output_ext"
	case "weekdate":
		pattern = "/:categories/:year/W:week/:short_day/:title:output_ext"
	case "none":
		pattern = "/:categories/:title:output_ext"
	}
	title := p.Slug
	base := pathpkg.Base(p.Path)
	if _, slug, ok := fileNameDate(strings.TrimSuffix(base, pathpkg.Ext(base))); ok {
		title = slug // the file's, though a duplicate's Slug has its date added
	}
	cats := make([]string, len(p.Categories))
	for i, c := range p.Categories {
		cats[i] = slugify(c)
	}
	_, week := p.Date.ISOWeek()
	r := strings.NewReplacer(
		":categories", strings.Join(cats, "/"),
		":year", p.Date.Format("2006"),
		":short_year", p.Date.Format("06"),
		":month", p.Date.Format("01"),
		":i_month", strconv.Itoa(int(p.Date.Month())),
		":short_month", p.Date.Format("Jan"),
		":long_month", p.Date.Format("January"),
		":day", p.Date.Format("02"),
		":i_day", strconv.Itoa(p.Date.Day()),
		":y_day", fmt.Sprintf("%03d", p.Date.YearDay()),
		":week", fmt.Sprintf("%02d", week),
		":short_day", p.Date.Format("Mon"),
		":long_day", p.Date.Format("Monday"),
		":hour", p.Date.Format("15"),
		":minute", p.Date.Format("04"),
		":second", p.Date.Format("05"),
		":title", title,
		":slug", title,
		":name", title,
		":output_ext", ".html",
	)
	u := r.Replace(pattern)
	for strings.Contains(u, "//") {
		u = strings.ReplaceAll(u, "//", "/")
	}
	if !strings.HasPrefix(u, "/") {
		u = "/" + u
	}
	return u
}

// slugify lower-cases s and joins its words with hyphens, as Jekyll does
// for categories in URLs.
func slugify(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), "-"))
}

// hugoRef finds the page a Hugo ref or relref names: a path below
// content/ ("post/name.md", "/post/name"), or a file or bundle name.
func (s *Snapshot) hugoRef(ref string) (*Post, bool) {
	ref = strings.TrimSpace(ref)
	if i := strings.IndexByte(ref, '#'); i >= 0 {
		ref = ref[:i]
	}
	clean := strings.TrimPrefix(pathpkg.Clean("/"+ref), "/")
	for _, try := range []string{clean, clean + ".md", clean + "/index.md", clean + "/_index.md"} {
		if p, ok := s.Link("content/" + try); ok {
			return p, true
		}
	}
	name := strings.TrimSuffix(pathpkg.Base(clean), pathpkg.Ext(clean))
	var found []*Post
	for _, docs := range [][]*Post{s.posts, s.pages} {
		for _, p := range docs {
			if p.Slug == name || strings.TrimSuffix(pathpkg.Base(p.Path), pathpkg.Ext(p.Path)) == name {
				found = append(found, p)
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
	if len(found) > 0 {
		return found[0], true
	}
	return nil, false
}
