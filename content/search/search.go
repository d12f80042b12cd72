// Package search owns the blog's full-text index: posts' and pages'
// titles, descriptions, bodies and tags, and the books and papers, searched
// in Chinese and English together.
//
// The index is Bleve's (github.com/blevesearch/bleve/v2), in memory (scorch
// without a path: nothing is written to disk, so nothing can reach git).
// One analyzer reads both languages: Unicode word breaking, full-width
// forms folded, lower case, Chinese, Japanese and Korean runs cut into
// overlapping two-character terms (so 部署 and 流处理 are found inside
// sentences that have no spaces), and English stemmed (render finds
// rendering). Code blocks, code spans and URLs are indexed in a field of
// their own that weighs less than the prose, which weighs less than tags and
// the title.
//
// An Index follows the blog's snapshots: Update brings it to a snapshot by
// re-indexing only the documents whose version changed since the last one.
// The numbers (10,000 generated posts) are in the README's "Search" part
// and in bench_test.go.
package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bquery "github.com/blevesearch/bleve/v2/search/query"

	"github.com/sshblog/sshblog/content"
)

// The fields of an indexed document and how much a match in each counts.
const (
	fieldTitle = "title"
	fieldTags  = "tags"
	fieldText  = "text" // description, subtitle, excerpt and prose
	fieldCode  = "code" // code blocks, code spans, HTML tags, URLs
)

var fieldBoosts = []struct {
	name  string
	boost float64
}{{fieldTitle, 4}, {fieldTags, 3}, {fieldText, 1}, {fieldCode, 0.3}}

// analyzerName names the analyzer of every field: both languages at once.
const analyzerName = "zh_en"

// Kinds of hit.
const (
	KindPost  = "post"
	KindPage  = "page"
	KindBook  = "book"
	KindPaper = "paper"
)

// Hit is one search result.
type Hit struct {
	Kind  string    // KindPost, KindPage, KindBook or KindPaper
	Slug  string    // a post's or page's slug; "" for books and papers
	Title string    // the post's, page's, book's or paper's title
	Date  time.Time // a post's or page's date; zero for the others
	Score float64   // higher is better; only the order means anything
	// Snippet is one line of the text around the best match, at most
	// about snippetWidth terminal columns.
	Snippet string
	// Matches are the byte ranges of Snippet that match the query, in
	// order and not overlapping; the caller marks them.
	Matches [][2]int

	post  *content.Post
	book  *content.Book
	paper *content.Paper
}

// ErrNotReady is returned (wrapped, with the build's progress) by Search
// while the index is being built for the first time.
var ErrNotReady = errors.New("the search index is still being built")

// buildWait is how long Search waits for the first build before it says
// that the index is not ready: a search at start-up on a small blog waits;
// on a large one the reader is told to come back instead of hanging.
const buildWait = 3 * time.Second

// Index is the full-text index of one blog. It is safe for concurrent use:
// searches run while Update indexes.
type Index struct {
	idx      bleve.Index
	analyzer analysis.Analyzer

	mu       sync.Mutex        // serialises Update
	versions map[string]string // document id -> version indexed

	ready     chan struct{} // closed after the first Update
	readyOnce sync.Once
	done      atomic.Int64 // documents of the first build indexed so far
	total     atomic.Int64 // documents the first build indexes

	revMu    sync.RWMutex
	revision string          // the revision of the snapshot last indexed
	indexed  map[string]bool // revisions indexed so far (the last maxRevisions)
	changed  chan struct{}   // closed (and replaced) when revision changes
}

// maxRevisions bounds Index.indexed; a session holding a snapshot older
// than that many publishes may wait catchUp once per search.
const maxRevisions = 1000

// New returns an empty index kept in folder dir, which it empties first
// (the index is rebuilt from the blog at each start), or in memory when dir
// is "". A folder is what a server wants: Bleve's in-memory index never
// merges its segments (one more per publish, and every search visits them
// all), and keeps them on the heap; in a folder they are merged in the
// background and read through the page cache.
func New(dir string) (*Index, error) {
	m := bleve.NewIndexMapping()
	err := m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":      custom.Name,
		"tokenizer": unicode.Name,
		"token_filters": []string{
			cjk.WidthName,
			lowercase.Name,
			en.PossessiveName,
			cjk.BigramName,
			en.StopName,
			en.SnowballStemmerName,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("search analyzer: %w", err)
	}
	m.DefaultAnalyzer = analyzerName
	m.ScoringModel = "bm25"
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range fieldBoosts {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = analyzerName
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = false
		doc.AddFieldMappingsAt(f.name, fm)
	}
	m.DefaultMapping = doc
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	if dir != "" {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("empty search index folder: %w", err)
		}
	}
	// An empty path keeps the index in memory. unsafe_batch: a batch is
	// searchable once introduced, without waiting for it to be written
	// (the index is rebuilt at each start, so nothing needs to survive a
	// crash).
	idx, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, map[string]any{"unsafe_batch": true})
	if err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	a := m.AnalyzerNamed(analyzerName)
	if a == nil {
		idx.Close()
		return nil, fmt.Errorf("search analyzer %s not built", analyzerName)
	}
	return &Index{idx: idx, analyzer: a, versions: map[string]string{}, ready: make(chan struct{}), indexed: map[string]bool{}, changed: make(chan struct{})}, nil
}

