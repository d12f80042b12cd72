package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/store"
	"github.com/sshblog/sshblog/server"
)

// storeName is the blog's repository in the data directory; authors clone
// it as ssh://HOST:PORT/blog.git.
const storeName = "blog.git"

// Why publishing is off, told to authors who try and logged at start-up.
const (
	publishOffContent = "this server serves a folder read-only (--content)"
	publishOffNoGit   = "the git program is not installed"
)

// openContent sets m.Content, read-only or publishing to the blog's store,
// and says where the blog comes from:
//
//   - with --content DIR, the folder, read-only;
//   - else the blog's repository, DATA/blog.git, made on first start from
//     the seed (--seed DIR, else the embedded sample), with the git hooks
//     that validate pushes installed;
//   - without the git program, which the store needs, the seed (--seed DIR
//     or the embedded sample), read-only, so readers are still served.
func (m *Main) openContent(ctx context.Context) (string, error) {
	if dir := m.Config.ContentDir; dir != "" {
		snap, err := content.Load(os.DirFS(dir), "")
		if snap == nil { // with a snapshot, the errors are logged with the warnings
			return "", fmt.Errorf("load content from %s:\n%w", dir, err)
		}
		m.Content = server.ReadOnly(content.NewLibrary(snap), publishOffContent)
		if m.Config.SeedDir != "" {
			m.Logger.Info("seed ignored: --content serves a folder as it is", "seed", m.Config.SeedDir)
		}
		return dir, nil
	}

	seed, seedName := sample.FS(), "the embedded sample"
	if dir := m.Config.SeedDir; dir != "" {
		seed, seedName = os.DirFS(dir), dir
		if abs, err := filepath.Abs(dir); err == nil {
			seedName = abs // named in the first commit's message
		}
	}
	dir := filepath.Join(m.Config.DataDir, storeName)
	_, err := os.Stat(dir)
	existed := err == nil
	if existed && m.Config.SeedDir != "" {
		m.Logger.Info("seed ignored: the blog's repository exists and is the source of truth now", "seed", m.Config.SeedDir, "repository", dir)
	}

	st, err := store.Open(ctx, dir, seed, store.Options{Limits: m.Config.Limits, SeedName: seedName, Logger: m.Logger})
	switch {
	case errors.Is(err, store.ErrNoGit):
		return m.serveSeedReadOnly(seed, seedName, existed, dir)
	case err != nil && !existed:
		return "", fmt.Errorf("make the blog's repository %s from %s:\n%w", dir, seedName, err)
	case err != nil:
		return "", err
	}
	m.store = st // Close closes it, even if Run fails below
	m.Content = server.Publishing(st)

	command, err := m.hookCommand()
	if err != nil {
		return "", err
	}
	if err := store.InstallHooks(st.Dir(), command...); err != nil {
		return "", err
	}
	return st.Dir(), nil
}

// serveSeedReadOnly sets m.Content to the seed, read-only: the store keeps
// the blog in a git repository and drives it with the git program, so
// without git nothing is published (by git push, scp or sftp alike), and an
// existing repository cannot be read; readers still get the seed.
func (m *Main) serveSeedReadOnly(seed fs.FS, seedName string, existed bool, repoDir string) (string, error) {
	snap, err := content.Load(seed, "")
	if err != nil {
		return "", fmt.Errorf("load the seed %s (publishing is off: %s):\n%w", seedName, publishOffNoGit, err)
	}
	m.Content = server.ReadOnly(content.NewLibrary(snap), publishOffNoGit)
	m.Logger.Warn("the git program is not installed: serving " + seedName + " read-only; install git and restart to publish")
	if existed {
		m.Logger.Warn("the blog's repository is not served without git", "repository", repoDir)
	}
	return seedName, nil
}

// hookCommand returns the command git runs for the repository's hooks.
func (m *Main) hookCommand() ([]string, error) {
	if len(m.HookCommand) > 0 {
		return m.HookCommand, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this program's path for the blog's git hooks: %w", err)
	}
	return []string{exe, "hook"}, nil
}

// logPublishing says at start-up how to publish, and who may: how many
// authors there are and, when there is none, how to add one.
func (m *Main) logPublishing(addr net.Addr, authorsFile string) {
	st := m.Content.Store()
	if st == nil {
		m.Logger.Warn("publishing is off: " + m.Content.PublishOff())
		return
	}
	host, port := publicHostPort(m.Config.Listen, addr)
	clone, scp := "ssh://"+host+"/"+storeName, "scp post.md "+host+":posts/"
	if port != "22" {
		clone, scp = "ssh://"+net.JoinHostPort(host, port)+"/"+storeName, "scp -P "+port+" post.md "+host+":posts/"
	}
	m.Logger.Info("publish with: git clone "+clone+", or "+scp, "repository", st.Dir())
	if n := m.Authors.Count(); n > 0 {
		m.Logger.Info("authors", "keys", n, "file", authorsFile)
		return
	}
	m.Logger.Warn("no authors yet: add a public key to " + authorsFile + " or start with --author-key ~/.ssh/id_ed25519.pub")
}

// authorKeys reads the author keys the configuration names (files or
// literal keys); a bad one is an error naming where it came from.
func (c Config) authorKeys() ([]gossh.PublicKey, error) {
	var keys []gossh.PublicKey
	var errs []error
	for i, v := range c.AuthorKeys {
		ks, err := server.ParseAuthorKeys([]string{v})
		if err != nil {
			errs = append(errs, fmt.Errorf("invalid author key (from %s): %w", c.itemOrigin("author_keys", i), err))
			continue
		}
		keys = append(keys, ks...)
	}
	return keys, errors.Join(errs...)
}
