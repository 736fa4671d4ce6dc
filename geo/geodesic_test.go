package geo_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func dms(d, m, s float64) float64 { return math.Copysign(math.Abs(d)+m/60+s/3600, d) }

func TestGeodesicVincentyReferenceLine(t *testing.T) {
	// Vincenty's classic test line on GRS80 (same a and f as CGCS2000):
	// Flinders Peak to Buninyong, 54 972.271 m (Geoscience Australia,
	// "Vincenty's inverse formula" worked example).
	flinders := orb.Point{dms(144, 25, 29.52440), -dms(37, 57, 3.72030)}
	buninyong := orb.Point{dms(143, 55, 35.38390), -dms(37, 39, 10.15610)}
	geotest.ApproxEqual(t, "Flinders–Buninyong", geo.GeodesicM(flinders, buninyong), 54972.271, geotest.Tol{Abs: 0.001})
	geotest.ApproxEqual(t, "symmetric", geo.GeodesicM(buninyong, flinders), 54972.271, geotest.Tol{Abs: 0.001})
}

func TestGeodesicMeridianAndEquator(t *testing.T) {
	// One degree of longitude on the equator is a·π/180 exactly.
	geotest.ApproxEqual(t, "equator 1°", geo.GeodesicM(orb.Point{99, 0}, orb.Point{100, 0}), 6378137*math.Pi/180, geotest.Tol{Abs: 1e-6})
	// A meridian arc from 23° to 24° N: the meridian arc length series
	// (Helmert) on CGCS2000, computed independently.
	arc := func(phi float64) float64 {
		a, f := 6378137.0, 1/298.257222101
		n := f / (2 - f)
		n2 := n * n
		A := a / (1 + n) * (1 + n2/4 + n2*n2/64)
		b1 := -3.0/2*n + 9.0/16*n*n2
		b2 := 15.0/16*n2 - 15.0/32*n2*n2
		b3 := -35.0 / 48 * n * n2
		b4 := 315.0 / 512 * n2 * n2
		p := phi * math.Pi / 180
		return A * (p + b1*math.Sin(2*p) + b2*math.Sin(4*p) + b3*math.Sin(6*p) + b4*math.Sin(8*p))
	}
	geotest.ApproxEqual(t, "meridian 23–24°", geo.GeodesicM(orb.Point{99, 23}, orb.Point{99, 24}), arc(24)-arc(23), geotest.Tol{Abs: 1e-4})
	if geo.GeodesicM(orb.Point{99, 23}, orb.Point{99, 23}) != 0 {
		t.Error("distance to itself must be 0")
	}
}

func TestLengthM(t *testing.T) {
	l := orb.LineString{{99, 23}, {99, 23.5}, {99, 24}}
	geotest.ApproxEqual(t, "two halves", geo.LengthM(l), geo.GeodesicM(orb.Point{99, 23}, orb.Point{99, 24}), geotest.Tol{Abs: 1e-6})
	if geo.LengthM(box(99, 23, 100, 24)) != 0 {
		t.Error("a polygon has no length")
	}
}

func TestDistanceM(t *testing.T) {
	sq := mustShape(t, box(99, 23, 99.01, 23.01))
	// A point due east of the square, on the latitude of its middle.
	pt := mustShape(t, orb.Point{99.02, 23.005})
	d, err := geo.DistanceM(sq, pt)
	if err != nil {
		t.Fatal(err)
	}
	geotest.ApproxEqual(t, "point–square", d, geo.GeodesicM(orb.Point{99.01, 23.005}, orb.Point{99.02, 23.005}), geotest.Tol{Abs: 0.01})
	d2, _ := geo.DistanceM(pt, sq)
	geotest.ApproxEqual(t, "symmetric", d2, d, geotest.Tol{Abs: 1e-9})
	inside := mustShape(t, orb.Point{99.005, 23.005})
	if d, _ := geo.DistanceM(sq, inside); d != 0 {
		t.Errorf("point inside: distance %g, want 0", d)
	}
	// Two squares 0.01° apart in latitude: the meridian gap.
	north := mustShape(t, box(99.005, 23.02, 99.015, 23.03))
	d3, _ := geo.DistanceM(sq, north)
	geotest.ApproxEqual(t, "square–square", d3, geo.GeodesicM(orb.Point{99.005, 23.01}, orb.Point{99.005, 23.02}), geotest.Tol{Abs: 0.01})
}

