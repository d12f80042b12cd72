package server

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"slices"
	"strings"

	"charm.land/ssh"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/content/termsafe"
	"github.com/sshblog/sshblog/ui"
)

// The commands: `ssh HOST COMMAND [ARGS]`, in the style of git and
// soft-serve's `ssh HOST repo ...`. Each session gets its own
// commandContext, bound to its streams and to the snapshot live when it
// started; each command parses its own flags with a flag.FlagSet (the
// standard library covers what these few flags need; flags may come
// before or after the arguments, see parseArgs).
//
// Exit statuses: 0 success; 1 something named was not found (a command, a
// post, a tag, a status), or the command failed; 2 a usage error (a flag
// that does not exist, a missing argument).
//
// The files: commands.go (the table, routing, help, suggestions),
// commands_posts.go (ls, read, pages, tags), commands_lists.go (books,
// papers, BibTeX), commands_search.go (search, which plugs in through
// Config.Search), commands_version.go (version), and the authors'
// history and rollback below.

// command is one thing `ssh HOST COMMAND` does.
type command struct {
	name    string
	aliases []string
	args    string // positional arguments, for help: "SLUG"
	flags   string // the options' synopsis, for the command's usage: "[--width N] [--raw]"
	summary string // one line for help
	author  bool   // for authors only: listed, and suggested, to authors alone
	run     func(c *commandContext) int
}

// commandContext is what a command runs with: one session's streams and
// terminal, and the snapshot live when the session started.
type commandContext struct {
	name     string   // the command as typed (an alias too)
	args     []string // after the command name
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	snapshot *content.Snapshot
	hint     string // the command that opens the terminal UI, e.g. "ssh -t -p 23234 localhost"
	address  string // the server as the client reached it, for examples: "-p 23234 localhost"
	isAuthor bool   // the session's key may publish: help lists the authors' commands

	// The session's terminal, for read: whether it has a PTY, its type and
	// width, and the client's environment (COLORTERM, NO_COLOR).
	pty     bool
	term    string
	width   int
	environ []string

	renderer ui.Renderer
	search   ui.Searcher                     // nil: no search command
	build    func() (*debug.BuildInfo, bool) // runtime/debug.ReadBuildInfo

	// For the authors' commands:
	ctx       context.Context
	store     *store.Store                // nil when publishing is off
	authorize func() (store.Author, bool) // the session's author, or false after saying why not on stderr
}

// commands returns the command table for a session; search is listed
// only when the server has a search function.
func commands(withSearch bool) []command {
	cmds := []command{
		{name: "ls", aliases: []string{"posts"}, flags: "[--tag T] [--json]", summary: "list the posts: date, slug, title", run: listPosts},
		{name: "read", args: "SLUG", flags: "[--width N] [--raw] [--theme T]", summary: "print a post or page (plain text when piped)", run: readPost},
		{name: "pages", flags: "[--json]", summary: "list the blog's pages (about, ...): slug, title", run: listPages},
		{name: "tags", flags: "[--json]", summary: "list the tags with their post counts", run: listTags},
		{name: "books", flags: "[--status S] [--json] [--bibtex]", summary: "list the books the author reads", run: listBooks},
		{name: "papers", flags: "[--status S] [--json] [--bibtex]", summary: "list the papers the author reads", run: listPapers},
	}
	if withSearch {
		cmds = append(cmds, command{name: "search", args: "QUERY", flags: "[-n N] [--json]", summary: "search posts, pages, books and papers", run: searchCommand})
	}
	return append(cmds,
		command{name: "version", flags: "[--json]", summary: "print the server's version", run: showVersion},
		command{name: "help", args: "[COMMAND]", summary: "show this help, or a command's", run: showHelp},
		command{name: "history", flags: "[-n N]", summary: "list the last N publishes (default 20)", author: true, run: showHistory},
		command{name: "rollback", args: "REV", summary: "publish the blog as it was at REV, as a new revision", author: true, run: rollback},
	)
}

// routeCommands sends sessions with a command, and sessions without a PTY,
// to the command table; only an interactive terminal without a command, or
// with a direct link (ssh -t HOST SLUG, ssh -t HOST books; see
// directLink), goes on to the terminal UI.
func (s *Server) routeCommands(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		pty, windowChanges, isPty := sess.Pty()
		args := sess.Command()
		snap := s.library.Snapshot()
		if _, ok := directLink(snap, args); isPty && ok {
			next(sess) // newProgram follows the link
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
			stdin:     sess,
			stdout:    sess,
			stderr:    sess.Stderr(),
			snapshot:  snap,
			address:   address,
			hint:      "ssh -t " + address,
			isAuthor:  s.authors.IsAuthor(sess.PublicKey()),
			pty:       isPty,
			term:      pty.Term,
			width:     pty.Window.Width,
			environ:   sess.Environ(),
			renderer:  s.renderer,
			search:    s.search,
			build:     debug.ReadBuildInfo,
			ctx:       sess.Context(),
			store:     s.store,
			authorize: func() (store.Author, bool) { return s.authorize(sess, sess.Stderr()) },
		}
		_ = sess.Exit(runCommand(c, args))
	}
}

