package server

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/sshblog/sshblog/content"
)

// The BibTeX output is parsed back by bibParse, a strict parser written
// for these tests: no Go BibTeX parser is served by the module proxy
// (github.com/nickng/bibtex, github.com/jschaf/bibtex and
// github.com/caltechlibrary/bibtex were asked for and refused). It follows
// BibTeX's own rules where they bite: every brace counts, escaped or not;
// a key has no white space, comma or brace; a field is name = {value}
// (or "value", a number, a macro), "#" concatenates; a trailing comma is
// allowed. It is stricter than BibTeX in refusing any text between
// entries (BibTeX skips it as a comment), so stray output is caught.

type bibParsed struct {
	kind, key string
	fields    map[string]string // name -> value without its outer braces
	order     []string
}

func bibParse(src string) ([]bibParsed, error) {
	p := &bibParser{src: src}
	var entries []bibParsed
	for {
		p.space()
		if p.eof() {
			return entries, nil
		}
		e, err := p.entry()
		if err != nil {
			line := strings.Count(src[:min(p.i, len(src))], "\n") + 1
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		entries = append(entries, e)
	}
}

type bibParser struct {
	src string
	i   int
}

func (p *bibParser) eof() bool { return p.i >= len(p.src) }

func (p *bibParser) space() {
	for !p.eof() && strings.ContainsRune(" \t\r\n", rune(p.src[p.i])) {
		p.i++
	}
}

func (p *bibParser) expect(c byte) error {
	p.space()
	if p.eof() || p.src[p.i] != c {
		return fmt.Errorf("want %q at %q", c, p.rest())
	}
	p.i++
	return nil
}

func (p *bibParser) rest() string { return p.src[p.i:min(len(p.src), p.i+30)] }

// ident reads an entry type, field name or macro: letters, digits and a
// few marks, starting with a letter.
func (p *bibParser) ident() (string, error) {
	p.space()
	start := p.i
	for !p.eof() {
		c := p.src[p.i]
		if c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte("_-:.+/'", c) >= 0) {
			p.i++
			continue
		}
		break
	}
	if p.i == start || !unicode.IsLetter(rune(p.src[start])) {
		return "", fmt.Errorf("want a name at %q", p.rest())
	}
	return strings.ToLower(p.src[start:p.i]), nil
}

func (p *bibParser) entry() (bibParsed, error) {
	if err := p.expect('@'); err != nil {
		return bibParsed{}, err
	}
	kind, err := p.ident()
	if err != nil {
		return bibParsed{}, err
	}
	if err := p.expect('{'); err != nil {
		return bibParsed{}, err
	}
	p.space()
	start := p.i
	for !p.eof() && !strings.ContainsRune(" \t\r\n,{}\"#%()=", rune(p.src[p.i])) {
		p.i++
	}
	e := bibParsed{kind: kind, key: p.src[start:p.i], fields: map[string]string{}}
	if e.key == "" {
		return e, fmt.Errorf("want a key at %q", p.rest())
	}
	for {
		p.space()
		if !p.eof() && p.src[p.i] == '}' {
			p.i++
			return e, nil
		}
		if err := p.expect(','); err != nil {
			return e, err
		}
		p.space()
		if !p.eof() && p.src[p.i] == '}' { // a trailing comma
			p.i++
			return e, nil
		}
		name, err := p.ident()
		if err != nil {
			return e, err
		}
		if err := p.expect('='); err != nil {
			return e, err
		}
		value, err := p.value()
		if err != nil {
			return e, fmt.Errorf("field %s: %w", name, err)
		}
		if _, dup := e.fields[name]; dup {
			return e, fmt.Errorf("field %s twice", name)
		}
		e.fields[name] = value
		e.order = append(e.order, name)
	}
}

// value reads a field's value: pieces joined by #.
func (p *bibParser) value() (string, error) {
	var b strings.Builder
	for {
		p.space()
		if p.eof() {
			return "", fmt.Errorf("value cut short")
		}
		switch c := p.src[p.i]; {
		case c == '{':
			s, err := p.braced()
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		case c == '"':
			p.i++
			start, depth := p.i, 0
			for ; !p.eof() && (p.src[p.i] != '"' || depth > 0); p.i++ {
				switch p.src[p.i] {
				case '{':
					depth++
				case '}':
					if depth--; depth < 0 {
						return "", fmt.Errorf("unbalanced } in a quoted value")
					}
				}
			}
			if p.eof() {
				return "", fmt.Errorf("unterminated quoted value")
			}
			b.WriteString(p.src[start:p.i])
			p.i++
		case c >= '0' && c <= '9':
			start := p.i
			for !p.eof() && p.src[p.i] >= '0' && p.src[p.i] <= '9' {
				p.i++
			}
			b.WriteString(p.src[start:p.i])
		default:
			if _, err := p.ident(); err != nil { // a macro: this output defines none
				return "", err
			}
			return "", fmt.Errorf("undefined macro before %q", p.rest())
		}
		p.space()
		if p.eof() || p.src[p.i] != '#' {
			return b.String(), nil
		}
		p.i++
	}
}

