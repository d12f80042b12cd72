package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/render/audit"
	"github.com/sshblog/sshblog/server/servertest"
)

// corpusEnv names the folder of real blogs (see scripts/corpus-report)
// that TestSeedARealBlogAndReadEveryPost reads. The blogs are other
// people's, most without a licence to copy them here, so they are never in
// the repository and the test runs only where someone has checked them out.
const corpusEnv = "SSHBLOG_CORPUS"

// seedAuthorsBlog is the seed author's own blog, gaocegege/Blog as it is
// on GitHub (433ab8d), and the posts Jekyll publishes from it.
const (
	seedAuthorsBlog  = "gaocegege-Blog"
	seedAuthorsPosts = 162
)

// percentRE is the reader's position at the end of its status line.
var percentRE = regexp.MustCompile(`(\d+)%\s*$`)

// TestSeedARealBlogAndReadEveryPost is issue 7's "done when": sshblog
// --seed from the seed author's whole Jekyll blog publishes all its posts,
// and every one of them reads through the real OpenSSH client without
// leftover markup. It scrolls through each post in tmux and audits every
// screen with the same audit as check --render.
func TestSeedARealBlogAndReadEveryPost(t *testing.T) {
	corpus := os.Getenv(corpusEnv)
	if corpus == "" {
		t.Skipf("%s is not set: it names a folder of real blogs (%s among them), which cannot be committed", corpusEnv, seedAuthorsBlog)
	}
	requireTools(t, "ssh", "tmux", "git")
	dir := filepath.Join(corpus, seedAuthorsBlog)
	snap, err := content.Load(publishedFiles{os.DirFS(dir)}, "")
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	posts := snap.Posts()

	m, logs, err := tryBootConfigured(t, t.TempDir(), func(c *Config) { c.SeedDir = dir })
	if err != nil {
		t.Fatalf("serve --seed %s: %v\nlog:\n%s", dir, err, logs)
	}
	o := newOpenSSH(t, m)

	cmd := exec.Command("ssh", o.command([]string{"-T"}, "ls")...)
	cmd.Stdin = strings.NewReader("")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ssh host ls: %v\n%s", err, stderr.String())
	}
	listed := 0
	for _, p := range posts {
		if strings.Contains(string(out), p.Slug) {
			listed++
		}
	}
	if len(posts) != seedAuthorsPosts || listed != seedAuthorsPosts {
		t.Errorf("%d posts loaded, %d of them in ssh host ls; want all %d that Jekyll publishes", len(posts), listed, seedAuthorsPosts)
	}

	const width, height = 100, 50
	shell := "ssh " + servertest.ShellCommand(o.command([]string{"-t"})...) + `; echo "[ssh exited: $?]"; exec cat`
	x := tmux{servertest.StartTmux(t, width, height, shell)}
	x.waitFor(t, snap.Site().Title)
	x.Keys(t, "Enter") // the newest post
	opt := audit.Options{BaseURL: snap.Site().BaseURL}
	var problems []string
	prev := ""
	for i, p := range posts {
		if i > 0 {
			x.Keys(t, "]") // the next, older post
		}
		screen := x.readerScreen(t, p, prev)
		source := auditSource(snap, p)
		// Half a page at a time, so that a formula up to half a screen
		// tall is whole on some screen: it is missing only when no screen
		// shows it.
		screens, missing := 0, map[string]int{}
		for {
			screens++
			gone := map[string]bool{} // a formula the source has twice counts once a screen
			for _, f := range audit.Leftovers(source, screen, opt) {
				switch f.Kind {
				case audit.Math:
					gone[f.Text] = true
				case audit.Empty: // a screen is part of the post: check --render sees it whole
				default:
					problems = append(problems, fmt.Sprintf("%s (screen %d): %s: %s", p.Path, screens, f.Kind, f.Text))
				}
			}
			for tex := range gone {
				missing[tex]++
			}
			if percent(screen) == "100" || screens > 1000 {
				break
			}
			x.Keys(t, "d")
			screen = x.nextScreen(t, screen)
		}
		for tex, n := range missing {
			if n == screens {
				problems = append(problems, fmt.Sprintf("%s: math not shown as written: %s", p.Path, tex))
			}
		}
		prev = screen
	}
	if len(problems) > 0 {
		t.Errorf("%d leftovers on the screens of %s:\n%s", len(problems), seedAuthorsBlog, strings.Join(problems, "\n"))
	}
}

// percent returns the reader's position on screen ("" when it shows none).
func percent(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-3; i-- {
		if m := percentRE.FindStringSubmatch(lines[i]); m != nil {
			return m[1]
		}
	}
	return ""
}

// readerScreen waits for the reader to show p, rendered (a position on the
// status line), on a screen that is not prev, and returns the screen.
func (x tmux) readerScreen(t *testing.T, p *content.Post, prev string) string {
	t.Helper()
	title := xansi.Truncate(strings.Join(strings.Fields(p.Title), " "), 40, "")
	var last string
	servertest.WaitUntil(t, waitTimeout, func() bool {
		last = x.Capture(t)
		return last != prev && strings.Contains(strings.Join(strings.Fields(last), " "), title) && percent(last) != ""
	}, func() string { return fmt.Sprintf("the reader never showed %s (%q):\n%s", p.Path, title, last) })
	return last
}

// nextScreen waits for the screen to change from prev after a key, and
// returns it.
func (x tmux) nextScreen(t *testing.T, prev string) string {
	t.Helper()
	var last string
	servertest.WaitUntil(t, waitTimeout, func() bool {
		last = x.Capture(t)
		return last != prev && percent(last) != ""
	}, func() string { return "the screen did not move on:\n" + last })
	return last
}
