// Package render turns a post's Markdown into terminal text: Jekyll markup
// resolved, Glamour styling for a dark, light or plain theme, and line
// breaking that is correct for CJK text. Output is cached across sessions.
//
// The pipeline is Preprocess (Liquid, HTML, soft line breaks, safety), then
// Glamour with word wrap off and marker runes in its style (see styles.go),
// then linebreak.Lines, which breaks lines by UAX #14 with kinsoku and removes the
// markers and every escape sequence but SGR and OSC 8 hyperlinks.
package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	xansi "github.com/charmbracelet/x/ansi"
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
	group  singleflight.Group

	mu    sync.Mutex
	cache *lru // guarded by mu
}

type styleKey struct {
	th     theme.Theme
	narrow bool
}

// New returns a renderer whose cache holds at most cacheBytes of output
// (nothing is cached when cacheBytes <= 0).
func New(cacheBytes int) *Renderer {
	r := &Renderer{styles: make(map[styleKey]ansi.StyleConfig), cache: newLRU(max(cacheBytes, 0))}
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
		_, _ = r.render(content.Site{}, "```go\nx\n```\n", 80, t)
	}
	return r
}

// Render returns p's body rendered for a column width cells wide: no line is
// wider than width (for width >= 2; narrower columns get lines two cells
// wide). site resolves Jekyll's {{ site.url }}. An empty theme means Dark.
//
// The output has no leading or trailing blank lines and no title: the body
// is rendered as written, so a title appears only if the Markdown has one.
// Lines end with their styles closed; the only escape sequences are SGR and
// OSC 8 hyperlinks, and Plain output has none.
func (r *Renderer) Render(site content.Site, p *content.Post, width int, th theme.Theme) (string, error) {
	if p == nil {
		return "", errors.New("render: no post")
	}
	if th == "" {
		th = theme.Dark
	}
	if _, ok := r.styles[styleKey{th: th}]; !ok {
		return "", fmt.Errorf("render post %s: unknown th %q", p.Slug, th)
	}
	key := cacheKey(site, p, width, th)
	if s, ok := r.cached(key); ok {
		return s, nil
	}
	v, err, _ := r.group.Do(key, func() (any, error) {
		if s, ok := r.cached(key); ok {
			return s, nil
		}
		s, err := r.render(site, p.Body, width, th)
		if err != nil {
			return "", err
		}
		r.mu.Lock()
		r.cache.add(key, s)
		r.mu.Unlock()
		return s, nil
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
// body's when the post has none), the site URLs that Preprocess inserts, the
// width and the theme.
func cacheKey(site content.Site, p *content.Post, width int, th theme.Theme) string {
	id := p.Hash
	if id == "" {
		sum := sha256.Sum256([]byte(p.Body))
		id = "body:" + hex.EncodeToString(sum[:])
	}
	return strings.Join([]string{id, site.URL, site.BaseURL, strconv.Itoa(width), string(th)}, "\x00")
}

// render renders body without the cache.
func (r *Renderer) render(site content.Site, body string, width int, th theme.Theme) (out string, err error) {
	defer func() {
		// Glamour and chroma are large; a bug in them must not take the
		// server down with it.
		if v := recover(); v != nil {
			out, err = "", fmt.Errorf("glamour panicked: %v", v)
		}
	}()
	width = max(width, linebreak.MinWidth)
	narrow := width < wideFrom
	md, tables := extractTables(Preprocess(body, site))
	raw, err := r.renderGlamour(md, site, th, narrow)
	if err != nil {
		return "", err
	}
	if !narrow {
		width -= margin // the right margin, matching Glamour's left one
	}
	if len(tables) > 0 {
		if raw, err = r.spliceTables(raw, tables, site, th, narrow, width); err != nil {
			return "", err
		}
	}
	return strings.Trim(linebreak.Lines(tidy(raw), width), "\n"), nil
}

// renderGlamour renders md with a Glamour renderer of its own, without word
// wrap (linebreak.Lines breaks the lines, and layoutTable lays out tables). Plain
// output loses its escape sequences but keeps the markers.
func (r *Renderer) renderGlamour(md string, site content.Site, th theme.Theme, narrow bool) (string, error) {
	tr, err := glamour.NewTermRenderer(
		glamour.WithStyles(r.styles[styleKey{th, narrow}]),
		glamour.WithWordWrap(0),
		// Glamour's footnotes for links in tables lose the URL.
		glamour.WithInlineTableLinks(true),
		glamour.WithBaseURL(siteURL(site)),
	)
	if err != nil {
		return "", fmt.Errorf("create glamour renderer: %w", err)
	}
	out, err := tr.Render(md)
	if err != nil {
		return "", fmt.Errorf("glamour: %w", err)
	}
	if th == theme.Plain {
		out = xansi.Strip(out)
	}
	return out, nil
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
