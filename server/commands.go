package server

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"charm.land/ssh"
	"github.com/rivo/uniseg"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/content/termsafe"
)

// command is one thing `ssh HOST COMMAND` does. The table in commands is the
// seed of the readers' command set: reading a post, search, JSON and Atom
// output are added there, each with its own summary for help.
type command struct {
	name    string
	args    string // argument synopsis for help, e.g. "SLUG"
	summary string
	author  bool                        // for authors only (listed apart in help)
	run     func(c *commandContext) int // returns the exit status
}

// commandContext is what a command runs with: one session's streams and the
// snapshot live when the session started.
type commandContext struct {
	args     []string // after the command name
	stdout   io.Writer
	stderr   io.Writer
	snapshot *content.Snapshot
	hint     string // the command that opens the terminal UI, e.g. "ssh -t -p 23234 localhost"
	address  string // the server as the client reached it, for examples: "-p 23234 localhost"

	// For the authors' commands:
	ctx       context.Context
	store     *store.Store                // nil when publishing is off
	authorize func() (store.Author, bool) // the session's author, or false after saying why not on stderr
}

// defaultCommand runs for a session without a command (ssh -T HOST) and,
// after a note, for a command that does not exist.
const defaultCommand = "ls"

// commands returns the command table.
func commands() []command {
	return []command{
		{name: "ls", summary: "list the posts, newest first: date, slug, title", run: listPosts},
		{name: "help", summary: "show this help", run: showHelp},
		{name: "history", args: "[-n N]", summary: "list the last N publishes (default 20): time, key, message, files", author: true, run: showHistory},
		{name: "rollback", args: "REV", summary: "publish again the blog as it was at REV (from history), as a new revision", author: true, run: rollback},
	}
}

// routeCommands sends sessions with a command, and sessions without a PTY,
// to the command table; only an interactive terminal without a command goes
// on to the terminal UI.
func (s *Server) routeCommands(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		_, windowChanges, isPty := sess.Pty()
		args := sess.Command()
		if isPty && len(args) == 0 {
			next(sess)
			return
		}
		if isPty {
			// Nobody else reads window changes for this session; unread,
			// they would block the session's request loop. The channel is
			// closed when the session ends, which ends this goroutine.
			go func() {
				for range windowChanges {
				}
			}()
		}
		address := clientAddress(sess.LocalAddr())
		c := &commandContext{
			stdout:    sess,
			stderr:    sess.Stderr(),
			snapshot:  s.library.Snapshot(),
			address:   address,
			hint:      "ssh -t " + address,
			ctx:       sess.Context(),
			store:     s.store,
			authorize: func() (store.Author, bool) { return s.authorize(sess, sess.Stderr()) },
		}
		_ = sess.Exit(runCommand(c, args))
	}
}

// runCommand runs args[0] from the command table with the rest as its
// arguments, and returns the exit status.
func runCommand(c *commandContext, args []string) int {
	name := defaultCommand
	if len(args) > 0 {
		name, c.args = args[0], args[1:]
	}
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd.run(c)
		}
	}
	// Readers typing something we do not know yet still get the blog.
	fmt.Fprintf(c.stderr, "sshblog: unknown command %q; see: ssh %s help\n", termsafe.Line(name), c.address)
	c.args = nil
	return listPosts(c)
}

