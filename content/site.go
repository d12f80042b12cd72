package content

import (
	"net/url"
	pathpkg "path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sshblog/sshblog/content/termsafe"
)

// siteFields returns the setters for the keys of a site configuration.
// lang is accepted for language, as many Jekyll themes spell it; Hugo's
// baseURL, languageCode, copyright and params.description/author are
// mapped too (Hugo's keys are matched without regard to case).
func siteFields(s *Site, hugo bool) map[string]fieldSetter {
	f := map[string]fieldSetter{
		"title":       textField(&s.Title),
		"description": plainField(&s.Description),
		"author":      authorField(&s.Author),
		"url":         textField(&s.URL),
		"baseurl":     textField(&s.BaseURL),
		"language":    textField(&s.Language),
		"lang":        textField(&s.Language),
		"license":     textField(&s.License),
	}
	if hugo {
		f["languagecode"] = textField(&s.Language)
		f["copyright"] = textField(&s.License)
		f["params"] = hugoParams(s)
	}
	return f
}

// hugoParams reads the site fields Hugo themes keep under [params].
func hugoParams(s *Site) fieldSetter {
	return func(v *yaml.Node) error {
		if v.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := strings.ToLower(v.Content[i].Value), resolve(v.Content[i+1])
			switch {
			case k == "description" && s.Description == "":
				_ = plainField(&s.Description)(val)
			case k == "author" && s.Author == "":
				_ = authorField(&s.Author)(val)
			}
		}
		return nil
	}
}

// authorField stores an author, written as text, as a mapping with a name
// ("author: {name: Ce Gao, email: ...}", as many Jekyll themes do), or as
// a list of either (Hugo's authors), the first one.
func authorField(dst *string) fieldSetter {
	text := plainField(dst)
	return func(v *yaml.Node) error {
		if v.Kind == yaml.SequenceNode {
			if len(v.Content) == 0 {
				*dst = ""
				return nil
			}
			v = resolve(v.Content[0])
		}
		if v.Kind == yaml.MappingNode {
			if name := mappingValue(v, "name"); name != nil {
				return text(name)
			}
		}
		return text(v)
	}
}

// parseSite parses a site configuration file: site.yaml (sshblog's),
// _config.yml (Jekyll's) or hugo.toml, config.toml, config.yaml (Hugo's),
// in YAML, TOML or JSON by its extension. A Jekyll or Hugo file holds many
// keys for Jekyll or Hugo itself: those are ignored silently, and a known
// key of an unexpected type is only a warning, since the file is theirs
// before it is ours. In site.yaml both are reported. A file that does not
// parse is an error, and the blog is served with an empty configuration.
//
// It returns the site and the whole file as a map, for Liquid's site.*.
func parseSite(file string, data []byte) (Site, map[string]any, []Problem) {
	file = termsafe.Line(file)
	d := dialectOf(file)
	var site Site
	data, p := readText(file, data)
	if p != nil {
		return site, nil, []Problem{*p}
	}
	var root *yaml.Node
	if strings.HasSuffix(file, ".toml") {
		root, p = parseTOML(file, data, 1)
	} else {
		root, p = parseYAML(file, data, 1) // JSON is YAML's flow style
	}
	if p != nil {
		return site, nil, []Problem{*p}
	}
	if root == nil {
		return site, nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return site, nil, []Problem{{File: file, Line: root.Line, Message: "must be key: value lines (title: ..., author: ...)"}}
	}
	rules := mappingRules{what: "site"}
	if d != dialectNative {
		rules.unknown = ignoreUnknown
		rules.warnOnly = func(string) bool { return true }
		rules.foldCase = d == dialectHugo
	}
	problems, _ := decodeMapping(file, root, siteFields(&site, d == dialectHugo), rules)
	site.URL, site.BaseURL = siteAddress(site.URL, site.BaseURL)
	var config map[string]any
	if err := root.Decode(&config); err != nil {
		config = nil // a shape yaml.v3 cannot hold in a map: Liquid sees no site.*
	}
	return site, config, problems
}

// siteAddress makes url and baseurl an origin and a path, joined once:
// whichever of the two is an absolute URL gives the origin (some themes
// swap them: gaocegege/Blog has baseurl: http://gaocegege.com and url:
// /Blog), a path in it is prepended to the other's, and the path gets one
// leading slash and no trailing one. Hugo's baseURL, which holds both, is
// split alike.
func siteAddress(rawURL, base string) (origin, path string) {
	if !isAbsURL(rawURL) && isAbsURL(base) {
		rawURL, base = base, rawURL
	}
	if u, err := url.Parse(rawURL); err == nil && isAbsURL(rawURL) {
		origin = u.Scheme + "://" + u.Host
		if p := strings.Trim(u.Path, "/"); p != "" && !strings.HasPrefix(strings.Trim(base, "/")+"/", p+"/") {
			base = p + "/" + strings.Trim(base, "/")
		}
	} else if strings.HasPrefix(rawURL, "/") && base == "" {
		base = rawURL // a path alone: the blog's base path
	}
	base = strings.Trim(base, "/ ")
	if base == "" {
		return origin, ""
	}
	return origin, pathpkg.Clean("/" + base)
}

// isAbsURL reports whether s is an absolute URL with a host.
func isAbsURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && u.Scheme != "" && u.Host != ""
}
