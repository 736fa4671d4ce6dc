package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/report"
)

func shareReportFixture() report.Share {
	yes, no := true, false
	pct := 25.6
	r := &analysis.ShareResult{Layer: "redline", TargetPct: &pct, Target: "25.6%",
		Regions: []analysis.RegionShare{
			{Index: 0, ID: "530902", Name: "临翔区", AreaM2: 1e8, CoveredM2: 3e7, SharePct: 30, MeetsTarget: &yes},
			{Index: 1, ID: "530921", Name: "凤庆县", AreaM2: 1e8, CoveredM2: 1e7, SharePct: 10, MeetsTarget: &no}},
		Total:          analysis.ShareTotal{Regions: 2, AreaM2: 2e8, CoveredM2: 4e7, SharePct: 20, MeetsTarget: &no},
		RegionOverlaps: []analysis.RegionOverlap{{AIndex: 0, AID: "530902", BIndex: 1, BID: "530921", OverlapM2: 17178}}}
	v := 20.0
	sc := &analysis.Scorecard{Preset: "lincang-2020", Title: "临沧", TitleEN: "Lincang", Indicators: []analysis.Indicator{
		{ID: "redline_share", Name: "生态保护红线面积占比", NameEN: "Red line share", Unit: "pct", ShowUnit: "%", Target: 25.6, Value: &v, Computed: true, MeetsTarget: &no},
		{ID: "forest_cover", Name: "森林覆盖率", NameEN: "Forest cover", Unit: "pct", ShowUnit: "%", Target: 66}}}
	return report.Share{Results: []*analysis.ShareResult{r}, Scorecard: sc}
}

func TestWriteShareCSV(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteShareCSV(&b, shareReportFixture(), report.ZH); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if !strings.HasPrefix(s, "\uFEFFlayer,region_idx,region_id,region_name,region_area_m2,covered_m2") {
		t.Errorf("header: %.80q", s)
	}
	for _, want := range []string{"redline,1,530921,凤庆县,100000000,10000000,1000,15000,10,25.6%,false", "redline,,total,合计,",
		"scorecard:lincang-2020,,forest_cover,森林覆盖率,,,,,,>=66 pct,\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("CSV lacks %q:\n%s", want, s)
		}
	}
}

func TestWriteShareJSONShapes(t *testing.T) {
	rep := shareReportFixture()
	var one, many bytes.Buffer
	single := report.Share{Results: rep.Results}
	if err := report.WriteShareJSON(&one, single); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(one.Bytes(), &m); err != nil || m["layer"] != "redline" || m["target_pct"] != 25.6 {
		t.Errorf("single layer: the single-layer object expected: %v %v", err, m)
	}
	if err := report.WriteShareJSON(&many, rep); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(many.Bytes(), &m); err != nil || m["layers"] == nil || m["scorecard"] == nil {
		t.Errorf("with a scorecard: {layers, scorecard} expected: %v %v", err, m)
	}
	if !strings.Contains(many.String(), `"value": null`) {
		t.Error("an indicator not computed must be null, not 0")
	}
}

func TestWriteShareTable(t *testing.T) {
	for _, tc := range []struct {
		lang report.Lang
		want []string
	}{
		{report.ZH, []string{"面积占比: redline", "临翔区", "否", "区域相互重叠", "17,178.0", "未计算", "≥ 66.00 %"}},
		{report.EN, []string{"Area share: redline", "NO", "not computed", "Regions overlapping"}},
	} {
		var b bytes.Buffer
		if err := report.WriteShareTable(&b, shareReportFixture(), tc.lang); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s table lacks %q:\n%s", tc.lang, w, b.String())
			}
		}
	}
	fields, feats := report.ShareRegions(shareReportFixture())
	if len(feats) != 2 || len(fields) == 0 || feats[1].Props["meets"] != false {
		t.Errorf("regions for -o: %v", feats)
	}
}
