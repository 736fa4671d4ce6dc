package report

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/internal/geotest"
)

// Two 0.01° regions side by side; the layer covers the west half of the
// first one and a quarter of the second.
const (
	shareRegions = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"R1","name":"甲乡"},"geometry":{"type":"Polygon","coordinates":[[[100,24],[100.01,24],[100.01,24.01],[100,24.01],[100,24]]]}},
{"type":"Feature","properties":{"id":"R2","name":"乙镇"},"geometry":{"type":"Polygon","coordinates":[[[100.01,24],[100.02,24],[100.02,24.01],[100.01,24.01],[100.01,24]]]}}]}`
	shareLayer = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"L1"},"geometry":{"type":"Polygon","coordinates":[[[100,24],[100.005,24],[100.005,24.01],[100,24.01],[100,24]]]}},
{"type":"Feature","properties":{"id":"L2"},"geometry":{"type":"Polygon","coordinates":[[[100.01,24],[100.015,24],[100.015,24.005],[100.01,24.005],[100.01,24]]]}}]}`
)

func shareFixture(t *testing.T) Share {
	t.Helper()
	fsys := fstest.MapFS{"regions.geojson": {Data: []byte(shareRegions)}, "layer.geojson": {Data: []byte(shareLayer)}}
	regions, _, err := data.ReadLayer(fsys, "regions.geojson", data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	layer, _, err := data.ReadLayer(fsys, "layer.geojson", data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	layer.Name = "redline"
	target, err := analysis.ParseTarget("25.6")
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Share(context.Background(), regions, layer, analysis.ShareOptions{Target: target})
	if err != nil {
		t.Fatal(err)
	}
	return Share{Results: []*analysis.ShareResult{res}}
}

func TestShareHTML(t *testing.T) {
	rep := shareFixture(t)
	for _, lang := range []Lang{ZH, EN} {
		t.Run(string(lang), func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteShareHTML(&b, rep, Meta{Version: "test"}, lang); err != nil {
				t.Fatal(err)
			}
			page := b.String()
			doc, err := html.Parse(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			checkSelfContained(t, page, doc)
			if got := svgPaths(t, doc); len(got) != 1 || got[0] != 2 {
				t.Errorf("map paths %v, want one map with one path per region (2)", got)
			}
			// Two region bars and the total; the target line at 25.6 %.
			if n := strings.Count(page, `height="16" fill=`); n != 3 {
				t.Errorf("%d bars, want 3", n)
			}
			for _, w := range []string{"25.6", "甲乡", "乙镇", "break-after: page", targetText(lang, boolPtr(false)), targetText(lang, boolPtr(true))} {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

func boolPtr(b bool) *bool { return &b }

func TestShareXLSX(t *testing.T) {
	rep := shareFixture(t)
	var js bytes.Buffer
	if err := WriteShareJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	var want analysis.ShareResult
	if err := json.Unmarshal(js.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, func(w io.Writer) error { return WriteShareXLSX(w, rep, ZH) })
	name, _ := ShareXLSXSheets(ZH)
	rows := xlsxRows(t, f, name)
	if len(rows) != 1+len(want.Regions)+1 {
		t.Fatalf("%d rows, want header, %d regions and the total", len(rows), len(want.Regions))
	}
	tol := geotest.Tol{Rel: 1e-9, Abs: 1e-9}
	for i, g := range append(want.Regions, analysis.RegionShare{AreaM2: want.Total.AreaM2, CoveredM2: want.Total.CoveredM2, SharePct: want.Total.SharePct}) {
		geotest.ApproxEqual(t, "area_m2", xlsxFloat(t, rows[1+i][4]), g.AreaM2, tol)
		geotest.ApproxEqual(t, "covered_m2", xlsxFloat(t, rows[1+i][5]), g.CoveredM2, tol)
		geotest.ApproxEqual(t, "share_pct", xlsxFloat(t, rows[1+i][8]), g.SharePct, tol)
	}
}

func TestOverlapsXLSX(t *testing.T) {
	fsys := fstest.MapFS{"a.geojson": {Data: []byte(shareLayer)}, "b.geojson": {Data: []byte(shareRegions)}}
	var layers []*analysis.Constraint
	for _, n := range []string{"a.geojson", "b.geojson"} {
		l, _, err := data.ReadLayer(fsys, n, data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := analysis.NewConstraint(l, analysis.LayerConfig{Name: strings.TrimSuffix(n, ".geojson"), Kind: "redline"})
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, c)
	}
	res, err := analysis.Overlaps(context.Background(), layers, analysis.OverlapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pairs) == 0 {
		t.Fatal("no pairs")
	}
	f := openXLSX(t, func(w io.Writer) error { return WriteOverlapsXLSX(w, res, EN) })
	pairs, by := OverlapsXLSXSheets(EN)
	rows := xlsxRows(t, f, pairs)
	if len(rows) != 1+len(res.Pairs) {
		t.Fatalf("%d rows, want %d", len(rows), 1+len(res.Pairs))
	}
	for i, p := range res.Pairs {
		geotest.ApproxEqual(t, "overlap_m2", xlsxFloat(t, rows[1+i][10]), p.OverlapM2, geotest.Tol{Rel: 1e-9, Abs: 1e-9})
	}
	if rows := xlsxRows(t, f, by); len(rows) != 1+len(res.Summary.ByLayers) {
		t.Errorf("by layers: %d rows, want %d", len(rows), 1+len(res.Summary.ByLayers))
	}
}
