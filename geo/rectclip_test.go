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

// ring closes the points given.
func ring(pts ...orb.Point) orb.Ring { return append(orb.Ring(pts), pts[0]) }

// checkClip clips g to b and checks the result: valid (or empty), rings
// oriented as RFC 7946 says, and its planar area.
func checkClip(t *testing.T, g orb.Geometry, b orb.Bound, want float64) orb.MultiPolygon {
	t.Helper()
	mp, ok := geo.RectClip(g, b)
	if !ok {
		t.Fatalf("RectClip declined %v", g)
	}
	if len(mp) > 0 {
		if ps := geo.Validate(mp); ps != nil {
			t.Errorf("result is invalid: %v\n%v", ps, mp)
		}
		for i, p := range mp {
			for j, r := range p {
				if ccw := planarSigned(r) > 0; ccw != (j == 0) {
					t.Errorf("part %d ring %d: counter-clockwise = %v", i, j, ccw)
				}
			}
		}
	}
	if got := clipArea(mp); math.Abs(got-want) > 1e-12*math.Max(1, want) {
		t.Errorf("area %g, want %g\n%v", got, want, mp)
	}
	return mp
}

// clipArea is the planar area of a polygonal geometry, each ring's shoelace
// taken about its first point: planarArea's products of raw lon/lat lose
// 2⁻⁴² deg² to rounding, more than 1e-9 of a small piece.
func clipArea(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Polygon:
		a := 0.0
		for i, r := range g {
			if i == 0 {
				a += math.Abs(planarSigned(r))
			} else {
				a -= math.Abs(planarSigned(r))
			}
		}
		return a
	case orb.MultiPolygon:
		a := 0.0
		for _, p := range g {
			a += clipArea(p)
		}
		return a
	case orb.Collection:
		a := 0.0
		for _, c := range g {
			a += clipArea(c)
		}
		return a
	case orb.Bound:
		return clipArea(g.ToPolygon())
	}
	return 0
}

func planarSigned(r orb.Ring) float64 {
	if len(r) == 0 {
		return 0
	}
	o := r[0]
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += (r[i][0]-o[0])*(r[i+1][1]-o[1]) - (r[i+1][0]-o[0])*(r[i][1]-o[1])
	}
	return s / 2
}

func sq(x0, y0, x1, y1 float64) orb.Ring { return box(x0, y0, x1, y1)[0] }

