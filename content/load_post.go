package content

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"golang.org/x/text/unicode/norm"
	pathpkg "path"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/sshblog/sshblog/content/termsafe"
)

// ParsePost parses one post file. path is its slash-separated path in the
// blog (only the file name matters: YYYY-MM-DD-slug.md or .markdown); data
// is the whole file. It returns every problem found, errors and warnings,
// sorted by line; the post is nil when any of them is an error.
//
// ParsePost checks the file alone: a duplicate slug or a list entry
// pointing at a missing post is found by Load and Check.
func ParsePost(path string, data []byte) (*Post, []Problem) {
	p, problems := parsePost(path, data)
	problems = tidy(problems)
	if hasErrors(problems) {
		return nil, problems
	}
	return p, problems
}

// parsePost parses a post as far as it can: it returns a post whenever the
// file name and front matter could be read, even with errors in fields, so
// that Load can still check slugs and references across files.
func parsePost(path string, data []byte) (*Post, []Problem) {
	file := termsafe.Line(path)
	var problems []Problem
	date, slug, nameOK := fileNameDate(pathpkg.Base(path))
	switch {
	case !nameOK:
		problems = append(problems, Problem{File: file,
			Message: "post file name must be YYYY-MM-DD-slug.md (or .markdown) with a valid date"})
	case !validSlug(slug):
		problems = append(problems, Problem{File: file,
			Message: "post file name: the slug after the date must not contain spaces or control characters"})
		nameOK = false
	}
	text, p := readText(file, data)
	if p != nil {
		return nil, append(problems, *p)
	}
	fm, p := splitFrontMatter(file, text)
	if p != nil {
		return nil, append(problems, *p)
	}
	if fm.format == "" {
		return nil, append(problems, Problem{File: file, Line: 1,
			Message: "missing front matter: a post starts with a --- line, then title: ..., then another --- line"})
	}
	root, p := frontMatterMapping(file, fm)
	if p != nil {
		return nil, append(problems, *p)
	}

	sum := sha256.Sum256(data)
	post := &Post{
		Path:     file,
		Body:     termsafe.String(string(fm.body)),
		BodyLine: fm.bodyLine,
		Hash:     hex.EncodeToString(sum[:]),
	}
	var category, categories []string
	var override string
	published := true
	fields := postFields(post, &category, &categories, &published, &override)
	problems = append(problems, decodeMapping(file, root, "front matter", fields, warnUnknown, false)...)

	if post.Title == "" {
		switch n := mappingValue(root, "title"); {
		case n == nil:
			problems = append(problems, Problem{File: file, Line: fm.line, Message: "missing title: add a title: line to the front matter"})
		case n.Kind == yaml.ScalarNode:
			problems = append(problems, Problem{File: file, Line: n.Line, Message: "title is empty"})
		}
	}
	if override != "" {
		if !validSlug(override) {
			problems = append(problems, Problem{File: file, Line: mappingValue(root, "slug").Line,
				Message: fmt.Sprintf("slug %q must not contain spaces, slashes or control characters", override)})
		} else {
			slug = override
		}
	}
	if !validSlug(slug) {
		return nil, problems // the file name has no usable slug, and no slug: overrides it
	}
	// Slugs that look the same are the same slug, whatever the Unicode
	// normalisation of the file name, so look-alikes are duplicates.
	post.Slug = norm.NFC.String(slug)
	if post.Date.IsZero() {
		if !nameOK {
			return nil, problems
		}
		post.Date = date
	}
	post.Categories = append(category, categories...)
	post.Categories = dedupe(post.Categories)
	post.Draft = post.Draft || !published
	return post, problems
}

// validSlug reports whether s can name a post: not empty, no slash, space
// or control character.
func validSlug(s string) bool {
	if s == "" || !termsafe.Safe(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return r == '/' || unicode.IsSpace(r) || unicode.IsControl(r) || r == termsafe.Replacement
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
