package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/internal/geotest"
	"github.com/redline-gis/redline/report"
)

// diffJSON is the part of `diff --format json` the tests read.
type diffJSON struct {
	Old, New struct {
		Name     string `json:"name"`
		Features int    `json:"features"`
		CRS      string `json:"crs"`
	}
	Regions  []diffAreaJSON `json:"regions"`
	Total    diffAreaJSON   `json:"total"`
	Features []struct {
		ID     string  `json:"id"`
		Status string  `json:"status"`
		OldM2  float64 `json:"old_m2"`
		NewM2  float64 `json:"new_m2"`
	} `json:"features"`
	Pieces int `json:"pieces"`
}

type diffAreaJSON struct {
	Index     int     `json:"index"`
	ID        string  `json:"id"`
	AreaM2    float64 `json:"area_m2"`
	OldM2     float64 `json:"old_m2"`
	NewM2     float64 `json:"new_m2"`
	AddedM2   float64 `json:"added_m2"`
	RemovedM2 float64 `json:"removed_m2"`
	KeptM2    float64 `json:"kept_m2"`
	NetM2     float64 `json:"net_m2"`
}

func runDiffJSON(t *testing.T, args ...string) diffJSON {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"diff", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r diffJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	tol := geotest.Tol{Rel: 1e-9, Abs: 1e-3}
	for _, a := range append(r.Regions, r.Total) {
		name := fmt.Sprintf("region %d", a.Index)
		geotest.ApproxEqual(t, name+": new−old = added−removed", a.NewM2-a.OldM2, a.AddedM2-a.RemovedM2, tol)
		geotest.ApproxEqual(t, name+": kept+removed = old", a.KeptM2+a.RemovedM2, a.OldM2, tol)
		geotest.ApproxEqual(t, name+": kept+added = new", a.KeptM2+a.AddedM2, a.NewM2, tol)
	}
	return r
}

// TestDiffAgainstPostGIS compares per region old, new, added, removed and
// kept with testdata/diff/diff_postgis.sh (ST_Union of each version,
// ST_Difference both ways, ST_Intersection, per region, areas of the
// segmentized results): seeded versions over the anchors' 12 regions and
// over the real Lincang counties.
func TestDiffAgainstPostGIS(t *testing.T) {
	dir := t.TempDir()
	gz := func(name string) string {
		p := filepath.Join(dir, strings.TrimSuffix(name, ".gz"))
		gunzipTo(t, filepath.Join("../../testdata/diff", name), p)
		return p
	}
	tol := geotest.Tol{Abs: 1, Rel: 1e-7}
	cases := []struct {
		name, old, new, regions, csv string
	}{
		{"anchors", "anchors_old.geojson.gz", "anchors_new.geojson.gz", "", "anchors_postgis.csv"},
		{"lincang", "lincang_old.geojson.gz", "lincang_new.geojson.gz", "lincang-weather-shihongbo1314/530900_full.json", "lincang_postgis.csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			regions := ""
			if c.regions != "" {
				regions = geotest.SharedData(t, c.regions)
			} else {
				regions = gz("anchors_regions.geojson.gz")
			}
			old, new := gz(c.old), gz(c.new)
			rows := geotest.ReadCSV(t, filepath.Join("../../testdata/diff", c.csv))
			byIdx := map[int]map[string]string{}
			for _, r := range rows {
				i, err := strconv.Atoi(r["region_idx"])
				if err != nil {
					t.Fatal(err)
				}
				byIdx[i] = r
			}
			check := func(name string, a diffAreaJSON, pg map[string]string, area bool) {
				t.Helper()
				if pg == nil {
					t.Fatalf("%s: no PostGIS row", name)
				}
				if area {
					geotest.ApproxEqual(t, name+" area", a.AreaM2, geotest.Num(t, pg["region_area_m2"]), tol)
				}
				geotest.ApproxEqual(t, name+" old", a.OldM2, geotest.Num(t, pg["old_m2"]), tol)
				geotest.ApproxEqual(t, name+" new", a.NewM2, geotest.Num(t, pg["new_m2"]), tol)
				geotest.ApproxEqual(t, name+" added", a.AddedM2, geotest.Num(t, pg["added_m2"]), tol)
				geotest.ApproxEqual(t, name+" removed", a.RemovedM2, geotest.Num(t, pg["removed_m2"]), tol)
				geotest.ApproxEqual(t, name+" kept", a.KeptM2, geotest.Num(t, pg["kept_m2"]), tol)
			}
			r := runDiffJSON(t, old, new, "--regions", regions)
			if len(r.Regions) != len(rows)-2 {
				t.Fatalf("%d regions, PostGIS has %d", len(r.Regions), len(rows)-2)
			}
			for i, g := range r.Regions {
				check(fmt.Sprintf("region %d %s", i, g.ID), g, byIdx[i], true)
			}
			check("total", r.Total, byIdx[-1], true)
			all := runDiffJSON(t, old, new)
			check("all", all.Total, byIdx[-2], false)
		})
	}
}

