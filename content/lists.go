package content

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sshblog/sshblog/content/termsafe"
)

// The book and paper lists are YAML sequences of mappings, one per entry:
//
//	- title: Computer Architecture: A Quantitative Approach
//	  authors: [John L. Hennessy, David A. Patterson]
//	  year: 2020
//	  status: read
//	  recommended: true
//	  post: 2020-year-in-review
//
// Each field is documented on Book and Paper by its yaml tag. A few aliases
// common in Jekyll _data files are accepted too: author (for authors),
// translator (for translators) and url (for link). Unknown fields are
// warnings; a wrong type, a missing title or a bad rating is an error.

// BookStatuses are the values of Book.Status documented on Book.
func BookStatuses() []string { return []string{"read", "reading", "reread", "want", "abandoned"} }

// PaperStatuses are the values of Paper.Status documented on Paper.
func PaperStatuses() []string { return []string{"read", "reading", "want"} }

// bookFields returns the setters for the fields of a book entry.
func bookFields(b *Book) map[string]fieldSetter {
	return map[string]fieldSetter{
		"title":       textField(&b.Title),
		"subtitle":    textField(&b.Subtitle),
		"original":    textField(&b.Original),
		"authors":     listField(&b.Authors, false),
		"author":      listField(&b.Authors, false),
		"translators": listField(&b.Translators, false),
		"translator":  listField(&b.Translators, false),
		"publisher":   textField(&b.Publisher),
		"year":        intField(&b.Year),
		"status":      textField(&b.Status),
		"times":       intField(&b.Times),
		"rating":      intField(&b.Rating),
		"recommended": boolField(&b.Recommended),
		"tags":        listField(&b.Tags, true),
		"note":        proseField(&b.Note),
		"link":        textField(&b.Link),
		"url":         textField(&b.Link),
		"post":        textField(&b.Post),
	}
}

// paperFields returns the setters for the fields of a paper entry.
func paperFields(p *Paper) map[string]fieldSetter {
	return map[string]fieldSetter{
		"title":       textField(&p.Title),
		"authors":     listField(&p.Authors, false),
		"author":      listField(&p.Authors, false),
		"venue":       textField(&p.Venue),
		"published":   intField(&p.Published),
		"year":        intField(&p.Year),
		"status":      textField(&p.Status),
		"recommended": boolField(&p.Recommended),
		"topic":       textField(&p.Topic),
		"tags":        listField(&p.Tags, true),
		"note":        proseField(&p.Note),
		"link":        textField(&p.Link),
		"url":         textField(&p.Link),
		"post":        textField(&p.Post),
	}
}

// parseBooks parses a books file (books.yaml or _data/books.yml). It also
// returns the entries' references to posts, for Load to resolve.
func parseBooks(file string, data []byte) ([]Book, []listRef, []Problem) {
	var books []Book
	var refs []listRef
	problems := parseList(file, data, "book", func(entry *yaml.Node) []Problem {
		b := Book{Line: entry.Line}
		problems, _ := decodeMapping(file, entry, bookFields(&b), mappingRules{what: "book"})
		problems = append(problems, checkEntry(file, entry, b.Title, b.Status, BookStatuses())...)
		if b.Rating < 0 || b.Rating > 5 {
			problems = append(problems, Problem{File: file, Line: mappingValue(entry, "rating").Line,
				Message: fmt.Sprintf("rating %d is out of range: use 1 to 5, or 0 for none", b.Rating)})
		}
		if b.Times < 0 {
			problems = append(problems, Problem{File: file, Line: mappingValue(entry, "times").Line,
				Message: fmt.Sprintf("times %d must not be negative", b.Times)})
		}
		books = append(books, b)
		refs = appendRef(refs, file, entry, b.Post)
		return problems
	})
	return books, refs, problems
}

// parsePapers parses a papers file (papers.yaml or _data/papers.yml). It
// also returns the entries' references to posts, for Load to resolve.
func parsePapers(file string, data []byte) ([]Paper, []listRef, []Problem) {
	var papers []Paper
	var refs []listRef
	problems := parseList(file, data, "paper", func(entry *yaml.Node) []Problem {
		p := Paper{Line: entry.Line}
		problems, _ := decodeMapping(file, entry, paperFields(&p), mappingRules{what: "paper"})
		problems = append(problems, checkEntry(file, entry, p.Title, p.Status, PaperStatuses())...)
		papers = append(papers, p)
		refs = appendRef(refs, file, entry, p.Post)
		return problems
	})
	return papers, refs, problems
}

// listRef is a list entry's reference to a post, at the line of its
// post field.
type listRef struct {
	file, slug string
	line       int
}

// appendRef records entry's reference to the post slug, if it has one.
func appendRef(refs []listRef, file string, entry *yaml.Node, slug string) []listRef {
	if slug == "" {
		return refs
	}
	return append(refs, listRef{file: termsafe.Line(file), slug: slug, line: mappingValue(entry, "post").Line})
}

// parseList checks that data is a YAML list of mappings and hands each
// entry to decode. what names an entry ("book").
func parseList(file string, data []byte, what string, decode func(entry *yaml.Node) []Problem) []Problem {
	file = termsafe.Line(file)
	data, p := readText(file, data)
	if p != nil {
		return []Problem{*p}
	}
	root, p := parseYAML(file, data, 1)
	if p != nil {
		return []Problem{*p}
	}
	if root == nil {
		return nil
	}
	if root.Kind != yaml.SequenceNode {
		return []Problem{{File: file, Line: root.Line,
			Message: fmt.Sprintf("must be a list of %ss, each starting with \"- title: ...\"", what)}}
	}
	var problems []Problem
	for _, entry := range root.Content {
		entry = resolve(entry)
		if entry.Kind != yaml.MappingNode {
			problems = append(problems, Problem{File: file, Line: entry.Line,
				Message: fmt.Sprintf("each %s must be a set of fields (title: ..., authors: ...), not %s", what, kindName(entry))})
			continue
		}
		problems = append(problems, decode(entry)...)
	}
	return problems
}

// checkEntry checks what every list entry needs: a title, and a status
// from the known set (an unknown one is a warning).
func checkEntry(file string, entry *yaml.Node, title, status string, statuses []string) []Problem {
	var problems []Problem
	if title == "" {
		if n := mappingValue(entry, "title"); n == nil || n.Kind == yaml.ScalarNode {
			problems = append(problems, Problem{File: file, Line: entry.Line, Message: "missing title"})
		}
	}
	if status != "" && !slices.Contains(statuses, status) {
		problems = append(problems, Problem{File: file, Line: mappingValue(entry, "status").Line, Warning: true,
			Message: fmt.Sprintf("unknown status %q (known: %s)", status, strings.Join(statuses, ", "))})
	}
	return problems
}
