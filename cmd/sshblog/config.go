package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"gopkg.in/yaml.v3"

	"github.com/sshblog/sshblog/content/upload"
)

// Config is the server's configuration: defaults, overridden by the config
// file, overridden by SSHBLOG_* environment variables, overridden by flags.
//
// The layering is hand-written (the settings table, LoadConfig, apply and
// applyFile) because none of the libraries we tried keeps what it must do:
// every error, also those Validate finds after loading, names where the
// value came from (--flag, SSHBLOG_VAR, or file:line (key)); an unknown or
// repeated file key is an error at its line; a source's list replaces the
// lists of the sources it beats; getenv is passed in, so tests run in
// parallel without touching the process environment. What each lacked:
//
//   - peterbourgon/ff/v3 v3.4.0 comes closest, but ff.Parse reads os.Getenv
//     itself, derives each variable and file key from the flag's name (so
//     --author-key could not read SSHBLOG_AUTHOR_KEYS nor the file's
//     author_keys, as the README documents), and says neither the file nor
//     the line: tried, it reports `error setting flag "idle-timeout" from
//     config file: parse error` and `config file flag "lisen" not defined
//     in flag set`. It records no origin either, so Validate could not say
//     where a bad value came from; a YAML parser with lines and an origin
//     record would still be ours, and little code would go.
//   - alecthomas/kong v1.17.0 reads variables with os.LookupEnv as the
//     flags' defaults, so a config-file resolver beats the environment
//     (the wrong order), and a resolver's bad value is reported against the
//     flag, not the file.
//   - knadh/koanf/v2 v2.4.1 merges every source into one map and forgets
//     which source gave each key; its YAML parser drops line numbers, and
//     unknown keys are only caught when decoding, without file or line.
type Config struct {
	Listen      string        // address to listen on, host:port
	DataDir     string        // host keys, the authors file and the blog's repository
	ContentDir  string        // serve this folder read-only instead of the blog's repository; "" for the repository
	Watch       bool          // reload ContentDir when its files change (only with ContentDir)
	SeedDir     string        // the blog folder a new repository starts from; "" for the embedded sample
	AuthorKeys  []string      // public keys that may publish: paths to .pub or authorized_keys files, or literal keys
	Limits      upload.Limits // the most an author may publish: per text file, per image, per blog
	IdleTimeout time.Duration // close connections idle this long; 0 never
	ConfigFile  string        // the YAML file read, "" for none

	// origins says where each setting's value came from, by YAML key, for
	// error messages: "default", "--listen", "SSHBLOG_LISTEN",
	// "config.yaml:3 (listen)".
	origins map[string]string
	// items says where each value of a list setting came from, by YAML
	// key: a config file gives each item its own line.
	items map[string][]string
}

// setting is one configurable value: its YAML key, flag, environment
// variable, help text and how to parse it from text. The table in settings
// is the single list every source and the usage text are built from.
//
// A list setting (clear is set) takes many values: set adds one, a
// repeated flag adds each, the variable holds them comma or newline
// separated, the config file as a YAML list. A source replaces the list of
// the sources it beats rather than adding to it, as for any other setting.
type setting struct {
	key   string // in the config file; the flag is the key with - for _ unless flagName says otherwise
	env   string
	label string // names the value in errors: "invalid LABEL ..."
	usage string
	def   func() string               // the default, shown in help ("" for a list: empty)
	set   func(*Config, string) error // parses a value from any source; adds one for a list

	flagName string        // the flag, when not derived from key
	boolean  bool          // a flag given without a value means true
	clear    func(*Config) // empties a list setting; nil for a single value
}

// invalid formats the error for a bad value v of s that came from origin.
func (s setting) invalid(v, origin string, err error) error {
	return fmt.Errorf("invalid %s %q (from %s): %w", s.label, v, origin, err)
}

func (s setting) flag() string {
	if s.flagName != "" {
		return s.flagName
	}
	return strings.ReplaceAll(s.key, "_", "-")
}

func (s setting) list() bool { return s.clear != nil }

