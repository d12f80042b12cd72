package upload

import (
	"fmt"
	"strings"

	"github.com/sshblog/sshblog/content"
)

// Ratchet decides which problems of a candidate refuse a publish: those
// the change introduces. An error stays an error when it is in a file the
// change adds or changes (changed reports true), when it concerns the whole
// blog (no file: a limit exceeded), or when the published state did not
// have it (published reports false: a new duplicate slug that lands on an
// unchanged post, a list that names a post the change removed). Errors
// already published, in files the change leaves alone, never block the
// next publish: they are dropped from the list and summarised in one
// warning, "N problems already published: ...". Warnings pass through.
//
// Transports share it through the store: scp and sftp uploads (Apply) and
// git pushes (the pre-receive hook) are judged alike.
func Ratchet(problems []content.Problem, changed func(file string) bool, published func(content.Problem) bool) []content.Problem {
	var kept, old []content.Problem
	for _, p := range problems {
		if p.Warning || p.File == "" || changed(p.File) || !published(p) {
			kept = append(kept, p)
			continue
		}
		old = append(old, p)
	}
	if len(old) > 0 {
		kept = append(kept, AlreadyPublished(old))
	}
	return kept
}

// AlreadyPublished summarises problems already published as one warning:
// "3 problems already published (fix them when you can): a.md:2: ...;
// b.md: ...; and 1 more".
func AlreadyPublished(old []content.Problem) content.Problem {
	const shown = 3
	noun := "problems"
	if len(old) == 1 {
		noun = "problem"
	}
	parts := make([]string, 0, shown+1)
	for i, p := range old {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more", len(old)-shown))
			break
		}
		p.Warning = false
		parts = append(parts, p.String())
	}
	return content.Problem{Warning: true, Message: fmt.Sprintf("%d %s already published (fix them when you can): %s",
		len(old), noun, strings.Join(parts, "; "))}
}

// ProblemKey identifies a problem across two loads of a blog, for
// Ratchet's published: its file, line and message, whether or not it is a
// warning.
func ProblemKey(p content.Problem) string {
	return fmt.Sprintf("%s\x00%d\x00%s", p.File, p.Line, p.Message)
}

// ProblemSet returns a published function for Ratchet: whether a problem
// is among problems.
func ProblemSet(problems []content.Problem) func(content.Problem) bool {
	set := make(map[string]bool, len(problems))
	for _, p := range problems {
		set[ProblemKey(p)] = true
	}
	return func(p content.Problem) bool { return set[ProblemKey(p)] }
}

// Seeded turns problems that content.Load found in a seed (the blog folder
// a server starts from, its first publish) into warnings: the seed is the
// blog as its author already publishes it, so it is served as well as it
// can be. (CheckSeed does the same for the upload rules' content checks.)
func Seeded(problems []content.Problem) []content.Problem {
	out := make([]content.Problem, len(problems))
	for i, p := range problems {
		p.Warning = true
		out[i] = p
	}
	return out
}

// seeded makes an error of a seed a warning that says why it is one.
func seeded(p content.Problem) content.Problem {
	if !p.Warning {
		p.Warning = true
		p.Message += " (kept, as the blog already has it; a new upload of it would be refused)"
	}
	return p
}
