package content

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
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
	md := p.Markdown()
	if strings.EqualFold(pathpkg.Ext(p.Path), ".html") {
		md = dedentHTML(md)
	}
	body, found := liquid.Expand(md, s.PageVars(p), b.liquid)
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
		site := s.SiteVars()
		b.liquid = &liquid.Env{
			Site:     site,
			Includes: s.Includes(),
			PostURL: func(name string) (string, bool) {
				if p, ok := s.PostURL(name); ok {
					return s.URL(p), true
				}
				return "", false
			},
			Link: func(path string) (string, bool) {
				if p, ok := s.Link(path); ok {
					return s.URL(p), true
				}
				return "", false
			},
		}
		b.shortcode = &shortcode.Env{Ref: func(path string) (string, bool) {
			if p, ok := s.hugoRef(path); ok {
				return s.URL(p), true
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
			fmt.Fprintf(h, "\x00%s\x00%s", p.Path, s.URL(p))
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
