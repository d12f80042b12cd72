package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload"
)

// A git push reaches the store through two hooks of the bare repository,
// installed by InstallHooks. git-receive-pack runs them as separate
// processes (the sshblog binary, say "sshblog hook pre-receive", which calls
// RunHook):
//
//   - pre-receive, before any ref moves, with the pushed objects still in
//     quarantine: ValidatePush refuses refs other than main, deleting main,
//     and a main whose tree breaks the upload rules or does not load.
//     Every problem goes to stderr, which git shows the pusher as
//     "remote: posts/x.md:3: ...". A refused push changes nothing.
//   - post-receive, after main moved: the publish is recorded in the history
//     with the pushing key, read from the environment PushEnv describes.
//
// After git-receive-pack exits, the transport calls Store.Refresh to load
// and publish the new main.

// The environment variables that carry the pushing key to the hooks. The
// transport sets them on git-receive-pack (see PushEnv); git passes them on
// to the hooks.
const (
	envFingerprint = "SSHBLOG_AUTHOR_FINGERPRINT"
	envComment     = "SSHBLOG_AUTHOR_COMMENT"
)

// PushEnv returns the environment entries that tell the hooks who pushed.
// The git transport appends them to git-receive-pack's environment, so each
// push is recorded with the key that actually authenticated. (wish's git
// middleware runs git with the server's own environment and cannot do
// this; a push it runs is recorded as by "an unknown key".)
func PushEnv(a Author) []string {
	return []string{envFingerprint + "=" + oneLine(a.Fingerprint), envComment + "=" + oneLine(a.Comment)}
}

// authorFromEnv reads the pushing key from environ (see PushEnv).
func authorFromEnv(environ []string) Author {
	var a Author
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		switch name {
		case envFingerprint:
			a.Fingerprint = oneLine(value)
		case envComment:
			a.Comment = oneLine(value)
		}
	}
	return a
}

// RefUpdate is one ref a push moves, as git tells a hook: "old new ref".
// An id of all zeros means the ref is created (Old) or deleted (New).
type RefUpdate struct {
	Old, New, Ref string
}

// isZero reports whether id is git's null object id.
func isZero(id string) bool { return strings.Trim(id, "0") == "" }

// ReadRefUpdates parses a hook's standard input: one "old new ref" line per
// ref.
func ReadRefUpdates(r io.Reader) ([]RefUpdate, error) {
	var updates []RefUpdate
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("read ref updates: unexpected line %q", sc.Text())
		}
		updates = append(updates, RefUpdate{Old: f[0], New: f[1], Ref: f[2]})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read ref updates: %w", err)
	}
	return updates, nil
}

// ValidatePush checks a push before git accepts it; the pre-receive hook
// calls it (RunHook does). repoDir is the bare repository; environ is the
// hook's environment, whose quarantine variables (GIT_OBJECT_DIRECTORY,
// GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_QUARANTINE_PATH) let git read the
// pushed objects. It refuses refs other than refs/heads/main, deleting
// main, and a main whose tree breaks the upload rules (symbolic links,
// submodules, sizes, text encoding; limits from the repository's
// configuration, written by Open) or is not a valid blog. It returns every
// problem, errors and warnings; the push is acceptable when none is an
// error. The error is for failures to check at all.
func ValidatePush(ctx context.Context, repoDir string, updates []RefUpdate, environ []string) ([]content.Problem, error) {
	r, err := hookRepo(repoDir, environ, true)
	if r != nil {
		defer r.close()
	}
	if err != nil {
		return nil, err
	}
	rules, err := hookRules(ctx, r)
	if err != nil {
		return nil, err
	}
	var problems []content.Problem
	for _, u := range updates {
		switch {
		case u.Ref != MainRef:
			problems = append(problems, content.Problem{Message: fmt.Sprintf(
				"%q: only the main branch is published, nothing else may be pushed (git push origin HEAD:main)", u.Ref)})
		case isZero(u.New):
			problems = append(problems, content.Problem{Message: "main cannot be deleted"})
		default:
			ps, err := validateCommit(ctx, r, rules, u.Old, u.New)
			if err != nil {
				return nil, err
			}
			problems = append(problems, ps...)
		}
	}
	return problems, nil
}

