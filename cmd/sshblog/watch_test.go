package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/server/servertest"
)

// startWatch serves the blog folder dir from a library and watches it
// until the test ends. The watcher logs to the returned buffer.
func startWatch(t *testing.T, dir string) (*content.Library, *servertest.Buffer) {
	t.Helper()
	snap, err := content.Load(os.DirFS(dir), "")
	if err != nil {
		t.Fatal(err)
	}
	lib := content.NewLibrary(snap)
	logs := &servertest.Buffer{}
	fw, err := watchFolder(dir, lib, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		fw.run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return lib, logs
}

// hasPost reports whether lib's live snapshot lists a post titled title.
func hasPost(lib *content.Library, slug, title string) bool {
	p, ok := lib.Snapshot().Post(slug)
	return ok && p.Title == title
}

func TestWatchReloadsTheFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"site.yaml": "title: Watched\n"})
	lib, logs := startWatch(t, dir)
	first := lib.Snapshot()
	updates, unsubscribe := lib.Subscribe()
	defer unsubscribe()

	// posts/ does not exist yet: the watcher must notice the new folder
	// and the post written into it.
	writeTree(t, dir, map[string]string{"posts/2021-05-06-first.md": "---\ntitle: First draft\n---\nHello.\n"})
	servertest.WaitUntil(t, waitTimeout, func() bool { return hasPost(lib, "first", "First draft") },
		func() string { return "the new post never showed up; log:\n" + logs.String() })
	select {
	case s := <-updates:
		if s == first {
			t.Error("the subscriber got the old snapshot")
		}
	case <-time.After(waitTimeout):
		t.Fatal("subscribers were not told about the new snapshot")
	}

	// An edit shows up too.
	writeTree(t, dir, map[string]string{"posts/2021-05-06-first.md": "---\ntitle: First, edited\n---\nHello.\n"})
	servertest.WaitUntil(t, waitTimeout, func() bool { return hasPost(lib, "first", "First, edited") },
		func() string { return "the edit never showed up; log:\n" + logs.String() })
	good := lib.Snapshot()

	// A broken post is reported as file:line and the last good version
	// stays live.
	writeTree(t, dir, map[string]string{"posts/2021-05-07-broken.md": "---\ntitle: Broken\ndate: someday\n---\n"})
	servertest.WaitUntil(t, waitTimeout, func() bool {
		return strings.Contains(logs.String(), `problem="posts/2021-05-07-broken.md:3: date is not a date`)
	}, func() string { return "the broken post was not reported; log:\n" + logs.String() })
	if lib.Snapshot() != good {
		t.Fatal("a broken folder replaced the live snapshot")
	}
	if !strings.Contains(logs.String(), "still serving the last good version") {
		t.Errorf("the log does not say the last good version stays:\n%s", logs)
	}

	// Fixing it publishes again; removing a post removes it.
	writeTree(t, dir, map[string]string{"posts/2021-05-07-broken.md": "---\ntitle: Fixed\n---\n"})
	servertest.WaitUntil(t, waitTimeout, func() bool { return hasPost(lib, "broken", "Fixed") },
		func() string { return "the fix never showed up; log:\n" + logs.String() })
	if err := os.Remove(filepath.Join(dir, "posts", "2021-05-06-first.md")); err != nil {
		t.Fatal(err)
	}
	servertest.WaitUntil(t, waitTimeout, func() bool { _, ok := lib.Snapshot().Post("first"); return !ok },
		func() string { return "the removed post is still listed; log:\n" + logs.String() })

	// Removing the whole folder of posts empties the list.
	if err := os.RemoveAll(filepath.Join(dir, "posts")); err != nil {
		t.Fatal(err)
	}
	servertest.WaitUntil(t, waitTimeout, func() bool { return len(lib.Snapshot().Posts()) == 0 },
		func() string { return "posts of a removed folder are still listed; log:\n" + logs.String() })
}

