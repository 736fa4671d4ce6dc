package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// Share is what `redline share` writes: one result per layer and,
// with a preset, the scorecard.
type Share struct {
	Results   []*analysis.ShareResult
	Scorecard *analysis.Scorecard
}

// WriteShareJSON writes the report as JSON. One layer without a scorecard
// is the single-layer share object; otherwise {"layers": [...]} with a
// "scorecard" member when a preset ran.
func WriteShareJSON(w io.Writer, rep Share) error {
	if len(rep.Results) == 1 && rep.Scorecard == nil {
		return WriteJSON(w, rep.Results[0])
	}
	return WriteJSON(w, struct {
		Layers    []*analysis.ShareResult `json:"layers"`
		Scorecard *analysis.Scorecard     `json:"scorecard,omitempty"`
	}{rep.Results, rep.Scorecard})
}

// ShareCSVHeader is the column list of the share CSV. The columns
// region_idx, region_id, region_area_m2, covered_m2 and share_pct are those
// of the anchors' share_postgis.sh; the total row has region_id "total".
var ShareCSVHeader = []string{"layer", "region_idx", "region_id", "region_name", "region_area_m2", "covered_m2",
	"covered_ha", "covered_mu", "share_pct", "target", "meets_target"}

// WriteShareCSV writes one row per layer × region and one total row per
// layer (region_idx empty, region_id "total"). UTF-8 with a BOM, for Excel.
// Scorecard indicators follow as rows with layer "scorecard:<preset>".
func WriteShareCSV(w io.Writer, rep Share, lang Lang) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := ShareCSVHeader
	for _, r := range rep.Results {
		if shareByClass(r) && len(header) == len(ShareCSVHeader) {
			header = append(header[:len(header):len(header)], shareClassCSVHeader...)
		}
	}
	pad := make([]string, len(header)-len(ShareCSVHeader))
	cw.Write(header)
	for _, r := range rep.Results {
		for _, s := range r.Regions {
			cw.Write(append([]string{r.Layer, strconv.Itoa(s.Index), s.ID, s.Name, full(s.AreaM2), full(s.CoveredM2), full(s.CoveredM2 / 1e4),
				full(s.CoveredM2 / analysis.MuM2), full(s.SharePct), r.Target, meetsCSV(s.MeetsTarget)}, pad...))
		}
		t := r.Total
		cw.Write(append([]string{r.Layer, "", "total", tr(lang, "合计", "total"), full(t.AreaM2), full(t.CoveredM2), full(t.CoveredM2 / 1e4),
			full(t.CoveredM2 / analysis.MuM2), full(t.SharePct), r.Target, meetsCSV(t.MeetsTarget)}, pad...))
		writeShareClassRows(cw, r, lang)
	}
	if sc := rep.Scorecard; sc != nil {
		for _, in := range sc.Indicators {
			val := ""
			if in.Value != nil {
				val = full(*in.Value)
			}
			cw.Write(append([]string{"scorecard:" + sc.Preset, "", in.ID, pick(lang, in.Name, in.NameEN), "", "", "", "", val,
				">=" + full(in.Target) + " " + in.Unit, meetsCSV(in.MeetsTarget)}, pad...))
		}
	}
	cw.Flush()
	return cw.Error()
}

