package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func writeShareFixture(t *testing.T, dir, name string, polys ...orb.Polygon) string {
	t.Helper()
	var feats []string
	for i, p := range polys {
		g, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": p})
		feats = append(feats, fmt.Sprintf(`{"type":"Feature","properties":{"id":"%s%d","name":"%s %d"},"geometry":%s}`, name, i+1, name, i+1, g))
	}
	path := filepath.Join(dir, name+".geojson")
	if err := os.WriteFile(path, []byte(`{"type":"FeatureCollection","features":[`+strings.Join(feats, ",")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func shareBox(x1, y1, x2, y2 float64) orb.Polygon {
	return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
}

func TestShareCommand(t *testing.T) {
	dir := t.TempDir()
	regions := writeShareFixture(t, dir, "county", shareBox(99, 23, 99.1, 23.1), shareBox(99.1, 23, 99.2, 23.1))
	red := writeShareFixture(t, dir, "red", shareBox(99, 23, 99.05, 23.1), shareBox(99.02, 23, 99.05, 23.1), shareBox(99.19, 23, 99.2, 23.1))
	run1 := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"redline", "share"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}
	t.Run("json", func(t *testing.T) {
		code, out, errs := run1("--regions", regions, "--layer", "redline="+red, "--target", "25.6%", "--format", "json", "-o", filepath.Join(dir, "out.geojson"))
		if code != exitFindings {
			t.Fatalf("exit %d (want 3: region 2 misses 25.6%%): %s", code, errs)
		}
		var res analysis.ShareResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, "share 1", res.Regions[0].SharePct, 50, geotest.Tol{Abs: 1e-9})
		geotest.ApproxEqual(t, "share 2", res.Regions[1].SharePct, 10, geotest.Tol{Abs: 1e-9})
		geotest.ApproxEqual(t, "total", res.Total.CoveredM2, geotest.BoxAreaM2(99, 23, 99.05, 23.1)+geotest.BoxAreaM2(99.19, 23, 99.2, 23.1), geotest.Tol{Rel: 1e-9})
		if res.Layer != "redline" || *res.TargetPct != 25.6 || !*res.Regions[0].MeetsTarget || *res.Regions[1].MeetsTarget {
			t.Errorf("result %+v", res)
		}
		if !strings.Contains(errs, "target missed") {
			t.Errorf("stderr: %s", errs)
		}
		b, err := os.ReadFile(filepath.Join(dir, "out.geojson"))
		if err != nil || !strings.Contains(string(b), `"share_pct"`) {
			t.Errorf("-o: %v %.200s", err, b)
		}
	})
	t.Run("table zh and csv", func(t *testing.T) {
		code, out, _ := run1("--regions", regions, "--layer", red)
		if code != exitOK || !strings.Contains(out, "面积占比") || !strings.Contains(out, "county 1") {
			t.Errorf("exit %d\n%s", code, out)
		}
		code, out, _ = run1("--regions", regions, "--layer", red, "--format", "csv", "--lang", "en")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
		if code != exitOK || err != nil || len(rows) != 4 || rows[3][2] != "total" {
			t.Errorf("exit %d err %v rows %v", code, err, rows)
		}
	})
	t.Run("area target and preset", func(t *testing.T) {
		code, out, errs := run1("--regions", regions, "--layer", "redline="+red, "--layer", "reserve="+red, "--preset", "lincang-2020",
			"--target", "reserve=100ha", "--format", "json", "--lang", "en")
		if code != exitFindings { // redline 30 % ≥ 25.6 % but region 2 misses it
			t.Fatalf("exit %d: %s", code, errs)
		}
		var rep struct {
			Layers    []analysis.ShareResult `json:"layers"`
			Scorecard analysis.Scorecard     `json:"scorecard"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Layers) != 2 || rep.Layers[1].TargetM2 == nil || *rep.Layers[1].TargetM2 != 1e6 || !*rep.Layers[1].Total.MeetsTarget {
			t.Errorf("layers %+v", rep.Layers)
		}
		for _, in := range rep.Scorecard.Indicators {
			computed := in.ID == "redline_share" || in.ID == "reserve_area"
			if in.Computed != computed || (in.Value == nil) == computed {
				t.Errorf("indicator %s computed=%v value=%v", in.ID, in.Computed, in.Value)
			}
		}
	})
	t.Run("usage errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"--layer", red},
			{"--regions", regions},
			{"--regions", regions, "--layer", red, "--target", "nope=5%"},
			{"--regions", regions, "--layer", red, "--target", "5 acres"},
			{"--regions", regions, "--layer", red, "--format", "xml"},
			{"--regions", regions, "--layer", red, "--preset", "beijing"},
		} {
			if code, _, errs := run1(args...); code != exitUsage {
				t.Errorf("%v: exit %d (%s)", args, code, errs)
			}
		}
	})
}

// TestShareAnchorsSmall compares per-region covered areas with PostGIS's
// (testdata/share_anchors_small_postgis.csv, written by share_postgis.sh on
// the anchors' small set, seed 1) within 1 m² or 1e-7 relative. Measured
// 2026-11-28: max relative difference 2.2e-8 (7.0 m² of 3.1e8 m², R007),
// region areas 2.9e-9; large set (20 000 constraints): 9.8e-9 (6.4 m²).
// Skips when the generated data set is absent.
func TestShareAnchorsSmall(t *testing.T) {
	dir := os.Getenv("ANCHORS_SMALL")
	if dir == "" {
		dir = "/tmp/anc/small"
	}
	if _, err := os.Stat(filepath.Join(dir, "constraints.geojson")); err != nil {
		t.Skip("anchors small set absent (python3 ../shared/anchors/gen_data.py --constraints 200 --sites 100 --regions 12 --seed 1 --split-kinds --max-edge-m 25 --out /tmp/anc/small)")
	}
	want := readShareCSV(t, "testdata/share_anchors_small_postgis.csv")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"redline", "share", "--regions", filepath.Join(dir, "regions.geojson"),
		"--layer", filepath.Join(dir, "constraints.geojson"), "--format", "csv"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows[1:] {
		if r[2] == "total" {
			continue
		}
		w, ok := want[r[2]]
		if !ok {
			t.Errorf("region %s not in the reference", r[2])
			continue
		}
		area, _ := strconv.ParseFloat(r[4], 64)
		cov, _ := strconv.ParseFloat(r[5], 64)
		tol := geotest.Tol{Abs: 1, Rel: 1e-7}
		geotest.ApproxEqual(t, r[2]+" area", area, w[0], tol)
		geotest.ApproxEqual(t, r[2]+" covered", cov, w[1], tol)
		n++
	}
	if n != len(want) {
		t.Errorf("%d regions, reference has %d", n, len(want))
	}
}

// readShareCSV reads a share_postgis.sh CSV: region_id → [area, covered].
func readShareCSV(t *testing.T, path string) map[string][2]float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") && l != "" {
			lines = append(lines, l)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]float64{}
	for _, r := range rows[1:] {
		a, _ := strconv.ParseFloat(r[2], 64)
		c, _ := strconv.ParseFloat(r[3], 64)
		out[r[1]] = [2]float64{a, c}
	}
	return out
}

// lincangLayer reads files of the real Lincang outlines into one layer.
func lincangLayer(t *testing.T, name string, paths ...string) *geo.Layer {
	t.Helper()
	l := &geo.Layer{Name: name}
	for i, p := range paths {
		src, _, err := readLayer(p, data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range src.Features {
			id := strings.TrimSuffix(filepath.Base(p), ".json")
			nf, err := geo.NewFeature(i, id, map[string]any{"name": id}, f.Geom)
			if err != nil {
				t.Fatal(err)
			}
			l.Add(nf)
		}
	}
	return l
}

var lincangCounties = []string{"530902", "530921", "530922", "530923", "530924", "530925", "530926", "530927"}

func TestShareLincangReal(t *testing.T) {
	if testing.Short() {
		t.Skip("real data: not in -short")
	}
	root := geotest.SharedData(t, "lincang-weather-shihongbo1314")
	var countyPaths, townPaths []string
	for _, c := range lincangCounties {
		countyPaths = append(countyPaths, filepath.Join(root, c, c+".json"))
		files, _ := filepath.Glob(filepath.Join(root, c, "*.json"))
		for _, f := range files {
			base := filepath.Base(f)
			if base != c+".json" && base != "双江县.json" { // 双江县.json is a second county outline
				townPaths = append(townPaths, f)
			}
		}
	}
	if len(townPaths) != 77 {
		t.Fatalf("%d township files, want 77", len(townPaths))
	}
	ctx := context.Background()
	counties := lincangLayer(t, "counties", countyPaths...)
	city := lincangLayer(t, "city", filepath.Join(root, "530900.json"))
	cityArea := geo.AreaM2(city.Features[0].Geom)

	rc, err := analysis.NewRegions(ctx, counties, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 镇康县 (530924) carries two identical 156 m² triangles: an exact repair
	// (duplicate parts merged), reported, never a silent double count.
	if len(rc.Repairs) != 1 || rc.Repairs[0].ID != "530924" {
		t.Errorf("repairs %+v", rc.Repairs)
	}
	res, err := rc.Share(ctx, city, analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Regions {
		geotest.ApproxEqual(t, "city over county "+r.ID, r.SharePct, 100, geotest.Tol{Abs: 1e-4}) // 1e-6 as a fraction
	}
	geotest.ApproxEqual(t, "county total vs city area", res.Total.AreaM2, cityArea, geotest.Tol{Rel: 1e-4})
	t.Logf("counties: total %.1f m², city %.1f m², overlaps %d, gaps %d", res.Total.AreaM2, cityArea, len(res.RegionOverlaps), len(res.RegionGaps))

	one := lincangLayer(t, "临翔区", countyPaths[0])
	res, err = rc.Share(ctx, one, analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Regions {
		if r.ID == "530902" {
			geotest.ApproxEqual(t, "county over itself", r.SharePct, 100, geotest.Tol{Abs: 1e-4})
		} else if r.CoveredM2 > 1e6 { // border slivers only
			t.Errorf("county %s covered %.0f m² by 临翔区", r.ID, r.CoveredM2)
		}
	}

	towns := lincangLayer(t, "towns", townPaths...)
	rt, err := analysis.NewRegions(ctx, towns, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err = rt.Share(ctx, city, analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// A township lies inside the city up to digitising mismatch; where it
	// sticks out of the city outline (沧源县's Myanmar border: 0.81 km²), the
	// uncovered part must be exactly township − city, measured independently.
	worst := 100.0
	for i, r := range res.Regions {
		worst = math.Min(worst, r.SharePct)
		if r.SharePct >= 100-1e-4 {
			continue
		}
		town, _ := geo.ShapeOf(towns.Features[i].Geom)
		out, err := geo.Difference(town, city.Features[0].Shape())
		if err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, "township "+r.ID+" outside the city", r.AreaM2-r.CoveredM2, out.Polygonal().AreaM2(), geotest.Tol{Abs: 1e-6 * r.AreaM2})
		t.Logf("township %s: %.6f %% inside the city outline (%.0f m² outside)", r.ID, r.SharePct, r.AreaM2-r.CoveredM2)
	}
	t.Logf("townships: %d overlapping pairs, %d gaps; lowest share of the city layer %.8f %%", len(res.RegionOverlaps), len(res.RegionGaps), worst)
	if len(res.RegionOverlaps) == 0 {
		t.Error("the township outlines overlap (勐库镇 × 芒洪乡 17 178 m²): none reported")
	}
}