// braced reads {...}, every brace counted as BibTeX counts them, and
// returns what is inside.
func (p *bibParser) braced() (string, error) {
	start, depth := p.i+1, 0
	for ; !p.eof(); p.i++ {
		switch p.src[p.i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				p.i++
				return p.src[start : p.i-1], nil
			}
		case '@':
			if depth == 1 && strings.HasPrefix(p.src[p.i:], "@book{") {
				return "", fmt.Errorf("an entry starts inside a value: unbalanced braces")
			}
		}
	}
	return "", fmt.Errorf("unbalanced braces")
}

// unTeX undoes escapeTeX, refusing a LaTeX special character left bare.
func unTeX(s string) (string, error) {
	repl := map[string]string{
		`\textbackslash{}`: `\`, `\textbraceleft{}`: "{", `\textbraceright{}`: "}",
		`\&`: "&", `\%`: "%", `\$`: "$", `\#`: "#", `\_`: "_",
		`\textasciitilde{}`: "~", `\textasciicircum{}`: "^",
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '\\' {
			found := false
			for k, v := range repl {
				if strings.HasPrefix(s[i:], k) {
					b.WriteString(v)
					i += len(k)
					found = true
					break
				}
			}
			if !found {
				return "", fmt.Errorf("unknown command at %q", s[i:])
			}
			continue
		}
		if strings.IndexByte("&%$#_~^{}", s[i]) >= 0 {
			return "", fmt.Errorf("bare %q in %q", s[i], s)
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String(), nil
}

// splitNames splits an author field at " and " outside braces, and takes
// the braces off each name.
func splitNames(field string) []string {
	var names []string
	depth, start := 0, 0
	for i := 0; i < len(field); i++ {
		switch field[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ' ':
			if depth == 0 && strings.HasPrefix(field[i:], " and ") {
				names = append(names, field[start:i])
				i += len(" and ") - 1
				start = i + 1
			}
		}
	}
	names = append(names, field[start:])
	for i, n := range names {
		if strings.HasPrefix(n, "{") && strings.HasSuffix(n, "}") {
			names[i] = n[1 : len(n)-1]
		}
	}
	return names
}

// checkBibTeX parses out back and checks it against the books or papers
// it was made from: kinds, unique keys of the allowed characters, and
// titles and authors that decode to what the lists hold.
func checkBibTeX(t *testing.T, out string, titles []string, authors [][]string, kinds []string) []bibParsed {
	t.Helper()
	entries, err := bibParse(out)
	if err != nil {
		t.Fatalf("the BibTeX does not parse: %v\n%s", err, out)
	}
	if len(entries) != len(titles) {
		t.Fatalf("%d entries, want %d", len(entries), len(titles))
	}
	keys := map[string]bool{}
	for i, e := range entries {
		if keys[e.key] {
			t.Errorf("key %s twice", e.key)
		}
		keys[e.key] = true
		for _, r := range e.key {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
				t.Errorf("key %q has %q: keys are ASCII lower case and digits", e.key, r)
			}
		}
		if !strings.Contains(kinds[i], e.kind) {
			t.Errorf("entry %s is @%s, want one of %s", e.key, e.kind, kinds[i])
		}
		title := e.fields["title"]
		if !strings.HasPrefix(title, "{") || !strings.HasSuffix(title, "}") {
			t.Errorf("entry %s: title %q is not protected by braces", e.key, title)
		} else if got, err := unTeX(title[1 : len(title)-1]); err != nil || got != strings.Join(strings.Fields(titles[i]), " ") {
			t.Errorf("entry %s: title decodes to %q (%v), want %q", e.key, got, err, titles[i])
		}
		for name, v := range e.fields {
			var parts []string
			switch name {
			case "url", "year", "title", "author":
				continue
			case "translator":
				parts = splitNames(v)
			case "origtitle":
				parts = []string{strings.TrimSuffix(strings.TrimPrefix(v, "{"), "}")}
			default:
				parts = []string{v}
			}
			for _, part := range parts {
				if _, err := unTeX(part); err != nil {
					t.Errorf("entry %s, field %s: %v", e.key, name, err)
				}
			}
		}
		var want []string
		others := false
		for _, a := range authors[i] {
			a, o := cutOthers(a)
			others = others || o
			if a != "" {
				want = append(want, strings.Join(strings.Fields(a), " "))
			}
		}
		if others {
			want = append(want, "others")
		}
		var got []string
		if f, ok := e.fields["author"]; ok {
			for _, n := range splitNames(f) {
				d, err := unTeX(n)
				if err != nil {
					t.Errorf("entry %s: author %q: %v", e.key, n, err)
				}
				got = append(got, d)
			}
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("entry %s: authors %q, want %q", e.key, got, want)
		}
	}
	return entries
}

func TestBibTeXParsesBack(t *testing.T) {
	t.Parallel()
	for _, blog := range []string{"sample", "commands-blog"} {
		snap := loadBlog(t, blog)
		out, _, status := runIn(t, snap, session{}, "books", "--bibtex")
		if status != 0 {
			t.Fatalf("books --bibtex: exit %d", status)
		}
		var titles, kinds []string
		var authors [][]string
		for _, b := range snap.Books() {
			title := b.Title
			if b.Subtitle != "" {
				title += ": " + b.Subtitle
			}
			titles, authors, kinds = append(titles, title), append(authors, b.Authors), append(kinds, "book")
		}
		checkBibTeX(t, out, titles, authors, kinds)

		out, _, status = runIn(t, snap, session{}, "papers", "--bibtex")
		if status != 0 {
			t.Fatalf("papers --bibtex: exit %d", status)
		}
		titles, authors, kinds = nil, nil, nil
		for _, p := range snap.Papers() {
			kind := "inproceedings article"
			if p.Venue == "" {
				kind = "misc"
			}
			titles, authors, kinds = append(titles, p.Title), append(authors, p.Authors), append(kinds, kind)
		}
		entries := checkBibTeX(t, out, titles, authors, kinds)
		for i, p := range snap.Papers() {
			if p.Published != 0 && entries[i].fields["year"] != fmt.Sprint(p.Published) {
				t.Errorf("%s: year %q, want %d", entries[i].key, entries[i].fields["year"], p.Published)
			}
		}
	}
}

func TestBibTeXKeys(t *testing.T) {
	t.Parallel()
	papers := []content.Paper{
		{Title: "The Google File System", Authors: []string{"Sanjay Ghemawat"}, Published: 2003, Venue: "SOSP"},
		{Title: "Bigtable", Authors: []string{"Fay Chang"}, Published: 2006, Venue: "OSDI"},
		{Title: "Bigtable again", Authors: []string{"Fay Chang"}, Published: 2006, Venue: "OSDI"},
		{Title: "Bigtable, third", Authors: []string{"Fay Chang"}, Published: 2006, Venue: "ACM Transactions on Computer Systems"},
		{Title: "Über Schrödinger", Authors: []string{"Erwin Schrödinger"}, Published: 1935, Venue: "Naturwissenschaften"},
		{Title: "论文", Authors: []string{"张三"}},
		{Title: "论文", Authors: []string{"张三"}},
	}
	entries, err := bibParse(papersBibTeX(papers))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.kind+":"+e.key)
	}
	want := "inproceedings:ghemawat2003google inproceedings:chang2006bigtablea inproceedings:chang2006bigtableb article:chang2006bigtablec inproceedings:schrodinger1935uber misc:papera misc:paperb"
	if strings.Join(got, " ") != want {
		t.Errorf("keys:\n%s\nwant:\n%s", strings.Join(got, " "), want)
	}
}

