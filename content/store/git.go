package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrNoGit reports that the git program was not found. The store keeps
// the blog in a git repository and drives it with the program, so Open,
// InstallHooks and ValidatePush return it wrapped; a server then serves its
// seed read-only.
var ErrNoGit = errors.New("the git program is not installed")

// Identity of every commit and tag the store writes. The key that published
// a change is named in the commit message and in the history, not here:
// commit authors are whatever a pusher's git says, so they prove nothing.
const (
	identityName  = "sshblog"
	identityEmail = "sshblog@localhost"
)

// taggedRef is a ref and the message of the tag it points at.
type taggedRef struct {
	name, message string
}

// lsEntry is one file of a git tree.
type lsEntry struct {
	mode uint32 // git mode: 0o100644, 0o100755, 0o120000 (symlink), 0o160000 (submodule)
	oid  string
	size int64 // -1 for submodules
	path string
}

// indexEntry is one file of a tree to write.
type indexEntry struct {
	mode uint32
	oid  string
	path string
}

// checkTreeFiles refuses files that do not make a tree: a path git's
// update-index would refuse (empty, ".", ".." or ".git" parts), a path
// given twice, a file that is also a folder. (git update-index --index-info
// would silently keep the last of two conflicting entries: a lost file.)
// The store's candidates never hold such files; this is the last guard.
func checkTreeFiles(files []indexEntry) error {
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		for _, part := range strings.Split(f.path, "/") {
			if part == "" || part == "." || part == ".." || strings.EqualFold(part, ".git") || strings.ContainsRune(part, 0) {
				return fmt.Errorf("write tree: invalid path %q", f.path)
			}
		}
		if seen[f.path] {
			return fmt.Errorf("write tree: %q is given twice", f.path)
		}
		seen[f.path] = true
	}
	for _, f := range files {
		for _, d := range parentDirs(f.path) {
			if seen[d] {
				return fmt.Errorf("write tree: %q is a file and the folder of %q", d, f.path)
			}
		}
	}
	return nil
}

// errRefMoved reports that a compare-and-swap ref update found the ref
// changed or locked by someone else.
var errRefMoved = errors.New("ref changed or locked by another writer")

// quarantineVars are the variables git gives a pre-receive hook so it can
// read the objects of a push before they are accepted. They are the only
// GIT_* variables the store lets through from its environment.
var quarantineVars = []string{"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH"}

// repo is the store's bare git repository, driven by the git program
// with a controlled environment: no user or system configuration, a fixed
// identity, no prompts, no replace refs. Nothing of the caller's GIT_*
// environment leaks in, except the push quarantine when the repo serves a
// hook. Object ids are hexadecimal strings; "" means none.
type repo struct {
	git   string   // path of the git binary
	dir   string   // absolute path of the bare repository (GIT_DIR)
	env   []string // environment of every git command
	batch *catFile // reads single blobs on demand (readBlob); ended by close
}

// findGit returns the path of the git binary: bin if set, else "git" from
// PATH. Without it the error wraps ErrNoGit.
func findGit(bin string) (string, error) {
	if bin == "" {
		bin = "git"
	}
	p, err := exec.LookPath(bin)
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrNoGit, err)
	}
	return p, nil
}

// newRepo returns a runner for the bare repository at dir (absolute).
// environ is the caller's environment; only PATH, TMPDIR and, when
// quarantine is set, the push quarantine variables are taken from it.
func newRepo(git, dir string, environ []string, quarantine bool) *repo {
	env := []string{
		"GIT_DIR=" + dir,
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_ATTR_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_NO_REPLACE_OBJECTS=1",
		"GIT_AUTHOR_NAME=" + identityName,
		"GIT_AUTHOR_EMAIL=" + identityEmail,
		"GIT_COMMITTER_NAME=" + identityName,
		"GIT_COMMITTER_EMAIL=" + identityEmail,
		"LC_ALL=C",
	}
	pass := []string{"PATH", "TMPDIR"}
	if quarantine {
		pass = append(pass, quarantineVars...)
	}
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		for _, p := range pass {
			if name == p {
				env = append(env, kv)
			}
		}
	}
	return &repo{git: git, dir: dir, env: env, batch: &catFile{}}
}

// gitError is a failed git command with what it printed on stderr.
type gitError struct {
	args   []string
	err    error
	stderr string
}

func (e *gitError) Error() string {
	msg := strings.TrimSpace(e.stderr)
	if msg == "" {
		return fmt.Sprintf("git %s: %v", e.args[0], e.err)
	}
	return fmt.Sprintf("git %s: %v: %s", e.args[0], e.err, msg)
}

func (e *gitError) Unwrap() error { return e.err }

