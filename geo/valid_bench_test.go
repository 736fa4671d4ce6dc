package geo_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// holedBlob is a random star-shaped polygon of n vertices with k holes
// inside its inscribed disc, as the anchors' generator makes them.
func holedBlob(rng *rand.Rand, c orb.Point, r float64, n, k int) orb.Polygon {
	p := randomBlob(rng, c, r, n)
	for h := 0; h < k; h++ {
		a := 2 * math.Pi * float64(h) / float64(k)
		hc := orb.Point{c[0] + 0.25*r*math.Cos(a), c[1] + 0.25*r*math.Sin(a)}
		hole := randomBlob(rng, hc, 0.2*r/float64(k), 24)[0]
		hole.Reverse()
		p = append(p, hole)
	}
	return p
}

// BenchmarkValidate: one polygon of 340 vertices, the same with 3 holes,
// and a multipolygon of 3 such parts.
func BenchmarkValidate(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	cases := []struct {
		name string
		g    orb.Geometry
	}{
		{"polygon", randomBlob(rng, orb.Point{99, 23}, 0.02, 340)},
		{"holes=3", holedBlob(rng, orb.Point{99, 23}, 0.02, 340, 3)},
		{"parts=3", orb.MultiPolygon{holedBlob(rng, orb.Point{99, 23}, 0.02, 340, 1),
			randomBlob(rng, orb.Point{99.1, 23}, 0.02, 340), randomBlob(rng, orb.Point{99.2, 23}, 0.02, 340)}},
	}
	for _, tc := range cases {
		if ps := geo.Validate(tc.g); ps != nil {
			b.Fatalf("%s: %v", tc.name, ps)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				geo.Validate(tc.g)
			}
		})
	}
}
