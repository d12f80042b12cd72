// Package render turns a post's Markdown into terminal text: the dialect
// Jekyll blogs are written in (kramdown with GFM input), Glamour styling for
// a dark, light or plain theme, and line breaking that is correct for CJK
// text. Output is cached across sessions.
//
// The pipeline parses the Markdown once. The body comes from the snapshot
// with its template markup expanded (content.Snapshot.Body: Jekyll's Liquid,
// Hugo's shortcodes) and is sanitised (termsafe.String), then goldmark parses it with
// the dialect's rules (parse.go), the tree is rewritten into nodes Glamour
// renders well (transform.go), Glamour's ANSI renderer renders that tree
// with word wrap off and marker runes in its style (styles.go), tables are
// rendered alone from their subtrees and laid out for the column
// (tables.go), and linebreak.Lines breaks the lines by UAX #14 with
// kinsoku, removes the markers and lets through no escape sequence but SGR
// and OSC 8 hyperlinks (termsafe.Sequence).
//
// What the reader sees of the dialect:
//   - Emphasis next to CJK punctuation, headings without a space after the
//     hashes, and math kept exactly as written, styled as code (parse.go).
//   - Kramdown attribute lists, header IDs ({#id}) and comments never
//     show; {:toc} is a list of the post's headings. A line holding only a
//     span-level tag (<br />, <a name="x">) is text, not an HTML block.
//   - Footnote references are superscript numbers; the footnotes follow
//     the post as a numbered list after a rule.
//   - A link's text stays in the sentence, styled and hyperlinked (OSC 8),
//     followed by "[n]"; the targets are listed at the very end as
//     "[n] URL", hyperlinked, whole and percent-encoded, so that every URL
//     can be copied. A bare URL (or a link whose text is its URL) shows as
//     itself, hyperlinked, kept apart from CJK text that follows it. Relative targets resolve against the site's url and
//     baseurl, joined once.
//   - Images are lines "🖼 name[n]"; HTML shows its text, <br> breaks the
//     line, <figure> and <img> are image lines; <iframe>, <video>, <audio>,
//     <embed> and <object> are lines "▶ name[n]" linked to their source
//     (title, else file name), their fallback content unshown; entities are
//     decoded except in code. An image the blog folder holds (content.Snapshot.HasImage)
//     is the blog's own: its reference reads "[n] URL (images/a.png)", the
//     path a web mirror serves it at, or "[n] images/a.png" on a site with
//     no URL; another image's reference is its URL alone.
//   - A code line wider than the column is cut at the edge and continues
//     on the next line after a "↪" in the code's first column, so that no
//     line of code seems to start with its continuation.
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"charm.land/glamour/v2/ansi"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	"golang.org/x/sync/singleflight"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/theme"
)

// Renderer renders posts and caches the results. It is safe for concurrent
// use: it never shares a Glamour renderer between goroutines, and concurrent
// requests for the same output render it once.
//
// Each render builds its own Glamour renderer. Measured, that costs about
// 33 µs and 105 allocations, 1% of rendering the seed post; a sync.Pool
// would save that but could hand out a renderer left half-way through a
// document by an error or panic.
type Renderer struct {
	styles map[styleKey]ansi.StyleConfig // read-only after New
	parser parser.Parser                 // safe for concurrent use
	local  func(path string) bool        // may be nil
	group  singleflight.Group

	mu    sync.Mutex
	cache *lru // guarded by mu
}

type styleKey struct {
	th     theme.Theme
	narrow bool
}

// Option configures a Renderer.
type Option func(*Renderer)

// LocalImages tells the renderer which image paths (relative to the blog
// folder, "images/a.png") the blog holds: their references say so. has
// must be safe for concurrent use. Without it, the snapshot a post is
// rendered in tells (content.Snapshot.HasImage), which is what a server
// wants; LocalImages is for rendering without a loaded blog (only tests do
// that today, so deadcode lists it). A rendering is
// cached with the post's version, so an image added later is marked when
// the post next changes.
func LocalImages(has func(path string) bool) Option {
	return func(r *Renderer) { r.local = has }
}

// New returns a renderer whose cache holds at most cacheBytes of output
// (nothing is cached when cacheBytes <= 0).
func New(cacheBytes int, opts ...Option) *Renderer {
	r := &Renderer{styles: make(map[styleKey]ansi.StyleConfig), parser: newParser(), cache: newLRU(max(cacheBytes, 0))}
	for _, o := range opts {
		o(r)
	}
	for _, t := range []theme.Theme{theme.Dark, theme.Light, theme.Plain} {
		for _, narrow := range []bool{false, true} {
			c, err := styleConfig(t, narrow)
			if err != nil {
				panic(err) // the themes above are all known
			}
			r.styles[styleKey{t, narrow}] = c
		}
		// Glamour registers its code colours in chroma's global style
		// registry on first use, and chroma reads the registry without a
		// lock. Render code once here, before any concurrent use.
		_, _ = r.render(content.Site{}, nil, "```go\nx\n```\n", 80, t)
	}
	return r
}

