package server

import (
	"context"
	"os"
	"testing"

	"github.com/sshblog/sshblog/content/store"
)

// hookArg, as the first argument, makes the test binary the blog
// repository's git hook program (the store's hooks exec it; see
// store.InstallHooks), as `sshblog hook` is in production. Production code
// has no test hooks: the tests install this binary as the hook command.
const hookArg = "server-test-hook"

func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == hookArg {
		os.Exit(store.RunHook(context.Background(), os.Args[2], ".", os.Stdin, os.Stderr, os.Environ()))
	}
	os.Exit(m.Run())
}
