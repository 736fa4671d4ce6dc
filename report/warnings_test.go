package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
)

// A site whose land classes overlap carries the warning into the text
// report, the HTML report and the stderr lines, in Chinese or English.
func TestOverlappingClassesWarningText(t *testing.T) {
	site := analysis.SiteResult{Index: 0, ID: "S1", GeometryType: "Polygon", AreaM2: 1000, Verdict: analysis.Clear,
		Geom:   orb.Polygon{{{100, 23}, {100.001, 23}, {100.001, 23.001}, {100, 23}}},
		Layers: []analysis.LayerOverlap{{Layer: "landuse", OverlapM2: 1000, OverlapPct: 100, Inside: true}},
		Classes: []analysis.ClassOverlap{
			{Layer: "landuse", Field: "DLMC", Value: "旱地", OverlapM2: 600, OverlapPct: 60, Inside: true},
			{Layer: "landuse", Field: "DLMC", Value: "林地", OverlapM2: 600, OverlapPct: 60, Inside: true},
			{Layer: "landuse", Field: "DLMC", Uncovered: true}},
		Warnings: []analysis.ResultWarning{{Kind: analysis.WarnOverlappingClasses, Layer: "landuse", Field: "DLMC", ExcessM2: 200,
			Overlaps: []analysis.ClassPairOverlap{{FeatureIndex: 0, FeatureID: "A", Value: "旱地", OtherIndex: 4, OtherValue: "林地", OverlapM2: 200}}}}}
	res := &analysis.ScreenResult{Sites: []analysis.SiteResult{site}, Summary: analysis.ScreenCounts{Sites: 1, Clear: 1}}
	want := map[Lang]string{
		ZH: "地块 1 (S1)：图层 landuse 按 DLMC 分类时，不同类别的要素相互重叠，各类别面积与未覆盖之和比地块多 200.00 m²（重叠部分计入了多个类别；数值未作调整）：要素 A「旱地」与要素 #4「林地」重叠 200.00 m²",
		EN: "site 1 (S1): layer landuse by DLMC: features of different classes overlap, so the class rows and uncovered add up to 200.00 m² more than the site (the overlap counts in each class; the numbers are not adjusted): feature A (旱地) and feature #4 (林地) overlap by 200.00 m²",
	}
	for lang, w := range want {
		if got := ScreenWarnings(lang, res); len(got) != 1 || got[0].Msg != w || got[0].Kind != analysis.WarnOverlappingClasses {
			t.Errorf("%s: %q\nwant %q", lang, got, w)
		}
		var text bytes.Buffer
		if err := WriteScreenTable(&text, res, lang); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), w) {
			t.Errorf("%s: the text report lacks the warning:\n%s", lang, text.String())
		}
		var html bytes.Buffer
		if err := WriteScreenHTML(&html, res, nil, Meta{}, lang); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(html.String(), w) {
			t.Errorf("%s: the HTML report lacks the warning", lang)
		}
	}
}

// share --by: a region whose classes overlap carries the warning into the
// text and HTML reports.
func TestShareOverlappingClassesWarningText(t *testing.T) {
	g := analysis.RegionShare{Index: 1, ID: "530902", Name: "临翔区", AreaM2: 5000, CoveredM2: 1000, SharePct: 20,
		Geom:    orb.Polygon{{{100, 23}, {100.001, 23}, {100.001, 23.001}, {100, 23}}},
		Classes: []analysis.ClassShare{{Value: "旱地", CoveredM2: 600}, {Value: "林地", CoveredM2: 600}},
		Warnings: []analysis.ResultWarning{{Kind: analysis.WarnOverlappingClasses, Layer: "landuse", Field: "DLMC", ExcessM2: 200,
			Overlaps: []analysis.ClassPairOverlap{}}}}
	res := &analysis.ShareResult{Layer: "landuse", By: "DLMC", Regions: []analysis.RegionShare{g}}
	want := map[Lang]string{
		ZH: "区域 2 (530902 临翔区)：图层 landuse 按 DLMC 分类时，不同类别的要素相互重叠，各类别面积之和比覆盖面积多 200.00 m²",
		EN: "region 2 (530902 临翔区): layer landuse by DLMC: features of different classes overlap, so the class rows add up to 200.00 m² more than the covered area",
	}
	for lang, w := range want {
		got := ShareWarnings(lang, res)
		if len(got) != 1 || !strings.HasPrefix(got[0].Msg, w) || got[0].Kind != analysis.WarnOverlappingClasses {
			t.Errorf("%s: %q\nwant one starting %q", lang, got, w)
		}
		var text, html bytes.Buffer
		if err := WriteShareTable(&text, Share{Results: []*analysis.ShareResult{res}}, lang); err != nil {
			t.Fatal(err)
		}
		if err := WriteShareHTML(&html, Share{Results: []*analysis.ShareResult{res}}, Meta{}, lang); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), w) || !strings.Contains(html.String(), w) {
			t.Errorf("%s: the text or HTML report lacks the warning", lang)
		}
	}
}
