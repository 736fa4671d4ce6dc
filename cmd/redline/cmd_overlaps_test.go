package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

const (
	ovReserve = "../../testdata/overlaps/reserve.geojson"
	ovScenic  = "../../testdata/overlaps/scenic.geojson"
)

func TestOverlapsCLI(t *testing.T) {
	want0 := geotest.BoxAreaM2(100.01, 24.01, 100.02, 24.02)  // reserve R0 (core) × scenic S0
	want1 := geotest.BoxAreaM2(100.02, 24.01, 100.035, 24.02) // reserve R1 (buffer) × scenic S0
	code, out, errOut := runCLI(t, "overlaps", "reserve="+ovReserve, "scenic="+ovScenic, "-f", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res analysis.OverlapResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Pairs) != 2 {
		t.Fatalf("%d pairs, want 2: %s", len(res.Pairs), out)
	}
	p := res.Pairs[0]
	if p.ALayer != "reserve" || p.AIndex != 0 || p.AID != "R0" || p.AZone != "core" || p.BLayer != "scenic" || p.BIndex != 0 || p.BZone != "一级景区" {
		t.Errorf("first pair %+v", p)
	}
	geotest.ApproxEqual(t, "R0×S0", res.Pairs[0].OverlapM2, want0, geotest.Tol{Rel: 1e-9})
	geotest.ApproxEqual(t, "R1×S0", res.Pairs[1].OverlapM2, want1, geotest.Tol{Rel: 1e-9})
	geotest.ApproxEqual(t, "a_pct", res.Pairs[0].APct, 100*want0/geotest.BoxAreaM2(100, 24, 100.02, 24.02), geotest.Tol{Rel: 1e-9})
	geotest.ApproxEqual(t, "dissolved", res.Summary.OverlapM2, want0+want1, geotest.Tol{Rel: 1e-9})
	for _, key := range []string{`"a_layer"`, `"a_index"`, `"a_id"`, `"b_layer"`, `"b_index"`, `"b_id"`, `"overlap_m2"`, `"a_pct"`, `"b_pct"`, `"summary"`} {
		if !strings.Contains(out, key) {
			t.Errorf("json lacks %s", key)
		}
	}

	t.Run("within and touching", func(t *testing.T) {
		_, out, _ := runCLI(t, "overlaps", "reserve="+ovReserve, "scenic="+ovScenic, "--within", "--touching", "-f", "json")
		var res analysis.OverlapResult
		json.Unmarshal([]byte(out), &res)
		if len(res.Pairs) != 3 || res.Pairs[0].BLayer != "reserve" || res.Pairs[0].OverlapM2 != 0 || res.Summary.Touching != 1 {
			t.Errorf("want R0×R1 touching first, then 2 overlaps: %+v", res.Pairs)
		}
	})
	t.Run("min-area", func(t *testing.T) {
		_, out, _ := runCLI(t, "overlaps", ovReserve, ovScenic, "--min-area", strconv.FormatFloat(math.Max(want0, want1)/1e4*0.999, 'f', 6, 64)+"ha", "-f", "json")
		var res analysis.OverlapResult
		json.Unmarshal([]byte(out), &res)
		if len(res.Pairs) != 1 || res.Pairs[0].AID != "R1" {
			t.Errorf("want one pair above the minimum: %+v", res.Pairs)
		}
	})
	t.Run("csv", func(t *testing.T) {
		_, out, _ := runCLI(t, "overlaps", ovReserve, ovScenic, "-f", "csv")
		if !strings.HasPrefix(out, "\uFEFFa_layer,a_index,a_id,") || strings.Count(out, "\n") != 3 {
			t.Errorf("csv:\n%s", out)
		}
	})
	t.Run("table and pieces", func(t *testing.T) {
		dir := t.TempDir()
		for _, lang := range []string{"zh", "en"} {
			pieces := filepath.Join(dir, "pieces_"+lang+".geojson")
			code, out, errOut := runCLI(t, "overlaps", "reserve="+ovReserve, "scenic="+ovScenic, "--lang", lang, "-o", pieces)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			wantText := map[string]string{"zh": "重叠总面积", "en": "total overlapped area"}[lang]
			if !strings.Contains(out, wantText) || !strings.Contains(out, "R0 南滚河核心区") {
				t.Errorf("%s table:\n%s", lang, out)
			}
			l, _, err := readLayer(pieces, data.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if l.Len() != 2 {
				t.Fatalf("%d pieces, want 2", l.Len())
			}
			geotest.ApproxEqual(t, "piece", geo.AreaM2(l.Features[0].Geom), want0, geotest.Tol{Rel: 1e-9})
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"overlaps"}, {"overlaps", ovReserve, "--min-area", "big"}, {"overlaps", ovReserve, "-f", "xml"}} {
			if code, _, _ := runCLI(t, args...); code != exitUsage {
				t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
			}
		}
		if code, _, errOut := runCLI(t, "overlaps", "nosuch.geojson"); code != exitError || !strings.Contains(errOut, "nosuch.geojson") {
			t.Errorf("missing file: exit %d, %s", code, errOut)
		}
	})
}