// Render returns p's body rendered for a column width cells wide: no line is
// wider than width (for width >= 2; narrower columns get lines two cells
// wide). s is the snapshot p is read in: it expands the body's template
// markup (Liquid, shortcodes) and gives the site's URLs. An empty theme
// means Dark.
//
// The output has no leading or trailing blank lines and no title: the body
// is rendered as written, so a title appears only if the Markdown has one.
// Lines end with their styles closed; the only escape sequences are SGR and
// OSC 8 hyperlinks, and Plain output has none.
func (r *Renderer) Render(s *content.Snapshot, p *content.Post, width int, th theme.Theme) (string, error) {
	if p == nil {
		return "", errors.New("render: no post")
	}
	if th == "" {
		th = theme.Dark
	}
	if _, ok := r.styles[styleKey{th: th}]; !ok {
		return "", fmt.Errorf("render post %s: unknown theme %q", p.Slug, th)
	}
	site := s.Site()
	key := cacheKey(s, p, width, th)
	if out, ok := r.cached(key); ok {
		return out, nil
	}
	v, err, _ := r.group.Do(key, func() (any, error) {
		if out, ok := r.cached(key); ok {
			return out, nil
		}
		body, _ := s.Body(p) // its problems are check's to report
		out, err := r.render(site, r.localImages(s), body, width, th)
		if err != nil {
			return "", err
		}
		r.mu.Lock()
		r.cache.add(key, out)
		r.mu.Unlock()
		return out, nil
	})
	if err != nil {
		return "", fmt.Errorf("render post %s: %w", p.Slug, err)
	}
	return v.(string), nil
}

func (r *Renderer) cached(key string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cache.get(key)
}

// cacheKey identifies an output: the post version (its file hash, or its
// body's when the post has none), what else its expanded body depends on
// (the snapshot's BodyVersion), the site URLs links resolve against, the
// width and the theme.
func cacheKey(s *content.Snapshot, p *content.Post, width int, th theme.Theme) string {
	id := p.Hash
	if id == "" {
		sum := sha256.Sum256([]byte(p.Markdown()))
		id = "body:" + hex.EncodeToString(sum[:])
	}
	site := s.Site()
	return strings.Join([]string{id, s.BodyVersion(), site.URL, site.BaseURL, strconv.Itoa(width), string(th)}, "\x00")
}

// localImages returns what says whether the blog holds an image, for a
// post rendered in s: LocalImages' function, else s's own.
func (r *Renderer) localImages(s *content.Snapshot) func(string) bool {
	if r.local != nil {
		return r.local
	}
	return s.HasImage
}

// render renders body without the cache; isLoc (may be nil) says which
// image paths the blog holds.
func (r *Renderer) render(site content.Site, isLoc func(string) bool, body string, width int, th theme.Theme) (out string, err error) {
	defer func() {
		// Glamour and chroma are large; a bug in them must not take the
		// server down with it.
		if v := recover(); v != nil {
			out, err = "", fmt.Errorf("glamour panicked: %v", v)
		}
	}()
	width = max(width, linebreak.MinWidth)
	narrow := width < wideFrom
	body = dropKramdownComments(clean(body))
	// Room for the text the transform adds, so that appending rarely copies.
	src := make([]byte, len(body), len(body)+len(body)/4+512)
	copy(src, body)
	d := &doc{src: src, root: rootOf(site), isLoc: isLoc, refNum: make(map[string]int)}
	tree := parse(r.parser, d.src)
	d.transform(tree)
	raw, err := r.glamour(tree, d.src, th, narrow)
	if err != nil {
		return "", err
	}
	if !narrow {
		width -= margin // the right margin, matching Glamour's left one
	}
	if len(d.tables) > 0 {
		if raw, err = r.spliceTables(raw, d, th, narrow, width); err != nil {
			return "", err
		}
	}
	return strings.Trim(linebreak.Lines(tidy(raw), width), "\n"), nil
}

// glamour renders tree with Glamour's ANSI renderer, without word wrap
// (linebreak.Lines breaks the lines, and layoutTable lays out tables), and
// drops what the style marked hidden. Plain output loses its escape
// sequences but keeps the markers.
func (r *Renderer) glamour(tree ast.Node, src []byte, th theme.Theme, narrow bool) (string, error) {
	ar := ansi.NewRenderer(ansi.Options{
		Styles: r.styles[styleKey{th, narrow}],
		// Glamour's footnotes for links in tables lose the URL.
		InlineTableLinks: true,
	})
	gr := renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(ar, 1000)))
	var b bytes.Buffer
	if err := gr.Render(&b, src, tree); err != nil {
		return "", fmt.Errorf("glamour: %w", err)
	}
	out := b.String()
	if th == theme.Plain {
		out = xansi.Strip(out)
	}
	return dropHidden(out), nil
}

// tidy trims blank lines at both ends and collapses runs of blank lines
// outside code blocks into one empty line. A blank line that only ends a
// code block (Glamour's last line of one) counts as blank: its marker moves
// to the line before.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	inPre, blank := false, false
	for _, l := range lines {
		hasStart := strings.ContainsRune(l, linebreak.PreStart)
		hasEnd := strings.ContainsRune(l, linebreak.PreEnd)
		pre := inPre || hasStart || hasEnd
		switch {
		case hasStart:
			inPre = !hasEnd || strings.LastIndex(l, string(linebreak.PreStart)) > strings.LastIndex(l, string(linebreak.PreEnd))
		case hasEnd:
			inPre = false
		}
		if isBlank(l) {
			if hasEnd && !hasStart && len(out) > 0 && !blank {
				out[len(out)-1] += string(linebreak.PreEnd)
				pre = false
			}
			if !pre {
				if len(out) > 0 {
					blank = true
				}
				continue
			}
			l = markers(l) // an empty line of code
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// isBlank reports whether a line shows nothing.
func isBlank(l string) bool {
	return strings.TrimFunc(xansi.Strip(l), func(r rune) bool { return r == ' ' || linebreak.IsMarker(r) }) == ""
}

// markers returns the marker runes in l.
func markers(l string) string {
	return strings.Map(func(r rune) rune {
		if linebreak.IsMarker(r) {
			return r
		}
		return -1
	}, l)
}
