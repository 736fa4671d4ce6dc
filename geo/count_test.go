package geo_test

import (
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// TestCountVerticesMatchesVisitPoints: CountVertices counts by lengths what
// VisitPoints visits, for every geometry type (a Bound is its 5-point ring).
func TestCountVerticesMatchesVisitPoints(t *testing.T) {
	ring := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 0}}
	poly := orb.Polygon{ring, ring[:3]}
	for _, g := range []orb.Geometry{nil, orb.Point{1, 2}, orb.MultiPoint{{1, 2}, {3, 4}}, orb.LineString{{0, 0}, {1, 1}, {2, 2}},
		ring, orb.MultiLineString{{{0, 0}, {1, 1}}, {}}, poly, orb.MultiPolygon{poly, {ring}},
		orb.Collection{orb.Point{1, 1}, poly, orb.Collection{ring}}, orb.Bound{Max: orb.Point{1, 1}}} {
		want := 0
		geo.VisitPoints(g, func(orb.Point) bool { want++; return true })
		if got := geo.CountVertices(g); got != want {
			t.Errorf("%T: CountVertices %d, VisitPoints visits %d", g, got, want)
		}
	}
}
