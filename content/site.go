package content

import (
	"gopkg.in/yaml.v3"

	"github.com/sshblog/sshblog/content/termsafe"
)

// siteFields returns the setters for the keys of site.yaml. lang is
// accepted for language, as many Jekyll themes spell it.
func siteFields(s *Site) map[string]fieldSetter {
	return map[string]fieldSetter{
		"title":       textField(&s.Title),
		"description": textField(&s.Description),
		"author":      authorField(&s.Author),
		"url":         textField(&s.URL),
		"baseurl":     textField(&s.BaseURL),
		"language":    textField(&s.Language),
		"lang":        textField(&s.Language),
		"license":     textField(&s.License),
	}
}

// authorField stores the site's author, written as text or, as many Jekyll
// themes do, as a mapping with a name ("author: {name: Ce Gao, email: ...}").
func authorField(dst *string) fieldSetter {
	text := textField(dst)
	return func(v *yaml.Node) error {
		if v.Kind == yaml.MappingNode {
			if name := mappingValue(v, "name"); name != nil {
				return text(name)
			}
		}
		return text(v)
	}
}

// parseSite parses a site configuration file. A Jekyll _config.yml
// (jekyll set) holds many keys for Jekyll itself: those are ignored
// silently, and a known key of an unexpected type is only a warning, since
// the file is Jekyll's before it is ours. In site.yaml both are reported.
func parseSite(file string, data []byte, jekyll bool) (Site, []Problem) {
	file = termsafe.Line(file)
	var site Site
	data, p := readText(file, data)
	if p != nil {
		return site, []Problem{*p}
	}
	root, p := parseYAML(file, data, 1)
	if p != nil {
		return site, []Problem{*p}
	}
	if root == nil {
		return site, nil
	}
	if root.Kind != yaml.MappingNode {
		return site, []Problem{{File: file, Line: root.Line, Message: "must be key: value lines (title: ..., author: ...)"}}
	}
	unknown := warnUnknown
	if jekyll {
		unknown = ignoreUnknown
	}
	return site, decodeMapping(file, root, "site", siteFields(&site), unknown, jekyll)
}
