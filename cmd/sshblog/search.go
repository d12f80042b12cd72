package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/search"
	"github.com/sshblog/sshblog/ui"
)

// startSearch makes the blog's search index and builds it in the
// background, following the library's snapshots, so that start-up does not
// wait for it (a 10,000-post blog takes seconds to index; a search before
// then waits for it). It returns the Searcher the server's search command
// and terminal UI ask, and a function that
// stops following and releases the index.
func (m *Main) startSearch(lib *content.Library) (ui.Searcher, func(), error) {
	idx, err := search.New(filepath.Join(m.Config.DataDir, "search"))
	if err != nil {
		return nil, nil, fmt.Errorf("search index: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		idx.Follow(ctx, lib, m.Logger)
	}()
	find := func(ctx context.Context, snap *content.Snapshot, query string, limit int) ([]ui.SearchHit, error) {
		hits, err := idx.Search(ctx, snap, query, limit)
		if err != nil {
			return nil, err
		}
		out := make([]ui.SearchHit, len(hits))
		for i, h := range hits {
			out[i] = ui.SearchHit{Kind: h.Kind, Slug: h.Slug, Title: h.Title, Date: h.Date, Snippet: h.Snippet, Matches: h.Matches}
		}
		return out, nil
	}
	return find, func() {
		cancel()
		<-done
		_ = idx.Close()
	}, nil
}
