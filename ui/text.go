package ui

import (
	"math"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content/linebreak"
	"github.com/sshblog/sshblog/content/termsafe"
)

const ellipsis = "…"

// truncate cuts s (which may hold ANSI styling) to at most width cells.
func truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, ellipsis)
}

// wrap breaks text into lines of at most width cells as a post's text is
// broken (package linebreak: Unicode line breaking, kinsoku, words and URLs kept
// whole unless wider than a line), so a title or a note breaks as the post
// does. Explicit newlines are kept. Widths below linebreak.MinWidth count as
// linebreak.MinWidth: a wide character needs two cells.
func wrap(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	// Content comes sanitised; String again costs nothing then, and keeps
	// text from elsewhere from forging the line breaker's layout markers.
	return strings.Split(linebreak.Lines(termsafe.String(s), width), "\n")
}

// readingMinutes estimates how long a body takes to read: CJK characters at
// about 400 a minute, other words at about 230 a minute; at least a minute.
func readingMinutes(body string) int {
	cjk, words := 0, 0
	inWord := false
	for _, r := range body {
		switch {
		case linebreak.IsCJK(r) && unicode.IsLetter(r): // counted one by one, not by words
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

// oneLine folds every run of white space, newlines included, into one space,
// so a title from YAML cannot break a list row.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\t\v\f") && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
