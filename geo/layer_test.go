package geo_test

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"github.com/redline-gis/redline/geo"
)

func randomLayer(tb testing.TB, n int, seed int64) *geo.Layer {
	tb.Helper()
	rng := rand.New(rand.NewSource(seed))
	var l geo.Layer
	for i := 0; i < n; i++ {
		x, y := 99+1.5*rng.Float64(), 23+1.5*rng.Float64()
		d := 0.001 + 0.01*rng.Float64()
		f, err := geo.NewFeature(i, fmt.Sprint(i), nil, box(x, y, x+d, y+d))
		if err != nil {
			tb.Fatal(err)
		}
		l.Add(f)
	}
	return &l
}

func TestLayerCandidatesMatchBruteForce(t *testing.T) {
	l := randomLayer(t, 2000, 1)
	rng := rand.New(rand.NewSource(2))
	for k := 0; k < 50; k++ {
		x, y := 99+1.5*rng.Float64(), 23+1.5*rng.Float64()
		q := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + 0.05, y + 0.05}}
		got := map[int]bool{}
		l.Candidates(q, func(i int, f *geo.Feature) bool {
			if &l.Features[i] != f {
				t.Fatal("callback index and feature disagree")
			}
			got[i] = true
			return true
		})
		for i, f := range l.Features {
			if f.Bound.Intersects(q) != got[i] {
				t.Fatalf("query %v: feature %d candidate=%v, bound intersects=%v", q, i, got[i], f.Bound.Intersects(q))
			}
		}
	}
	var empty geo.Layer
	empty.Candidates(orb.Bound{}, func(int, *geo.Feature) bool { t.Fatal("empty layer gave a candidate"); return true })
}

func TestLayerCandidatesStops(t *testing.T) {
	l := randomLayer(t, 500, 1)
	n := 0
	l.Candidates(l.Bound(), func(int, *geo.Feature) bool { n++; return n < 3 })
	if n != 3 {
		t.Errorf("callback ran %d times after returning false at 3", n)
	}
}

func BenchmarkLayerCandidates(b *testing.B) {
	// Budget: 0 allocs/op.
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			l := randomLayer(b, n, 1)
			q := orb.Bound{Min: orb.Point{99.7, 23.7}, Max: orb.Point{99.72, 23.72}}
			count := 0
			fn := func(int, *geo.Feature) bool { count++; return true }
			b.ReportAllocs()
			for b.Loop() {
				l.Candidates(q, fn)
			}
		})
	}
}

// A small layer is scanned without an R-tree: the candidates, their order
// and the layer's box must be those of the tree it would have built, ties
// in min x, touching boxes and NaN bounds included.
func TestSmallLayerMatchesRTree(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	coord := func() float64 { return float64(rng.Intn(6)) } // few values: ties and touching boxes
	for n := 0; n <= 12; n++ {
		for seed := 0; seed < 40; seed++ {
			var l geo.Layer
			var tr rtree.RTreeG[int]
			for i := 0; i < n; i++ {
				x, y := coord(), coord()
				b := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + float64(rng.Intn(3)), y + float64(rng.Intn(3))}}
				if seed%10 == 9 && i == n/2 {
					b.Min[0] = math.NaN()
				}
				l.Add(geo.Feature{Bound: b})
				tr.Insert(b.Min, b.Max, i)
			}
			for k := 0; k < 30; k++ {
				x, y := coord()-1, coord()-1
				q := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + float64(rng.Intn(4)), y + float64(rng.Intn(4))}}
				var got, want []int
				l.Candidates(q, func(i int, f *geo.Feature) bool {
					if &l.Features[i] != f {
						t.Fatal("callback index and feature disagree")
					}
					got = append(got, i)
					return true
				})
				tr.Search(q.Min, q.Max, func(_, _ [2]float64, i int) bool { want = append(want, i); return true })
				if !slices.Equal(got, want) {
					t.Fatalf("n=%d seed=%d query %v: candidates %v, the R-tree's %v", n, seed, q, got, want)
				}
			}
			if n > 0 {
				min, max := tr.Bounds()
				if b := l.Bound(); fmt.Sprint(b) != fmt.Sprint(orb.Bound{Min: min, Max: max}) {
					t.Fatalf("n=%d seed=%d: bound %v, the R-tree's %v %v", n, seed, b, min, max)
				}
			}
		}
	}
}
