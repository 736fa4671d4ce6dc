package analysis_test

import (
	"context"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func box(x1, y1, x2, y2 float64) orb.Polygon {
	return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
}

type feat struct {
	id    string
	props map[string]any
	g     orb.Geometry
}

func layer(t testing.TB, name string, fs ...feat) *geo.Layer {
	t.Helper()
	l := &geo.Layer{Name: name}
	for i, f := range fs {
		if f.props == nil {
			f.props = map[string]any{}
		}
		gf, err := geo.NewFeature(i, f.id, f.props, f.g)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(gf)
	}
	return l
}

func constraint(t testing.TB, kind string, l *geo.Layer) *analysis.Constraint {
	t.Helper()
	c, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixture is the same hand-drawn world as testdata/*.geojson.
func fixture(t testing.TB) []*analysis.Constraint {
	return []*analysis.Constraint{
		constraint(t, "redline", layer(t, "redline",
			feat{"R1", nil, box(100.00, 23.90, 100.02, 23.92)},
			feat{"R2", nil, box(100.01, 23.90, 100.03, 23.92)})),
		constraint(t, "reserve", layer(t, "reserve",
			feat{"Z-core", map[string]any{"功能分区": "核心区"}, box(100.10, 23.90, 100.12, 23.92)},
			feat{"Z-buffer", map[string]any{"功能分区": "缓冲区"}, box(100.12, 23.90, 100.14, 23.92)},
			feat{"Z-exp", map[string]any{"功能分区": "实验区"}, box(100.14, 23.90, 100.16, 23.92)})),
		constraint(t, "water", layer(t, "water",
			feat{"W1", map[string]any{"保护区级别": "一级"}, box(100.20, 23.90, 100.21, 23.91)},
			feat{"W2", map[string]any{"保护区级别": "二级"}, box(100.21, 23.90, 100.22, 23.91)},
			feat{"W3", map[string]any{"保护区级别": "准保护区"}, box(100.22, 23.90, 100.23, 23.91)})),
		constraint(t, "farmland", layer(t, "farmland", feat{"F1", nil, box(100.30, 23.90, 100.31, 23.91)})),
	}
}

func screenOne(t *testing.T, typ string, g orb.Geometry) analysis.SiteResult {
	t.Helper()
	sites := layer(t, "sites", feat{"S", map[string]any{"project_type": typ}, g})
	res, err := analysis.Screen(context.Background(), sites, fixture(t), analysis.DefaultRules(), analysis.ScreenOptions{NearM: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return res.Sites[0]
}

var tol = geotest.Tol{Rel: 1e-9, Abs: 1e-6}

func TestScreenOverlappingRedLinesCountOnce(t *testing.T) {
	s := screenOne(t, "industrial", box(100.005, 23.905, 100.025, 23.915))
	if s.Verdict != analysis.Prohibited {
		t.Errorf("verdict %s, want prohibited", s.Verdict)
	}
	if len(s.Conflicts) != 2 {
		t.Fatalf("%d conflicts, want 2 (R1, R2)", len(s.Conflicts))
	}
	geotest.ApproxEqual(t, "R1 piece", s.Conflicts[0].OverlapM2, geotest.BoxAreaM2(100.005, 23.905, 100.02, 23.915), tol)
	geotest.ApproxEqual(t, "R2 piece", s.Conflicts[1].OverlapM2, geotest.BoxAreaM2(100.01, 23.905, 100.025, 23.915), tol)
	// Dissolved: the whole site, once, although the pieces sum to more.
	site := geotest.BoxAreaM2(100.005, 23.905, 100.025, 23.915)
	geotest.ApproxEqual(t, "site area", s.AreaM2, site, tol)
	geotest.ApproxEqual(t, "layer overlap", s.Layers[0].OverlapM2, site, tol)
	geotest.ApproxEqual(t, "layer %", s.Layers[0].OverlapPct, 100, geotest.Tol{Abs: 1e-9})
	if sum := s.Conflicts[0].OverlapM2 + s.Conflicts[1].OverlapM2; sum <= s.Layers[0].OverlapM2 {
		t.Errorf("pieces sum %g should exceed the dissolved %g here", sum, s.Layers[0].OverlapM2)
	}
}

func TestScreenStraddlingCoreAndBuffer(t *testing.T) {
	s := screenOne(t, "tourism", box(100.115, 23.905, 100.125, 23.915))
	if s.Verdict != analysis.Prohibited || len(s.Conflicts) != 2 {
		t.Fatalf("verdict %s with %d conflicts, want prohibited with 2", s.Verdict, len(s.Conflicts))
	}
	for i, want := range []struct{ zone, verdict string }{{"core", "prohibited"}, {"buffer", "prohibited"}} {
		c := s.Conflicts[i]
		if c.Zone != want.zone || c.Verdict.String() != want.verdict || c.Basis == "" {
			t.Errorf("conflict %d: zone %s verdict %s basis %q", i, c.Zone, c.Verdict, c.Basis)
		}
		geotest.ApproxEqual(t, "half", c.OverlapPct, 50, geotest.Tol{Abs: 1e-6})
	}
	geotest.ApproxEqual(t, "core piece", s.Conflicts[0].OverlapM2, geotest.BoxAreaM2(100.115, 23.905, 100.12, 23.915), tol)
}

func TestScreenVerdictsPerSite(t *testing.T) {
	tests := []struct {
		name, typ string
		g         orb.Geometry
		want      analysis.Verdict
	}{
		{"research in core", "research_monitoring", box(100.101, 23.901, 100.105, 23.905), analysis.Review},
		{"tourism in experimental", "tourism", box(100.145, 23.905, 100.15, 23.91), analysis.Restricted},
		{"agriculture on farmland", "agriculture", box(100.302, 23.902, 100.305, 23.905), analysis.Allowed},
		{"far away", "real_estate", box(100.5, 24.2, 100.51, 24.21), analysis.Clear},
		{"commercial in water I", "commercial", box(100.202, 23.902, 100.204, 23.904), analysis.Prohibited},
		{"water supply in water I", "water_supply", box(100.202, 23.902, 100.204, 23.904), analysis.Review},
		{"tourism in water II", "tourism", box(100.212, 23.902, 100.214, 23.904), analysis.Restricted},
		{"industry in water quasi", "industrial", box(100.222, 23.902, 100.224, 23.904), analysis.Restricted},
		{"road across farmland", "linear_infrastructure", orb.LineString{{100.305, 23.89}, {100.305, 23.92}}, analysis.Review},
		{"point in core", "other", orb.Point{100.11, 23.91}, analysis.Prohibited},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if s := screenOne(t, tc.typ, tc.g); s.Verdict != tc.want {
				t.Errorf("verdict %s, want %s (conflicts %+v)", s.Verdict, tc.want, s.Conflicts)
			}
		})
	}
}

func TestScreenLineCrossingRedLine(t *testing.T) {
	// A road along the parallel 23.91 from 99.99 to 100.005 enters R1 at
	// 100.00: 0.005° of the parallel (a parallel and a geodesic differ by
	// far less than a millimetre over 500 m).
	s := screenOne(t, "linear_infrastructure", orb.LineString{{99.99, 23.91}, {100.005, 23.91}})
	want := geo.GeodesicM(orb.Point{100.00, 23.91}, orb.Point{100.005, 23.91})
	if len(s.Conflicts) != 1 || s.Verdict != analysis.Review {
		t.Fatalf("verdict %s, %d conflicts; want review with 1", s.Verdict, len(s.Conflicts))
	}
	geotest.ApproxEqual(t, "length inside", s.Conflicts[0].LengthInsideM, want, geotest.Tol{Abs: 1e-3})
	geotest.ApproxEqual(t, "layer length", s.Layers[0].LengthInsideM, want, geotest.Tol{Abs: 1e-3})
	geotest.ApproxEqual(t, "% of length", s.Layers[0].OverlapPct, 100*want/s.LengthM, geotest.Tol{Abs: 1e-6})
	// The road also passes within reach of R2 (starts at 100.01): nearby.
	found := false
	for _, n := range s.Nearby {
		found = found || n.FeatureID == "R2"
	}
	if !found {
		t.Error("R2 not listed as nearby")
	}
}

func TestScreenPointNearWaterProximityRule(t *testing.T) {
	// 0.002° of latitude north of W1's edge: about 221 m.
	s := screenOne(t, "chemical", orb.Point{100.205, 23.912})
	if len(s.Conflicts) != 0 || s.Verdict != analysis.Review {
		t.Fatalf("verdict %s with %d conflicts; want review by proximity", s.Verdict, len(s.Conflicts))
	}
	n := s.Nearby[0]
	geotest.ApproxEqual(t, "distance", n.DistanceM, geo.GeodesicM(orb.Point{100.205, 23.91}, orb.Point{100.205, 23.912}), geotest.Tol{Abs: 0.01})
	if n.FeatureID != "W1" || n.RuleID != "water-setback" {
		t.Errorf("nearest %s by rule %q, want W1 by water-setback", n.FeatureID, n.RuleID)
	}
	// The same point for a tourism project: no proximity rule, so clear.
	if s := screenOne(t, "tourism", orb.Point{100.205, 23.912}); s.Verdict != analysis.Clear {
		t.Errorf("tourism near water: %s, want clear", s.Verdict)
	}
}

func TestScreenTouchingOnlyIsNearbyAtZero(t *testing.T) {
	// Shares R2's east edge (100.03) without overlapping.
	s := screenOne(t, "industrial", box(100.03, 23.90, 100.04, 23.91))
	if len(s.Conflicts) != 0 {
		t.Fatalf("touching site has conflicts %+v", s.Conflicts)
	}
	if len(s.Nearby) == 0 || s.Nearby[0].DistanceM != 0 || !s.Nearby[0].Touching {
		t.Errorf("touching feature not listed at 0 m: %+v", s.Nearby)
	}
}

func TestScreenInvariantsAndOrder(t *testing.T) {
	var fs []feat
	for i := 0; i < 40; i++ {
		x := 99.99 + 0.008*float64(i)
		fs = append(fs, feat{"S", map[string]any{"project_type": "other"}, box(x, 23.895, x+0.012, 23.915)})
	}
	sites := layer(t, "sites", fs...)
	res, err := analysis.Screen(context.Background(), sites, fixture(t), analysis.DefaultRules(), analysis.ScreenOptions{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range res.Sites {
		if s.Index != i {
			t.Fatalf("site %d at position %d: order lost", s.Index, i)
		}
		for _, l := range s.Layers {
			if l.OverlapM2 < 0 || l.OverlapM2 > s.AreaM2*(1+1e-12) || l.OverlapPct < 0 || l.OverlapPct > 100 {
				t.Errorf("site %d layer %s: overlap %g of %g (%g %%)", i, l.Layer, l.OverlapM2, s.AreaM2, l.OverlapPct)
			}
			var sum float64
			for _, c := range s.Conflicts {
				if c.Layer == l.Layer {
					sum += c.OverlapM2
				}
			}
			if l.OverlapM2 > sum*(1+1e-12)+1e-9 {
				t.Errorf("site %d layer %s: dissolved %g exceeds the pieces' sum %g", i, l.Layer, l.OverlapM2, sum)
			}
		}
	}
}

func TestScreenRejectsInvalidSite(t *testing.T) {
	bowtie := orb.Polygon{{{100.0, 23.9}, {100.01, 23.91}, {100.01, 23.9}, {100.0, 23.91}, {100.0, 23.9}}}
	sites := layer(t, "sites", feat{"BAD", nil, bowtie})
	_, err := analysis.Screen(context.Background(), sites, fixture(t), analysis.DefaultRules(), analysis.ScreenOptions{})
	if err == nil {
		t.Fatal("invalid site screened silently")
	}
	t.Log(err)
}

func TestNewConstraintUnknownZone(t *testing.T) {
	l := layer(t, "reserve", feat{"X", map[string]any{"功能分区": "核心"}, box(100, 23, 100.01, 23.01)})
	if _, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: "reserve"}); err == nil {
		t.Fatal("unknown zone value accepted")
	}
	c, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: "reserve", ZoneMap: map[string]string{"核心": "core"}})
	if err != nil || c.Zones[0] != "core" {
		t.Fatalf("mapped zone: %v, %v", c, err)
	}
}

func BenchmarkScreen(b *testing.B) {
	var fs []feat
	for i := 0; i < 200; i++ {
		x := 99.99 + 0.0015*float64(i)
		fs = append(fs, feat{"S", map[string]any{"project_type": "industrial"}, box(x, 23.895, x+0.004, 23.915)})
	}
	sites := layer(b, "sites", fs...)
	layers := fixture(b)
	rules := analysis.DefaultRules()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := analysis.Screen(context.Background(), sites, layers, rules, analysis.ScreenOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestZoneFieldCutByShapefile(t *testing.T) {
	// 功能分区 is 12 bytes in UTF-8: a shapefile's DBF keeps 功能分.
	l := layer(t, "reserve", feat{"X", map[string]any{"功能分": "实验区"}, box(100, 23, 100.01, 23.01)})
	c, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: "reserve"})
	if err != nil || c.Zones[0] != "experimental" {
		t.Fatalf("zone %q, %v; want experimental", c.Zones[0], err)
	}
}

func TestZonedKindWithoutZonesWarns(t *testing.T) {
	l := layer(t, "water", feat{"W", map[string]any{"名称": "水源地"}, box(100, 23, 100.01, 23.01)})
	c, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: "water"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || c.Zones[0] != "" {
		t.Errorf("warnings %v, zone %q", c.Warnings, c.Zones[0])
	}
}
