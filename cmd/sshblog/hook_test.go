package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sshblog/sshblog/content/sample"
	"github.com/sshblog/sshblog/content/store"
)

// TestHookCommand runs `sshblog hook NAME` as git runs a hook: the program
// with the hook's name, inside the bare repository, the ref updates on
// stdin. The check must reach the store: a push to another branch is
// refused with the store's message.
func TestHookCommand(t *testing.T) {
	t.Parallel()
	requireTools(t, "git")
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "blog.git"), sample.FS(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	main := st.Snapshot().Revision()

	hook := func(name, stdin string) (string, int) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "hook", name) // TestMain makes this binary the program
		cmd.Dir = st.Dir()
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return string(out), exit.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}

	out, status := hook("pre-receive", strings.Repeat("0", 40)+" "+main+" refs/heads/drafts\n")
	if status != 1 || !strings.Contains(out, `"refs/heads/drafts": only the main branch is published`) {
		t.Errorf("pre-receive of another branch: status %d, output:\n%s", status, out)
	}
	out, status = hook("pre-receive", main+" "+main+" refs/heads/main\n")
	if status != 0 {
		t.Errorf("pre-receive of main as it is: status %d, output:\n%s", status, out)
	}
	out, status = hook("update", "")
	if status != 2 || !strings.Contains(out, `unknown hook "update"`) {
		t.Errorf("unknown hook: status %d, output:\n%s", status, out)
	}
}

func TestHookUsage(t *testing.T) {
	var stdout, stderr strings.Builder
	status := run(t.Context(), []string{"hook"}, env(nil), &stdout, &stderr)
	if status != 2 || !strings.Contains(stderr.String(), "want the hook's name") {
		t.Errorf("status %d, stderr %q", status, stderr.String())
	}
}
