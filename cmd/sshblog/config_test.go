package main

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sshblog/sshblog/content/upload"
)

// env returns a getenv over a fixed map.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeFile writes data to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// defaults returns the default configuration changed by edit, without
// origins, to compare with a loaded one.
func defaults(edit func(c *Config)) Config {
	c := Config{
		Listen: "localhost:23234", DataDir: "./data", IdleTimeout: 30 * time.Minute,
		Limits: upload.Limits{TextFile: 1 << 20, Image: 10 << 20, Blog: 256 << 20},
	}
	if edit != nil {
		edit(&c)
	}
	return c
}

func TestLoadConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	content := t.TempDir()
	full := writeFile(t, dir, "full.yaml", `# every key
listen: file:1
data: /file/data
content: /file/content
idle_timeout: 1h
watch: true
seed: /file/seed
author_keys:
  - /file/a.pub
  - ssh-ed25519 AAAAfile file@example
max_text_file: 2MiB
max_image: 20 MiB
max_blog: 1GiB
`)
	fromFull := func(c *Config) {
		c.Listen, c.DataDir, c.ContentDir, c.IdleTimeout = "file:1", "/file/data", "/file/content", time.Hour
		c.Watch, c.SeedDir = true, "/file/seed"
		c.AuthorKeys = []string{"/file/a.pub", "ssh-ed25519 AAAAfile file@example"}
		c.Limits = upload.Limits{TextFile: 2 << 20, Image: 20 << 20, Blog: 1 << 30}
		c.ConfigFile = full
	}
	other := writeFile(t, dir, "other.yaml", "listen: other:2\n")
	empty := writeFile(t, dir, "empty.yaml", "")
	comments := writeFile(t, dir, "comments.yaml", "# nothing yet\n")
	nulls := writeFile(t, dir, "nulls.yaml", "listen:\ndata: /file/data\nauthor_keys:\n")
	oneKey := writeFile(t, dir, "onekey.yaml", "author_keys: /one.pub\n")
	noKeys := writeFile(t, dir, "nokeys.yaml", "author_keys: []\n")

	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		want  Config // origins compared separately
		from  map[string]string
		items map[string][]string // origins of list items
	}{
		{
			name: "defaults",
			want: defaults(nil),
			from: map[string]string{"listen": "default", "data": "default", "content": "default", "idle_timeout": "default",
				"watch": "default", "seed": "default", "author_keys": "default", "max_text_file": "default", "max_image": "default", "max_blog": "default"},
			items: map[string][]string{"author_keys": nil},
		},
		{
			name: "file beats defaults",
			args: []string{"--config", full},
			want: defaults(fromFull),
			from: map[string]string{"listen": full + ":2 (listen)", "idle_timeout": full + ":5 (idle_timeout)", "watch": full + ":6 (watch)",
				"seed": full + ":7 (seed)", "author_keys": full + ":9 (author_keys)", "max_blog": full + ":13 (max_blog)"},
			items: map[string][]string{"author_keys": {full + ":9 (author_keys)", full + ":10 (author_keys)"}},
		},
		{
			name: "env beats file",
			env: map[string]string{"SSHBLOG_CONFIG": full, "SSHBLOG_LISTEN": "env:3", "SSHBLOG_IDLE_TIMEOUT": "0", "SSHBLOG_WATCH": "0",
				"SSHBLOG_AUTHOR_KEYS": "/env/a.pub, /env/b.pub\nssh-ed25519 AAAAenv env@example\n", "SSHBLOG_MAX_IMAGE": "5 MB"},
			want: defaults(func(c *Config) {
				fromFull(c)
				c.Listen, c.IdleTimeout, c.Watch = "env:3", 0, false
				c.AuthorKeys = []string{"/env/a.pub", "/env/b.pub", "ssh-ed25519 AAAAenv env@example"}
				c.Limits.Image = 5_000_000
			}),
			from: map[string]string{"listen": "SSHBLOG_LISTEN", "data": full + ":3 (data)", "idle_timeout": "SSHBLOG_IDLE_TIMEOUT",
				"watch": "SSHBLOG_WATCH", "author_keys": "SSHBLOG_AUTHOR_KEYS", "max_image": "SSHBLOG_MAX_IMAGE", "max_text_file": full + ":11 (max_text_file)"},
			items: map[string][]string{"author_keys": {"SSHBLOG_AUTHOR_KEYS", "SSHBLOG_AUTHOR_KEYS", "SSHBLOG_AUTHOR_KEYS"}},
		},
		{
			name: "flags beat env",
			args: []string{"--listen", "flag:4", "--content=" + content, "--idle-timeout", "90s", "--watch", "--seed", "/flag/seed",
				"--author-key", "/flag/a.pub", "--author-key=/flag/b.pub", "--max-text-file", "512KiB", "--max-blog", "1048576"},
			env: map[string]string{"SSHBLOG_CONFIG": full, "SSHBLOG_LISTEN": "env:3", "SSHBLOG_DATA": "/env/data", "SSHBLOG_CONTENT": "/env/content",
				"SSHBLOG_WATCH": "false", "SSHBLOG_SEED": "/env/seed", "SSHBLOG_AUTHOR_KEYS": "/env/a.pub", "SSHBLOG_MAX_TEXT_FILE": "3MiB"},
			want: defaults(func(c *Config) {
				fromFull(c)
				c.Listen, c.DataDir, c.ContentDir, c.IdleTimeout = "flag:4", "/env/data", content, 90*time.Second
				c.Watch, c.SeedDir = true, "/flag/seed"
				c.AuthorKeys = []string{"/flag/a.pub", "/flag/b.pub"}
				c.Limits = upload.Limits{TextFile: 512 << 10, Image: 20 << 20, Blog: 1 << 20}
			}),
			from: map[string]string{"listen": "--listen", "data": "SSHBLOG_DATA", "content": "--content", "idle_timeout": "--idle-timeout",
				"watch": "--watch", "seed": "--seed", "author_keys": "--author-key", "max_text_file": "--max-text-file", "max_blog": "--max-blog"},
			items: map[string][]string{"author_keys": {"--author-key", "--author-key"}},
		},
		{
			name: "false flag beats true env",
			args: []string{"--watch=false"},
			env:  map[string]string{"SSHBLOG_WATCH": "true"},
			want: defaults(nil),
			from: map[string]string{"watch": "--watch"},
		},
		{
			name: "config flag beats config env",
			args: []string{"-config", other},
			env:  map[string]string{"SSHBLOG_CONFIG": full},
			want: defaults(func(c *Config) { c.Listen, c.ConfigFile = "other:2", other }),
		},
		{
			name: "empty env counts as unset",
			env:  map[string]string{"SSHBLOG_CONFIG": full, "SSHBLOG_CONTENT": "", "SSHBLOG_AUTHOR_KEYS": ""},
			want: defaults(fromFull),
		},
		{
			name: "env of only separators empties the list",
			env:  map[string]string{"SSHBLOG_CONFIG": full, "SSHBLOG_AUTHOR_KEYS": " , \n"},
			want: defaults(func(c *Config) { fromFull(c); c.AuthorKeys = nil }),
			from: map[string]string{"author_keys": full + ":9 (author_keys)"}, // nothing given: the origin stays
		},
		{
			name: "empty file",
			args: []string{"--config", empty},
			want: defaults(func(c *Config) { c.ConfigFile = empty }),
		},
		{
			name: "comments only",
			args: []string{"--config", comments},
			want: defaults(func(c *Config) { c.ConfigFile = comments }),
		},
		{
			name: "key without value keeps the default",
			args: []string{"--config", nulls},
			want: defaults(func(c *Config) { c.DataDir, c.ConfigFile = "/file/data", nulls }),
			from: map[string]string{"listen": "default", "author_keys": "default"},
		},
		{
			name:  "a single value for a list",
			args:  []string{"--config", oneKey},
			want:  defaults(func(c *Config) { c.AuthorKeys, c.ConfigFile = []string{"/one.pub"}, oneKey }),
			items: map[string][]string{"author_keys": {oneKey + ":1 (author_keys)"}},
		},
		{
			name: "an empty list in the file",
			args: []string{"--config", noKeys},
			want: defaults(func(c *Config) { c.ConfigFile = noKeys }),
			from: map[string]string{"author_keys": noKeys + ":1 (author_keys)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadConfig(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			for key, want := range tt.from {
				if got.origins[key] != want {
					t.Errorf("origin of %s = %q, want %q", key, got.origins[key], want)
				}
			}
			for key, want := range tt.items {
				if !reflect.DeepEqual(got.items[key], want) {
					t.Errorf("origins of the items of %s = %q, want %q", key, got.items[key], want)
				}
			}
			got.origins, got.items = nil, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("config\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestLoadConfigErrors(t *testing.T) {
	dir := t.TempDir()
	unknown := writeFile(t, dir, "unknown.yaml", "listen: x:1\nlisen: y:2\n")
	repeated := writeFile(t, dir, "repeated.yaml", "data: a\ndata: b\n")
	list := writeFile(t, dir, "list.yaml", "listen:\n  - a:1\n")
	notMap := writeFile(t, dir, "notmap.yaml", "- listen\n")
	badYAML := writeFile(t, dir, "bad.yaml", "listen: [\n")
	badTimeout := writeFile(t, dir, "timeout.yaml", "\nidle_timeout: 30\n")
	missing := filepath.Join(dir, "missing.yaml")
	keysMap := writeFile(t, dir, "keysmap.yaml", "author_keys:\n  key: x\n")
	keysNested := writeFile(t, dir, "keysnested.yaml", "author_keys:\n  - a.pub\n  - [b.pub]\n")
	keysEmpty := writeFile(t, dir, "keysempty.yaml", "author_keys:\n  - a.pub\n  - ''\n")
	badSize := writeFile(t, dir, "size.yaml", "max_text_file: 1MiB\nmax_image: big\n")
	badWatch := writeFile(t, dir, "watch.yaml", "watch: often\n")

	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // substrings of the error
	}{
		{"unknown key", []string{"--config", unknown}, nil, []string{unknown + ":2:", `unknown key "lisen"`, "listen"}},
		{"repeated key", []string{"--config", repeated}, nil, []string{repeated + ":2:", `"data" repeated`}},
		{"list value", []string{"--config", list}, nil, []string{list + ":2:", "listen must be a single value"}},
		{"not a mapping", []string{"--config", notMap}, nil, []string{notMap + ":1:", "mapping"}},
		{"bad yaml", []string{"--config", badYAML}, nil, []string{badYAML}},
		{"missing file from flag", []string{"--config", missing}, nil, []string{"(from --config)", missing}},
		{"missing file from env", nil, map[string]string{"SSHBLOG_CONFIG": missing}, []string{"(from SSHBLOG_CONFIG)", missing}},
		{"bad timeout in file", []string{"--config", badTimeout}, nil, []string{`invalid idle timeout "30" (from ` + badTimeout + `:2 (idle_timeout))`}},
		{"bad timeout in env", nil, map[string]string{"SSHBLOG_IDLE_TIMEOUT": "soon"}, []string{`invalid idle timeout "soon" (from SSHBLOG_IDLE_TIMEOUT)`}},
		{"bad timeout flag", []string{"--idle-timeout=5"}, nil, []string{`invalid idle timeout "5" (from --idle-timeout)`}},
		{"list for a list is a mapping", []string{"--config", keysMap}, nil, []string{keysMap + ":2:", "author_keys must be a list of values"}},
		{"nested list", []string{"--config", keysNested}, nil, []string{keysNested + ":3:", "each item of author_keys must be a single value"}},
		{"empty author key in file", []string{"--config", keysEmpty}, nil, []string{`invalid author key "" (from ` + keysEmpty + `:3 (author_keys)): empty`}},
		{"empty author key flag", []string{"--author-key", " "}, nil, []string{`invalid author key " " (from --author-key)`}},
		{"bad size in file", []string{"--config", badSize}, nil, []string{`invalid image limit "big" (from ` + badSize + `:2 (max_image)): want a size`}},
		{"bad size in env", nil, map[string]string{"SSHBLOG_MAX_BLOG": "0"}, []string{`invalid blog limit "0" (from SSHBLOG_MAX_BLOG): want a size over 0`}},
		{"negative size flag", []string{"--max-text-file", "-1MiB"}, nil, []string{`invalid text file limit "-1MiB" (from --max-text-file)`}},
		{"unknown size unit", []string{"--max-image", "10 furlongs"}, nil, []string{`invalid image limit "10 furlongs" (from --max-image)`}},
		{"huge size", []string{"--max-blog", "100EiB"}, nil, []string{`invalid blog limit "100EiB" (from --max-blog)`}},
		{"bad watch in file", []string{"--config", badWatch}, nil, []string{`invalid watch "often" (from ` + badWatch + `:1 (watch)): want true or false`}},
		{"bad watch in env", nil, map[string]string{"SSHBLOG_WATCH": "maybe"}, []string{`invalid watch "maybe" (from SSHBLOG_WATCH)`}},
		{"bad watch flag", []string{"--watch=sometimes"}, nil, []string{"watch"}},
		{"unknown flag", []string{"--port", "22"}, nil, []string{"port"}},
		{"argument", []string{"extra"}, nil, []string{`unexpected argument "extra"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(tt.args, env(tt.env), io.Discard)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "file", "x")
	ports := writeFile(t, dir, "ports.yaml", "data: "+dir+"\n\nlisten: localhost:70000\n")
	seedFile := writeFile(t, dir, "seed.yaml", "seed: "+file+"\n")

	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // substrings of the error; none means valid
	}{
		{name: "defaults"},
		{name: "any interface", args: []string{"--listen", ":0"}},
		{name: "ipv6", args: []string{"--listen", "[::1]:23234"}},
		{name: "content dir", args: []string{"--content", dir}},
		{
			name: "listen from env",
			env:  map[string]string{"SSHBLOG_LISTEN": "x"},
			want: []string{`invalid listen address "x" (from SSHBLOG_LISTEN): missing port in address`},
		},
		{
			name: "listen from file",
			args: []string{"--config", ports},
			want: []string{`invalid listen address "localhost:70000" (from ` + ports + `:3 (listen)): port "70000"`},
		},
		{
			name: "listen from flag",
			args: []string{"--listen", "localhost:http"},
			want: []string{`invalid listen address "localhost:http" (from --listen)`},
		},
		{
			name: "missing content dir",
			args: []string{"--content", filepath.Join(dir, "nope")},
			want: []string{`invalid content directory "` + filepath.Join(dir, "nope") + `" (from --content)`, "no such file"},
		},
		{
			name: "content is a file",
			env:  map[string]string{"SSHBLOG_CONTENT": file},
			want: []string{`invalid content directory "` + file + `" (from SSHBLOG_CONTENT): not a directory`},
		},
		{
			name: "data is a file",
			args: []string{"--data", file},
			want: []string{`invalid data directory "` + file + `" (from --data): not a directory`},
		},
		{
			name: "empty data",
			args: []string{"--data", ""},
			want: []string{`invalid data directory "" (from --data): must not be empty`},
		},
		{
			name: "negative timeout",
			args: []string{"--idle-timeout", "-1s"},
			want: []string{`invalid idle timeout -1s (from --idle-timeout): must not be negative`},
		},
		{name: "watch a content dir", args: []string{"--content", dir, "--watch"}},
		{name: "seed dir", args: []string{"--seed", dir}},
		{
			name: "watch without content",
			args: []string{"--watch"},
			want: []string{"invalid watch (from --watch): watching reloads a folder served with --content DIR, and no content directory is set"},
		},
		{
			name: "watch without content from env",
			env:  map[string]string{"SSHBLOG_WATCH": "true"},
			want: []string{"invalid watch (from SSHBLOG_WATCH)"},
		},
		{
			name: "missing seed dir",
			env:  map[string]string{"SSHBLOG_SEED": filepath.Join(dir, "nope")},
			want: []string{`invalid seed directory "` + filepath.Join(dir, "nope") + `" (from SSHBLOG_SEED)`, "no such file"},
		},
		{
			name: "seed is a file",
			args: []string{"--config", seedFile},
			want: []string{`invalid seed directory "` + file + `" (from ` + seedFile + `:1 (seed)): not a directory`},
		},
		{
			name: "every problem at once",
			args: []string{"--listen", "nope", "--data", file},
			want: []string{"invalid listen address", "invalid data directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestRunCommandLine(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantStatus int
		wantOut    string // substring of stdout
		wantErr    string // substring of stderr
	}{
		{name: "help", args: []string{"help"}, wantOut: "Usage: sshblog"},
		{name: "serve help", args: []string{"serve", "--help"}, wantErr: "SSHBLOG_LISTEN"},
		{name: "serve help lists author keys", args: []string{"serve", "-h"}, wantErr: "-author-key key\n"},
		{name: "serve help shows size defaults", args: []string{"serve", "-h"}, wantErr: `default "256 MiB"`},
		{name: "watch without content", args: []string{"--watch"}, wantStatus: 2, wantErr: "invalid watch (from --watch)"},
		{name: "unknown command", args: []string{"publish"}, wantStatus: 2, wantErr: `unknown command "publish"`},
		{name: "bad flag value", args: []string{"--listen", "nope"}, wantStatus: 2, wantErr: `invalid listen address "nope" (from --listen)`},
		{name: "bad env value", env: map[string]string{"SSHBLOG_LISTEN": "nope"}, wantStatus: 2, wantErr: `(from SSHBLOG_LISTEN)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			status := run(t.Context(), tt.args, env(tt.env), &stdout, &stderr)
			if status != tt.wantStatus {
				t.Errorf("status %d, want %d (stderr: %s)", status, tt.wantStatus, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.wantOut) {
				t.Errorf("stdout %q does not contain %q", stdout.String(), tt.wantOut)
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr %q does not contain %q", stderr.String(), tt.wantErr)
			}
		})
	}
}