// run runs git with args, stdin as input and extra environment entries, and
// returns its standard output.
func (r *repo) run(ctx context.Context, stdin []byte, extraEnv []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, r.git, args...)
	cmd.Dir = r.dir
	cmd.Env = append(r.env[:len(r.env):len(r.env)], extraEnv...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, &gitError{args: args, err: err, stderr: stderr.String()}
	}
	return stdout.Bytes(), nil
}

// runStreams runs git with args and stdin as input, and hands its
// standard output to read as it comes, so a big output (every post of a
// blog) is never held whole twice.
func (r *repo) runStreams(ctx context.Context, stdin io.Reader, read func(io.Reader) error, args ...string) error {
	cmd := exec.CommandContext(ctx, r.git, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return &gitError{args: args, err: err}
	}
	rerr := read(out)
	if rerr != nil {
		_, _ = io.Copy(io.Discard, out) // let git finish writing
	}
	if err := cmd.Wait(); err != nil {
		return &gitError{args: args, err: err, stderr: stderr.String()}
	}
	return rerr
}

// line runs git and returns its output's first line, trimmed.
func (r *repo) line(ctx context.Context, stdin []byte, args ...string) (string, error) {
	out, err := r.run(ctx, stdin, nil, args...)
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(first), nil
}

// scratch returns the store's scratch folder in the repository, made if
// needed, for temporary index and blob files.
func (r *repo) scratch() (string, error) {
	tmp := filepath.Join(r.dir, tmpDirName)
	return tmp, os.MkdirAll(tmp, 0o700)
}

// gitDir returns the absolute path of the bare repository.
func (r *repo) gitDir() string { return r.dir }

// initBare makes an empty bare repository at path, HEAD on main.
func (r *repo) initBare(ctx context.Context) error {
	if _, err := r.run(ctx, nil, nil, "init", "--bare", "--quiet"); err != nil {
		return err
	}
	_, err := r.run(ctx, nil, nil, "symbolic-ref", "HEAD", MainRef)
	return err
}

