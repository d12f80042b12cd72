package content

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/sshblog/sshblog/content/liquid"
)

// bodyState is what Body needs beyond a post, built once per snapshot on
// first use.
type bodyState struct {
	once    sync.Once
	liquid  *liquid.Env
	version string
}

// Body returns p's body as the Markdown the renderer reads: with Jekyll's
// Liquid expanded (in Jekyll blogs, and in sshblog's own, whose posts use
// {{ site.url }} as the seed's do), and the problems met on the way, as
// warnings at the lines of p's file (Jekyll builds such a post anyway). p
// need not be one of s's posts.
func (s *Snapshot) Body(p *Post) (string, []Problem) {
	b := s.bodyState()
	body, found := liquid.Expand(p.Body, pageVars(p), b.liquid)
	var problems []Problem
	for _, f := range found {
		problems = append(problems, bodyProblem(p, f.Line, f.Message))
	}
	return body, problems
}

// BodyVersion identifies what Body's result depends on besides the post:
// for two snapshots with the same BodyVersion, Body of the same post is the
// same. A render cache keys on it.
func (s *Snapshot) BodyVersion() string { return s.bodyState().version }

func (s *Snapshot) bodyState() *bodyState {
	b := s.body
	if b == nil {
		b = &bodyState{} // a Snapshot built without NewSnapshot
	}
	b.once.Do(func() {
		site := siteVars(s.site)
		b.liquid = &liquid.Env{Site: site}
		h := sha256.New()
		for _, k := range []string{"title", "description", "author", "url", "baseurl", "language"} {
			h.Write([]byte(k + "\x00" + site[k].(string) + "\x00"))
		}
		b.version = hex.EncodeToString(h.Sum(nil)[:12])
	})
	return b
}

// bodyProblem returns a warning at line l of p's body.
func bodyProblem(p *Post, l int, msg string) Problem {
	if p.BodyLine > 0 {
		l += p.BodyLine - 1
	}
	return Problem{File: p.Path, Line: l, Message: msg, Warning: true}
}

// siteVars returns site.* for Liquid.
func siteVars(site Site) map[string]any {
	return map[string]any{
		"title":       site.Title,
		"description": site.Description,
		"author":      site.Author,
		"url":         site.URL,
		"baseurl":     site.BaseURL,
		"language":    site.Language,
	}
}

// pageVars returns page.* for Liquid: what Jekyll puts there for a post.
func pageVars(p *Post) map[string]any {
	v := map[string]any{
		"title":       p.Title,
		"description": p.Description,
		"date":        p.Date,
		"path":        p.Path,
		"slug":        p.Slug,
		"layout":      p.Layout,
		"categories":  anyList(p.Categories),
		"tags":        anyList(p.Tags),
		"comments":    p.Comments,
		"mathjax":     p.MathJax,
	}
	if !p.Modified.IsZero() {
		v["modified"] = p.Modified
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
