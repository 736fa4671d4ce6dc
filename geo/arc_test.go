package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// TestAppendArcCircle densifies full circles: every vertex and chord
// midpoint lies within the tolerance of the circle, and the ring's area is
// π r² (the fan keeps the exact sector area), for radii from 1 cm to 100 km.
func TestAppendArcCircle(t *testing.T) {
	const tol = 0.01
	for _, r := range []float64{0.01, 1, 37.5, 1000, 100_000} {
		c := orb.Point{40500000, 3400000}
		ring := orb.Ring{{c[0] + r, c[1]}}
		ring = geo.AppendArc(ring, c, r, 0, 2*math.Pi, tol)
		ring[len(ring)-1] = ring[0]
		for i := 0; i+1 < len(ring); i++ {
			for _, f := range []float64{0, 0.5} {
				x := ring[i][0] + f*(ring[i+1][0]-ring[i][0]) - c[0]
				y := ring[i][1] + f*(ring[i+1][1]-ring[i][1]) - c[1]
				if d := math.Abs(math.Hypot(x, y) - r); d > tol*(1+1e-9) {
					t.Fatalf("r %g: point %d+%.1f is %.5f from the circle", r, i, f, d)
				}
			}
		}
		got, want := geo.RingSignedArea(ring), math.Pi*r*r
		if len(ring) > 4 && math.Abs(got-want) > 1e-9*want {
			t.Errorf("r %g (%d points): area %.9g, want π r² = %.9g", r, len(ring), got, want)
		}
	}
}
