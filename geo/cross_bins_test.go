package geo_test

import (
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// TestCrossBinsSameAsPairs: Cross with the first shape's edges binned once
// finds, for every neighbour, the same crossings to the last bit as Cross by
// pairs, and declines the same pairs: rough rings, holes, spiky rings with
// long edges (which fill many cells each), shared vertices.
func TestCrossBinsSameAsPairs(t *testing.T) {
	defer geo.SetCrossBinsFrom(geo.SetCrossBinsFrom(1))
	rng := rand.New(rand.NewSource(3))
	declined, crossed, binned := 0, 0, 0
	for k := 0; k < 60; k++ {
		a := randomBlob(rng, orb.Point{99, 23}, 0.02, 5+rng.Intn(800))
		switch k % 4 {
		case 0: // a hole
			a = append(a, randomBlob(rng, orb.Point{99, 23}, 0.004, 30)...)
		case 1: // spikes: long edges fill many cells each, a is not binned
			for i := 0; i+1 < len(a[0]); i += 2 {
				c := a[0][i]
				a[0][i] = orb.Point{99 + 0.05*(c[0]-99), 23 + 0.05*(c[1]-23)}
			}
			a[0][len(a[0])-1] = a[0][0]
		}
		wa, _ := geo.NewWalkShape(a)
		var nbrs []*geo.WalkShape
		for j := 0; j < 30; j++ {
			c := orb.Point{99 + 0.03*rng.NormFloat64(), 23 + 0.03*rng.NormFloat64()}
			b := randomBlob(rng, c, 0.002+0.02*rng.Float64(), 4+rng.Intn(300))
			if j%9 == 0 { // share a vertex: declined both ways
				b[0][1] = a[0][rng.Intn(len(a[0])-1)]
			}
			wb, _ := geo.NewWalkShape(b)
			nbrs = append(nbrs, wb)
		}
		var byPairs, byBins geo.Walker
		for _, wb := range nbrs {
			geo.SetCrossBinsFrom(math.MaxInt)
			pa, pb, pok := byPairs.Cross(wa, wb)
			geo.SetCrossBinsFrom(1)
			ba, bb, bok := byBins.Cross(wa, wb)
			if pok != bok || !slices.Equal(geo.CrossingsSorted(pa), geo.CrossingsSorted(ba)) ||
				!slices.Equal(geo.CrossingsSorted(pb), geo.CrossingsSorted(bb)) {
				t.Fatalf("case %d: by pairs ok %v, %d+%d crossings; binned ok %v, %d+%d", k, pok, pa.Len(), pb.Len(), bok, ba.Len(), bb.Len())
			}
			if !pok {
				declined++
			}
			crossed += pa.Len()
		}
		if byBins.Binned(wa) {
			binned++
		}
	}
	if declined == 0 || crossed == 0 || binned == 0 || binned == 60 {
		t.Fatalf("%d declined, %d crossings, %d of 60 binned: the cases do not test every side", declined, crossed, binned)
	}
}