func settings() []setting {
	return []setting{
		{
			key: "listen", env: "SSHBLOG_LISTEN", label: "listen address", usage: "`address` to listen on, host:port",
			def: func() string { return "localhost:23234" },
			set: func(c *Config, v string) error { c.Listen = v; return nil },
		},
		{
			key: "data", env: "SSHBLOG_DATA", label: "data directory", usage: "data `directory`: host keys, the authors file, the blog's repository",
			def: func() string { return "./data" },
			set: func(c *Config, v string) error { c.DataDir = v; return nil },
		},
		{
			key: "content", env: "SSHBLOG_CONTENT", label: "content directory", usage: "serve this blog `folder` read-only instead of the blog's repository (publishing is off)",
			def: func() string { return "" },
			set: func(c *Config, v string) error { c.ContentDir = v; return nil },
		},
		{
			key: "watch", env: "SSHBLOG_WATCH", label: "watch", usage: "with --content: reload the folder when its files change",
			def: func() string { return "false" }, boolean: true,
			set: func(c *Config, v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return errors.New("want true or false")
				}
				c.Watch = b
				return nil
			},
		},
		{
			key: "seed", env: "SSHBLOG_SEED", label: "seed directory", usage: "on first start, make the blog from this `folder` (a Jekyll site works) instead of the embedded sample",
			def: func() string { return "" },
			set: func(c *Config, v string) error { c.SeedDir = v; return nil },
		},
		{
			key: "author_keys", flagName: "author-key", env: "SSHBLOG_AUTHOR_KEYS", label: "author key",
			usage: "a public `key` that may publish: a .pub or authorized_keys file, or the key itself; repeat for more (adds to the keys in DATA/authors)",
			def:   func() string { return "" },
			set: func(c *Config, v string) error {
				if strings.TrimSpace(v) == "" {
					return errors.New("empty: want a key file or a key")
				}
				c.AuthorKeys = append(c.AuthorKeys, v)
				return nil
			},
			clear: func(c *Config) { c.AuthorKeys = nil },
		},
		{
			key: "max_text_file", env: "SSHBLOG_MAX_TEXT_FILE", label: "text file limit", usage: "the largest post or YAML file an author may publish, a `size` such as 1MiB",
			def: func() string { return upload.FormatSize(upload.DefaultLimits().TextFile) },
			set: func(c *Config, v string) (err error) { c.Limits.TextFile, err = parseSize(v); return err },
		},
		{
			key: "max_image", env: "SSHBLOG_MAX_IMAGE", label: "image limit", usage: "the largest image (or other file) an author may publish, a `size` such as 10MiB",
			def: func() string { return upload.FormatSize(upload.DefaultLimits().Image) },
			set: func(c *Config, v string) (err error) { c.Limits.Image, err = parseSize(v); return err },
		},
		{
			key: "max_blog", env: "SSHBLOG_MAX_BLOG", label: "blog limit", usage: "the most all the blog's files together may take, a `size` such as 256MiB",
			def: func() string { return upload.FormatSize(upload.DefaultLimits().Blog) },
			set: func(c *Config, v string) (err error) { c.Limits.Blog, err = parseSize(v); return err },
		},
		{
			key: "idle_timeout", env: "SSHBLOG_IDLE_TIMEOUT", label: "idle timeout", usage: "close connections idle this `long`, e.g. 30m; 0 never",
			def: func() string { return "30m" },
			set: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil {
					return errors.New("want a duration such as 30m or 1h")
				}
				c.IdleTimeout = d
				return nil
			},
		},
	}
}

// The flag and variable naming the config file; not keys of the file.
const (
	configFlag = "config"
	configEnv  = "SSHBLOG_CONFIG"
)

