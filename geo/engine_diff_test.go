//go:build geos

package geo_test

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// pureGoIntersectionM2 runs the pure-Go engine directly (the GEOS build's
// geo.Intersect uses GEOS), and measures the result with the same area.
func pureGoIntersectionM2(t *testing.T, a, b orb.Geometry) float64 {
	t.Helper()
	ga, _ := sf.UnmarshalWKT(wkt(a))
	gb, _ := sf.UnmarshalWKT(wkt(b))
	g, err := sf.Intersection(ga, gb)
	if err != nil {
		t.Fatal(err)
	}
	s, err := geo.ShapeOf(orbOf(t, g))
	if err != nil {
		t.Fatal(err)
	}
	return s.Polygonal().AreaM2()
}

func orbOf(t *testing.T, g sf.Geometry) orb.Geometry {
	t.Helper()
	var out orb.Collection
	for _, p := range g.Dump() {
		if p.Type() != sf.TypePolygon {
			continue
		}
		poly := p.MustAsPolygon()
		var op orb.Polygon
		for _, r := range poly.DumpRings() {
			seq := r.Coordinates()
			ring := make(orb.Ring, seq.Length())
			for i := range ring {
				xy := seq.GetXY(i)
				ring[i] = orb.Point{xy.X, xy.Y}
			}
			op = append(op, ring)
		}
		out = append(out, op)
	}
	return out
}

func wkt(g orb.Geometry) string {
	ring := func(r orb.Ring) string {
		s := "("
		for i, p := range r {
			if i > 0 {
				s += ","
			}
			s += fmt.Sprintf("%.17g %.17g", p[0], p[1])
		}
		return s + ")"
	}
	poly := func(p orb.Polygon) string {
		s := "("
		for i, r := range p {
			if i > 0 {
				s += ","
			}
			s += ring(r)
		}
		return s + ")"
	}
	switch g := g.(type) {
	case orb.Polygon:
		return "POLYGON" + poly(g)
	case orb.MultiPolygon:
		s := "MULTIPOLYGON("
		for i, p := range g {
			if i > 0 {
				s += ","
			}
			s += poly(p)
		}
		return s + ")"
	}
	panic("unsupported")
}

// TestEnginesAgree runs polygon pairs through both engines (the pure-Go
// simplefeatures overlay and GEOS): intersection areas agree to 1e-9.
func TestEnginesAgree(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	type pair struct {
		name string
		a, b orb.Geometry
	}
	var cases []pair
	for k := 0; k < 40; k++ {
		a := randomBlob(rng, orb.Point{99 + 0.03*rng.Float64(), 23 + 0.03*rng.Float64()}, 0.02, 5+rng.Intn(200))
		b := randomBlob(rng, orb.Point{99 + 0.03*rng.Float64(), 23 + 0.03*rng.Float64()}, 0.02, 5+rng.Intn(200))
		if k%3 == 0 { // a hole in a
			h := randomBlob(rng, a.Bound().Center(), 0.004, 12)
			h[0].Reverse()
			a = append(a, h[0])
		}
		cases = append(cases, pair{fmt.Sprintf("random %d", k), a, b})
	}
	cases = append(cases,
		pair{"shared edge", box(99, 23, 99.01, 23.01), box(99.01, 23, 99.02, 23.01)},
		pair{"collinear edge, other vertices", box(99, 23, 99.01, 23.01),
			orb.Polygon{{{99.005, 23.0}, {99.0075, 23.0}, {99.02, 23.0}, {99.02, 23.02}, {99.005, 23.02}, {99.005, 23.0}}}},
		pair{"sliver", box(99, 23, 99.01, 23.01), box(99.0099999, 22.99, 99.02, 23.02)},
		pair{"identical", box(99, 23, 99.01, 23.01), box(99, 23, 99.01, 23.01)},
		pair{"multipolygon", orb.MultiPolygon{box(99, 23, 99.01, 23.01), box(99.02, 23, 99.03, 23.01)}, box(99.005, 23.005, 99.025, 23.02)},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if geo.Validate(c.a) != nil || geo.Validate(c.b) != nil {
				t.Skip("random polygon is invalid")
			}
			sa, sb := mustShape(t, c.a), mustShape(t, c.b)
			g, err := geo.Intersect(sa, sb)
			if err != nil {
				t.Fatal(err)
			}
			want := pureGoIntersectionM2(t, c.a, c.b)
			geotest.ApproxEqual(t, "GEOS vs pure Go", g.Polygonal().AreaM2(), want, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
			if math.IsNaN(want) {
				t.Fatal("NaN")
			}
		})
	}
}
