package analysis_test

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func sbox(x1, y1, x2, y2 float64) orb.Polygon {
	return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
}

func ba(b [4]float64) float64 { return geotest.BoxAreaM2(b[0], b[1], b[2], b[3]) }

func shareLayer(t testing.TB, name string, geoms ...orb.Geometry) *geo.Layer {
	t.Helper()
	l := &geo.Layer{Name: name}
	for i, g := range geoms {
		f, err := geo.NewFeature(i, fmt.Sprintf("%s%d", name, i), map[string]any{"name": fmt.Sprintf("%s-%d", name, i)}, g)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(f)
	}
	return l
}

var stol = geotest.Tol{Rel: 1e-9, Abs: 1e-3}

// checkInvariants holds for every result: covered ≤ area, shares in
// [0, 100], total ≤ sum of regions.
func checkInvariants(t *testing.T, r *analysis.ShareResult) {
	t.Helper()
	for _, g := range r.Regions {
		if g.CoveredM2 < 0 || g.CoveredM2 > g.AreaM2*(1+1e-12) {
			t.Errorf("region %s: covered %g outside [0, %g]", g.ID, g.CoveredM2, g.AreaM2)
		}
		if g.SharePct < 0 || g.SharePct > 100 {
			t.Errorf("region %s: share %g", g.ID, g.SharePct)
		}
	}
	tt := r.Total
	if tt.CoveredM2 < 0 || tt.CoveredM2 > tt.AreaM2*(1+1e-12) || tt.SharePct < 0 || tt.SharePct > 100 {
		t.Errorf("total %+v out of range", tt)
	}
	if tt.AreaM2 > tt.RegionsSumM2*(1+1e-12) {
		t.Errorf("total area %g > sum of regions %g", tt.AreaM2, tt.RegionsSumM2)
	}
}

