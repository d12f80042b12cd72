package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// errClosed reports a read from a repository whose store was closed.
var errClosed = errors.New("the blog store is closed")

// catFile reads single blobs on demand through one long-running
// `git cat-file --batch` process, started at the first read: a post's
// body is read from git whenever a reader opens it (the live state holds no
// post text), and a git process per read costs 2–5 ms where a line to a
// running one costs tens of microseconds. Reads are serialised by a mutex;
// the renderer's cache in front of it keeps them few. A process that dies
// or misbehaves is dropped and started again at the next read. It starts
// no goroutine: the pipes are read and written by the caller.
type catFile struct {
	mu     sync.Mutex
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	closed bool
}

// read returns the contents of the blob oid, running git (path bin) in the
// repository with environment env when no process is running.
func (c *catFile) read(bin, dir string, env []string, oid string) ([]byte, error) {
	if strings.ContainsAny(oid, " \t\r\n") || oid == "" {
		return nil, fmt.Errorf("git cat-file: bad object id %q", oid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errClosed
	}
	// One retry: a process that died since the last read (killed, or the
	// repository repacked under it) is replaced once.
	var err error
	for range 2 {
		if c.cmd == nil {
			if err = c.start(bin, dir, env); err != nil {
				return nil, err
			}
		}
		var data []byte
		data, err = c.ask(oid)
		if err == nil {
			return data, nil
		}
		var missing errMissing
		if errors.As(err, &missing) {
			return nil, err // the process is fine; the object is not there
		}
		c.stop()
	}
	return nil, err
}

// errMissing reports an object cat-file does not have (or that is no
// blob); the process stays usable.
type errMissing string

func (e errMissing) Error() string { return "git cat-file: cannot read blob: " + string(e) }

// start runs the process. Its standard error is discarded (os/exec then
// opens /dev/null, with no copying goroutine).
func (c *catFile) start(bin, dir string, env []string) error {
	cmd := exec.Command(bin, "cat-file", "--batch")
	cmd.Dir = dir
	cmd.Env = env
	in, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		in.Close()
		return fmt.Errorf("git cat-file: %w", err)
	}
	if err := cmd.Start(); err != nil {
		in.Close()
		return &gitError{args: []string{"cat-file", "--batch"}, err: err}
	}
	c.cmd, c.in, c.out = cmd, in, bufio.NewReaderSize(out, 64<<10)
	return nil
}

// ask writes one request and reads its answer:
// "<oid> SP <type> SP <size> LF <contents> LF", or "<oid> missing LF".
func (c *catFile) ask(oid string) ([]byte, error) {
	if _, err := io.WriteString(c.in, oid+"\n"); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("git cat-file: short output: %w", err)
	}
	f := strings.Fields(header)
	if len(f) == 2 && f[1] == "missing" || len(f) == 3 && f[1] != "blob" {
		if len(f) == 3 { // another type: its contents follow, to be skipped
			n, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("git cat-file: bad header %q", header)
			}
			if _, err := c.out.Discard(int(n) + 1); err != nil {
				return nil, fmt.Errorf("git cat-file: short output: %w", err)
			}
		}
		return nil, errMissing(strings.TrimSpace(header))
	}
	if len(f) != 3 || f[0] != oid && !strings.HasPrefix(f[0], oid) {
		return nil, fmt.Errorf("git cat-file: unexpected answer %q for %s", header, oid)
	}
	n, err := strconv.Atoi(f[2])
	if err != nil || n < 0 {
		return nil, fmt.Errorf("git cat-file: bad header %q", header)
	}
	data := make([]byte, n+1)
	if _, err := io.ReadFull(c.out, data); err != nil {
		return nil, fmt.Errorf("git cat-file: short blob %s: %w", oid, err)
	}
	if data[n] != '\n' {
		return nil, fmt.Errorf("git cat-file: blob %s not followed by a newline", oid)
	}
	return data[:n:n], nil
}

// stop ends the process, if any: closing its input makes it exit.
func (c *catFile) stop() {
	if c.cmd == nil {
		return
	}
	c.in.Close()
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Kill() // it may be stuck writing a blob nobody reads
	}
	_ = c.cmd.Wait()
	c.cmd, c.in, c.out = nil, nil, nil
}

// close ends the process and refuses later reads.
func (c *catFile) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stop()
	c.closed = true
}