func TestWatchIgnoresFilesTheBlogDoesNotRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"site.yaml":                "title: Watched\n",
		"posts/2021-05-06-post.md": "---\ntitle: Post\n---\n",
		"_layouts/default.html":    "<html></html>",
	})
	lib := content.NewLibrary(nil)
	fw, err := watchFolder(dir, lib, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer fw.w.Close()
	at := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	writeTree(t, dir, map[string]string{"images/new/.keep": ""}) // a folder created: watched when its Create arrives

	tests := []struct {
		name string
		ev   fsnotify.Event
		want bool
	}{
		{"post written", fsnotify.Event{Name: at("posts/2021-05-06-post.md"), Op: fsnotify.Write}, true},
		{"post created", fsnotify.Event{Name: at("posts/2021-05-07-new.md"), Op: fsnotify.Create}, true},
		{"post moved away", fsnotify.Event{Name: at("posts/2021-05-06-post.md"), Op: fsnotify.Rename}, true},
		{"site written", fsnotify.Event{Name: at("site.yaml"), Op: fsnotify.Write}, true},
		{"Jekyll list written", fsnotify.Event{Name: at("_data/books.yml"), Op: fsnotify.Write}, true},
		{"image written", fsnotify.Event{Name: at("images/a.png"), Op: fsnotify.Write}, true},
		{"folder created", fsnotify.Event{Name: at("images/new"), Op: fsnotify.Create}, true},
		{"watched folder removed", fsnotify.Event{Name: at("posts"), Op: fsnotify.Remove}, true},
		{"swap file", fsnotify.Event{Name: at("posts/.2021-05-06-post.md.swp"), Op: fsnotify.Write}, false},
		{"backup file", fsnotify.Event{Name: at("posts/2021-05-06-post.md~"), Op: fsnotify.Create}, false},
		{"backup file removed", fsnotify.Event{Name: at("posts/2021-05-06-post.md~"), Op: fsnotify.Remove}, false},
		{"layout", fsnotify.Event{Name: at("_layouts/default.html"), Op: fsnotify.Write}, false},
		{"git's files", fsnotify.Event{Name: at(".git/index"), Op: fsnotify.Write}, false},
		{"built site", fsnotify.Event{Name: at("_site/posts/2021-05-06-post.md"), Op: fsnotify.Write}, false},
		{"permissions only", fsnotify.Event{Name: at("site.yaml"), Op: fsnotify.Chmod}, false},
		{"outside the folder", fsnotify.Event{Name: filepath.Join(filepath.Dir(dir), "site.yaml"), Op: fsnotify.Write}, false},
	}
	for _, tt := range tests {
		if got := fw.handle(tt.ev); got != tt.want {
			t.Errorf("%s (%s): handle = %v, want %v", tt.name, tt.ev, got, tt.want)
		}
	}
	if !slices.Contains(fw.w.WatchList(), at("images/new")) {
		t.Errorf("the new folder is not watched: %q", fw.w.WatchList())
	}
}

func TestWatchSkipsAnUnchangedSave(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"posts/2021-05-06-post.md": "---\ntitle: Post\n---\n"})
	snap, err := content.Load(os.DirFS(dir), "")
	if err != nil {
		t.Fatal(err)
	}
	lib := content.NewLibrary(snap)
	logs := &servertest.Buffer{}
	fw, err := watchFolder(dir, lib, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer fw.w.Close()

	writeTree(t, dir, map[string]string{"posts/2021-05-06-post.md": "---\ntitle: Post\n---\n", "notes.txt": "todo"})
	fw.reload()
	if lib.Snapshot() != snap || logs.String() != "" {
		t.Fatalf("an unchanged save republished the blog; log:\n%s", logs)
	}
	writeTree(t, dir, map[string]string{"posts/2021-05-06-post.md": "---\ntitle: Changed\n---\n"})
	fw.reload()
	if !hasPost(lib, "post", "Changed") {
		t.Fatalf("a change was not published; log:\n%s", logs)
	}
}

func TestServeWatchedFolder(t *testing.T) {
	t.Parallel()
	blog := t.TempDir()
	writeTree(t, blog, map[string]string{
		"site.yaml":                     "title: Folder Blog\n",
		"posts/2021-03-04-from-disk.md": "---\ntitle: Straight from the disk\n---\nHello.\n",
	})
	logs := &servertest.Buffer{}
	m := NewMain()
	m.Config.Listen, m.Config.DataDir, m.Config.ContentDir, m.Config.Watch = "127.0.0.1:0", t.TempDir(), blog, true
	m.Logger = slog.New(slog.NewTextHandler(logs, nil))
	if err := m.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	c := dialMain(t, m)

	writeTree(t, blog, map[string]string{"posts/2021-03-05-new.md": "---\ntitle: Written while serving\n---\n"})
	servertest.WaitUntil(t, waitTimeout, func() bool {
		out, _, _ := execSession(t, c, "ls")
		return strings.Contains(out, "2021-03-05  new") && strings.Contains(out, "Written while serving")
	}, func() string { return "the new post was never listed; log:\n" + logs.String() })

	writeTree(t, blog, map[string]string{"posts/2021-03-06-bad.md": "---\ntitle: [\n---\n"})
	servertest.WaitUntil(t, waitTimeout, func() bool { return strings.Contains(logs.String(), `problem="posts/2021-03-06-bad.md:2: `) },
		func() string { return "the broken post was not reported; log:\n" + logs.String() })
	out, _, status := execSession(t, c, "ls")
	if status != 0 || !strings.Contains(out, "Written while serving") || strings.Contains(out, "bad") {
		t.Errorf("after a broken save the server lists (status %d):\n%s", status, out)
	}
}

func TestWatchNeedsAContentFolder(t *testing.T) {
	t.Parallel()
	m := NewMain()
	m.Config.Listen, m.Config.DataDir, m.Config.Watch = "127.0.0.1:0", t.TempDir(), true
	m.Logger = slog.New(slog.DiscardHandler)
	err := m.Run(t.Context())
	_ = m.Close()
	if err == nil || !strings.Contains(err.Error(), "--watch needs --content DIR") {
		t.Fatalf("Run: %v, want an error saying --watch needs --content", err)
	}
}