func meetsCSV(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

// ShareRegionFields are the properties of the regions written by -o.
var ShareRegionFields = []string{"layer", "index", "id", "name", "area_m2", "covered_m2", "covered_ha", "share_pct", "meets"}

// ShareRegions returns the regions with their areas, covered areas and
// shares as properties (one feature per layer × region), for a thematic map.
func ShareRegions(rep Share) ([]string, []geo.Record) {
	var out []geo.Record
	for _, r := range rep.Results {
		for _, s := range r.Regions {
			props := map[string]any{"layer": r.Layer, "index": s.Index, "id": s.ID, "name": s.Name, "area_m2": s.AreaM2,
				"covered_m2": s.CoveredM2, "covered_ha": s.CoveredM2 / 1e4, "share_pct": s.SharePct, "meets": nil}
			if s.MeetsTarget != nil {
				props["meets"] = *s.MeetsTarget
			}
			out = append(out, geo.Record{Geom: s.Geom, Props: props})
		}
	}
	return ShareRegionFields, out
}

// WriteShareTable writes one table per layer (regions, then the total),
// the region overlaps, gaps and repairs, and the scorecard.
func WriteShareTable(w io.Writer, rep Share, lang Lang) error {
	var b strings.Builder
	for k, r := range rep.Results {
		if k > 0 {
			b.WriteString("\n")
		}
		target := tr(lang, "无目标", "no target")
		switch {
		case r.TargetPct != nil:
			target = "≥ " + FormatNumber(*r.TargetPct, 2) + " %"
		case r.TargetM2 != nil:
			target = fmt.Sprintf("≥ %s %s (%s)", FormatNumber(*r.TargetM2/1e4, 2), tr(lang, "公顷", "ha"), r.Target)
		}
		fmt.Fprintf(&b, "%s: %s  (%s %s)\n\n", tr(lang, "面积占比", "Area share"), r.Layer, tr(lang, "目标", "target"), target)
		t := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "id"), tr(lang, "名称", "name"),
			tr(lang, "面积(公顷)", "area (ha)"), tr(lang, "覆盖(公顷)", "covered (ha)"), tr(lang, "覆盖(亩)", "covered (mu)"),
			tr(lang, "占比%", "share %"), tr(lang, "达标", "meets")},
			Right: []bool{true, false, false, true, true, true, true, false}}
		for _, s := range r.Regions {
			t.Add(ordinal(s.Index), s.ID, s.Name, FormatNumber(s.AreaM2/1e4, 2), FormatNumber(s.CoveredM2/1e4, 2),
				FormatNumber(s.CoveredM2/analysis.MuM2, 0), FormatNumber(s.SharePct, 2), meetsText(lang, s.MeetsTarget))
		}
		tot := r.Total
		name := tr(lang, "合计（区域并集）", "total (union of regions)")
		if r.Whole {
			name = tr(lang, "整体", "whole")
		}
		t.Add("", "", name, FormatNumber(tot.AreaM2/1e4, 2), FormatNumber(tot.CoveredM2/1e4, 2),
			FormatNumber(tot.CoveredM2/analysis.MuM2, 0), FormatNumber(tot.SharePct, 2), meetsText(lang, tot.MeetsTarget))
		t.Write(&b)
		writeShareClasses(&b, r, lang)
	}
	if len(rep.Results) > 0 {
		writeRegionChecks(&b, rep.Results[0], lang)
		for _, r := range rep.Results {
			for _, p := range r.Repairs {
				if p.Role != "regions" {
					fmt.Fprintf(&b, "%s %s #%d %s: %s\n", tr(lang, "已修复图层", "repaired layer"), p.Layer, p.FeatureIndex, p.FeatureID, p.What)
				}
			}
		}
	}
	if sc := rep.Scorecard; sc != nil {
		fmt.Fprintf(&b, "\n%s\n\n", pick(lang, sc.Title, sc.TitleEN))
		t := Table{Header: []string{tr(lang, "指标", "indicator"), tr(lang, "目标", "target"), tr(lang, "现状", "value"),
			tr(lang, "达标", "meets"), tr(lang, "图层", "layers")}, Right: []bool{false, true, true, false, false}}
		for _, in := range sc.Indicators {
			val := tr(lang, "未计算", "not computed")
			if in.Value != nil {
				val = indicatorText(lang, *in.Value, in)
			}
			t.Add(pick(lang, in.Name, in.NameEN), "≥ "+indicatorText(lang, in.Target, in), val, meetsText(lang, in.MeetsTarget),
				strings.Join(in.Layers, ", "))
		}
		t.Write(&b)
	}
	fmt.Fprintf(&b, "\n%s\n", tr(lang, "面积为 CGCS2000 椭球面积，图层先融合（重叠不重复计算）；1 公顷 = 10 000 m²，1 亩 = 666.67 m²。",
		"Areas are ellipsoidal on CGCS2000, the layer dissolved first (overlaps count once); 1 ha = 10 000 m², 1 mu = 666.67 m²."))
	_, err := io.WriteString(w, b.String())
	return err
}

func writeRegionChecks(b *strings.Builder, r *analysis.ShareResult, lang Lang) {
	if len(r.RegionOverlaps) > 0 {
		fmt.Fprintf(b, "\n%s\n", tr(lang, "区域相互重叠（合计中只计一次）：", "Regions overlapping each other (counted once in the total):"))
		for _, o := range r.RegionOverlaps {
			fmt.Fprintf(b, "  %s × %s: %s m²\n", regionText(o.AIndex, o.AID, o.AName), regionText(o.BIndex, o.BID, o.BName), FormatNumber(o.OverlapM2, 1))
		}
	}
	if len(r.RegionGaps) > 0 {
		fmt.Fprintf(b, "\n%s\n", tr(lang, "区域之间的空隙（不计入合计）：", "Gaps between the regions (not in the total):"))
		for _, g := range r.RegionGaps {
			fmt.Fprintf(b, "  %s m² %s %.6f,%.6f\n", FormatNumber(g.AreaM2, 1), tr(lang, "位于", "at"), g.Lon, g.Lat)
		}
	}
	for _, p := range r.Repairs {
		if p.Role == "regions" {
			fmt.Fprintf(b, "%s %s #%d %s: %s\n", tr(lang, "已修复区域", "repaired region"), p.Layer, p.FeatureIndex, p.FeatureID, p.What)
		}
	}
}

func regionText(index int, id, name string) string {
	s := featureLabel(id, "", index)
	if name != "" && name != id {
		s += " " + name
	}
	return s
}

func indicatorText(lang Lang, v float64, in analysis.Indicator) string {
	switch in.ShowUnit {
	case "ha":
		return FormatNumber(v/1e4, 0) + " " + tr(lang, "公顷", "ha")
	case "mu":
		return FormatNumber(v/analysis.MuM2, 0) + " " + tr(lang, "亩", "mu")
	}
	return FormatNumber(v, 2) + " %"
}

func meetsText(lang Lang, b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return tr(lang, "是", "yes")
	}
	return tr(lang, "否", "NO")
}
