package server

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content/store/storetest"
	"github.com/sshblog/sshblog/content/upload/uploadtest"
	"github.com/sshblog/sshblog/server/servertest"
)

// tmuxPane drives one detached tmux session on a private server socket.
// waitShows waits (20 s at most) until the pane shows text.
func waitShows(t *testing.T, x *servertest.Tmux, text string) {
	t.Helper()
	var last string
	servertest.WaitUntil(t, 20*time.Second, func() bool {
		last = x.Capture(t)
		return strings.Contains(last, text)
	}, func() string { return fmt.Sprintf("the pane never showed %q:\n%s", text, last) })
}

// A reader's open terminal UI (real ssh -t in tmux) lists a post an author
// uploads with scp, without doing anything.
func TestOpenSessionSeesUpload(t *testing.T) {
	t.Parallel()
	requireClients(t, "scp", "tmux")
	bs := startBlog(t, serverOptions{})
	x := servertest.StartTmux(t, 100, 30, "ssh "+servertest.ShellCommand(append(bs.sshOptions(bs.reader), "-t", "-p", bs.port, "reader@127.0.0.1")...)+"; exec cat")
	waitShows(t, x, "2020 年终总结")

	title := "Fresh from scp " + time.Now().Format("150405")
	post := writeFile(t, t.TempDir(), time.Now().Format("2006-01-02")+"-fresh.md", postFile(title, "Live."))
	if r := bs.scp(t, bs.author, post, "host:posts/"); r.code != 0 {
		t.Fatalf("scp: %s", r)
	}
	waitShows(t, x, title)
	waitShows(t, x, "2020 年终总结")
}

// A client killed in the middle of an upload publishes nothing and leaves
// nothing behind, over either scp protocol.
func TestKilledUploadPublishesNothing(t *testing.T) {
	t.Parallel()
	requireClients(t, "scp")
	bs := startBlog(t, serverOptions{})
	// Under the 10 MiB image limit; random bytes after the PNG signature.
	big := uploadtest.Image("big.png", 9<<20)
	if _, err := rand.Read(big[8:]); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "big.png")
	if err := os.WriteFile(src, big, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, proto := range scpProtocols {
		t.Run(proto.name, func(t *testing.T) {
			live, files := bs.mainRev(), bs.repoFiles(t)
			logged := strings.Count(bs.logs.String(), "upload not published")
			start := bs.listener.read.Load()

			args := append(bs.sshOptions(bs.author), "-P", bs.port, "-l", "4000") // 500 kB/s: 18 s for the file
			args = append(append(args, proto.flag...), src, "user@127.0.0.1:images/big.png")
			cmd := exec.Command("scp", args...)
			cmd.Env = storetest.ClientEnv(os.TempDir())
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // scp and its ssh, killed together
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			killed := false
			t.Cleanup(func() {
				if !killed {
					_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
					_ = cmd.Wait()
				}
			})
			// Mid-stream: 256 KiB of the file has reached the server
			// (half a second at this rate; the file takes 18 s).
			waitUntil(t, "256 KiB of the upload at the server", 30*time.Second, func() bool {
				return bs.listener.read.Load()-start > 256<<10
			})
			if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			killed = true
			_ = cmd.Wait()

			if proto.flag == nil {
				// The sftp server closes the upload as interrupted.
				waitUntil(t, "the server to drop the upload", 20*time.Second, func() bool {
					return strings.Count(bs.logs.String(), "upload not published") > logged
				})
			} else {
				waitUntil(t, "the server to end the session", 20*time.Second, func() bool {
					return strings.Contains(bs.logs.String(), `command="scp -t images/big.png"`)
				})
			}
			if bs.mainRev() != live {
				t.Fatal("a killed upload changed the blog")
			}
			if _, err := bs.store.Files().Stat("images/big.png"); err == nil {
				t.Fatal("the half-sent image is live")
			}
			if after := bs.repoFiles(t); !sameFiles(files, after) {
				t.Fatalf("a killed upload left files behind:\nbefore %v\nafter  %v", files, after)
			}
			if strings.Contains(bs.logs.String(), "level=ERROR msg=panic") {
				t.Fatalf("the server panicked:\n%s", bs.logs)
			}
		})
	}
	// The server still works: the whole file uploads fine.
	if r := bs.scp(t, bs.author, src, "host:images/big.png"); r.code != 0 {
		t.Fatalf("the upload after the kills: %s", r)
	}
	if info, err := bs.store.Files().Stat("images/big.png"); err != nil || info.Size() != int64(len(big)) {
		t.Fatalf("images/big.png: %v, %v", info, err)
	}
}
