package server

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/termsafe"
)

// listBooks prints the reading log in file order, one book a line:
//
//	2020  reread  Designing Data-Intensive Applications  Martin Kleppmann
//
// (the year read, the status, the title with the original's in
// parentheses, the authors), or as JSON or BibTeX.
func listBooks(c *commandContext) int {
	fs := c.flagSet()
	status := fs.String("status", "", "only the books with status `S` (read, reading, reread, want, abandoned)")
	asJSON := fs.Bool("json", false, "print a JSON array (see the README)")
	asBibTeX := fs.Bool("bibtex", false, "print BibTeX: one @book entry per book")
	if _, code, ok := c.parseArgs(fs, 0, 0); !ok {
		return code
	}
	if *asJSON && *asBibTeX {
		return c.usageError("--json and --bibtex: choose one")
	}
	books := c.snapshot.Books()
	if *status != "" {
		var statuses []string
		for _, b := range books {
			statuses = append(statuses, b.Status)
		}
		if !c.knownStatus(*status, content.BookStatuses(), statuses) {
			return 1
		}
		books = slices.DeleteFunc(slices.Clone(books), func(b content.Book) bool { return b.Status != *status })
	}
	switch {
	case *asJSON:
		out := make([]bookJSON, 0, len(books))
		for _, b := range books {
			out = append(out, newBookJSON(b))
		}
		return writeJSONArray(c, out)
	case *asBibTeX:
		return c.write(booksBibTeX(books))
	}
	if len(books) == 0 {
		fmt.Fprintln(c.stderr, "sshblog: no books")
		return 0
	}
	rows := make([]listRow, len(books))
	for i, b := range books {
		title := b.Title
		if b.Subtitle != "" {
			title += ": " + b.Subtitle
		}
		if b.Original != "" {
			title += " (" + b.Original + ")"
		}
		rows[i] = listRow{year: b.Year, status: b.Status, fields: []string{title, strings.Join(b.Authors, ", ")}}
	}
	return c.write(writeRows(rows))
}

// listPapers prints the paper list in file order, one paper a line:
//
//	2020  read  Overlapping Experiment Infrastructure: ...  Diane Tang, ...  KDD'10, 2010
//
// (the year read, the status, the title, the authors, the venue and the
// year of publication), or as JSON or BibTeX.
func listPapers(c *commandContext) int {
	fs := c.flagSet()
	status := fs.String("status", "", "only the papers with status `S` (read, reading, want)")
	asJSON := fs.Bool("json", false, "print a JSON array (see the README)")
	asBibTeX := fs.Bool("bibtex", false, "print BibTeX: @inproceedings, @article or @misc by venue")
	if _, code, ok := c.parseArgs(fs, 0, 0); !ok {
		return code
	}
	if *asJSON && *asBibTeX {
		return c.usageError("--json and --bibtex: choose one")
	}
	papers := c.snapshot.Papers()
	if *status != "" {
		var statuses []string
		for _, p := range papers {
			statuses = append(statuses, p.Status)
		}
		if !c.knownStatus(*status, content.PaperStatuses(), statuses) {
			return 1
		}
		papers = slices.DeleteFunc(slices.Clone(papers), func(p content.Paper) bool { return p.Status != *status })
	}
	switch {
	case *asJSON:
		out := make([]paperJSON, 0, len(papers))
		for _, p := range papers {
			out = append(out, newPaperJSON(p))
		}
		return writeJSONArray(c, out)
	case *asBibTeX:
		return c.write(papersBibTeX(papers))
	}
	if len(papers) == 0 {
		fmt.Fprintln(c.stderr, "sshblog: no papers")
		return 0
	}
	rows := make([]listRow, len(papers))
	for i, p := range papers {
		var where []string
		if p.Venue != "" {
			where = append(where, p.Venue)
		}
		if p.Published != 0 {
			where = append(where, fmt.Sprint(p.Published))
		}
		rows[i] = listRow{year: p.Year, status: p.Status, fields: []string{p.Title, strings.Join(p.Authors, ", "), strings.Join(where, ", ")}}
	}
	return c.write(writeRows(rows))
}

