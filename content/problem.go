package content

import (
	"fmt"
	"strings"
)

// Problem is one validation finding, located at a file and line. No
// problem stops a blog from loading (see the package doc, Problems): the
// file is served as well as it can be, or left out.
type Problem struct {
	File    string // slash-separated path relative to the blog root; "" for the whole blog
	Line    int    // 1-based; 0 when the problem concerns the whole file
	Message string
	// Warning is true for a finding that never blocks a publish. An error
	// (false) is one the author must fix: a publish that adds or changes
	// File refuses it, while an error already published is served.
	Warning bool
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

// ValidationError lists every problem found, errors and warnings, in file
// order. Load returns it along with the snapshot when files have errors; a
// publish returns it when it refuses a change.
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
