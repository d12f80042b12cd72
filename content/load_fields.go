package content

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/sshblog/sshblog/content/termsafe"
)

// This file decodes YAML mappings (front matter, site.yaml, list entries)
// key by key from yaml.v3 nodes rather than into structs: that way every
// problem carries the line of the key it concerns, unknown keys become
// warnings, and one wrong field does not hide the others.

// fieldSetter stores a mapping value in its destination, or says what is
// wrong with it ("must be true or false").
type fieldSetter func(v *yaml.Node) error

// unknownKeys says what to do with a key no fieldSetter claims.
type unknownKeys int

const (
	warnUnknown    unknownKeys = iota // a warning naming the key
	ignoreUnknown                     // silently skipped (Jekyll's _config.yml)
	collectUnknown                    // returned, for one summary of the whole blog (front matter)
)

// mappingRules says how decodeMapping treats a mapping's keys.
type mappingRules struct {
	what    string      // names the mapping in messages: "front matter", "book"
	unknown unknownKeys // keys no setter claims
	// warnOnly reports whether a bad value of key is only a warning (the
	// value is ignored). nil: every bad value is an error.
	warnOnly func(key string) bool
	// foldCase matches keys without regard to case, as Hugo does.
	foldCase bool
}

// decodeMapping walks the mapping m and applies fields to its values. It
// returns the problems found and, with collectUnknown, the keys no setter
// claims.
func decodeMapping(file string, m *yaml.Node, fields map[string]fieldSetter, r mappingRules) (problems []Problem, unused []string) {
	seen := make(map[string]int, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], resolve(m.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			problems = append(problems, Problem{File: file, Line: k.Line, Warning: r.warnOnly != nil,
				Message: r.what + " keys must be plain names"})
			continue
		}
		key := k.Value
		if r.foldCase {
			key = strings.ToLower(key)
		}
		if first, dup := seen[key]; dup {
			problems = append(problems, Problem{File: file, Line: k.Line, Warning: r.warnOnly != nil && r.warnOnly(key),
				Message: fmt.Sprintf("duplicate %s key %q (first at line %d)", r.what, key, first)})
			continue
		}
		seen[key] = k.Line
		set, ok := fields[key]
		if !ok {
			switch r.unknown {
			case warnUnknown:
				problems = append(problems, Problem{File: file, Line: k.Line, Warning: true,
					Message: fmt.Sprintf("unknown %s key %q ignored", r.what, key)})
			case collectUnknown:
				unused = append(unused, key)
			}
			continue
		}
		if err := set(v); err != nil {
			warn := r.warnOnly != nil && r.warnOnly(key)
			msg := fmt.Sprintf("%s %v", key, err)
			if warn {
				msg += " (ignored)"
			}
			problems = append(problems, Problem{File: file, Line: k.Line, Warning: warn, Message: msg})
		}
	}
	return problems, unused
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or an empty value ("description:").
func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// kindName names a node's kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	default:
		return "a " + strings.TrimPrefix(n.Tag, "!!")
	}
}

// scalarText returns the text of a scalar; null is "".
func scalarText(v *yaml.Node) (string, error) {
	if isNull(v) {
		return "", nil
	}
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("must be text, not %s", kindName(v))
	}
	return v.Value, nil
}

// textField stores a single-line text value, sanitised and trimmed.
func textField(dst *string) fieldSetter {
	return func(v *yaml.Node) error {
		s, err := scalarText(v)
		*dst = strings.TrimSpace(termsafe.Line(s))
		return err
	}
}

// proseField stores a text value that may span lines (a note), sanitised.
func proseField(dst *string) fieldSetter {
	return func(v *yaml.Node) error {
		s, err := scalarText(v)
		*dst = strings.TrimSpace(termsafe.String(s))
		return err
	}
}

// boolField stores true or false; null is false.
func boolField(dst *bool) fieldSetter {
	return func(v *yaml.Node) error {
		if isNull(v) {
			*dst = false
			return nil
		}
		if v.Kind != yaml.ScalarNode || v.Decode(dst) != nil {
			return fmt.Errorf("must be true or false, not %s", describe(v))
		}
		return nil
	}
}

// intField stores a whole number; null is 0.
func intField(dst *int) fieldSetter {
	return func(v *yaml.Node) error {
		if isNull(v) {
			*dst = 0
			return nil
		}
		if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Decode(dst) != nil {
			return fmt.Errorf("must be a whole number, not %s", describe(v))
		}
		return nil
	}
}

// listSeparators splits a tag or category string written on one line: on
// spaces and commas, the ideographic ones ("，", "、") included.
var listSeparators = regexp.MustCompile(`[\s,，、]+`)

// listField stores a list of single-line texts. A list is written as a YAML
// sequence; a plain string is one item, or, when split is set, several
// items separated by spaces or commas (Jekyll's "tags: go ssh", or
// "tags: 读书，生活"). Empty items
// and repeats are dropped.
func listField(dst *[]string, split bool) fieldSetter {
	return func(v *yaml.Node) error {
		*dst = nil
		var items []string
		switch {
		case isNull(v):
		case v.Kind == yaml.ScalarNode:
			if split {
				items = listSeparators.Split(v.Value, -1)
			} else {
				items = []string{v.Value}
			}
		case v.Kind == yaml.SequenceNode:
			for _, item := range v.Content {
				item = resolve(item)
				if isNull(item) {
					continue
				}
				if item.Kind != yaml.ScalarNode {
					return fmt.Errorf("must be a list of texts, but an item is %s", kindName(item))
				}
				items = append(items, item.Value)
			}
		default:
			return fmt.Errorf("must be a list, not %s", kindName(v))
		}
		seen := make(map[string]bool, len(items))
		for _, s := range items {
			s = strings.TrimSpace(termsafe.Line(s))
			if s == "" || seen[s] {
				continue
			}
			seen[s] = true
			*dst = append(*dst, s)
		}
		return nil
	}
}