func TestRectClipCases(t *testing.T) {
	b := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}}
	rev := func(r orb.Ring) orb.Ring {
		out := append(orb.Ring(nil), r...)
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		return out
	}
	cases := []struct {
		name  string
		g     orb.Geometry
		want  float64
		parts int
	}{
		{"inside", orb.Polygon{sq(2, 2, 4, 4)}, 4, 1},
		{"covers the box", orb.Polygon{sq(-5, -5, 15, 15)}, 100, 1},
		{"disjoint", orb.Polygon{sq(20, 20, 30, 30)}, 0, 0},
		{"crosses a corner", orb.Polygon{sq(5, 5, 15, 15)}, 25, 1},
		{"crosses one side", orb.Polygon{sq(-5, -5, 5, 15)}, 50, 1},
		{"clockwise shell", orb.Polygon{rev(sq(5, 5, 15, 15))}, 25, 1},
		{"bound", orb.Bound{Min: orb.Point{5, -5}, Max: orb.Point{15, 5}}, 25, 1},
		{"equals the box", orb.Polygon{sq(0, 0, 10, 10)}, 100, 1},
		{"corner on the box's corner", orb.Polygon{sq(-5, -5, 10, 10)}, 100, 1},
		{"touches a corner from outside", orb.Polygon{sq(10, 10, 20, 20)}, 0, 0},
		{"touches a side along an edge from outside", orb.Polygon{sq(10, 0, 20, 10)}, 0, 0},
		{"touches a side in part from outside", orb.Polygon{sq(10, 3, 20, 7)}, 0, 0},
		{"vertex on a side from outside", orb.Polygon{ring(orb.Point{-5, 0}, orb.Point{0, 5}, orb.Point{-5, 10})}, 0, 0},
		{"vertex on a side from inside, rest inside", orb.Polygon{ring(orb.Point{5, 0}, orb.Point{8, 4}, orb.Point{2, 4})}, 12, 1},
		{"all vertices on the sides (diamond)", orb.Polygon{ring(orb.Point{0, 5}, orb.Point{5, 0}, orb.Point{10, 5}, orb.Point{5, 10})}, 50, 1},
		{"vertex on a side from inside, crossing elsewhere",
			orb.Polygon{ring(orb.Point{5, 0}, orb.Point{15, 5}, orb.Point{5, 8})}, 30, 1},
		{"edges along two sides", orb.Polygon{sq(0, 0, 20, 10)}, 100, 1},
		{"edges along three sides", orb.Polygon{sq(0, 0, 10, 5)}, 50, 1},
		{"edge along a side, shell crossing", orb.Polygon{ring(orb.Point{-5, 0}, orb.Point{5, 0}, orb.Point{5, 5}, orb.Point{-5, 5})}, 25, 1},
		{"notch from the top side", orb.Polygon{ring(orb.Point{0, 0}, orb.Point{20, 0}, orb.Point{20, 10}, orb.Point{8, 10}, orb.Point{8, 5}, orb.Point{6, 5}, orb.Point{6, 10}, orb.Point{0, 10})}, 90, 1},
		{"C shape crossing twice: two parts",
			orb.Polygon{ring(orb.Point{-5, 2}, orb.Point{15, 2}, orb.Point{15, 8}, orb.Point{-5, 8}, orb.Point{-5, 7}, orb.Point{14, 7}, orb.Point{14, 3}, orb.Point{-5, 3})}, 20, 2},
		{"hole inside the box", orb.Polygon{sq(-10, -10, 20, 20), rev(sq(2, 2, 4, 4))}, 96, 1},
		{"hole outside the box", orb.Polygon{sq(-10, -10, 20, 20), rev(sq(12, 12, 14, 14))}, 100, 1},
		{"hole crossing a side", orb.Polygon{sq(-10, -10, 20, 20), rev(sq(8, 4, 12, 6))}, 96, 1},
		{"hole crossing a corner, shell crossing", orb.Polygon{sq(5, 5, 20, 20), rev(sq(8, 8, 12, 12))}, 21, 1},
		{"hole holding the box", orb.Polygon{sq(-20, -20, 30, 30), rev(sq(-5, -5, 15, 15))}, 0, 0},
		{"hole equal to the box", orb.Polygon{sq(-20, -20, 30, 30), rev(sq(0, 0, 10, 10))}, 0, 0},
		{"hole along a side (notch)", orb.Polygon{sq(-10, -10, 20, 20), rev(sq(2, 0, 4, 2))}, 96, 1},
		{"hole touching a side at a vertex", orb.Polygon{sq(-10, -10, 20, 20), ring(orb.Point{5, 0}, orb.Point{4, 1}, orb.Point{5, 2}, orb.Point{6, 1})}, 98, 1},
		{"hole touching a side at two vertices: two parts",
			orb.Polygon{sq(-10, -10, 20, 20), ring(orb.Point{3, 0}, orb.Point{5, 1}, orb.Point{7, 0}, orb.Point{6, 2}, orb.Point{4, 2})}, 96, 2},
		{"hole with the shell's orientation", orb.Polygon{sq(-10, -10, 20, 20), sq(2, 2, 4, 4)}, 96, 1},
		{"multipolygon: one in, one crossing, one out",
			orb.MultiPolygon{{sq(1, 1, 2, 2)}, {sq(8, 8, 12, 12)}, {sq(30, 30, 40, 40)}}, 1 + 4, 2},
		{"multipolygon: box inside a part's hole's island",
			orb.MultiPolygon{{sq(-20, -20, 30, 30), rev(sq(-10, -10, 20, 20))}, {sq(-5, -5, 15, 15)}}, 100, 1},
		{"multipolygon: parts touching at a point on a side",
			orb.MultiPolygon{{ring(orb.Point{5, 0}, orb.Point{3, 4}, orb.Point{1, 4})}, {ring(orb.Point{5, 0}, orb.Point{15, 2}, orb.Point{15, 6})}}, 9, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// The wanted area also from the engine, as a check on the table.
			if c.want > 0 {
				x, err := geo.Intersect(mustShape(t, c.g), mustShape(t, b))
				if err != nil {
					t.Fatal(err)
				}
				if a := clipArea(x.Polygonal().Orb()); math.Abs(a-c.want) > 1e-9 {
					t.Fatalf("table: engine says %g, table %g", a, c.want)
				}
			}
			mp := checkClip(t, c.g, b, c.want)
			if len(mp) != c.parts {
				t.Errorf("%d parts, want %d: %v", len(mp), c.parts, mp)
			}
		})
	}
}

