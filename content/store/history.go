package store

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"
)

// historyPrefix holds one ref per publish. The refs are hidden from clients
// (transfer.hideRefs), so clones and pushes never see or touch them, and
// they keep every published commit reachable: git gc never drops a
// published state, whatever is force-pushed to main.
const historyPrefix = "refs/sshblog/published/"

// Entry is one publish in the blog's history.
type Entry struct {
	Revision string       // the commit that became live
	Previous string       // main before it ("" for the first publish)
	Time     time.Time    // when it became live
	Author   Author       // the key that published it
	Via      string       // "sftp", "scp", "git push", "rollback", "seed", "recovery"
	Subject  string       // the commit's subject
	Files    []FileChange // what changed since Previous
}

// History returns the most recent publishes, newest first; limit <= 0
// returns all of them. Every state listed can be passed to Rollback.
func (s *Store) History(ctx context.Context, limit int) ([]Entry, error) {
	return history(ctx, s.repo, limit)
}

// history reads the history of r's blog.
func history(ctx context.Context, r *repo, limit int) ([]Entry, error) {
	refs, err := r.tagMessages(ctx, historyPrefix, limit)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	entries := make([]Entry, 0, len(refs))
	for _, ref := range refs {
		e, err := parseEntry(ref.message)
		if err != nil {
			return nil, fmt.Errorf("read history %s: %w", ref.name, err)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// record adds e to the history: a tag object holding e, under a new ref
// named by the time and commit, so concurrent writers (the server and the
// git hooks, separate processes) never collide.
func record(ctx context.Context, r *repo, e Entry) error {
	tag := fmt.Sprintf("object %s\ntype commit\ntag published\ntagger %s <%s> %d +0000\n\n%s",
		e.Revision, identityName, identityEmail, e.Time.Unix(), formatEntry(e))
	id, err := r.writeTag(ctx, []byte(tag))
	if err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	ref := fmt.Sprintf("%s%019d-%s", historyPrefix, e.Time.UnixNano(), short(e.Revision))
	if err := r.updateRef(ctx, ref, id, "", "sshblog: record publish"); err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	return nil
}

// recorded reports whether commit has a history entry.
func recorded(ctx context.Context, r *repo, commit string) (bool, error) {
	refs, err := r.refNames(ctx, historyPrefix)
	if err != nil {
		return false, fmt.Errorf("read history: %w", err)
	}
	suffix := "-" + short(commit)
	for _, ref := range refs {
		if strings.HasSuffix(ref, suffix) {
			return true, nil
		}
	}
	return false, nil
}

// ensureRecorded records st's commit when it has no history entry: a kill
// between moving main and recording, or a push whose post-receive hook did
// not run.
func (s *Store) ensureRecorded(ctx context.Context, st *state) error {
	ok, err := recorded(ctx, s.repo, st.commit)
	if err != nil || ok {
		return err
	}
	subject, _, err := s.repo.commitInfo(ctx, st.commit)
	if err != nil {
		return fmt.Errorf("record history: %w", err)
	}
	e := Entry{Revision: st.commit, Time: time.Now().UTC(), Via: "recovery", Subject: subject}
	if latest, err := history(ctx, s.repo, 1); err == nil && len(latest) == 1 {
		e.Previous = latest[0].Revision
		if prev, err := listFiles(ctx, s.repo, e.Previous); err == nil {
			e.Files = diffFiles(prev, st.tree.files)
		}
	}
	s.log.Info("recording main in the history at start-up", "revision", short(st.commit))
	return record(ctx, s.repo, e)
}

// formatEntry writes e as the tag message: "name value" lines, a blank
// line, then one "status<TAB>path" line per file. Every value is one line.
func formatEntry(e Entry) string {
	var b strings.Builder
	field := func(name, value string) { fmt.Fprintf(&b, "%s %s\n", name, oneLine(value)) }
	field("revision", e.Revision)
	field("previous", e.Previous)
	field("time", e.Time.UTC().Format(time.RFC3339Nano))
	field("key", e.Author.Fingerprint)
	field("comment", e.Author.Comment)
	field("via", e.Via)
	field("subject", e.Subject)
	b.WriteString("\n")
	for _, f := range e.Files {
		fmt.Fprintf(&b, "%s\t%s\n", f.Status, oneLine(f.Path))
	}
	return b.String()
}

// parseEntry reads a tag message written by formatEntry.
func parseEntry(msg string) (Entry, error) {
	var e Entry
	sc := bufio.NewScanner(strings.NewReader(msg))
	sc.Buffer(nil, 1<<20)
	header := true
	for sc.Scan() {
		line := sc.Text()
		if header {
			if line == "" {
				header = false
				continue
			}
			name, value, _ := strings.Cut(line, " ")
			switch name {
			case "revision":
				e.Revision = value
			case "previous":
				e.Previous = value
			case "time":
				t, err := time.Parse(time.RFC3339Nano, value)
				if err != nil {
					return e, fmt.Errorf("bad time %q", value)
				}
				e.Time = t
			case "key":
				e.Author.Fingerprint = value
			case "comment":
				e.Author.Comment = value
			case "via":
				e.Via = value
			case "subject":
				e.Subject = value
			}
			continue
		}
		status, p, ok := strings.Cut(line, "\t")
		if ok {
			e.Files = append(e.Files, FileChange{Path: p, Status: Status(status)})
		}
	}
	if e.Revision == "" {
		return e, fmt.Errorf("no revision")
	}
	return e, sc.Err()
}
