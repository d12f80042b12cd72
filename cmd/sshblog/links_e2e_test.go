package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/server/servertest"
)

// linksBlog is a Jekyll folder with a long post of a dozen sections and a
// short one.
func linksBlog(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("---\ntitle: A long read\n---\nIntro paragraph.\n\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "## Part %d 第%d部分\n\n", i, i)
		for j := 1; j <= 6; j++ {
			fmt.Fprintf(&b, "Paragraph %d of part %d, long enough to take a line of its own.\n\n", j, i)
		}
	}
	b.WriteString("Deployment notes: 部署 at the very end.\n")
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"_config.yml":                    "title: Links Blog\n",
		"_posts/2024-01-01-long-read.md": b.String(),
		"_posts/2023-01-01-short.md":     "---\ntitle: A short note\n---\nShort.\n",
	})
	return dir
}

// TestDirectLinksAndOutlineWithOpenSSHInTmux opens the UI on a post, a
// section, a search and a wrong slug through the real ssh client, and
// moves through a post with its outline.
func TestDirectLinksAndOutlineWithOpenSSHInTmux(t *testing.T) {
	t.Parallel()
	requireTools(t, "ssh", "tmux")
	blog := linksBlog(t)
	m, logs, err := tryBootConfigured(t, t.TempDir(), func(c *Config) { c.ContentDir = blog })
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, logs)
	}
	o := newOpenSSH(t, m)
	open := func(t *testing.T, cmd ...string) tmux {
		shell := "ssh " + servertest.ShellCommand(o.command([]string{"-t"}, cmd...)...) + `; echo "[ssh exited: $?]"; exec cat`
		return tmux{servertest.StartTmux(t, 100, 30, shell)}
	}

	t.Run("a post, its outline, and back to the list", func(t *testing.T) {
		x := open(t, "long-read")
		x.waitFor(t, "A long read", "Intro paragraph.")
		x.Keys(t, "o")
		x.waitFor(t, "Outline · A long read", "Part 1 第1部分", "Part 12 第12部分")
		x.Keys(t, "/", "P", "a", "r", "t", " ", "9", "Enter", "Enter")
		x.waitGone(t, "Outline · A long read")
		x.waitFor(t, "## Part 9 第9部分", "Paragraph 1 of part 9")
		x.waitGone(t, "Intro paragraph.")
		x.Keys(t, "q") // to the list, as if opened from it
		x.waitFor(t, "Links Blog", "A long read", "A short note")
		x.Keys(t, "q")
		x.waitFor(t, "[ssh exited: 0]")
	})

	t.Run("a section", func(t *testing.T) {
		x := open(t, "tags")
		x.waitFor(t, "Links Blog", "No tags yet.")
		x.Keys(t, "1")
		x.waitFor(t, "A short note")
		x.Keys(t, "q")
		x.waitFor(t, "[ssh exited: 0]")
	})

	t.Run("an unknown slug", func(t *testing.T) {
		x := open(t, "lnog-read")
		x.waitFor(t, "A short note", "no post “lnog-read”; did you mean “long-read”?")
		x.Keys(t, "q")
		x.waitFor(t, "[ssh exited: 0]")
	})

	t.Run("a search, to the match", func(t *testing.T) {
		x := open(t, "search", "部署")
		x.waitFor(t, "Search all: 部署", "A long read", "Deployment notes")
		x.Keys(t, "Enter", "Enter")
		// The reader's status: match 1 of 1 ("1/1" alone is the hits').
		x.waitFor(t, "1/1 · 100%", "Deployment notes: 部署 at the very end.")
		// Each escape waits for the one before to show: a key right after
		// an escape reads as alt+key.
		x.Keys(t, "Escape") // ends the search in the post
		x.waitGone(t, "1/1 · 100%")
		x.Keys(t, "Escape") // leaves the post
		x.waitFor(t, "Search all: 部署", "1 hit")
		x.Keys(t, "Escape") // leaves the hits
		x.waitFor(t, "A short note")
		x.Keys(t, "q")
		x.waitFor(t, "[ssh exited: 0]")
	})

	t.Run("a command with a terminal stays a command", func(t *testing.T) {
		x := open(t, "ls")
		x.waitFor(t, "long-read", "[ssh exited: 0]")
	})
}
