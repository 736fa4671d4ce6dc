package server

import (
	"context"
	"time"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/report"
)

// Catalog is one loaded set of constraint layers with its rule book. It is
// read-only once built: a request takes one snapshot and uses it to the end,
// and a reload swaps in a new Catalog whole.
type Catalog struct {
	Layers  []*analysis.Constraint
	Rules   *analysis.RuleBook
	Sources []report.Source // where each layer came from, in the order of Layers
	// Note is shown on the page and sent with every response when the
	// layers are illustrative (the embedded demo data); "" for real data.
	Note   string
	Loaded time.Time
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

// features is the number of features of all layers.
func (c *Catalog) features() int {
	n := 0
	for _, l := range c.Layers {
		n += l.Layer.Len()
	}
	return n
}