func TestShareHandComputed(t *testing.T) {
	ctx := context.Background()
	A, B := [4]float64{99, 23, 99.1, 23.1}, [4]float64{99.1, 23, 99.2, 23.1}
	L1, L2 := [4]float64{99.02, 23.02, 99.06, 23.06}, [4]float64{99.04, 23.04, 99.08, 23.08}
	I12 := [4]float64{99.04, 23.04, 99.06, 23.06}
	L3 := [4]float64{99.09, 23.01, 99.13, 23.03} // crosses A|B
	L3a, L3b := [4]float64{99.09, 23.01, 99.1, 23.03}, [4]float64{99.1, 23.01, 99.13, 23.03}
	pb := func(b [4]float64) orb.Geometry { return sbox(b[0], b[1], b[2], b[3]) }
	layer := shareLayer(t, "L", pb(L1), pb(L2), pb(L3), pb(L1)) // L1 twice: never counted twice
	wantA := ba(L1) + ba(L2) - ba(I12) + ba(L3a)
	wantB := ba(L3b)

	t.Run("tiling regions", func(t *testing.T) {
		regions := shareLayer(t, "R", pb(A), pb(B))
		r, err := analysis.Share(ctx, regions, layer, analysis.ShareOptions{Target: analysis.Target{Pct: 10, Text: "10%"}})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, r)
		geotest.ApproxEqual(t, "A area", r.Regions[0].AreaM2, ba(A), stol)
		geotest.ApproxEqual(t, "A covered", r.Regions[0].CoveredM2, wantA, stol)
		geotest.ApproxEqual(t, "B covered", r.Regions[1].CoveredM2, wantB, stol)
		geotest.ApproxEqual(t, "total area", r.Total.AreaM2, ba(A)+ba(B), stol)
		geotest.ApproxEqual(t, "total covered", r.Total.CoveredM2, wantA+wantB, stol)
		// Tiling regions: the total is the area-weighted sum of the shares.
		w := (r.Regions[0].SharePct*r.Regions[0].AreaM2 + r.Regions[1].SharePct*r.Regions[1].AreaM2) / (r.Regions[0].AreaM2 + r.Regions[1].AreaM2)
		geotest.ApproxEqual(t, "weighted share", r.Total.SharePct, w, geotest.Tol{Rel: 1e-12})
		if r.Regions[0].Name != "R-0" || len(r.RegionOverlaps) != 0 || len(r.RegionGaps) != 0 {
			t.Errorf("name %q overlaps %v gaps %v", r.Regions[0].Name, r.RegionOverlaps, r.RegionGaps)
		}
		if !*r.Regions[0].MeetsTarget || *r.Regions[1].MeetsTarget || len(r.Missed()) != 1 {
			t.Errorf("meets %v %v, missed %v", *r.Regions[0].MeetsTarget, *r.Regions[1].MeetsTarget, r.Missed())
		}
	})

	t.Run("overlapping regions", func(t *testing.T) {
		C := [4]float64{99.05, 23, 99.15, 23.1}
		regions := shareLayer(t, "R", pb(A), pb(C))
		r, err := analysis.Share(ctx, regions, layer, analysis.ShareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, r)
		geotest.ApproxEqual(t, "total area", r.Total.AreaM2, ba([4]float64{99, 23, 99.15, 23.1}), stol)
		geotest.ApproxEqual(t, "total covered", r.Total.CoveredM2, ba(L1)+ba(L2)-ba(I12)+ba(L3), stol)
		if len(r.RegionOverlaps) != 1 {
			t.Fatalf("overlaps %v", r.RegionOverlaps)
		}
		geotest.ApproxEqual(t, "overlap", r.RegionOverlaps[0].OverlapM2, ba([4]float64{99.05, 23, 99.1, 23.1}), stol)
		if r.TargetPct != nil || r.Total.MeetsTarget != nil || r.Regions[0].MeetsTarget != nil {
			t.Error("no target: meets_target must be null")
		}
	})

	t.Run("gap", func(t *testing.T) {
		regions := shareLayer(t, "R", sbox(99, 23, 99.1, 23.3), sbox(99.2, 23, 99.3, 23.3), sbox(99.1, 23, 99.2, 23.1), sbox(99.1, 23.2, 99.2, 23.3))
		hole := shareLayer(t, "H", sbox(99.12, 23.12, 99.18, 23.18))
		r, err := analysis.Share(ctx, regions, hole, analysis.ShareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, r)
		if len(r.RegionGaps) != 1 {
			t.Fatalf("gaps %v", r.RegionGaps)
		}
		geotest.ApproxEqual(t, "gap", r.RegionGaps[0].AreaM2, geotest.BoxAreaM2(99.1, 23.1, 99.2, 23.2), stol)
		geotest.ApproxEqual(t, "total area", r.Total.AreaM2, geotest.BoxAreaM2(99, 23, 99.3, 23.3)-geotest.BoxAreaM2(99.1, 23.1, 99.2, 23.2), stol)
		if r.Total.CoveredM2 != 0 {
			t.Errorf("a layer in the gap covers %g m² of the total", r.Total.CoveredM2)
		}
	})

	t.Run("holed region and enclosing feature", func(t *testing.T) {
		holed := orb.Polygon{sbox(99, 23, 99.3, 23.3)[0], {{99.1, 23.1}, {99.1, 23.2}, {99.2, 23.2}, {99.2, 23.1}, {99.1, 23.1}}}
		small := sbox(99.5, 23.5, 99.51, 23.51)
		regions := shareLayer(t, "R", holed, small)
		l := shareLayer(t, "F", sbox(99.05, 23.05, 99.25, 23.25), sbox(99.4, 23.4, 99.6, 23.6))
		r, err := analysis.Share(ctx, regions, l, analysis.ShareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, r)
		geotest.ApproxEqual(t, "holed", r.Regions[0].CoveredM2, geotest.BoxAreaM2(99.05, 23.05, 99.25, 23.25)-geotest.BoxAreaM2(99.1, 23.1, 99.2, 23.2), stol)
		geotest.ApproxEqual(t, "inside feature", r.Regions[1].SharePct, 100, geotest.Tol{Abs: 1e-9})
	})

	t.Run("multipolygon with parts in two regions", func(t *testing.T) {
		// Each part lies clear inside one region: the shortcut must not take
		// the whole feature for either region (regression: anchors' large set).
		regions := shareLayer(t, "R", pb(A), pb(B))
		mp := shareLayer(t, "M", orb.MultiPolygon{sbox(99.02, 23.02, 99.03, 23.03), sbox(99.15, 23.05, 99.17, 23.06)})
		r, err := analysis.Share(ctx, regions, mp, analysis.ShareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, r)
		geotest.ApproxEqual(t, "A", r.Regions[0].CoveredM2, geotest.BoxAreaM2(99.02, 23.02, 99.03, 23.03), stol)
		geotest.ApproxEqual(t, "B", r.Regions[1].CoveredM2, geotest.BoxAreaM2(99.15, 23.05, 99.17, 23.06), stol)
	})

	t.Run("whole", func(t *testing.T) {
		regions := shareLayer(t, "W", pb(L1), pb(L2)) // "wetland" overlapping itself
		prot := shareLayer(t, "P", sbox(99, 23, 99.05, 23.1))
		r, err := analysis.Share(ctx, regions, prot, analysis.ShareOptions{Whole: true, Target: analysis.Target{Pct: 52}})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, r)
		wet := ba(L1) + ba(L2) - ba(I12)
		geotest.ApproxEqual(t, "wetland", r.Total.AreaM2, wet, stol)
		geotest.ApproxEqual(t, "protected", r.Total.CoveredM2, geotest.BoxAreaM2(99.02, 23.02, 99.05, 23.06)+geotest.BoxAreaM2(99.04, 23.06, 99.05, 23.08), stol)
		if len(r.Regions) != 0 || r.Total.MeetsTarget == nil || *r.Total.MeetsTarget {
			t.Errorf("whole: regions %d meets %v", len(r.Regions), r.Total.MeetsTarget)
		}
	})
}

