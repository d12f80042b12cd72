package server

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/termsafe"
	"github.com/sshblog/sshblog/content/theme"
)

// listPosts prints the posts, newest first, one a line (see
// writePostList), or as JSON; --tag keeps those with a tag.
func listPosts(c *commandContext) int {
	fs := c.flagSet()
	tag := fs.String("tag", "", "only the posts with tag `T`")
	asJSON := fs.Bool("json", false, "print a JSON array (see the README)")
	if _, status, ok := c.parseArgs(fs, 0, 0); !ok {
		return status
	}
	posts := c.snapshot.Posts()
	if *tag != "" {
		posts = c.snapshot.PostsTagged(*tag)
		if len(posts) == 0 {
			var names []string
			for _, t := range c.snapshot.Tags() {
				names = append(names, t.Name)
			}
			c.notFound("tag", *tag, names, "ssh "+c.address+" tags")
			return 1
		}
	}
	if *asJSON {
		out := make([]postJSON, 0, len(posts))
		for _, p := range posts {
			out = append(out, newPostJSON(c.snapshot, p))
		}
		return writeJSONArray(c, out)
	}
	if len(posts) == 0 {
		fmt.Fprintln(c.stderr, "sshblog: no posts yet")
		return 0
	}
	var b strings.Builder
	writePostList(&b, posts)
	return c.write(b.String())
}

// slugColumn is the widest the slug column is padded to: a longer slug
// (real blogs have 123-character ones) pushes only its own line's title
// right, instead of every line.
const slugColumn = 40

// writePostList writes one line per post: its date, slug and title, two
// spaces apart. Slugs are padded to line the titles up, to the width of
// the longest slug that is no wider than slugColumn:
//
//	2020-12-26  year-in-review  2020 年终总结
//	2019-01-02  hello           Hello, world
//
// Dates and slugs hold no spaces, so `awk '{print $2}'` gives the slugs.
func writePostList(b *strings.Builder, posts []*content.Post) {
	slugs := make([]string, len(posts))
	widths := make([]int, len(posts))
	column := 0
	for i, p := range posts {
		slugs[i] = termsafe.Line(p.Slug)
		widths[i] = cellWidth(slugs[i])
		if widths[i] <= slugColumn {
			column = max(column, widths[i])
		}
	}
	for i, p := range posts {
		b.WriteString(p.Date.Format(time.DateOnly))
		b.WriteString("  ")
		b.WriteString(slugs[i])
		b.WriteString(strings.Repeat(" ", max(0, column-widths[i])))
		b.WriteString("  ")
		b.WriteString(termsafe.Line(p.Title))
		b.WriteString("\n")
	}
}

// cellWidth is how many cells s takes in a terminal: its length when it
// is printable ASCII, as slugs mostly are (measured: uniseg took 60% of
// ls on 10,000 posts), else uniseg's count.
func cellWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return uniseg.StringWidth(s)
		}
	}
	return len(s)
}

// postJSON is a post in ls --json; its shape is documented in the README.
type postJSON struct {
	Slug        string   `json:"slug"`
	Title       string   `json:"title"`
	Subtitle    string   `json:"subtitle"`
	Description string   `json:"description"`
	Date        string   `json:"date"`     // RFC 3339
	Modified    string   `json:"modified"` // RFC 3339, "" when unset
	Author      string   `json:"author"`
	Tags        []string `json:"tags"`
	Categories  []string `json:"categories"`
	URL         string   `json:"url"` // on the web site: absolute when the site has a url, else a path
}

func newPostJSON(snap *content.Snapshot, p *content.Post) postJSON {
	return postJSON{
		URL:         webURL(snap, p),
		Slug:        p.Slug,
		Title:       p.Title,
		Subtitle:    p.Subtitle,
		Description: p.Description,
		Date:        rfc3339(p.Date),
		Modified:    rfc3339(p.Modified),
		Author:      p.Author,
		Tags:        nonNil(p.Tags),
		Categories:  nonNil(p.Categories),
	}
}

// rfc3339 formats t for JSON; the zero time is "".
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// nonNil makes a missing list an empty one, so JSON always has an array.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeJSON prints v as indented JSON (version's object). encoding/json
// escapes every control character, and termsafe has already removed the
// rest from content.
func (c *commandContext) writeJSON(v any) int {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fmt.Fprintf(c.stderr, "sshblog %s: %v\n", c.name, err)
		return 1
	}
	return c.write(string(data) + "\n")
}