// validateCommit checks the tree of commit as a publish would (judge):
// against old, the published main (when not zero), it refuses only what
// the push introduces. Images that old already has, unchanged, were
// checked when they were published and are not read again.
func validateCommit(ctx context.Context, r *repo, rules upload.Rules, old, commit string) ([]content.Problem, error) {
	tree, err := readTree(ctx, r, commit, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("read the pushed tree: %w", err)
	}
	baseFiles := map[string]*blob{}
	var published []content.Problem
	if !isZero(old) {
		if baseFiles, err = listFiles(ctx, r, old); err != nil {
			return nil, fmt.Errorf("read the published tree: %w", err)
		}
		if published, err = publishedProblems(ctx, r, old); err != nil {
			return nil, err
		}
	}
	_, problems, _, err := judge(rules, baseFiles, published, tree, judgeChange, nil)
	if err != nil {
		return nil, fmt.Errorf("validate the pushed blog: %w", err)
	}
	return problems, nil
}

// RunHook is the body of the repository's git hooks: hook is "pre-receive"
// or "post-receive", repoDir the bare repository (git runs hooks inside it,
// so "." works), stdin and stderr the hook's, environ its environment
// (os.Environ()). It returns the hook's exit code: non-zero refuses the
// push.
//
// pre-receive prints every problem on stderr, "posts/x.md:3: message", which
// the pusher sees as "remote: posts/x.md:3: message", and warnings as
// "warning: ...". post-receive records each update of main in the history
// with the pushing key (PushEnv) and says what was published.
func RunHook(ctx context.Context, hook, repoDir string, stdin io.Reader, stderr io.Writer, environ []string) int {
	updates, err := ReadRefUpdates(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "sshblog: %v\n", err)
		return 1
	}
	switch hook {
	case "pre-receive":
		return preReceive(ctx, repoDir, updates, stderr, environ)
	case "post-receive":
		return postReceive(ctx, repoDir, updates, stderr, environ)
	}
	fmt.Fprintf(stderr, "sshblog: unknown hook %q\n", hook)
	return 2
}

func preReceive(ctx context.Context, repoDir string, updates []RefUpdate, stderr io.Writer, environ []string) int {
	problems, err := ValidatePush(ctx, repoDir, updates, environ)
	if err != nil {
		fmt.Fprintf(stderr, "sshblog: the push could not be checked, nothing was published: %v\n", err)
		return 1
	}
	n := content.ErrorCount(problems)
	if n > 0 {
		noun := "problems"
		if n == 1 {
			noun = "problem"
		}
		fmt.Fprintf(stderr, "sshblog: push refused, nothing was published: %d %s\n", n, noun)
	}
	for _, warnings := range []bool{false, true} { // errors first
		for _, p := range problems {
			if p.Warning == warnings {
				fmt.Fprintln(stderr, p.String())
			}
		}
	}
	if n > 0 {
		fmt.Fprintln(stderr, "sshblog: fix the files above, commit and push again")
		return 1
	}
	return 0
}

func postReceive(ctx context.Context, repoDir string, updates []RefUpdate, stderr io.Writer, environ []string) int {
	r, err := hookRepo(repoDir, environ, false)
	if r != nil {
		defer r.close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "sshblog: %v\n", err)
		return 1
	}
	author := authorFromEnv(environ)
	for _, u := range updates {
		if u.Ref != MainRef || isZero(u.New) {
			continue
		}
		e, err := pushEntry(ctx, r, u, author)
		if err == nil {
			err = record(ctx, r, e)
		}
		if err != nil {
			// main moved; the store records it when it next opens.
			fmt.Fprintf(stderr, "sshblog: published %s, but the history could not record it: %v\n", short(u.New), err)
			return 1
		}
		fmt.Fprintf(stderr, "sshblog: published %s: %s\n", short(u.New), e.Subject)
	}
	return 0
}

// pushEntry describes the push of u as a history entry.
func pushEntry(ctx context.Context, r *repo, u RefUpdate, author Author) (Entry, error) {
	e := Entry{Revision: u.New, Time: time.Now().UTC(), Author: author, Via: "git push"}
	subject, _, err := r.commitInfo(ctx, u.New)
	if err != nil {
		return e, err
	}
	e.Subject = subject
	newFiles, err := listFiles(ctx, r, u.New)
	if err != nil {
		return e, err
	}
	old := map[string]*blob{}
	if !isZero(u.Old) {
		e.Previous = u.Old
		if old, err = listFiles(ctx, r, u.Old); err != nil {
			return e, err
		}
	}
	e.Files = diffFiles(old, newFiles)
	return e, nil
}

