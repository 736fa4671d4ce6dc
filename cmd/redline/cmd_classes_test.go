package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redline-gis/redline/internal/geotest"
)

// classFiles writes a land-use layer (水田 on the west half of the site,
// nothing on the east), a priority control unit over the whole site and an
// access list, and returns the site file and the flags.
func classFiles(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	sq := func(x1, y1, x2, y2 float64) string {
		return strings.NewReplacer("X1", ftoa(x1), "Y1", ftoa(y1), "X2", ftoa(x2), "Y2", ftoa(y2)).Replace(
			`{"type":"Polygon","coordinates":[[[X1,Y1],[X2,Y1],[X2,Y2],[X1,Y2],[X1,Y1]]]}`)
	}
	sites := writeFile(t, dir, "sites.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"S1","项目类型":"化工","行业代码":"2614"},"geometry":`+
		sq(100, 24, 100.01, 24.01)+`}]}`)
	lu := writeFile(t, dir, "landuse.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"L1","DLBM":"0101"},"geometry":`+
		sq(99.99, 23.99, 100.005, 24.02)+`}]}`)
	cu := writeFile(t, dir, "units.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"HJDYBM":"ZH01","HJDYMC":"示意单元","管控类别":"优先保护单元"},"geometry":`+
		sq(99.9, 23.9, 100.1, 24.1)+`}]}`)
	acc := writeFile(t, dir, "access.csv", "unit,target,verdict,clause,source\nZH01,C26,禁止,单元内禁止新建化工项目,示意清单\n")
	return sites, []string{"--layer", "landuse=" + lu, "--layer", "control_unit=" + cu, "--by", "landuse=DLBM", "--access-list", acc, "--fail-on", "never"}
}

func ftoa(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

func TestScreenByAndAccessList(t *testing.T) {
	sites, flags := classFiles(t)
	code, out, errOut := runCLI(t, append([]string{"screen", sites, "--format", "json"}, flags...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Sites []struct {
			AreaM2    float64 `json:"area_m2"`
			Verdict   string  `json:"verdict"`
			Conflicts []struct {
				UnitCode string `json:"unit_code"`
				Verdict  string `json:"verdict"`
				Clauses  []struct {
					Line int `json:"line"`
				} `json:"clauses"`
			} `json:"conflicts"`
			Classes []struct {
				Value     string  `json:"value"`
				Code      string  `json:"code"`
				OverlapM2 float64 `json:"overlap_m2"`
				Uncovered bool    `json:"uncovered"`
			} `json:"classes"`
		} `json:"sites"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	s := res.Sites[0]
	if s.Verdict != "prohibited" || len(s.Conflicts) != 1 || s.Conflicts[0].UnitCode != "ZH01" || s.Conflicts[0].Verdict != "prohibited" ||
		len(s.Conflicts[0].Clauses) != 1 || s.Conflicts[0].Clauses[0].Line != 2 {
		t.Errorf("verdict %s, conflicts %+v (the land-use layer gives none; the unit one with its clause)", s.Verdict, s.Conflicts)
	}
	if len(s.Classes) != 2 || s.Classes[0].Value != "水田" || s.Classes[0].Code != "0101" || !s.Classes[1].Uncovered {
		t.Fatalf("classes %+v", s.Classes)
	}
	half := geotest.BoxAreaM2(100, 24, 100.005, 24.01)
	geotest.ApproxEqual(t, "水田", s.Classes[0].OverlapM2, half, geotest.Tol{Rel: 1e-9})
	geotest.ApproxEqual(t, "水田 + 未覆盖", s.Classes[0].OverlapM2+s.Classes[1].OverlapM2, s.AreaM2, geotest.Tol{Rel: 1e-9})
	code, out, _ = runCLI(t, append([]string{"screen", sites}, flags...)...)
	if code != 0 || !strings.Contains(out, "0101 水田") || !strings.Contains(out, "未覆盖") || !strings.Contains(out, "单元内禁止新建化工项目") {
		t.Errorf("table (exit %d):\n%s", code, out)
	}
}

func TestScreenByErrors(t *testing.T) {
	sites, flags := classFiles(t)
	dir := filepath.Dir(sites)
	layers := flags[:4]
	bad := writeFile(t, dir, "bad.csv", "unit,target,verdict,clause,source\nZH01,C26,maybe,x,y\n")
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"by without layer", []string{"--by", "DLMC"}, exitUsage, "--by LAYER=FIELD"},
		{"by unknown layer", []string{"--by", "三调=DLMC"}, exitUsage, "no layer 三调 (layers: landuse, control_unit)"},
		{"by missing field", []string{"--by", "landuse=TBMJ"}, exitError, `layer landuse (`},
		{"access list line", []string{"--access-list", bad}, exitError, "line 2"},
	} {
		code, _, errOut := runCLI(t, append(append([]string{"screen", sites}, layers...), tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%s: exit %d, stderr %q; want %d with %q", tc.name, code, errOut, tc.code, tc.msg)
		}
		if tc.name == "by missing field" && !strings.Contains(errOut, "fields: DLBM, id") {
			t.Errorf("%s: the message should list the fields: %q", tc.name, errOut)
		}
	}
}

func TestShareBy(t *testing.T) {
	sites, flags := classFiles(t)
	code, out, errOut := runCLI(t, "share", "--regions", sites, "--layer", flags[1], "--by", "DLBM", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "class_value") || !strings.Contains(out, ",DLBM,水田,0101,100") {
		t.Errorf("csv:\n%s", out)
	}
}