// listPosts prints the site's title and its posts as plain text, one per
// line, then how to open the terminal UI.
func listPosts(c *commandContext) int {
	site := c.snapshot.Site()
	posts := c.snapshot.Posts()
	var b strings.Builder
	if t := termsafe.Line(site.Title); t != "" {
		b.WriteString(t + "\n")
	}
	if d := termsafe.Line(site.Description); d != "" {
		b.WriteString(d + "\n")
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	if len(posts) == 0 {
		b.WriteString("No posts yet.\n")
	}
	slugWidth := 0
	for _, p := range posts {
		slugWidth = max(slugWidth, uniseg.StringWidth(termsafe.Line(p.Slug)))
	}
	for _, p := range posts {
		slug := termsafe.Line(p.Slug)
		pad := strings.Repeat(" ", slugWidth-uniseg.StringWidth(slug))
		fmt.Fprintf(&b, "%s  %s%s  %s\n", p.Date.Format("2006-01-02"), slug, pad, termsafe.Line(p.Title))
	}
	fmt.Fprintf(&b, "\nRead in the terminal UI: %s\n", c.hint)
	if _, err := io.WriteString(c.stdout, b.String()); err != nil {
		return 1
	}
	return 0
}

// showHelp prints the command table.
func showHelp(c *commandContext) int {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: ssh %s [COMMAND]\n\n", c.address)
	fmt.Fprintf(&b, "In a terminal without a command, sshblog opens its reader UI (%s).\n", c.hint)
	fmt.Fprintf(&b, "Without a terminal, or with a command:\n\n")
	for _, author := range []bool{false, true} {
		if author {
			fmt.Fprintf(&b, "\nFor the blog's authors:\n\n")
		}
		for _, cmd := range commands() {
			if cmd.author != author {
				continue
			}
			name := cmd.name
			if cmd.args != "" {
				name += " " + cmd.args
			}
			fmt.Fprintf(&b, "  %-16s %s\n", name, cmd.summary)
		}
	}
	fmt.Fprintf(&b, "\nWithout a command, %q runs.\n", defaultCommand)
	if _, err := io.WriteString(c.stdout, b.String()); err != nil {
		return 1
	}
	return 0
}

// clientAddress returns how a client reaches this server, as ssh arguments:
// "-p PORT HOST", or just "HOST" on port 22. local is the server's end of
// the client's connection, the best guess the server has of the name the
// reader used.
func clientAddress(local net.Addr) string {
	host, port, err := net.SplitHostPort(local.String())
	if err != nil {
		return local.String()
	}
	if port == "22" {
		return host
	}
	return "-p " + port + " " + host
}

// defaultHistory is how many publishes history lists without -n.
const defaultHistory = 20

// showHistory lists the latest publishes, newest first, for authors:
//
//	3f2a9c1e0b7d  2024-06-01 12:00:03 UTC  git push  SHA256:... (alice)
//	    add posts/2024-06-01-hello.md
//	    added     posts/2024-06-01-hello.md
func showHistory(c *commandContext) int {
	flags := flag.NewFlagSet("history", flag.ContinueOnError)
	flags.SetOutput(c.stderr)
	n := flags.Int("n", defaultHistory, "how many publishes to list (0: all)")
	flags.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: ssh %s history [-n N]\n", c.address)
		flags.PrintDefaults()
	}
	if err := flags.Parse(c.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if flags.NArg() > 0 || *n < 0 {
		flags.Usage()
		return 2
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
	if len(c.args) != 1 || strings.HasPrefix(c.args[0], "-") {
		fmt.Fprintf(c.stderr, "Usage: ssh %s rollback REV\n\nREV is a revision from: ssh %s history\n", c.address, c.address)
		if len(c.args) == 1 && (c.args[0] == "-h" || c.args[0] == "--help") {
			return 0
		}
		return 2
	}
	author, ok := c.authorize()
	if !ok {
		return 1
	}
	ctx, cancel := context.WithTimeout(c.ctx, publishTimeout)
	defer cancel()
	res, err := c.store.Rollback(ctx, c.args[0], author)
	if err != nil {
		reportPublishError(c.stderr, err)
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(c.stderr, termsafe.Line(w.String()))
	}
	if !res.Changed {
		fmt.Fprintf(c.stdout, "The blog is already as it was at %s; nothing to publish (revision %s).\n", termsafe.Line(c.args[0]), shortRev(res.Revision))
		return 0
	}
	fmt.Fprintf(c.stdout, "Rolled back to %s: published as revision %s\n", termsafe.Line(c.args[0]), res.Revision)
	return 0
}
