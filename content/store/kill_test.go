package store

import (
	"bufio"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content/upload/uploadtest"
)

// TestKillDuringApply kills (SIGKILL, the whole process group, git children
// included) a process that publishes in a loop, at a different moment each
// round, then reopens the store: main is the last good commit, its blog
// loads, nothing is locked or half-written, the repository is sound and
// the history records main.
func TestKillDuringApply(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "blog.git")
	s, err := Open(context.Background(), dir, testBlog(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	leftovers := 0
	rounds := 6
	if testing.Short() {
		rounds = 2 // the full loop runs without -short, as .ci/run does
	}
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), applyLoopEnv+"="+dir)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		for n := 0; n <= round; n++ { // wait for round+1 publishes
			if !lines.Scan() {
				t.Fatalf("round %d: the publishing process stopped: %v", round, cmd.Wait())
			}
		}
		// Not a wait for anything: it moves the kill to a different point of
		// the next publish each round.
		time.Sleep(time.Duration(round*7) * time.Millisecond)
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		// A git child in the middle of forking holds a copy of the lock's
		// descriptor until it has finished dying, after its parent.
		waitFor(t, "the killed processes to release the store's lock", 10*time.Second, func() bool {
			f, err := lockFile(dir + ".lock")
			if err == nil {
				f.Close()
			}
			return err == nil
		})

		leftovers += countStale(t, dir)
		s, err := Open(context.Background(), dir, nil, Options{})
		if err != nil {
			t.Fatalf("round %d: reopen after a kill: %v", round, err)
		}
		head := mainOf(t, dir)
		if s.Snapshot().Revision() != head {
			t.Fatalf("round %d: live %s, main %s", round, s.Snapshot().Revision(), head)
		}
		if n := countStale(t, dir); n != 0 {
			t.Fatalf("round %d: %d stale files after reopening", round, n)
		}
		if out, err := gitRun(dir, gitEnv(), "--git-dir="+dir, "fsck", "--no-dangling", "--no-progress"); err != nil {
			t.Fatalf("round %d: git fsck: %v\n%s", round, err, out)
		}
		if h, err := s.History(context.Background(), 1); err != nil || h[0].Revision != head {
			t.Fatalf("round %d: latest history entry %+v, main %s (%v)", round, h, head, err)
		}
		// Every file of main is whole: the loop writes posts and an image
		// together, and the blog only ever sees both.
		data, err := s.Files().ReadFile("images/loop.png")
		if err == nil {
			i := strings.TrimPrefix(string(data), string(uploadtest.Image("loop.png", 0))+"png ")
			if _, ok := s.Snapshot().Post("loop-" + i); !ok {
				t.Fatalf("round %d: image of publish %s without its post", round, i)
			}
		}
		s.Close()
	}
	t.Logf("%d stale files found and removed over the rounds", leftovers)
}

// countStale counts what a kill can leave: lock files, temporary objects,
// quarantines, the store's scratch folder.
func countStale(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if strings.HasSuffix(name, ".lock") || strings.HasPrefix(name, "tmp_") ||
			strings.HasPrefix(name, "incoming-") || name == tmpDirName && d.IsDir() && p != dir {
			n++
		}
		return nil
	})
	return n
}
