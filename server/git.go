package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"

	"charm.land/ssh"

	"github.com/sshblog/sshblog/content/store"
)

// The git transport is written here rather than taken from
// charm.land/wish/v2/git, which cannot pass the pusher's key to the hooks
// (the store records each push with the key that made it, through
// store.PushEnv), sends git's stderr nowhere (an author would not see why a
// push was refused), creates a repository for any name pushed to, and pulls
// in go-git. What git over SSH needs is small: run git-upload-pack or
// git-receive-pack on the one repository with the session as its standard
// streams.

// repoName is the only repository served; the paths clients send for it
// are accepted in these forms (ssh://host/blog.git, host:blog.git,
// ~/blog.git, and without ".git").
const repoName = "blog.git"

// gitServices maps the commands git clients run to git's sub-commands.
var gitServices = map[string]string{
	"git-upload-pack":  "upload-pack",
	"git-receive-pack": "receive-pack",
}

// gitProtocol is what a client may ask for in GIT_PROTOCOL (protocol
// version 2 is faster for fetches).
var gitProtocol = regexp.MustCompile(`^version=[0-9]+(:version=[0-9]+)*$`)

// gitTransport serves git fetch, clone and push of blog.git to authors (see
// publish.go for why readers may not even fetch). A push is validated by
// the repository's pre-receive hook before main moves; afterwards the
// store loads and publishes the new main.
func (s *Server) gitTransport(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args := sess.Command()
		if len(args) == 0 {
			next(sess)
			return
		}
		service, ok := gitServices[args[0]]
		if !ok {
			next(sess)
			return
		}
		_ = sess.Exit(s.serveGit(sess, service, args[1:]))
	}
}

// serveGit runs one git service for sess and returns the exit status.
func (s *Server) serveGit(sess ssh.Session, service string, args []string) int {
	stderr := sess.Stderr()
	author, ok := s.authorize(sess, stderr)
	if !ok {
		return 1
	}
	if len(args) != 1 || !isBlogRepo(args[0]) {
		fmt.Fprintf(stderr, "sshblog: no such repository; the blog's repository is %s (git clone ssh://HOST:PORT/%s)\n", repoName, repoName)
		return 1
	}
	git := s.store.GitBinary() // the git program the store found (or was given)
	live := s.store.Snapshot().Revision()
	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	cmd := exec.CommandContext(ctx, git, service, s.store.Dir())
	cmd.Dir = s.store.Dir()
	cmd.Env = gitEnv(sess.Environ(), author)
	// A push's report says "ng refs/heads/main REASON" when main could not
	// be updated; receive-pack still exits 0.
	report := &streamWatch{w: sess, needle: []byte("ng " + store.MainRef + " ")}
	cmd.Stdout = report
	cmd.Stderr = stderr
	// Our own stdin pipe rather than cmd.Stdin = sess: Wait would wait for
	// a copy from the session that only ends when the client closes its
	// side. Left over, the copy ends with the session.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		fmt.Fprintln(stderr, "sshblog: cannot run git")
		s.logger.Error("git transport", "err", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "sshblog: cannot run git")
		s.logger.Error("git transport", "err", err)
		return 1
	}
	go func() {
		_, _ = io.Copy(stdin, sess)
		_ = stdin.Close()
	}()
	err = cmd.Wait()
	status := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			s.logger.Error("git transport", "service", service, "err", err)
		}
		status = max(cmd.ProcessState.ExitCode(), 1)
	}
	if service == "receive-pack" {
		now := s.refreshAfterPush(stderr, author)
		if report.seen() && now != "" && now != live {
			// A race lost to another publish, which git words as "cannot
			// lock ref 'refs/heads/main': is at X but expected Y".
			fmt.Fprintln(stderr, "sshblog: the blog changed while you pushed (someone else published), so your push was refused: fetch first (git pull --rebase), then push again")
		}
	}
	return status
}

// refreshAfterPush makes main live after a push: the hooks validated and
// recorded it; the store loads it and publishes it to the readers. It runs
// after every receive-pack, even a refused one, which changes nothing. It
// returns the live revision ("" when main could not be loaded).
func (s *Server) refreshAfterPush(stderr io.Writer, author store.Author) string {
	ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
	defer cancel()
	res, err := s.store.Refresh(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "sshblog: the push was accepted but could not be loaded; the blog is unchanged: %s\n", firstLine(err))
		s.logger.Error("load main after a push", "err", err)
		return ""
	}
	if res.Changed {
		s.logger.Info("published", "via", "git push", "key", author.Fingerprint, "revision", shortRev(res.Revision), "files", len(res.Files))
	}
	return res.Revision
}

// isBlogRepo reports whether p names the blog's repository.
func isBlogRepo(p string) bool {
	p = strings.TrimPrefix(p, "~")
	p = strings.Trim(p, "/")
	return p == repoName || p == strings.TrimSuffix(repoName, ".git")
}

// gitEnv is the environment of git-upload-pack and git-receive-pack: no
// user or system configuration (the repository's own configuration holds
// its hooks and rules), no prompts, the protocol version the client asked
// for, and the pushing key for the hooks.
func gitEnv(clientEnv []string, author store.Author) []string {
	env := []string{
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_ATTR_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_NO_REPLACE_OBJECTS=1",
		"LC_ALL=C",
	}
	for _, name := range []string{"PATH", "TMPDIR"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	for _, kv := range clientEnv {
		if v, ok := strings.CutPrefix(kv, "GIT_PROTOCOL="); ok && gitProtocol.MatchString(v) {
			env = append(env, kv)
		}
	}
	return append(env, store.PushEnv(author)...)
}

// streamWatch passes a stream on and notes whether needle appeared in it,
// even split across writes.
type streamWatch struct {
	w      io.Writer
	needle []byte
	tail   []byte // the end of the stream so far, len(needle)-1 bytes at most
	found  atomic.Bool
}

func (sw *streamWatch) Write(p []byte) (int, error) {
	if !sw.found.Load() {
		window := append(sw.tail, p...)
		if bytes.Contains(window, sw.needle) {
			sw.found.Store(true)
		}
		keep := min(len(window), len(sw.needle)-1)
		sw.tail = append(sw.tail[:0], window[len(window)-keep:]...)
	}
	return sw.w.Write(p)
}

func (sw *streamWatch) seen() bool { return sw.found.Load() }
