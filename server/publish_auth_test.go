package server

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// offeringSigner offers a public key it has no private key for, as a
// client that has the author's public key (it is public) would: it cannot
// sign.
type offeringSigner struct {
	offered gossh.PublicKey
	asked   atomic.Int32 // how often the server accepted the offer and the client was asked to sign
}

func (s *offeringSigner) PublicKey() gossh.PublicKey { return s.offered }

func (s *offeringSigner) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	s.asked.Add(1)
	return nil, errors.New("no private key")
}

// goSession runs cmd on a new connection authenticated with auth and
// returns how it ended.
func goSession(t *testing.T, addr, cmd string, auth ...gossh.AuthMethod) result {
	t.Helper()
	stdout, stderr, code := runSession(t, dial(t, addr, auth...), cmd, false)
	return result{stdout: stdout, stderr: stderr, code: code}
}

// TestAuthorKeyMustAuthenticate is a security regression test: authors are
// decided by the key that authenticated the connection, never by a key the
// client merely offered. SSH lets a client offer a public key before proving
// it holds the private key, and golang.org/x/crypto/ssh calls the server's
// public key callback for that offer, before any signature is checked (and
// then again for the signed request). A server that remembered the last key
// its callback saw would take a client offering the author's public key
// (anyone may have it) and then logging in with its own key, or with
// keyboard-interactive, for the author.
func TestAuthorKeyMustAuthenticate(t *testing.T) {
	t.Parallel()
	bs := startBlog(t, serverOptions{})
	authorKey := bs.author.signer.PublicKey()
	const cmd = "history -n 1"

	// The real author is an author: the control case.
	if r := goSession(t, bs.addr, cmd, gossh.PublicKeys(bs.author.signer)); r.code != 0 || !strings.Contains(r.stdout, "Seed the blog") {
		t.Fatalf("the author's own key: %s", r)
	}

	// Go's client gives up public key authentication when it cannot sign,
	// and goes on to the next method.
	t.Run("offered, then keyboard-interactive", func(t *testing.T) {
		liar := &offeringSigner{offered: authorKey}
		answer := gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })
		r := goSession(t, bs.addr, cmd, gossh.PublicKeys(liar), answer)
		if liar.asked.Load() == 0 {
			t.Fatal("the server never accepted the offer of the author's key, so this test proves nothing")
		}
		if r.code != 1 || strings.TrimSpace(r.stderr) != permissionDenied {
			t.Fatalf("a keyboard-interactive client that offered the author's key was taken for the author: %s", r)
		}
	})

	// OpenSSH offers an identity by its public key (the .pub file) and
	// reads the private key only once the server accepts the offer. Here it
	// cannot (the file holds no key), so it goes on to the next identity,
	// the reader's, which authenticates.
	t.Run("OpenSSH offers the author's key, then another key", func(t *testing.T) {
		requireClients(t, "scp")
		dir := t.TempDir()
		pubOnly := filepath.Join(dir, "author")
		data, err := os.ReadFile(bs.author.path + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pubOnly+".pub", data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(pubOnly, []byte("the private key is not here\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		opts := []string{"-F", "/dev/null", "-i", pubOnly, "-i", bs.reader.path, "-o", "IdentitiesOnly=yes",
			"-o", "UserKnownHostsFile=" + bs.knownHosts, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes"}
		r := run(t, dir, nil, "", "ssh", append(opts, "-v", "-p", bs.port, "user@127.0.0.1", cmd)...)
		if !strings.Contains(r.stderr, "Server accepts key: "+pubOnly) {
			t.Fatalf("ssh did not offer the author's public key, or the server did not accept the offer:\n%s", r.stderr)
		}
		if r.code != 1 || !strings.Contains(r.stderr, permissionDenied) || r.stdout != "" {
			t.Fatalf("ssh offering the author's key and signing with the reader's was taken for the author: %s", r)
		}
		before := bs.mainRev()
		post := writeFile(t, dir, "2024-05-01-sneaky.md", postFile("Sneaky", "Should not be published."))
		r = run(t, dir, nil, "", "scp", append(opts, "-P", bs.port, post, "user@127.0.0.1:posts/")...)
		if r.code == 0 || !strings.Contains(r.stderr, permissionDenied) {
			t.Fatalf("scp offering the author's key: %s", r)
		}
		if bs.mainRev() != before {
			t.Fatal("the blog changed")
		}
	})
}
