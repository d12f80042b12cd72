package search

import (
	"strings"
)

// split separates a post's Markdown into prose and code: fenced and
// indented code blocks, inline code spans, HTML tags and URLs go to code,
// where a match counts less; the rest is prose. It is a line scanner, not a
// Markdown parser: ranking only needs to know roughly where a word stands,
// and a goldmark parse of a 10,000-post blog costs seconds where this costs
// tens of milliseconds.
func split(md string) (prose, code string) {
	var p, c strings.Builder
	p.Grow(len(md))
	fence := ""
	for line := range strings.Lines(md) {
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1])) == "" {
				fence = ""
				continue
			}
			c.WriteString(line)
			continue
		}
		if f := fenceOf(trimmed); f != "" && len(line)-len(trimmed) < 4 {
			fence = f
			continue
		}
		if strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t") {
			c.WriteString(line)
			continue
		}
		splitInline(line, &p, &c)
	}
	return p.String(), c.String()
}

// fenceOf returns the fence a line opens (``` or ~~~ and longer), or "".
func fenceOf(line string) string {
	for _, ch := range []byte{'`', '~'} {
		n := 0
		for n < len(line) && line[n] == ch {
			n++
		}
		if n >= 3 {
			return line[:n]
		}
	}
	return ""
}

// splitInline writes a line's code spans, HTML tags and URLs to c and the
// rest to p, leaving a space where each was so words do not run together.
func splitInline(line string, p, c *strings.Builder) {
	for line != "" {
		i := strings.IndexAny(line, "`<h(")
		if i < 0 {
			p.WriteString(line)
			return
		}
		p.WriteString(line[:i])
		rest := line[i:]
		n := 0
		switch rest[0] {
		case '`':
			if j := strings.IndexByte(rest[1:], '`'); j >= 0 {
				n = j + 2
			}
		case '<':
			if j := strings.IndexByte(rest, '>'); j > 0 && !strings.ContainsAny(rest[:j], "\n") {
				n = j + 1
			}
		case 'h':
			if strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://") {
				n = strings.IndexAny(rest, " \t\n)>\"'，。）")
				if n < 0 {
					n = len(rest)
				}
			}
		case '(':
			// A link's target: ](target)
			if i > 0 && line[i-1] == ']' {
				if j := strings.IndexByte(rest, ')'); j > 0 {
					n = j + 1
				}
			}
		}
		if n == 0 {
			p.WriteByte(rest[0])
			line = rest[1:]
			continue
		}
		c.WriteString(rest[:n])
		c.WriteByte(' ')
		p.WriteByte(' ')
		line = rest[n:]
	}
}