// knownStatus reports whether status is one the list documents or uses;
// if not, it says so on stderr with the closest one.
func (c *commandContext) knownStatus(status string, documented, used []string) bool {
	if slices.Contains(documented, status) || slices.Contains(used, status) {
		return true
	}
	candidates := slices.Clone(documented)
	for _, s := range used {
		if s != "" && !slices.Contains(candidates, s) {
			candidates = append(candidates, s)
		}
	}
	c.notFound("status", status, candidates, "ssh "+c.address+" "+c.name+" --help")
	return false
}

// listRow is one line of books or papers: a year (0: none), a status, and
// fields.
type listRow struct {
	year   int
	status string
	fields []string
}

// writeRows writes rows one a line: the year in four columns, the status
// padded to the longest, then the non-empty fields, two spaces apart.
func writeRows(rows []listRow) string {
	width := 0
	for _, r := range rows {
		width = max(width, uniseg.StringWidth(termsafe.Line(r.status)))
	}
	var b strings.Builder
	for _, r := range rows {
		year := "    "
		if r.year != 0 {
			year = fmt.Sprintf("%4d", r.year)
		}
		status := termsafe.Line(r.status)
		parts := []string{year, status + strings.Repeat(" ", width-uniseg.StringWidth(status))}
		for _, f := range r.fields {
			if f = termsafe.Line(f); f != "" {
				parts = append(parts, f)
			}
		}
		b.WriteString(strings.TrimRight(strings.Join(parts, "  "), " ") + "\n")
	}
	return b.String()
}

// bookJSON is a book in books --json; its shape is documented in the
// README. Every key is always present.
type bookJSON struct {
	Title       string   `json:"title"`
	Subtitle    string   `json:"subtitle"`
	Original    string   `json:"original"`
	Authors     []string `json:"authors"`
	Translators []string `json:"translators"`
	Publisher   string   `json:"publisher"`
	Year        int      `json:"year"` // read; 0 when unknown
	Status      string   `json:"status"`
	Times       int      `json:"times"`
	Rating      int      `json:"rating"`
	Recommended bool     `json:"recommended"`
	Tags        []string `json:"tags"`
	Note        string   `json:"note"`
	Link        string   `json:"link"`
	Post        string   `json:"post"`
}

func newBookJSON(b content.Book) bookJSON {
	return bookJSON{
		Title: b.Title, Subtitle: b.Subtitle, Original: b.Original,
		Authors: nonNil(b.Authors), Translators: nonNil(b.Translators),
		Publisher: b.Publisher, Year: b.Year, Status: b.Status, Times: b.Times,
		Rating: b.Rating, Recommended: b.Recommended, Tags: nonNil(b.Tags),
		Note: b.Note, Link: b.Link, Post: b.Post,
	}
}

// paperJSON is a paper in papers --json; its shape is documented in the
// README. Every key is always present.
type paperJSON struct {
	Title       string   `json:"title"`
	Authors     []string `json:"authors"`
	Venue       string   `json:"venue"`
	Published   int      `json:"published"` // 0 when unknown
	Year        int      `json:"year"`      // read; 0 when unknown
	Status      string   `json:"status"`
	Recommended bool     `json:"recommended"`
	Topic       string   `json:"topic"`
	Tags        []string `json:"tags"`
	Note        string   `json:"note"`
	Link        string   `json:"link"`
	Post        string   `json:"post"`
}

func newPaperJSON(p content.Paper) paperJSON {
	return paperJSON{
		Title: p.Title, Authors: nonNil(p.Authors), Venue: p.Venue,
		Published: p.Published, Year: p.Year, Status: p.Status,
		Recommended: p.Recommended, Topic: p.Topic, Tags: nonNil(p.Tags),
		Note: p.Note, Link: p.Link, Post: p.Post,
	}
}
