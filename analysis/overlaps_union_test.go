package analysis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// unionTruth is the union of the listed pairs' overlaps built from scratch:
// each pair of features intersected by the engine (GEOS in the geos build),
// all dissolved.
func unionTruth(t *testing.T, layers []*analysis.Constraint, res *analysis.OverlapResult) float64 {
	t.Helper()
	geom := func(layer string, index int) orb.Geometry {
		for _, c := range layers {
			if c.Name == layer {
				return c.Layer.Features[index].Geom
			}
		}
		t.Fatalf("no layer %s", layer)
		return nil
	}
	var pieces []geo.Shape
	for _, p := range res.Pairs {
		sa, _ := geo.ShapeOf(geom(p.ALayer, p.AIndex))
		sb, _ := geo.ShapeOf(geom(p.BLayer, p.BIndex))
		x, err := geo.Intersect(sa, sb)
		if err != nil {
			t.Fatal(err)
		}
		if x = x.Polygonal(); !x.IsEmpty() {
			pieces = append(pieces, x)
		}
	}
	u, err := geo.Dissolve(pieces)
	if err != nil {
		t.Fatal(err)
	}
	return u.AreaM2()
}

// checkUnion measures layers with every dirty component split (the walk
// with the degenerate features left out, plus local dissolves) and with
// every one dissolved whole (the path kept for small components), and
// holds both to the union built from scratch and to its bounds: no more than
// the sum of the pairs, no less than the largest. It returns the split's
// result.
func checkUnion(t *testing.T, layers []*analysis.Constraint, opt analysis.OverlapOptions) *analysis.OverlapResult {
	t.Helper()
	ctx := context.Background()
	restore := analysis.SetSplitFrom(0)
	split, err := analysis.Overlaps(ctx, layers, opt)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	restore = analysis.SetSplitFrom(math.MaxInt)
	whole, err := analysis.Overlaps(ctx, layers, opt)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := analysis.Splits(whole); n != 0 {
		t.Fatalf("%d components split with splitting off", n)
	}
	truth := unionTruth(t, layers, split)
	tol := geotest.Tol{Rel: 1e-9, Abs: 1e-6}
	geotest.ApproxEqual(t, "split union vs the pieces dissolved", split.Summary.OverlapM2, truth, tol)
	geotest.ApproxEqual(t, "whole dissolve vs the pieces dissolved", whole.Summary.OverlapM2, truth, tol)
	var most float64
	for _, p := range split.Pairs {
		most = math.Max(most, p.OverlapM2)
	}
	if u := split.Summary.OverlapM2; u > split.Summary.SumM2*(1+1e-9) || u < most*(1-1e-9) {
		t.Errorf("union %g outside [largest pair %g, sum of pairs %g]", u, most, split.Summary.SumM2)
	}
	return split
}

// wantSplit checks that res's dirty components were split without falling
// back to the whole dissolve.
func wantSplit(t *testing.T, res *analysis.OverlapResult) {
	t.Helper()
	if n, fb := analysis.Splits(res); n == 0 || fb != 0 {
		t.Errorf("%d components split, %d fell back to the whole dissolve; want ≥ 1 and 0", n, fb)
	}
}

// tilted is a square of side s around (cx, cy), turned by angle a: its
// edges cross the axis-parallel ones properly.
func tilted(cx, cy, s, a float64) orb.Polygon {
	ring := orb.Ring{}
	for k := 0; k < 4; k++ {
		b := a + float64(k)*math.Pi/2
		ring = append(ring, orb.Point{cx + s*math.Cos(b), cy + s*math.Sin(b)})
	}
	return orb.Polygon{append(ring, ring[0])}
}

