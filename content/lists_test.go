package content

import (
	"reflect"
	"testing"
)

func TestParseBooks(t *testing.T) {
	in := `# reading log
- title: 数据库系统内幕
  original: Database Internals
  authors: [Alex Petrov]
  translators: [茄子, Eric]
  publisher: 机械工业出版社
  year: 2020
  status: read
  times: 1
  rating: 5
  recommended: true
  tags: 数据库, 存储
  note: |
    比较友善的读物。
    推荐。
  link: https://example.org/db
  post: 2020-year-in-review

- title: Running Lean
  author: Ash Maurya
  translator: 某人
  url: https://example.org/rl
`
	books, refs, problems := parseBooks("books.yaml", []byte(in))
	if len(problems) > 0 {
		t.Fatalf("problems:\n%s", list(problems))
	}
	want := []Book{{
		Title: "数据库系统内幕", Original: "Database Internals", Authors: []string{"Alex Petrov"},
		Translators: []string{"茄子", "Eric"}, Publisher: "机械工业出版社", Year: 2020, Status: "read",
		Times: 1, Rating: 5, Recommended: true, Tags: []string{"数据库", "存储"},
		Note: "比较友善的读物。\n推荐。", Link: "https://example.org/db", Post: "2020-year-in-review", Line: 2,
	}, {
		Title: "Running Lean", Authors: []string{"Ash Maurya"}, Translators: []string{"某人"},
		Link: "https://example.org/rl", Line: 19,
	}}
	if !reflect.DeepEqual(books, want) {
		t.Errorf("got  %+v\nwant %+v", books, want)
	}
	if len(refs) != 1 || refs[0] != (listRef{file: "books.yaml", slug: "2020-year-in-review", line: 17}) {
		t.Errorf("refs %+v", refs)
	}
}

func TestParsePapers(t *testing.T) {
	in := `- title: "Overlapping Experiment Infrastructure: More, Better, Faster Experimentation"
  authors: [Diane Tang, Ashish Agarwal, Deirdre O'Brien, Mike Meyer]
  venue: KDD'10
  published: 2010
  year: 2020
  status: read
  recommended: true
  topic: A/B 测试
  post: x
`
	papers, refs, problems := parsePapers("papers.yaml", []byte(in))
	if len(problems) > 0 {
		t.Fatalf("problems:\n%s", list(problems))
	}
	want := []Paper{{
		Title:   "Overlapping Experiment Infrastructure: More, Better, Faster Experimentation",
		Authors: []string{"Diane Tang", "Ashish Agarwal", "Deirdre O'Brien", "Mike Meyer"},
		Venue:   "KDD'10", Published: 2010, Year: 2020, Status: "read", Recommended: true,
		Topic: "A/B 测试", Post: "x", Line: 1,
	}}
	if !reflect.DeepEqual(papers, want) {
		t.Errorf("got  %+v\nwant %+v", papers, want)
	}
	if len(refs) != 1 || refs[0].line != 9 {
		t.Errorf("refs %+v", refs)
	}
}

func TestListProblems(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		wants []want
	}{
		{"empty file", "", nil},
		{"only comments", "# nothing yet\n", nil},
		{"not a list", "title: x\n", []want{{1, "must be a list of books", false}}},
		{"entry not a mapping", "- just a title\n- title: ok\n", []want{{1, "each book must be a set of fields", false}}},
		{"missing title", "- title: a\n- authors: [b]\n  year: 2020\n", []want{{2, "missing title", false}}},
		{"empty title", "- title:\n", []want{{1, "missing title", false}}},
		{"title of the wrong type", "- title: {a: b}\n", []want{{1, "title must be text, not a mapping", false}}},
		{"unknown field", "- title: a\n  colour: red\n", []want{{2, `unknown book key "colour" ignored`, true}}},
		{"wrong types on their lines", "- title: a\n  year: twenty\n  recommended: sure\n  authors: {x: y}\n  rating: 4.5\n",
			[]want{{2, "year must be a whole number", false}, {3, "recommended must be true or false", false},
				{4, "authors must be a list", false}, {5, "rating must be a whole number", false}}},
		{"rating out of range", "- title: a\n  rating: 6\n", []want{{2, "rating 6 is out of range", false}}},
		{"negative times", "- title: a\n  times: -1\n", []want{{2, "times -1 must not be negative", false}}},
		{"unknown status", "- title: a\n  status: skimmed\n", []want{{2, `unknown status "skimmed"`, true}}},
		{"duplicate field", "- title: a\n  title: b\n", []want{{2, "duplicate book key", false}}},
		{"bad yaml", "- title: a\n- title: [b\n", []want{{2, "invalid YAML", false}}},
		{"bad indentation", "- title: a\n   year: 2020\n", []want{{2, "invalid YAML", false}}},
		{"not utf-8", "- title: a\n- title: \xc3\x28\n", []want{{2, "not valid UTF-8", false}}},
		{"errors in several entries", "- year: 1\n- title: ok\n- title: b\n  year: x\n",
			[]want{{1, "missing title", false}, {4, "year must be", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, problems := parseBooks("books.yaml", []byte(tt.in))
			checkProblems(t, tidy(problems), tt.wants)
		})
	}
}

func TestPaperStatus(t *testing.T) {
	_, _, problems := parsePapers("papers.yaml", []byte("- title: a\n  status: reread\n"))
	checkProblems(t, problems, []want{{2, `unknown status "reread" (known: read, reading, want)`, true}})
}
