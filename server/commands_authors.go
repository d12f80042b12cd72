package server

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/content/termsafe"
)

// The authors' commands: history and rollback. Readers who try them are
// told they are for authors (publish.go's authorize).

// defaultHistory is how many publishes history lists without -n.
const defaultHistory = 20

// showHistory lists the latest publishes, newest first, for authors:
//
//	3f2a9c1e0b7d  2024-06-01 12:00:03 UTC  git push  SHA256:... (alice)
//	    add posts/2024-06-01-hello.md
//	    added     posts/2024-06-01-hello.md
func showHistory(c *commandContext) int {
	fs := c.flagSet()
	n := fs.Int("n", defaultHistory, "list the last `N` publishes (0: all)")
	if _, status, ok := c.parseArgs(fs, 0, 0); !ok {
		return status
	}
	if *n < 0 {
		return c.usageError(fmt.Sprintf("-n %d: want 0 or more", *n))
	}
	if _, ok := c.authorize(); !ok {
		return 1
	}
	entries, err := c.store.History(c.ctx, *n)
	if err != nil {
		fmt.Fprintf(c.stderr, "sshblog: %s\n", termsafe.Line(err.Error()))
		return 1
	}
	var b strings.Builder
	for _, e := range entries {
		key := e.Author.String()
		if e.Author == (store.Author{}) && (e.Via == "seed" || e.Via == "recovery") {
			key = "the server" // it seeded the blog, or recorded main at start-up
		}
		fmt.Fprintf(&b, "%s  %s  %s  %s\n", shortRev(e.Revision), e.Time.UTC().Format(time.DateTime+" MST"),
			termsafe.Line(e.Via), termsafe.Line(key))
		fmt.Fprintf(&b, "    %s\n", termsafe.Line(e.Subject))
		const shown = 20
		for i, f := range e.Files {
			if i == shown {
				fmt.Fprintf(&b, "    ... and %d more files\n", len(e.Files)-shown)
				break
			}
			fmt.Fprintf(&b, "    %-9s %s\n", f.Status, termsafe.Line(f.Path))
		}
	}
	if len(entries) == 0 {
		b.WriteString("Nothing published yet.\n")
	} else {
		fmt.Fprintf(&b, "\nRoll back to a revision with: ssh %s rollback REV\n", c.address)
	}
	if _, err := io.WriteString(c.stdout, b.String()); err != nil {
		return 1
	}
	return 0
}

// rollback publishes the blog as it was at a revision from the history, as
// a new revision, and prints the new revision.
func rollback(c *commandContext) int {
	args, status, ok := c.parseArgs(c.flagSet(), 1, 1)
	if !ok {
		return status
	}
	author, ok := c.authorize()
	if !ok {
		return 1
	}
	ctx, cancel := context.WithTimeout(c.ctx, publishTimeout)
	defer cancel()
	res, err := c.store.Rollback(ctx, args[0], author)
	if err != nil {
		reportPublishError(c.stderr, err)
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(c.stderr, termsafe.Line(w.String()))
	}
	if !res.Changed {
		fmt.Fprintf(c.stdout, "The blog is already as it was at %s; nothing to publish (revision %s).\n", termsafe.Line(args[0]), shortRev(res.Revision))
		return 0
	}
	fmt.Fprintf(c.stdout, "Rolled back to %s: published as revision %s\n", termsafe.Line(args[0]), res.Revision)
	return 0
}