func mustShape(t testing.TB, g orb.Geometry) geo.Shape {
	t.Helper()
	s, err := geo.ShapeOf(g)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDistanceWithinMatchesBruteForce checks the cut-off search against
// the uncut one (NearestPoints) on random shapes, points and lines
// included, and both against an exhaustive geodesic search on the smaller
// shapes.
func TestDistanceWithinMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	exhaustive := 0
	defer func() {
		if exhaustive < 3 {
			t.Errorf("exhaustive check ran %d times, want at least 3", exhaustive)
		}
	}()
	for k := 0; k < 200; k++ {
		var a, b orb.Geometry
		a = randomBlob(rng, orb.Point{99 + 0.05*rng.Float64(), 23 + 0.05*rng.Float64()}, 0.01*rng.Float64()+1e-4, 3+rng.Intn(200))
		switch k % 3 {
		case 0:
			b = orb.Point{99 + 0.05*rng.Float64(), 23 + 0.05*rng.Float64()}
		case 1:
			b = orb.LineString{{99 + 0.05*rng.Float64(), 23 + 0.05*rng.Float64()}, {99 + 0.05*rng.Float64(), 23 + 0.05*rng.Float64()}}
		default:
			b = randomBlob(rng, orb.Point{99 + 0.05*rng.Float64(), 23 + 0.05*rng.Float64()}, 0.01*rng.Float64()+1e-4, 3+rng.Intn(200))
		}
		sa, sb := mustShape(t, a), mustShape(t, b)
		hit, _ := geo.Intersects(sa, sb)
		if hit {
			continue
		}
		p, q := geo.NearestPoints(a, b)
		want := geo.GeodesicM(p, q)
		if k%10 == 0 && geo.CountVertices(a)+geo.CountVertices(b) < 120 {
			exhaustive++
			geotest.ApproxEqual(t, "exhaustive", want, bruteDistanceM(a, b), geotest.Tol{Rel: 1e-6, Abs: 1e-3})
		}
		for _, cut := range []float64{want * 1.5, want * 0.5, 1e5} {
			d, within, err := geo.DistanceWithinM(sa, sb, cut)
			if err != nil {
				t.Fatal(err)
			}
			if within != (want <= cut) {
				t.Fatalf("case %d cut %g: within %v, distance %g", k, cut, within, want)
			}
			if within {
				geotest.ApproxEqual(t, "distance", d, want, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
			}
		}
	}
}

// bruteDistanceM is the smallest geodesic distance from any vertex of one
// geometry to any point of the other's edges, found by sampling every edge
// finely and refining around the best sample: slow, simple and independent
// of the package's search.
func bruteDistanceM(a, b orb.Geometry) float64 {
	edges := func(g orb.Geometry) [][2]orb.Point {
		var out [][2]orb.Point
		add := func(l []orb.Point) {
			if len(l) == 1 {
				out = append(out, [2]orb.Point{l[0], l[0]})
			}
			for i := 1; i < len(l); i++ {
				out = append(out, [2]orb.Point{l[i-1], l[i]})
			}
		}
		switch g := g.(type) {
		case orb.Point:
			add([]orb.Point{g})
		case orb.LineString:
			add(g)
		case orb.Polygon:
			for _, r := range g {
				add(r)
			}
		}
		return out
	}
	verts := func(g orb.Geometry) []orb.Point {
		var out []orb.Point
		for _, e := range edges(g) {
			out = append(out, e[0], e[1])
		}
		return out
	}
	best := math.Inf(1)
	pointEdge := func(v orb.Point, e [2]orb.Point) {
		at := func(t float64) float64 {
			return geo.GeodesicM(v, orb.Point{e[0][0] + t*(e[1][0]-e[0][0]), e[0][1] + t*(e[1][1]-e[0][1])})
		}
		// Coarse samples, then a golden-section search around the best.
		bt, bd := 0.0, at(0)
		for k := 1; k <= 64; k++ {
			if d := at(float64(k) / 64); d < bd {
				bt, bd = float64(k)/64, d
			}
		}
		lo, hi := math.Max(0, bt-1.0/64), math.Min(1, bt+1.0/64)
		for it := 0; it < 60; it++ {
			m1, m2 := lo+(hi-lo)*0.382, lo+(hi-lo)*0.618
			if at(m1) < at(m2) {
				hi = m2
			} else {
				lo = m1
			}
		}
		best = math.Min(best, math.Min(bd, at((lo+hi)/2)))
	}
	for _, v := range verts(a) {
		for _, e := range edges(b) {
			pointEdge(v, e)
		}
	}
	for _, v := range verts(b) {
		for _, e := range edges(a) {
			pointEdge(v, e)
		}
	}
	return best
}

// TestExpandBoundM: every point on the boundary of the expanded box is at
// least m metres (Vincenty) from the box, so nothing within m is left out; and
// the margin is not grossly larger than needed.
func TestExpandBoundM(t *testing.T) {
	for _, lat := range []float64{0, 23.9, 45, 70, -40} {
		b := orb.Bound{Min: orb.Point{99, lat}, Max: orb.Point{99.01, lat + 0.01}}
		for _, m := range []float64{1, 500, 1000, 50_000} {
			e := geo.ExpandBoundM(b, m)
			for k := 0; k <= 400; k++ {
				f := float64(k) / 400
				for _, p := range []orb.Point{
					{e.Min[0] + f*(e.Max[0]-e.Min[0]), e.Min[1]}, {e.Min[0] + f*(e.Max[0]-e.Min[0]), e.Max[1]},
					{e.Min[0], e.Min[1] + f*(e.Max[1]-e.Min[1])}, {e.Max[0], e.Min[1] + f*(e.Max[1]-e.Min[1])},
				} {
					near := orb.Point{math.Min(math.Max(p[0], b.Min[0]), b.Max[0]), math.Min(math.Max(p[1], b.Min[1]), b.Max[1])}
					if d := geo.GeodesicM(p, near); d < m {
						t.Fatalf("lat %v, %v m: %v on the expanded box is %.3f m from the box", lat, m, p, d)
					}
				}
			}
			north := geo.GeodesicM(orb.Point{b.Min[0], b.Max[1]}, orb.Point{b.Min[0], e.Max[1]})
			if north > 1.03*m {
				t.Errorf("lat %v, %v m: the northern margin is %.1f m", lat, m, north)
			}
		}
	}
}