// directLink reads a terminal session's command words as a direct link
// into the terminal UI (ui.ParseLink): none is the post list; a view's
// name alone (posts, books, papers, tags, pages, search QUERY) opens that
// view; any other single word that is not a command is a post or page to
// open, and when snap has none by that name, Closest names the nearest
// one, as read's suggestion does. A command, or a view with flags
// (books --bibtex), is not a link: it runs as a command, in the terminal.
func directLink(snap *content.Snapshot, args []string) (ui.Link, bool) {
	link, ok := ui.ParseLink(args)
	if !ok || len(args) == 0 || ui.IsView(args[0]) {
		return link, ok
	}
	for _, cmd := range commands(true) {
		if cmd.name == args[0] || slices.Contains(cmd.aliases, args[0]) {
			return ui.Link{}, false
		}
	}
	if p, found := findPost(snap, link.Slug); found {
		link.Slug = p.Slug // an address or a file's path given for it
	} else {
		link.Closest, _ = closest(link.Slug, slugs(snap))
	}
	return link, true
}

// slugs returns the slugs of snap's posts, then of its pages.
func slugs(snap *content.Snapshot) []string {
	var names []string
	for _, p := range snap.Posts() {
		names = append(names, p.Slug)
	}
	for _, p := range snap.Pages() {
		names = append(names, p.Slug)
	}
	return names
}

// runCommand runs args[0] from the command table with the rest as its
// arguments, and returns the exit status. No arguments is the welcome.
func runCommand(c *commandContext, args []string) int {
	if len(args) == 0 {
		return welcome(c)
	}
	c.name, c.args = args[0], args[1:]
	if c.name == "-h" || c.name == "--help" { // ssh HOST --help
		c.name = "help"
	}
	if cmd, ok := c.lookup(c.name); ok {
		return cmd.run(c)
	}
	var names []string
	for _, cmd := range c.commands() {
		names = append(names, cmd.name)
		names = append(names, cmd.aliases...)
	}
	c.notFound("command", c.name, names, "ssh "+c.address+" help")
	return 1
}

// commands returns the commands this session may see: the authors' only
// for authors.
func (c *commandContext) commands() []command {
	var cmds []command
	for _, cmd := range commands(c.search != nil) {
		if !cmd.author || c.isAuthor {
			cmds = append(cmds, cmd)
		}
	}
	return cmds
}

// lookup finds a command by name or alias. The authors' commands are found
// for everyone, so that a reader who tries one is told it is for authors.
func (c *commandContext) lookup(name string) (command, bool) {
	for _, cmd := range commands(c.search != nil) {
		if cmd.name == name || slices.Contains(cmd.aliases, name) {
			return cmd, true
		}
	}
	return command{}, false
}

// notFound prints one line on stderr: that the kind named name does not
// exist, the closest of candidates if one is close, and where to look.
//
//	sshblog: no post "helo-world"; did you mean "hello-world"? (see: ssh HOST ls)
func (c *commandContext) notFound(kind, name string, candidates []string, see string) {
	msg := fmt.Sprintf("sshblog: no %s %q", kind, termsafe.Line(name))
	if kind == "command" {
		msg = fmt.Sprintf("sshblog: unknown command %q", termsafe.Line(name))
	}
	if best, ok := closest(name, candidates); ok {
		msg += fmt.Sprintf("; did you mean %q?", termsafe.Line(best))
	}
	if see != "" {
		msg += " (see: " + see + ")"
	}
	fmt.Fprintln(c.stderr, msg)
}

// flagSet returns an empty flag set for the running command. It prints
// nothing by itself: parseArgs reports errors and help.
func (c *commandContext) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseArgs parses the command's arguments with fs, flags before, between
// or after the positional arguments (as git takes them: `read SLUG --raw`),
// and returns the positional ones. "--" ends the flags. When it returns
// false the command must exit with status: 0 after --help (the usage went
// to stdout), 2 after a usage error (one line on stderr), such as fewer
// than min or more than max positional arguments (max < 0: no limit).
func (c *commandContext) parseArgs(fs *flag.FlagSet, min, max int) (args []string, status int, ok bool) {
	rest := c.args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.usage(fs, c.stdout)
				return nil, 0, false
			}
			return nil, c.usageError(err.Error()), false
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		// fs.Parse stops at the first positional argument, or after "--",
		// which it consumes: then everything left is positional.
		consumed := len(c.args) - len(rest)
		if consumed > 0 && c.args[consumed-1] == "--" {
			args = append(args, rest...)
			break
		}
		args = append(args, rest[0])
		rest = rest[1:]
	}
	switch {
	case len(args) < min:
		return nil, c.usageError("missing argument"), false
	case max >= 0 && len(args) > max:
		return nil, c.usageError(fmt.Sprintf("unexpected argument %q", termsafe.Line(args[max]))), false
	}
	return args, 0, true
}

