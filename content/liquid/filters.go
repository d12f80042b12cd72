package liquid

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/values"
)

// Bounds on the values filters take and make: with every filter's output
// at most a small multiple of its input, and inputs bounded, no chain of
// filters can build a huge value.
const (
	maxValue = 1 << 20 // bytes of a string, or of an array's strings together
	maxItems = 10_000  // items of an array or a range
)

var errValue = errors.New("value too large for a filter (over 1 MiB or 10,000 items)")

// boundedFilters registers filters on an engine, each wrapped by bounded.
type boundedFilters struct{ eng *liquid.Engine }

// AddFilter implements the engine's filter dictionary.
func (d boundedFilters) AddFilter(name string, fn any) {
	d.eng.RegisterFilter(name, bounded(fn))
}

// bounded wraps a filter so that it refuses inputs and outputs over the
// bounds. The wrapper takes its arguments unconverted, so that a range is
// checked before it would become an array; values.Call converts them for fn
// as the engine would.
func bounded(fn any) any {
	f := reflect.ValueOf(fn)
	return func(args ...any) (any, error) {
		for _, a := range args {
			if err := checkSize(a); err != nil {
				return nil, err
			}
		}
		out, err := values.Call(f, args)
		if err != nil {
			return nil, err
		}
		if err := checkSize(out); err != nil {
			return nil, err
		}
		return out, nil
	}
}

func checkSize(v any) error {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if len(v) > maxValue {
			return errValue
		}
		return nil
	case values.Range:
		if v.Len() > maxItems {
			return errValue
		}
		return nil
	case []any:
		if len(v) > maxItems {
			return errValue
		}
		n := 0
		for _, x := range v {
			if s, ok := x.(string); ok {
				n += len(s)
			}
		}
		if n > maxValue {
			return errValue
		}
		return nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.Len() > maxItems {
		return errValue
	}
	return nil
}

// addJekyllFilters adds the filters Jekyll adds to Liquid's, and bounded
// versions of the standard filters whose output can be the product of
// their inputs' sizes.
func addJekyllFilters(d boundedFilters, env *Env) {
	d.AddFilter("replace", replaceFilter)
	d.AddFilter("join", joinFilter)

	d.AddFilter("relative_url", func(s any) string { return relativeURL(env, s) })
	d.AddFilter("absolute_url", func(s any) string { return absoluteURL(env, s) })
	d.AddFilter("date_to_string", func(t time.Time) string { return t.Format("02 Jan 2006") })
	d.AddFilter("date_to_long_string", func(t time.Time) string { return t.Format("02 January 2006") })
	d.AddFilter("date_to_xmlschema", func(t time.Time) string { return t.Format(time.RFC3339) })
	d.AddFilter("date_to_rfc822", func(t time.Time) string { return t.Format(time.RFC1123Z) })
	d.AddFilter("xml_escape", html.EscapeString)
	d.AddFilter("cgi_escape", url.QueryEscape)
	d.AddFilter("uri_escape", uriEscape)
	d.AddFilter("markdownify", func(s string) string { return s }) // the whole post is Markdown already
	d.AddFilter("smartify", func(s string) string { return s })
	d.AddFilter("slugify", slugify)
	d.AddFilter("jsonify", jsonify)
	d.AddFilter("number_of_words", func(s string) int { return len(strings.Fields(s)) })
	d.AddFilter("normalize_whitespace", func(s string) string { return strings.Join(strings.Fields(s), " ") })
	d.AddFilter("strip_index", func(s string) string { return strings.TrimSuffix(s, "index.html") })
	d.AddFilter("array_to_sentence_string", arrayToSentence)
	d.AddFilter("where", where)
	d.AddFilter("group_by", groupBy)
	d.AddFilter("push", func(a []any, v any) []any { return append(a[:len(a):len(a)], v) })
	d.AddFilter("unshift", func(a []any, v any) []any { return append([]any{v}, a...) })
	d.AddFilter("pop", func(a []any) []any {
		if len(a) == 0 {
			return a
		}
		return a[:len(a)-1]
	})
	d.AddFilter("shift", func(a []any) []any {
		if len(a) == 0 {
			return a
		}
		return a[1:]
	})
}

