package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sshblog/sshblog/content"
)

// cacheDirName is the store's folder of derived data inside the
// repository, keyed by commit. Everything in it can be rebuilt from the
// repository; a missing or unreadable file only costs time.
const cacheDirName = "sshblog-cache"

// problemsPrefix names the file holding a published commit's problems:
// problems-<commit>.json. The pre-receive hook, a separate process, reads
// it to tell the problems a push introduces from those already published
// without loading the published blog again.
const problemsPrefix = "problems-"

// writeProblems records the problems of the live commit for the hooks and
// removes the records of earlier commits. Failing only costs the hooks
// time, so it is logged, not returned.
func (s *Store) writeProblems(st *state) {
	dir := filepath.Join(s.dir, cacheDirName)
	data, err := json.Marshal(st.snap.Warnings())
	if err == nil {
		err = os.MkdirAll(dir, 0o700)
	}
	name := problemsPrefix + st.commit + ".json"
	if err == nil {
		err = writeFileAtomic(filepath.Join(dir, name), data, 0o600)
	}
	if err != nil {
		s.log.Warn("cache the published problems", "err", err)
		return
	}
	old, _ := filepath.Glob(filepath.Join(dir, problemsPrefix+"*.json"))
	for _, p := range old {
		if filepath.Base(p) != name {
			os.Remove(p)
		}
	}
}

// readProblems returns the problems writeProblems recorded for commit in
// the repository at repoDir.
func readProblems(repoDir, commit string) ([]content.Problem, bool) {
	if strings.ContainsAny(commit, "/\\.") {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(repoDir, cacheDirName, problemsPrefix+commit+".json"))
	if err != nil {
		return nil, false
	}
	var problems []content.Problem
	if err := json.Unmarshal(data, &problems); err != nil {
		return nil, false
	}
	return problems, true
}

// docCacheName names the file of the parse cache (content.DocCache) of the
// posts and pages Open last loaded, valid for this program's build only.
const docCacheName = "docs.gob"

// buildVersion names this program's build for the parse cache, which
// another build (that may parse differently) must not use: the
// executable's path, size and time.
func buildVersion() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	info, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s %d %d", exe, info.Size(), info.ModTime().UnixNano())
}

// readDocCache returns the parse cache Open wrote last, or nil when there
// is none this build can use.
func (s *Store) readDocCache() *content.DocCache {
	v := buildVersion()
	if v == "" {
		return nil
	}
	f, err := os.Open(filepath.Join(s.dir, cacheDirName, docCacheName))
	if err != nil {
		return nil
	}
	defer f.Close()
	c, err := content.ReadDocCache(bufio.NewReader(f), v)
	if err != nil {
		s.log.Info("parsing every post: the parse cache is not usable", "err", err)
		return nil
	}
	return c
}

// writeDocCache replaces the parse cache with c. Failing only costs the
// next start time, so it is logged, not returned.
func (s *Store) writeDocCache(c *content.DocCache) {
	v := buildVersion()
	if v == "" {
		return
	}
	var buf bytes.Buffer
	err := c.WriteTo(&buf, v)
	dir := filepath.Join(s.dir, cacheDirName)
	if err == nil {
		err = os.MkdirAll(dir, 0o700)
	}
	if err == nil {
		err = writeFileAtomic(filepath.Join(dir, docCacheName), buf.Bytes(), 0o600)
	}
	if err != nil {
		s.log.Warn("write the parse cache", "err", err)
	}
}
