package geo_test

import (
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

func square(x, y, s float64) orb.Ring {
	return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
}

func TestRingSignedArea(t *testing.T) {
	// 10×10 square at Gauss–Krüger magnitudes: exact 100 despite 3.5e7 offsets.
	r := square(33_500_000, 2_600_000, 10)
	if got := geo.RingSignedArea(r); got != 100 {
		t.Errorf("ccw area = %v, want 100", got)
	}
	if got := geo.RingSignedArea(reversed(r)); got != -100 {
		t.Errorf("cw area = %v, want -100", got)
	}
	if got := geo.RingSignedArea(orb.Ring{{0, 0}, {1, 1}}); got != 0 {
		t.Errorf("two points: %v", got)
	}
}

func TestPointInRing(t *testing.T) {
	r := square(0, 0, 4)
	tests := []struct {
		p    orb.Point
		want int
	}{
		{orb.Point{2, 2}, 1}, {orb.Point{5, 2}, -1}, {orb.Point{0, 2}, 0}, {orb.Point{4, 4}, 0},
		{orb.Point{2, 0}, 0}, {orb.Point{-1e-12, 2}, -1}, {orb.Point{1e-12, 2}, 1},
	}
	for _, tc := range tests {
		if got := geo.PointInRing(tc.p, r); got != tc.want {
			t.Errorf("PointInRing(%v) = %d, want %d", tc.p, got, tc.want)
		}
		if got := geo.PointInRing(tc.p, reversed(r)); got != tc.want {
			t.Errorf("PointInRing(%v, cw) = %d, want %d", tc.p, got, tc.want)
		}
	}
}

func TestAssembleRings(t *testing.T) {
	outer, hole, island := square(0, 0, 10), square(2, 2, 6), square(4, 4, 2)
	far := square(20, 0, 3)
	tests := []struct {
		name  string
		rings []orb.Ring
		rule  geo.HoleRule
		polys int
		area  float64
		notes int
	}{
		{"one ring", []orb.Ring{outer}, geo.ByNesting, 1, 100, 0},
		{"hole by nesting", []orb.Ring{hole, outer}, geo.ByNesting, 1, 64, 0},
		{"island in a hole", []orb.Ring{outer, island, hole}, geo.ByNesting, 2, 68, 0},
		{"disjoint parts", []orb.Ring{outer, far}, geo.ByNesting, 2, 109, 0},
		{"copies of one ring", []orb.Ring{outer, outer}, geo.ByNesting, 1, 0, 0},
		{"shapefile: cw outer, ccw hole", []orb.Ring{reversed(outer), hole}, geo.ByOrientation, 1, 64, 0},
		{"shapefile: hole listed first", []orb.Ring{hole, reversed(outer)}, geo.ByOrientation, 1, 64, 0},
		{"shapefile: orphan hole", []orb.Ring{reversed(outer), far}, geo.ByOrientation, 2, 109, 1},
		{"shapefile: no cw ring", []orb.Ring{outer, hole}, geo.ByOrientation, 1, 64, 1},
		{"shapefile: two cw nested", []orb.Ring{reversed(outer), reversed(hole)}, geo.ByOrientation, 2, 136, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, notes := geo.AssembleRings(tc.rings, tc.rule)
			n := 0
			switch g := g.(type) {
			case orb.Polygon:
				n = 1
				checkOriented(t, g)
			case orb.MultiPolygon:
				n = len(g)
				for _, p := range g {
					checkOriented(t, p)
				}
			}
			if n != tc.polys {
				t.Errorf("%d polygons, want %d", n, tc.polys)
			}
			if a := planarArea(g); math.Abs(a-tc.area) > 1e-9 {
				t.Errorf("area %v, want %v", a, tc.area)
			}
			if len(notes) != tc.notes {
				t.Errorf("notes %v, want %d", notes, tc.notes)
			}
		})
	}
}

func checkOriented(t *testing.T, p orb.Polygon) {
	t.Helper()
	for i, r := range p {
		if a := geo.RingSignedArea(r); (i == 0) != (a > 0) && a != 0 {
			t.Errorf("ring %d has signed area %v", i, a)
		}
	}
}

// TestAssembleRingsScales guards against a quadratic assembly: 30 000 small
// disjoint rings, each with a hole, must assemble in well under a second
// (quadratic would be about 10⁹ ring tests).
func TestAssembleRingsScales(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var rings []orb.Ring
	for i := 0; i < 15_000; i++ {
		x, y := float64(i%150)*10, float64(i/150)*10
		x += rng.Float64()
		rings = append(rings, square(x, y, 5), square(x+1, y+1, 2))
	}
	start := time.Now()
	g, _ := geo.AssembleRings(rings, geo.ByNesting)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("30 000 rings took %v", d)
	}
	mp := g.(orb.MultiPolygon)
	if len(mp) != 15_000 {
		t.Fatalf("%d polygons, want 15000", len(mp))
	}
	if a := planarArea(mp); math.Abs(a-15_000*21) > 1e-6 {
		t.Errorf("area %v, want %v", a, 15_000*21)
	}
}