// TestOverlapsUnionChain: squares in a row, each overlapping the next by half
// along collinear edges (every pair degenerate), so the union of the
// overlaps is the strip between the first square's middle and the last's,
// with a vertex wherever a square has one.
func TestOverlapsUnionChain(t *testing.T) {
	const n, w = 8, 0.01
	var gs []orb.Geometry
	for i := 0; i < n; i++ {
		x := 99 + float64(i)*w
		gs = append(gs, sq(x, 23, x+2*w, 23+2*w))
	}
	var strip orb.Ring
	for i := 1; i <= n; i++ {
		strip = append(strip, orb.Point{99 + float64(i)*w, 23})
	}
	for i := n; i >= 1; i-- {
		strip = append(strip, orb.Point{99 + float64(i)*w, 23 + 2*w})
	}
	strip = append(strip, strip[0])
	layers := []*analysis.Constraint{overlapLayer(t, "c", gs...)}
	res := checkUnion(t, layers, analysis.OverlapOptions{})
	wantSplit(t, res)
	geotest.ApproxEqual(t, "union vs the strip", res.Summary.OverlapM2, geo.AreaM2(orb.Polygon{strip}), geotest.Tol{Rel: 1e-9})
}

// TestOverlapsUnionDegenerate: hand-built layers where degenerate pairs
// (collinear shared edges, identical features, a feature inside another
// touching its boundary) sit among features whose boundaries cross
// properly, so that the split has both a walk and local dissolves.
func TestOverlapsUnionDegenerate(t *testing.T) {
	a := sq(99, 23, 99.04, 23.04)
	cases := []struct {
		name string
		gs   []orb.Geometry
	}{
		{"collinear edges", []orb.Geometry{a, sq(99.02, 23, 99.06, 23.04), tilted(99.05, 23.03, 0.015, 0.3),
			tilted(99.06, 23.04, 0.015, 0.7), tilted(99.07, 23.05, 0.012, 0.2)}},
		{"identical features", []orb.Geometry{a, sq(99, 23, 99.04, 23.04), sq(99, 23, 99.04, 23.04),
			tilted(99.04, 23.04, 0.012, 0.4), tilted(99.05, 23.045, 0.01, 0.1)}},
		{"inside, touching the boundary", []orb.Geometry{a, sq(99, 23.01, 99.01, 23.02), tilted(99.01, 23.015, 0.006, 0.5),
			tilted(99.04, 23.02, 0.01, 0.25), tilted(99.045, 23.025, 0.01, 0.6)}},
		{"all at once", []orb.Geometry{a, sq(99.02, 23, 99.06, 23.04), sq(99.02, 23, 99.06, 23.04), sq(99.04, 23.01, 99.05, 23.02),
			tilted(99.05, 23.015, 0.008, 0.3), tilted(99.055, 23.02, 0.008, 0.9), tilted(99.02, 23.045, 0.01, 0.2),
			tilted(99.025, 23.05, 0.01, 0.5), sq(99.06, 23, 99.08, 23.04), tilted(99.075, 23.035, 0.01, 0.45)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			layers := []*analysis.Constraint{overlapLayer(t, "d", tc.gs...)}
			wantSplit(t, checkUnion(t, layers, analysis.OverlapOptions{}))
			wantSplit(t, checkUnion(t, layers, analysis.OverlapOptions{Touching: true, MinAreaM2: 1e4}))
		})
	}
	// Across two layers, and within them too.
	l1 := overlapLayer(t, "p", a, sq(99.02, 23, 99.06, 23.04), tilted(99.07, 23.05, 0.012, 0.2))
	l2 := overlapLayer(t, "q", sq(99.02, 23, 99.06, 23.04), tilted(99.05, 23.03, 0.015, 0.3), tilted(99.06, 23.04, 0.015, 0.7))
	for _, within := range []bool{false, true} {
		wantSplit(t, checkUnion(t, []*analysis.Constraint{l1, l2}, analysis.OverlapOptions{Within: within}))
	}
}