// setConfig sets each key (section.name) to its value in the
// repository's own configuration.
//
// It reads the configuration first and writes only the settings that
// differ: git rewrites and syncs the file for every one, about 30 ms each
// on a disk, which every start would pay again.
func (r *repo) setConfig(ctx context.Context, settings [][2]string) error {
	out, err := r.run(ctx, nil, nil, "config", "--local", "--list", "-z")
	if err != nil {
		return err
	}
	current := map[string]string{}
	for _, rec := range strings.Split(string(out), "\x00") {
		key, value, _ := strings.Cut(rec, "\n")
		current[key] = value // git lists keys lower-cased (no subsections here)
	}
	for _, kv := range settings {
		if v, ok := current[strings.ToLower(kv[0])]; ok && v == kv[1] {
			continue
		}
		if _, err := r.run(ctx, nil, nil, "config", kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// resolve returns the object id the ref (a full name, such as
// refs/heads/main) points at, or "" when it does not exist.
func (r *repo) resolve(ctx context.Context, ref string) (string, error) {
	return r.revParse(ctx, ref)
}

// resolveCommit returns the commit named by rev, a hex object id or a
// prefix of one (a tag is peeled to its commit), or "" when rev names
// no commit or is ambiguous.
func (r *repo) resolveCommit(ctx context.Context, rev string) (string, error) {
	return r.revParse(ctx, rev+"^{commit}")
}

// revParse returns the object id rev names, or "" when it names none.
func (r *repo) revParse(ctx context.Context, rev string) (string, error) {
	out, err := r.run(ctx, nil, nil, "rev-parse", "--verify", "--quiet", rev)
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 {
			return "", nil
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// commitInfo returns a commit's subject (its first paragraph on one
// line, as git's %s) and committer time.
func (r *repo) commitInfo(ctx context.Context, commit string) (string, time.Time, error) {
	out, err := r.line(ctx, nil, "show", "-s", "--format=%ct %s", commit)
	if err != nil {
		return "", time.Time{}, err
	}
	secs, subject, _ := strings.Cut(out, " ")
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("git show: unexpected output %q", out)
	}
	return strings.TrimSpace(subject), time.Unix(n, 0).UTC(), nil
}

// lsTree lists every file of a commit's tree, recursively.
func (r *repo) lsTree(ctx context.Context, treeish string) ([]lsEntry, error) {
	out, err := r.run(ctx, nil, nil, "ls-tree", "-r", "-l", "-z", "--full-tree", treeish)
	if err != nil {
		return nil, err
	}
	var entries []lsEntry
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		// "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
		meta, p, ok := strings.Cut(string(rec), "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 4 {
			return nil, fmt.Errorf("git ls-tree: unexpected output %q", rec)
		}
		mode, err := strconv.ParseUint(f[0], 8, 32)
		if err != nil {
			return nil, fmt.Errorf("git ls-tree: bad mode in %q", rec)
		}
		size := int64(-1)
		if f[3] != "-" {
			if size, err = strconv.ParseInt(f[3], 10, 64); err != nil {
				return nil, fmt.Errorf("git ls-tree: bad size in %q", rec)
			}
		}
		entries = append(entries, lsEntry{mode: uint32(mode), oid: f[2], size: size, path: p})
	}
	return entries, nil
}

// readBlobs reads the blobs in one git process.
func (r *repo) readBlobs(ctx context.Context, oids []string) (map[string][]byte, error) {
	blobs := make(map[string][]byte, len(oids))
	if len(oids) == 0 {
		return blobs, nil
	}
	var in bytes.Buffer
	for _, oid := range oids {
		in.WriteString(oid)
		in.WriteByte('\n')
	}
	err := r.runStreams(ctx, &in, func(out io.Reader) error {
		br := bufio.NewReader(out)
		for range oids {
			// "<oid> SP <type> SP <size> LF <contents> LF", or "<oid> missing LF"
			header, err := br.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: short output: %w", err)
			}
			f := strings.Fields(header)
			if len(f) != 3 || f[1] != "blob" {
				return fmt.Errorf("git cat-file: cannot read blob: %s", strings.TrimSpace(header))
			}
			n, err := strconv.Atoi(f[2])
			if err != nil {
				return fmt.Errorf("git cat-file: bad header %q", header)
			}
			data := make([]byte, n+1)
			if _, err := io.ReadFull(br, data); err != nil {
				return fmt.Errorf("git cat-file: short blob %s: %w", f[0], err)
			}
			blobs[f[0]] = data[:n:n]
		}
		return nil
	}, "cat-file", "--batch", "--buffer")
	if err != nil {
		return nil, err
	}
	return blobs, nil
}

// readBlob returns the contents of one blob, through the repository's
// long-running cat-file process.
func (r *repo) readBlob(oid string) ([]byte, error) {
	return r.batch.read(r.git, r.dir, r.env, oid)
}

// close ends the repository's cat-file process; later readBlob calls fail.
func (r *repo) close() { r.batch.close() }

// writeBlobs writes the blobs to temporary files in the scratch folder
// (removed before it returns) and hashes them all with one git process.
func (r *repo) writeBlobs(ctx context.Context, datas [][]byte) ([]string, error) {
	if len(datas) == 0 {
		return nil, nil
	}
	if len(datas) == 1 {
		oid, err := r.line(ctx, datas[0], "hash-object", "-w", "--no-filters", "--stdin")
		if err != nil {
			return nil, err
		}
		return []string{oid}, nil
	}
	if len(datas) >= packThreshold {
		return r.writePack(ctx, datas)
	}
	tmp, err := r.scratch()
	if err != nil {
		return nil, fmt.Errorf("write blobs: %w", err)
	}
	dir, err := os.MkdirTemp(tmp, "blobs-")
	if err != nil {
		return nil, fmt.Errorf("write blobs: %w", err)
	}
	defer os.RemoveAll(dir)
	var paths bytes.Buffer
	for i, data := range datas {
		p := fmt.Sprintf("%s/%d", dir, i)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return nil, fmt.Errorf("write blobs: %w", err)
		}
		paths.WriteString(p)
		paths.WriteByte('\n')
	}
	out, err := r.run(ctx, paths.Bytes(), nil, "hash-object", "-w", "--no-filters", "--stdin-paths")
	if err != nil {
		return nil, err
	}
	oids := strings.Fields(string(out))
	if len(oids) != len(datas) {
		return nil, fmt.Errorf("git hash-object: %d ids for %d blobs", len(oids), len(datas))
	}
	return oids, nil
}

// packThreshold is how many blobs writeBlobs writes as one pack rather
// than as loose objects, as git's own receive.unpackLimit (100) does for
// pushes: a seed of 10,000 posts as loose objects means 10,000 files, each
// synced to disk (core.fsync), and as many for every later read to open.
const packThreshold = 100

// writePack stores datas as blobs in one pack with git fast-import (one
// process, one file synced) and returns their ids in order, which
// fast-import reports through its marks file.
func (r *repo) writePack(ctx context.Context, datas [][]byte) ([]string, error) {
	tmp, err := r.scratch()
	if err != nil {
		return nil, fmt.Errorf("write blobs: %w", err)
	}
	marks, err := os.CreateTemp(tmp, "marks-")
	if err != nil {
		return nil, fmt.Errorf("write blobs: %w", err)
	}
	marks.Close()
	defer os.Remove(marks.Name())
	// The stream refers to the blobs rather than copying them: a seed's
	// are all in memory already.
	in := make([]io.Reader, 0, 3*len(datas)+1)
	for i, data := range datas {
		in = append(in, strings.NewReader(fmt.Sprintf("blob\nmark :%d\ndata %d\n", i+1, len(data))),
			bytes.NewReader(data), strings.NewReader("\n"))
	}
	in = append(in, strings.NewReader("done\n"))
	err = r.runStreams(ctx, io.MultiReader(in...), func(out io.Reader) error {
		_, err := io.Copy(io.Discard, out)
		return err
	}, "fast-import", "--quiet", "--done", "--export-marks="+marks.Name())
	if err != nil {
		return nil, err
	}
	out, err := os.ReadFile(marks.Name())
	if err != nil {
		return nil, fmt.Errorf("write blobs: %w", err)
	}
	oids := make([]string, len(datas))
	for _, line := range strings.Split(string(out), "\n") {
		mark, oid, ok := strings.Cut(line, " ")
		n, err := strconv.Atoi(strings.TrimPrefix(mark, ":"))
		if ok && err == nil && n >= 1 && n <= len(datas) {
			oids[n-1] = oid
		}
	}
	for i, oid := range oids {
		if oid == "" {
			return nil, fmt.Errorf("git fast-import: no id for blob %d", i+1)
		}
	}
	return oids, nil
}

// writeTree uses a temporary index file in the scratch folder, so it never
// touches another index.
func (r *repo) writeTree(ctx context.Context, files []indexEntry) (string, error) {
	if err := checkTreeFiles(files); err != nil {
		return "", err
	}
	tmp, err := r.scratch()
	if err != nil {
		return "", fmt.Errorf("write tree: %w", err)
	}
	idx, err := os.CreateTemp(tmp, "index-")
	if err != nil {
		return "", fmt.Errorf("write tree: %w", err)
	}
	name := idx.Name()
	idx.Close()
	os.Remove(name) // git wants to create it; the unique name is what we need
	defer os.Remove(name)
	env := []string{"GIT_INDEX_FILE=" + name}
	var in bytes.Buffer
	for _, f := range files {
		fmt.Fprintf(&in, "%06o %s\t%s\x00", f.mode, f.oid, f.path)
	}
	if _, err := r.run(ctx, in.Bytes(), env, "update-index", "-z", "--add", "--index-info"); err != nil {
		return "", err
	}
	out, err := r.run(ctx, nil, env, "write-tree")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// commitTree writes a commit of tree with the given parent ("" for
// none) and message, by the store's identity, and returns its id.
func (r *repo) commitTree(ctx context.Context, tree, parent, message string) (string, error) {
	args := []string{"commit-tree", tree}
	if parent != "" {
		args = append(args, "-p", parent)
	}
	args = append(args, "-F", "-")
	return r.line(ctx, []byte(message), args...)
}

// writeTag checks and stores an annotated tag object given as its raw
// text (as git mktag takes it) and returns its id.
func (r *repo) writeTag(ctx context.Context, tag []byte) (string, error) {
	return r.line(ctx, tag, "mktag")
}

// updateRef moves ref to newID if it still points at oldID ("" = must
// not exist): a compare-and-swap under git's lock file protocol
// (ref.lock), so it excludes any git process too. A concurrent change
// or a held lock makes it fail with errRefMoved.
func (r *repo) updateRef(ctx context.Context, ref, newID, oldID, reason string) error {
	_, err := r.run(ctx, nil, nil, "update-ref", "-m", reason, ref, newID, oldID)
	if err == nil {
		return nil
	}
	cur, rerr := r.resolve(ctx, ref)
	var ge *gitError
	if rerr == nil && cur != oldID || errors.As(err, &ge) && strings.Contains(ge.stderr, "lock") {
		return fmt.Errorf("update %s: %w", ref, errRefMoved)
	}
	return fmt.Errorf("update %s: %w", ref, err)
}

// refNames lists the refs whose names start with prefix.
func (r *repo) refNames(ctx context.Context, prefix string) ([]string, error) {
	out, err := r.run(ctx, nil, nil, "for-each-ref", "--format=%(refname)", prefix)
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// tagMessages returns the refs under prefix, by name in descending
// order, at most limit (<= 0: all) of them, each with the message of the
// annotated tag it points at.
func (r *repo) tagMessages(ctx context.Context, prefix string, limit int) ([]taggedRef, error) {
	args := []string{"for-each-ref", "--sort=-refname", "--format=%(refname)%00%(contents)%00"}
	if limit > 0 {
		args = append(args, "--count="+strconv.Itoa(limit))
	}
	out, err := r.run(ctx, nil, nil, append(args, prefix)...)
	if err != nil {
		return nil, err
	}
	var refs []taggedRef
	for _, rec := range strings.Split(string(out), "\x00\n") {
		name, msg, ok := strings.Cut(rec, "\x00")
		if ok {
			refs = append(refs, taggedRef{name: name, message: msg})
		}
	}
	return refs, nil
}
