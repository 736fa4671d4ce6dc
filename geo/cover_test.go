package geo_test

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// TestCover measures clip ∩ (a ∪ b) for boxes whose answer is a box (closed
// form via geo.AreaM2 of that box), and checks which method applied: the walk
// in general position, the overlay when boundaries touch, and that forcing the
// overlay (no Geoms) gives the same number.
func TestCover(t *testing.T) {
	defer geo.SetCoverMerging(geo.SetCoverMerging(4, 0))
	tests := []struct {
		name       string
		clip       orb.Geometry // nil: no clip
		polys      []orb.Geometry
		want       []orb.Polygon // the cover, as disjoint boxes
		wantMethod geo.CoverMethod
	}{
		{"one polygon, no clip", nil, []orb.Geometry{box(99, 23, 99.1, 23.1)}, []orb.Polygon{box(99, 23, 99.1, 23.1)}, geo.CoverWhole},
		{"overlapping, general position", box(98.99, 22.995, 99.25, 23.05),
			[]orb.Geometry{box(99, 23, 99.1, 23.1), box(99.05, 22.99, 99.2, 23.08)},
			[]orb.Polygon{box(99, 23, 99.2, 23.05), box(99.05, 22.995, 99.2, 23)}, geo.CoverWalk},
		{"shared edge: merged, walked", box(98.99, 22.99, 99.3, 23.2),
			[]orb.Geometry{box(99, 23, 99.1, 23.1), box(99.1, 23, 99.2, 23.1)},
			[]orb.Polygon{box(99, 23, 99.2, 23.1)}, geo.CoverWalk},
		{"clip shares an edge: cut, walked", box(99, 22.99, 99.3, 23.2),
			[]orb.Geometry{box(99, 23, 99.1, 23.1), box(99.05, 23.05, 99.2, 23.15)},
			[]orb.Polygon{box(99, 23, 99.1, 23.05), box(99, 23.05, 99.2, 23.1), box(99.05, 23.1, 99.2, 23.15)}, geo.CoverWalk},
		{"clip shares an edge with one, another pair touches", box(99, 22.99, 99.3, 23.2),
			[]orb.Geometry{box(99, 23, 99.1, 23.1), box(99.05, 23.05, 99.2, 23.15), box(99.2, 23.12, 99.25, 23.14)},
			[]orb.Polygon{box(99, 23, 99.1, 23.05), box(99, 23.05, 99.2, 23.1), box(99.05, 23.1, 99.2, 23.15), box(99.2, 23.12, 99.25, 23.14)}, geo.CoverWalk},
		{"clip inside the union", box(99.02, 23.02, 99.08, 23.08),
			[]orb.Geometry{box(99, 23, 99.1, 23.1), box(99.05, 22.99, 99.2, 23.11)},
			[]orb.Polygon{box(99.02, 23.02, 99.08, 23.08)}, geo.CoverWalk},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := 0.0
			for _, p := range tc.want {
				want += geo.AreaM2(p)
			}
			c := geo.Cover{Clip: tc.clip, Geoms: tc.polys}
			if tc.clip != nil {
				c.ClipShape = mustShape(t, tc.clip)
			}
			for _, g := range tc.polys {
				c.Shapes = append(c.Shapes, mustShape(t, g))
			}
			got, m, err := c.AreaM2()
			if err != nil {
				t.Fatal(err)
			}
			if m != tc.wantMethod {
				t.Errorf("method %v, want %v", m, tc.wantMethod)
			}
			geotest.ApproxEqual(t, "cover", got, want, geotest.Tol{Rel: 1e-9})
			overlay := c
			overlay.Geoms = nil
			got2, m2, err := overlay.AreaM2()
			if err != nil {
				t.Fatal(err)
			}
			if m2 != geo.CoverOverlay {
				t.Errorf("without Geoms: method %v, want overlay", m2)
			}
			geotest.ApproxEqual(t, "cover by overlay", got2, want, geotest.Tol{Rel: 1e-9})
		})
	}
}

// TestCoverBuildPieces: pieces built once and reused give the area the
// cover measures on its own (a tiling: the walk declines on shared edges).
func TestCoverBuildPieces(t *testing.T) {
	sq := func(x1, y1, x2, y2 float64) orb.Polygon {
		return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
	}
	clip := sq(100.001, 24.001, 100.019, 24.009)
	cv := geo.Cover{Clip: clip, ClipShape: mustShape(t, clip)}
	for _, p := range []orb.Polygon{sq(100, 24, 100.01, 24.01), sq(100.01, 24, 100.02, 24.01), sq(100.005, 24, 100.015, 24.005)} {
		cv.Geoms, cv.Shapes = append(cv.Geoms, p), append(cv.Shapes, mustShape(t, p))
	}
	want, _, err := cv.AreaM2()
	if err != nil {
		t.Fatal(err)
	}
	if err := cv.BuildPieces(); err != nil || len(cv.Pieces) != 3 {
		t.Fatalf("pieces %d, %v", len(cv.Pieces), err)
	}
	u, err := cv.Union()
	if err != nil {
		t.Fatal(err)
	}
	geotest.ApproxEqual(t, "union of the built pieces", u.AreaM2(), want, geotest.Tol{Rel: 1e-12})
	geotest.ApproxEqual(t, "the clip, covered whole", want, geotest.BoxAreaM2(100.001, 24.001, 100.019, 24.009), geotest.Tol{Rel: 1e-9})
}

