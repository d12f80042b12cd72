package render

import (
	"net/url"
	"strings"

	"github.com/sshblog/sshblog/content"
)

// siteRoot is where a blog is published: an origin ("https://host") and a
// base path ("/blog", or "") under it.
type siteRoot struct {
	origin, base string
}

// rootOf reads a site's url and baseurl. Jekyll joins them as written;
// blogs that swapped them (url: /Blog, baseurl: http://host, as
// gaocegege/Blog does) are read the way they were meant, so that the base
// path is added once.
func rootOf(site content.Site) siteRoot {
	u, b := strings.TrimSpace(site.URL), strings.TrimSpace(site.BaseURL)
	if !strings.Contains(u, "://") && strings.Contains(b, "://") {
		u, b = b, u
	}
	var r siteRoot
	if pu, err := url.Parse(u); err == nil && pu.Scheme != "" && pu.Host != "" {
		r.origin = pu.Scheme + "://" + pu.Host
		if b == "" {
			b = pu.Path
		}
	}
	if p := strings.Trim(b, "/"); p != "" && !strings.Contains(p, "://") {
		r.base = "/" + p
	}
	return r
}

// resolve returns the URL a link or image destination written in a post
// points to, as a browser on the published site would resolve it ("/x" is
// under the origin, "x" under the base path), or "" when it points nowhere
// a reader can follow (an anchor in the page, or a relative path on a site
// without a URL).
func (r siteRoot) resolve(dest string) string {
	dest = strings.TrimSpace(dest)
	switch {
	case dest == "" || strings.HasPrefix(dest, "#"):
		return ""
	case strings.HasPrefix(dest, "//"):
		return "https:" + dest
	}
	if u, err := url.Parse(dest); err == nil && u.Scheme != "" {
		return dest
	}
	if r.origin == "" {
		return ""
	}
	if strings.HasPrefix(dest, "/") {
		return r.origin + dest
	}
	return r.origin + r.base + "/" + strings.TrimPrefix(dest, "./")
}

// local returns the path within the blog folder of a destination that
// points into the site ("/Blog/images/a.png" on a site at /Blog is
// "images/a.png"), or "".
func (r siteRoot) local(dest string) string {
	dest = strings.TrimSpace(dest)
	if r.origin != "" {
		dest = strings.TrimPrefix(dest, r.origin)
	}
	if strings.Contains(dest, "://") || strings.HasPrefix(dest, "//") || dest == "" {
		return ""
	}
	if r.base != "" {
		if rest, ok := strings.CutPrefix(dest, r.base+"/"); ok {
			dest = rest
		}
	}
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		dest = dest[:i]
	}
	if p, err := url.PathUnescape(dest); err == nil {
		dest = p
	}
	return strings.TrimPrefix(strings.TrimPrefix(dest, "./"), "/")
}
