package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	pathpkg "path"
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"

	"github.com/sshblog/sshblog/content/termsafe"
)

// dialect says whose rules a file follows: sshblog's own layout is held to
// sshblog's rules; a Jekyll or Hugo file is taken as Jekyll or Hugo take
// it (see the package doc, Problems).
type dialect int

const (
	dialectNative dialect = iota // posts/, pages/, site.yaml
	dialectJekyll                // _posts/, pages at the root, _config.yml
	dialectHugo                  // content/, hugo.toml, config.toml
)

// dialectOf says which dialect the file at path (a post, page or site
// config) belongs to, by where it is.
func dialectOf(path string) dialect {
	switch {
	case strings.HasPrefix(path, "posts/"), strings.HasPrefix(path, "pages/"),
		strings.HasPrefix(path, "site."):
		return dialectNative
	case strings.HasPrefix(path, "content/"), strings.HasPrefix(path, "hugo."),
		strings.HasPrefix(path, "config."), strings.HasPrefix(path, "config/"):
		return dialectHugo
	}
	return dialectJekyll
}

// parseDoc parses a post or page (kind FilePost or FilePage) as far as it
// can. It returns nil for a file that is not a post or page at all, and the
// front matter keys it does not use, for the blog's one summary of them.
func parseDoc(path string, data []byte, kind FileKind) (post *Post, problems []Problem, unused []string) {
	file := termsafe.Line(path)
	d := dialectOf(path)
	strict := d == dialectNative
	// problem adds a finding that is an error in sshblog's own layout and a
	// warning in Jekyll's and Hugo's, which build such files.
	problem := func(line int, msg string) {
		problems = append(problems, Problem{File: file, Line: line, Message: msg, Warning: !strict})
	}

	base := pathpkg.Base(path)
	stem := strings.TrimSuffix(base, pathpkg.Ext(base))
	slug := stem
	if stem == "index" && pathpkg.Dir(path) != "." {
		slug = pathpkg.Base(pathpkg.Dir(path)) // a page bundle: content/posts/foo/index.md
	}
	nameDate, nameSlug, dated := fileNameDate(stem)
	if kind == FilePost && d != dialectHugo {
		if !dated {
			if strict {
				problems = append(problems, Problem{File: file,
					Message: "post file name must be YYYY-MM-DD-slug.md (or .markdown) with a valid date"})
			} else {
				problems = append(problems, Problem{File: file, Warning: true,
					Message: "not a post: Jekyll publishes only files named YYYY-MM-DD-title.md in _posts (ignored)"})
			}
			return nil, problems, nil
		}
		slug = nameSlug
	}

	text, p := readText(file, data)
	if p != nil {
		problems = append(problems, *p)
		if text == nil {
			return nil, problems, nil // binary: left out
		}
	}
	fm, p := splitFrontMatter(file, text)
	if p != nil {
		problem(p.Line, p.Message)
	}
	if fm.format == "" && p == nil {
		switch {
		case kind == FilePage && d != dialectNative:
			return nil, nil, nil // Jekyll copies such a file as it is; not a page
		case kind == FilePost && strict:
			problems = append(problems, Problem{File: file, Line: 1,
				Message: "missing front matter: a post starts with a --- line, then title: ..., then another --- line"})
		}
	}
	root, p := frontMatterMapping(file, fm)
	if p != nil {
		// Jekyll too reports invalid front matter, and builds the page
		// without it. sshblog reads what it can, line by line: the usual
		// slip is an unquoted colon in a title.
		p.Message += " (read line by line)"
		problem(p.Line, p.Message)
		root = salvageFrontMatter(fm)
	}

	sum := sha256.Sum256(data)
	post = &Post{
		Path:     file,
		BodyLine: fm.bodyLine,
		Hash:     hex.EncodeToString(sum[:]),
		lead:     lead(fm.body),
	}
	if kind == FilePage && strings.EqualFold(pathpkg.Ext(path), ".html") && !htmlShowsContent(fm.body) {
		return nil, nil, nil // scripts and includes: nothing of its own to read
	}
	if fm.format != "" && p == nil {
		post.front = frontMatterSource{format: fm.format, text: bytes.Clone(fm.text), foldCase: d == dialectHugo}
	}
	var x extraFields
	rules := mappingRules{what: "front matter", unknown: collectUnknown, foldCase: d == dialectHugo}
	if !strict {
		// Jekyll refuses to build a post whose date it cannot read; any
		// other key it passes to the theme, which copes.
		rules.warnOnly = func(key string) bool { return key != "date" }
	}
	ps, unused := decodeMapping(file, root, postFields(post, &x), rules)
	problems = append(problems, ps...)
	if kind == FilePage && listsPosts(fm.body) {
		// A listing of posts, not a page (see listingPage), whatever
		// layout the front matter names ("page" for gaocegege/Blog's
		// tags.html, which loops over site.tags).
		post.Layout = "list"
	}

	if post.Title == "" {
		if strict && kind == FilePost && fm.format != "" && p == nil {
			switch n := mappingValue(root, "title"); {
			case n == nil:
				problems = append(problems, Problem{File: file, Line: max(fm.line, 1), Message: "missing title: add a title: line to the front matter"})
			case n.Kind == yaml.ScalarNode:
				problems = append(problems, Problem{File: file, Line: n.Line, Message: "title is empty"})
			}
		}
	}
	if x.slug != "" {
		if validSlug(x.slug) {
			slug = x.slug
		} else {
			line := 0
			if n := mappingValue(root, "slug"); n != nil {
				line = n.Line
			}
			problem(line, fmt.Sprintf("slug %q must not contain slashes or control characters (ignored)", x.slug))
		}
	}
	if !validSlug(slug) {
		// The file name has nothing usable after its date: the date is
		// the slug then.
		slug = strings.TrimSpace(stem)
	}
	// Slugs that look the same are the same slug, whatever the Unicode
	// normalisation of the file name, so look-alikes are duplicates.
	post.Slug = norm.NFC.String(slug)
	if post.Title == "" {
		post.Title = titleFromSlug(slug)
	}
	if post.Title == "" {
		post.Title = post.Slug // all dashes
	}
	for _, date := range []time.Time{post.Date, x.publishDate, nameDate, x.lastmod} {
		if post.Date.IsZero() {
			post.Date = date
		}
	}
	if post.Modified.IsZero() {
		post.Modified = x.lastmod
	}
	post.Categories = dedupe(append(append(folderCategories(path), x.category...), x.categories...))
	post.Draft = post.Draft || !x.published
	for _, img := range []string{x.imagefeature, x.headerImg, x.image, x.cover} {
		if post.ImageFeature == "" {
			post.ImageFeature = img
		}
	}
	if post.Excerpt == "" {
		post.Excerpt = x.summary
	}
	if post.Permalink == "" {
		post.Permalink = x.url
	}
	post.Aliases = dedupe(append(post.Aliases, x.redirectFrom...))
	return post, problems, unused
}

