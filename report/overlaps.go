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

// WriteOverlapsTable writes the overlapping pairs as a text table, then the
// counts per pair of layers and the totals.
func WriteOverlapsTable(w io.Writer, res *analysis.OverlapResult, lang Lang) error {
	t := Table{Header: []string{tr(lang, "图层A", "layer A"), tr(lang, "要素A", "feature A"), tr(lang, "分区A", "zone A"),
		tr(lang, "图层B", "layer B"), tr(lang, "要素B", "feature B"), tr(lang, "分区B", "zone B"),
		tr(lang, "重叠(m²)", "overlap m²"), tr(lang, "公顷", "ha"), tr(lang, "亩", "mu"), tr(lang, "占A%", "% of A"), tr(lang, "占B%", "% of B")},
		Right: []bool{false, false, false, false, false, false, true, true, true, true, true}}
	for _, p := range res.Pairs {
		t.Add(p.ALayer, "#"+strconv.Itoa(p.AIndex)+" "+featureLabel(p.AID, p.AName, p.AIndex), zoneText(lang, p.AZone),
			p.BLayer, "#"+strconv.Itoa(p.BIndex)+" "+featureLabel(p.BID, p.BName, p.BIndex), zoneText(lang, p.BZone),
			FormatNumber(p.OverlapM2, 2), FormatNumber(p.OverlapM2/1e4, 4), FormatNumber(p.OverlapM2/analysis.MuM2, 2),
			FormatNumber(p.APct, 2), FormatNumber(p.BPct, 2))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", tr(lang, "要素交叉重叠", "Overlapping features"))
	if len(t.Rows) == 0 {
		fmt.Fprintf(&b, "%s\n", tr(lang, "没有重叠的要素。", "No features overlap."))
	} else {
		t.Write(&b)
	}
	if len(res.Summary.ByLayers) > 0 {
		by := Table{Header: []string{tr(lang, "图层A", "layer A"), tr(lang, "图层B", "layer B"), tr(lang, "对数", "pairs"),
			tr(lang, "重叠合计(m²)", "overlap sum m²"), tr(lang, "公顷", "ha")}, Right: []bool{false, false, true, true, true}}
		for _, c := range res.Summary.ByLayers {
			by.Add(c.ALayer, c.BLayer, strconv.Itoa(c.Pairs), FormatNumber(c.SumM2, 2), FormatNumber(c.SumM2/1e4, 4))
		}
		fmt.Fprintf(&b, "\n%s\n\n", tr(lang, "按图层统计", "Per pair of layers"))
		by.Write(&b)
	}
	s := res.Summary
	fmt.Fprintf(&b, "\n%s: %d", tr(lang, "重叠对数", "pairs"), s.Pairs)
	if res.Touching {
		fmt.Fprintf(&b, tr(lang, "（其中仅相接 %d）", " (touching only: %d)"), s.Touching)
	}
	fmt.Fprintf(&b, "  %s: %d\n", tr(lang, "涉及要素", "features involved"), s.Features)
	fmt.Fprintf(&b, "%s: %s m² = %s %s = %s %s\n", tr(lang, "重叠总面积（融合后，不重复计算）", "total overlapped area (dissolved, counted once)"),
		FormatNumber(s.OverlapM2, 2), FormatNumber(s.OverlapM2/1e4, 4), tr(lang, "公顷", "ha"), FormatNumber(s.OverlapM2/analysis.MuM2, 2), tr(lang, "亩", "mu"))
	if res.MinAreaM2 > 0 {
		fmt.Fprintf(&b, tr(lang, "已忽略小于 %s m² 的重叠。\n", "Overlaps under %s m² are left out.\n"), FormatNumber(res.MinAreaM2, 2))
	}
	if s.NonPolygons > 0 {
		fmt.Fprintf(&b, tr(lang, "跳过 %d 个点/线要素。\n", "Skipped %d point/line features.\n"), s.NonPolygons)
	}
	fmt.Fprintf(&b, "%s\n", tr(lang, "面积为 CGCS2000 椭球面积；1 公顷 = 10 000 m²，1 亩 = 666.67 m²。",
		"Areas are ellipsoidal on CGCS2000; 1 ha = 10 000 m², 1 mu = 666.67 m²."))
	_, err := io.WriteString(w, b.String())
	return err
}

// OverlapsCSVHeader is the column list of the overlaps CSV.
var OverlapsCSVHeader = []string{"a_layer", "a_index", "a_id", "a_name", "a_zone", "b_layer", "b_index", "b_id", "b_name", "b_zone",
	"overlap_m2", "overlap_ha", "overlap_mu", "a_pct", "b_pct", "a_area_m2", "b_area_m2"}

// WriteOverlapsCSV writes one row per pair, UTF-8 with a BOM (for Excel).
// Numbers are at full precision.
func WriteOverlapsCSV(w io.Writer, res *analysis.OverlapResult) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(OverlapsCSVHeader)
	for _, p := range res.Pairs {
		cw.Write([]string{p.ALayer, strconv.Itoa(p.AIndex), p.AID, p.AName, p.AZone, p.BLayer, strconv.Itoa(p.BIndex), p.BID, p.BName, p.BZone,
			full(p.OverlapM2), full(p.OverlapM2 / 1e4), full(p.OverlapM2 / analysis.MuM2), full(p.APct), full(p.BPct), full(p.AAreaM2), full(p.BAreaM2)})
	}
	cw.Flush()
	return cw.Error()
}

// OverlapPieces returns each pair's overlap geometry with the pair's fields
// as properties, for GeoJSON, Shapefile or KML output. The result must have
// been computed with OverlapOptions.Pieces.
func OverlapPieces(res *analysis.OverlapResult) ([]string, []geo.Record) {
	fields := []string{"a_layer", "a_index", "a_id", "a_name", "a_zone", "b_layer", "b_index", "b_id", "b_name", "b_zone",
		"overlap_m2", "a_pct", "b_pct"}
	out := make([]geo.Record, 0, len(res.Pairs))
	for _, p := range res.Pairs {
		out = append(out, geo.Record{Geom: p.Piece.Orb(), Props: map[string]any{
			"a_layer": p.ALayer, "a_index": p.AIndex, "a_id": p.AID, "a_name": p.AName, "a_zone": p.AZone,
			"b_layer": p.BLayer, "b_index": p.BIndex, "b_id": p.BID, "b_name": p.BName, "b_zone": p.BZone,
			"overlap_m2": p.OverlapM2, "a_pct": p.APct, "b_pct": p.BPct}})
	}
	return fields, out
}