func TestRectClipDegenerateInput(t *testing.T) {
	b := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}}
	for _, g := range []orb.Geometry{
		orb.Polygon{}, orb.Polygon{{}}, orb.Polygon{{{1, 1}}}, orb.Polygon{ring(orb.Point{1, 1}, orb.Point{2, 2}, orb.Point{3, 3})},
		orb.MultiPolygon{}, orb.Polygon{ring(orb.Point{math.NaN(), 1}, orb.Point{2, 2}, orb.Point{3, 1})},
		orb.Polygon{ring(orb.Point{-5, -5}, orb.Point{15, 15}, orb.Point{15, -5}, orb.Point{-5, 15})}, // bow tie
	} {
		mp, _ := geo.RectClip(g, b)
		if clipArea(mp) > 100 {
			t.Errorf("%v: area %g", g, clipArea(mp))
		}
	}
	if _, ok := geo.RectClip(orb.LineString{{0, 0}, {1, 1}}, b); ok {
		t.Error("a line was clipped")
	}
	if _, ok := geo.RectClip(orb.Polygon{sq(1, 1, 2, 2)}, orb.Bound{Min: orb.Point{0, math.NaN()}, Max: orb.Point{1, 1}}); ok {
		t.Error("a NaN box was accepted")
	}
	if mp, ok := geo.RectClip(orb.Polygon{sq(-1, -1, 2, 2)}, orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{0, 1}}); !ok || mp != nil {
		t.Errorf("a flat box gave %v, %v", mp, ok)
	}
}

// randomHoled returns a star-shaped polygon around c with up to two holes
// (smaller stars around points near c, inside the shell's inner radius).
func randomHoled(rng *rand.Rand, c orb.Point, r float64, n int) orb.Polygon {
	p := randomBlob(rng, c, r, n)
	holes := rng.Intn(3)
	for k := 0; k < holes; k++ {
		hc := orb.Point{c[0] + (rng.Float64()-0.5)*0.3*r, c[1] + (rng.Float64()-0.5)*0.3*r}
		if k == 1 {
			hc = orb.Point{c[0] + 0.3*r, c[1] - 0.05*r}
		}
		if k == 0 && holes == 2 {
			hc = orb.Point{c[0] - 0.25*r, c[1] + 0.05*r}
		}
		h := randomBlob(rng, hc, 0.1*r, 3+rng.Intn(20))[0]
		for i, j := 0, len(h)-1; i < j; i, j = i+1, j-1 {
			h[i], h[j] = h[j], h[i]
		}
		p = append(p, h)
	}
	return p
}

// randomFeature is a polygon or a multipolygon of two or three disjoint
// holed stars around c.
func randomFeature(rng *rand.Rand, c orb.Point, r float64, n int) orb.Geometry {
	if rng.Intn(3) > 0 {
		return randomHoled(rng, c, r, n)
	}
	mp := orb.MultiPolygon{randomHoled(rng, c, r, n)}
	for k := 1; k <= 1+rng.Intn(2); k++ {
		a := rng.Float64() * 2 * math.Pi
		d := 2.05 * r * float64(k)
		mp = append(mp, randomHoled(rng, orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)}, r*(0.3+0.7*rng.Float64()), 3+rng.Intn(n)))
	}
	return mp
}

// randomBox returns a box near g; sometimes its sides go through vertices
// of g, so that the degenerate cases (vertices on the sides, edges along
// them) come up.
func randomBox(rng *rand.Rand, g orb.Geometry) orb.Bound {
	gb := g.Bound()
	w, h := gb.Max[0]-gb.Min[0], gb.Max[1]-gb.Min[1]
	var verts []orb.Point
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			verts = append(verts, r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				verts = append(verts, r...)
			}
		}
	}
	coord := func(lo, size float64, axis int) float64 {
		if rng.Intn(4) == 0 {
			return verts[rng.Intn(len(verts))][axis]
		}
		return lo - 0.2*size + rng.Float64()*1.4*size
	}
	for {
		x0, x1 := coord(gb.Min[0], w, 0), coord(gb.Min[0], w, 0)
		y0, y1 := coord(gb.Min[1], h, 1), coord(gb.Min[1], h, 1)
		if x0 > x1 {
			x0, x1 = x1, x0
		}
		if y0 > y1 {
			y0, y1 = y1, y0
		}
		if rng.Intn(3) == 0 { // small boxes, like a site's
			x1 = math.Min(x1, x0+0.1*w)
			y1 = math.Min(y1, y0+0.1*h)
		}
		if x0 < x1 && y0 < y1 {
			return orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x1, y1}}
		}
	}
}