func TestShareValidity(t *testing.T) {
	ctx := context.Background()
	regions := shareLayer(t, "R", orb.MultiPolygon{sbox(99, 23, 99.1, 23.1), sbox(99, 23, 99.1, 23.1)}) // duplicate part
	layer := shareLayer(t, "L", sbox(99, 23, 99.05, 23.1))
	r, err := analysis.Share(ctx, regions, layer, analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	geotest.ApproxEqual(t, "repaired area", r.Regions[0].AreaM2, geotest.BoxAreaM2(99, 23, 99.1, 23.1), stol)
	if len(r.Repairs) != 1 || r.Repairs[0].Role != "regions" {
		t.Errorf("repairs %+v", r.Repairs)
	}
	bowtie := shareLayer(t, "B", orb.Polygon{{{99, 23}, {99.1, 23.1}, {99.1, 23}, {99, 23.1}, {99, 23}}})
	_, err = analysis.Share(ctx, shareLayer(t, "R", sbox(99, 23, 99.1, 23.1)), bowtie, analysis.ShareOptions{})
	if err == nil || !strings.Contains(err.Error(), "B0") || !strings.Contains(err.Error(), "invalid") {
		t.Errorf("bow-tie feature: err = %v", err)
	}
	_, err = analysis.Share(ctx, shareLayer(t, "P", orb.Point{99, 23}), layer, analysis.ShareOptions{})
	if err == nil || !strings.Contains(err.Error(), "no area") {
		t.Errorf("point region: err = %v", err)
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in           string
		layer        string
		pct, areaM2  float64
		wantErrMatch string
	}{
		{"25.6", "", 25.6, 0, ""},
		{"25.6%", "", 25.6, 0, ""},
		{"redline=25.6%", "redline", 25.6, 0, ""},
		{"reserve=200000ha", "reserve", 0, 2e9, ""},
		{"wetland=430000亩", "wetland", 0, 430000 * 2000.0 / 3, ""},
		{"wetland=430000 mu", "wetland", 0, 430000 * 2000.0 / 3, ""},
		{"x=3km2", "x", 0, 3e6, ""},
		{"x=1e3m2", "x", 0, 1e3, ""},
		{"120%", "", 0, 0, "(0, 100]"},
		{"x=5acres", "", 0, 0, "unknown unit"},
		{"=5", "", 0, 0, "empty layer"},
		{"abc", "", 0, 0, "not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := analysis.ParseTarget(tc.in)
			if tc.wantErrMatch != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrMatch) {
					t.Fatalf("err = %v, want %q", err, tc.wantErrMatch)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Layer != tc.layer || got.Pct != tc.pct || math.Abs(got.AreaM2-tc.areaM2) > 1e-6 {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestParseArea(t *testing.T) {
	for in, want := range map[string]float64{"0": 0, "12": 12, "2 m²": 2, "0.5ha": 5000, "1 公顷": 1e4, "3亩": 2000, "3 MU": 2000,
		"0.25km2": 250000, "1平方公里": 1e6, "1e-2 ha": 100} {
		got, err := analysis.ParseArea(in)
		if err != nil || math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Errorf("ParseArea(%q) = %g, %v; want %g", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "ha", "1km", "5acres", "NaN", "1e999"} {
		if v, err := analysis.ParseArea(in); err == nil {
			t.Errorf("ParseArea(%q) = %g, want an error", in, v)
		}
	}
}

func TestScorecardNotComputed(t *testing.T) {
	ctx := context.Background()
	regions := shareLayer(t, "R", sbox(99, 23, 99.1, 23.1))
	red := shareLayer(t, "redline", sbox(99, 23, 99.03, 23.1))
	rg, err := analysis.NewRegions(ctx, regions, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := rg.Share(ctx, red, analysis.ShareOptions{Target: analysis.Target{Pct: 25.6}})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := analysis.NewScorecard(ctx, "lincang-2020", map[string]*analysis.ShareResult{"redline": r},
		map[string]*geo.Layer{"redline": red}, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range sc.Indicators {
		if in.ID == "redline_share" {
			if !in.Computed || in.Value == nil || !*in.MeetsTarget {
				t.Errorf("redline: %+v", in)
			}
			continue
		}
		if in.Computed || in.Value != nil || in.MeetsTarget != nil || !strings.Contains(in.Note, "not computed") {
			t.Errorf("%s must be not computed, got %+v", in.ID, in)
		}
	}
}

// randomBoxes returns n random boxes of up to 0.05° in a 1° square.
func randomBoxes(rng *rand.Rand, n int) []orb.Geometry {
	out := make([]orb.Geometry, n)
	for i := range out {
		x, y := 99+rng.Float64()*0.95, 23+rng.Float64()*0.95
		w, h := 0.001+rng.Float64()*0.05, 0.001+rng.Float64()*0.05
		out[i] = sbox(x, y, x+w, y+h)
	}
	return out
}

func TestShareRandomInvariants(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var regions []orb.Geometry
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			regions = append(regions, sbox(99+0.25*float64(i), 23+0.25*float64(j), 99.25+0.25*float64(i), 23.25+0.25*float64(j)))
		}
	}
	r, err := analysis.Share(context.Background(), shareLayer(t, "R", regions...), shareLayer(t, "L", randomBoxes(rng, 300)...), analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, r)
	var sum float64
	for _, g := range r.Regions {
		sum += g.CoveredM2
	}
	geotest.ApproxEqual(t, "tiling: total = Σ covered", r.Total.CoveredM2, sum, geotest.Tol{Rel: 1e-12})
	geotest.ApproxEqual(t, "tiling: total area", r.Total.AreaM2, geotest.BoxAreaM2(99, 23, 100, 24), geotest.Tol{Rel: 1e-9})
}

// BenchmarkShare: 16 tiling regions × n random overlapping boxes. Budget:
// dominated by the cascaded two-input unions of geo.Dissolve.
func BenchmarkShare(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewSource(1))
			var regions []orb.Geometry
			for i := 0; i < 4; i++ {
				for j := 0; j < 4; j++ {
					regions = append(regions, sbox(99+0.25*float64(i), 23+0.25*float64(j), 99.25+0.25*float64(i), 23.25+0.25*float64(j)))
				}
			}
			rl, ll := shareLayer(b, "R", regions...), shareLayer(b, "L", randomBoxes(rng, n)...)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := analysis.Share(context.Background(), rl, ll, analysis.ShareOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