func TestParseAreaM2(t *testing.T) {
	for in, want := range map[string]float64{"0": 0, "1": 1, "2m2": 2, "2 m²": 2, "0.5ha": 5000, "1公顷": 1e4, "3mu": 2000, "3亩": 2000, "0.002 km2": 2000, "1e3m2": 1000} {
		got, err := parseAreaM2(in)
		if err != nil || math.Abs(got-want) > 1e-9 {
			t.Errorf("parseAreaM2(%q) = %g, %v; want %g", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "x", "1km", "NaN", "1e400", "0x10"} {
		if _, err := parseAreaM2(in); err == nil {
			t.Errorf("parseAreaM2(%q): no error", in)
		}
	}
}

// refPair is one row of a PostGIS self-join reference CSV
// (testdata/overlaps/selfjoin_postgis.sh).
type refPair struct {
	a, b   int
	m2     float64 // geodesic edges (ST_Area of geography)
	lonlat float64 // straight lon/lat edges: redline's model
}

func readRef(t *testing.T, path string) []refPair {
	t.Helper()
	_, rows := geotest.CSVRecords(t, path)
	var out []refPair
	for _, r := range rows {
		a, _ := strconv.Atoi(r[0])
		b, _ := strconv.Atoi(r[2])
		m2, _ := strconv.ParseFloat(r[6], 64)
		lonlat, _ := strconv.ParseFloat(r[7], 64)
		out = append(out, refPair{a, b, m2, lonlat})
	}
	return out
}

// anchorsSmall is the anchors' small constraints layer, seed 1 (see
// testdata/overlaps/README.md); REDLINE_ANCHORS_SMALL overrides the path.
func anchorsSmall(t *testing.T) string {
	p := os.Getenv("REDLINE_ANCHORS_SMALL")
	if p == "" {
		p = "/tmp/anc/small/constraints.geojson"
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("anchors small set not present (%s): python3 ../shared/anchors/gen_data.py --constraints 200 --sites 100 --regions 12 --seed 1 --split-kinds --max-edge-m 25 --out /tmp/anc/small", p)
	}
	return p
}

// TestOverlapsAnchorsSmall: same pairs and areas as the PostGIS self-join
// (edges ≤ 25 m, so the edge models agree).
func TestOverlapsAnchorsSmall(t *testing.T) {
	path := anchorsSmall(t)
	code, out, errOut := runCLI(t, "overlaps", path, "--touching", "-f", "csv")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]int]float64{}
	for _, r := range rows[1:] {
		a, _ := strconv.Atoi(r[1])
		b, _ := strconv.Atoi(r[6])
		got[[2]int{a, b}], _ = strconv.ParseFloat(r[10], 64)
	}
	ref := readRef(t, "../../testdata/overlaps/anchors_small_postgis.csv")
	if len(got) != len(ref) {
		t.Errorf("%d pairs, PostGIS %d", len(got), len(ref))
	}
	for _, r := range ref {
		g, ok := got[[2]int{r.a, r.b}]
		if !ok {
			t.Errorf("pair %d,%d (%g m²) missing", r.a, r.b, r.m2)
			continue
		}
		for _, want := range []float64{r.lonlat, r.m2} {
			if d := math.Abs(g - want); d > 0.05 && d > 1e-6*want {
				t.Errorf("pair %d,%d: %.4f m², PostGIS %.4f", r.a, r.b, g, want)
			}
		}
	}
}

// townships merges the 77 township outlines as townships_merge.py does.
func townships(t *testing.T) *geo.Layer {
	root := geotest.SharedData(t, "lincang-weather-shihongbo1314")
	var paths []string
	dirs, _ := os.ReadDir(root)
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(root, d.Name()))
		for _, f := range files {
			stem := strings.TrimSuffix(f.Name(), ".json")
			if stem == d.Name() || (d.Name() == "530925" && stem == "双江县") || !strings.HasSuffix(f.Name(), ".json") {
				continue
			}
			paths = append(paths, d.Name()+"/"+f.Name())
		}
	}
	sort.Strings(paths)
	var l geo.Layer
	for i, p := range paths {
		src, _, err := readLayer(filepath.Join(root, p), data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		g := src.Features[0].Geom
		if c, ok := g.(orb.Collection); ok {
			g = c[0]
		}
		f, err := geo.NewFeature(i, strings.TrimSuffix(p, ".json"), nil, g)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(f)
	}
	if l.Len() != 77 {
		t.Fatalf("%d townships, want 77", l.Len())
	}
	return &l
}