// salvageFrontMatter reads front matter that does not parse as simple
// "key: value" lines at the start of a line, the value as YAML reads it
// alone, else as written. Lines of any other shape are
// skipped. It is hand-written because no parser reads what is not valid;
// it is only a fallback.
func salvageFrontMatter(fm frontMatter) *yaml.Node {
	root := &yaml.Node{Kind: yaml.MappingNode, Line: fm.line}
	if fm.format != "yaml" {
		return root
	}
	for i, line := range strings.Split(string(fm.text), "\n") {
		m := salvageLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		v := strings.TrimSpace(m[2])
		n := fm.line + 1 + i
		// A value that is valid YAML on its own ("[a, b]", "'quoted'",
		// true) is taken as YAML reads it; else as written.
		var doc yaml.Node
		value := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Line: n}
		if yaml.Unmarshal([]byte(v), &doc) == nil && len(doc.Content) == 1 && doc.Content[0].Kind != yaml.MappingNode &&
			doc.Content[0].Kind != yaml.AliasNode {
			value = doc.Content[0]
			shiftLines(value, n-1, 1, make(map[*yaml.Node]bool))
		}
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: m[1], Line: n}, value)
	}
	return root
}

// salvageLine matches a "key: value" line of front matter.
var salvageLine = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_-]*):(?:\s+(.*))?$`)

// folderCategories returns the categories Jekyll gives a post from the
// folders above its _posts ("life/books/_posts/x.md": life, books).
func folderCategories(path string) []string {
	i := strings.Index(path, "/_posts/")
	if i < 0 {
		return nil
	}
	return strings.Split(path[:i], "/")
}

// listsPosts reports whether a page's body loops over the site's posts
// (site.posts, a paginator, the tag and category indexes): an archive,
// not a page readers want.
func listsPosts(body []byte) bool {
	for _, s := range []string{"site.posts", "paginator.", "site.tags", "site.categories"} {
		if bytes.Contains(body, []byte(s)) {
			return true
		}
	}
	return false
}

// extraFields holds the front matter values that need a second look
// before they land in a Post: aliases of one field, and keys that override
// the file name.
type extraFields struct {
	category, categories                  []string
	published                             bool
	slug                                  string
	publishDate, lastmod                  time.Time
	imagefeature, headerImg, image, cover string
	summary, url                          string
	redirectFrom                          []string
}

// postFields returns the setters for every front matter key sshblog
// understands, writing into p and x. Keys are lower case (Hugo's are
// matched without regard to case).
func postFields(p *Post, x *extraFields) map[string]fieldSetter {
	x.published = true
	return map[string]fieldSetter{
		"layout":           textField(&p.Layout),
		"title":            plainField(&p.Title),
		"subtitle":         plainField(&p.Subtitle),
		"description":      plainField(&p.Description),
		"headline":         plainField(&p.Headline),
		"excerpt":          plainField(&p.Excerpt),
		"summary":          plainField(&x.summary), // Hugo
		"author":           authorField(&p.Author),
		"authors":          authorField(&p.Author), // Hugo: a list, the first is shown
		"date":             dateField(&p.Date),
		"publishdate":      dateField(&x.publishDate), // Hugo
		"modified":         dateField(&p.Modified),
		"last_modified_at": dateField(&p.Modified),        // jekyll-last-modified-at
		"lastmod":          dateField(&x.lastmod),         // Hugo
		"category":         listField(&x.category, false), // Jekyll: one category, not split
		"categories":       listField(&x.categories, true),
		"tags":             listField(&p.Tags, true),
		"imagefeature":     textField(&x.imagefeature),
		"header-img":       textField(&x.headerImg),
		"image":            imageField(&x.image),
		"images":           imageField(&x.image), // Hugo: a list, the first is the post's
		"cover":            imageField(&x.cover),
		"mathjax":          boolField(&p.MathJax),
		"math":             boolField(&p.MathJax),
		"chart":            textField(&p.Chart),
		"comments":         boolField(&p.Comments),
		"featured":         boolField(&p.Featured),
		"draft":            boolField(&p.Draft),
		"published":        boolField(&x.published), // Jekyll's "published: false" is a draft
		"slug":             textField(&x.slug),
		"permalink":        textField(&p.Permalink),
		"url":              textField(&x.url), // Hugo's permalink
		"aliases":          listField(&p.Aliases, false),
		"redirect_from":    listField(&x.redirectFrom, false),
	}
}

// plainField stores a one-line text shown to readers, as plainLine makes
// it: without HTML, entities decoded.
func plainField(dst *string) fieldSetter {
	return func(v *yaml.Node) error {
		s, err := scalarText(v)
		*dst = plainLine(s)
		return err
	}
}

// imageField stores an image's path, written as text, as the first of a
// list (Hugo's images), or as a mapping naming it (image: {feature: x.png},
// cover: {image: x.png}). Any other shape leaves it empty: the key belongs
// to the theme.
func imageField(dst *string) fieldSetter {
	return func(v *yaml.Node) error {
		*dst = ""
		for range 3 { // a list of mappings at most
			switch {
			case isNull(v):
				return nil
			case v.Kind == yaml.ScalarNode:
				*dst = strings.TrimSpace(termsafe.Line(v.Value))
				return nil
			case v.Kind == yaml.SequenceNode && len(v.Content) > 0:
				v = resolve(v.Content[0])
			case v.Kind == yaml.MappingNode:
				var next *yaml.Node
				for _, k := range []string{"feature", "image", "path", "src", "url"} {
					if n := mappingValue(v, k); n != nil && next == nil {
						next = n
					}
				}
				if next == nil || next.Kind != yaml.ScalarNode {
					return nil
				}
				v = next
			default:
				return nil
			}
		}
		return nil
	}
}

// validSlug reports whether s can name a post: not empty, no slash, no
// control character, not only spaces. Spaces are fine, as in Jekyll
// ("2020-01-01-my post.md").
func validSlug(s string) bool {
	if strings.TrimSpace(s) == "" || !termsafe.Safe(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return r == '/' || r == '\\' || unicode.IsControl(r) || r == termsafe.Replacement
	})
}

// mappingValue returns the value of key in mapping m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return resolve(m.Content[i+1])
		}
	}
	return nil
}

// dedupe drops repeated strings, keeping the first of each.
func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