// FuzzBibTeX writes a book and a paper from any title, author and note,
// and parses the result back.
func FuzzBibTeX(f *testing.F) {
	f.Add("The C Programming Language", "Brian W. Kernighan", "100% of K&R's {braces}")
	f.Add("数据库系统内幕", "张海宁 (Henry Zhang) 等", `a\b ~ ^ $x$ #1 a_b }{`)
	f.Add("}", "and", "{")
	f.Fuzz(func(t *testing.T, title, author, note string) {
		// Content's strings are sanitised before they get here: no
		// control characters, valid UTF-8 (termsafe.String).
		clean := func(s string) string {
			return strings.Map(func(r rune) rune {
				if unicode.IsControl(r) || r == unicode.ReplacementChar {
					return -1
				}
				return r
			}, s)
		}
		title, author, note = clean(title), clean(author), clean(note)
		if strings.TrimSpace(title) == "" {
			return
		}
		books := []content.Book{{Title: title, Authors: []string{author}, Note: note, Tags: []string{note}}}
		checkBibTeX(t, booksBibTeX(books), []string{title}, [][]string{{author}}, []string{"book"})
		papers := []content.Paper{{Title: title, Authors: []string{author}, Venue: note, Topic: note}}
		kind := "inproceedings article"
		if strings.TrimSpace(note) == "" {
			kind = "misc"
		}
		checkBibTeX(t, papersBibTeX(papers), []string{title}, [][]string{{author}}, []string{kind})
	})
}