// LoadConfig builds the configuration for the serve command from its
// arguments (after "serve"), the environment (getenv) and the config file
// named by --config or SSHBLOG_CONFIG. It does not validate: see Validate.
// Usage text for --help and flag errors goes to usage.
func LoadConfig(args []string, getenv func(string) string, usage io.Writer) (Config, error) {
	table := settings()
	fs := flag.NewFlagSet("sshblog serve", flag.ContinueOnError)
	fs.SetOutput(usage)
	flags := map[string][]string{} // key -> values, in the order given
	for _, s := range table {
		add := func(v string) error {
			flags[s.key] = append(flags[s.key], v)
			return nil
		}
		help := fmt.Sprintf("%s (env %s", s.usage, s.env)
		switch d := s.def(); {
		case s.list():
			help += ", comma or newline separated)"
		case d == "" || s.boolean:
			help += ")"
		default:
			help += fmt.Sprintf(", default %q)", d)
		}
		if s.boolean {
			fs.BoolFunc(s.flag(), help, add)
		} else {
			fs.Func(s.flag(), help, add)
		}
	}
	configFile := fs.String(configFlag, "", "YAML config file (env "+configEnv+")")
	fs.Usage = func() {
		fmt.Fprintf(usage, "Usage: sshblog [serve] [flags]\n\nServes the blog over SSH. Flags beat environment variables beat the config file beat defaults.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q (flags only; see sshblog serve --help)", fs.Arg(0))
	}

	c := Config{origins: map[string]string{}, items: map[string][]string{}}
	for _, s := range table {
		if d := s.def(); !s.list() || d != "" {
			if err := s.set(&c, d); err != nil {
				return Config{}, fmt.Errorf("default %s: %w", s.key, err) // a bug in the table
			}
		}
		c.origins[s.key] = "default"
	}

	c.ConfigFile = *configFile
	configOrigin := "--" + configFlag
	if c.ConfigFile == "" {
		c.ConfigFile = getenv(configEnv)
		configOrigin = configEnv
	}
	if c.ConfigFile != "" {
		if err := c.applyFile(table, c.ConfigFile, configOrigin); err != nil {
			return Config{}, err
		}
	}

	for _, s := range table {
		v, ok := lookupEnv(getenv, s.env)
		if !ok {
			continue
		}
		values := []string{v}
		if s.list() {
			values = splitList(v)
		}
		if err := c.apply(s, values, func(int) string { return s.env }); err != nil {
			return Config{}, err
		}
	}

	for _, s := range table {
		values, ok := flags[s.key]
		if !ok {
			continue
		}
		if !s.list() {
			values = values[len(values)-1:] // the last one given wins
		}
		if err := c.apply(s, values, func(int) string { return "--" + s.flag() }); err != nil {
			return Config{}, err
		}
	}
	return c, nil
}

// apply sets s from the values one source gave, origin(i) naming where the
// i-th came from. A list setting gets exactly these values: the source
// replaces what the sources it beats gave.
func (c *Config) apply(s setting, values []string, origin func(i int) string) error {
	if s.list() {
		s.clear(c)
		c.items[s.key] = nil
	}
	for i, v := range values {
		if err := s.set(c, v); err != nil {
			return s.invalid(v, origin(i), err)
		}
		if s.list() {
			c.items[s.key] = append(c.items[s.key], origin(i))
		}
	}
	if len(values) > 0 {
		c.origins[s.key] = origin(0)
	}
	return nil
}

// lookupEnv reads a variable; an empty one counts as unset, so that
// SSHBLOG_CONTENT= in a unit file does not override the config file.
func lookupEnv(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

// splitList splits a list setting's variable at commas and newlines,
// dropping blanks.
func splitList(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// applyFile reads the YAML config file at path, named by origin (the flag or
// variable that gave the path). Unknown keys are errors naming the key and
// its line: a typo must not be silently ignored.
func (c *Config) applyFile(table []setting, path, origin string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config file (from %s): %w", origin, err)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty file configures nothing
		}
		return fmt.Errorf("config file %s: %w", path, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil // only comments
	}
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: the config file must be a mapping of key: value", path, root.Line)
	}
	byKey := map[string]setting{}
	var known []string
	for _, s := range table {
		byKey[s.key] = s
		known = append(known, s.key)
	}
	sort.Strings(known)
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		s, ok := byKey[k.Value]
		if !ok {
			return fmt.Errorf("%s:%d: unknown key %q (known keys: %s)", path, k.Line, k.Value, strings.Join(known, ", "))
		}
		if line, dup := seen[k.Value]; dup {
			return fmt.Errorf("%s:%d: key %q repeated (first on line %d)", path, k.Line, k.Value, line)
		}
		seen[k.Value] = k.Line
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue // "key:" with no value keeps the default
		}
		// nodes are the values: one, or a list setting's items.
		nodes := []*yaml.Node{v}
		switch {
		case s.list() && v.Kind == yaml.SequenceNode:
			nodes = v.Content
			for _, item := range nodes {
				if item.Kind != yaml.ScalarNode {
					return fmt.Errorf("%s:%d: each item of %s must be a single value", path, item.Line, k.Value)
				}
			}
		case s.list() && v.Kind != yaml.ScalarNode:
			return fmt.Errorf("%s:%d: %s must be a list of values", path, v.Line, k.Value)
		case v.Kind != yaml.ScalarNode:
			return fmt.Errorf("%s:%d: %s must be a single value", path, v.Line, k.Value)
		}
		values := make([]string, len(nodes))
		for j, n := range nodes {
			values[j] = n.Value
		}
		where := func(j int) string { return fmt.Sprintf("%s:%d (%s)", path, nodes[j].Line, k.Value) }
		if len(nodes) == 0 { // "key: []" empties the list
			where = func(int) string { return fmt.Sprintf("%s:%d (%s)", path, v.Line, k.Value) }
			c.origins[k.Value] = where(0)
		}
		if err := c.apply(s, values, where); err != nil {
			return err
		}
	}
	return nil
}

