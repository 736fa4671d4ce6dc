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

// planarArea is the shoelace area in coordinate units, for the engine
// regression cases drawn on a 10×10 grid.
func planarArea(g orb.Geometry) float64 {
	var ring func(r orb.Ring) float64
	ring = func(r orb.Ring) float64 {
		var s float64
		for i := 0; i+1 < len(r); i++ {
			s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
		}
		return math.Abs(s / 2)
	}
	switch g := g.(type) {
	case orb.Polygon:
		a := 0.0
		for i, r := range g {
			if i == 0 {
				a += ring(r)
			} else {
				a -= ring(r)
			}
		}
		return a
	case orb.MultiPolygon:
		a := 0.0
		for _, p := range g {
			a += planarArea(p)
		}
		return a
	case orb.Collection:
		a := 0.0
		for _, c := range g {
			a += planarArea(c)
		}
		return a
	}
	return 0
}

func TestUnionCoversHoleRegression(t *testing.T) {
	// simplefeatures v0.50.0 UnionMany gives 96 here; the two-input union
	// (and Dissolve built on it) must give 100.
	holed := mustShape(t, orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{4, 4}, {4, 6}, {6, 6}, {6, 4}, {4, 4}},
	})
	patch := mustShape(t, orb.Polygon{{{3, 3}, {7, 3}, {7, 7}, {3, 7}, {3, 3}}})
	u, err := geo.Union(holed, patch)
	if err != nil {
		t.Fatal(err)
	}
	if a := planarArea(u.Orb()); a != 100 {
		t.Errorf("Union area = %g, want 100", a)
	}
	d, err := geo.Dissolve([]geo.Shape{holed, patch})
	if err != nil {
		t.Fatal(err)
	}
	if a := planarArea(d.Orb()); a != 100 {
		t.Errorf("Dissolve area = %g, want 100", a)
	}
}

func TestIntersectKnownAndInvariants(t *testing.T) {
	a := mustShape(t, box(99, 23, 99.02, 23.02))
	b := mustShape(t, box(99.01, 23.01, 99.03, 23.03))
	ab, err := geo.Intersect(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := geotest.BoxAreaM2(99.01, 23.01, 99.02, 23.02)
	geotest.ApproxEqual(t, "a∩b", ab.AreaM2(), want, geotest.Tol{Rel: 1e-9})
	ba, _ := geo.Intersect(b, a)
	geotest.ApproxEqual(t, "b∩a", ba.AreaM2(), ab.AreaM2(), geotest.Tol{Rel: 1e-12})
}

func TestIntersectTouchingOnly(t *testing.T) {
	a := mustShape(t, box(99, 23, 99.01, 23.01))
	b := mustShape(t, box(99.01, 23, 99.02, 23.01))
	hit, err := geo.Intersects(a, b)
	if err != nil || !hit {
		t.Fatalf("touching boxes: Intersects = %v, %v; want true", hit, err)
	}
	ab, err := geo.Intersect(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if ab.AreaM2() != 0 || ab.Polygonal().AreaM2() != 0 {
		t.Errorf("touching boxes overlap %g m², want 0", ab.AreaM2())
	}
}

func TestIntersectLineAndPoint(t *testing.T) {
	zone := mustShape(t, box(99, 23, 99.01, 23.01))
	road := mustShape(t, orb.LineString{{98.99, 23.005}, {99.02, 23.005}})
	in, err := geo.Intersect(road, zone)
	if err != nil {
		t.Fatal(err)
	}
	want := geo.GeodesicM(orb.Point{99, 23.005}, orb.Point{99.01, 23.005})
	geotest.ApproxEqual(t, "length inside", in.Linear().LengthM(), want, geotest.Tol{Abs: 1e-3})
	pt := mustShape(t, orb.Point{99.005, 23.005})
	pin, _ := geo.Intersect(pt, zone)
	if pin.IsEmpty() {
		t.Error("point inside: empty intersection")
	}
}

// randomBlob returns a star-shaped polygon around c with radius r degrees.
func randomBlob(rng *rand.Rand, c orb.Point, r float64, n int) orb.Polygon {
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		rr := r * (0.5 + 0.5*rng.Float64())
		ring = append(ring, orb.Point{c[0] + rr*math.Cos(a), c[1] + rr*math.Sin(a)})
	}
	return orb.Polygon{append(ring, ring[0])}
}

func TestOverlayInvariantsRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for k := 0; k < 60; k++ {
		a := randomBlob(rng, orb.Point{99 + rng.Float64()*0.05, 23 + rng.Float64()*0.05}, 0.02, 5+rng.Intn(60))
		b := randomBlob(rng, orb.Point{99 + rng.Float64()*0.05, 23 + rng.Float64()*0.05}, 0.02, 5+rng.Intn(60))
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			sa, sb := mustShape(t, a), mustShape(t, b)
			ab, err1 := geo.Intersect(sa, sb)
			ba, err2 := geo.Intersect(sb, sa)
			u, err3 := geo.Union(sa, sb)
			d, err4 := geo.Difference(sa, sb)
			if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
				t.Fatal(err1, err2, err3, err4)
			}
			A, B, I := geo.AreaM2(a), geo.AreaM2(b), ab.AreaM2()
			tol := geotest.Tol{Rel: 1e-9, Abs: 1e-6}
			geotest.ApproxEqual(t, "A∩B = B∩A", ba.AreaM2(), I, tol)
			if I < 0 || I > math.Min(A, B)*(1+1e-12) {
				t.Errorf("overlap %g outside [0, min(%g, %g)]", I, A, B)
			}
			geotest.ApproxEqual(t, "|A∪B| = |A|+|B|−|A∩B|", u.AreaM2(), A+B-I, tol)
			geotest.ApproxEqual(t, "|A−B| = |A|−|A∩B|", d.AreaM2(), A-I, tol)
			dis, err := geo.Dissolve([]geo.Shape{sa, sb})
			if err != nil {
				t.Fatal(err)
			}
			geotest.ApproxEqual(t, "dissolve = union", dis.AreaM2(), u.AreaM2(), tol)
		})
	}
}

func TestDissolveGroupsAndPassThrough(t *testing.T) {
	// Three overlapping boxes in a row, one far away, one touching the far one.
	shapes := []geo.Shape{
		mustShape(t, box(99, 23, 99.02, 23.01)),
		mustShape(t, box(99.01, 23, 99.03, 23.01)),
		mustShape(t, box(99.02, 23, 99.04, 23.01)),
		mustShape(t, box(99.5, 23.5, 99.51, 23.51)),
		mustShape(t, box(99.51, 23.5, 99.52, 23.51)),
	}
	d, err := geo.Dissolve(shapes)
	if err != nil {
		t.Fatal(err)
	}
	want := geotest.BoxAreaM2(99, 23, 99.04, 23.01) + geotest.BoxAreaM2(99.5, 23.5, 99.52, 23.51)
	geotest.ApproxEqual(t, "dissolved", d.AreaM2(), want, geotest.Tol{Rel: 1e-9})
	if e, err := geo.Dissolve(nil); err != nil || !e.IsEmpty() {
		t.Errorf("Dissolve(nil) = %v, %v; want empty", e, err)
	}
}

func BenchmarkIntersect(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{50, 500, 3000} {
		b.Run(fmt.Sprintf("verts=%d", n), func(b *testing.B) {
			sa := mustShape(b, randomBlob(rng, orb.Point{99, 23}, 0.02, n))
			sb := mustShape(b, randomBlob(rng, orb.Point{99.01, 23.01}, 0.02, n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := geo.Intersect(sa, sb); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
