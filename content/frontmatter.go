package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// frontMatter is the header of a post file, split from its body.
type frontMatter struct {
	format   string // "yaml" (--- lines), "toml" (+++ lines), "json" ({...}) or "" when the file has none
	text     []byte // the text between the delimiter lines (for JSON, the whole object)
	line     int    // file line of the opening delimiter
	body     []byte // everything after the closing delimiter line
	bodyLine int    // file line where body starts
}

// splitFrontMatter splits data into front matter and body. Like Jekyll it
// wants the opening delimiter on the very first line (after an optional
// UTF-8 byte order mark); YAML front matter may also be closed by "...".
// As Hugo does, a file that starts with "{" has a JSON object as its front
// matter. A file without an opening delimiter has no front matter and is
// all body; so is one whose front matter is never closed, with a problem.
func splitFrontMatter(file string, data []byte) (frontMatter, *Problem) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	first, _, found := bytes.Cut(data, []byte("\n"))
	var fm frontMatter
	switch string(bytes.TrimRight(first, " \t\r")) {
	case "---":
		fm.format = "yaml"
	case "+++":
		fm.format = "toml"
	default:
		if len(data) > 0 && data[0] == '{' {
			return splitJSON(file, data)
		}
		return frontMatter{body: data, bodyLine: 1}, nil
	}
	fm.line = 1
	if !found {
		return frontMatter{body: data, bodyLine: 1}, unclosed(file, fm.format)
	}
	start := len(first) + 1
	n := 1
	for off := start; off < len(data); {
		line, _, found := bytes.Cut(data[off:], []byte("\n"))
		next := off + len(line)
		if found {
			next++
		}
		n++
		closing := string(bytes.TrimRight(line, " \t\r"))
		if fm.format == "yaml" && (closing == "---" || closing == "...") || fm.format == "toml" && closing == "+++" {
			fm.text = data[start:off]
			fm.body = data[next:]
			fm.bodyLine = n + 1
			return fm, nil
		}
		off = next
	}
	return frontMatter{body: data, bodyLine: 1}, unclosed(file, fm.format)
}

// splitJSON splits Hugo's JSON front matter, one object at the start of the
// file, from the body after it.
func splitJSON(file string, data []byte) (frontMatter, *Problem) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		line := 1
		var se *json.SyntaxError
		if errors.As(err, &se) {
			// The offset is just past the offending byte.
			line += bytes.Count(data[:min(max(int(se.Offset)-1, 0), len(data))], []byte("\n"))
		}
		return frontMatter{body: data, bodyLine: 1}, &Problem{File: file, Line: line,
			Message: "invalid JSON front matter: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	end := int(dec.InputOffset())
	rest := data[end:]
	// The body starts on the line after the closing brace.
	if i := bytes.IndexByte(rest, '\n'); i >= 0 && len(bytes.TrimSpace(rest[:i])) == 0 {
		end += i + 1
	}
	return frontMatter{format: "json", text: data[:dec.InputOffset()], line: 1,
		body: data[end:], bodyLine: 1 + bytes.Count(data[:end], []byte("\n"))}, nil
}

// unclosed reports front matter without its closing delimiter.
func unclosed(file, format string) *Problem {
	delim := "---"
	if format == "toml" {
		delim = "+++"
	}
	return &Problem{File: file, Line: 1, Message: fmt.Sprintf("front matter is not closed: add a %s line after it (read as text)", delim)}
}

// postName matches a dated file name as Jekyll's DATE_FILENAME_MATCHER
// does, ^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$, applied to the
// name without its extension: one-digit months and days, any slug
// (spaces included).
var postName = regexp.MustCompile(`^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)$`)

// fileNameDate extracts the date and slug from a file name without its
// extension, YYYY-M-D-slug. ok is false when the name has no date, or one
// that is not a day of the calendar (2020-02-30).
func fileNameDate(stem string) (date time.Time, slug string, ok bool) {
	m := postName.FindStringSubmatch(stem)
	if m == nil {
		return time.Time{}, "", false
	}
	date, err := time.Parse("2006-1-2", m[1])
	if err != nil {
		return time.Time{}, "", false
	}
	return date, m[2], true
}