// TestOverlapsTownships: the same pairs as the PostGIS self-join
// (ST_Intersects), with the same areas measured with straight lon/lat edges
// (overlap_lonlat_m2). PostGIS's own geography areas bend each edge along
// the geodesic: on the long straight border edges, slivers of ~1e-15 deg²
// (touching, here) come out at up to ~50 m²; that difference is logged.
func TestOverlapsTownships(t *testing.T) {
	l := townships(t)
	c, _ := analysis.NewOverlapLayer(l, "townships", "")
	res, err := analysis.Overlaps(context.Background(), []*analysis.Constraint{c}, analysis.OverlapOptions{Touching: true, Pieces: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[[2]int]analysis.OverlapPair{}
	for _, p := range res.Pairs {
		got[[2]int{p.AIndex, p.BIndex}] = p
	}
	ref := readRef(t, "../../testdata/overlaps/townships_postgis.csv")
	if len(got) != len(ref) {
		t.Errorf("%d pairs, PostGIS %d", len(got), len(ref))
	}
	var worstModel float64
	for _, r := range ref {
		p, ok := got[[2]int{r.a, r.b}]
		if !ok {
			t.Errorf("pair %d,%d (%g m²) missing", r.a, r.b, r.m2)
			continue
		}
		if d := math.Abs(p.OverlapM2 - r.lonlat); d > 0.05 && d > 1e-6*r.lonlat {
			t.Errorf("pair %d,%d: %.4f m², PostGIS with lon/lat edges %.4f", r.a, r.b, p.OverlapM2, r.lonlat)
		}
		worstModel = math.Max(worstModel, math.Abs(p.OverlapM2-r.m2))
	}
	t.Logf("largest edge-model difference from PostGIS: %.3f m²", worstModel)
	top := res.Pairs[0]
	for _, p := range res.Pairs {
		if p.OverlapM2 > top.OverlapM2 {
			top = p
		}
	}
	if top.AID != "530925/勐库镇" || top.BID != "530926/芒洪乡" || top.OverlapM2 < 1.7e4 || top.OverlapM2 > 1.72e4 {
		t.Errorf("largest overlap %s × %s %.1f m², want 勐库镇 × 芒洪乡 ≈ 17,174 m²", top.AID, top.BID, top.OverlapM2)
	}
}

// BenchmarkOverlapsAnchors runs `redline overlaps` end to end (read, index,
// validate, measure, CSV) on the anchors' constraints: small by default,
// REDLINE_ANCHORS_LARGE=/tmp/anc/large/constraints.geojson for the large set
// (testdata/overlaps/bench.sh compares it with PostGIS, wall time and RSS).
func BenchmarkOverlapsAnchors(b *testing.B) {
	path := os.Getenv("REDLINE_ANCHORS_LARGE")
	if path == "" {
		path = os.Getenv("REDLINE_ANCHORS_SMALL")
	}
	if path == "" {
		path = "/tmp/anc/small/constraints.geojson"
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("%s not present", path)
	}
	b.ReportAllocs()
	for b.Loop() {
		var out, errOut strings.Builder
		if code := run(context.Background(), []string{"redline", "overlaps", path, "-f", "csv"}, &out, &errOut); code != exitOK {
			b.Fatalf("exit %d: %s", code, errOut.String())
		}
	}
}

func TestOverlapsRepairsExactOnly(t *testing.T) {
	dir := t.TempDir()
	// Two overlapping boxes, the second with an unclosed ring (an exact
	// repair), then a bow-tie (not exact: an error).
	open := writeFile(t, dir, "open.geojson", `[
{"type":"Feature","id":"A","properties":{},"geometry":{"type":"Polygon","coordinates":[[[100,23.9],[100.02,23.9],[100.02,23.92],[100,23.92],[100,23.9]]]}},
{"type":"Feature","id":"B","properties":{},"geometry":{"type":"Polygon","coordinates":[[[100.01,23.9],[100.03,23.9],[100.03,23.92],[100.01,23.92]]]}}]`)
	code, out, errOut := runCLI(t, "overlaps", open, "--format", "json")
	if code != 0 || !strings.Contains(errOut, "feature 1 (id B) repaired") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	var res struct {
		Pairs []struct {
			OverlapM2 float64 `json:"overlap_m2"`
		} `json:"pairs"`
		Repairs []struct {
			ID string `json:"id"`
		} `json:"repairs"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Pairs) != 1 || len(res.Repairs) != 1 || res.Repairs[0].ID != "B" {
		t.Fatalf("pairs %+v, repairs %+v", res.Pairs, res.Repairs)
	}
	geotest.ApproxEqual(t, "A∩B", res.Pairs[0].OverlapM2, geotest.BoxAreaM2(100.01, 23.9, 100.02, 23.92), geotest.Tol{Rel: 1e-9})

	bow := writeFile(t, dir, "bow.geojson", `[
{"type":"Feature","id":"A","properties":{},"geometry":{"type":"Polygon","coordinates":[[[100,23.9],[100.02,23.9],[100.02,23.92],[100,23.92],[100,23.9]]]}},
{"type":"Feature","id":"X","properties":{},"geometry":{"type":"Polygon","coordinates":[[[100,23.9],[100.02,23.92],[100.02,23.9],[100,23.92],[100,23.9]]]}}]`)
	if code, _, errOut := runCLI(t, "overlaps", bow); code != exitError || !strings.Contains(errOut, "feature 1 (id X) is invalid") {
		t.Errorf("bow-tie: exit %d, %q", code, errOut)
	}
}
