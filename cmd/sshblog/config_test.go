package main

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
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

func TestLoadConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	content := t.TempDir()
	full := writeFile(t, dir, "full.yaml", "# every key\nlisten: file:1\ndata: /file/data\ncontent: /file/content\nidle_timeout: 1h\n")
	other := writeFile(t, dir, "other.yaml", "listen: other:2\n")
	empty := writeFile(t, dir, "empty.yaml", "")
	comments := writeFile(t, dir, "comments.yaml", "# nothing yet\n")
	nulls := writeFile(t, dir, "nulls.yaml", "listen:\ndata: /file/data\n")

	tests := []struct {
		name string
		args []string
		env  map[string]string
		want Config // origins compared separately
		from map[string]string
	}{
		{
			name: "defaults",
			want: Config{Listen: "localhost:23234", DataDir: "./data", IdleTimeout: 30 * time.Minute},
			from: map[string]string{"listen": "default", "data": "default", "content": "default", "idle_timeout": "default"},
		},
		{
			name: "file beats defaults",
			args: []string{"--config", full},
			want: Config{Listen: "file:1", DataDir: "/file/data", ContentDir: "/file/content", IdleTimeout: time.Hour, ConfigFile: full},
			from: map[string]string{"listen": full + ":2 (listen)", "idle_timeout": full + ":5 (idle_timeout)"},
		},
		{
			name: "env beats file",
			env:  map[string]string{"SSHBLOG_CONFIG": full, "SSHBLOG_LISTEN": "env:3", "SSHBLOG_IDLE_TIMEOUT": "0"},
			want: Config{Listen: "env:3", DataDir: "/file/data", ContentDir: "/file/content", IdleTimeout: 0, ConfigFile: full},
			from: map[string]string{"listen": "SSHBLOG_LISTEN", "data": full + ":3 (data)", "idle_timeout": "SSHBLOG_IDLE_TIMEOUT"},
		},
		{
			name: "flags beat env",
			args: []string{"--listen", "flag:4", "--content=" + content, "--idle-timeout", "90s"},
			env:  map[string]string{"SSHBLOG_CONFIG": full, "SSHBLOG_LISTEN": "env:3", "SSHBLOG_DATA": "/env/data", "SSHBLOG_CONTENT": "/env/content"},
			want: Config{Listen: "flag:4", DataDir: "/env/data", ContentDir: content, IdleTimeout: 90 * time.Second, ConfigFile: full},
			from: map[string]string{"listen": "--listen", "data": "SSHBLOG_DATA", "content": "--content", "idle_timeout": "--idle-timeout"},
		},
		{
			name: "config flag beats config env",
			args: []string{"-config", other},
			env:  map[string]string{"SSHBLOG_CONFIG": full},
			want: Config{Listen: "other:2", DataDir: "./data", IdleTimeout: 30 * time.Minute, ConfigFile: other},
		},
		{
			name: "empty env counts as unset",
			env:  map[string]string{"SSHBLOG_CONFIG": full, "SSHBLOG_CONTENT": ""},
			want: Config{Listen: "file:1", DataDir: "/file/data", ContentDir: "/file/content", IdleTimeout: time.Hour, ConfigFile: full},
		},
		{
			name: "empty file",
			args: []string{"--config", empty},
			want: Config{Listen: "localhost:23234", DataDir: "./data", IdleTimeout: 30 * time.Minute, ConfigFile: empty},
		},
		{
			name: "comments only",
			args: []string{"--config", comments},
			want: Config{Listen: "localhost:23234", DataDir: "./data", IdleTimeout: 30 * time.Minute, ConfigFile: comments},
		},
		{
			name: "key without value keeps the default",
			args: []string{"--config", nulls},
			want: Config{Listen: "localhost:23234", DataDir: "/file/data", IdleTimeout: 30 * time.Minute, ConfigFile: nulls},
			from: map[string]string{"listen": "default"},
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
			got.origins = nil
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
