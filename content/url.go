package content

import (
	"fmt"
	"maps"
	pathpkg "path"
	"strings"
	"time"
)

// Jekyll's named permalink styles
// (https://jekyllrb.com/docs/permalinks/#built-in-formats).
var permalinkStyles = map[string]string{
	"date":     "/:categories/:year/:month/:day/:title:output_ext",
	"pretty":   "/:categories/:year/:month/:day/:title/",
	"ordinal":  "/:categories/:year/:y_day/:title:output_ext",
	"weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
	"none":     "/:categories/:title:output_ext",
}

// URL returns the address of the post or page p on the web site, as a
// path without the site's origin and base path ("/2010/07/21/name.html"):
// what Jekyll's post_url and link tags give, and what Hugo's relref gives
// without its base. The post's own permalink wins; else the site's
// permalink pattern (Jekyll's permalink key, Hugo's [permalinks]), else
// each dialect's default: Jekyll's "date" style, Hugo's /section/slug/,
// sshblog's /slug/.
func (s *Snapshot) URL(p *Post) string {
	d := dialectOf(p.Path)
	page := s.pageSlug[p.Slug] == p
	pattern := p.Permalink
	if pattern == "" {
		pattern = s.permalinkPattern(p, d, page)
	}
	if style, ok := permalinkStyles[pattern]; ok && !page {
		pattern = style
	}
	return expandPermalink(pattern, p, d)
}

// permalinkPattern returns the site's pattern for p, or the dialect's
// default.
func (s *Snapshot) permalinkPattern(p *Post, d dialect, page bool) string {
	switch d {
	case dialectHugo:
		section := hugoSection(p.Path)
		if links, ok := s.config["permalinks"].(map[string]any); ok && !page {
			for k, v := range links {
				if pat, ok := v.(string); ok && strings.EqualFold(k, section) {
					return pat
				}
			}
		}
		if page {
			return "/:slug/"
		}
		return "/" + section + "/:slug/"
	case dialectJekyll:
		pat, _ := s.config["permalink"].(string)
		if page {
			if pat == "pretty" || strings.HasSuffix(pat, "/") {
				return "/:basename/"
			}
			return "/:basename:output_ext"
		}
		if pat == "" {
			return "date"
		}
		return pat
	}
	if page {
		return "/:slug/"
	}
	return "/posts/:slug/"
}

// hugoSection is the section of a Hugo post: the folder under content/.
func hugoSection(path string) string {
	rest := strings.TrimPrefix(path, "content/")
	if i := strings.IndexByte(rest, '/'); i > 0 {
		return rest[:i]
	}
	return ""
}

// expandPermalink fills a Jekyll or Hugo permalink pattern's placeholders
// for p. Unknown placeholders are left as written.
func expandPermalink(pattern string, p *Post, d dialect) string {
	date := p.Date
	if date.IsZero() {
		date = time.Unix(0, 0).UTC()
	}
	base := pathpkg.Base(p.Path)
	basename := strings.TrimSuffix(base, pathpkg.Ext(base))
	title := p.Slug
	if d != dialectHugo {
		if _, s, ok := fileNameDate(basename); ok {
			title = s
		}
	}
	var cats []string
	for _, c := range p.Categories {
		// Lower case, words joined with hyphens, as Jekyll's URLs have them.
		cats = append(cats, strings.ToLower(strings.Join(strings.Fields(c), "-")))
	}
	_, week := date.ISOWeek()
	repl := []string{
		":categories", strings.Join(cats, "/"),
		":sections", hugoSection(p.Path),
		":section", hugoSection(p.Path),
		":output_ext", ".html",
		":basename", basename,
		":filename", basename,
		":short_year", date.Format("06"),
		":year", date.Format("2006"),
		":i_month", fmt.Sprint(int(date.Month())),
		":monthname", date.Format("January"),
		":month", date.Format("01"),
		":i_day", fmt.Sprint(date.Day()),
		":y_day", fmt.Sprintf("%03d", date.YearDay()),
		":short_day", date.Format("Mon"),
		":day", date.Format("02"),
		":hour", date.Format("15"),
		":minute", date.Format("04"),
		":second", date.Format("05"),
		":week", fmt.Sprintf("%02d", week),
		":title", title,
		":slug", p.Slug,
		":contentbasename", basename,
	}
	out := strings.NewReplacer(repl...).Replace(pattern)
	for strings.Contains(out, "//") {
		out = strings.ReplaceAll(out, "//", "/")
	}
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	return out
}

// SiteVars returns site.* for Liquid: the whole site configuration as
// written, with url and baseurl as they are to be joined (Site.URL, the
// origin, and Site.BaseURL, the path, even where the file swaps them), and
// the fields sshblog's own site.yaml names where the file lacks them. The
// map is the caller's.
func (s *Snapshot) SiteVars() map[string]any {
	vars := maps.Clone(s.config)
	if vars == nil {
		vars = map[string]any{}
	}
	for k, v := range map[string]string{
		"title": s.site.Title, "description": s.site.Description, "author": s.site.Author,
		"language": s.site.Language,
	} {
		if _, ok := vars[k]; !ok && v != "" {
			vars[k] = v
		}
	}
	vars["url"] = s.site.URL
	vars["baseurl"] = s.site.BaseURL
	return vars
}

// PageVars returns page.* for Liquid for the post or page p: its front
// matter (Post.Params) with the values Jekyll adds: title, date, url, path,
// slug, id, categories and tags as sshblog reads them. The map is the
// caller's.
func (s *Snapshot) PageVars(p *Post) map[string]any {
	vars := p.Params()
	url := s.URL(p)
	vars["title"] = p.Title
	vars["url"] = url
	vars["id"] = strings.TrimSuffix(url, ".html")
	vars["path"] = p.Path
	vars["slug"] = p.Slug
	vars["date"] = p.Date
	cats := make([]any, len(p.Categories))
	for i, c := range p.Categories {
		cats[i] = c
	}
	tags := make([]any, len(p.Tags))
	for i, t := range p.Tags {
		tags[i] = t
	}
	vars["categories"], vars["tags"] = cats, tags
	if p.Description != "" {
		vars["description"] = p.Description
	}
	if p.Subtitle != "" {
		vars["subtitle"] = p.Subtitle
	}
	if p.Excerpt != "" {
		vars["excerpt"] = p.Excerpt
	}
	return vars
}