// touchingGrid returns n×n overlapping squares in general position (random
// offsets) and, for every stride-th of them, an extra square that touches
// it exactly: sharing its east edge's x, or only its north-east corner. So
// the walk declines the cover as a whole, and only the touching pairs need
// the overlay.
func touchingGrid(rng *rand.Rand, n, stride int) []orb.Geometry {
	const step, side = 0.01, 0.013
	var polys []orb.Geometry
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x := 99 + float64(i)*step + 0.002*rng.Float64()
			y := 23 + float64(j)*step + 0.002*rng.Float64()
			polys = append(polys, box(x, y, x+side, y+side))
			if k := i*n + j; stride > 0 && k%stride == 0 {
				w := 0.003 + 0.003*rng.Float64()
				if k%(2*stride) == 0 { // shares part of the east edge
					y0 := y + 0.004*rng.Float64()
					polys = append(polys, box(x+side, y0, x+side+w, y0+0.004))
				} else { // shares the north-east corner only
					polys = append(polys, box(x+side, y+side, x+side+w, y+side+w))
				}
			}
		}
	}
	return polys
}

// TestCoverTouchingPairs: covers where some polygons touch (a shared edge
// or vertex) are measured by merging the touching ones and walking again;
// the area is the overlay's (GEOS's under -tags geos) to 1e-9.
func TestCoverTouchingPairs(t *testing.T) {
	defer geo.SetCoverMerging(geo.SetCoverMerging(4, 0))
	rng := rand.New(rand.NewSource(14))
	for k := 0; k < 24; k++ {
		var polys []orb.Geometry
		if k%2 == 0 {
			polys = touchingGrid(rng, 3+rng.Intn(6), 1+rng.Intn(5))
		} else { // random blobs, some with a touching box on their east side
			for i := 0; i < 6+rng.Intn(20); i++ {
				p := randomBlob(rng, orb.Point{99 + 0.05*rng.Float64(), 23 + 0.05*rng.Float64()}, 0.005+0.02*rng.Float64(), 4+rng.Intn(80))
				if geo.Validate(p) != nil {
					continue
				}
				polys = append(polys, p)
				if rng.Intn(3) == 0 {
					b := p.Bound()
					e := orb.Point{b.Max[0], 0}
					for _, q := range p[0] {
						if q[0] == b.Max[0] {
							e[1] = q[1]
						}
					}
					// a box whose west edge passes through p's easternmost vertex
					polys = append(polys, box(e[0], e[1]-0.001, e[0]+0.004, e[1]+0.0013))
				}
			}
		}
		var clip orb.Geometry
		switch k % 4 {
		case 1, 2:
			clip = randomBlob(rng, orb.Point{99.03, 23.03}, 0.03, 5+rng.Intn(60))
			if geo.Validate(clip) != nil {
				clip = nil
			}
		case 3: // a box whose west edge runs along the first polygon's east edge or through its easternmost vertex
			b := polys[0].Bound()
			clip = box(b.Max[0], 22.9, 99.0+0.05+0.05*rng.Float64(), 23.2)
		}
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			c := geo.Cover{Clip: clip, Geoms: polys}
			if clip != nil {
				c.ClipShape = mustShape(t, clip)
			}
			if _, ok := geo.ClippedUnionAreaM2(clip, polys); ok {
				t.Fatal("the walk alone measured a cover with touching polygons")
			}
			got, m, err := c.AreaM2()
			if err != nil {
				t.Fatal(err)
			}
			if m != geo.CoverWalk {
				t.Errorf("method %v, want the walk after merging", m)
			}
			want := overlayArea(t, clip, polys)
			geotest.ApproxEqual(t, "area", got, want, geotest.Tol{Rel: 1e-9})
			// Without merging (the walk declines for good), the overlay
			// measures the same.
			defer geo.SetCoverMerging(geo.SetCoverMerging(0, 0))
			c = geo.Cover{Clip: clip, ClipShape: c.ClipShape, Geoms: polys}
			for _, g := range polys {
				c.Shapes = append(c.Shapes, mustShape(t, g))
			}
			got2, m2, err := c.AreaM2()
			if err != nil {
				t.Fatal(err)
			}
			if m2 != geo.CoverOverlay {
				t.Errorf("without merging: method %v, want overlay", m2)
			}
			geotest.ApproxEqual(t, "area by overlay", got2, want, geotest.Tol{Rel: 1e-9})
		})
	}
}

