package content

import (
	"fmt"
	"strings"
)

// Problem is one validation finding, located at a file and line.
type Problem struct {
	File    string // slash-separated path relative to the blog root
	Line    int    // 1-based; 0 when the problem concerns the whole file
	Message string
	Warning bool // warnings do not stop a blog from loading
}

// String formats the problem as "file:line: message" (or "file: message").
func (p Problem) String() string {
	prefix := ""
	if p.Warning {
		prefix = "warning: "
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s%s", p.File, p.Line, prefix, p.Message)
	}
	if p.File != "" {
		return fmt.Sprintf("%s: %s%s", p.File, prefix, p.Message)
	}
	return prefix + p.Message
}

// ValidationError is returned by Load when a blog has errors. It lists every
// problem found, errors and warnings, in file order.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	n := 0
	for _, p := range e.Problems {
		if p.Warning {
			continue
		}
		if n > 0 {
			b.WriteString("\n")
		}
		b.WriteString(p.String())
		n++
	}
	return b.String()
}

// ErrorCount returns how many of problems are errors, not warnings.
func ErrorCount(problems []Problem) int {
	n := 0
	for _, p := range problems {
		if !p.Warning {
			n++
		}
	}
	return n
}