func TestRectClipRandomAgainstOverlay(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	skipped := 0
	for k := 0; k < 400; k++ {
		g := randomFeature(rng, orb.Point{99 + rng.Float64(), 23 + rng.Float64()}, 0.02, 5+rng.Intn(200))
		if ps := geo.Validate(g); ps != nil {
			skipped++
			continue
		}
		b := randomBox(rng, g)
		mp, ok := geo.RectClip(g, b)
		if !ok {
			t.Errorf("case %d: RectClip declined a valid polygon", k)
			continue
		}
		if len(mp) > 0 {
			if ps := geo.Validate(mp); ps != nil {
				t.Errorf("case %d: clipped result invalid: %v", k, ps)
			}
		}
		x, err := geo.Intersect(mustShape(t, g), mustShape(t, b.ToPolygon()))
		if err != nil {
			t.Fatal(err)
		}
		want := clipArea(x.Polygonal().Orb())
		got := clipArea(mp)
		bw, bh := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
		if math.Abs(got-want) > 1e-9*math.Max(want, 1e-6*bw*bh) {
			t.Errorf("case %d: area %.17g, overlay %.17g (rel %.3g)\nF %v\nbox %v", k, got, want, (got-want)/want, g, b)
		}
		wantM2 := x.Polygonal().AreaM2()
		geotest.ApproxEqual(t, fmt.Sprintf("case %d m²", k), geo.AreaM2(mp), wantM2, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
	}
	if skipped > 40 {
		t.Errorf("%d of 400 random features were invalid", skipped)
	}
}

// TestRectClipOnGrid snaps random polygons and boxes to a coarse grid, so
// that vertices lie on the box's sides, edges run along them, rings touch
// the box at a vertex and crossing points fall on vertices.
func TestRectClipOnGrid(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	const step = 1.0 / 256
	snap := func(v float64) float64 { return math.Round(v/step) * step }
	tried := 0
	for k := 0; k < 3000 && tried < 400; k++ {
		g := randomFeature(rng, orb.Point{99.5, 23.5}, 0.03, 5+rng.Intn(40))
		snapAll(g, func(p orb.Point) orb.Point { return orb.Point{snap(p[0]), snap(p[1])} })
		if geo.Validate(g) != nil {
			continue
		}
		tried++
		b := randomBox(rng, g)
		b = orb.Bound{Min: orb.Point{snap(b.Min[0]), snap(b.Min[1])}, Max: orb.Point{snap(b.Max[0]), snap(b.Max[1])}}
		if !(b.Min[0] < b.Max[0] && b.Min[1] < b.Max[1]) {
			continue
		}
		mp, ok := geo.RectClip(g, b)
		if !ok {
			t.Errorf("case %d: declined\nF %v\nbox %v", k, g, b)
			continue
		}
		if len(mp) > 0 {
			if ps := geo.Validate(mp); ps != nil {
				t.Errorf("case %d: invalid result %v\nF %v\nbox %v\ngot %v", k, ps, g, b, mp)
			}
		}
		x, err := geo.Intersect(mustShape(t, g), mustShape(t, b.ToPolygon()))
		if err != nil {
			t.Fatal(err)
		}
		want, got := clipArea(x.Polygonal().Orb()), clipArea(mp)
		if math.Abs(got-want) > 1e-9*math.Max(want, step*step) {
			t.Errorf("case %d: area %.17g, overlay %.17g\nF %v\nbox %v\ngot %v", k, got, want, g, b, mp)
		}
	}
	if tried < 200 {
		t.Errorf("only %d valid snapped features", tried)
	}
}

// snapAll moves every vertex of a polygonal g through fn, in place.
func snapAll(g orb.Geometry, fn func(orb.Point) orb.Point) {
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			for i := range r {
				r[i] = fn(r[i])
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			snapAll(p, fn)
		}
	}
}

func TestIntersectFeatureRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for k := 0; k < 150; k++ {
		c := orb.Point{99 + rng.Float64(), 23 + rng.Float64()}
		g := randomFeature(rng, c, 0.02, 100+rng.Intn(1500))
		if geo.Validate(g) != nil {
			continue
		}
		f, err := geo.NewFeature(k, "", nil, g)
		if err != nil {
			t.Fatal(err)
		}
		// A site somewhere over the feature, sometimes across its edge.
		sc := orb.Point{c[0] + (rng.Float64()-0.5)*0.05, c[1] + (rng.Float64()-0.5)*0.05}
		site := mustShape(t, randomBlob(rng, sc, 0.001+0.004*rng.Float64(), 20+rng.Intn(100)))
		want, err := geo.Intersect(site, f.Shape())
		if err != nil {
			t.Fatal(err)
		}
		got, err := geo.IntersectFeature(site, &f)
		if err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, fmt.Sprintf("case %d overlap m²", k), got.Polygonal().AreaM2(), want.Polygonal().AreaM2(), geotest.Tol{Rel: 1e-9, Abs: 1e-6})
		if got.IsEmpty() != want.IsEmpty() {
			t.Errorf("case %d: empty %v, want %v", k, got.IsEmpty(), want.IsEmpty())
		}
	}
}

func TestIntersectFeatureSmallAndOther(t *testing.T) {
	site := mustShape(t, box(99, 23, 99.01, 23.01))
	for _, g := range []orb.Geometry{
		box(99.005, 23.005, 99.02, 23.02),              // small: overlay whole
		orb.LineString{{98.9, 23.005}, {99.1, 23.005}}, // not polygonal
	} {
		f, err := geo.NewFeature(0, "", nil, g)
		if err != nil {
			t.Fatal(err)
		}
		got, err := geo.IntersectFeature(site, &f)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := geo.Intersect(site, f.Shape())
		if got.AreaM2() != want.AreaM2() || got.Linear().LengthM() != want.Linear().LengthM() {
			t.Errorf("%T: got %g m² %g m, want %g m² %g m", g, got.AreaM2(), got.Linear().LengthM(), want.AreaM2(), want.Linear().LengthM())
		}
	}
	// A site well inside a large feature: the site itself, without overlay;
	// and inside the feature's box but in its hole: empty.
	rng := rand.New(rand.NewSource(2))
	holed := randomBlob(rng, orb.Point{99.005, 23.005}, 0.1, 400)
	holed = append(holed, sq(99.03, 23.03, 99.04, 23.04))
	holed[1] = orb.Ring{holed[1][0], holed[1][3], holed[1][2], holed[1][1], holed[1][0]}
	fh, err := geo.NewFeature(0, "", nil, holed)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		site orb.Polygon
		want float64
	}{
		{box(99, 23, 99.01, 23.01), geotest.BoxAreaM2(99, 23, 99.01, 23.01)},
		{box(99.032, 23.032, 99.038, 23.038), 0},
	} {
		s := mustShape(t, c.site)
		got, err := geo.IntersectFeature(s, &fh)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := geo.Intersect(s, fh.Shape())
		geotest.ApproxEqual(t, "inside or in a hole", got.AreaM2(), c.want, geotest.Tol{Rel: 1e-9, Abs: 1e-9})
		geotest.ApproxEqual(t, "as the overlay", got.AreaM2(), want.AreaM2(), geotest.Tol{Rel: 1e-12, Abs: 1e-9})
	}

	// A large feature touching the site along its side: no area, not empty.
	var arc orb.Ring
	for i := 0; i <= 500; i++ {
		a := -math.Pi/2 + math.Pi*float64(i)/500
		arc = append(arc, orb.Point{99.01 + 0.015*math.Cos(a), 23.005 + 0.015*math.Sin(a)})
	}
	arc[0], arc[500] = orb.Point{99.01, 22.99}, orb.Point{99.01, 23.02}
	f, err := geo.NewFeature(0, "", nil, orb.Polygon{append(arc, arc[0])})
	if err != nil {
		t.Fatal(err)
	}
	got, err := geo.IntersectFeature(site, &f)
	want, _ := geo.Intersect(site, f.Shape())
	if err != nil || got.IsEmpty() || want.IsEmpty() || got.AreaM2() != 0 || want.AreaM2() != 0 {
		t.Errorf("touching: got empty=%v %g, want empty=%v %g (%v)", got.IsEmpty(), got.AreaM2(), want.IsEmpty(), want.AreaM2(), err)
	}
}