// dateLayouts are the date forms accepted in front matter, as lenient as
// Jekyll (Ruby's Time.parse) and Hugo are for the forms blogs use: a date
// with one- or two-digit months and days, with or without a time (with or
// without seconds, "T" or a space before it), with an offset such as
// "+0800", "+08:00", "+08" or "Z", or none (UTC). Go's non-padded layout
// elements ("1", "2", "15", "4", "5") accept one or two digits, and
// fractional seconds are accepted after the seconds.
var dateLayouts = []string{
	"2006-1-2",
	"2006-1-2 15:4:5 -0700",
	"2006-1-2 15:4:5",
	"2006-1-2 15:4:5 Z07:00",
	"2006-1-2 15:4:5Z07:00",
	"2006-1-2 15:4:5-0700",
	"2006-1-2 15:4:5 -07",
	"2006-1-2 15:4:5 MST",
	"2006-1-2 15:4 -0700",
	"2006-1-2 15:4 Z07:00",
	"2006-1-2 15:4Z07:00",
	"2006-1-2 15:4",
	"2006-1-2 -0700",
	"2006/1/2 15:4:5",
	"2006/1/2 15:4",
	"2006/1/2",
}

// parseDate parses s in one of dateLayouts.
func parseDate(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	// "2006-01-02T15:04:05Z07:00" and friends: the T is a space here.
	if i := strings.IndexByte(s, 'T'); i >= 8 && i <= 10 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
		s = s[:i] + " " + s[i+1:]
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dateField stores a date; null leaves the zero time.
func dateField(dst *time.Time) fieldSetter {
	return func(v *yaml.Node) error {
		*dst = time.Time{}
		if isNull(v) || v.Kind == yaml.ScalarNode && strings.TrimSpace(v.Value) == "" {
			return nil
		}
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("must be a date, not %s", kindName(v))
		}
		t, ok := parseDate(v.Value)
		if !ok {
			return fmt.Errorf("is not a date: %q (use 2020-12-26, 2020-12-26 10:00:00 +0800 or RFC 3339)", v.Value)
		}
		*dst = t
		return nil
	}
}

// describe names a value for a type error: its text when it is a short
// scalar, else its kind.
func describe(v *yaml.Node) string {
	if v.Kind == yaml.ScalarNode && utf8.RuneCountInString(v.Value) <= 40 {
		return strconv.Quote(v.Value)
	}
	return kindName(v)
}

// yamlErrorLine matches yaml.v3's "yaml: line N: message".
var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserErrors are the messages of yaml.v3's parser (as opposed to its
// scanner). yaml.v3 reports their lines counted from 0, where the
// construct that failed begins; scanner errors are counted from 1.
var yamlParserErrors = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlProblem turns a yaml.v3 parse error into a problem. The error's line
// is relative to the parsed text, which starts at line first of the file
// and has lines lines; errors without a line are placed at first, and an
// error at the end of the text on its last line.
func yamlProblem(file string, err error, first, lines int) Problem {
	msg := err.Error()
	if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		if yamlParserErrors[m[2]] {
			n++
		}
		n = min(max(n, 1), max(lines, 1))
		return Problem{File: file, Line: first + n - 1, Message: "invalid YAML: " + m[2]}
	}
	return Problem{File: file, Line: first, Message: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// readText checks that data is text, valid UTF-8 without NUL bytes, and
// returns it (nil for a binary file, with a NUL byte; with U+FFFD for
// invalid UTF-8, along with the problem) with line ends normalised to "\n" (from "\r\n" and a lone
// "\r", which YAML and editors also take as line ends), so lines are
// counted alike everywhere. A problem is at the line of the first
// offending byte.
func readText(file string, data []byte) ([]byte, *Problem) {
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, &Problem{File: file, Line: 1 + bytes.Count(data[:i], []byte("\n")),
			Message: "text contains a NUL byte (binary file?)"}
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return bytes.ToValidUTF8(data, []byte("\uFFFD")), &Problem{File: file, Line: 1 + bytes.Count(data[:i], []byte("\n")),
			Message: "text is not valid UTF-8"}
	}
	return data, nil
}

// lineCount is the number of lines in text, counting a last line without
// a newline.
func lineCount(text []byte) int {
	n := bytes.Count(text, []byte("\n"))
	if len(text) > 0 && text[len(text)-1] != '\n' {
		n++
	}
	return n
}

// parseYAML parses data as one YAML document that starts at line first of
// file. It returns nil and no problem for an empty document.
func parseYAML(file string, data []byte, first int) (*yaml.Node, *Problem) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p := yamlProblem(file, err, first, lineCount(data))
		return nil, &p
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	root := resolve(doc.Content[0])
	if isNull(root) {
		return nil, nil
	}
	shiftLines(root, first-1, max(lineCount(data), 1), make(map[*yaml.Node]bool))
	return root, nil
}

// shiftLines moves the line of n and everything below it, each node once
// (aliases can share nodes), by delta, to count them in the whole file.
// yaml.v3 also takes U+0085, U+2028 and U+2029 as line ends, which we do
// not; lines are capped at last so they stay inside the text.
func shiftLines(n *yaml.Node, delta, last int, done map[*yaml.Node]bool) {
	if n == nil || done[n] {
		return
	}
	done[n] = true
	n.Line = min(n.Line, last) + delta
	for _, c := range n.Content {
		shiftLines(c, delta, last, done)
	}
}