// replaceFilter is the standard replace, refusing a result over the bound
// before it builds it.
func replaceFilter(s, old, repl string) (string, error) {
	if n := strings.Count(s, old); len(s)+n*(len(repl)-len(old)) > maxValue {
		return "", errValue
	}
	return strings.ReplaceAll(s, old, repl), nil
}

// joinFilter is the standard join, refusing a result over the bound before
// it builds it.
func joinFilter(a []any, sep func(string) string) (string, error) {
	s := sep(" ")
	parts := make([]string, 0, len(a))
	n := len(s) * len(a)
	for _, v := range a {
		if v == nil {
			continue
		}
		p := fmt.Sprint(v)
		n += len(p)
		if n > maxValue {
			return "", errValue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, s), nil
}

func siteString(env *Env, key string) string {
	s, _ := env.Site[key].(string)
	return strings.TrimSpace(s)
}

// relativeURL is Jekyll's relative_url: the base URL, then the path.
func relativeURL(env *Env, v any) string {
	s := toString(v)
	if hasScheme(s) {
		return s
	}
	base := strings.TrimSuffix(siteString(env, "baseurl"), "/")
	if base != "" && !strings.HasPrefix(base, "/") && !hasScheme(base) {
		base = "/" + base
	}
	if s != "" && !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	if base == "" && s == "" {
		return "/"
	}
	return base + s
}

// absoluteURL is Jekyll's absolute_url: the site's URL, the base URL, the
// path.
func absoluteURL(env *Env, v any) string {
	s := toString(v)
	if hasScheme(s) {
		return s
	}
	rel := relativeURL(env, s)
	if hasScheme(rel) {
		return rel // a base URL with a scheme: the blog's own way to say it
	}
	return strings.TrimSuffix(siteString(env, "url"), "/") + rel
}

func toString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	return fmt.Sprint(v)
}

var schemeRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

func hasScheme(s string) bool { return schemeRE.MatchString(s) || strings.HasPrefix(s, "//") }

// uriEscape is Jekyll's uri_escape: percent-encodes what may not appear in
// a URI, keeping its reserved characters.
func uriEscape(s string) string {
	const keep = "-_.~!*'();:@&=+$,/?#[]%"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte(keep, c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// slugify is Jekyll's slugify in its default mode: lower case, runs of
// anything but letters, marks and digits become one hyphen. Mode "raw"
// replaces only spaces, "none" nothing.
func slugify(s string, mode func(string) string) string {
	switch mode("default") {
	case "none":
		return s
	case "raw":
		return strings.ToLower(strings.Join(strings.Fields(s), "-"))
	}
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		} else {
			dash = true
		}
	}
	return b.String()
}

func jsonify(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// arrayToSentence is Jekyll's array_to_sentence_string: "a, b, and c".
func arrayToSentence(a []any, conn func(string) string) string {
	c := conn("and")
	parts := make([]string, len(a))
	for i, v := range a {
		parts[i] = toString(v)
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " " + c + " " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + ", " + c + " " + parts[len(parts)-1]
}

// property returns item[key] for a map item.
func property(item any, key string) (any, bool) {
	rv := reflect.ValueOf(item)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	v := rv.MapIndex(reflect.ValueOf(key).Convert(rv.Type().Key()))
	if !v.IsValid() {
		return nil, false
	}
	return v.Interface(), true
}

// where is Jekyll's where: the items whose property equals value, or, for
// an array property, contains it.
func where(a []any, key string, value any) []any {
	want := toString(value)
	var out []any
	for _, item := range a {
		p, ok := property(item, key)
		if !ok {
			continue
		}
		if list, isList := p.([]any); isList {
			for _, x := range list {
				if toString(x) == want {
					out = append(out, item)
					break
				}
			}
		} else if toString(p) == want {
			out = append(out, item)
		}
	}
	return out
}

// groupBy is Jekyll's group_by: [{name, items, size}] by a property.
func groupBy(a []any, key string) []any {
	var out []any
	index := map[string]map[string]any{}
	for _, item := range a {
		p, _ := property(item, key)
		name := toString(p)
		g, ok := index[name]
		if !ok {
			g = map[string]any{"name": name, "items": []any{}, "size": 0}
			index[name] = g
			out = append(out, g)
		}
		g["items"] = append(g["items"].([]any), item)
		g["size"] = g["size"].(int) + 1
	}
	return out
}
