package server

import (
	"fmt"
	"io"
	"net"
	"strings"

	"charm.land/ssh"
	"github.com/rivo/uniseg"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/termsafe"
)

// command is one thing `ssh HOST COMMAND` does. The table in commands is the
// seed of the readers' command set: reading a post, search, JSON and Atom
// output are added there, each with its own summary for help.
type command struct {
	name    string
	args    string // argument synopsis for help, e.g. "SLUG"
	summary string
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
}

// defaultCommand runs for a session without a command (ssh -T HOST) and,
// after a note, for a command that does not exist.
const defaultCommand = "ls"

// commands returns the command table.
func commands() []command {
	return []command{
		{name: "ls", summary: "list the posts, newest first: date, slug, title", run: listPosts},
		{name: "help", summary: "show this help", run: showHelp},
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
			stdout:   sess,
			stderr:   sess.Stderr(),
			snapshot: s.library.Snapshot(),
			address:  address,
			hint:     "ssh -t " + address,
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
	for _, cmd := range commands() {
		name := cmd.name
		if cmd.args != "" {
			name += " " + cmd.args
		}
		fmt.Fprintf(&b, "  %-10s %s\n", name, cmd.summary)
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
