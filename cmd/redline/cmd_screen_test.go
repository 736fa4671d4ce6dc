package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"redline"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var fixtureLayers = []string{
	"--layer", "redline=../../testdata/redline.geojson",
	"--layer", "reserve=../../testdata/reserve.geojson",
	"--layer", "water=../../testdata/water.geojson",
	"--layer", "farmland=../../testdata/farmland.geojson",
}

func TestScreenTableGolden(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"screen", "../../testdata/sites.geojson", "--lang", lang}, fixtureLayers...)...)
			if code != exitFindings {
				t.Fatalf("exit %d, want 3 (prohibited sites); stderr: %s", code, errOut)
			}
			geotest.Golden(t, "screen_"+lang+".txt", []byte(out))
		})
	}
}

func TestScreenJSONShape(t *testing.T) {
	code, out, errOut := runCLI(t, append([]string{"screen", "../../testdata/sites.geojson", "--format", "json", "--fail-on", "never"}, fixtureLayers...)...)
	if code != 0 {
		t.Fatalf("exit %d; stderr: %s", code, errOut)
	}
	var res struct {
		AreaMethod string `json:"area_method"`
		Sites      []struct {
			Index     int    `json:"index"`
			ID        string `json:"id"`
			Verdict   string `json:"verdict"`
			Conflicts []struct {
				FeatureIndex int     `json:"feature_index"`
				OverlapM2    float64 `json:"overlap_m2"`
				Basis        string  `json:"basis"`
			} `json:"conflicts"`
			Layers []struct {
				OverlapPct float64 `json:"overlap_pct"`
			} `json:"layers"`
		} `json:"sites"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.AreaMethod != "cgcs2000-ellipsoidal" || len(res.Sites) != 9 {
		t.Fatalf("area_method %q, %d sites", res.AreaMethod, len(res.Sites))
	}
	want := []string{"prohibited", "prohibited", "review", "restricted", "review", "review", "allowed", "clear", "prohibited"}
	for i, s := range res.Sites {
		if s.Index != i || s.Verdict != want[i] {
			t.Errorf("site %d (%s): index %d verdict %s, want %s", i, s.ID, s.Index, s.Verdict, want[i])
		}
		for _, l := range s.Layers {
			if l.OverlapPct < 0 || l.OverlapPct > 100 {
				t.Errorf("site %s: share %g", s.ID, l.OverlapPct)
			}
		}
	}
	if res.Summary["sites"] != 9 || res.Summary["prohibited"] != 3 || res.Summary["clear"] != 1 {
		t.Errorf("summary %v", res.Summary)
	}
}

func TestScreenFileOutputs(t *testing.T) {
	dir := t.TempDir()
	pieces, csvPath, jsonPath := filepath.Join(dir, "conflicts.geojson"), filepath.Join(dir, "screen.csv"), filepath.Join(dir, "screen.json")
	code, _, errOut := runCLI(t, append([]string{"screen", "../../testdata/sites.geojson", "-o", pieces, "--csv", csvPath, "--json", jsonPath, "--fail-on", "never"}, fixtureLayers...)...)
	if code != 0 {
		t.Fatalf("exit %d; stderr: %s", code, errOut)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties map[string]any `json:"properties"`
			Geometry   struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	b, err := os.ReadFile(pieces)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 9 {
		t.Fatalf("%s with %d pieces, want 9 (one per conflict)", fc.Type, len(fc.Features))
	}
	for _, f := range fc.Features {
		if f.Properties["verdict"] == nil || f.Properties["site_id"] == nil {
			t.Errorf("piece without conflict fields: %v", f.Properties)
		}
	}
	c, _ := os.ReadFile(csvPath)
	if !bytes.HasPrefix(c, []byte("\uFEFF")) {
		t.Error("CSV has no UTF-8 BOM")
	}
	// Header, 9 conflicts, S6's proximity finding, and one row for the clear S8.
	if rows := strings.Count(string(c), "\n"); rows != 1+9+1+1 {
		t.Errorf("CSV has %d lines, want 12", rows)
	}
	if _, err := os.Stat(jsonPath); err != nil {
		t.Error(err)
	}
}

func TestScreenErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no layers", []string{"screen", "../../testdata/sites.geojson"}, exitUsage, "no constraint layers"},
		{"bad layer flag", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline"}, exitUsage, "KIND=PATH"},
		{"missing sites", []string{"screen", "nope.geojson", "--layer", "redline=../../testdata/redline.geojson"}, exitError, "nope.geojson"},
		{"bad type", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline=../../testdata/redline.geojson", "--type", "spaceport"}, exitUsage, "spaceport"},
		{"bad fail-on", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline=../../testdata/redline.geojson", "--fail-on", "sometimes"}, exitUsage, "fail-on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d containing %q", code, errOut, tc.code, tc.msg)
			}
		})
	}
}

func TestScreenUnknownZoneNamesFeature(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "reserve.geojson")
	os.WriteFile(p, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":"Z9","properties":{"功能分区":"核心"},"geometry":{"type":"Polygon","coordinates":[[[100,23.9],[100.01,23.9],[100.01,23.91],[100,23.9]]]}}]}`), 0o644)
	code, _, errOut := runCLI(t, "screen", "../../testdata/sites.geojson", "--layer", "reserve="+p)
	if code != exitError || !strings.Contains(errOut, "feature 0 (id Z9)") || !strings.Contains(errOut, `"核心"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestInfoJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "info", "--format", "json", "../../testdata/redline.geojson")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var info struct {
		Features      int            `json:"features"`
		GeometryTypes map[string]int `json:"geometry_types"`
		AreaM2        float64        `json:"area_m2"`
		BBox          []float64      `json:"bbox"`
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatal(err)
	}
	if info.Features != 2 || info.GeometryTypes["Polygon"] != 2 || len(info.BBox) != 4 {
		t.Errorf("info %+v", info)
	}
	// Two 0.02°×0.02° boxes at 23.90–23.92°N (closed form, see analysis tests).
	geotest.ApproxEqual(t, "area", info.AreaM2, 2*geotest.BoxAreaM2(100.00, 23.90, 100.02, 23.92), geotest.Tol{Rel: 1e-9})
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := runCLI(t, "rules", "--format", "json")
	if code != 0 || !strings.Contains(out, "水污染防治法") {
		t.Fatalf("exit %d, output lacks the legal bases", code)
	}
	if code, _, _ := runCLI(t, "rules", "--format", "xml"); code != exitUsage {
		t.Errorf("bad format: exit %d", code)
	}
}

func TestInterspersedFlags(t *testing.T) {
	a := run(context.Background(), []string{"redline", "info", "../../testdata/redline.geojson", "--format", "json"}, &bytes.Buffer{}, &bytes.Buffer{})
	b := run(context.Background(), []string{"redline", "info", "--format", "json", "../../testdata/redline.geojson"}, &bytes.Buffer{}, &bytes.Buffer{})
	if a != 0 || b != 0 {
		t.Errorf("flags after and before the file: exit %d and %d", a, b)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A bow-tie red line crossing S1, and a bow-tie site.
const bowtieLayer = `{"type":"FeatureCollection","features":[
{"type":"Feature","id":"ok","properties":{},"geometry":{"type":"Polygon","coordinates":[[[100.0,23.9],[100.02,23.9],[100.02,23.92],[100.0,23.92],[100.0,23.9]]]}},
{"type":"Feature","id":"bow","properties":{},"geometry":{"type":"Polygon","coordinates":[[[100.0,23.9],[100.02,23.92],[100.02,23.9],[100.0,23.92],[100.0,23.9]]]}}]}`

func TestScreenInvalidPolicies(t *testing.T) {
	dir := t.TempDir()
	layer := writeFile(t, dir, "bad.geojson", bowtieLayer)
	sites := "../../testdata/sites.geojson"
	code, _, errOut := runCLI(t, "screen", sites, "--layer", "redline="+layer, "--fail-on", "never")
	if code != exitError || !strings.Contains(errOut, "feature 1 (id bow) is invalid") || !strings.Contains(errOut, "self-intersects") {
		t.Fatalf("default: exit %d, %q", code, errOut)
	}
	code, out, errOut := runCLI(t, "screen", sites, "--layer", "redline="+layer, "--skip-invalid", "--format", "json", "--fail-on", "never")
	if code != 0 || !strings.Contains(errOut, "feature 1 (id bow)") || !strings.Contains(errOut, "skipped") {
		t.Fatalf("--skip-invalid: exit %d, %q", code, errOut)
	}
	var res struct {
		Sites []struct {
			ID        string `json:"id"`
			Conflicts []struct {
				FeatureID string `json:"feature_id"`
			} `json:"conflicts"`
		} `json:"sites"`
		Invalid []struct {
			FeatureID string `json:"feature_id"`
			Action    string `json:"action"`
		} `json:"invalid"`
		Repairs []struct {
			Layer     string `json:"layer"`
			FeatureID string `json:"feature_id"`
			Action    string `json:"action"`
		} `json:"repairs"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	// "repairs" is the key every command uses; "invalid" its old name, kept one release.
	if len(res.Repairs) != 1 || len(res.Invalid) != 1 || res.Repairs[0].FeatureID != res.Invalid[0].FeatureID || res.Repairs[0].Action != "skipped" || res.Repairs[0].Layer != "redline" {
		t.Errorf("repairs %+v, invalid (old key) %+v", res.Repairs, res.Invalid)
	}
	if len(res.Invalid) != 1 || res.Invalid[0].FeatureID != "bow" || len(res.Sites[0].Conflicts) != 1 || res.Sites[0].Conflicts[0].FeatureID != "ok" {
		t.Errorf("--skip-invalid result: invalid %+v, S1 conflicts %+v", res.Invalid, res.Sites[0].Conflicts)
	}
	code, _, errOut = runCLI(t, "screen", sites, "--layer", "redline="+layer, "--repair", "--fail-on", "never")
	if geoHasMakeValid() {
		if code != 0 || !strings.Contains(errOut, "MakeValid") {
			t.Errorf("--repair with GEOS: exit %d, %q", code, errOut)
		}
	} else if code != exitError || !strings.Contains(errOut, "GEOS") {
		t.Errorf("--repair in pure Go: exit %d, %q; want a clear GEOS message", code, errOut)
	}
	if code, _, _ := runCLI(t, "screen", sites, "--layer", "redline="+layer, "--repair", "--skip-invalid"); code != exitUsage {
		t.Errorf("--repair with --skip-invalid: exit %d, want 2", code)
	}
}

