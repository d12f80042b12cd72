package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/sshblog/sshblog/content"
)

// TestProgram runs the Model in a real Bubble Tea program (teatest's fake
// terminal): the first screen, opening a post, a published snapshot arriving
// through Program.Send as the server sends it, then q back and q quit.
func TestProgram(t *testing.T) {
	blog := testBlog()
	tm := teatest.NewTestModel(t, New(Options{Snapshot: blog, Renderer: &wrapRenderer{}}),
		teatest.WithInitialTermSize(80, 24))
	waitFor := func(words ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			// The renderer moves the cursor instead of writing spaces:
			// compare without escape sequences and spaces.
			out := strings.ReplaceAll(ansi.Strip(string(b)), " ", "")
			for _, w := range words {
				if !strings.Contains(out, w) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("Alpharelease", "Gammarays")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("line1ofalpha", "3minread")
	tm.Send(SnapshotMsg{Snapshot: publish(blog, func(ps []*content.Post) []*content.Post {
		return append(ps, newPost("delta", "Delta", "2021-04-01", nil, 3, nil))
	})})
	waitFor("1newpost")
	tm.Type("q")
	waitFor("Delta")
	tm.Type("q")
	m, ok := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if !ok {
		t.Fatal("final model is not a *Model")
	}
	if m.reader != nil || len(m.stacks[m.active]) != 1 {
		t.Fatal("q did not leave the reader before quitting")
	}
	if len(m.snap.Posts()) != 4 {
		t.Fatal("the published snapshot was not taken")
	}
}
