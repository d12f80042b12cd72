package main

import (
	"testing"

	"github.com/sshblog/sshblog/server/servertest"
)

// TestReadAPageWithOpenSSHInTmux serves a Jekyll blog folder with an
// about page and reads it, and a post's subtitle, through the real ssh
// client: the Pages tab is there, 5 opens it, enter reads the page.
func TestReadAPageWithOpenSSHInTmux(t *testing.T) {
	t.Parallel()
	requireTools(t, "ssh", "tmux")
	blog := t.TempDir()
	writeTree(t, blog, map[string]string{
		"_config.yml": "title: Jekyll With Pages\n",
		"_posts/2021-03-01-hello.md": "---\ntitle: Hello there\nsubtitle: A subtitle under the title\n---\n" +
			"The first post.\n\nOnly the reader shows this paragraph.\n",
		"about.md": "---\ntitle: About me\nlayout: page\n---\nI write about databases and terminals.\n",
	})
	m, logs, err := tryBootConfigured(t, t.TempDir(), func(c *Config) { c.ContentDir = blog })
	if err != nil {
		t.Fatalf("Run: %v\nlog:\n%s", err, logs)
	}
	o := newOpenSSH(t, m)
	shell := "ssh " + servertest.ShellCommand(o.command([]string{"-t"})...) + `; echo "[ssh exited: $?]"; exec cat`
	x := tmux{servertest.StartTmux(t, 100, 30, shell)}

	x.waitFor(t, "Jekyll With Pages", "Tags  Pages", "Hello there  A subtitle under the title")
	x.Keys(t, "Enter")
	x.waitFor(t, "A subtitle under the title", "Only the reader shows this paragraph.")
	x.Keys(t, "q")
	x.waitGone(t, "Only the reader shows this paragraph.")
	x.Keys(t, "5")
	x.waitFor(t, "About me")
	x.Keys(t, "Enter")
	x.waitFor(t, "I write about databases and terminals.")
	x.Keys(t, "q", "q")
	x.waitFor(t, "[ssh exited: 0]")
}
