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

// TestDistanceWithinMatchesBruteForce checks the grid search against
// NearestPoints (an exhaustive R-tree search) on random shapes, points and
// lines included.
func TestDistanceWithinMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
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
