package server

import (
	"fmt"
	"strings"
	"time"

	"github.com/sshblog/sshblog/content/termsafe"
)

// Search, the full-text search, plugs into the server as a ui.Searcher
// (Config.Search): the terminal UI's search and this command ask the same
// function. The search command, listed only when there is one, parses its
// arguments, calls it with the session's snapshot and prints the hits as
// text or JSON.

// defaultSearchHits is how many hits search prints without -n.
const defaultSearchHits = 20

// searchCommand prints the hits for a query: per hit, a line with its kind,
// slug (posts and pages) and title, and its snippet indented below, the
// matches marked **like this** (styled in reverse video in a terminal).
func searchCommand(c *commandContext) int {
	fs := c.flagSet()
	n := fs.Int("n", defaultSearchHits, "print at most `N` hits")
	asJSON := fs.Bool("json", false, "print a JSON array (see the README)")
	args, status, ok := c.parseArgs(fs, 1, -1)
	if !ok {
		return status
	}
	if *n < 1 {
		return c.usageError(fmt.Sprintf("-n %d: want 1 or more", *n))
	}
	query := strings.Join(args, " ")
	hits, err := c.search(c.ctx, c.snapshot, query, *n)
	if err != nil {
		fmt.Fprintf(c.stderr, "sshblog search: %s\n", termsafe.Line(err.Error()))
		return 1
	}
	if *asJSON {
		out := make([]searchHitJSON, 0, len(hits))
		for _, h := range hits {
			m := h.Matches
			if m == nil {
				m = [][2]int{}
			}
			out = append(out, searchHitJSON{Kind: h.Kind, Slug: h.Slug, Title: h.Title, Date: rfc3339(h.Date), Snippet: h.Snippet, Matches: m})
		}
		return writeJSONArray(c, out)
	}
	if len(hits) == 0 {
		fmt.Fprintf(c.stderr, "sshblog: nothing found for %q\n", termsafe.Line(query))
		return 0
	}
	open, end := "**", "**"
	if c.pty && !wantsPlain(c.term, c.environ) {
		open, end = "\x1b[7m", "\x1b[27m"
	}
	var b strings.Builder
	for _, h := range hits {
		head := []string{fmt.Sprintf("%-5s", h.Kind)}
		if !h.Date.IsZero() {
			head = append(head, h.Date.Format(time.DateOnly))
		}
		if h.Slug != "" {
			head = append(head, termsafe.Line(h.Slug))
		}
		head = append(head, termsafe.Line(h.Title))
		b.WriteString(strings.Join(head, "  ") + "\n")
		if h.Snippet != "" {
			b.WriteString("      " + markMatches(h.Snippet, h.Matches, open, end) + "\n")
		}
	}
	return c.write(b.String())
}

// markMatches returns snippet, made safe for a terminal, with each match
// between open and end. Ranges out of order or bounds are skipped.
func markMatches(snippet string, matches [][2]int, open, end string) string {
	var b strings.Builder
	at := 0
	for _, m := range matches {
		if m[0] < at || m[1] <= m[0] || m[1] > len(snippet) {
			continue
		}
		b.WriteString(termsafe.Line(snippet[at:m[0]]) + open + termsafe.Line(snippet[m[0]:m[1]]) + end)
		at = m[1]
	}
	b.WriteString(termsafe.Line(snippet[at:]))
	return b.String()
}

// searchHitJSON is a hit in search --json; its shape is documented in the
// README.
type searchHitJSON struct {
	Kind    string   `json:"kind"`
	Slug    string   `json:"slug"`
	Title   string   `json:"title"`
	Date    string   `json:"date"`
	Snippet string   `json:"snippet"`
	Matches [][2]int `json:"matches"`
}
