package server

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sshblog/sshblog/server/servertest"
	"github.com/sshblog/sshblog/ui"
)

// TestCommandsThroughOpenSSH runs the commands as a reader would, with
// the real OpenSSH client, against a server serving the fixture blog:
// exit statuses, stderr lines, --help, piped read without a single escape
// byte, styled read in a terminal (ssh -tt), NO_COLOR sent by the client,
// and JSON and BibTeX that parse back.
func TestCommandsThroughOpenSSH(t *testing.T) {
	t.Parallel()
	requireClients(t)
	bs := startBlog(t, serverOptions{seed: os.DirFS("testdata/commands-blog")})
	see := " (see: ssh -p " + bs.port + " 127.0.0.1 "

	cases := []struct {
		args       []string
		wantStatus int
		wantOut    string // a substring of stdout
		wantErr    string // stderr, exactly
	}{
		{args: nil, wantOut: "Fixture Blog\n"},
		{args: []string{"ls"}, wantOut: "2024-02-01  hello-world  Hello, world\n"},
		{args: []string{"posts", "--tag", "meta"}, wantOut: "2023-12-31  a-post-whose-slug"},
		{args: []string{"read", "everything"}, wantOut: "# Everything at once\n"},
		{args: []string{"read", "about"}, wantOut: "About this blog.\n"},
		{args: []string{"read", "hello-world", "--raw"}, wantOut: "The first post: 你好，世界。\n"},
		{args: []string{"read", "helo-world"}, wantStatus: 1, wantErr: `sshblog: no post "helo-world"; did you mean "hello-world"?` + see + "ls)\n"},
		{args: []string{"ls", "--tag", "gp"}, wantStatus: 1, wantErr: `sshblog: no tag "gp"; did you mean "go"?` + see + "tags)\n"},
		{args: []string{"lss"}, wantStatus: 1, wantErr: `sshblog: unknown command "lss"; did you mean "ls"?` + see + "help)\n"},
		{args: []string{"ls", "--bogus"}, wantStatus: 2, wantErr: "sshblog ls: flag provided but not defined: -bogus" + see + "ls --help)\n"},
		{args: []string{"history"}, wantStatus: 1, wantErr: permissionDenied + "\n"},
		{args: []string{"help"}, wantOut: "  read SLUG "},
		{args: []string{"tags"}, wantOut: "2  go\n"},
		{args: []string{"version"}, wantOut: "sshblog "},
	}
	for _, cmd := range commands(false) {
		cases = append(cases, struct {
			args       []string
			wantStatus int
			wantOut    string
			wantErr    string
		}{args: []string{cmd.name, "--help"}, wantOut: "Usage: ssh -p " + bs.port + " 127.0.0.1 " + cmd.name})
	}
	for _, tc := range cases {
		r := bs.ssh(t, bs.reader, tc.args...)
		if r.code != tc.wantStatus || !strings.Contains(r.stdout, tc.wantOut) || r.stderr != tc.wantErr {
			t.Errorf("ssh host %s: %s\nwant exit %d, stdout with %q, stderr %q", strings.Join(tc.args, " "), r, tc.wantStatus, tc.wantOut, tc.wantErr)
		}
		if strings.ContainsRune(r.stdout, '\x1b') || strings.ContainsRune(r.stderr, '\x1b') {
			t.Errorf("ssh host %s printed an escape byte without a terminal:\n%q", strings.Join(tc.args, " "), r.stdout)
		}
	}

	// JSON and BibTeX parse back.
	r := bs.ssh(t, bs.reader, "ls", "--json")
	var posts []postJSON
	if err := json.Unmarshal([]byte(r.stdout), &posts); err != nil || len(posts) != 3 || posts[0].Slug != "everything" || posts[0].Date != "2024-03-01T00:00:00Z" {
		t.Errorf("ls --json: %v, %+v\n%s", err, posts, r)
	}
	r = bs.ssh(t, bs.reader, "papers", "--bibtex")
	if entries, err := bibParse(r.stdout); err != nil || len(entries) != 4 || r.code != 0 {
		t.Errorf("papers --bibtex: %v, %d entries\n%s", err, len(entries), r)
	}

	// In a terminal (ssh -tt forces one), read is styled for it; NO_COLOR,
	// sent by the client, takes the colours away, and TERM=dumb all styling.
	tty := func(env []string, args ...string) result {
		t.Helper()
		a := append(bs.sshOptions(bs.reader), "-p", bs.port, "-tt", "-o", "SendEnv=NO_COLOR", "user@127.0.0.1")
		return run(t, bs.dir, env, "", "ssh", append(a, args...)...)
	}
	r = tty([]string{"TERM=xterm-256color"}, "read", "everything")
	if r.code != 0 || !strings.Contains(r.stdout, "\x1b[38;5;") || !strings.Contains(r.stdout, "\x1b]8;") {
		t.Errorf("read in a 256-colour terminal is not styled:\n%s", r)
	}
	r = tty([]string{"TERM=xterm-256color", "NO_COLOR=1"}, "read", "everything")
	if r.code != 0 || !strings.Contains(r.stdout, "A paragraph with a link[1]") || strings.ContainsRune(r.stdout, '\x1b') {
		t.Errorf("read with NO_COLOR has escape sequences:\n%q", r.stdout)
	}
	r = tty([]string{"TERM=dumb"}, "read", "everything")
	if r.code != 0 || !strings.Contains(r.stdout, "A paragraph with a link[1]") || strings.ContainsRune(r.stdout, '\x1b') {
		t.Errorf("read with TERM=dumb has escape sequences:\n%q", r.stdout)
	}
}

