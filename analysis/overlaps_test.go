package analysis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func sq(x1, y1, x2, y2 float64) orb.Polygon {
	return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
}

func overlapLayer(t testing.TB, name string, gs ...orb.Geometry) *analysis.Constraint {
	t.Helper()
	var l geo.Layer
	for i, g := range gs {
		f, err := geo.NewFeature(i, fmt.Sprintf("%s%d", name, i), nil, g)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(f)
	}
	c, err := analysis.NewOverlapLayer(&l, name, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// engineOverlap is the reference: the overlay engine's intersection area.
func engineOverlap(t testing.TB, a, b orb.Geometry) (float64, bool) {
	t.Helper()
	sa, _ := geo.ShapeOf(a)
	sb, _ := geo.ShapeOf(b)
	x, err := geo.Intersect(sa, sb)
	if err != nil {
		t.Fatal(err)
	}
	return x.Polygonal().AreaM2(), !x.IsEmpty()
}

// TestOverlapsRepeatedPoints: a ring that repeats a point (a zero-length
// edge) changes nothing.
func TestOverlapsRepeatedPoints(t *testing.T) {
	a := sq(99, 23, 99.001, 23.001)
	b := orb.Polygon{{{99.004, 23.0005}, {99.004, 23.0005}, {99.007, 23.008}, {99, 23.009}, {99, 23.0005}, {99.004, 23.0005}}}
	res, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{overlapLayer(t, "r", a, b)}, analysis.OverlapOptions{Pieces: true})
	if err != nil {
		t.Fatal(err)
	}
	want := geo.AreaM2(sq(99, 23.0005, 99.001, 23.001))
	if len(res.Pairs) != 1 {
		t.Fatalf("%d pairs, want 1", len(res.Pairs))
	}
	geotest.ApproxEqual(t, "overlap", res.Pairs[0].OverlapM2, want, geotest.Tol{Rel: 1e-9})
	geotest.ApproxEqual(t, "piece", res.Pairs[0].Piece.AreaM2(), want, geotest.Tol{Rel: 1e-9})
}

func TestOverlapsCases(t *testing.T) {
	big := sq(99, 23, 99.1, 23.1)
	holed := orb.Polygon{big[0], orb.Ring{{99.02, 23.02}, {99.02, 23.08}, {99.08, 23.08}, {99.08, 23.02}, {99.02, 23.02}}}
	tests := []struct {
		name     string
		a, b     orb.Geometry
		want     float64 // m²; <0: not listed
		touching bool    // listed with --touching only
	}{
		{"partial", sq(99, 23, 99.02, 23.02), sq(99.01, 23.01, 99.03, 23.03), geo.AreaM2(sq(99.01, 23.01, 99.02, 23.02)), false},
		{"contained", big, sq(99.01, 23.01, 99.02, 23.02), geo.AreaM2(sq(99.01, 23.01, 99.02, 23.02)), false},
		{"container second", sq(99.01, 23.01, 99.02, 23.02), big, geo.AreaM2(sq(99.01, 23.01, 99.02, 23.02)), false},
		{"shared edge", sq(99, 23, 99.01, 23.01), sq(99.01, 23, 99.02, 23.01), 0, true},
		{"shared corner", sq(99, 23, 99.01, 23.01), sq(99.01, 23.01, 99.02, 23.02), 0, true},
		{"boxes overlap, shapes apart", orb.Polygon{{{99, 23}, {99.02, 23}, {99, 23.02}, {99, 23}}},
			orb.Polygon{{{99.02, 23.02}, {99.015, 23.02}, {99.02, 23.015}, {99.02, 23.02}}}, -1, false},
		{"inside a hole", holed, sq(99.03, 23.03, 99.04, 23.04), -1, false},
		{"across a hole", holed, sq(99.01, 23.04, 99.05, 23.05), geo.AreaM2(sq(99.01, 23.04, 99.02, 23.05)), false},
		{"surrounds the hole", holed, sq(99.01, 23.01, 99.09, 23.09), geo.AreaM2(sq(99.01, 23.01, 99.09, 23.09)) - geo.AreaM2(sq(99.02, 23.02, 99.08, 23.08)), false},
		{"identical", sq(99, 23, 99.01, 23.01), sq(99, 23, 99.01, 23.01), geo.AreaM2(sq(99, 23, 99.01, 23.01)), false},
		{"clockwise rings", orb.Polygon{{{99, 23}, {99, 23.02}, {99.02, 23.02}, {99.02, 23}, {99, 23}}}, sq(99.01, 23.01, 99.03, 23.03),
			geo.AreaM2(sq(99.01, 23.01, 99.02, 23.02)), false},
		{"multipolygon", orb.MultiPolygon{sq(99, 23, 99.01, 23.01), sq(99.02, 23, 99.03, 23.01)}, sq(99.005, 23.005, 99.025, 23.006),
			geo.AreaM2(sq(99.005, 23.005, 99.01, 23.006)) + geo.AreaM2(sq(99.02, 23.005, 99.025, 23.006)), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if ref, _ := engineOverlap(t, tc.a, tc.b); tc.want >= 0 {
				geotest.ApproxEqual(t, "engine", ref, tc.want, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
			}
			for _, touching := range []bool{false, true} {
				for _, swap := range []bool{false, true} {
					a, b := tc.a, tc.b
					if swap {
						a, b = b, a
					}
					res, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{overlapLayer(t, "L", a, b)},
						analysis.OverlapOptions{Touching: touching, Pieces: true})
					if err != nil {
						t.Fatal(err)
					}
					listed := tc.want > 0 || (tc.touching && touching)
					if !listed {
						if len(res.Pairs) != 0 {
							t.Fatalf("touching=%v swap=%v: got %d pairs, want none", touching, swap, len(res.Pairs))
						}
						continue
					}
					if len(res.Pairs) != 1 {
						t.Fatalf("touching=%v swap=%v: got %d pairs, want 1", touching, swap, len(res.Pairs))
					}
					p := res.Pairs[0]
					geotest.ApproxEqual(t, "overlap", p.OverlapM2, tc.want, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
					geotest.ApproxEqual(t, "piece", p.Piece.AreaM2(), tc.want, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
					geotest.ApproxEqual(t, "dissolved", res.Summary.OverlapM2, tc.want, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
					if p.AIndex != 0 || p.BIndex != 1 || p.APct < 0 || p.APct > 100 || p.BPct < 0 || p.BPct > 100 {
						t.Errorf("pair %+v", p)
					}
				}
			}
		})
	}
}

// TestOverlapsLayers checks across/within layers, --min-area and the
// dissolved total when three features overlap in one spot.
func TestOverlapsLayers(t *testing.T) {
	a := overlapLayer(t, "a", sq(99, 23, 99.02, 23.02), sq(99.01, 23.01, 99.03, 23.03))
	b := overlapLayer(t, "b", sq(99.015, 23.015, 99.025, 23.025), sq(99.5, 23.5, 99.6, 23.6))
	ctx := context.Background()
	across, err := analysis.Overlaps(ctx, []*analysis.Constraint{a, b}, analysis.OverlapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	within, err := analysis.Overlaps(ctx, []*analysis.Constraint{a, b}, analysis.OverlapOptions{Within: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(across.Pairs) != 2 || len(within.Pairs) != 3 {
		t.Fatalf("across %d pairs (want 2), within %d (want 3)", len(across.Pairs), len(within.Pairs))
	}
	if p := within.Pairs[0]; p.ALayer != "a" || p.AIndex != 0 || p.BLayer != "a" || p.BIndex != 1 {
		t.Errorf("first pair %s#%d × %s#%d, want a#0 × a#1", p.ALayer, p.AIndex, p.BLayer, p.BIndex)
	}
	for _, res := range []*analysis.OverlapResult{across, within} {
		var pieces []geo.Shape
		var sum float64
		for _, p := range res.Pairs {
			ref, _ := engineOverlap(t, a.Layer.Features[p.AIndex].Geom, layerOf(a, b, p.BLayer).Layer.Features[p.BIndex].Geom)
			geotest.ApproxEqual(t, "pair", p.OverlapM2, ref, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
			sum += p.OverlapM2
		}
		res2, _ := analysis.Overlaps(ctx, []*analysis.Constraint{a, b}, analysis.OverlapOptions{Within: len(res.Pairs) == 3, Pieces: true})
		for _, p := range res2.Pairs {
			pieces = append(pieces, p.Piece)
		}
		u, err := geo.Dissolve(pieces)
		if err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, "dissolved", res.Summary.OverlapM2, u.AreaM2(), geotest.Tol{Rel: 1e-9, Abs: 1e-6})
		if res.Summary.OverlapM2 >= sum {
			t.Errorf("dissolved %g should be below the sum %g (a triple overlap)", res.Summary.OverlapM2, sum)
		}
	}
	small, _ := analysis.Overlaps(ctx, []*analysis.Constraint{a, b}, analysis.OverlapOptions{Within: true, MinAreaM2: 5e5})
	if len(small.Pairs) != 2 {
		t.Errorf("--min-area 5e5: %d pairs, want 2", len(small.Pairs))
	}
}

func layerOf(a, b *analysis.Constraint, name string) *analysis.Constraint {
	if name == a.Name {
		return a
	}
	return b
}

// TestOverlapsRandom compares every pair of random star polygons (holes,
// multipolygons, shared vertices) with the overlay engine.
func TestOverlapsRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var gs []orb.Geometry
	for i := 0; i < 60; i++ {
		cx, cy := 99+rng.Float64()*0.2, 23+rng.Float64()*0.2
		r := 0.01 + rng.Float64()*0.05
		p := star(rng, cx, cy, r, 5+rng.Intn(40))
		switch i % 10 {
		case 3: // a copy sharing every vertex
			if len(gs) > 0 {
				if q, ok := gs[len(gs)-1].(orb.Polygon); ok {
					p = orb.Polygon{append(orb.Ring(nil), q[0]...)}
				}
			}
		case 5:
			p = append(p, orb.Ring{{cx - r/8, cy - r/8}, {cx - r/8, cy + r/8}, {cx + r/8, cy + r/8}, {cx + r/8, cy - r/8}, {cx - r/8, cy - r/8}})
		}
		gs = append(gs, p)
	}
	c := overlapLayer(t, "r", gs...)
	res, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{c}, analysis.OverlapOptions{Touching: true, Pieces: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]int]float64{}
	var pieces []geo.Shape
	for _, p := range res.Pairs {
		got[[2]int{p.AIndex, p.BIndex}] = p.OverlapM2
		pieces = append(pieces, p.Piece)
	}
	n := 0
	for i := range gs {
		for j := i + 1; j < len(gs); j++ {
			want, hit := engineOverlap(t, gs[i], gs[j])
			g, ok := got[[2]int{i, j}]
			if ok != hit {
				t.Errorf("pair %d,%d: listed %v, engine intersects %v (%g m²)", i, j, ok, hit, want)
				continue
			}
			if ok {
				n++
				geotest.ApproxEqual(t, fmt.Sprintf("pair %d,%d", i, j), g, want, geotest.Tol{Rel: 1e-9, Abs: 1e-3})
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d overlapping pairs: the test data is too sparse", n)
	}
	u, err := geo.Dissolve(pieces)
	if err != nil {
		t.Fatal(err)
	}
	geotest.ApproxEqual(t, "dissolved", res.Summary.OverlapM2, u.AreaM2(), geotest.Tol{Rel: 1e-9, Abs: 1e-3})
}

// star returns a simple star-shaped ring of n vertices around cx, cy.
func star(rng *rand.Rand, cx, cy, r float64, n int) orb.Polygon {
	ring := make(orb.Ring, 0, n+1)
	for k := 0; k < n; k++ {
		a := 2 * math.Pi * (float64(k) + 0.8*rng.Float64()) / float64(n)
		rr := r * (0.4 + 0.6*rng.Float64())
		ring = append(ring, orb.Point{cx + rr*math.Cos(a), cy + rr*math.Sin(a)})
	}
	return orb.Polygon{append(ring, ring[0])}
}

func TestOverlapsInvalid(t *testing.T) {
	bowtie := orb.Polygon{{{99, 23}, {99.01, 23.01}, {99.01, 23}, {99, 23.01}, {99, 23}}}
	_, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{overlapLayer(t, "bad", sq(99, 23, 99.01, 23.01), bowtie)},
		analysis.OverlapOptions{})
	if err == nil || !strings.Contains(err.Error(), "feature 1 (id bad1) is invalid") {
		t.Fatalf("err = %v, want one naming feature 1", err)
	}
}

func BenchmarkOverlaps(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewSource(1))
			gs := make([]orb.Geometry, n)
			side := math.Sqrt(float64(n)) * 0.02
			for i := range gs {
				gs[i] = star(rng, 99+rng.Float64()*side, 23+rng.Float64()*side, 0.005+rng.Float64()*0.02, 20+rng.Intn(200))
			}
			c := overlapLayer(b, "r", gs...)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{c}, analysis.OverlapOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzOverlaps: for two valid polygons on a coarse grid (shared vertices,
// collinear edges and containment are common), the result does not depend
// on the order, 0 ≤ overlap ≤ the smaller area, and (GEOS build) the pair is
// listed exactly when GEOS finds them intersecting, with GEOS's area.
func FuzzOverlaps(f *testing.F) {
	f.Add([]byte{0, 0, 4, 0, 4, 4, 0, 4}, []byte{2, 2, 6, 2, 6, 6, 2, 6})
	f.Add([]byte{0, 0, 4, 0, 4, 4, 0, 4}, []byte{4, 0, 8, 0, 8, 4, 4, 4})
	f.Add([]byte{0, 0, 8, 0, 8, 8, 0, 8}, []byte{2, 2, 4, 2, 4, 4})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		poly := func(bs []byte) orb.Polygon {
			var r orb.Ring
			for i := 0; i+1 < len(bs) && len(r) < 10; i += 2 {
				r = append(r, orb.Point{99 + float64(bs[i]%16)*0.001, 23 + float64(bs[i+1]%16)*0.001})
			}
			if len(r) > 0 {
				r = append(r, r[0])
			}
			return orb.Polygon{r}
		}
		pa, pb := poly(a), poly(b)
		if len(pa[0]) < 4 || len(pb[0]) < 4 || geo.Validate(pa) != nil || geo.Validate(pb) != nil {
			return
		}
		// A vertex a rounding error off another edge passes Validate but
		// not the engine's own check, and then the engine's answer is void.
		for _, p := range []orb.Polygon{pa, pb} {
			if s, _ := geo.ShapeOf(p); !s.Valid() {
				return
			}
		}
		res, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{overlapLayer(t, "f", pa, pb)},
			analysis.OverlapOptions{Touching: true})
		swapped, err2 := analysis.Overlaps(context.Background(), []*analysis.Constraint{overlapLayer(t, "f", pb, pa)},
			analysis.OverlapOptions{Touching: true})
		if !geo.HasMakeValid && (err != nil || err2 != nil) {
			return // the pure-Go engine failed on near-degenerate input, and said so
		}
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		area := func(r *analysis.OverlapResult) float64 {
			if len(r.Pairs) == 0 {
				return 0
			}
			return r.Pairs[0].OverlapM2
		}
		if !geotest.Close(area(res), area(swapped), geotest.Tol{Rel: 1e-6, Abs: 1e-3}) {
			t.Fatalf("%v × %v: not symmetric: %+v vs %+v", pa, pb, res.Pairs, swapped.Pairs)
		}
		for _, p := range res.Pairs {
			if p.OverlapM2 < 0 || p.OverlapM2 > math.Min(geo.AreaM2(pa), geo.AreaM2(pb))*(1+1e-9) {
				t.Fatalf("%v × %v: overlap %g outside [0, min area %g]", pa, pb, p.OverlapM2, math.Min(geo.AreaM2(pa), geo.AreaM2(pb)))
			}
		}
		if !geo.HasMakeValid {
			// simplefeatures v0.50 (pure Go) is not a trustworthy reference
			// on such near-degenerate grids: it can return a whole disjoint
			// polygon as the intersection (see testdata/fuzz). GEOS is.
			return
		}
		want, hit := engineOverlap(t, pa, pb)
		var got float64
		if len(res.Pairs) == 1 {
			got = res.Pairs[0].OverlapM2
		}
		// Whether two polygons touch at a point is decided at rounding
		// level on this grid (and rings that run back along themselves pass
		// validation): only pairs with area must agree on being listed.
		if (len(res.Pairs) == 1) != hit && math.Max(got, want) > 1e-3 {
			t.Fatalf("%v × %v: %d pairs, engine intersects %v (%g m²)", pa, pb, len(res.Pairs), hit, want)
		}
		if !geotest.Close(got, want, geotest.Tol{Rel: 1e-9, Abs: 1e-3}) {
			t.Fatalf("%v × %v: %g m², engine %g", pa, pb, got, want)
		}
	})
}

// TestOverlapsReleaseLayers: with ReleaseLayers the result is the same, to
// the byte and piece by piece, and the layer's features keep only their
// index and id.
func TestOverlapsReleaseLayers(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var gs []orb.Geometry
	for i := 0; i < 40; i++ {
		p := star(rng, 99+rng.Float64()*0.2, 23+rng.Float64()*0.2, 0.01+rng.Float64()*0.05, 5+rng.Intn(30))
		if i%7 == 3 { // a collection: its engine form goes too
			gs = append(gs, orb.Collection{p, sq(101, 25, 101.01, 25.01)})
			continue
		}
		gs = append(gs, p)
	}
	gs = append(gs, sq(100, 20, 100.1, 20.1), sq(100.1, 20, 100.2, 20.1)) // touching
	opt := analysis.OverlapOptions{Touching: true, Pieces: true}
	want, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{overlapLayer(t, "r", gs...)}, opt)
	if err != nil {
		t.Fatal(err)
	}
	c := overlapLayer(t, "r", gs...)
	opt.ReleaseLayers = true
	got, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{c}, opt)
	if err != nil {
		t.Fatal(err)
	}
	js := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if len(want.Pairs) < 20 || want.Summary.Touching == 0 {
		t.Fatalf("%d pairs, %d touching: the test data is too sparse", len(want.Pairs), want.Summary.Touching)
	}
	if js(got) != js(want) {
		t.Errorf("ReleaseLayers: result differs:\n%s\nwant\n%s", js(got), js(want))
	}
	for k := range want.Pairs {
		if g, w := got.Pairs[k].Piece.AreaM2(), want.Pairs[k].Piece.AreaM2(); g != w {
			t.Errorf("pair %d: piece %g m², want %g", k, g, w)
		}
	}
	for i, f := range c.Layer.Features {
		if f.Geom != nil || f.Props != nil || f.Index != i || f.ID != fmt.Sprintf("r%d", i) {
			t.Fatalf("ReleaseLayers: feature %d is %+v, want only its index and id", i, f)
		}
	}
}