// Close releases the index.
func (x *Index) Close() error { return x.idx.Close() }

// Revision returns the revision of the snapshot the index was last brought
// to, and whether it has been built at all. Only tests call it (deadcode
// lists it): they check that the index followed a publish.
func (x *Index) Revision() (string, bool) {
	select {
	case <-x.ready:
	default:
		return "", false
	}
	x.revMu.RLock()
	defer x.revMu.RUnlock()
	return x.revision, true
}

// document is what is indexed of one post, page, book or paper.
type document struct {
	Title string `json:"title"`
	Tags  string `json:"tags"`
	Text  string `json:"text"`
	Code  string `json:"code"`
}

// batchSize is how many documents one batch of the first build holds:
// large enough to amortise a segment, small enough to keep the build's
// peak memory down.
const batchSize = 1000

// Update brings the index to snapshot s: documents that are new or whose
// version changed are (re-)indexed, documents s no longer has are
// removed; unchanged ones are not touched. It reads the bodies of the
// changed posts (Post.Markdown). ctx stops a long first build between
// batches.
func (x *Index) Update(ctx context.Context, s *content.Snapshot) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.total.Store(int64(len(s.Posts()) + len(s.Pages()) + len(s.Books()) + len(s.Papers())))
	seen := make(map[string]bool, len(x.versions))
	b := x.idx.NewBatch()
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		n := b.Size()
		if err := x.idx.Batch(b); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		x.done.Add(int64(n))
		// A new batch, not b.Reset(): scorch may still be reading the
		// old one's documents in a goroutine of its own (the race
		// detector caught Reset racing it).
		b = x.idx.NewBatch()
		return ctx.Err()
	}
	add := func(id, version string, doc func() document) error {
		seen[id] = true
		if x.versions[id] == version {
			return nil
		}
		if err := b.Index(id, doc()); err != nil {
			return fmt.Errorf("index %s: %w", id, err)
		}
		x.versions[id] = version
		if b.Size() >= batchSize {
			return flush()
		}
		return nil
	}
	for _, list := range []struct {
		kind  string
		posts []*content.Post
	}{{KindPost, s.Posts()}, {KindPage, s.Pages()}} {
		for _, p := range list.posts {
			if err := add(list.kind+"/"+p.Slug, postVersion(p), func() document { return postDocument(p) }); err != nil {
				return err
			}
		}
	}
	for i, bk := range s.Books() {
		if err := add(bookID(s.Books(), i), fmt.Sprintf("%#v", bk), func() document { return bookDocument(&bk) }); err != nil {
			return err
		}
	}
	for i, pp := range s.Papers() {
		if err := add(paperID(s.Papers(), i), fmt.Sprintf("%#v", pp), func() document { return paperDocument(&pp) }); err != nil {
			return err
		}
	}
	for id := range x.versions {
		if !seen[id] {
			b.Delete(id)
			delete(x.versions, id)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	x.revMu.Lock()
	x.revision = s.Revision()
	if len(x.indexed) >= maxRevisions {
		clear(x.indexed)
	}
	x.indexed[x.revision] = true
	close(x.changed)
	x.changed = make(chan struct{})
	x.revMu.Unlock()
	x.readyOnce.Do(func() { close(x.ready) })
	return nil
}

// postVersion names the version of a post as indexed: its file's hash,
// and its slug (which a publish of another file may change).
func postVersion(p *content.Post) string {
	if p.Hash != "" {
		return p.Hash
	}
	return fmt.Sprintf("%d:%s:%s", len(p.Body), p.Title, p.Body)
}

// bookID names the i-th book: by title, and by its place among the books
// of the same title.
func bookID(books []content.Book, i int) string {
	n := 0
	for j := range i {
		if books[j].Title == books[i].Title {
			n++
		}
	}
	return fmt.Sprintf("%s/%d/%s", KindBook, n, books[i].Title)
}

// paperID names the i-th paper as bookID names a book.
func paperID(papers []content.Paper, i int) string {
	n := 0
	for j := range i {
		if papers[j].Title == papers[i].Title {
			n++
		}
	}
	return fmt.Sprintf("%s/%d/%s", KindPaper, n, papers[i].Title)
}

// postDocument returns what is indexed of a post or page.
func postDocument(p *content.Post) document {
	prose, code := split(p.Markdown())
	return document{
		Title: p.Title,
		Tags:  strings.Join(append(append([]string(nil), p.Tags...), p.Categories...), " "),
		Text:  joinNonEmpty(p.Subtitle, p.Description, p.Excerpt, prose),
		Code:  code,
	}
}

// bookDocument returns what is indexed of a book.
func bookDocument(b *content.Book) document {
	return document{
		Title: joinNonEmpty(b.Title, b.Subtitle, b.Original),
		Tags:  strings.Join(b.Tags, " "),
		Text:  joinNonEmpty(strings.Join(b.Authors, ", "), strings.Join(b.Translators, ", "), b.Publisher, b.Note),
		Code:  b.Link,
	}
}

// paperDocument returns what is indexed of a paper.
func paperDocument(p *content.Paper) document {
	return document{
		Title: p.Title,
		Tags:  strings.Join(p.Tags, " "),
		Text:  joinNonEmpty(strings.Join(p.Authors, ", "), p.Venue, p.Topic, p.Note),
		Code:  p.Link,
	}
}

// joinNonEmpty joins the non-empty parts with line breaks.
func joinNonEmpty(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	return b.String()
}

// terms returns the distinct index terms of text, in order.
func (x *Index) terms(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range x.analyzer.Analyze([]byte(text)) {
		term := string(t.Term)
		if !seen[term] {
			seen[term] = true
			out = append(out, term)
		}
	}
	return out
}

// catchUp is how long Search waits for the index to reach the snapshot
// it is asked about (Follow indexes a one-post publish in milliseconds).
const catchUp = 2 * time.Second

// Search returns the documents of snapshot s that match every term of
// query, best first, at most limit, each with a snippet. It waits for the
// first build (or ctx), and a moment (catchUp) for the index to reach s's
// revision when it has not yet, so a post is found as soon as a session can
// see it. Documents the index
// holds but s does not (the index has moved on to a newer snapshot) are
// left out.
func (x *Index) Search(ctx context.Context, s *content.Snapshot, query string, limit int) ([]Hit, error) {
	wait := time.NewTimer(buildWait)
	defer wait.Stop()
	select {
	case <-x.ready:
	case <-wait.C:
		return nil, fmt.Errorf("%w (%d of %d documents); try again in a moment", ErrNotReady, min(x.done.Load(), x.total.Load()), x.total.Load())
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	timer := time.NewTimer(catchUp)
	defer timer.Stop()
	for waiting := true; waiting; {
		x.revMu.RLock()
		// s is indexed, or was: the index is at it or past it.
		done, changed := x.indexed[s.Revision()], x.changed
		x.revMu.RUnlock()
		if done {
			break
		}
		select {
		case <-changed:
		case <-timer.C:
			waiting = false
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	terms := x.terms(query)
	if len(terms) == 0 || limit <= 0 {
		return nil, nil
	}
	var all []bquery.Query
	for _, t := range terms {
		var any []bquery.Query
		for _, f := range fieldBoosts {
			q := bleve.NewTermQuery(t)
			q.SetField(f.name)
			q.SetBoost(f.boost)
			any = append(any, q)
		}
		all = append(all, bleve.NewDisjunctionQuery(any...))
	}
	// A few more than asked: some may be gone from s.
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(all...), limit+10, 0, false)
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", query, err)
	}
	set := make(map[string]bool, len(terms))
	for _, t := range terms {
		set[t] = true
	}
	needles := needlesOf(terms)
	// With one term there is nothing to find apart: no need to look
	// further than limit.
	var words []string
	if len(terms) > 1 {
		words = strings.Fields(strings.ToLower(query))
	}
	var hits, apart []Hit
	for _, d := range res.Hits {
		h, ok := resolve(s, d.ID)
		if !ok {
			continue
		}
		h.Score = d.Score
		if x.snippet(&h, set, needles, words) {
			hits = append(hits, h)
		} else {
			apart = append(apart, h)
		}
		if words == nil && len(hits) == limit {
			break
		}
	}
	// The hits with the query's words as written first, each group in
	// the index's order.
	hits = append(hits, apart...)
	return hits[:min(limit, len(hits))], nil
}

// resolve finds the document id names in s.
func resolve(s *content.Snapshot, id string) (Hit, bool) {
	kind, rest, _ := strings.Cut(id, "/")
	switch kind {
	case KindPost:
		p, ok := s.Post(rest)
		if !ok {
			return Hit{}, false
		}
		return Hit{Kind: kind, Slug: p.Slug, Title: p.Title, Date: p.Date, post: p}, true
	case KindPage:
		p, ok := s.Page(rest)
		if !ok {
			return Hit{}, false
		}
		return Hit{Kind: kind, Slug: p.Slug, Title: p.Title, Date: p.Date, post: p}, true
	case KindBook:
		books := s.Books()
		for i := range books {
			if bookID(books, i) == id {
				return Hit{Kind: kind, Title: books[i].Title, book: &books[i]}, true
			}
		}
	case KindPaper:
		papers := s.Papers()
		for i := range papers {
			if paperID(papers, i) == id {
				return Hit{Kind: kind, Title: papers[i].Title, paper: &papers[i]}, true
			}
		}
	}
	return Hit{}, false
}
