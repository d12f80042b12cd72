package content

import "testing"

func TestParseSite(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		jekyll bool
		want   Site
		wants  []want
	}{
		{"site.yaml", goodSite, false,
			Site{Title: "Test Blog", Author: "Ce Gao", URL: "http://example.org", Language: "zh-CN", License: "CC BY-NC-SA 3.0"}, nil},
		{"empty", "", false, Site{}, nil},
		{"empty values", "title:\ndescription:\n", false, Site{}, nil},
		{"unknown key warns in site.yaml", "title: T\ntheme: dark\n", false, Site{Title: "T"},
			[]want{{2, `unknown site key "theme" ignored`, true}}},
		{"unknown key silent in _config.yml", "title: T\ntheme: minima\nplugins: [a]\n", true, Site{Title: "T"}, nil},
		{"author as a mapping", "author:\n  name: Ce Gao\n  email: x@example.org\n", true, Site{Author: "Ce Gao"}, nil},
		{"lang alias", "lang: zh-CN\n", true, Site{Language: "zh-CN"}, nil},
		{"wrong type is an error in site.yaml", "title: [a]\n", false, Site{}, []want{{1, "title must be text", false}}},
		{"wrong type is a warning in _config.yml", "title: [a]\n", true, Site{}, []want{{1, "title must be text", true}}},
		{"not a mapping", "- a\n", false, Site{}, []want{{1, "must be key: value lines", false}}},
		{"bad yaml", "title: T\nurl: [\n", true, Site{Title: ""}, []want{{2, "invalid YAML", false}}},
		{"control characters", "title: \"\\e[5mT\"\n", false, Site{Title: "\uFFFD[5mT"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "site.yaml"
			if tt.jekyll {
				name = "_config.yml"
			}
			site, _, problems := parseSite(name, []byte(tt.in))
			if site != tt.want {
				t.Errorf("site = %+v, want %+v", site, tt.want)
			}
			checkProblems(t, problems, tt.wants)
		})
	}
}
