package ui

import (
	"math"
	"regexp"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
)

const ellipsis = "…"

// truncate cuts s (which may hold ANSI styling) to at most width cells.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, ellipsis)
}

// wrap breaks plain text into lines of at most width cells at the line
// break opportunities of UAX #14, so CJK text breaks between characters but
// never before a closing mark such as "。" or after an opening one.
// Hand-written because lipgloss and x/ansi wrap at spaces only and would cut
// "。" onto the start of a line; the Markdown renderer has its own breaker
// for post bodies, this one is for the short strings of the UI (titles,
// notes). Explicit newlines are kept. A cluster wider than width (an emoji in
// a 1-cell column) gets a line of its own.
func wrap(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	// Content is sanitised and valid UTF-8, but nothing may break the
	// layout: invalid bytes become U+FFFD, whose width everyone agrees on.
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\t", "    ")
	var (
		lines []string
		line  strings.Builder
		lineW int
		state = -1
	)
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		lineW = 0
	}
	rest := s
	for len(rest) > 0 {
		var seg string
		var mustBreak bool
		seg, rest, mustBreak, state = uniseg.FirstLineSegmentInString(rest, state)
		text := strings.TrimRight(seg, "\r\n")
		segW := ansi.StringWidth(strings.TrimRight(text, " "))
		if lineW > 0 && lineW+segW > width {
			flush()
		}
		if lineW == 0 {
			text = strings.TrimLeft(text, " ")
			segW = ansi.StringWidth(strings.TrimRight(text, " "))
		}
		for segW > width { // one unbreakable word longer than a line
			n := fitBytes(text, width)
			line.WriteString(text[:n])
			flush()
			text = text[n:]
			segW = ansi.StringWidth(strings.TrimRight(text, " "))
		}
		line.WriteString(text)
		lineW += ansi.StringWidth(text)
		if mustBreak && len(rest) > 0 {
			flush()
		}
	}
	if line.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// fitBytes is the length in bytes of the longest run of whole grapheme
// clusters at the start of s that fits in width cells; at least one cluster.
func fitBytes(s string, width int) int {
	n, w, state := 0, 0, -1
	for rest := s; len(rest) > 0; {
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		cw := ansi.StringWidth(c)
		if n > 0 && w+cw > width {
			break
		}
		n, w = n+len(c), w+cw
	}
	return n
}

// isCJK reports whether r is a Han, kana or Hangul character, which reading
// time counts one by one instead of by words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// readingMinutes estimates how long a body takes to read: CJK characters at
// about 400 a minute, other words at about 230 a minute; at least a minute.
func readingMinutes(body string) int {
	cjk, words := 0, 0
	inWord := false
	for _, r := range body {
		switch {
		case isCJK(r):
			cjk++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				words++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	return max(1, int(math.Ceil(float64(cjk)/400+float64(words)/230)))
}

// markdownLink matches [text](target) so excerpts show only the text.
var markdownLink = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)

// excerptScan bounds how much of a body excerpt reads: it runs for every
// visible row on every frame.
const excerptScan = 4096

// excerpt returns the first paragraph-like line of a Markdown body, without
// link targets or emphasis markers, for list rows of posts that have no
// description. It skips headings, HTML, Liquid tags, tables, code fences and
// images, and looks only at the start of the body.
func excerpt(body string) string {
	if len(body) > excerptScan {
		body = strings.ToValidUTF8(body[:excerptScan], "")
	}
	for len(body) > 0 {
		line, rest, _ := strings.Cut(body, "\n")
		body = rest
		line = strings.TrimSpace(line)
		if line == "" || strings.ContainsAny(line[:1], "<{#|!`>-*+=") {
			continue
		}
		line = markdownLink.ReplaceAllString(line, "$1")
		line = strings.NewReplacer("**", "", "__", "", "`", "").Replace(line)
		return line
	}
	return ""
}

// foldTerms splits a filter query into lower-cased terms.
func foldTerms(query string) []string {
	return strings.Fields(strings.ToLower(query))
}

// matchesAll reports whether every term occurs, case-insensitively, in one of
// the fields or list items. Matching is by substring, which works for CJK
// titles where a fuzzy matcher's word boundaries do not exist. It allocates
// only for fields with upper-case letters (strings.ToLower returns the others
// as they are), so filtering a thousand posts per keystroke stays cheap.
func matchesAll(terms []string, fields []string, lists ...[]string) bool {
	for _, t := range terms {
		if !containsFold(t, fields, lists) {
			return false
		}
	}
	return true
}

func containsFold(term string, fields []string, lists [][]string) bool {
	for _, f := range fields {
		if f != "" && strings.Contains(strings.ToLower(f), term) {
			return true
		}
	}
	for _, l := range lists {
		for _, f := range l {
			if strings.Contains(strings.ToLower(f), term) {
				return true
			}
		}
	}
	return false
}

// oneLine folds every run of white space, newlines included, into one space,
// so a title from YAML cannot break a list row.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\t\v\f") && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
