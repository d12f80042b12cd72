package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/upload"
)

// ErrConflict is returned (wrapped) when the blog changed between reading
// main and moving it, so the change was not published: someone else
// published first. The client should fetch the latest version and try again.
var ErrConflict = errors.New("the blog changed while you were publishing; nothing was changed: fetch the latest version (git pull) and try again")

// Status says how a file changed.
type Status string

// File statuses.
const (
	Added    Status = "added"
	Modified Status = "modified"
	Removed  Status = "removed"
)

// FileChange is one file a publish changed.
type FileChange struct {
	Path   string
	Status Status
}

// Result describes a successful Apply, Rollback or Refresh.
type Result struct {
	Revision string            // main's commit after the call
	Snapshot *content.Snapshot // the live snapshot after the call (already published to the Library)
	Changed  bool              // false when the blog was already in this state: nothing was committed
	Files    []FileChange      // the files that changed, by path
	Warnings []content.Problem // non-fatal problems of the published blog, "file:line: warning: ..."
}

// Apply publishes change, made by author: it maps and checks every path,
// applies the upload rules (upload.Rules.Target and CheckTree), builds the
// candidate tree (main's tree plus the change), validates the whole blog
// with content.Load and only then writes a commit and moves main (a
// compare-and-swap). The commit message says what changed, over which
// transport and by which key.
//
// Invalid input gives a *content.ValidationError listing every problem
// ("posts/x.md:3: message"; upload rule problems first, then, if those pass,
// the blog's); a concurrent publish gives ErrConflict. Either way nothing
// changes. Applies are serialised; a git push in between is caught by the
// compare-and-swap.
func (s *Store) Apply(ctx context.Context, change Change, author Author) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	base, err := s.sync(ctx)
	if err != nil {
		return Result{}, err
	}
	files := maps.Clone(base.tree.files)
	if problems := applyOps(files, change.Ops, s.rules); len(problems) > 0 {
		return Result{}, &content.ValidationError{Problems: problems}
	}
	via := oneLine(change.Via)
	if via == "" {
		via = "upload"
	}
	return s.publish(ctx, base, files, "", via, author, judgeChange)
}

// revPattern is what Rollback accepts: a commit id or an unambiguous prefix
// of one, as History shows them. Nothing else reaches git's command line.
var revPattern = regexp.MustCompile(`^[0-9a-f]{4,64}$`)

