package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// snippetWidth is about how many terminal columns a snippet takes, and
// snippetBefore how many of them come before its first match.
const (
	snippetWidth  = 72
	snippetBefore = 20
)

// snippet sets h's Snippet and Matches: from the first of its texts (prose,
// then description, title, code) with the most of the query's terms. It
// reports whether its texts hold each of words (the query's words, lower
// case) as written: the index keeps no positions, so this is how a
// Chinese phrase found side by side ranks above its pairs found apart.
func (x *Index) snippet(h *Hit, terms map[string]bool, needles, words []string) (exact bool) {
	var texts []string
	switch {
	case h.post != nil:
		prose, code := split(h.post.Markdown())
		texts = []string{prose, joinNonEmpty(h.post.Subtitle, h.post.Description, h.post.Excerpt), h.post.Title, strings.Join(h.post.Tags, " "), code}
	case h.book != nil:
		d := bookDocument(h.book)
		texts = []string{d.Text, d.Title, d.Tags}
	case h.paper != nil:
		d := paperDocument(h.paper)
		texts = []string{d.Text, d.Title, d.Tags}
	}
	exact = true
	if len(words) > 0 {
		all := strings.ToLower(strings.Join(texts, "\n"))
		exact = !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(all, w) })
	}
	best, bestCount := "", 0
	var bestRanges [][2]int
	for _, t := range texts {
		ranges, count := x.matches(t, terms, needles)
		if count > bestCount {
			best, bestCount, bestRanges = t, count, ranges
		}
	}
	if bestCount == 0 {
		// Matched by a stem the text spells differently: show the start.
		if len(texts) > 0 {
			h.Snippet, _ = cut(oneLine(texts[0]), nil, 0)
		}
		return exact
	}
	h.Snippet, h.Matches = cut(best, bestRanges, bestRanges[0][0])
	return exact
}

// matches returns the byte ranges of text's best line (the first with the
// most distinct terms) whose index terms are among terms, merged where they
// touch or overlap (the two-character terms of a Chinese word overlap), and
// how many distinct terms that line has. Only lines that contain a needle
// (needles) are analysed: analysing a whole post per hit cost most of a
// search's time.
func (x *Index) matches(text string, terms map[string]bool, needles []string) ([][2]int, int) {
	var best [][2]int
	bestCount := 0
	at := 0
	for line := range strings.Lines(text) {
		off := at
		at += len(line)
		lower := strings.ToLower(line)
		if !slices.ContainsFunc(needles, func(n string) bool { return strings.Contains(lower, n) }) {
			continue
		}
		found := map[string]bool{}
		var out [][2]int
		for _, t := range x.analyzer.Analyze([]byte(line)) {
			term := string(t.Term)
			if !terms[term] {
				continue
			}
			found[term] = true
			start, end := off+t.Start, off+t.End
			if n := len(out); n > 0 && start <= out[n-1][1] {
				out[n-1][1] = max(out[n-1][1], end)
				continue
			}
			out = append(out, [2]int{start, end})
		}
		if len(found) > bestCount {
			best, bestCount = out, len(found)
			if bestCount == len(terms) {
				break
			}
		}
	}
	return best, bestCount
}

// needlesOf returns what a line must contain, lower-cased, to hold one of
// terms: the term itself for Chinese, Japanese and Korean, and for other
// words the stem without its last letter (the stem of "query" is "queri").
func needlesOf(terms []string) []string {
	var out []string
	for _, t := range terms {
		r := []rune(t)
		if len(r) > 3 && !unicode.Is(unicode.Han, r[0]) {
			t = string(r[:len(r)-1])
		}
		out = append(out, t)
	}
	return out
}

// cut returns one line of about snippetWidth columns of text starting a
// little before byte offset at, with ranges moved to the line's offsets
// (those that fall outside are dropped). Line breaks and runs of spaces
// become one space.
func cut(text string, ranges [][2]int, at int) (string, [][2]int) {
	// Step back snippetBefore columns, to a rune boundary.
	start, cols := at, 0
	for start > 0 && cols < snippetBefore {
		r, n := utf8.DecodeLastRuneInString(text[:start])
		if r == '\n' {
			break
		}
		start -= n
		cols += runeWidth(r)
	}
	for len(ranges) > 0 && ranges[0][1] <= start {
		ranges = ranges[1:]
	}
	var b strings.Builder
	var out [][2]int
	open := -1 // where the match being written began in b, or -1
	if len(ranges) > 0 && ranges[0][0] < start {
		open = 0
	}
	cols, space := 0, false
	for i := start; i < len(text) && cols < snippetWidth; {
		r, n := utf8.DecodeRuneInString(text[i:])
		if len(ranges) > 0 && i == ranges[0][0] {
			open = b.Len()
		}
		if r == '\n' || r == '\t' || r == ' ' || r == '\r' {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
				cols++
			}
			space = true
		} else {
			space = false
			b.WriteRune(r)
			cols += runeWidth(r)
		}
		i += n
		if len(ranges) > 0 && i >= ranges[0][1] {
			if open >= 0 {
				out = append(out, [2]int{open, b.Len()})
			}
			open = -1
			ranges = ranges[1:]
		}
	}
	if open >= 0 && b.Len() > open {
		out = append(out, [2]int{open, b.Len()})
	}
	s := strings.TrimRight(b.String(), " ")
	var kept [][2]int
	for _, r := range out {
		r[1] = min(r[1], len(s))
		if r[1] > r[0] {
			kept = append(kept, r)
		}
	}
	return s, kept
}

// oneLine returns text with line breaks as spaces.
func oneLine(text string) string { return strings.Join(strings.Fields(text), " ") }

// runeWidth returns the columns r takes in a terminal: two for East Asian
// wide and full-width characters, else one.
func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
