package geo

import (
	"cmp"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestCrossBinsSameAsPairs: Cross with the first shape's edges binned once
// (shapeBins) finds, for every neighbour, the same crossings to the last bit
// as Cross by pairs, and declines the same pairs: rough rings, holes, coarse
// rings with long edges (which bunch up in the cells), shared vertices.
func TestCrossBinsSameAsPairs(t *testing.T) {
	defer func(n int) { binsFrom = n }(binsFrom)
	rng := rand.New(rand.NewSource(3))
	declined, crossed, binned := 0, 0, 0
	for k := 0; k < 60; k++ {
		a := testRing(rng, orb.Point{99, 23}, 0.02, 5+rng.Intn(800))
		switch k % 4 {
		case 0: // a hole
			a = append(a, testRing(rng, orb.Point{99, 23}, 0.004, 30)...)
		case 1: // spikes: long edges fill many cells each, a is not binned
			for i := 0; i+1 < len(a[0]); i += 2 {
				c := a[0][i]
				a[0][i] = orb.Point{99 + 0.05*(c[0]-99), 23 + 0.05*(c[1]-23)}
			}
			a[0][len(a[0])-1] = a[0][0]
		}
		wa, _ := NewWalkShape(a)
		var nbrs []*WalkShape
		for j := 0; j < 30; j++ {
			c := orb.Point{99 + 0.03*rng.NormFloat64(), 23 + 0.03*rng.NormFloat64()}
			b := testRing(rng, c, 0.002+0.02*rng.Float64(), 4+rng.Intn(300))
			if j%9 == 0 { // share a vertex: declined both ways
				b[0][1] = a[0][rng.Intn(len(a[0])-1)]
			}
			wb, _ := NewWalkShape(b)
			nbrs = append(nbrs, wb)
		}
		var byPairs, byBins Walker
		for _, wb := range nbrs {
			binsFrom = math.MaxInt
			pa, pb, pok := byPairs.Cross(wa, wb)
			binsFrom = 1
			ba, bb, bok := byBins.Cross(wa, wb)
			if pok != bok || !sameCrossings(pa, ba) || !sameCrossings(pb, bb) {
				t.Fatalf("case %d: by pairs ok %v, %d+%d crossings; binned ok %v, %d+%d", k, pok, len(pa), len(pb), bok, len(ba), len(bb))
			}
			if !pok {
				declined++
			}
			crossed += len(pa)
		}
		if byBins.binsOf(wa) != nil {
			binned++
		}
	}
	if declined == 0 || crossed == 0 || binned == 0 || binned == 60 {
		t.Fatalf("%d declined, %d crossings, %d of 60 binned: the cases do not test every side", declined, crossed, binned)
	}
}

func sameCrossings(x, y Crossings) bool {
	order := func(c Crossings) Crossings {
		c = slices.Clone(c)
		slices.SortFunc(c, func(p, q crossing) int {
			if p.edge != q.edge {
				return cmp.Compare(p.edge, q.edge)
			}
			return cmp.Compare(p.t, q.t)
		})
		return c
	}
	return slices.Equal(order(x), order(y))
}

// testRing is a star-shaped ring of n vertices around c of radius r/2 to r;
// with few vertices its edges are long, several cells of a fine grid.
func testRing(rng *rand.Rand, c orb.Point, r float64, n int) orb.Polygon {
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		rr := r * (0.5 + 0.5*rng.Float64())
		ring = append(ring, orb.Point{c[0] + rr*math.Cos(a), c[1] + rr*math.Sin(a)})
	}
	return orb.Polygon{append(ring, ring[0])}
}