// parseSize reads a size such as 1MiB, 10 MiB, 512KiB or 1048576 (bytes).
// Units are binary with an i (KiB, MiB, GiB), decimal without (KB, MB).
func parseSize(v string) (int64, error) {
	n, err := humanize.ParseBytes(strings.TrimSpace(v))
	if err != nil || n == 0 || n > math.MaxInt64 {
		return 0, errors.New("want a size over 0 such as 512KiB, 1MiB or 10MiB")
	}
	return int64(n), nil
}

// Validate checks every setting and returns an error naming the bad value
// and where it came from (flag, variable, or file and line).
func (c Config) Validate() error {
	var errs []error
	from := func(key string) string {
		if o := c.origins[key]; o != "" {
			return o
		}
		return "default"
	}
	if err := checkListen(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("invalid listen address %q (from %s): %w", c.Listen, from("listen"), err))
	}
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, fmt.Errorf("invalid data directory %q (from %s): must not be empty", c.DataDir, from("data")))
	} else if info, err := os.Stat(c.DataDir); err == nil && !info.IsDir() {
		errs = append(errs, fmt.Errorf("invalid data directory %q (from %s): not a directory", c.DataDir, from("data")))
	}
	if err := checkDir(c.ContentDir); err != nil {
		errs = append(errs, fmt.Errorf("invalid content directory %q (from %s): %w", c.ContentDir, from("content"), err))
	}
	if c.Watch && c.ContentDir == "" {
		errs = append(errs, fmt.Errorf("invalid watch (from %s): watching reloads a folder served with --content DIR, and no content directory is set", from("watch")))
	}
	if err := checkDir(c.SeedDir); err != nil {
		errs = append(errs, fmt.Errorf("invalid seed directory %q (from %s): %w", c.SeedDir, from("seed"), err))
	}
	for _, l := range []struct {
		key, label string
		n          int64
	}{
		{"max_text_file", "text file limit", c.Limits.TextFile},
		{"max_image", "image limit", c.Limits.Image},
		{"max_blog", "blog limit", c.Limits.Blog},
	} {
		if l.n < 0 {
			errs = append(errs, fmt.Errorf("invalid %s %d (from %s): must not be negative", l.label, l.n, from(l.key)))
		}
	}
	if _, err := c.authorKeys(); err != nil {
		errs = append(errs, err)
	}
	if c.IdleTimeout < 0 {
		errs = append(errs, fmt.Errorf("invalid idle timeout %s (from %s): must not be negative", c.IdleTimeout, from("idle_timeout")))
	}
	return errors.Join(errs...)
}

// itemOrigin says where the i-th value of a list setting came from.
func (c Config) itemOrigin(key string, i int) string {
	if items := c.items[key]; i < len(items) {
		return items[i]
	}
	return "the program" // set by code, not by any source
}

// checkDir reports why dir, when set, is not an existing folder.
func checkDir(dir string) error {
	if dir == "" {
		return nil
	}
	info, err := os.Stat(dir)
	switch {
	case err != nil:
		return err
	case !info.IsDir():
		return errors.New("not a directory")
	}
	return nil
}

// checkListen accepts host:port with a numeric port in 0..65535 (0 picks a
// free port). An empty host listens on every interface.
func checkListen(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		var ae *net.AddrError
		if errors.As(err, &ae) {
			return errors.New(ae.Err)
		}
		return err
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}