// TestOverlapsUnionFallback: where the split's walk declines, the
// component is dissolved whole, with the same union.
func TestOverlapsUnionFallback(t *testing.T) {
	gs := gridSquares(rand.New(rand.NewSource(7)), 30, 10)
	layers := []*analysis.Constraint{overlapLayer(t, "f", gs...)}
	defer analysis.SetSplitFrom(0)()
	analysis.SetSplitDeclines(true)
	defer analysis.SetSplitDeclines(false)
	res, err := analysis.Overlaps(context.Background(), layers, analysis.OverlapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n, fb := analysis.Splits(res); n != 0 || fb == 0 {
		t.Errorf("%d components split, %d fell back; want 0 and ≥ 1", n, fb)
	}
	geotest.ApproxEqual(t, "union after the fallback", res.Summary.OverlapM2, unionTruth(t, layers, res), geotest.Tol{Rel: 1e-9, Abs: 1e-6})
}

// TestOverlapsUnionGrid: random squares on a grid (shared edges and
// vertices everywhere, duplicates too) mixed with tilted squares, for
// several seeds.
func TestOverlapsUnionGrid(t *testing.T) {
	for seed := int64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			gs := gridSquares(rand.New(rand.NewSource(seed)), 60, 20)
			layers := []*analysis.Constraint{overlapLayer(t, "g", gs...)}
			wantSplit(t, checkUnion(t, layers, analysis.OverlapOptions{}))
			// Pairs under 1 000 m² left out.
			checkUnion(t, layers, analysis.OverlapOptions{MinAreaM2: 1000})
		})
	}
}

// gridSquares returns n squares of 1–4 cells on a grid of 0.002° cells and
// m tilted squares among them.
func gridSquares(rng *rand.Rand, n, m int) []orb.Geometry {
	const cell, cells = 0.002, 16
	var gs []orb.Geometry
	for i := 0; i < n; i++ {
		x, y, s := rng.Intn(cells), rng.Intn(cells), 1+rng.Intn(4)
		gs = append(gs, sq(99+float64(x)*cell, 23+float64(y)*cell, 99+float64(x+s)*cell, 23+float64(y+s)*cell))
	}
	for i := 0; i < m; i++ {
		gs = append(gs, tilted(99+rng.Float64()*cells*cell, 23+rng.Float64()*cells*cell, (0.5+rng.Float64()*2)*cell, 0.1+rng.Float64()*1.3))
	}
	return gs
}

// FuzzOverlapsUnion: any few grid squares and tilted squares (from the
// bytes) give the same union split, dissolved whole and built from scratch.
func FuzzOverlapsUnion(f *testing.F) {
	f.Add([]byte{0, 0, 2, 1, 0, 2, 2, 0, 2}, []byte{10, 10, 40})
	f.Add([]byte{0, 0, 4, 0, 0, 4, 2, 2, 1, 4, 0, 4}, []byte{20, 20, 30, 5, 5, 100})
	f.Fuzz(func(t *testing.T, squares, tilts []byte) {
		const cell = 0.002
		var gs []orb.Geometry
		for k := 0; k+2 < len(squares) && len(gs) < 12; k += 3 {
			x, y, s := float64(squares[k]%8), float64(squares[k+1]%8), float64(1+squares[k+2]%4)
			gs = append(gs, sq(99+x*cell, 23+y*cell, 99+(x+s)*cell, 23+(y+s)*cell))
		}
		for k := 0; k+2 < len(tilts) && len(gs) < 16; k += 3 {
			gs = append(gs, tilted(99+float64(tilts[k])/255*10*cell, 23+float64(tilts[k+1])/255*10*cell, 1.5*cell, 0.1+float64(tilts[k+2])/255))
		}
		if len(gs) < 2 {
			return
		}
		checkUnion(t, []*analysis.Constraint{overlapLayer(t, "z", gs...)}, analysis.OverlapOptions{})
	})
}

