package server

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sshblog/sshblog/content"
)

// BibTeX for books --bibtex and papers --bibtex. Hand-written: no Go
// module that writes BibTeX is served by the module proxy, and the format
// needs only what is here: fields in braces, LaTeX's special characters
// escaped, names joined with "and".
//
// Keys are stable for a given list: the first author's last name, the
// year of publication (papers; a book's year is the year it was read, so
// none), and the first significant word of the title, in ASCII lower case
// ("tang2010overlapping", "kleppmanndesigning"). A name or title in a
// script without ASCII letters gives nothing (the translation's original
// title is tried for a book), and a key left without either starts with
// the entry's kind ("book"). Keys that come out the same get a, b, c, ...
// in list order, as "2020a" and "2020b" in author-year citations.

// bibEntry is one BibTeX entry before it is written.
type bibEntry struct {
	kind   string      // "book", "inproceedings", "article", "misc"
	key    string      // the base key, before suffixes
	fields [][2]string // name and value, in order; the value already escaped and braced
}

// booksBibTeX returns one @book entry per book.
func booksBibTeX(books []content.Book) string {
	entries := make([]bibEntry, 0, len(books))
	for _, b := range books {
		title := b.Title
		if b.Subtitle != "" {
			title += ": " + b.Subtitle
		}
		word := firstWord(b.Title)
		if word == "" {
			word = firstWord(b.Original)
		}
		e := bibEntry{kind: "book", key: bibKey("book", b.Authors, 0, word)}
		e.add("author", bibNames(b.Authors))
		e.add("title", bibTitle(title))
		e.add("origtitle", bibTitle(b.Original))
		e.add("translator", bibNames(b.Translators))
		e.add("publisher", bibText(b.Publisher))
		e.add("url", bibURL(b.Link))
		e.add("keywords", bibText(strings.Join(b.Tags, ", ")))
		e.add("annote", bibText(b.Note))
		entries = append(entries, e)
	}
	return writeBibTeX(entries)
}

// papersBibTeX returns one entry per paper: @article for a journal or an
// arXiv preprint, @inproceedings for any other venue, @misc without one.
func papersBibTeX(papers []content.Paper) string {
	entries := make([]bibEntry, 0, len(papers))
	for _, p := range papers {
		e := bibEntry{kind: venueKind(p.Venue), key: bibKey("paper", p.Authors, p.Published, firstWord(p.Title))}
		e.add("author", bibNames(p.Authors))
		e.add("title", bibTitle(p.Title))
		switch e.kind {
		case "article":
			e.add("journal", bibText(p.Venue))
		case "inproceedings":
			e.add("booktitle", bibText(p.Venue))
		}
		if p.Published != 0 {
			e.add("year", fmt.Sprintf("{%d}", p.Published))
		}
		e.add("url", bibURL(p.Link))
		e.add("keywords", bibText(strings.Join(p.Tags, ", ")))
		note := p.Topic
		if p.Note != "" {
			note = strings.TrimSpace(note + " " + p.Note)
		}
		e.add("annote", bibText(note))
		entries = append(entries, e)
	}
	return writeBibTeX(entries)
}

// add appends a field unless its value is empty.
func (e *bibEntry) add(name, value string) {
	if value != "" {
		e.fields = append(e.fields, [2]string{name, value})
	}
}

// writeBibTeX writes the entries, a blank line apart, with keys made
// unique.
func writeBibTeX(entries []bibEntry) string {
	keys := uniqueKeys(entries)
	var b strings.Builder
	for i, e := range entries {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "@%s{%s,\n", e.kind, keys[i])
		for _, f := range e.fields {
			fmt.Fprintf(&b, "  %s = %s,\n", f[0], f[1])
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// uniqueKeys returns the entries' keys, those that come out the same
// suffixed a, b, c, ... in order, never taking a key another entry has.
func uniqueKeys(entries []bibEntry) []string {
	count := map[string]int{}
	for _, e := range entries {
		count[e.key]++
	}
	taken := map[string]bool{}
	for k, n := range count {
		if n == 1 {
			taken[k] = true
		}
	}
	keys := make([]string, len(entries))
	next := map[string]int{}
	for i, e := range entries {
		if count[e.key] == 1 {
			keys[i] = e.key
			continue
		}
		for {
			k := e.key + suffix(next[e.key])
			next[e.key]++
			if !taken[k] {
				taken[k] = true
				keys[i] = k
				break
			}
		}
	}
	return keys
}

// suffix returns a, b, ..., z, aa, ab, ... for 0, 1, 2, ...
func suffix(n int) string {
	s := ""
	for {
		s = string(rune('a'+n%26)) + s
		n = n/26 - 1
		if n < 0 {
			return s
		}
	}
}

// bibKey returns an entry's base key from its first author's last name,
// its year (0: none) and the first word of its title; kind starts a key
// that has neither a name nor a word.
func bibKey(kind string, authors []string, year int, word string) string {
	name := ""
	if len(authors) > 0 {
		name = asciiWord(lastName(authors[0]))
	}
	key := name
	if year != 0 {
		key += fmt.Sprint(year)
	}
	key += word
	if name == "" && word == "" {
		key = kind + key
	}
	return key
}

// lastName returns the last name in a name as written in the lists:
// "Martin Kleppmann", "Kleppmann, Martin", or "张海宁 (Henry Zhang) 等",
// whose name in Latin letters, in parentheses, is taken.
func lastName(name string) string {
	name, _ = cutOthers(name)
	if open := strings.IndexByte(name, '('); open >= 0 {
		if end := strings.IndexByte(name[open:], ')'); end > 0 && asciiWord(name[open+1:open+end]) != "" {
			name = name[open+1 : open+end]
		}
	}
	if last, _, ok := strings.Cut(name, ","); ok {
		return strings.TrimSpace(last)
	}
	fields := strings.Fields(name)
	if len(fields) == 0 {
		return ""
	}
	return fields[len(fields)-1]
}

// stopWords are not taken as a key's title word.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "on": true, "of": true, "in": true,
	"for": true, "and": true, "to": true, "with": true, "at": true, "by": true,
}

// firstWord returns the first word of title with ASCII letters in it that
// is not a stop word, in ASCII lower case.
func firstWord(title string) string {
	for _, w := range strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if a := asciiWord(w); a != "" && !stopWords[a] {
			return a
		}
	}
	return ""
}