// listFiles lists the files of commit (path → blob without contents),
// enough to compare two trees.
func listFiles(ctx context.Context, r *repo, commit string) (map[string]*blob, error) {
	entries, err := r.lsTree(ctx, commit)
	if err != nil {
		return nil, err
	}
	files := make(map[string]*blob, len(entries))
	for _, e := range entries {
		files[e.path] = &blob{mode: e.mode, oid: e.oid, size: e.size}
	}
	return files, nil
}

// hookRepo returns a runner for the repository a hook runs in; without
// the git program the error wraps ErrNoGit.
func hookRepo(repoDir string, environ []string, quarantine bool) (*repo, error) {
	git, err := findGit("")
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(repoDir)
	if err != nil {
		return nil, err
	}
	return newRepo(git, dir, environ, quarantine), nil
}

// hookRules reads the upload limits Open wrote into the repository's
// configuration; missing ones take the defaults.
func hookRules(ctx context.Context, r *repo) (upload.Rules, error) {
	var lim upload.Limits
	out, err := r.run(ctx, nil, nil, "config", "--get-regexp", `^sshblog\.`)
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && strings.TrimSpace(ge.stderr) == "" {
			return upload.Rules{}, nil // exit 1, no output: nothing configured
		}
		return upload.Rules{}, fmt.Errorf("read the limits: %w", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		key, value, _ := strings.Cut(line, " ")
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			continue
		}
		switch key {
		case keyTextFile:
			lim.TextFile = n
		case keyImage:
			lim.Image = n
		case keyBlog:
			lim.Blog = n
		}
	}
	return upload.Rules{Limits: lim}, lim.Validate()
}

// InstallHooks writes the pre-receive and post-receive hooks of the bare
// repository at repoDir: each a small sh script that execs command (the
// program and its arguments, say "/usr/local/bin/sshblog", "hook") with the
// hook's name appended, so the program must call RunHook with that name.
// It also points core.hooksPath at them in the repository's own
// configuration, so a user's git configuration cannot bypass them.
// Call it after Open, every start, with the current binary's path.
func InstallHooks(repoDir string, command ...string) error {
	if len(command) == 0 {
		return errors.New("install hooks: no command")
	}
	dir, err := filepath.Abs(filepath.Join(repoDir, "hooks"))
	if err != nil {
		return fmt.Errorf("install hooks: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("install hooks: %w", err)
	}
	quoted := make([]string, len(command))
	for i, arg := range command {
		quoted[i] = shellQuote(arg)
	}
	for _, hook := range []string{"pre-receive", "post-receive"} {
		script := "#!/bin/sh\n" +
			"# Written by sshblog at start-up. Every push to the blog runs through these\n" +
			"# hooks: pre-receive validates the pushed blog before main moves,\n" +
			"# post-receive records the publish in the blog's history.\n" +
			"exec " + strings.Join(quoted, " ") + " " + hook + "\n"
		if err := writeFileAtomic(filepath.Join(dir, hook), []byte(script), 0o755); err != nil {
			return fmt.Errorf("install hooks: %w", err)
		}
	}
	r, err := hookRepo(repoDir, os.Environ(), false)
	if r != nil {
		defer r.close()
	}
	if err != nil {
		return fmt.Errorf("install hooks: %w", err)
	}
	if err := r.setConfig(context.Background(), [][2]string{{"core.hooksPath", dir}}); err != nil {
		return fmt.Errorf("install hooks: %w", err)
	}
	return nil
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeFileAtomic writes data to a temporary file beside p and renames it
// into place, so readers see the old file or the new one, never half.
func writeFileAtomic(p string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(p), "."+filepath.Base(p)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), p)
}

// publishedProblems returns the problems of the published commit: from the
// cache the store keeps for its live state (writeProblems), else by
// loading the commit's blog, which costs as much as checking the push.
func publishedProblems(ctx context.Context, r *repo, commit string) ([]content.Problem, error) {
	if problems, ok := readProblems(r.dir, commit); ok {
		return problems, nil
	}
	tree, err := readTree(ctx, r, commit, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("read the published tree: %w", err)
	}
	snap, err := content.Load(tree, commit)
	if snap == nil {
		return nil, fmt.Errorf("load the published blog: %w", err)
	}
	return snap.Warnings(), nil
}
