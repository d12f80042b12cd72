package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is the server's configuration: defaults, overridden by the config
// file, overridden by SSHBLOG_* environment variables, overridden by flags.
type Config struct {
	Listen      string        // address to listen on, host:port
	DataDir     string        // host keys and (later) the blog's repository
	ContentDir  string        // serve this folder read-only; "" serves the embedded sample
	IdleTimeout time.Duration // close connections idle this long; 0 never
	ConfigFile  string        // the YAML file read, "" for none

	// origins says where each setting's value came from, by YAML key, for
	// error messages: "default", "--listen", "SSHBLOG_LISTEN",
	// "config.yaml:3 (listen)".
	origins map[string]string
}

// setting is one configurable value: its YAML key, flag, environment
// variable, help text and how to parse it from text. The table in settings
// is the single list every source and the usage text are built from.
type setting struct {
	key   string // in the config file; the flag is the key with - for _
	env   string
	label string // names the value in errors: "invalid LABEL ..."
	usage string
	def   func() string               // the default, shown in help
	set   func(*Config, string) error // parses a value from any source
}

// invalid formats the error for a bad value v of s that came from origin.
func (s setting) invalid(v, origin string, err error) error {
	return fmt.Errorf("invalid %s %q (from %s): %w", s.label, v, origin, err)
}

func (s setting) flag() string { return strings.ReplaceAll(s.key, "_", "-") }

func settings() []setting {
	return []setting{
		{
			key: "listen", env: "SSHBLOG_LISTEN", label: "listen address", usage: "address to listen on, host:port",
			def: func() string { return "localhost:23234" },
			set: func(c *Config, v string) error { c.Listen = v; return nil },
		},
		{
			key: "data", env: "SSHBLOG_DATA", label: "data directory", usage: "data directory: host keys, state",
			def: func() string { return "./data" },
			set: func(c *Config, v string) error { c.DataDir = v; return nil },
		},
		{
			key: "content", env: "SSHBLOG_CONTENT", label: "content directory", usage: "serve this blog folder read-only instead of the embedded sample",
			def: func() string { return "" },
			set: func(c *Config, v string) error { c.ContentDir = v; return nil },
		},
		{
			key: "idle_timeout", env: "SSHBLOG_IDLE_TIMEOUT", label: "idle timeout", usage: "close connections idle this long, e.g. 30m; 0 never",
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
	flags := map[string]string{} // key -> value, in the order given
	for _, s := range table {
		s := s
		fs.Func(s.flag(), fmt.Sprintf("%s (env %s, default %q)", s.usage, s.env, s.def()), func(v string) error {
			flags[s.key] = v
			return nil
		})
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

	c := Config{origins: map[string]string{}}
	for _, s := range table {
		if err := s.set(&c, s.def()); err != nil {
			return Config{}, fmt.Errorf("default %s: %w", s.key, err) // a bug in the table
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
		if err := s.set(&c, v); err != nil {
			return Config{}, s.invalid(v, s.env, err)
		}
		c.origins[s.key] = s.env
	}

	for _, s := range table {
		v, ok := flags[s.key]
		if !ok {
			continue
		}
		if err := s.set(&c, v); err != nil {
			return Config{}, s.invalid(v, "--"+s.flag(), err)
		}
		c.origins[s.key] = "--" + s.flag()
	}
	return c, nil
}

// lookupEnv reads a variable; an empty one counts as unset, so that
// SSHBLOG_CONTENT= in a unit file does not override the config file.
func lookupEnv(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
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
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("%s:%d: %s must be a single value", path, v.Line, k.Value)
		}
		where := fmt.Sprintf("%s:%d (%s)", path, v.Line, k.Value)
		if v.Tag == "!!null" {
			continue // "key:" with no value keeps the default
		}
		if err := s.set(c, v.Value); err != nil {
			return s.invalid(v.Value, where, err)
		}
		c.origins[k.Value] = where
	}
	return nil
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
	if c.ContentDir != "" {
		info, err := os.Stat(c.ContentDir)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("invalid content directory %q (from %s): %w", c.ContentDir, from("content"), err))
		case !info.IsDir():
			errs = append(errs, fmt.Errorf("invalid content directory %q (from %s): not a directory", c.ContentDir, from("content")))
		}
	}
	if c.IdleTimeout < 0 {
		errs = append(errs, fmt.Errorf("invalid idle timeout %s (from %s): must not be negative", c.IdleTimeout, from("idle_timeout")))
	}
	return errors.Join(errs...)
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