// asciiWord returns the ASCII letters and digits of s in lower case, with
// accents taken off ("Schrödinger" -> "schrodinger").
func asciiWord(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		}
	}
	return b.String()
}

// cutOthers takes "et al." or the Chinese 等 ("and others") off the end
// of a name, and reports whether it did.
func cutOthers(name string) (string, bool) {
	name = strings.TrimSpace(name)
	for _, s := range []string{"et al.", "et al", "等"} {
		if rest, ok := strings.CutSuffix(name, s); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return name, false
}

// venueKind says which entry a venue makes: "article" for a journal,
// magazine or arXiv, "inproceedings" for any other (a conference or a
// workshop), "misc" for none.
func venueKind(venue string) string {
	v := strings.ToLower(venue)
	switch {
	case strings.TrimSpace(v) == "":
		return "misc"
	case strings.Contains(v, "arxiv"), strings.Contains(v, "corr"):
		return "article"
	}
	for _, w := range []string{"journal", "transactions", "trans.", "communications of", "magazine",
		"letters", "review", "vldb endowment", "pvldb", "computing surveys", "queue", "nature", "science"} {
		if strings.Contains(v, w) {
			return "article"
		}
	}
	return "inproceedings"
}

// bibNames returns the names for an author or translator field: joined by
// "and", "and others" for a trailing "et al." or 等, and each name that
// BibTeX would split wrongly in braces: one with CJK characters (BibTeX
// would take a byte of it for an initial), parentheses or "and" in it,
// or commas BibTeX would misread.
func bibNames(names []string) string {
	var parts []string
	others := false
	for _, n := range names {
		n, o := cutOthers(n)
		others = others || o
		if n == "" {
			continue
		}
		e := escapeTeX(n)
		if needsBraces(n) {
			e = "{" + e + "}"
		}
		parts = append(parts, e)
	}
	if others {
		parts = append(parts, "others")
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, " and ") + "}"
}

func needsBraces(name string) bool {
	// "Last, First" is BibTeX's; more commas than that are not a name.
	if strings.Count(name, ",") > 1 || strings.HasSuffix(name, ",") || strings.HasPrefix(name, ",") {
		return true
	}
	if strings.ContainsAny(name, "()") || strings.Contains(" "+strings.ToLower(name)+" ", " and ") {
		return true
	}
	for _, r := range name {
		if unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) {
			return true
		}
	}
	return false
}

// bibTitle returns a title in double braces, so that no style changes its
// case.
func bibTitle(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	return "{{" + escapeTeX(s) + "}}"
}

// bibText returns text in braces.
func bibText(s string) string {
	if s = strings.Join(strings.Fields(s), " "); s == "" {
		return ""
	}
	return "{" + escapeTeX(s) + "}"
}

// bibURL returns a URL in braces, escaped for BibTeX's brace counting
// only: the url package reads it verbatim.
func bibURL(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	s = strings.NewReplacer("{", "%7B", "}", "%7D", " ", "%20").Replace(s)
	return "{" + s + "}"
}

// texEscapes are LaTeX's special characters in text. Braces become
// \textbraceleft{} and \textbraceright{}, not \{ and \}: BibTeX counts
// every brace, escaped or not, so \{ alone would unbalance the field.
var texEscapes = strings.NewReplacer(
	`\`, `\textbackslash{}`,
	`{`, `\textbraceleft{}`,
	`}`, `\textbraceright{}`,
	`&`, `\&`, `%`, `\%`, `$`, `\$`, `#`, `\#`, `_`, `\_`,
	`~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`,
)

// escapeTeX escapes LaTeX's special characters and makes every run of
// white space (a line break in a folded YAML note) one space.
func escapeTeX(s string) string {
	return texEscapes.Replace(strings.Join(strings.Fields(s), " "))
}
