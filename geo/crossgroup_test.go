package geo_test

import (
	"math"
	"math/rand"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// TestCrossGroupSameAsPairs: crossing all the pairs of a cover at once
// (crossGroup) finds, for every pair, the crossings that Walker.Cross finds
// pair by pair, to the last bit, declines the same pairs, and lists the
// neighbours in the same order: dense blobs, blobs sharing a vertex, boxes
// sharing edges, identical shapes, spiky rings whose long edges fill many
// cells, with and without a clip, collecting touches or stopping at the
// first.
func TestCrossGroupSameAsPairs(t *testing.T) {
	defer geo.SetGroupCrossFrom(geo.SetGroupCrossFrom(2))
	rng := rand.New(rand.NewSource(5))
	crossings, touches, declined := 0, 0, 0
	for k := 0; k < 40; k++ {
		var gs []orb.Geometry
		if k%2 == 1 { // the clip
			gs = append(gs, randomBlob(rng, orb.Point{99.05, 23.05}, 0.06, 40+rng.Intn(200)))
		}
		n := 20 + rng.Intn(40)
		for j := 0; j < n; j++ {
			c := orb.Point{99 + 0.1*rng.Float64(), 23 + 0.1*rng.Float64()}
			b := randomBlob(rng, c, 0.005+0.03*rng.Float64(), 4+rng.Intn(400))
			switch {
			case k%5 == 2 && j > 0 && j%7 == 0: // a vertex on an earlier shape's
				prev := gs[len(gs)-1].(orb.Polygon)[0]
				b[0][1] = prev[rng.Intn(len(prev)-1)]
			case k%5 == 3 && j%4 == 0: // boxes sharing edges
				x, y := 99+0.01*float64(j%10), 23+0.01*float64(j/10)
				gs = append(gs, box(x, y, x+0.01, y+0.01))
			case k%5 == 4 && j%6 == 0: // the same shape twice
				gs = append(gs, b)
			case k%7 == 6 && j%3 == 0: // spikes: long edges
				for i := 0; i+1 < len(b[0]); i += 2 {
					p := b[0][i]
					b[0][i] = orb.Point{c[0] + 0.05*(p[0]-c[0]), c[1] + 0.05*(p[1]-c[1])}
				}
				b[0][len(b[0])-1] = b[0][0]
			}
			gs = append(gs, b)
		}
		shapes := make([]*geo.WalkShape, len(gs))
		for i, g := range gs {
			shapes[i], _ = geo.NewWalkShape(g)
		}
		clip := k%2 == 1
		for _, collect := range []bool{true, false} {
			geo.SetGroupCrossFrom(math.MaxInt)
			want := geo.CrossAll(shapes, clip, collect)
			geo.SetGroupCrossFrom(2)
			got := geo.CrossAll(shapes, clip, collect)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("case %d (clip %v, collect %v): all at once differs from pair by pair: ok %v/%v, %d/%d touches", k, clip, collect, got.OK, want.OK, len(got.Touches), len(want.Touches))
			}
			if !want.OK {
				declined++
			}
			touches += len(want.Touches)
			for _, cs := range want.Cross {
				for _, c := range cs {
					crossings += len(c)
				}
			}
		}
	}
	if crossings == 0 || touches == 0 || declined == 0 {
		t.Fatalf("%d crossings, %d touches, %d declined: the cases do not test every side", crossings, touches, declined)
	}
}

// TestCoverGroupCrossSameArea: covers measured with their first walk's
// pairs crossed all at once give the same area and method, to the last bit,
// as pair by pair: dense blobs with and without a clip, touching grids that
// merge and cut, and the engine's overlay as an independent check of the
// walked areas.
func TestCoverGroupCrossSameArea(t *testing.T) {
	defer geo.SetGroupCrossFrom(geo.SetGroupCrossFrom(2))
	defer geo.SetCoverMerging(geo.SetCoverMerging(4, 0))
	rng := rand.New(rand.NewSource(21))
	walked := 0
	for k := 0; k < 24; k++ {
		polys := denseBlobs(rng, 3+rng.Intn(3))
		if k%3 == 1 {
			polys = append(polys, touchingGrid(rng, 3+rng.Intn(6), 1+rng.Intn(4))...)
		}
		var clip orb.Geometry
		if k%2 == 0 {
			clip = box(99.005+0.01*rng.Float64(), 23.005, 99.03+0.03*rng.Float64(), 23.04)
		}
		var area [2]float64
		var method [2]geo.CoverMethod
		for r, from := range []int{math.MaxInt, 2} {
			geo.SetGroupCrossFrom(from)
			c := geo.Cover{Clip: clip, Geoms: polys}
			if clip != nil {
				c.ClipShape = mustShape(t, clip)
			}
			a, m, err := c.AreaM2()
			if err != nil {
				t.Fatal(err)
			}
			area[r], method[r] = a, m
		}
		if area[0] != area[1] || method[0] != method[1] {
			t.Fatalf("case %d: pair by pair %v (%v), all at once %v (%v)", k, area[0], method[0], area[1], method[1])
		}
		if method[0] == geo.CoverWalk {
			walked++
			if ov := overlayArea(t, clip, polys); math.Abs(area[0]-ov) > 1e-9*ov {
				t.Fatalf("case %d: walked %v m², overlay %v m²", k, area[0], ov)
			}
		}
	}
	if walked < 12 {
		t.Fatalf("%d of 24 covers walked: too few test the grouped crossings", walked)
	}
}

// TestCrossGroupFallsBack: when every chunk's box spans the whole grid (long
// thin triangles over one another), crossGroup leaves the pairs to the
// pair-by-pair search, and crossAll's result is still the same.
func TestCrossGroupFallsBack(t *testing.T) {
	defer geo.SetGroupCrossFrom(geo.SetGroupCrossFrom(2))
	rng := rand.New(rand.NewSource(8))
	var spread, bunched []*geo.WalkShape
	for k := 0; k < 200; k++ {
		d := 0.0002 * float64(k)
		tri := orb.Polygon{{{99 + d, 23}, {99.1, 23.1 - d}, {99.1 - 0.0005, 23.1 - d}, {99 + d, 23}}}
		s, _ := geo.NewWalkShape(tri)
		bunched = append(bunched, s)
		b, _ := geo.NewWalkShape(randomBlob(rng, orb.Point{99 + 0.1*rng.Float64(), 23 + 0.1*rng.Float64()}, 0.01, 40+rng.Intn(200)))
		spread = append(spread, b)
	}
	if geo.CrossGroupDone(bunched) {
		t.Fatal("bunched chunks: crossed at once, want the pair-by-pair search")
	}
	if !geo.CrossGroupDone(spread) {
		t.Fatal("spread blobs: left to the pair-by-pair search, want crossed at once")
	}
	for _, shapes := range [][]*geo.WalkShape{bunched, spread} {
		geo.SetGroupCrossFrom(math.MaxInt)
		want := geo.CrossAll(shapes, false, true)
		geo.SetGroupCrossFrom(2)
		if got := geo.CrossAll(shapes, false, true); !reflect.DeepEqual(got, want) {
			t.Fatalf("all at once differs from pair by pair: ok %v/%v", got.OK, want.OK)
		}
	}
}
