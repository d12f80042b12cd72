package server

import (
	"os"
	"testing"

	"github.com/pkg/sftp"
	gossh "golang.org/x/crypto/ssh"
)

// sftpClient opens an sftp session as key, with pkg/sftp's client, which
// (unlike OpenSSH's) can send any open flags.
func (bs *blogServer) sftpClient(t *testing.T, key *keyFile) *sftp.Client {
	t.Helper()
	conn, err := gossh.Dial("tcp", bs.addr, &gossh.ClientConfig{
		User:            "user",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(key.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // a test server
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	client, err := sftp.NewClient(conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// A file opened with SSH_FXF_APPEND gets every write at its end, whatever
// offset the client sends (pkg/sftp's client sends 0). Before, the server
// wrote at the offset and so overwrote the start of the published file: an
// author appending a line to a post lost its front matter.
func TestSftpAppendWritesAtTheEnd(t *testing.T) {
	t.Parallel()
	bs := startBlog(t, serverOptions{})
	const p = "books.yaml"
	before, err := bs.store.Files().ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	client := bs.sftpClient(t, bs.author)
	f, err := client.OpenFile(p, os.O_WRONLY|os.O_APPEND)
	if err != nil {
		t.Fatal(err)
	}
	const more = "\n# appended by an author\n"
	if _, err := f.Write([]byte(more)); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close (publish): %v\n%s", err, bs.logs.String())
	}
	after, err := bs.store.Files().ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := string(before) + more; string(after) != want {
		t.Errorf("%s after appending:\n%.300q\nwant it to end with the appended line and keep the rest:\n%.300q", p, after, want)
	}
}
