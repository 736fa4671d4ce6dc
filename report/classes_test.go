package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func rect(x1, y1, x2, y2 float64) orb.Polygon {
	return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
}

func testLayer(t *testing.T, name string, props []map[string]any, geoms ...orb.Geometry) *geo.Layer {
	t.Helper()
	l := &geo.Layer{Name: name}
	for i, g := range geoms {
		f, err := geo.NewFeature(i, fmt.Sprintf("%s%d", name, i+1), props[i], g)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(f)
	}
	return l
}

// classFixture: a site over 水田 (west 40 %), 乔木林地 by code (next 30 %) and
// nothing (east 30 %), and over two control units, the first a priority
// unit with a clause for its industry.
func classFixture(t *testing.T) *analysis.ScreenResult {
	t.Helper()
	lu := testLayer(t, "landuse", []map[string]any{{"DLBM": "0101", "DLMC": "水田"}, {"DLBM": "0301"}},
		rect(100, 24, 100.004, 24.01), rect(100.004, 24, 100.007, 24.01))
	units := testLayer(t, "control_unit", []map[string]any{{"HJDYBM": "ZH1", "HJDYMC": "甲单元", "管控类别": "优先保护单元"},
		{"HJDYBM": "ZH2", "管控类别": "一般管控单元"}}, rect(100, 24, 100.005, 24.01), rect(100.005, 24, 100.01, 24.01))
	sites := testLayer(t, "sites", []map[string]any{{"project_type": "化工", "行业代码": "C2614"}}, rect(100, 24.002, 100.01, 24.004))
	var cons []*analysis.Constraint
	for _, c := range []struct {
		l    *geo.Layer
		kind string
	}{{lu, "landuse"}, {units, "control_unit"}} {
		cn, err := analysis.NewConstraint(c.l, analysis.LayerConfig{Kind: c.kind})
		if err != nil {
			t.Fatal(err)
		}
		cons = append(cons, cn)
	}
	acc, err := analysis.ParseAccessList("list.csv", []byte("unit,target,verdict,clause,source\npriority,C26,禁止,禁止新建化工项目,示意清单\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Screen(context.Background(), sites, cons, analysis.DefaultRules(),
		analysis.ScreenOptions{By: []analysis.ClassBy{{Layer: "landuse", Field: "DLMC"}}, Access: acc})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScreenClassReports(t *testing.T) {
	res := classFixture(t)
	s := res.Sites[0]
	if len(s.Classes) != 3 || len(s.Conflicts) != 2 || s.Verdict != analysis.Prohibited {
		t.Fatalf("classes %+v conflicts %+v verdict %s", s.Classes, s.Conflicts, s.Verdict)
	}
	var tb bytes.Buffer
	if err := WriteScreenTable(&tb, res, ZH); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"0101 水田", "0301 乔木林地", "未覆盖", "禁止新建化工项目", "优先保护单元", "一般管控单元"} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tb.String())
		}
	}
	var cb bytes.Buffer
	if err := WriteScreenCSV(&cb, res, ZH); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(cb.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err) // also: every row has the header's width
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	sum, classRows := 0.0, 0
	for _, r := range rows[1:] {
		if r[col["kind"]] == "class" {
			classRows++
			sum += xlsxFloat(t, r[col["overlap_m2"]])
		}
	}
	if classRows != 3 {
		t.Errorf("%d class rows in the CSV", classRows)
	}
	geotest.ApproxEqual(t, "CSV class rows sum to the site", sum, s.AreaM2, geotest.Tol{Rel: 1e-9})
	f := openXLSX(t, func(w io.Writer) error { return WriteScreenXLSX(w, res, EN) })
	if got := xlsxRows(t, f, "by class"); len(got) != 4 || got[3][4] != "uncovered" {
		t.Errorf("by class sheet: %v", got)
	}
	if got := xlsxRows(t, f, "access list"); len(got) != 2 || got[1][11] != "示意清单" {
		t.Errorf("access list sheet: %v", got)
	}
	var hb bytes.Buffer
	if err := WriteScreenHTML(&hb, res, nil, Meta{}, ZH); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"土地利用现状", "0101 水田", "未覆盖", "生态环境准入清单条款", "禁止新建化工项目"} {
		if !strings.Contains(hb.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestShareClassReports(t *testing.T) {
	regions := testLayer(t, "regions", []map[string]any{{"name": "甲乡"}, {"name": "乙镇"}}, rect(100, 24, 100.01, 24.01), rect(100.01, 24, 100.02, 24.01))
	lu := testLayer(t, "landuse", []map[string]any{{"DLBM": "0101"}, {"DLBM": "0301"}, {"DLBM": "0101"}},
		rect(100, 24, 100.005, 24.01), rect(100.005, 24, 100.015, 24.005), rect(100.015, 24, 100.02, 24.01))
	rg, err := analysis.NewRegions(context.Background(), regions, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := rg.ShareBy(context.Background(), lu, "DLBM", analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep := Share{Results: []*analysis.ShareResult{res}}
	var cb bytes.Buffer
	if err := WriteShareCSV(&cb, rep, ZH); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(cb.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// 2 regions + total, then 2 + 2 region × class rows and 2 total class rows.
	if len(rows) != 1+3+6 || rows[0][len(rows[0])-3] != "class_value" {
		t.Errorf("share CSV: %v", rows)
	}
	var hb bytes.Buffer
	if err := WriteShareHTML(&hb, rep, Meta{}, ZH); err != nil {
		t.Fatal(err)
	}
	page := hb.String()
	if n := strings.Count(page, "<title>0101 水田 "); n != 3 { // one segment per region and the total
		t.Errorf("%d 水田 bar segments, want 3", n)
	}
	if !strings.Contains(page, "按类别") {
		t.Error("HTML lacks the class table")
	}
	f := openXLSX(t, func(w io.Writer) error { return WriteShareXLSX(w, rep, ZH) })
	if got := xlsxRows(t, f, "按类别"); len(got) != 1+6 {
		t.Errorf("by class sheet: %d rows", len(got))
	}
	var tb bytes.Buffer
	if err := WriteShareTable(&tb, rep, ZH); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tb.String(), "乔木林地") {
		t.Errorf("table:\n%s", tb.String())
	}
}
