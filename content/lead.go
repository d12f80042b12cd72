package content

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sshblog/sshblog/content/termsafe"
)

// Lead returns the first paragraph-like line of the post's body (see
// lead), at most LeadMax bytes, for list rows of posts without a
// description. Load works it out once, so listing posts never reads their
// bodies (a store reads them from git); for a post built in memory it is
// worked out from Body.
func (p *Post) Lead() string {
	if p.lead == "" && p.Body != "" {
		return lead([]byte(p.Body))
	}
	return p.lead
}

// LeadMax bounds Post.Lead in bytes: a list row shows one line of it.
const LeadMax = 200

// leadScan bounds how much of a body lead reads.
const leadScan = 4096

// markdownLink matches [text](target) so a lead shows only the text.
var markdownLink = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)

// lead returns the first paragraph-like line of a Markdown body, without
// link targets or emphasis markers, at most LeadMax bytes (cut at a
// character), for list rows of posts that have no description. It skips
// headings, HTML, Liquid tags, tables, code fences and images, and looks
// only at the start of the body.
func lead(body []byte) string {
	if len(body) > leadScan {
		body = body[:leadScan]
	}
	text := termsafe.String(strings.ToValidUTF8(string(body), ""))
	inTag := false // within an HTML tag written over several lines
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		line = strings.TrimSpace(line)
		if inTag {
			inTag = !strings.Contains(line, ">")
			continue
		}
		if line == "" || strings.ContainsAny(line[:1], "<{#|!`>-*+=") {
			inTag = line != "" && line[0] == '<' && strings.LastIndexByte(line, '<') > strings.LastIndexByte(line, '>')
			continue
		}
		line = markdownLink.ReplaceAllString(line, "$1")
		line = strings.NewReplacer("**", "", "__", "", "`", "").Replace(line)
		if len(line) > LeadMax {
			cut := LeadMax
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			line = line[:cut]
		}
		// A copy: the line may share the memory of the whole text read,
		// which the post would keep (4 KB a post instead of 200 bytes).
		return strings.Clone(line)
	}
	return ""
}
