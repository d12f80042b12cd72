package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestSearchThroughOpenSSH searches the sample blog with the real OpenSSH
// client through the whole program (its index built in the background and
// following publishes): Chinese and mixed queries, piped text with the
// match marked and no escape byte, JSON that parses back with RFC 3339
// dates, and a post published with scp found by the very next search.
func TestSearchThroughOpenSSH(t *testing.T) {
	t.Parallel()
	requireTools(t, "ssh", "scp")
	data := t.TempDir()
	m, logs := bootMain(t, data)
	author, reader := newPublisher(t, m), newPublisher(t, m)

	r := reader.ssh(t, "search", "Flink", "流处理")
	if r.code != 0 || !strings.Contains(r.stdout, "2020-year-in-review") || !strings.Contains(r.stdout, "**流处理**") {
		t.Fatalf("search Flink 流处理: %+v\nlog:\n%s", r, logs)
	}
	if strings.ContainsRune(r.stdout, '\x1b') {
		t.Errorf("piped search printed an escape byte:\n%q", r.stdout)
	}

	r = reader.ssh(t, "search", "--json", "论文")
	var hits []struct {
		Kind    string   `json:"kind"`
		Slug    string   `json:"slug"`
		Title   string   `json:"title"`
		Date    string   `json:"date"`
		Snippet string   `json:"snippet"`
		Matches [][2]int `json:"matches"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &hits); err != nil || r.code != 0 || len(hits) < 2 {
		t.Fatalf("search --json 论文: %v\n%+v", err, r)
	}
	for _, h := range hits {
		if h.Kind == "post" {
			if _, err := time.Parse(time.RFC3339, h.Date); err != nil {
				t.Errorf("hit %s: date %q is not RFC 3339: %v", h.Slug, h.Date, err)
			}
		}
		if len(h.Matches) == 0 || h.Snippet[h.Matches[0][0]:h.Matches[0][1]] != "论文" {
			t.Errorf("hit %s %q: snippet %q, matches %v: want 论文 marked", h.Kind, h.Title, h.Snippet, h.Matches)
		}
	}

	// A post published with scp is found by the next search.
	if r := reader.ssh(t, "search", "部署"); r.code != 0 || strings.Contains(r.stdout, "deploy-notes") {
		t.Fatalf("search 部署 before the publish: %+v", r)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(author.key))) + " author@laptop\n"
	if err := os.WriteFile(filepath.Join(data, "authors"), []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	post := writeFile(t, t.TempDir(), "2024-03-01-deploy-notes.md", "---\ntitle: 部署笔记\n---\n今天把博客部署到了新服务器上，rendering 也更快了。\n")
	if r := author.scp(t, post, "posts/"); r.code != 0 {
		t.Fatalf("scp: %+v\nlog:\n%s", r, logs)
	}
	for _, q := range []string{"部署", "render"} {
		if r := reader.ssh(t, "search", q); r.code != 0 || !strings.Contains(r.stdout, "deploy-notes") {
			t.Errorf("search %s after the publish: %+v", q, r)
		}
	}
}
