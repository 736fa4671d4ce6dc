package analysis_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// landuse is a hand-drawn land-use layer over [100.00, 100.04] × [23.90,
// 23.91]: 旱地 on [0, .01] (two features, the second overlapping the first
// on [.005, .01]: dissolved, it counts once), 乔木林地 on [.01, .02] as a
// code only, an unknown code 9999 on [.02, .025]; nothing east of .025.
func landuse(t testing.TB) *geo.Layer {
	return layer(t, "landuse",
		feat{"L1", map[string]any{"DLBM": "0103", "DLMC": "旱地"}, box(100.000, 23.90, 100.010, 23.91)},
		feat{"L2", map[string]any{"DLBM": "0103", "DLMC": "旱地"}, box(100.005, 23.90, 100.010, 23.91)},
		feat{"L3", map[string]any{"DLBM": "0301"}, box(100.010, 23.90, 100.020, 23.91)},
		feat{"L4", map[string]any{"DLBM": "9999"}, box(100.020, 23.90, 100.025, 23.91)})
}

func screenBy(t *testing.T, sites *geo.Layer, cons []*analysis.Constraint, by ...analysis.ClassBy) *analysis.ScreenResult {
	t.Helper()
	res, err := analysis.Screen(context.Background(), sites, cons, analysis.DefaultRules(), analysis.ScreenOptions{NearM: 1000, By: by})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScreenByClassPolygon(t *testing.T) {
	// The site [100.002, 100.038] × [23.902, 23.908].
	sites := layer(t, "sites", feat{"S", nil, box(100.002, 23.902, 100.038, 23.908)})
	lu := constraint(t, "landuse", landuse(t))
	for _, field := range []string{"DLBM", "DLMC"} {
		t.Run(field, func(t *testing.T) {
			res := screenBy(t, sites, []*analysis.Constraint{lu}, analysis.ClassBy{Layer: "landuse", Field: field})
			s := res.Sites[0]
			if len(s.Conflicts) != 0 || len(s.Nearby) != 0 {
				t.Errorf("a layer named only for --by gave %d conflicts, %d nearby", len(s.Conflicts), len(s.Nearby))
			}
			ba := func(x1, x2 float64) float64 { return geotest.BoxAreaM2(x1, 23.902, x2, 23.908) }
			want := []struct {
				value string
				m2    float64
			}{{"乔木林地", ba(100.010, 100.020)}, {"旱地", ba(100.002, 100.010)}, {"9999", ba(100.020, 100.025)}, {"", ba(100.025, 100.038)}}
			if len(s.Classes) != len(want) {
				t.Fatalf("%d rows, want %d: %+v", len(s.Classes), len(want), s.Classes)
			}
			// Largest first; the uncovered row comes last.
			sum := 0.0
			for i, w := range want {
				row := s.Classes[i]
				if row.Value != w.value || row.Uncovered != (w.value == "") {
					t.Errorf("row %d: %q (uncovered %v), want %q", i, row.Value, row.Uncovered, w.value)
				}
				geotest.ApproxEqual(t, "row "+w.value, row.OverlapM2, w.m2, tol)
				geotest.ApproxEqual(t, "pct "+w.value, row.OverlapPct, 100*w.m2/s.AreaM2, tol)
				sum += row.OverlapM2
			}
			geotest.ApproxEqual(t, "rows sum to the site", sum, s.AreaM2, geotest.Tol{Rel: 1e-12})
			if s.Classes[0].Code != "0301" || s.Classes[1].Code != "0103" {
				t.Errorf("codes %q %q", s.Classes[0].Code, s.Classes[1].Code)
			}
			geotest.ApproxEqual(t, "layer total", s.Layers[0].OverlapM2, ba(100.002, 100.025), tol)
		})
	}
}

func TestScreenByClassLineAndPoint(t *testing.T) {
	lu := constraint(t, "landuse", landuse(t))
	line := orb.LineString{{100.004, 23.905}, {100.035, 23.905}}
	sites := layer(t, "sites", feat{"L", nil, line}, feat{"P", nil, orb.Point{100.015, 23.905}}, feat{"Q", nil, orb.Point{100.035, 23.905}})
	res := screenBy(t, sites, []*analysis.Constraint{lu}, analysis.ClassBy{Layer: "landuse", Field: "DLMC"})
	seg := func(x1, x2 float64) float64 { return geo.LengthM(orb.LineString{{x1, 23.905}, {x2, 23.905}}) }
	l := res.Sites[0]
	want := map[string]float64{"旱地": seg(100.004, 100.010), "乔木林地": seg(100.010, 100.020), "9999": seg(100.020, 100.025), "": seg(100.025, 100.035)}
	// A line straight in lon/lat is measured segment by segment (geodesic
	// between vertices), so a piece's length and the whole's differ by the
	// chord effect, here ~5e-9 relative: hence 2e-8.
	ltol := geotest.Tol{Rel: 2e-8}
	sum := 0.0
	for _, row := range l.Classes {
		w, ok := want[row.Value]
		if !ok {
			t.Errorf("unexpected row %+v", row)
			continue
		}
		geotest.ApproxEqual(t, "line "+row.Value, row.LengthInsideM, w, ltol)
		sum += row.LengthInsideM
	}
	geotest.ApproxEqual(t, "line rows sum to its length", sum, l.LengthM, ltol)
	if p := res.Sites[1].Classes; len(p) != 2 || p[0].Value != "乔木林地" || !p[0].Inside || p[1].Inside {
		t.Errorf("point in 乔木林地: %+v", p)
	}
	if q := res.Sites[2].Classes; len(q) != 1 || !q[0].Uncovered || !q[0].Inside {
		t.Errorf("point outside every class: %+v", q)
	}
}

func TestScreenByOnRuleLayerKeepsConflicts(t *testing.T) {
	reserve := constraint(t, "reserve", layer(t, "reserve",
		feat{"Z-core", map[string]any{"GNFQ": "核心区"}, box(100.10, 23.90, 100.12, 23.92)},
		feat{"Z-exp", map[string]any{"GNFQ": "实验区"}, box(100.12, 23.90, 100.14, 23.92)}))
	sites := layer(t, "sites", feat{"S", map[string]any{"project_type": "tourism"}, box(100.11, 23.905, 100.13, 23.915)})
	res := screenBy(t, sites, []*analysis.Constraint{reserve}, analysis.ClassBy{Layer: "reserve", Field: "GNFQ"})
	s := res.Sites[0]
	if len(s.Conflicts) != 2 || s.Verdict != analysis.Prohibited {
		t.Errorf("conflicts %d, verdict %s", len(s.Conflicts), s.Verdict)
	}
	if len(s.Classes) != 3 || s.Classes[2].Uncovered != true || s.Classes[2].OverlapM2 > 1e-6 {
		t.Errorf("classes %+v", s.Classes)
	}
	half := geotest.BoxAreaM2(100.11, 23.905, 100.12, 23.915)
	geotest.ApproxEqual(t, "core half", s.Classes[0].OverlapM2, half, geotest.Tol{Rel: 1e-6})
}

func TestClassesErrors(t *testing.T) {
	lu := landuse(t)
	_, err := analysis.NewClasses(lu, "TBMJ")
	if err == nil || !strings.Contains(err.Error(), "landuse") || !strings.Contains(err.Error(), "DLBM, DLMC") {
		t.Errorf("missing field: %v", err)
	}
	sites := layer(t, "sites", feat{"S", nil, box(100.002, 23.902, 100.038, 23.908)})
	_, err = analysis.Screen(context.Background(), sites, []*analysis.Constraint{constraint(t, "landuse", lu)}, analysis.DefaultRules(),
		analysis.ScreenOptions{By: []analysis.ClassBy{{Layer: "三调", Field: "DLMC"}}})
	if err == nil || !strings.Contains(err.Error(), "no layer 三调") {
		t.Errorf("unknown --by layer: %v", err)
	}
	// DLMC missing from the layer, DLBM present: names from GB/T 21010.
	codes := layer(t, "codes", feat{"A", map[string]any{"DLBM": "0101"}, box(0, 0, 1, 1)}, feat{"B", map[string]any{"DLBM": "0103K"}, box(1, 0, 2, 1)})
	cl, err := analysis.NewClasses(codes, "dlmc")
	if err != nil || cl.Values[0] != "水田" || cl.Values[1] != "旱地" || !cl.FromCodes {
		t.Errorf("names from codes: %+v, %v", cl, err)
	}
}

func TestLandClassTable(t *testing.T) {
	all := analysis.LandClasses()
	if len(all) != 12+73 {
		t.Errorf("%d classes, GB/T 21010-2017 has 12 first-level and 73 second-level", len(all))
	}
	first := 0
	for _, c := range all {
		if len(c.Code) == 2 {
			first++
		} else if _, ok := analysis.LookupLandClass(c.Code[:2]); !ok || len(c.Code) != 4 {
			t.Errorf("second-level %s has no first-level class", c.Code)
		}
		if c.Name == "" || c.NameEN == "" {
			t.Errorf("%s has no name", c.Code)
		}
	}
	if first != 12 {
		t.Errorf("%d first-level classes", first)
	}
	for code, want := range map[string]string{"01": "耕地", "0101": "水田", "0303": "红树林地", "0602": "采矿用地", "1002": "轨道交通用地", "1207": "裸岩石砾地", " 0201 ": "果园"} {
		if c, ok := analysis.LookupLandClass(code); !ok || c.Name != want {
			t.Errorf("%q: %+v, want %s", code, c, want)
		}
	}
	if _, ok := analysis.LookupLandClass("9999"); ok {
		t.Error("9999 found")
	}
}

// TestClassesManyValues: 100 000 features, each its own class value, in
// a grid; a site over a 40 × 40 block and share over four quarters. The
// work is n log n: it must finish in seconds.
func TestClassesManyValues(t *testing.T) {
	if testing.Short() {
		t.Skip("100 000 features")
	}
	const nx, ny, d = 400, 250, 1e-4
	l := &geo.Layer{Name: "many"}
	for i := 0; i < nx*ny; i++ {
		x, y := float64(i%nx)*d, float64(i/nx)*d
		f, err := geo.NewFeature(i, fmt.Sprint(i), map[string]any{"CLS": fmt.Sprintf("c%06d", i)}, box(100+x, 23+y, 100+x+d*0.9, 23+y+d*0.9))
		if err != nil {
			t.Fatal(err)
		}
		l.Add(f)
	}
	start := time.Now()
	sites := layer(t, "sites", feat{"S", nil, box(100+10.5*d, 23+10.5*d, 100+50.5*d, 23+50.5*d)})
	res := screenBy(t, sites, []*analysis.Constraint{constraint(t, "many", l)}, analysis.ClassBy{Layer: "many", Field: "CLS"})
	if n := len(res.Sites[0].Classes); n != 41*41+1 {
		t.Errorf("%d rows, want %d", n, 41*41+1)
	}
	regions := layer(t, "regions",
		feat{"Q1", nil, box(100, 23, 100+200*d, 23+125*d)}, feat{"Q2", nil, box(100+200*d, 23, 100+400*d, 23+125*d)},
		feat{"Q3", nil, box(100, 23+125*d, 100+200*d, 23+250*d)}, feat{"Q4", nil, box(100+200*d, 23+125*d, 100+400*d, 23+250*d)})
	rg, err := analysis.NewRegions(context.Background(), regions, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := rg.ShareBy(context.Background(), l, "CLS", analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sh.Total.Classes); n != nx*ny {
		t.Errorf("%d classes in the total, want %d", n, nx*ny)
	}
	for _, r := range sh.Regions {
		sum := 0.0
		for _, c := range r.Classes {
			sum += c.CoveredM2
		}
		geotest.ApproxEqual(t, "region "+r.ID+" classes sum to covered", sum, r.CoveredM2, geotest.Tol{Rel: 1e-9})
	}
	if el := time.Since(start); el > 60*time.Second {
		t.Errorf("took %v", el)
	}
	t.Logf("100 000 classes: %v", time.Since(start))
}

// TestShareByOverlappingRegions: regions overlapping each other count their
// common part once in the total, per class too (the overlay path that
// measures what an earlier region counted already).
func TestShareByOverlappingRegions(t *testing.T) {
	regions := layer(t, "regions", feat{"R1", nil, box(100.00, 23.90, 100.02, 23.91)}, feat{"R2", nil, box(100.01, 23.90, 100.03, 23.91)})
	lu := layer(t, "lu", feat{"A", map[string]any{"C": "a"}, box(100.00, 23.900, 100.03, 23.905)},
		feat{"B", map[string]any{"C": "b"}, box(100.00, 23.905, 100.03, 23.910)})
	rg, err := analysis.NewRegions(context.Background(), regions, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := rg.ShareBy(context.Background(), lu, "C", analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ba := geotest.BoxAreaM2
	want := map[string]float64{"R1/a": ba(100.00, 23.900, 100.02, 23.905), "R2/a": ba(100.01, 23.900, 100.03, 23.905),
		"R1/b": ba(100.00, 23.905, 100.02, 23.910), "R2/b": ba(100.01, 23.905, 100.03, 23.910),
		"total/a": ba(100.00, 23.900, 100.03, 23.905), "total/b": ba(100.00, 23.905, 100.03, 23.910)}
	got := map[string]float64{}
	for _, r := range sh.Regions {
		for _, c := range r.Classes {
			got[r.ID+"/"+c.Value] = c.CoveredM2
		}
	}
	for _, c := range sh.Total.Classes {
		got["total/"+c.Value] = c.CoveredM2
	}
	for k, w := range want {
		geotest.ApproxEqual(t, k, got[k], w, geotest.Tol{Rel: 1e-9})
	}
	geotest.ApproxEqual(t, "total covered", sh.Total.CoveredM2, ba(100.00, 23.90, 100.03, 23.91), geotest.Tol{Rel: 1e-9})
}