// BenchmarkOverlapsDegenerate: BenchmarkOverlaps's layer of 1 000 stars,
// chained into large components, with every 50th star doubled (an
// identical pair is degenerate), measured with the dirty components split
// and dissolved whole.
func BenchmarkOverlapsDegenerate(b *testing.B) {
	const n = 1000
	rng := rand.New(rand.NewSource(1))
	side := math.Sqrt(n) * 0.02
	var gs []orb.Geometry
	for i := 0; i < n; i++ {
		g := star(rng, 99+rng.Float64()*side, 23+rng.Float64()*side, 0.005+rng.Float64()*0.02, 20+rng.Intn(200))
		gs = append(gs, g)
		if i%50 == 0 {
			gs = append(gs, orb.Polygon{append(orb.Ring(nil), g[0]...)})
		}
	}
	c := overlapLayer(b, "r", gs...)
	for _, split := range []bool{true, false} {
		b.Run(fmt.Sprintf("split=%v", split), func(b *testing.B) {
			from := math.MaxInt
			if split {
				from = 0
			}
			defer analysis.SetSplitFrom(from)()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{c}, analysis.OverlapOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestOverlapsUnionUnlisted: two components of listed pairs whose overlaps
// overlap each other where only unlisted pairs (below --min-area) link
// them: the spot covered by both counts once. In each case a and b, c and
// d overlap by 20 cells of 0.001° or more (listed), every pair across by at
// most 3 (unlisted, under 1e5 m²), and the two overlaps share a spot.
func TestOverlapsUnionUnlisted(t *testing.T) {
	const u = 0.001
	box := func(x1, y1, x2, y2 float64) orb.Polygon { return sq(99+x1*u, 23+y1*u, 99+x2*u, 23+y2*u) }
	cross := func(cx, cy float64) orb.Polygon { return tilted(99+cx*u, 23+cy*u, 6*u, 0.3) }
	// turned is box x1..x2, y1..y2 turned by angle a around its centre.
	turned := func(x1, y1, x2, y2, a float64) orb.Polygon {
		cx, cy := (x1+x2)/2, (y1+y2)/2
		var ring orb.Ring
		for _, q := range [][2]float64{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}} {
			dx, dy := q[0]-cx, q[1]-cy
			ring = append(ring, orb.Point{99 + (cx+dx*math.Cos(a)-dy*math.Sin(a))*u, 23 + (cy+dx*math.Sin(a)+dy*math.Cos(a))*u})
		}
		return orb.Polygon{ring}
	}
	cases := []struct {
		name string
		gs   []orb.Geometry
	}{
		// b inside a, along three of its edges; d inside c likewise.
		{"two dirty", []orb.Geometry{box(0, 0, 10, 10), box(0, 5, 10, 10), box(9, 9, 19, 19), box(9, 9, 19, 14)}},
		// a and b cross properly (clean); c and d as above.
		{"clean and dirty", []orb.Geometry{box(0, 0, 10, 10), cross(6, 6), box(9, 9, 19, 19), box(9, 9, 19, 14)}},
		// Strips: a and b cross along x, c and d along y, at a slant; the
		// two overlaps meet in half a cell at x = 20–20.5, y = 1–2.
		{"two clean", []orb.Geometry{turned(0, 0, 20.5, 2, 0), turned(0, 1, 20.5, 3, 0.01),
			turned(19, -5, 21, 15, 0), turned(20, -5, 22, 15, 0.01)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			layers := []*analysis.Constraint{overlapLayer(t, "m", tc.gs...)}
			res := checkUnion(t, layers, analysis.OverlapOptions{MinAreaM2: 1e5})
			if len(res.Pairs) != 2 {
				t.Fatalf("%d pairs listed, want 2 (a–b and c–d): %+v", len(res.Pairs), res.Pairs)
			}
			if s := res.Summary; s.OverlapM2 >= s.SumM2*(1-1e-6) {
				t.Errorf("union %g not below the sum %g: the spot in both overlaps counted twice", s.OverlapM2, s.SumM2)
			}
		})
	}
}

// TestOverlapsReleaseEarly: with ReleaseLayers, the features whose pieces
// the union's dissolves do not need lose their geometry once the walks are
// done (Released is called then; the few kept are copied); the result is the
// same to the byte as without it, whether the dirty components are split,
// dissolved whole or fall back, with pieces or not, and with a repaired
// feature (a copy of the layer's) among them.
func TestOverlapsReleaseEarly(t *testing.T) {
	js := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	modes := []struct {
		name     string
		from     int
		declines bool
	}{{"split", 0, false}, {"whole", math.MaxInt, false}, {"fallback", 0, true}}
	for seed := int64(1); seed <= 3; seed++ {
		gs := gridSquares(rand.New(rand.NewSource(seed)), 60, 20)
		// A zero-area spike, repaired before measuring.
		gs = append(gs, orb.Polygon{{{99.001, 23.001}, {99.005, 23.001}, {99.007, 23.001}, {99.005, 23.001}, {99.005, 23.005}, {99.001, 23.005}, {99.001, 23.001}}})
		// Clean pairs away from the grid: walked, never dissolved.
		for k := 0; k < 240; k++ {
			x, y := 100+float64(k%16)*0.01, 23+float64(k/16)*0.01
			gs = append(gs, tilted(x, y, 0.003, 0.3), tilted(x+0.002, y+0.001, 0.003, 0.7))
		}
		for _, m := range modes {
			for _, pieces := range []bool{false, true} {
				t.Run(fmt.Sprintf("%d/%s/pieces=%v", seed, m.name, pieces), func(t *testing.T) {
					defer analysis.SetSplitFrom(m.from)()
					analysis.SetSplitDeclines(m.declines)
					defer analysis.SetSplitDeclines(false)
					opt := analysis.OverlapOptions{Touching: true, Pieces: pieces}
					want, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{overlapLayer(t, "g", gs...)}, opt)
					if err != nil {
						t.Fatal(err)
					}
					if len(want.Repairs) == 0 || want.Summary.OverlapM2 <= 0 {
						t.Fatalf("%d repairs, union %g m²: the test data misses what it tests", len(want.Repairs), want.Summary.OverlapM2)
					}
					c := overlapLayer(t, "g", gs...)
					held, calls := 0, 0
					opt.ReleaseLayers = true
					opt.Released = func() {
						calls++
						for _, f := range c.Layer.Features {
							if f.Geom != nil {
								held++
							}
						}
					}
					got, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{c}, opt)
					if err != nil {
						t.Fatal(err)
					}
					if js(got) != js(want) {
						t.Errorf("result differs:\n%s\nwant\n%s", js(got), js(want))
					}
					for k := range want.Pairs {
						if g, w := got.Pairs[k].Piece.AreaM2(), want.Pairs[k].Piece.AreaM2(); pieces && g != w {
							t.Errorf("pair %d: piece %g m², want %g", k, g, w)
						}
					}
					if calls != 1 {
						t.Fatalf("Released called %d times, want 1", calls)
					}
					// Held at Released: with pieces, every feature of a listed
					// pair; without, only those of the pieces the dissolves build.
					involved := map[int]bool{}
					for _, p := range want.Pairs {
						involved[p.AIndex], involved[p.BIndex] = true, true
					}
					t.Logf("held %d of %d features, %d in listed pairs", held, len(gs), len(involved))
					switch {
					case pieces && held < len(involved)-1: // the repaired one is a copy
						t.Errorf("held %d features, want the %d of listed pairs", held, len(involved))
					case !pieces && held > 81: // the grid's
						t.Errorf("held %d features of %d in listed pairs: only the grid's are dissolved", held, len(involved))
					}
					for i, f := range c.Layer.Features {
						if f.Geom != nil || f.Props != nil || f.Index != i {
							t.Fatalf("feature %d is %+v, want only its index and id", i, f)
						}
					}
				})
			}
		}
	}
}