// writeJSONArray prints items as a JSON array with one item a line: valid
// JSON for jq, and lines for grep and head. Measured on ls --json of 10,000
// posts, it takes half the CPU of indenting every field.
func writeJSONArray[T any](c *commandContext, items []T) int {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<" stays "<" in titles
	b.WriteString("[")
	for i, item := range items {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		if err := enc.Encode(item); err != nil {
			fmt.Fprintf(c.stderr, "sshblog %s: %v\n", c.name, err)
			return 1
		}
		b.Truncate(b.Len() - 1) // Encode's newline
	}
	b.WriteString("\n]\n")
	return c.write(b.String())
}

// listPages prints the blog's pages: slug and title, one a line.
func listPages(c *commandContext) int {
	fs := c.flagSet()
	asJSON := fs.Bool("json", false, "print a JSON array (see the README)")
	if _, status, ok := c.parseArgs(fs, 0, 0); !ok {
		return status
	}
	pages := c.snapshot.Pages()
	if *asJSON {
		out := make([]pageJSON, 0, len(pages))
		for _, p := range pages {
			out = append(out, pageJSON{Slug: p.Slug, Title: p.Title, Description: p.Description, URL: webURL(c.snapshot, p)})
		}
		return writeJSONArray(c, out)
	}
	if len(pages) == 0 {
		fmt.Fprintln(c.stderr, "sshblog: this blog has no pages")
		return 0
	}
	width := 0
	for _, p := range pages {
		if w := cellWidth(termsafe.Line(p.Slug)); w <= slugColumn {
			width = max(width, w)
		}
	}
	var b strings.Builder
	for _, p := range pages {
		slug := termsafe.Line(p.Slug)
		pad := strings.Repeat(" ", max(0, width-cellWidth(slug)))
		fmt.Fprintf(&b, "%s%s  %s\n", slug, pad, termsafe.Line(p.Title))
	}
	return c.write(b.String())
}

// pageJSON is a page in pages --json.
type pageJSON struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url"`
}

// webURL is p's address on the blog's web site: the site's url and
// baseurl before the post's path, or the path alone without a url.
func webURL(snap *content.Snapshot, p *content.Post) string {
	site := snap.Site()
	return site.URL + site.BaseURL + snap.URL(p)
}

// findPost finds a post or page by what a reader may have at hand: its
// slug, its address on the web site (whole, or the path: the address it
// has now or one it had, an alias, or any address ending in its slug), or
// its file's path in the blog (_posts/2020-12-26-name.md).
func findPost(snap *content.Snapshot, arg string) (*content.Post, bool) {
	if p, ok := snap.Post(arg); ok {
		return p, true
	}
	if p, ok := snap.Page(arg); ok {
		return p, true
	}
	if p, ok := snap.Link(strings.TrimPrefix(arg, "/")); ok {
		return p, true
	}
	if !strings.Contains(arg, "/") {
		return nil, false
	}
	site := snap.Site()
	path := arg
	if u, err := url.Parse(arg); err == nil && u.Host != "" {
		path = u.Path
	}
	if site.BaseURL != "" {
		path = strings.TrimPrefix(path, site.BaseURL)
	}
	want := addressKey(path)
	if want == "" {
		return nil, false
	}
	// Linear, on a miss only: 10,000 posts' paths take milliseconds.
	for _, list := range [][]*content.Post{snap.Posts(), snap.Pages()} {
		for _, p := range list {
			if addressKey(snap.URL(p)) == want {
				return p, true
			}
			for _, a := range p.Aliases {
				if addressKey(strings.TrimPrefix(a, site.BaseURL)) == want {
					return p, true
				}
			}
		}
	}
	// An address of another shape (an older permalink pattern, another
	// domain) usually still ends in the slug.
	last := want[strings.LastIndexByte(want, '/')+1:]
	if p, ok := snap.Post(last); ok {
		return p, true
	}
	return snap.Page(last)
}