// usageError prints one line about a usage error and returns status 2.
func (c *commandContext) usageError(msg string) int {
	fmt.Fprintf(c.stderr, "sshblog %s: %s (see: ssh %s %s --help)\n", c.name, termsafe.Line(msg), c.address, c.name)
	return 2
}

// usage prints the running command's synopsis, summary and flags to w.
func (c *commandContext) usage(fs *flag.FlagSet, w io.Writer) {
	cmd, _ := c.lookup(c.name)
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: ssh %s %s", c.address, strings.Join(strings.Fields(cmd.name+" "+cmd.args+" "+cmd.flags), " "))
	fmt.Fprintf(&b, "\n\n%s.\n", upperFirst(cmd.summary))
	if len(cmd.aliases) > 0 {
		fmt.Fprintf(&b, "Also: %s.\n", strings.Join(cmd.aliases, ", "))
	}
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			b.WriteString("\nOptions:\n")
			first = false
		}
		// As flag.PrintDefaults, with the dashes the synopsis uses: two
		// for a word, one for a letter.
		name, text := flag.UnquoteUsage(f)
		dashes := "--"
		if len(f.Name) == 1 {
			dashes = "-"
		}
		fmt.Fprintf(&b, "  %s%s", dashes, f.Name)
		if name != "" {
			b.WriteString(" " + name)
		}
		b.WriteString("\n      " + text)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(&b, " (default %s)", f.DefValue)
		}
		b.WriteString("\n")
	})
	_, _ = io.WriteString(w, b.String())
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// write writes s to stdout and returns the exit status: 1 when the client
// went away before it was written.
func (c *commandContext) write(s string) int {
	if _, err := io.WriteString(c.stdout, s); err != nil {
		return 1
	}
	return 0
}

// welcome prints the site's title, its posts and where to go next: what a
// session without a terminal and without a command (ssh -T HOST) gets.
func welcome(c *commandContext) int {
	var b strings.Builder
	site := c.snapshot.Site()
	if t := termsafe.Line(site.Title); t != "" {
		b.WriteString(t + "\n")
	}
	if d := termsafe.Line(site.Description); d != "" {
		b.WriteString(d + "\n")
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	posts := c.snapshot.Posts()
	if len(posts) == 0 {
		b.WriteString("No posts yet.\n")
	}
	writePostList(&b, posts)
	fmt.Fprintf(&b, "\nRead in the terminal UI: %s\n", c.hint)
	fmt.Fprintf(&b, "Commands (read a post as text, JSON, BibTeX, ...): ssh %s help\n", c.address)
	return c.write(b.String())
}

// showHelp prints one line per command the session may use, or with an
// argument, that command's usage.
func showHelp(c *commandContext) int {
	args, status, ok := c.parseArgs(c.flagSet(), 0, 1)
	if !ok {
		return status
	}
	if len(args) == 1 {
		cmd, found := c.lookup(args[0])
		if !found || cmd.author && !c.isAuthor {
			var names []string
			for _, cmd := range c.commands() {
				names = append(names, cmd.name)
			}
			c.notFound("command", args[0], names, "ssh "+c.address+" help")
			return 1
		}
		c.name, c.args = args[0], []string{"--help"}
		return cmd.run(c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: ssh %s COMMAND [ARGS]\n\n", c.address)
	width := 0
	for _, cmd := range c.commands() {
		width = max(width, len(strings.TrimSpace(cmd.name+" "+cmd.args)))
	}
	for _, author := range []bool{false, true} {
		if author {
			if !c.isAuthor {
				break
			}
			b.WriteString("\nFor the blog's authors:\n")
		}
		for _, cmd := range c.commands() {
			if cmd.author != author {
				continue
			}
			synopsis := strings.TrimSpace(cmd.name + " " + cmd.args)
			summary := cmd.summary
			if len(cmd.aliases) > 0 {
				summary += " (or " + strings.Join(cmd.aliases, ", ") + ")"
			}
			fmt.Fprintf(&b, "  %-*s  %s\n", width, synopsis, summary)
		}
	}
	fmt.Fprintf(&b, "\nEach command takes --help. JSON output is described in the README.\n")
	fmt.Fprintf(&b, "No command: the reader UI (%s), or the posts when piped.\n", c.hint)
	return c.write(b.String())
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
