package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func validateJSON(t *testing.T, args ...string) (int, analysis.ValidateResult, string) {
	t.Helper()
	code, out, errOut := runCLI(t, append([]string{"validate", "-f", "json"}, args...)...)
	var res analysis.ValidateResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("exit %d, %v: %s %s", code, err, out, errOut)
	}
	return code, res, errOut
}

// TestValidateYunnan: the DataV Yunnan file has exactly two invalid
// features, 曲靖市 and 红河州, each with a tiny second part that meets the
// first along an edge; the repair merges them and moves the area < 0.01 %.
func TestValidateYunnan(t *testing.T) {
	path := filepath.Join(geotest.SharedData(t, "datav-anzhou99-GeoJsons"), "530000_full.json")
	code, res, _ := validateJSON(t, path)
	if code != exitFindings {
		t.Fatalf("exit %d, want 3", code)
	}
	inv := res.Files[0].Invalid
	if res.Files[0].Features != 16 || len(inv) != 2 || inv[0].ID != "曲靖市" || inv[1].ID != "红河哈尼族彝族自治州" {
		t.Fatalf("invalid %+v, want 曲靖市 and 红河州 of 16", inv)
	}
	out := filepath.Join(t.TempDir(), "yunnan.geojson")
	code, res, _ = validateJSON(t, path, "--repair", out)
	if code != exitOK {
		t.Fatalf("--repair: exit %d, want 0", code)
	}
	for _, c := range res.Files[0].Repairs {
		if c.Error != "" || math.Abs(c.ChangePct) >= 0.01 {
			t.Errorf("%s: change %g %%, error %q", c.ID, c.ChangePct, c.Error)
		}
	}
	if code, res, _ := validateJSON(t, out); code != exitOK || len(res.Files[0].Invalid) != 0 || res.Files[0].Features != 16 {
		t.Errorf("repaired file: exit %d, %+v", code, res.Files[0])
	}
	l, _, err := readLayer(out, data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Features[1].Props["name"] != "曲靖市" {
		t.Errorf("properties not kept: %v", l.Features[1].Props)
	}
}

// TestValidateZhenkang: the weather-bureau 镇康县 outline carries two
// identical 156 m² slivers; the repair keeps one (as ST_MakeValid does).
func TestValidateZhenkang(t *testing.T) {
	path := filepath.Join(geotest.SharedData(t, "lincang-weather-shihongbo1314"), "530924", "530924.json")
	code, res, _ := validateJSON(t, path, "--repair", filepath.Join(t.TempDir(), "zk.geojson"))
	if code != exitOK || len(res.Files[0].Invalid) != 1 || !strings.Contains(res.Files[0].Invalid[0].Reason, "multipolygon parts") {
		t.Fatalf("exit %d, %+v", code, res.Files[0])
	}
	c := res.Files[0].Repairs[0]
	// PostGIS: 2529941732.4189 raw, 2529941576.36 after ST_MakeValid.
	geotest.ApproxEqual(t, "dropped", c.AreaBeforeM2-c.AreaAfterM2, 2529941732.4189-2529941576.36, geotest.Tol{Abs: 0.5})
}

func TestValidateFixture(t *testing.T) {
	const path = "../../testdata/validate/invalid.geojson"
	code, res, _ := validateJSON(t, path)
	if code != exitFindings {
		t.Fatalf("exit %d, want 3", code)
	}
	want := map[int]string{1: "self-intersects", 2: "spike", 3: "not lon/lat", 4: "not closed"}
	inv := res.Files[0].Invalid
	if len(inv) != len(want) || res.Files[0].Features != 5 {
		t.Fatalf("invalid %+v", inv)
	}
	for _, v := range inv {
		if !strings.Contains(v.Reason, want[v.Index]) {
			t.Errorf("feature %d: %q, want %q", v.Index, v.Reason, want[v.Index])
		}
	}
	if !inv[2].BadCoordinates || inv[2].Location == nil || inv[2].Location[1] != 95 {
		t.Errorf("off-map feature: %+v", inv[2])
	}
	out := filepath.Join(t.TempDir(), "fixed.geojson")
	code, res, errOut := validateJSON(t, path, "--repair", out)
	if code != exitFindings || !strings.Contains(errOut, "left out") {
		t.Errorf("--repair: exit %d (want 3: the off-map feature), stderr %q", code, errOut)
	}
	byIndex := map[int]analysis.Repair{}
	for _, c := range res.Files[0].Repairs {
		byIndex[c.Index] = c
	}
	if bow := byIndex[1]; geo.HasMakeValid == (bow.Error != "") {
		t.Errorf("bow-tie with HasMakeValid=%v: %+v", geo.HasMakeValid, bow)
	}
	if !geo.HasMakeValid && !strings.Contains(res.Files[0].Invalid[0].Repaired, "go build -tags geos") {
		t.Errorf("pure Go: bow-tie repair %q should say how to get GEOS", res.Files[0].Invalid[0].Repaired)
	}
	for _, i := range []int{2, 4} {
		if c := byIndex[i]; c.Error != "" || math.Abs(c.ChangePct) > 1e-9 {
			t.Errorf("feature %d: %+v", i, c)
		}
	}
	code, res, _ = validateJSON(t, out)
	if res.Files[0].Features != 4 || (geo.HasMakeValid && code != exitOK) || (!geo.HasMakeValid && len(res.Files[0].Invalid) != 1) {
		t.Errorf("repaired file: exit %d, %+v", code, res.Files[0])
	}
	code, text, _ := runCLI(t, "validate", path, "--lang", "en")
	if code != exitFindings || !strings.Contains(text, "no (correct the data)") || !strings.Contains(text, "5 features, 4 invalid") {
		t.Errorf("table:\n%s", text)
	}
	if code, _, _ := runCLI(t, "validate", path, path, "--repair", out); code != exitUsage {
		t.Errorf("--repair with two files: exit %d, want 2", code)
	}
}