// Rollback republishes the state of commit rev (an id from History, or an
// unambiguous prefix of at least 4 hex digits) as a new commit on top of
// main, "Roll back to <rev>", validated like any change.
func (s *Store) Rollback(ctx context.Context, rev string, author Author) (Result, error) {
	if !revPattern.MatchString(rev) {
		return Result{}, &content.ValidationError{Problems: []content.Problem{{
			Message: fmt.Sprintf("%q is not a revision: give a commit id from the history", rev)}}}
	}
	commit, err := s.repo.resolveCommit(ctx, rev)
	if err != nil {
		return Result{}, fmt.Errorf("roll back to %s: %w", rev, err)
	}
	if commit == "" { // unknown, or a prefix shared by several objects
		return Result{}, &content.ValidationError{Problems: []content.Problem{{
			Message: fmt.Sprintf("no published state %s: see the history for the revisions (give more digits if it is short)", rev)}}}
	}
	subject, _, err := s.repo.commitInfo(ctx, commit)
	if err != nil {
		return Result{}, fmt.Errorf("roll back to %s: %w", rev, err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	base, err := s.sync(ctx)
	if err != nil {
		return Result{}, err
	}
	old, err := readTree(ctx, s.repo, commit, base, nil)
	if err != nil {
		return Result{}, fmt.Errorf("roll back to %s: %w", rev, err)
	}
	msg := fmt.Sprintf("Roll back to %s (%s)", short(commit), oneLine(subject))
	return s.publish(ctx, base, maps.Clone(old.files), msg, "rollback", author, judgeRollback)
}

// Refresh loads main after it moved outside the store (a git push: the
// transport calls Refresh once git-receive-pack has finished) and publishes
// its snapshot. When main has not moved it returns the live state with
// Changed false. The push itself is recorded in the history by the
// post-receive hook (see RunHook).
func (s *Store) Refresh(ctx context.Context) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.cur.Load()
	st, err := s.sync(ctx)
	if err != nil {
		return Result{}, err
	}
	res := Result{Revision: st.commit, Snapshot: st.snap, Warnings: st.snap.Warnings()}
	if st != prev {
		res.Changed = true
		res.Files = diffFiles(prev.tree.files, st.tree.files)
	}
	return res, nil
}

// sync returns the live state, first loading main if it moved outside the
// store (a push). Callers hold s.mu.
func (s *Store) sync(ctx context.Context) (*state, error) {
	cur := s.cur.Load()
	commit, err := s.repo.resolve(ctx, MainRef)
	if err != nil {
		return nil, fmt.Errorf("read main: %w", err)
	}
	if commit == cur.commit {
		return cur, nil
	}
	if commit == "" {
		return nil, fmt.Errorf("read main: the branch is gone")
	}
	st, err := s.loadCached(ctx, commit, cur)
	if err != nil {
		return nil, fmt.Errorf("load main %s: %w", short(commit), err)
	}
	s.cur.Store(st)
	s.writeProblems(st)
	s.lib.Publish(st.snap)
	s.log.Info("loaded main after a push", "revision", short(commit))
	return st, nil
}

// judgeMode says how publish judges a candidate's problems.
type judgeMode int

const (
	// judgeChange refuses what the change introduces (upload.Ratchet):
	// errors in the files it adds or changes, and blog-wide problems the
	// published state did not have.
	judgeChange judgeMode = iota
	// judgeSeed is the first publish, from the operator's blog folder:
	// only what cannot be stored is refused (upload.Rules.CheckSeed);
	// everything content.Load finds is a warning (upload.Seeded).
	judgeSeed
	// judgeRollback republishes a state that was published, whose
	// problems were accepted then: only blog-wide problems refuse it.
	judgeRollback
)

// judge validates the candidate cand against the published state, its
// files (path → blob; contents are not needed) and the problems its
// snapshot has, as mode says, and returns the candidate's snapshot and the
// problems to report, errors (which refuse it) and warnings. Apply,
// Rollback, seeding and the pre-receive hook all judge with it.
//
// The candidate is loaded with content.LoadCached: the posts and pages
// docs (the published state's parses; nil for none) knows are not parsed
// again, and the candidate's parses come back for the next load.
func judge(rules upload.Rules, baseFiles map[string]*blob, published []content.Problem, cand *Tree, mode judgeMode, docs *content.DocCache) (*content.Snapshot, []content.Problem, *content.DocCache, error) {
	changed := func(p string) bool {
		if mode == judgeRollback {
			return false
		}
		b, o := cand.files[p], baseFiles[p]
		return o == nil || b == nil || b.oid == "" || b.oid != o.oid || b.mode != o.mode
	}
	var problems []content.Problem
	if mode == judgeSeed {
		problems = rules.CheckSeed(cand)
	} else {
		// The upload rules judge a file by its bytes and the limits: an
		// unchanged file passed them when it was published.
		problems = upload.Ratchet(rules.CheckChanges(cand, func(p string) bool { return !changed(p) }),
			changed, func(content.Problem) bool { return true })
	}
	if hasErrors(problems) {
		return nil, problems, nil, nil
	}
	snap, docs, err := content.LoadCached(cand, "", docs)
	var ve *content.ValidationError
	switch {
	case err != nil && snap == nil && errors.As(err, &ve):
		return nil, append(problems, ve.Problems...), nil, nil
	case err != nil && snap == nil:
		return nil, nil, nil, fmt.Errorf("validate the blog: %w", err)
	}
	loaded := snap.Warnings() // every problem Load found, errors too
	switch mode {
	case judgeSeed:
		loaded = upload.Seeded(loaded)
	case judgeRollback:
		loaded = upload.Ratchet(loaded, changed, func(content.Problem) bool { return true })
	default:
		loaded = upload.Ratchet(loaded, changed, upload.ProblemSet(published))
	}
	return snap, append(problems, loaded...), docs, nil
}

// publish validates the candidate files and, when the change introduces no
// error (see judge) and differs from base, commits them on top of base,
// moves main with a compare-and-swap, records the publish in the history,
// and makes the new state live. subject overrides the commit subject ("" =
// describe the changed files). Callers hold s.mu (or own the store alone).
func (s *Store) publish(ctx context.Context, base *state, files candidate, subject, via string, author Author, mode judgeMode) (Result, error) {
	now := time.Now().UTC()
	if err := fillContents(ctx, s.repo, files, s.docs); err != nil {
		return Result{}, fmt.Errorf("read the blog: %w", err)
	}
	cand := newTree(s.repo, "", now, files)
	var published []content.Problem
	if base.snap != nil {
		published = base.snap.Warnings()
	}
	snap, warnings, docs, err := judge(s.rules, base.tree.files, published, cand, mode, s.docs)
	if err != nil {
		return Result{}, err
	}
	if hasErrors(warnings) {
		return Result{}, &content.ValidationError{Problems: warnings}
	}

	// Valid: store the new blobs, then the tree.
	paths := sortedPaths(files)
	var fresh []string
	var datas [][]byte
	for _, p := range paths {
		if b := files[p]; b.oid == "" {
			fresh = append(fresh, p)
			datas = append(datas, b.data)
		}
	}
	oids, err := s.repo.writeBlobs(ctx, datas)
	if err != nil {
		return Result{}, fmt.Errorf("publish: %w", err)
	}
	for i, p := range fresh {
		b := files[p] // a put's blob; replaced so no blob is changed once made
		files[p] = &blob{mode: b.mode, oid: oids[i], size: b.size, data: b.data}
	}
	changes := diffFiles(base.tree.files, files)
	if len(changes) == 0 {
		return Result{Revision: base.commit, Snapshot: base.snap, Warnings: warnings}, nil
	}
	entries := make([]indexEntry, len(paths))
	for i, p := range paths {
		entries[i] = indexEntry{mode: files[p].mode, oid: files[p].oid, path: p}
	}
	tree, err := s.repo.writeTree(ctx, entries)
	if err != nil {
		return Result{}, fmt.Errorf("publish: %w", err)
	}
	if subject == "" {
		subject = describe(changes)
	}
	commit, err := s.repo.commitTree(ctx, tree, base.commit, commitMessage(subject, via, author, changes))
	if err != nil {
		return Result{}, fmt.Errorf("publish: %w", err)
	}
	if err := s.repo.updateRef(ctx, MainRef, commit, base.commit, "sshblog: "+subject); err != nil {
		if errors.Is(err, errRefMoved) {
			return Result{}, fmt.Errorf("publish: %w", ErrConflict)
		}
		return Result{}, fmt.Errorf("publish: %w", err)
	}
	// Published. The history entry keeps the commit reachable for good; if
	// it cannot be written now, the next Open records main.
	entry := Entry{Revision: commit, Previous: base.commit, Time: now, Author: author, Via: via, Subject: subject, Files: changes}
	if err := record(ctx, s.repo, entry); err != nil {
		s.log.Warn("history not recorded", "revision", short(commit), "err", err)
		warnings = append(warnings, content.Problem{Warning: true,
			Message: "published, but the history could not record it yet: " + err.Error()})
	}
	dropContents(files)
	// The candidate becomes the live tree (the snapshot's posts read their
	// bodies through it); nothing shares it yet.
	cand.revision = commit
	st := &state{commit: commit, tree: cand, snap: withRevision(snap, commit)}
	s.docs = docs
	if mode == judgeSeed {
		s.writeDocCache(docs) // the first restart reads it
	}
	s.cur.Store(st)
	s.writeProblems(st)
	if s.lib != nil {
		s.lib.Publish(st.snap)
	}
	return Result{Revision: commit, Snapshot: st.snap, Changed: true, Files: changes, Warnings: warnings}, nil
}

// withRevision returns snap named by revision. content.Load names a
// snapshot when it builds it, but a candidate is validated before its
// commit exists.
func withRevision(snap *content.Snapshot, revision string) *content.Snapshot {
	return snap.WithRevision(revision)
}

// diffFiles lists the files that differ between two trees, by path.
func diffFiles(old, new map[string]*blob) []FileChange {
	var changes []FileChange
	for p, b := range new {
		o, ok := old[p]
		switch {
		case !ok:
			changes = append(changes, FileChange{Path: p, Status: Added})
		case o.oid != b.oid || o.mode != b.mode:
			changes = append(changes, FileChange{Path: p, Status: Modified})
		}
	}
	for p := range old {
		if _, ok := new[p]; !ok {
			changes = append(changes, FileChange{Path: p, Status: Removed})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes
}

// describe summarises changes as a commit subject: "add posts/a.md",
// "update site.yaml, remove posts/b.md", or counts when there are many.
func describe(changes []FileChange) string {
	verb := map[Status]string{Added: "add", Modified: "update", Removed: "remove"}
	if len(changes) <= 3 {
		parts := make([]string, len(changes))
		for i, c := range changes {
			parts[i] = verb[c.Status] + " " + c.Path
		}
		return strings.Join(parts, ", ")
	}
	count := map[Status]int{}
	for _, c := range changes {
		count[c.Status]++
	}
	var parts []string
	for _, st := range []Status{Added, Modified, Removed} {
		if count[st] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", verb[st], count[st]))
		}
	}
	return strings.Join(parts, ", ") + " files"
}

// commitMessage is the message of a published commit: the subject, who
// published over what, and the files.
func commitMessage(subject, via string, author Author, changes []FileChange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nPublished over %s by %s.\n\n", oneLine(subject), via, author)
	const shown = 100
	for i, c := range changes {
		if i == shown {
			fmt.Fprintf(&b, "... and %d more\n", len(changes)-shown)
			break
		}
		fmt.Fprintf(&b, "%-8s %s\n", c.Status, oneLine(c.Path))
	}
	return b.String()
}

// sortedPaths returns the paths of files, sorted.
func sortedPaths(files candidate) []string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// hasErrors reports whether any problem is an error, not a warning.
func hasErrors(problems []content.Problem) bool { return content.ErrorCount(problems) > 0 }
