package analysis_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// Issue 15 item 9: n identical squares (plus one crossing them) give
// n(n−1)/2 pairs, each of the square's area, and a union of the square;
// the dissolve handles the identical geometries once, so 600 squares take
// well under 10 s (the old dissolve grew as n^3.8: 497 s). Every number
// is checked against its closed form.
func TestOverlapsIdenticalFeatures(t *testing.T) {
	n := 600
	if s := os.Getenv("REDLINE_DUP_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	square := sq(100, 23, 100.01, 23.01)
	cross := sq(100.005, 22.99, 100.02, 23.005) // crosses every square
	gs := make([]orb.Geometry, 0, n+1)
	for range n {
		gs = append(gs, square)
	}
	gs = append(gs, cross)
	start := time.Now()
	res, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{overlapLayer(t, "d", gs...)}, analysis.OverlapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("%d identical squares took %v, want well under 10 s", n, d)
	}
	sqA := geo.AreaM2(square)
	xA := geo.AreaM2(sq(100.005, 23, 100.01, 23.005)) // square ∩ cross
	wantPairs := n*(n-1)/2 + n
	if res.Summary.Pairs != wantPairs {
		t.Fatalf("%d pairs, want %d", res.Summary.Pairs, wantPairs)
	}
	geotest.ApproxEqual(t, "sum", res.Summary.SumM2, float64(n*(n-1)/2)*sqA+float64(n)*xA, geotest.Tol{Rel: 1e-9})
	// Covered by two or more: the whole square (n ≥ 2).
	geotest.ApproxEqual(t, "union", res.Summary.OverlapM2, sqA, geotest.Tol{Rel: 1e-9})
	for _, p := range res.Pairs {
		want := sqA
		if p.BIndex == n {
			want = xA
		}
		if d := p.OverlapM2 - want; d > 1e-6*want || d < -1e-6*want {
			t.Fatalf("pair %d–%d: %.6f m², want %.6f", p.AIndex, p.BIndex, p.OverlapM2, want)
		}
	}
}
