package server

import (
	"crypto/ed25519"
	"crypto/rand"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sshblog/sshblog/server/servertest"
	gossh "golang.org/x/crypto/ssh"
)

func newPublicKey(t *testing.T) gossh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func authorizedLine(k gossh.PublicKey, comment string) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k))) + " " + comment
}

func TestParseAuthorKeys(t *testing.T) {
	t.Parallel()
	a, b, c := newPublicKey(t), newPublicKey(t), newPublicKey(t)
	dir := t.TempDir()
	pub := filepath.Join(dir, "id_ed25519.pub")
	if err := os.WriteFile(pub, []byte(authorizedLine(a, "alice@laptop")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ak := filepath.Join(dir, "authorized_keys")
	lines := "# the blog's authors\n\n" + `no-pty,command="x" ` + authorizedLine(b, "bob") + "\n"
	if err := os.WriteFile(ak, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	keys, err := ParseAuthorKeys([]string{pub, ak, authorizedLine(c, "carol"), "  "})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 || !equalKeys(keys[0], a) || !equalKeys(keys[1], b) || !equalKeys(keys[2], c) {
		t.Fatalf("got %d keys, want a, b, c in order", len(keys))
	}

	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte(authorizedLine(a, "ok")+"\nnot a key\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ value, want string }{
		{bad, bad + ":2: not a public key"},
		{filepath.Join(dir, "missing.pub"), "missing.pub"},
		{"ssh-ed25519 AAAAnotbase64", `author key "ssh-ed25519 AAAAnotbase64"`},
	} {
		_, err := ParseAuthorKeys([]string{tt.value})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseAuthorKeys(%q) = %v, want an error containing %q", tt.value, err, tt.want)
		}
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("# nobody yet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseAuthorKeys([]string{empty}); err == nil || !strings.Contains(err.Error(), "no key") {
		t.Errorf("a file without keys: %v, want an error", err)
	}
}

func equalKeys(a, b gossh.PublicKey) bool { return string(a.Marshal()) == string(b.Marshal()) }

func TestAuthorsFileIsReadAgainWhenItChanges(t *testing.T) {
	t.Parallel()
	static, alice, bob := newPublicKey(t), newPublicKey(t), newPublicKey(t)
	file := filepath.Join(t.TempDir(), "authors")
	logs := &servertest.Buffer{}
	a := NewAuthors([]gossh.PublicKey{static}, file, slog.New(slog.NewTextHandler(logs, nil)))

	// No file: only the static key.
	if !a.IsAuthor(static) || a.IsAuthor(alice) || a.Count() != 1 {
		t.Fatalf("without a file: static %v, alice %v, count %d", a.IsAuthor(static), a.IsAuthor(alice), a.Count())
	}
	write := func(data string) {
		t.Helper()
		// A new modification time each write, even on coarse clocks.
		tmp := file + ".tmp"
		if err := os.WriteFile(tmp, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		next := time.Now().Add(time.Duration(len(data)) * time.Second)
		if err := os.Chtimes(tmp, next, next); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, file); err != nil {
			t.Fatal(err)
		}
	}
	write(authorizedLine(alice, "alice") + "\n")
	if !a.IsAuthor(alice) || a.IsAuthor(bob) || a.Count() != 2 {
		t.Fatalf("after adding alice: alice %v, bob %v, count %d", a.IsAuthor(alice), a.IsAuthor(bob), a.Count())
	}
	if got, ok := a.lookup(alice); !ok || got.Comment != "alice" || got.Fingerprint != gossh.FingerprintSHA256(alice) {
		t.Errorf("lookup(alice) = %+v, %v", got, ok)
	}

	// A broken file keeps the last good set, and says so once.
	write(authorizedLine(alice, "alice") + "\n" + authorizedLine(bob, "bob") + "\ngarbage\n")
	if !a.IsAuthor(alice) || a.IsAuthor(bob) {
		t.Fatalf("a broken file changed the set: alice %v, bob %v", a.IsAuthor(alice), a.IsAuthor(bob))
	}
	a.IsAuthor(alice)
	if n := strings.Count(logs.String(), "authors file is broken"); n != 1 {
		t.Errorf("the broken file was reported %d times, want once:\n%s", n, logs)
	}
	if !strings.Contains(logs.String(), file+":3") {
		t.Errorf("the log does not name the broken line %s:3:\n%s", file, logs)
	}

	// Fixed: bob is in.
	write(authorizedLine(bob, "bob") + "\n")
	if a.IsAuthor(alice) || !a.IsAuthor(bob) {
		t.Fatalf("after the fix: alice %v, bob %v", a.IsAuthor(alice), a.IsAuthor(bob))
	}
	// Removed: only the static key.
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if a.IsAuthor(bob) || !a.IsAuthor(static) || a.Count() != 1 {
		t.Fatalf("after removing the file: bob %v, static %v, count %d", a.IsAuthor(bob), a.IsAuthor(static), a.Count())
	}
}

func TestNilAuthorsHasNobody(t *testing.T) {
	t.Parallel()
	var a *Authors
	if a.IsAuthor(newPublicKey(t)) || a.IsAuthor(nil) || a.Count() != 0 {
		t.Fatal("a nil *Authors lets someone in")
	}
	if NewAuthors(nil, "", nil).IsAuthor(nil) {
		t.Fatal("no key is an author")
	}
}
