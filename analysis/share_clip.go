package analysis

import (
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// clipToRegion returns the polygonal part of feature f (geometry fg, shape
// fs) inside region r. A feature whose boundary stays clear of the region's
// boundary, and whose box holds no vertex of the region (so no ring of the
// region, such as a hole, lies inside it), has each polygon wholly inside or
// wholly outside: when all are on one side it is taken whole or skipped
// without an overlay; anything else goes to the exact overlay.
func clipToRegion(r geo.Shape, eg *geo.BoundaryGrid, fs geo.Shape, fg orb.Geometry) (geo.Shape, error) {
	if eg.Clear(fg) && !eg.VertexIn(fg.Bound()) {
		all, none := eg.PartsInside(fg)
		switch {
		case all && !none:
			return fs, nil
		case none && !all:
			return geo.Shape{}, nil
		}
	}
	p, err := geo.Intersect(r, fs)
	if err != nil {
		return geo.Shape{}, err
	}
	return p.Polygonal(), nil
}
