package geo_test

import (
	"math"
	"math/rand"
	"os"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

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

// BenchmarkValidateAnchors: every polygon of the anchors' small set (200
// constraints, 306 000 vertices; skipped when /tmp/anc/small is absent).
func BenchmarkValidateAnchors(b *testing.B) {
	raw, err := os.ReadFile("/tmp/anc/small/constraints.geojson")
	if err != nil {
		b.Skip("anchors small set absent: python3 ../shared/anchors/gen_data.py --constraints 200 --sites 100 --regions 12 --seed 1 --split-kinds --max-edge-m 25 --out /tmp/anc/small")
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range fc.Features {
			geo.Validate(f.Geometry)
		}
	}
}
