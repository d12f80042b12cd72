package hostkeys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestLoadOrCreateCreatesThenReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "hostkeys")

	keys, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 {
		t.Fatalf("got %d keys, want 1", len(keys))
	}
	k := keys[0]
	path := filepath.Join(dir, DefaultName)
	if k.Path != path || !k.Created || k.Type() != ssh.KeyAlgoED25519 {
		t.Fatalf("key = %+v (type %s), want a created ed25519 key at %s", k, k.Type(), path)
	}
	if want := ssh.FingerprintSHA256(k.Signer.PublicKey()); k.Fingerprint != want || !strings.HasPrefix(want, "SHA256:") {
		t.Fatalf("fingerprint %q, want %q", k.Fingerprint, want)
	}
	if runtime.GOOS != "windows" {
		assertMode(t, dir, 0o700)
		assertMode(t, path, 0o600)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if want := ssh.MarshalAuthorizedKey(k.Signer.PublicKey()); string(pub) != string(want) {
		t.Fatalf(".pub = %q, want %q", pub, want)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	again, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0].Created || again[0].Fingerprint != k.Fingerprint {
		t.Fatalf("second start: %+v, want the same key %s, not created", again, k.Fingerprint)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("key file changed on the second start")
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(tmp) != 0 {
		t.Fatalf("temporary files left behind: %v", tmp)
	}
}

func TestLoadOrCreateRefusesBadKeys(t *testing.T) {
	encrypted := func(t *testing.T) []byte {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "", []byte("secret"))
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(block)
	}
	tests := []struct {
		name    string
		setup   func(t *testing.T, path string) // creates something at path
		wantErr string
	}{
		{
			name: "corrupt",
			setup: func(t *testing.T, path string) {
				write(t, path, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n"), 0o600)
			},
			wantErr: "corrupt or not a private key",
		},
		{
			name:    "empty",
			setup:   func(t *testing.T, path string) { write(t, path, nil, 0o600) },
			wantErr: "corrupt or not a private key",
		},
		{
			name: "public key instead of private",
			setup: func(t *testing.T, path string) {
				write(t, path, ssh.MarshalAuthorizedKey(newKey(t).Signer.PublicKey()), 0o600)
			},
			wantErr: "corrupt or not a private key",
		},
		{
			name:    "passphrase",
			setup:   func(t *testing.T, path string) { write(t, path, encrypted(t), 0o600) },
			wantErr: "protected by a passphrase",
		},
		{
			name: "readable by others",
			setup: func(t *testing.T, path string) {
				if runtime.GOOS == "windows" {
					t.Skip("file modes are not enforced on Windows")
				}
				write(t, path, privatePEM(t), 0o644)
			},
			wantErr: "permissions 0644 are too open",
		},
		{
			name: "a directory",
			setup: func(t *testing.T, path string) {
				if err := os.Mkdir(path, 0o700); err != nil {
					t.Fatal(err)
				}
			},
			wantErr: "not a regular file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, DefaultName)
			tt.setup(t, path)
			before, _ := os.ReadFile(path)

			keys, err := LoadOrCreate(dir)
			if err == nil {
				t.Fatalf("LoadOrCreate accepted a bad key: %+v", keys)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %q, want it to name %s and say %q", err, path, tt.wantErr)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Fatal("the bad key was modified")
			}
		})
	}
}

func TestLoadOrCreateBadDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	write(t, file, []byte("x"), 0o600)
	_, err := LoadOrCreate(filepath.Join(file, "hostkeys"))
	if err == nil || !strings.Contains(err.Error(), file) {
		t.Fatalf("error %v, want one naming %s", err, file)
	}
}

func TestLoadOrCreateLoadsOtherKeys(t *testing.T) {
	dir := t.TempDir()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(rsaKey, "")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "ssh_host_rsa_key"), pem.EncodeToMemory(block), 0o600)
	write(t, filepath.Join(dir, "ssh_host_rsa_key.pub"), []byte("ignored"), 0o644)

	keys, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Type() != ssh.KeyAlgoED25519 || keys[1].Type() != ssh.KeyAlgoRSA {
		t.Fatalf("got %d keys %+v, want the new ed25519 key then the rsa key", len(keys), keys)
	}
}

func TestLoadOrCreateConcurrentStartsAgree(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	fps := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			keys, err := LoadOrCreate(dir)
			errs[i] = err
			if err == nil {
				fps[i] = keys[0].Fingerprint
			}
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if fps[i] != fps[0] {
			t.Fatalf("starts disagree on the host key: %v", fps)
		}
	}
}

func newKey(t *testing.T) Key {
	t.Helper()
	dir := t.TempDir()
	keys, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	return keys[0]
}

func privatePEM(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(newKey(t).Path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func write(t *testing.T, path string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is masked by umask
		t.Fatal(err)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Fatalf("%s has mode %04o, want %04o", path, got, want)
	}
}
