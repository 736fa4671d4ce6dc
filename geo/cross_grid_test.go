package geo_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// TestCrossGridSameAsSweep: Walker.Cross finds the same crossings by its
// grid as by its sweep, so the walk gives the same areas to the last bit
// and declines the same pairs (random blobs, some sharing vertices).
func TestCrossGridSameAsSweep(t *testing.T) {
	defer geo.SetCrossGridMin(geo.SetCrossGridMin(0))
	rng := rand.New(rand.NewSource(7))
	declined := 0
	for k := 0; k < 400; k++ {
		a := randomBlob(rng, orb.Point{99, 23}, 0.02, 10+rng.Intn(300))
		c := orb.Point{99 + 0.03*rng.NormFloat64(), 23 + 0.03*rng.NormFloat64()}
		b := randomBlob(rng, c, 0.005+0.02*rng.Float64(), 10+rng.Intn(200))
		if k%7 == 0 { // share a vertex: the walk must decline both ways
			b[0][3] = a[0][5]
		}
		polys := []orb.Geometry{a, b}
		if k%3 == 0 {
			polys = append(polys, randomBlob(rng, orb.Point{c[0] + 0.01, c[1]}, 0.01, 40))
		}
		clip := orb.Geometry(randomBlob(rng, orb.Point{99 + 0.01*rng.NormFloat64(), 23}, 0.015, 60))
		geo.SetCrossGridMin(0)
		byGrid, okGrid := geo.ClippedUnionAreaM2(clip, polys)
		geo.SetCrossGridMin(math.MaxInt)
		bySweep, okSweep := geo.ClippedUnionAreaM2(clip, polys)
		if okGrid != okSweep || byGrid != bySweep {
			t.Fatalf("case %d: grid %v (ok %v), sweep %v (ok %v)", k, byGrid, okGrid, bySweep, okSweep)
		}
		if !okGrid {
			declined++
		}
	}
	if declined == 0 || declined == 400 {
		t.Fatalf("%d of 400 declined: the cases do not test both sides", declined)
	}
}
