package analysis_test

import (
	"context"
	"testing"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/internal/geotest"
)

// Features of different classes that overlap count in both rows: the rows
// then add up to more than the site. The numbers stay as they are; the site
// gets a warning saying which features overlap and by how much.
func TestScreenByOverlappingClassesWarns(t *testing.T) {
	// The site [100.000, 100.010] × [23.90, 23.91]; 旱地 on [.000, .006],
	// 林地 on [.004, .010] (overlapping on [.004, .006]); 草地 on [.000, .004]
	// tiles with 林地 (edge only, no warning for it).
	sites := layer(t, "sites", feat{"S", nil, box(100.000, 23.90, 100.010, 23.91)})
	lu := func() *analysis.Constraint {
		return constraint(t, "landuse", layer(t, "landuse",
			feat{"A", map[string]any{"DLMC": "旱地"}, box(100.000, 23.90, 100.006, 23.91)},
			feat{"B", map[string]any{"DLMC": "林地"}, box(100.004, 23.90, 100.010, 23.91)},
			feat{"C", map[string]any{"DLMC": "草地"}, box(100.000, 23.90, 100.004, 23.905)}))
	}
	ba := func(x1, x2 float64) float64 { return geotest.BoxAreaM2(x1, 23.90, x2, 23.91) }
	site := ba(100.000, 100.010)
	// A ∩ B is the strip [.004, .006]; A ∩ C is C's box, all of C.
	strip, cBox := ba(100.004, 100.006), geotest.BoxAreaM2(100.000, 23.90, 100.004, 23.905)
	for _, kind := range []string{"landuse", "reserve"} { // a layer only for --by, and one with rules
		t.Run(kind, func(t *testing.T) {
			c := lu()
			if kind == "reserve" {
				c = constraint(t, "reserve", c.Layer)
			}
			res := screenBy(t, sites, []*analysis.Constraint{c}, analysis.ClassBy{Layer: c.Name, Field: "DLMC"})
			s := res.Sites[0]
			sum := 0.0
			for _, r := range s.Classes {
				sum += r.OverlapM2
			}
			// The numbers are unchanged: each class whole, 未覆盖 nothing.
			geotest.ApproxEqual(t, "rows", sum, ba(100.000, 100.006)+ba(100.004, 100.010)+cBox, tol)
			geotest.ApproxEqual(t, "layer total", s.Layers[0].OverlapM2, site, tol)
			if len(s.Warnings) != 1 {
				t.Fatalf("%d warnings, want 1: %+v", len(s.Warnings), s.Warnings)
			}
			w := s.Warnings[0]
			if w.Kind != analysis.WarnOverlappingClasses || w.Layer != c.Name || w.Field != "DLMC" {
				t.Errorf("warning %+v", w)
			}
			geotest.ApproxEqual(t, "excess", w.ExcessM2, strip+cBox, tol)
			if len(w.Overlaps) != 2 {
				t.Fatalf("overlaps %+v, want A×C and A×B", w.Overlaps)
			}
			// Largest first, each pair in feature order.
			first, second := w.Overlaps[0], w.Overlaps[1]
			if cBox < strip {
				first, second = second, first
			}
			if first.FeatureID != "A" || first.OtherID != "C" || first.Value != "旱地" || first.OtherValue != "草地" || first.FeatureIndex != 0 || first.OtherIndex != 2 {
				t.Errorf("first overlap %+v, want A (旱地) × C (草地)", first)
			}
			geotest.ApproxEqual(t, "A∩C", first.OverlapM2, cBox, tol)
			if second.FeatureID != "A" || second.OtherID != "B" || second.OtherValue != "林地" {
				t.Errorf("second overlap %+v, want A × B (林地)", second)
			}
			geotest.ApproxEqual(t, "A∩B", second.OverlapM2, strip, tol)
		})
	}
}

// A layer whose classes tile (shared edges, and same-class features that
// overlap, which are dissolved) gives no warning.
func TestScreenByTilingClassesNoWarning(t *testing.T) {
	sites := layer(t, "sites", feat{"S", nil, box(100.002, 23.902, 100.038, 23.908)})
	res := screenBy(t, sites, []*analysis.Constraint{constraint(t, "landuse", landuse(t))}, analysis.ClassBy{Layer: "landuse", Field: "DLMC"})
	if w := res.Sites[0].Warnings; len(w) != 0 {
		t.Errorf("warnings %+v for classes that do not overlap", w)
	}
}

// share --by: a region whose classes overlap gets the warning, the excess
// being the area counted twice; the numbers stay; a region where the
// classes only touch gets none.
func TestShareByOverlappingClassesWarns(t *testing.T) {
	lu := layer(t, "landuse",
		feat{"A", map[string]any{"DLMC": "旱地"}, box(100.000, 23.90, 100.006, 23.91)},
		feat{"B", map[string]any{"DLMC": "林地"}, box(100.004, 23.90, 100.010, 23.91)},
		feat{"C", map[string]any{"DLMC": "草地"}, box(100.020, 23.90, 100.030, 23.91)},
		feat{"D", map[string]any{"DLMC": "林地"}, box(100.030, 23.90, 100.040, 23.91)})
	regions := layer(t, "regions", feat{"R1", nil, box(100.000, 23.90, 100.010, 23.91)}, feat{"R2", nil, box(100.020, 23.90, 100.040, 23.91)})
	rg, err := analysis.NewRegions(context.Background(), regions, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := rg.ShareBy(context.Background(), lu, "DLMC", analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ba := func(x1, x2 float64) float64 { return geotest.BoxAreaM2(x1, 23.90, x2, 23.91) }
	r1, r2 := sh.Regions[0], sh.Regions[1]
	geotest.ApproxEqual(t, "R1 covered", r1.CoveredM2, ba(100.000, 100.010), tol)
	if len(r1.Warnings) != 1 || r1.Warnings[0].Kind != analysis.WarnOverlappingClasses || r1.Warnings[0].Field != "DLMC" || r1.Warnings[0].Layer != "landuse" {
		t.Fatalf("R1 warnings %+v", r1.Warnings)
	}
	geotest.ApproxEqual(t, "R1 excess", r1.Warnings[0].ExcessM2, ba(100.004, 100.006), tol)
	if len(r2.Warnings) != 0 {
		t.Errorf("R2 (classes that touch) warnings %+v", r2.Warnings)
	}
}