func writeGeoJSON(t *testing.T, path string, polys ...string) {
	t.Helper()
	var feats []string
	for i, p := range polys {
		feats = append(feats, fmt.Sprintf(`{"type":"Feature","properties":{"id":"F%d","name":"区%d"},"geometry":{"type":"Polygon","coordinates":[%s]}}`, i+1, i+1, p))
	}
	s := `{"type":"FeatureCollection","features":[` + strings.Join(feats, ",") + `]}`
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ring(x1, y1, x2, y2 float64) string {
	return fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", x1, y1, x2, y1, x2, y2, x1, y2, x1, y1)
}

// TestDiffCLI runs the hand case "a region the red line leaves" end to end:
// numbers against closed-form box areas, --no-loss, the ledger files.
func TestDiffCLI(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	writeGeoJSON(t, p("regions.geojson"), ring(100, 23.9, 100.1, 24), ring(100.1, 23.9, 100.2, 24))
	writeGeoJSON(t, p("old.geojson"), ring(100.01, 23.91, 100.03, 23.93), ring(100.12, 23.91, 100.14, 23.94))
	writeGeoJSON(t, p("new.geojson"), ring(100.01, 23.91, 100.03, 23.93), ring(100.04, 23.94, 100.05, 23.95))
	box := geotest.BoxAreaM2
	tol := geotest.Tol{Rel: 1e-9, Abs: 1e-3}

	r := runDiffJSON(t, p("old.geojson"), p("new.geojson"), "--regions", p("regions.geojson"))
	geotest.ApproxEqual(t, "region 1 added", r.Regions[0].AddedM2, box(100.04, 23.94, 100.05, 23.95), tol)
	geotest.ApproxEqual(t, "region 2 removed", r.Regions[1].RemovedM2, box(100.12, 23.91, 100.14, 23.94), tol)
	geotest.ApproxEqual(t, "region 2 new", r.Regions[1].NewM2, 0, tol)
	geotest.ApproxEqual(t, "total kept", r.Total.KeptM2, box(100.01, 23.91, 100.03, 23.93), tol)
	geotest.ApproxEqual(t, "total area", r.Total.AreaM2, box(100, 23.9, 100.2, 24), tol)
	if r.Pieces != 2 {
		t.Errorf("pieces %d, want 2", r.Pieces)
	}

	args := []string{"diff", p("old.geojson"), p("new.geojson"), "--regions", p("regions.geojson"), "--no-loss",
		"-o", p("pieces.geojson"), "--xlsx", p("ledger.xlsx"), "--html", p("report.html"), "--lang", "en"}
	code, out, errOut := runCLI(t, args...)
	if code != exitFindings || !strings.Contains(errOut, "total") {
		t.Errorf("--no-loss with a loss: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "Red-line adjustment") || !strings.Contains(out, "Area falls") {
		t.Errorf("table:\n%s", out)
	}
	code, _, errOut = runCLI(t, append(args[:5], "--no-loss", "--per-region", "--quiet")...)
	if code != exitFindings || !strings.Contains(errOut, "region F2") {
		t.Errorf("--per-region: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "diff", p("new.geojson"), p("old.geojson"), "--no-loss"); code != 0 {
		t.Errorf("no loss the other way round: exit %d, %s", code, errOut)
	}

	l, _, err := data.ReadLayer(os.DirFS(dir), "pieces.geojson", data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 2 || l.Features[0].Props["type"] != "added" || l.Features[0].Props["region_id"] != "F1" ||
		l.Features[1].Props["old_ids"] != "F2" {
		t.Errorf("pieces %+v", l.Features)
	}
	if code, _, errOut := runCLI(t, "diff", p("old.geojson"), p("new.geojson"), "--regions", p("regions.geojson"), "-o", p("pieces.gpkg"), "-q"); code != 0 {
		t.Fatalf("-o .gpkg: exit %d: %s", code, errOut)
	}
	if g, _, err := data.ReadLayer(os.DirFS(dir), "pieces.gpkg", data.ReadOptions{}); err != nil || g.Len() != 2 {
		t.Errorf("pieces.gpkg read back: %v, err %v", g, err)
	}
	x, err := excelize.OpenFile(p("ledger.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ledger, regions, features, _ := report.DiffXLSXSheets(report.EN)
	rows, err := x.GetRows(ledger)
	if err != nil || len(rows) != 3 || rows[1][1] != "added" || rows[2][1] != "removed" {
		t.Errorf("ledger sheet %v (%v)", rows, err)
	}
	if v, err := x.GetCellValue(ledger, "C3", excelize.Options{RawCellValue: true}); err != nil || !geotest.Close(geotest.Num(t, v), box(100.12, 23.91, 100.14, 23.94), tol) {
		t.Errorf("ledger removed m² %q (%v)", v, err)
	}
	for _, s := range []string{regions, features} {
		if rows, err := x.GetRows(s); err != nil || len(rows) < 3 {
			t.Errorf("sheet %s: %d rows (%v)", s, len(rows), err)
		}
	}
	html, err := os.ReadFile(p("report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(html), `<svg class="map"`); n != 2 {
		t.Errorf("html: %d maps, want one per region", n)
	}
	if strings.Contains(string(html), "http://") || strings.Contains(string(html), "https://") {
		t.Error("html refers to the network")
	}
}

func TestDiffBadInput(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	writeGeoJSON(t, p("old.geojson"), ring(100.01, 23.91, 100.03, 23.93))
	pts := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P1"},"geometry":{"type":"Point","coordinates":[100,23.9]}}]}`
	if err := os.WriteFile(p("points.geojson"), []byte(pts), 0o644); err != nil {
		t.Fatal(err)
	}
	bow := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"B1"},"geometry":{"type":"Polygon","coordinates":[[[100,23.9],[100.01,23.91],[100.01,23.9],[100,23.91],[100,23.9]]]}}]}`
	if err := os.WriteFile(p("bow.geojson"), []byte(bow), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"one file", []string{p("old.geojson")}, exitUsage, "OLD and NEW"},
		{"points", []string{p("old.geojson"), p("points.geojson")}, exitError, "feature 0 (id P1)"},
		{"invalid", []string{p("bow.geojson"), p("old.geojson")}, exitError, "feature 0 (id B1) is invalid"},
		{"landuse without by", []string{p("old.geojson"), p("old.geojson"), "--landuse", p("old.geojson")}, exitUsage, "--by"},
		{"bad format", []string{p("old.geojson"), p("old.geojson"), "--format", "xml"}, exitUsage, "--format"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, append([]string{"diff"}, c.args...)...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, c.code, errOut, c.want)
			}
		})
	}
	code, _, errOut := runCLI(t, "diff", p("bow.geojson"), p("old.geojson"), "--skip-invalid")
	if code != 0 || !strings.Contains(errOut, "skipped") {
		t.Errorf("--skip-invalid: exit %d, %q", code, errOut)
	}
}

// TestDiffCRSMix converts NEW to Gauss-Krüger: both are read into CGCS2000
// lon/lat, the report says so, and the numbers stay (to the conversion's
// rounding).
func TestDiffCRSMix(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	writeGeoJSON(t, p("old.geojson"), ring(100.01, 23.91, 100.03, 23.93))
	writeGeoJSON(t, p("new.geojson"), ring(100.02, 23.91, 100.04, 23.93))
	if code, _, errOut := runCLI(t, "convert", p("new.geojson"), p("new_gk.shp"), "--to", "EPSG:4521"); code != 0 {
		t.Fatalf("convert: %s", errOut)
	}
	a := runDiffJSON(t, p("old.geojson"), p("new.geojson"))
	code, out, errOut := runCLI(t, "diff", "--format", "json", p("old.geojson"), p("new_gk.shp"))
	if code != 0 || !strings.Contains(errOut, "both converted") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var b diffJSON
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.New.CRS, "4521") {
		t.Errorf("new CRS %q", b.New.CRS)
	}
	tol := geotest.Tol{Rel: 1e-6}
	geotest.ApproxEqual(t, "added", b.Total.AddedM2, a.Total.AddedM2, tol)
	geotest.ApproxEqual(t, "kept", b.Total.KeptM2, a.Total.KeptM2, tol)
}

// TestDiffGolden renders the table of the hand-drawn fixtures (two
// counties; HX1 and HX3 overlap in OLD; HX2 moves 0.01° east; HX4 is new;
// land use 耕地 west of 100.135°E, 林地 east of it up to 23.935°N). The
// numbers themselves are checked against closed forms in TestDiffCLI and
// the analysis tests; this golden file guards the layout.
func TestDiffGolden(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		code, out, errOut := runCLI(t, "diff", "testdata/diff_old.geojson", "testdata/diff_new.geojson",
			"--regions", "testdata/diff_regions.geojson", "--landuse", "testdata/diff_landuse.geojson", "--by", "DLMC", "--lang", lang)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		geotest.Golden(t, "diff_"+lang+".txt", []byte(out))
	}
}