// frontMatterMapping parses front matter text into a YAML mapping node,
// whatever its format, with lines counted in the whole file.
func frontMatterMapping(file string, fm frontMatter) (*yaml.Node, *Problem) {
	first := fm.line + 1 // the line after the opening delimiter
	var root *yaml.Node
	var p *Problem
	switch fm.format {
	case "toml":
		root, p = parseTOML(file, fm.text, first)
	case "json":
		// JSON is YAML's flow style: yaml.v3 parses it and keeps lines.
		root, p = parseYAML(file, fm.text, fm.line)
		if p != nil {
			p.Message = strings.Replace(p.Message, "invalid YAML", "invalid JSON", 1)
		}
	default:
		root, p = parseYAML(file, fm.text, first)
	}
	if p != nil {
		return nil, p
	}
	if root == nil {
		return &yaml.Node{Kind: yaml.MappingNode, Line: fm.line}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Problem{File: file, Line: root.Line, Message: "front matter must be key: value lines"}
	}
	return root, nil
}

// parseTOML parses TOML front matter into the same node tree YAML gives,
// so both formats share one decoder.
func parseTOML(file string, text []byte, first int) (*yaml.Node, *Problem) {
	var m map[string]any
	if _, err := toml.Decode(string(text), &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Problem{File: file, Line: first + max(pe.Position.Line, 1) - 1, Message: "invalid TOML: " + pe.Message}
		}
		return nil, &Problem{File: file, Line: first, Message: "invalid TOML: " + err.Error()}
	}
	lines := tomlKeyLines(text, first)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if lines[keys[i]] != lines[keys[j]] {
			return lines[keys[i]] < lines[keys[j]]
		}
		return keys[i] < keys[j]
	})
	root := &yaml.Node{Kind: yaml.MappingNode, Line: first}
	for _, k := range keys {
		line, ok := lines[k]
		if !ok {
			line = first - 1
		}
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Line: line},
			tomlNode(m[k], line))
	}
	return root, nil
}

// tomlKeyLines finds the line of each top-level key and table in TOML
// text. The TOML library does not expose key positions, so this scans for
// "key =" before the first table and for "[table]" headers; a key it cannot
// place is reported at the opening delimiter.
func tomlKeyLines(text []byte, first int) map[string]int {
	lines := make(map[string]int)
	inTable := false
	for i, raw := range strings.Split(string(text), "\n") {
		t := strings.TrimSpace(raw)
		var key string
		switch {
		case strings.HasPrefix(t, "["):
			inTable = true
			key = strings.Trim(t, "[] \t")
		case !inTable && strings.Contains(t, "=") && !strings.HasPrefix(t, "#"):
			key = strings.TrimSpace(t[:strings.IndexByte(t, '=')])
		default:
			continue
		}
		if u, err := strconv.Unquote(key); err == nil {
			key = u
		} else if len(key) >= 2 && key[0] == '\'' && key[len(key)-1] == '\'' {
			key = key[1 : len(key)-1]
		} else if dot := strings.IndexByte(key, '.'); dot > 0 {
			key = strings.TrimSpace(key[:dot])
		}
		if _, seen := lines[key]; !seen {
			lines[key] = first + i
		}
	}
	return lines
}

// tomlNode converts a decoded TOML value to a YAML node at line.
func tomlNode(v any, line int) *yaml.Node {
	scalar := func(tag, value string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value, Line: line}
	}
	switch v := v.(type) {
	case string:
		return scalar("!!str", v)
	case bool:
		return scalar("!!bool", strconv.FormatBool(v))
	case int64:
		return scalar("!!int", strconv.FormatInt(v, 10))
	case float64:
		return scalar("!!float", strconv.FormatFloat(v, 'g', -1, 64))
	case time.Time:
		return scalar("!!timestamp", v.Format(time.RFC3339Nano))
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line}
		for _, item := range v {
			n.Content = append(n.Content, tomlNode(item, line))
		}
		return n
	case []map[string]any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line}
		for _, item := range v {
			n.Content = append(n.Content, tomlNode(item, line))
		}
		return n
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, scalar("!!str", k), tomlNode(v[k], line))
		}
		return n
	default:
		return scalar("!!str", fmt.Sprint(v))
	}
}
