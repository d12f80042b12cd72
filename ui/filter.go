package ui

import (
	"strings"

	"github.com/sshblog/sshblog/content"
)

// foldTerms splits a filter query into lower-cased terms. A term never holds
// white space (postKeys relies on it).
func foldTerms(query string) []string {
	return strings.Fields(strings.ToLower(query))
}

// matchesAll reports whether every term occurs, case-insensitively, in one of
// the fields or list items. Matching is by substring, which works for CJK
// titles where a fuzzy matcher's word boundaries do not exist. It allocates
// only for fields with upper-case letters (strings.ToLower returns the others
// as they are). The post list matches through its postKeys instead; this
// serves the shorter lists.
func matchesAll(terms []string, fields []string, lists ...[]string) bool {
	for _, t := range terms {
		if !containsFold(t, fields, lists) {
			return false
		}
	}
	return true
}

func containsFold(term string, fields []string, lists [][]string) bool {
	for _, f := range fields {
		if f != "" && strings.Contains(strings.ToLower(f), term) {
			return true
		}
	}
	for _, l := range lists {
		for _, f := range l {
			if strings.Contains(strings.ToLower(f), term) {
				return true
			}
		}
	}
	return false
}

// narrows reports whether every item that matches terms also matched old:
// each old term is part of a new one, as when the query grows by a letter.
// The list then checks only the items it showed.
func narrows(old, terms []string) bool {
	if len(old) == 0 {
		return false
	}
	for _, o := range old {
		found := false
		for _, t := range terms {
			if strings.Contains(t, o) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// postFields are the texts of p the post list filters on.
func postFields(p *content.Post) ([6]string, [][]string) {
	return [...]string{p.Title, p.Subtitle, p.Description, p.Excerpt, p.Headline, p.Slug}, [][]string{p.Tags, p.Categories}
}

// postKeys is the text the post list filters on: each post's fields,
// lower-cased, one after another in one string, with a newline (which no
// term holds) between fields so that no match spans two. A keystroke then
// reads one block of memory. Matching each post's fields cost 5-19 ms of
// CPU a keystroke at 10,000 posts: strings.ToLower copied every field with
// a capital, and even compared without copies (tried: 2.7 ms), reading a
// post struct and a dozen strings scattered over the heap per post is slow.
type postKeys struct {
	text string
	end  []int // end[i] is where post i's text ends; it starts at end[i-1]
}

func newPostKeys(posts []*content.Post) *postKeys {
	k := &postKeys{end: make([]int, len(posts))}
	var b strings.Builder
	for i, p := range posts {
		fields, lists := postFields(p)
		for _, f := range fields {
			b.WriteString(strings.ToLower(f))
			b.WriteByte('\n')
		}
		for _, l := range lists {
			for _, f := range l {
				b.WriteString(strings.ToLower(f))
				b.WriteByte('\n')
			}
		}
		k.end[i] = b.Len()
	}
	k.text = b.String()
	return k
}

// of returns post i's text.
func (k *postKeys) of(i int) string {
	start := 0
	if i > 0 {
		start = k.end[i-1]
	}
	return k.text[start:k.end[i]]
}

// postMatcher matches a list of posts, all of a snapshot's or those with
// one tag, against the snapshot's postKeys, found on first use.
type postMatcher struct {
	cache *Cache
	snap  *content.Snapshot
	keys  *postKeys
	at    []int // position in snap.Posts() of each listed post; nil when the list is all of them
}

// match reports whether posts[i], of a list of posts of m.snap, holds every
// term.
func (m *postMatcher) match(posts []*content.Post, i int, terms []string) bool {
	if m.keys == nil {
		m.keys = m.cache.postKeys(m.snap)
		m.at = positions(m.snap.Posts(), posts)
	}
	j := i
	if m.at != nil {
		j = m.at[i]
	}
	if j < 0 { // not among the snapshot's posts: never so, but stay correct
		fields, lists := postFields(posts[i])
		return matchesAll(terms, fields[:], lists...)
	}
	text := m.keys.of(j)
	for _, t := range terms {
		if !strings.Contains(text, t) {
			return false
		}
	}
	return true
}

// positions finds each of sub, a subsequence of all (as a tag's posts are
// of every post, in the same order), in all; -1 for one that is not there.
// It returns nil when sub is all.
func positions(all, sub []*content.Post) []int {
	if len(sub) == len(all) && (len(all) == 0 || &sub[0] == &all[0]) {
		return nil
	}
	at := make([]int, len(sub))
	j := 0
	for i, p := range sub {
		k := j
		for k < len(all) && all[k] != p {
			k++
		}
		if k == len(all) {
			at[i] = -1
			continue
		}
		at[i], j = k, k+1
	}
	return at
}