// addressKey makes the forms of one web path the same: without slashes at
// either end, index.html or the .html extension ("/a/b/", "a/b.html",
// "/a/b/index.html" are all "a/b"), and decoded (%E6%9C%BA is 机).
func addressKey(path string) string {
	if u, err := url.PathUnescape(path); err == nil {
		path = u
	}
	path = strings.Trim(path, "/")
	path = strings.TrimSuffix(path, "index.html")
	path = strings.TrimSuffix(path, ".html")
	return strings.Trim(path, "/")
}

// listTags prints the tags, most used first, with their post counts:
// "  3  go", the counts right-aligned as uniq -c has them.
func listTags(c *commandContext) int {
	fs := c.flagSet()
	asJSON := fs.Bool("json", false, "print a JSON array (see the README)")
	if _, status, ok := c.parseArgs(fs, 0, 0); !ok {
		return status
	}
	tags := c.snapshot.Tags()
	if *asJSON {
		out := make([]tagJSON, 0, len(tags))
		for _, t := range tags {
			out = append(out, tagJSON{Name: t.Name, Count: t.Count})
		}
		return writeJSONArray(c, out)
	}
	if len(tags) == 0 {
		fmt.Fprintln(c.stderr, "sshblog: no tags yet")
		return 0
	}
	width := len(fmt.Sprint(tags[0].Count))
	for _, t := range tags {
		width = max(width, len(fmt.Sprint(t.Count)))
	}
	var b strings.Builder
	for _, t := range tags {
		fmt.Fprintf(&b, "%*d  %s\n", width, t.Count, termsafe.Line(t.Name))
	}
	return c.write(b.String())
}

// tagJSON is a tag in tags --json.
type tagJSON struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// maxWidth bounds --width and the terminal's width for read; it is also
// the width of "no wrapping", so that a paragraph is one line.
const maxWidth = 4096

// readPost prints a post or a page. With a PTY it is styled for the
// client's terminal (TERM, COLORTERM, NO_COLOR, its background colour)
// and wrapped to its width;
// piped it is plain text (see plainText), one line per paragraph unless
// --width says otherwise; --raw prints the Markdown as published.
func readPost(c *commandContext) int {
	fs := c.flagSet()
	width := fs.Int("width", 0, "wrap lines at `N` columns; 0: never (default: the terminal's width, or 0 when piped)")
	raw := fs.Bool("raw", false, "print the Markdown as published")
	themeName := fs.String("theme", "", "`T` is dark or light, for the terminal's background, or plain (default: the terminal's background, as it says; plain when NO_COLOR is set)")
	args, status, ok := c.parseArgs(fs, 1, 1)
	if !ok {
		return status
	}
	widthSet := false
	fs.Visit(func(f *flag.Flag) { widthSet = widthSet || f.Name == "width" })
	if *width < 0 || *width > maxWidth {
		return c.usageError(fmt.Sprintf("--width %d: want 0 to %d", *width, maxWidth))
	}
	th := theme.Theme(*themeName)
	switch th {
	case "", theme.Dark, theme.Light, theme.Plain:
	default:
		return c.usageError(fmt.Sprintf("--theme %q: want dark, light or plain", termsafe.Line(*themeName)))
	}
	p, found := findPost(c.snapshot, args[0])
	if !found {
		c.notFound("post", args[0], slugs(c.snapshot), "ssh "+c.address+" ls")
		return 1
	}
	if *raw {
		md := p.Markdown()
		if md != "" && !strings.HasSuffix(md, "\n") {
			md += "\n"
		}
		return c.write(md)
	}

	styled := c.pty && !wantsPlain(c.term, c.environ) && th != theme.Plain
	w := *width
	if !widthSet && c.pty {
		w = c.width
	}
	if w == 0 || w > maxWidth {
		w = maxWidth
	}
	switch {
	case !styled:
		th = theme.Plain
	case th == "":
		if th = askBackground(c.stdin, c.stdout, backgroundWait); th == "" {
			th = theme.Dark
		}
	}
	body, err := c.renderer.Render(c.snapshot, p, w, th)
	if err != nil {
		fmt.Fprintf(c.stderr, "sshblog read: render %s: %s\n", termsafe.Line(p.Slug), termsafe.Line(err.Error()))
		return 1
	}
	header := postHeader(p)
	if !styled {
		return c.write(header + "\n" + plainText(body) + "\n")
	}
	// The client's colour profile, as the terminal UI works it out
	// (tui.go); the writer downsamples the theme's colours to it.
	profile := colorprofile.Env(append(slices.Clip(c.environ), "TERM="+c.term))
	out := &colorprofile.Writer{Forward: c.stdout, Profile: profile}
	title, rest, _ := strings.Cut(header, "\n")
	if _, err := io.WriteString(out, ansi.Style{}.Bold().Styled(title)+"\n"+rest+"\n"+body+"\n"); err != nil {
		return 1
	}
	return 0
}