func TestScreenRepairExact(t *testing.T) {
	// An unclosed ring is repaired exactly in both builds.
	dir := t.TempDir()
	layer := writeFile(t, dir, "open.geojson", `[{"type":"Feature","id":"open","properties":{},"geometry":{"type":"Polygon","coordinates":[[[100.0,23.9],[100.02,23.9],[100.02,23.92],[100.0,23.92]]]}}]`)
	code, out, errOut := runCLI(t, "screen", "../../testdata/sites.geojson", "--layer", "redline="+layer, "--repair", "--format", "json", "--fail-on", "never")
	if code != 0 || !strings.Contains(errOut, "closed an unclosed ring") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	var res struct {
		Sites []struct {
			Conflicts []struct {
				OverlapM2 float64 `json:"overlap_m2"`
			} `json:"conflicts"`
		} `json:"sites"`
	}
	json.Unmarshal([]byte(out), &res)
	geotest.ApproxEqual(t, "S1 ∩ repaired", res.Sites[0].Conflicts[0].OverlapM2, geotest.BoxAreaM2(100.005, 23.905, 100.02, 23.915), geotest.Tol{Rel: 1e-9})
}

func TestScreenClearAnswers(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, dir, "empty.geojson", `{"type":"FeatureCollection","features":[]}`)
	points := writeFile(t, dir, "points.geojson", `[{"type":"Feature","id":"P","properties":{},"geometry":{"type":"Point","coordinates":[100,23.9]}}]`)
	nulls := writeFile(t, dir, "nulls.geojson", `[{"type":"Feature","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":null}]`)
	misspelt := writeFile(t, dir, "misspelt.geojson", `{"type":"FeatureCollection","Features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[100,23.9]}}]}`)
	typ1 := writeFile(t, dir, "typ1.geojson", `{"type":1}`)
	emptyFile := writeFile(t, dir, "emptyfile.geojson", ``)
	far := writeFile(t, dir, "far.geojson", `[{"type":"Feature","id":"FAR","properties":{"project_type":"industrial"},"geometry":{"type":"Point","coordinates":[120,30]}}]`)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"empty sites", []string{"screen", empty, "--layer", "redline=../../testdata/redline.geojson"}, exitError, "no sites"},
		{"empty layer", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline=" + empty, "--fail-on", "never"}, exitError, "layer redline has no polygon features (0 features)"},
		{"empty layer allowed", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline=" + empty, "--fail-on", "never", "--allow-empty-layer"}, exitOK, "warning: " + empty + ": layer redline has no polygon features"},
		{"layer of null geometries", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline=" + nulls}, exitError, "(0 features, 2 without geometry)"},
		{"misspelt features", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline=" + misspelt}, exitError, `unknown top-level member(s) "Features"`},
		{"type not a string", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline=" + typ1}, exitError, `"type" is 1`},
		{"empty file", []string{"screen", "../../testdata/sites.geojson", "--layer", "redline=" + emptyFile}, exitError, "empty"},
		{"share: empty layer", []string{"share", "--regions", "../../testdata/reserve.geojson", "--layer", "redline=" + empty}, exitError, "layer redline has no polygon features"},
		{"point layer", []string{"screen", "../../testdata/sites.geojson", "--layer", "water=" + points}, exitError, "constraint layers must be polygons"},
		{"site outside every layer", []string{"screen", far, "--layer", "redline=../../testdata/redline.geojson"}, exitOK, "outside the extent of every layer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tc.code, tc.msg)
			}
		})
	}
}

// TestScreenPiecesMatchConflicts: the pieces file's areas are the per-pair
// figures, and its rings follow the right-hand rule (RFC 7946).
func TestScreenPiecesMatchConflicts(t *testing.T) {
	dir := t.TempDir()
	pieces := filepath.Join(dir, "p.geojson")
	code, out, errOut := runCLI(t, append([]string{"screen", "../../testdata/sites.geojson", "-o", pieces, "--format", "json", "--fail-on", "never"}, fixtureLayers...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	l, _, err := readLayer(pieces, data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Sites []struct {
			Conflicts []struct {
				OverlapM2 float64 `json:"overlap_m2"`
			} `json:"conflicts"`
		} `json:"sites"`
	}
	json.Unmarshal([]byte(out), &res)
	var want []float64
	for _, s := range res.Sites {
		for _, c := range s.Conflicts {
			want = append(want, c.OverlapM2)
		}
	}
	if l.Len() != len(want) {
		t.Fatalf("%d pieces, %d conflicts", l.Len(), len(want))
	}
	for i := range l.Features {
		f := &l.Features[i]
		geotest.ApproxEqual(t, fmt.Sprintf("piece %d", i), geo.AreaM2(f.Geom), want[i], geotest.Tol{Rel: 1e-12, Abs: 1e-9})
		geotest.ApproxEqual(t, fmt.Sprintf("piece %d property", i), toFloat(f.Props["overlap_m2"]), want[i], geotest.Tol{Rel: 1e-12, Abs: 1e-9})
		if p, ok := f.Geom.(orb.Polygon); ok && p[0].Orientation() != orb.CCW {
			t.Errorf("piece %d: outer ring is not counter-clockwise", i)
		}
	}
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	return -1
}

// The CSV on stdout alone is written site by site as the run goes (through
// a temporary file); with any other output the result is held and written
// at the end. Both give the same bytes, exit code and messages, and an
// error mid-way leaves stdout empty in both.
func TestScreenStreamedCSV(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile("../../testdata/sites.geojson")
	if err != nil {
		t.Fatal(err)
	}
	var fc map[string]any
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	feats := fc["features"].([]any)
	null := map[string]any{"type": "Feature", "id": "nogeom", "properties": map[string]any{"name": "no geometry"}, "geometry": nil}
	fc["features"] = append(append([]any{feats[0], null}, feats[1:]...), null)
	b, _ = json.Marshal(fc)
	withNull := writeFile(t, dir, "sites_null.geojson", string(b))
	badLayer := writeFile(t, dir, "bad.geojson", bowtieLayer)
	sites := "../../testdata/sites.geojson"
	cases := map[string][]string{
		"default":            append([]string{"screen", sites, "--format", "csv"}, fixtureLayers...),
		"en, fail on review": append([]string{"screen", sites, "--format", "csv", "--lang", "en", "--fail-on", "review"}, fixtureLayers...),
		"never":              append([]string{"screen", sites, "--format", "csv", "--fail-on", "never", "--near", "0"}, fixtureLayers...),
		"no geometry, skip":  append([]string{"screen", withNull, "--format", "csv", "--skip-invalid"}, fixtureLayers...),
		"no geometry":        append([]string{"screen", withNull, "--format", "csv", "--fail-on", "never"}, fixtureLayers...),
		"invalid layer":      {"screen", sites, "--format", "csv", "--layer", "redline=" + badLayer},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, args...)
			heldCode, heldOut, heldErr := runCLI(t, append(args, "--json", filepath.Join(dir, "held.json"))...)
			if code != heldCode || out != heldOut || errOut != heldErr {
				t.Errorf("streamed: exit %d, %d bytes, stderr %q\nheld:     exit %d, %d bytes, stderr %q", code, len(out), errOut, heldCode, len(heldOut), heldErr)
			}
			if code != exitError && !strings.HasPrefix(out, "\uFEFFsite_index,") {
				t.Errorf("exit %d, stdout %.60q: want the CSV", code, out)
			}
		})
	}
	if code, out, _ := runCLI(t, cases["invalid layer"]...); code != exitError || out != "" {
		t.Errorf("invalid layer: exit %d, stdout %.60q; want 1 and nothing", code, out)
	}
	if code, _, _ := runCLI(t, cases["default"]...); code != exitFindings {
		t.Errorf("default: exit %d; want 3 (prohibited sites)", code)
	}
}