func FuzzRectClip(f *testing.F) {
	f.Add(int64(1), uint16(40), 0.2, 0.3, 0.5, 0.4, uint8(0))
	f.Add(int64(2), uint16(300), -0.1, -0.1, 1.5, 1.5, uint8(1))
	f.Add(int64(3), uint16(8), 0.5, 0.5, 0.0, 0.2, uint8(3))
	f.Add(int64(4), uint16(12), 0.25, 0.25, 0.5, 0.5, uint8(2))
	f.Fuzz(func(t *testing.T, seed int64, n uint16, bx, by, bw, bh float64, mode uint8) {
		rng := rand.New(rand.NewSource(seed))
		c := orb.Point{99.5, 23.5}
		const r = 0.5
		var g orb.Geometry
		if mode&1 == 0 {
			g = randomHoled(rng, c, r, 3+int(n%2000))
		} else {
			g = randomFeature(rng, c, r, 3+int(n%2000))
		}
		if mode&2 != 0 { // snap to a coarse grid: collinear edges, shared coordinates
			snapAll(g, func(p orb.Point) orb.Point {
				return orb.Point{math.Round(p[0]*64) / 64, math.Round(p[1]*64) / 64}
			})
			bx, by = math.Round(bx*64)/64, math.Round(by*64)/64
			bw, bh = math.Round(bw*64)/64, math.Round(bh*64)/64
		}
		gb := g.Bound()
		b := orb.Bound{Min: orb.Point{gb.Min[0] + bx, gb.Min[1] + by}}
		b.Max = orb.Point{b.Min[0] + bw, b.Min[1] + bh}
		mp, ok := geo.RectClip(g, b) // must not panic, whatever the input
		if !ok || geo.Validate(g) != nil || !(bw > 0 && bh > 0) || math.Abs(bx)+math.Abs(by)+bw+bh > 10 {
			return
		}
		if len(mp) > 0 {
			if ps := geo.Validate(mp); ps != nil {
				t.Fatalf("invalid result %v for box %v", ps, b)
			}
		}
		limit := math.Min(clipArea(g), bw*bh)
		if a := clipArea(mp); a > limit*(1+1e-9) {
			t.Fatalf("area %g exceeds min(F, box) = %g", a, limit)
		}
	})
}

// BenchmarkIntersectFeature: a site of about 100 vertices over a feature of
// 200 to 3000 vertices, the feature overlaid whole or cut to the site's box.
func BenchmarkIntersectFeature(b *testing.B) {
	for _, n := range []int{32, 64, 128, 200, 1000, 3000} {
		rng := rand.New(rand.NewSource(1))
		fg := randomBlob(rng, orb.Point{99, 23}, 0.02, n)
		f, err := geo.NewFeature(0, "", nil, fg)
		if err != nil {
			b.Fatal(err)
		}
		// Sites across the feature's edge and inside it.
		var sites []geo.Shape
		for k := 0; k < 8; k++ {
			a := 2 * math.Pi * float64(k) / 8
			d := 0.01 + 0.002*float64(k%3)
			sites = append(sites, mustShape(b, randomBlob(rng, orb.Point{99 + d*math.Cos(a), 23 + d*math.Sin(a)}, 0.002, 100)))
		}
		b.Run(fmt.Sprintf("verts=%d/direct", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := geo.Intersect(sites[i%len(sites)], f.Shape()); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(fmt.Sprintf("verts=%d/clipped", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s := sites[i%len(sites)]
				mp, _ := geo.RectClip(f.Geom, s.Bound())
				if _, err := geo.Intersect(s, mustShape(b, mp)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(fmt.Sprintf("verts=%d/IntersectFeature", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := geo.IntersectFeature(sites[i%len(sites)], &f); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkRectClip: the clip alone, a 3000-vertex feature to a site's box.
func BenchmarkRectClip(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	fg := randomBlob(rng, orb.Point{99, 23}, 0.02, 3000)
	bx := orb.Bound{Min: orb.Point{99.015, 22.998}, Max: orb.Point{99.019, 23.002}}
	b.ReportAllocs()
	for b.Loop() {
		if mp, ok := geo.RectClip(fg, bx); !ok || len(mp) == 0 {
			b.Fatal("nothing clipped")
		}
	}
}
