package server

import (
	"github.com/sshblog/sshblog/content"
	"github.com/sshblog/sshblog/content/store"
)

// Content is the one source of what a server serves: the live library
// readers see and, when authors may publish, the store whose publishes
// reach that library. Make it with ReadOnly or Publishing, so the two can
// never disagree; the zero Content serves nothing and New refuses it.
type Content struct {
	library    *content.Library
	store      *store.Store // nil: publishing is off
	publishOff string       // why publishing is off; "" when store is set
}

// ReadOnly serves lib and nothing can be published to it; authors who try
// are told why (say "this server serves a folder read-only (--content)").
// An empty why gives a generic reason.
func ReadOnly(lib *content.Library, why string) Content {
	if why == "" {
		why = "this server has no blog store to publish to"
	}
	return Content{library: lib, publishOff: why}
}

// Publishing serves st's library, and authors publish to st over git, scp
// and sftp.
func Publishing(st *store.Store) Content {
	return Content{library: st.Library(), store: st}
}

// Library returns the live library readers see.
func (c Content) Library() *content.Library { return c.library }

// Store returns the store authors publish to, or nil when publishing is
// off.
func (c Content) Store() *store.Store { return c.store }

// PublishOff says why publishing is off, or "" when it is on.
func (c Content) PublishOff() string { return c.publishOff }
