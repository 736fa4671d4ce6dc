// Package geotest holds test helpers shared by redline's packages: float
// comparison with tolerances, golden files and the reference tables (CSV,
// gzipped fixtures) of the PostGIS anchors. Only _test.go files import it.
package geotest

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

// Tol is a tolerance: a value passes when it is within Abs or within Rel of
// the wanted value's magnitude.
type Tol struct{ Rel, Abs float64 }

// Close reports whether got is within tol of want.
func Close(got, want float64, tol Tol) bool {
	d := math.Abs(got - want)
	return d <= tol.Abs || d <= tol.Rel*math.Abs(want)
}

// ApproxEqual fails t when got is not within tol of want.
func ApproxEqual(t testing.TB, name string, got, want float64, tol Tol) {
	t.Helper()
	if !Close(got, want, tol) || math.IsNaN(got) {
		rel := math.Abs(got-want) / math.Abs(want)
		t.Errorf("%s = %.10g, want %.10g (diff %.3g, rel %.3g, tol %+v)", name, got, want, got-want, rel, tol)
	}
}

var update = flag.Bool("update", false, "rewrite golden files")

// Golden compares got with testdata/<name>.golden, or rewrites it with -update.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file %s (review, then -update):\n--- got ---\n%s\n--- want ---\n%s", name, path, got, want)
	}
}

// SharedData returns the path of ../shared/data/real relative to the module
// root, skipping the test when it is absent.
func SharedData(t testing.TB, rel string) string {
	t.Helper()
	for _, up := range []string{"..", "../..", "../../.."} {
		p := filepath.Join(up, "..", "shared", "data", "real", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("shared real data %s not present", rel)
	return ""
}

// BoxAreaM2 is the closed-form ellipsoidal area in m² of the lon/lat box
// [lon1, lon2] × [lat1, lat2] on CGCS2000 (Snyder, Map Projections, eq.
// 3-12, with the authalic function q), written independently of the geo
// package so that tests can check it. Boxes with lon2 ≤ lon1 or lat2 ≤ lat1
// have no area.
func BoxAreaM2(lon1, lat1, lon2, lat2 float64) float64 {
	if lon2 <= lon1 || lat2 <= lat1 {
		return 0
	}
	a := 6378137.0
	f := 1 / 298.257222101
	e2 := f * (2 - f)
	e := math.Sqrt(e2)
	q := func(lat float64) float64 {
		s := math.Sin(lat * math.Pi / 180)
		return (1 - e2) * (s/(1-e2*s*s) - 1/(2*e)*math.Log((1-e*s)/(1+e*s)))
	}
	return a * a / 2 * (q(lat2) - q(lat1)) * (lon2 - lon1) * math.Pi / 180
}

// Polygons returns the polygons of a Polygon or MultiPolygon, else nil.
func Polygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}
