package analysis_test

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// BenchmarkScreenByClass screens 200 random boxes against a tiling of 60 ×
// 60 land-use cells in 20 classes (seed 1), with and without the table by
// class: the budget is at most 1.5 × the time without it.
func BenchmarkScreenByClass(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	const n, d = 60, 0.005
	lu := &geo.Layer{Name: "landuse"}
	for i := 0; i < n*n; i++ {
		x, y := 100+float64(i%n)*d, 23+float64(i/n)*d
		f, err := geo.NewFeature(i, fmt.Sprint(i), map[string]any{"DLBM": fmt.Sprintf("C%02d", rng.Intn(20))}, box(x, y, x+d, y+d))
		if err != nil {
			b.Fatal(err)
		}
		lu.Add(f)
	}
	sites := &geo.Layer{Name: "sites"}
	for i := 0; i < 200; i++ {
		x, y := 100+rng.Float64()*n*d*0.9, 23+rng.Float64()*n*d*0.9
		w, h := 0.002+rng.Float64()*0.01, 0.002+rng.Float64()*0.01
		f, err := geo.NewFeature(i, fmt.Sprint(i), nil, box(x, y, x+w, y+h))
		if err != nil {
			b.Fatal(err)
		}
		sites.Add(f)
	}
	c, err := analysis.NewConstraint(lu, analysis.LayerConfig{Kind: "landuse"})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		by   []analysis.ClassBy
	}{{"without", nil}, {"by=DLBM", []analysis.ClassBy{{Layer: "landuse", Field: "DLBM"}}}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := analysis.Screen(context.Background(), sites, []*analysis.Constraint{c}, analysis.DefaultRules(),
					analysis.ScreenOptions{By: tc.by}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