func TestDirectLink(t *testing.T) {
	t.Parallel()
	snap := loadBlog(t, "commands-blog")
	cases := []struct {
		args []string
		want ui.Link
		ok   bool
	}{
		{nil, ui.Link{}, true},
		{[]string{"hello-world"}, ui.Link{Slug: "hello-world"}, true},
		{[]string{"about"}, ui.Link{Slug: "about"}, true},
		{[]string{"helo-world"}, ui.Link{Slug: "helo-world", Closest: "hello-world"}, true},
		{[]string{"zzzzzzzz"}, ui.Link{Slug: "zzzzzzzz"}, true},
		{[]string{"books"}, ui.Link{View: "books"}, true},
		{[]string{"posts"}, ui.Link{View: "posts"}, true},
		{[]string{"search", "流处理", "Flink"}, ui.Link{View: "search", Query: "流处理 Flink"}, true},
		// Commands run as commands, in the terminal too.
		{[]string{"ls"}, ui.Link{}, false},
		{[]string{"read", "hello-world"}, ui.Link{}, false},
		{[]string{"books", "--bibtex"}, ui.Link{}, false},
		{[]string{"help"}, ui.Link{}, false},
		{[]string{"history"}, ui.Link{}, false},
	}
	for _, tc := range cases {
		got, ok := directLink(snap, tc.args)
		if got != tc.want || ok != tc.ok {
			t.Errorf("directLink(%q) = %+v, %v; want %+v, %v", tc.args, got, ok, tc.want, tc.ok)
		}
	}
}

// TestDirectLinksThroughOpenSSHInTmux opens the terminal UI on a post, a
// section and an unknown slug with ssh -t, and runs a command in a
// terminal, through the real OpenSSH client in tmux.
func TestDirectLinksThroughOpenSSHInTmux(t *testing.T) {
	t.Parallel()
	requireClients(t, "tmux")
	bs := startBlog(t, serverOptions{seed: os.DirFS("testdata/commands-blog")})
	open := func(args ...string) *servertest.Tmux {
		a := append(bs.sshOptions(bs.reader), "-p", bs.port, "-t", "user@127.0.0.1")
		shell := "ssh " + servertest.ShellCommand(append(a, args...)...) + `; echo "[ssh exited: $?]"; exec cat`
		return servertest.StartTmux(t, 100, 30, shell)
	}
	waitFor := func(x *servertest.Tmux, texts ...string) {
		t.Helper()
		var last string
		servertest.WaitUntil(t, 10*time.Second, func() bool {
			last = x.Capture(t)
			for _, s := range texts {
				if !strings.Contains(last, s) {
					return false
				}
			}
			return true
		}, func() string { return fmt.Sprintf("the pane never showed %q:\n%s", texts, last) })
	}

	post := open("hello-world")
	waitFor(post, "The first post: 你好，世界。")
	post.Keys(t, "q") // back to the list, as if the post had been opened from it
	waitFor(post, "Everything at once", "A long slug")

	books := open("books")
	waitFor(books, "The C Programming Language")

	unknown := open("helo-world")
	waitFor(unknown, "helo-world", "hello-world", "Everything at once")

	// A command with a terminal runs as a command, styled, and exits.
	// It asks tmux for its background first: the answer is read, never
	// left on the screen or to the shell.
	read := open("read", "about")
	waitFor(read, "About this blog.", "[ssh exited: 0]")
	if screen := read.Capture(t); strings.Contains(screen, "rgb:") || strings.Contains(screen, "11;") || strings.Contains(screen, "?") {
		t.Errorf("the terminal's answers show:\n%s", screen)
	}
}