// postHeader is what read prints above a post's body, which the renderer
// leaves without its title:
//
//	# Title
//	Subtitle
//	2020-12-26  tag, tag
func postHeader(p *content.Post) string {
	var b strings.Builder
	b.WriteString("# " + termsafe.Line(p.Title) + "\n")
	if s := termsafe.Line(p.Subtitle); s != "" {
		b.WriteString(s + "\n")
	}
	var meta []string
	if !p.Date.IsZero() {
		meta = append(meta, p.Date.Format(time.DateOnly))
	}
	if len(p.Tags) > 0 {
		tags := make([]string, len(p.Tags))
		for i, t := range p.Tags {
			tags[i] = termsafe.Line(t)
		}
		meta = append(meta, strings.Join(tags, ", "))
	}
	if len(meta) > 0 {
		b.WriteString(strings.Join(meta, "  ") + "\n")
	}
	return b.String()
}

// plainText makes the renderer's plain-theme output fit for a pipe, a
// screen reader or grep: no escape sequence at all (the plain theme has
// none; any left would be removed), no document margin, no trailing
// spaces, and words for the renderer's decorative glyphs where they start
// a line: "- " for a list bullet, "Image: " for the picture glyph,
// "Media: " for a video's or other embedded media's, and no
// "↪" before a code line's continuation. It is done here, on the output,
// because the renderer's plain theme also serves the terminal UI, where
// the glyphs belong.
func plainText(s string) string {
	s = ansi.Strip(s)
	s = strings.ReplaceAll(s, "\x1b", "")
	lines := strings.Split(s, "\n")
	margin := true
	for _, l := range lines {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "  ") {
			margin = false
			break
		}
	}
	for i, l := range lines {
		if margin {
			l = strings.TrimPrefix(l, "  ")
		}
		l = strings.TrimRight(l, " ")
		text := strings.TrimLeft(l, " ")
		indent := l[:len(l)-len(text)]
		for _, g := range plainGlyphs {
			if rest, ok := strings.CutPrefix(text, g[0]); ok {
				text = g[1] + rest
				break
			}
		}
		lines[i] = indent + text
	}
	return strings.Join(lines, "\n")
}

// plainGlyphs are the glyphs the renderer starts a line with (after
// its indentation), and what plainText puts instead.
var plainGlyphs = [][2]string{
	{"• ", "- "},
	{"🖼 ", "Image: "},
	{"▶ ", "Media: "},
	{"↪", ""},
}

// closest returns the candidate nearest to name, when one is near enough
// to be what was meant: first one that starts with name, then one that
// contains it, then the one the fewest edits away (Levenshtein, in runes,
// ignoring case), if that is at most a third of name's length (at least
// 2). Ties go to a candidate with name's first letter, then to the
// earlier one.
func closest(name string, candidates []string) (string, bool) {
	if name == "" {
		return "", false
	}
	lower := strings.ToLower(name)
	limit := max(2, len([]rune(name))/3)
	type rank struct{ class, dist, first int }
	var best string
	var bestRank *rank
	for _, cand := range candidates {
		lc := strings.ToLower(cand)
		r := rank{class: 2, dist: levenshtein.ComputeDistance(lower, lc), first: 1}
		switch {
		case strings.HasPrefix(lc, lower):
			r.class = 0
		case strings.Contains(lc, lower):
			r.class = 1
		case r.dist > limit:
			continue
		}
		if lc != "" && lower != "" && []rune(lc)[0] == []rune(lower)[0] {
			r.first = 0
		}
		if bestRank == nil || r.class < bestRank.class ||
			r.class == bestRank.class && (r.dist < bestRank.dist || r.dist == bestRank.dist && r.first < bestRank.first) {
			best, bestRank = cand, &r
		}
	}
	return best, bestRank != nil
}
