package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/redline-gis/redline/internal/geotest"
)

func gunzipTo(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.WriteFile(dst, geotest.ReadGz(t, src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestScreenAgainstPostGIS screens the anchors' seeded data (testdata/anchors)
// and compares every site × feature overlap and every dissolved per-site
// overlap with PostGIS's answers (ST_Area(geography, true)).
func TestScreenAgainstPostGIS(t *testing.T) {
	if testing.Short() {
		t.Skip("large fixture")
	}
	dir := t.TempDir()
	sites, cons := filepath.Join(dir, "sites.geojson"), filepath.Join(dir, "constraints.geojson")
	gunzipTo(t, "../../testdata/anchors/sites.geojson.gz", sites)
	gunzipTo(t, "../../testdata/anchors/constraints.geojson.gz", cons)
	code, out, errOut := runCLI(t, "screen", sites, "--layer", "redline="+cons, "--type", "other", "--near", "0", "--format", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Sites []struct {
			Index     int     `json:"index"`
			ID        string  `json:"id"`
			AreaM2    float64 `json:"area_m2"`
			Conflicts []struct {
				FeatureID string  `json:"feature_id"`
				OverlapM2 float64 `json:"overlap_m2"`
			} `json:"conflicts"`
			Nearby []struct {
				FeatureID string `json:"feature_id"`
				Touching  bool   `json:"touching"`
			} `json:"nearby"`
			Layers []struct {
				OverlapM2 float64 `json:"overlap_m2"`
			} `json:"layers"`
		} `json:"sites"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	tol := geotest.Tol{Abs: 0.05, Rel: 1e-6}
	got := map[string]float64{}
	for _, s := range res.Sites {
		for _, c := range s.Conflicts {
			got[s.ID+"/"+c.FeatureID] = c.OverlapM2
		}
		for _, n := range s.Nearby {
			if n.Touching {
				got[s.ID+"/"+n.FeatureID] = 0 // PostGIS lists touching pairs with 0 m²
			}
		}
	}
	pairs := geotest.ReadCSV(t, "../../testdata/anchors/pg_pairs.csv")
	if len(pairs) != len(got) {
		t.Errorf("%d pairs, PostGIS has %d", len(got), len(pairs))
	}
	for _, p := range pairs {
		key := p["site_id"] + "/" + p["layer_id"]
		g, ok := got[key]
		if !ok {
			t.Errorf("pair %s missing", key)
			continue
		}
		geotest.ApproxEqual(t, "pair "+key, g, geotest.Num(t, p["overlap_m2"]), tol)
	}
	for i, p := range geotest.ReadCSV(t, "../../testdata/anchors/pg_site.csv") {
		s := res.Sites[i]
		if s.ID != p["site_id"] {
			t.Fatalf("site %d is %s, PostGIS has %s", i, s.ID, p["site_id"])
		}
		geotest.ApproxEqual(t, fmt.Sprintf("site %s area", s.ID), s.AreaM2, geotest.Num(t, p["site_area_m2"]), tol)
		geotest.ApproxEqual(t, fmt.Sprintf("site %s dissolved overlap", s.ID), s.Layers[0].OverlapM2, geotest.Num(t, p["overlap_m2"]), tol)
	}
}
