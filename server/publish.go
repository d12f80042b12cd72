package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"charm.land/ssh"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/content/termsafe"
)

// Publishing: authors change the blog over git (git.go), legacy scp (scp.go)
// and sftp, which modern scp speaks (sftp.go); history and rollback are
// commands (commands.go). The transports only move bytes: the store checks
// the upload rules, validates the whole blog and commits.
//
// Who may do what is decided here, from the key that actually
// authenticated the connection: sess.PublicKey(). charm.land/ssh sets it
// from the permissions of the authentication method that succeeded, after
// the signature was verified, not from a key a client merely offered (see
// TestAuthorKeyMustAuthenticate).
//
// Readers may not write, and they do not get the blog's source either: the
// tree behind the blog may hold drafts and files the blog does not show, so
// sftp, scp (both directions) and git (fetch and clone too) are for authors
// only. Readers read the blog through the terminal UI and commands.

// permissionDenied is what a reader who tries to publish, or to get the
// blog's source, is told.
const permissionDenied = "permission denied: only the blog's authors can publish"

// publishTimeout bounds one publish (validation and commit) and the reload
// after a push, so a stuck git cannot hold a session forever.
const publishTimeout = 2 * time.Minute

// authorize returns the session's author when it may publish now. Otherwise
// it prints why on stderr (the permission message for a reader; that
// publishing is off, and why, for an author) and returns false.
func (s *Server) authorize(sess ssh.Session, stderr io.Writer) (store.Author, bool) {
	author, ok := s.authors.lookup(sess.PublicKey())
	if !ok {
		fmt.Fprintln(stderr, permissionDenied)
		return store.Author{}, false
	}
	if s.store == nil {
		fmt.Fprintln(stderr, "publishing is off: "+s.publishOff)
		return store.Author{}, false
	}
	return author, true
}

// apply publishes change by author and reports on stderr: one line naming
// the files and the new revision, then any warnings; or every problem.
// It returns whether the change was published (or changed nothing).
func (s *Server) apply(change store.Change, author store.Author, stderr io.Writer) bool {
	ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
	defer cancel()
	res, err := s.store.Apply(ctx, change, author)
	if err != nil {
		reportPublishError(stderr, err)
		s.logger.Info("publish refused", "via", change.Via, "key", author.Fingerprint, "change", change.String(), "err", firstLine(err))
		return false
	}
	reportPublished(stderr, res)
	if res.Changed {
		s.logger.Info("published", "via", change.Via, "key", author.Fingerprint, "revision", shortRev(res.Revision), "files", len(res.Files))
	}
	return true
}

// reportPublishError prints why a publish failed: every problem of a
// validation error on its own line ("posts/x.md:3: message"), then that
// nothing was published.
func reportPublishError(w io.Writer, err error) {
	var ve *content.ValidationError
	switch {
	case errors.As(err, &ve):
		n := content.ErrorCount(ve.Problems)
		for _, warnings := range []bool{false, true} { // errors first
			for _, p := range ve.Problems {
				if p.Warning == warnings {
					fmt.Fprintln(w, termsafe.Line(p.String()))
				}
			}
		}
		fmt.Fprintf(w, "sshblog: nothing was published: %s\n", countNoun(n, "problem"))
	case errors.Is(err, store.ErrConflict):
		fmt.Fprintln(w, "sshblog: "+store.ErrConflict.Error())
	default:
		fmt.Fprintln(w, "sshblog: nothing was published: "+termsafe.Line(err.Error()))
	}
}

// reportPublished prints what a publish did: "sshblog: published REV:
// added posts/x.md", and its warnings.
func reportPublished(w io.Writer, res store.Result) {
	if res.Changed {
		parts := make([]string, 0, len(res.Files))
		for _, f := range res.Files {
			parts = append(parts, string(f.Status)+" "+f.Path)
		}
		const shown = 5
		if len(parts) > shown {
			parts = append(parts[:shown], fmt.Sprintf("and %d more", len(res.Files)-shown))
		}
		fmt.Fprintf(w, "sshblog: published %s: %s\n", shortRev(res.Revision), termsafe.Line(strings.Join(parts, ", ")))
	}
	for _, p := range res.Warnings {
		fmt.Fprintln(w, termsafe.Line(p.String()))
	}
}

// countNoun returns "1 problem" or "3 problems".
func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// shortRev abbreviates a revision for people, as the history shows it.
func shortRev(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

func firstLine(err error) string {
	line, _, _ := strings.Cut(err.Error(), "\n")
	return line
}

// recoverTo logs a panic instead of letting it end the program. Handlers
// that run outside the middleware chain use it: subsystems bypass the
// recover middleware, and the sftp server calls our handlers from its own
// goroutines. It returns an error for the panic when errp is not nil.
func recoverTo(logger *slog.Logger, what string, errp *error) {
	if r := recover(); r != nil {
		logger.Error("panic", "in", what, "panic", r, "stack", string(debug.Stack()))
		if errp != nil {
			*errp = fmt.Errorf("internal error in %s", what)
		}
	}
}
