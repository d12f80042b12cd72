package search

import (
	"context"
	"log/slog"
	"time"

	"github.com/sshblog/sshblog/content"
)

// Follow keeps the index at lib's live snapshot until ctx ends: it builds
// the index of the current snapshot (in the background of a starting
// server: a search waits for it), then brings it to each published one,
// re-indexing only what changed. Failures are logged; the next snapshot
// tries again.
func (x *Index) Follow(ctx context.Context, lib *content.Library, logger *slog.Logger) {
	updates, stop := lib.Subscribe()
	defer stop()
	s := lib.Snapshot()
	for {
		start := time.Now()
		if err := x.Update(ctx, s); err != nil {
			if ctx.Err() != nil {
				return
			}
			logger.Error("search index", "revision", s.Revision(), "err", err)
		} else {
			logger.Debug("search index", "revision", s.Revision(), "posts", len(s.Posts()), "took", time.Since(start))
		}
		select {
		case <-ctx.Done():
			return
		case s = <-updates:
		}
	}
}