// BenchmarkCoverTouchingGrid: 40×40 overlapping squares, a few of them
// touching a neighbour exactly, clipped by a box: the walk declines the
// whole cover, which must not go to the overlay of all 1 600 squares.
func BenchmarkCoverTouchingGrid(b *testing.B) {
	polys := touchingGrid(rand.New(rand.NewSource(1)), 40, 97)
	clip := box(99.0031, 23.0047, 99.3512, 23.3377)
	cs := mustShape(b, clip)
	shapes := make([]geo.Shape, len(polys))
	for k, p := range polys {
		shapes[k] = mustShape(b, p)
	}
	b.ReportAllocs()
	for b.Loop() {
		c := geo.Cover{Clip: clip, ClipShape: cs, Geoms: polys, Shapes: shapes}
		if _, _, err := c.AreaM2(); err != nil {
			b.Fatal(err)
		}
	}
}

// denseBlobs is n×n rough blobs of about 400 vertices whose boxes each meet
// some 20 others (the 5× benchmark set's density), plus a few pairs of
// squares sharing an edge, so that the cover merges before it walks.
func denseBlobs(rng *rand.Rand, n int) []orb.Geometry {
	var polys []orb.Geometry
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			c := orb.Point{99 + 0.01*float64(i) + 0.01*rng.Float64(), 23 + 0.01*float64(j) + 0.01*rng.Float64()}
			polys = append(polys, smoothBlob(rng, c, 0.015, 350+rng.Intn(100)))
			if (i*n+j)%53 == 0 {
				x, y := c[0]+0.001*rng.Float64(), c[1]+0.001*rng.Float64()
				polys = append(polys, box(x, y, x+0.003, y+0.002), box(x+0.003, y, x+0.005, y+0.002))
			}
		}
	}
	return polys
}

// BenchmarkCoverDense: 400 blobs as dense as in the 5× set, clipped by a
// box: the crossing search between neighbours dominates.
func BenchmarkCoverDense(b *testing.B) {
	polys := denseBlobs(rand.New(rand.NewSource(1)), 20)
	clip := box(99.0131, 23.0217, 99.1873, 23.1769)
	cs := mustShape(b, clip)
	b.ReportAllocs()
	for b.Loop() {
		c := geo.Cover{Clip: clip, ClipShape: cs, Geoms: polys}
		if _, m, err := c.AreaM2(); err != nil || m != geo.CoverWalk {
			b.Fatal(m, err)
		}
	}
}

// smoothBlob is a star-shaped ring of n vertices around c, of radius about
// r with a few lobes and a little jitter: neighbours cross a few times, as
// the generator's polygons do, not at every edge.
func smoothBlob(rng *rand.Rand, c orb.Point, r float64, n int) orb.Polygon {
	k, phase, amp := 2+rng.Intn(4), 2*math.Pi*rng.Float64(), 0.1+0.2*rng.Float64()
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		rr := r * (1 + amp*math.Sin(float64(k)*a+phase) + 0.01*rng.Float64())
		ring = append(ring, orb.Point{c[0] + rr*math.Cos(a), c[1] + rr*math.Sin(a)})
	}
	return orb.Polygon{append(ring, ring[0])}
}

// TestCoverReusedPairsSameArea: a cover walked again after merging or
// cutting gives the same area to the last bit whether it reuses the first
// walk's crossings or searches every pair again (covers of the
// touching-pairs test, from 0 polygons on so that all of them merge).
func TestCoverReusedPairsSameArea(t *testing.T) {
	defer geo.SetCoverMerging(geo.SetCoverMerging(4, 0))
	defer geo.SetReusePairs(geo.SetReusePairs(true))
	rng := rand.New(rand.NewSource(15))
	walked := 0
	for k := 0; k < 40; k++ {
		polys := touchingGrid(rng, 3+rng.Intn(8), 1+rng.Intn(5))
		if k%3 == 0 {
			polys = append(polys, denseBlobs(rng, 2)...)
		}
		b := polys[0].Bound()
		clip := box(b.Max[0], 22.9, 99.02+0.08*rng.Float64(), 23.05+0.05*rng.Float64()) // along the first box's east edge
		if k%2 == 1 {
			clip = box(98.99+0.01*rng.Float64(), 22.99, 99.03+0.05*rng.Float64(), 23.2)
		}
		var area [2]float64
		var method [2]geo.CoverMethod
		for r, on := range []bool{false, true} {
			geo.SetReusePairs(on)
			c := geo.Cover{Clip: clip, ClipShape: mustShape(t, clip), Geoms: polys}
			a, m, err := c.AreaM2()
			if err != nil {
				t.Fatal(err)
			}
			area[r], method[r] = a, m
		}
		if area[0] != area[1] || method[0] != method[1] {
			t.Fatalf("case %d: afresh %v (%v), reused %v (%v)", k, area[0], method[0], area[1], method[1])
		}
		if method[0] == geo.CoverWalk {
			walked++
		}
	}
	if walked < 20 {
		t.Fatalf("%d of 40 covers walked: too few test the reuse", walked)
	}
}
