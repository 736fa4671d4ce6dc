package server

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/report"
)

// Catalog is one loaded set of constraint layers with its rule book. It is
// read-only once built: a request takes one snapshot and uses it to the end,
// and a reload swaps in a new Catalog whole.
type Catalog struct {
	Layers []*analysis.Constraint
	// Tables holds, in the order of Layers, the layers that stay in PostGIS
	// (pushdown): their Layers entry is an empty placeholder, and requests
	// read the table by box. Nil entries (or no slice) are loaded layers.
	Tables  []*TableLayer
	Rules   *analysis.RuleBook
	Sources []report.Source // where each layer came from, in the order of Layers
	// Note is shown on the page and sent with every response when the
	// layers are illustrative (the embedded demo data); "" for real data.
	Note   string
	Loaded time.Time

	// By and Access are the layers file's tables by class (`by:`) and
	// access list (`access_list:`), applied to every screening.
	By     []analysis.ClassBy
	Access *analysis.AccessList

	// Close releases what the catalog holds (the database pools). The
	// server calls it once, when a reload has replaced the catalog and no
	// request uses it any more, or at Close; nil: nothing to release. A
	// Loader that sets it builds a new Catalog every time.
	Close func()
	life  *life // requests holding the catalog; nil without Close
}

// TableLayer is a layer read from its PostGIS table request by request: a
// national table can stand behind the service without being loaded.
type TableLayer struct {
	Pool   *pgxpool.Pool
	Table  *postgis.Table
	Read   postgis.ReadOptions
	Cfg    analysis.LayerConfig // Name is the layer's name
	Total  int                  // rows, counted at load
	Extent orb.Bound            // lon/lat (postgis.Extent)
	Exact  bool                 // Extent is ST_Extent, not estimated from the statistics
	pages  pageMemo             // numberMatched and page ends of the items asked for
}

// Loader reads the layers afresh: at start and on every reload.
type Loader func(ctx context.Context) (*Catalog, error)

// layer returns the constraint named name, or nil.
func (c *Catalog) layer(name string) *analysis.Constraint {
	for _, l := range c.Layers {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// table returns the pushdown table of layer l, or nil when l is loaded.
func (c *Catalog) table(l *analysis.Constraint) *TableLayer {
	for i, x := range c.Layers {
		if x == l && i < len(c.Tables) {
			return c.Tables[i]
		}
	}
	return nil
}

// pushdown says whether some layer stays in the database.
func (c *Catalog) pushdown() bool {
	for _, t := range c.Tables {
		if t != nil {
			return true
		}
	}
	return false
}

// featureCount is the number of features of layer i: loaded, or the
// table's rows.
func (c *Catalog) featureCount(i int) int {
	if i < len(c.Tables) && c.Tables[i] != nil {
		return c.Tables[i].Total
	}
	return c.Layers[i].Layer.Len()
}

// extent is layer l's extent in lon/lat: loaded, or the table's.
func (c *Catalog) extent(l *analysis.Constraint) orb.Bound {
	if t := c.table(l); t != nil {
		return t.Extent
	}
	return l.Layer.Bound()
}

// features is the number of features of all layers.
func (c *Catalog) features() int {
	n := 0
	for i := range c.Layers {
		n += c.featureCount(i)
	}
	return n
}

// life counts the requests that use a catalog, so that its pools close
// only when it is out of service and the last of them is done.
type life struct {
	refs    atomic.Int64
	retired atomic.Bool
	once    sync.Once
}

// hold marks c as in use; it fails when c is already retired (its pools
// may be closed). Every successful hold is matched by one release.
func (c *Catalog) hold() bool {
	if c == nil || c.life == nil {
		return true
	}
	c.life.refs.Add(1)
	if c.life.retired.Load() {
		c.release()
		return false
	}
	return true
}

func (c *Catalog) release() {
	if c == nil || c.life == nil {
		return
	}
	if c.life.refs.Add(-1) == 0 && c.life.retired.Load() {
		c.closeNow()
	}
}

// retire takes c out of service: it closes now if no request holds it,
// else when the last one releases it.
func (c *Catalog) retire() {
	if c.life == nil {
		return
	}
	c.life.retired.Store(true)
	if c.life.refs.Load() == 0 {
		c.closeNow()
	}
}

func (c *Catalog) closeNow() {
	c.life.once.Do(func() {
		if c.Close != nil {
			c.Close()
		}
	})
}

// snapshot returns the catalog in service, held (nil before the first
// load): the caller releases it when its request is done.
func (s *Server) snapshot() *Catalog {
	for {
		c := s.cat.Load()
		if c == nil || c.hold() {
			return c
		}
		// Retired between the load and the hold: the new one is in place.
	}
}
