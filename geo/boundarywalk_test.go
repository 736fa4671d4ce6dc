package geo_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// walkShapes prepares gs and crosses every pair; nbrs[i][j] is j seen from i
// (nil when their boxes are apart), declined[i][j] when the pair touches.
func walkShapes(t testing.TB, gs []orb.Geometry) (shapes []*geo.WalkShape, cross [][]geo.Crossings, declined [][]bool) {
	t.Helper()
	var w geo.Walker
	for _, g := range gs {
		s, ok := geo.NewWalkShape(g)
		if !ok {
			t.Fatalf("%v: not polygonal", g)
		}
		shapes = append(shapes, s)
	}
	cross = make([][]geo.Crossings, len(gs))
	declined = make([][]bool, len(gs))
	for i := range gs {
		cross[i] = make([]geo.Crossings, len(gs))
		declined[i] = make([]bool, len(gs))
	}
	for i := range gs {
		for j := i + 1; j < len(gs); j++ {
			onA, onB, ok := w.Cross(shapes[i], shapes[j])
			cross[i][j], cross[j][i] = onA, onB
			declined[i][j], declined[j][i] = !ok, !ok
		}
	}
	return shapes, cross, declined
}

// TestWalkPairsRandom: the pieces of a inside b plus those of b inside a
// measure a ∩ b, as the overlay does, whichever of the two is walked first.
func TestWalkPairsRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	measured := 0
	for k := 0; k < 80; k++ {
		var gs []orb.Geometry
		for len(gs) < 2 {
			p := randomBlob(rng, orb.Point{99 + 0.03*rng.Float64(), 23 + 0.03*rng.Float64()}, 0.005+0.02*rng.Float64(), 4+rng.Intn(80))
			if rng.Intn(3) == 0 {
				p[0].Reverse() // orientation must not matter
			}
			if geo.Validate(p) == nil {
				gs = append(gs, p)
			}
		}
		shapes, cross, declined := walkShapes(t, gs)
		if declined[0][1] {
			continue
		}
		var w geo.Walker
		half := func(i, j int) float64 {
			within := make([]float64, 1)
			_, _, ok := w.Walk(shapes[i], []geo.Neighbour{{Shape: shapes[j], Cross: cross[i][j]}}, nil, within)
			if !ok {
				t.Fatalf("case %d: ring start on the other's boundary", k)
			}
			return within[0]
		}
		got := half(0, 1) + half(1, 0)
		want := overlayArea(t, gs[0], gs[1:])
		geotest.ApproxEqual(t, fmt.Sprintf("case %d", k), got, want, geotest.Tol{Rel: 1e-9, Abs: 1e-4})
		measured++
	}
	if measured < 60 {
		t.Errorf("only %d of 80 pairs measured by the walk", measured)
	}
}

// TestWalkDepth: the pieces inside exactly one other polygon bound the
// ground covered twice or more, which the overlay finds as the union of the
// pairwise intersections.
func TestWalkDepth(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	measured := 0
	for k := 0; k < 30; k++ {
		var gs []orb.Geometry
		for len(gs) < 2+rng.Intn(5) {
			p := randomBlob(rng, orb.Point{99 + 0.03*rng.Float64(), 23 + 0.03*rng.Float64()}, 0.01+0.02*rng.Float64(), 5+rng.Intn(60))
			if geo.Validate(p) == nil {
				gs = append(gs, p)
			}
		}
		shapes, cross, declined := walkShapes(t, gs)
		var w geo.Walker
		var got float64
		ok := true
		for i := range shapes {
			var nbrs []geo.Neighbour
			for j := range shapes {
				if j != i {
					ok = ok && !declined[i][j]
					nbrs = append(nbrs, geo.Neighbour{Shape: shapes[j], Cross: cross[i][j]})
				}
			}
			a, _, walked := w.Walk(shapes[i], nbrs, func(inside []int32) bool { return len(inside) == 1 }, nil)
			ok = ok && walked
			got += a
		}
		if !ok {
			continue
		}
		var pieces []geo.Shape
		for i := range gs {
			for j := i + 1; j < len(gs); j++ {
				x, err := geo.Intersect(mustShape(t, gs[i]), mustShape(t, gs[j]))
				if err != nil {
					t.Fatal(err)
				}
				pieces = append(pieces, x.Polygonal())
			}
		}
		u, err := geo.Dissolve(pieces)
		if err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, fmt.Sprintf("case %d", k), got, u.AreaM2(), geotest.Tol{Rel: 1e-9, Abs: 1e-4})
		measured++
	}
	if measured < 20 {
		t.Errorf("only %d of 30 sets measured by the walk", measured)
	}
}

func TestWalkCrossDeclines(t *testing.T) {
	a := box(99, 23, 99.02, 23.02)
	tests := []struct {
		name string
		b    orb.Geometry
		ok   bool
	}{
		{"shared edge", box(99.02, 23, 99.03, 23.02), false},
		{"edge a rounding error away", box(99.02+1e-15, 23, 99.03, 23.02), false},
		{"vertex on an edge", orb.Polygon{{{99.02, 23.01}, {99.03, 23}, {99.03, 23.02}, {99.02, 23.01}}}, false},
		{"edges along each other", box(98.99, 22.99, 99.03, 23), false},
		{"crossing", box(99.01, 23.01, 99.03, 23.03), true},
		{"apart", box(99.05, 23.05, 99.06, 23.06), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, declined := walkShapes(t, []orb.Geometry{a, tc.b})
			if declined[0][1] == tc.ok {
				t.Fatalf("Cross ok = %v, want %v", !declined[0][1], tc.ok)
			}
		})
	}
}

func ExampleWalker() {
	a, _ := geo.NewWalkShape(orb.Polygon{{{100, 24}, {100.02, 24}, {100.02, 24.02}, {100, 24.02}, {100, 24}}})
	b, _ := geo.NewWalkShape(orb.Polygon{{{100.01, 24.01}, {100.03, 24.01}, {100.03, 24.03}, {100.01, 24.03}, {100.01, 24.01}}})
	var w geo.Walker
	onA, onB, ok := w.Cross(a, b)
	if !ok {
		return // the boundaries touch: use geo.Intersect
	}
	within := make([]float64, 1)
	w.Walk(a, []geo.Neighbour{{Shape: b, Cross: onA}}, nil, within)
	aInB := within[0]
	within[0] = 0
	w.Walk(b, []geo.Neighbour{{Shape: a, Cross: onB}}, nil, within)
	fmt.Printf("%d crossings, a ∩ b = %.1f m²\n", onA.Len(), aInB+within[0])
	// Output: 2 crossings, a ∩ b = 1126856.1 m²
}
