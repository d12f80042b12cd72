// Package storetest holds the environment in which tests run the author's
// side of publishing (git, and the OpenSSH clients git and scp use), shared
// by the tests of the store, the server and the program. Only tests import
// it.
package storetest

import "os"

// ClientEnv is the whole environment of an author's client process: no user
// or system git configuration, a fixed identity, no prompts, the C locale,
// and home as HOME; extra is added at the end.
func ClientEnv(home string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Author", "GIT_AUTHOR_EMAIL=author@example.com",
		"GIT_COMMITTER_NAME=Author", "GIT_COMMITTER_EMAIL=author@example.com",
		"GIT_TERMINAL_PROMPT=0",
		"LC_ALL=C",
	}
	return append(env, extra...)
}
