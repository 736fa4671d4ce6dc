package geo_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
)

// refPointsBound is BoundOf's loop as it was before its values moved into
// locals: the reference the box must match bit for bit.
func refPointsBound(ps []orb.Point) orb.Bound {
	b := orb.Bound{Min: ps[0], Max: ps[0]}
	for _, p := range ps[1:] {
		if p[0] < b.Min[0] {
			b.Min[0] = p[0]
		} else if p[0] > b.Max[0] {
			b.Max[0] = p[0]
		}
		if p[1] < b.Min[1] {
			b.Min[1] = p[1]
		} else if p[1] > b.Max[1] {
			b.Max[1] = p[1]
		}
	}
	return b
}

// refBoundOf is BoundOf as it was, on refPointsBound (the parts of a
// MultiPolygon combined with min and max).
func refBoundOf(g orb.Geometry) orb.Bound {
	switch g := g.(type) {
	case orb.Polygon:
		return refPointsBound(g[0])
	case orb.MultiPolygon:
		b := refPointsBound(g[0][0])
		for _, p := range g[1:] {
			pb := refPointsBound(p[0])
			b.Min[0], b.Min[1] = min(b.Min[0], pb.Min[0]), min(b.Min[1], pb.Min[1])
			b.Max[0], b.Max[1] = max(b.Max[0], pb.Max[0]), max(b.Max[1], pb.Max[1])
		}
		return b
	case orb.LineString:
		return refPointsBound(g)
	}
	return g.Bound()
}

func sameBits(a, b orb.Bound) bool {
	for k := range 2 {
		if math.Float64bits(a.Min[k]) != math.Float64bits(b.Min[k]) || math.Float64bits(a.Max[k]) != math.Float64bits(b.Max[k]) {
			return false
		}
	}
	return true
}

// TestBoundOfMatchesReference: BoundOf and ExtentOf give the reference's
// box bit for bit on rings of few distinct values, with −0 and 0, NaN and
// infinities among them, and ExtentOf's lon/lat flag agrees with checking
// every vertex.
func TestBoundOfMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	values := []float64{0, math.Copysign(0, -1), 1, -1, 100.5, 23.25, 180, -90, 181, math.NaN(), math.Inf(1), math.Inf(-1)}
	ring := func() []orb.Point {
		ps := make([]orb.Point, 1+rng.Intn(9))
		for i := range ps {
			ps[i] = orb.Point{values[rng.Intn(len(values))], values[rng.Intn(len(values))]}
		}
		return ps
	}
	for n := 0; n < 20000; n++ {
		var g orb.Geometry
		switch n % 3 {
		case 0:
			g = orb.Polygon{ring(), ring()}
		case 1:
			g = orb.MultiPolygon{{ring()}, {ring(), ring()}, {ring()}}
		default:
			g = orb.LineString(ring())
		}
		want := refBoundOf(g)
		if got := geo.BoundOf(g); !sameBits(got, want) {
			t.Fatalf("%v: BoundOf %v, want %v", g, got, want)
		}
		e := geo.ExtentOf(g)
		if !e.Known() || !sameBits(e.Bound, want) {
			t.Fatalf("%v: ExtentOf %v, want %v", g, e, want)
		}
		inRange := geo.VisitPoints(g, func(p orb.Point) bool {
			return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
		})
		if _, err := geo.NewFeatureExtent(0, "", nil, g, e); (err == nil) != inRange {
			t.Fatalf("%v: NewFeatureExtent error %v, want one: %v", g, err, !inRange)
		}
	}
}
