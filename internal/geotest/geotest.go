// Package geotest holds test helpers shared by redline's packages: float
// comparison with tolerances and golden files. Only _test.go files import it.
package geotest

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
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
