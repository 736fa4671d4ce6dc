package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// PieceTypeText names a ledger piece type for people: 调入/调出.
func PieceTypeText(lang Lang, t string) string {
	switch t {
	case analysis.PieceAdded:
		return tr(lang, "调入", "added")
	case analysis.PieceRemoved:
		return tr(lang, "调出", "removed")
	}
	return t
}

// FeatureStatusText names a feature's status for people.
func FeatureStatusText(lang Lang, s string) string {
	switch s {
	case analysis.FeatureAdded:
		return tr(lang, "新增", "added")
	case analysis.FeatureRemoved:
		return tr(lang, "删除", "removed")
	case analysis.FeatureChanged:
		return tr(lang, "边界变化", "changed")
	case analysis.FeatureUnchanged:
		return tr(lang, "未变", "unchanged")
	}
	return s
}

// diffClassText names a land class of a diff piece: class "" is the land
// no land-use feature covers.
func diffClassText(lang Lang, c string) string { return classText(lang, c, "", c == "") }

func ha(m2 float64) string { return FormatNumber(m2/1e4, 4) }
func mu(m2 float64) string { return FormatNumber(m2/analysis.MuM2, 2) }

func sharePtr(p *float64) string {
	if p == nil {
		return ""
	}
	return FormatNumber(*p, 2)
}

func totalName(lang Lang, r *analysis.DiffResult) string {
	if len(r.Regions) == 0 {
		return tr(lang, "全部", "all")
	}
	return tr(lang, "合计（各区并集）", "total (union of regions)")
}

// WriteDiffTable writes the comparison as text: the inputs, the table per
// region with the total (公顷, 亩), the land-class tables, the features that
// changed, and whether the area fell.
func WriteDiffTable(w io.Writer, res *analysis.DiffResult, lang Lang) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", tr(lang, "生态保护红线调整对比（调入 / 调出 / 保留）", "Red-line adjustment: added / removed / kept"))
	for _, in := range []struct {
		label string
		d     analysis.DiffInput
	}{{tr(lang, "调整前", "old"), res.Old}, {tr(lang, "调整后", "new"), res.New}} {
		fmt.Fprintf(&b, "%s: %s, %d %s", in.label, in.d.Name, in.d.Features, tr(lang, "个要素", "features"))
		if in.d.CRS != "" {
			fmt.Fprintf(&b, ", %s", in.d.CRS)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	t := Table{Header: []string{"#", tr(lang, "编号", "id"), tr(lang, "名称", "name"), tr(lang, "区域(公顷)", "area ha"),
		tr(lang, "调整前(公顷)", "old ha"), tr(lang, "调整后(公顷)", "new ha"), tr(lang, "调入(公顷)", "added ha"),
		tr(lang, "调出(公顷)", "removed ha"), tr(lang, "保留(公顷)", "kept ha"), tr(lang, "净变化(公顷)", "net ha"),
		tr(lang, "净变化(亩)", "net mu"), tr(lang, "前占比%", "old %"), tr(lang, "后占比%", "new %")},
		Right: []bool{true, false, false, true, true, true, true, true, true, true, true, true, true}}
	row := func(no, id, name string, a analysis.DiffArea) {
		area := ""
		if a.AreaM2 > 0 {
			area = ha(a.AreaM2)
		}
		t.Add(no, id, name, area, ha(a.OldM2), ha(a.NewM2), ha(a.AddedM2), ha(a.RemovedM2), ha(a.KeptM2), ha(a.NetM2),
			mu(a.NetM2), sharePtr(a.OldSharePct), sharePtr(a.NewSharePct))
	}
	for i, g := range res.Regions {
		row(ordinal(i), g.ID, g.Name, g)
	}
	row("", "", totalName(lang, res), res.Total)
	t.Write(&b)
	if o := res.Outside; o.OldM2+o.NewM2 > 0 {
		fmt.Fprintf(&b, tr(lang, "区域以外：调整前 %s 公顷，调整后 %s 公顷（不计入合计）。\n", "Outside every region: old %s ha, new %s ha (not in the total).\n"),
			ha(o.OldM2), ha(o.NewM2))
	}
	if len(res.Classes) > 0 {
		for _, typ := range []string{analysis.PieceAdded, analysis.PieceRemoved} {
			fmt.Fprintf(&b, "\n%s %s (%s, %s)\n\n", PieceTypeText(lang, typ), tr(lang, "按地类", "by land class"), res.ClassField, tr(lang, "公顷", "ha"))
			classTable(res, typ, lang).Write(&b)
		}
	}
	writeFeatureChanges(&b, res, lang)
	fmt.Fprintf(&b, "\n%s: %d", tr(lang, "台账图斑", "ledger pieces"), res.Pieces)
	if s := res.Slivers; s.AddedCount+s.RemovedCount > 0 {
		fmt.Fprintf(&b, tr(lang, "；小于 %s m² 的碎片 %d 个（调入 %s m²，调出 %s m²）已计入面积，不列入台账",
			"; %[1]s m² slivers: %[2]d (added %[3]s m², removed %[4]s m²), counted in the areas, not in the ledger"),
			FormatNumber(res.MinAreaM2, 2), s.AddedCount+s.RemovedCount, FormatNumber(s.AddedM2, 2), FormatNumber(s.RemovedM2, 2))
	}
	b.WriteString("\n")
	if losses := res.Losses(true); len(losses) == 0 && len(res.Regions) == 0 {
		fmt.Fprintf(&b, "%s\n", tr(lang, "面积不减少：满足。", "No loss: met."))
	} else if len(losses) == 0 {
		fmt.Fprintf(&b, "%s\n", tr(lang, "面积不减少：满足（合计及各区均未减少）。", "No loss: met (neither the total nor any region shrinks)."))
	} else {
		fmt.Fprintf(&b, "%s\n", tr(lang, "面积减少：", "Area falls:"))
		for _, l := range losses {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	for _, n := range res.Repairs {
		fmt.Fprintf(&b, tr(lang, "无效要素：%s %s：%s（%s）\n", "invalid feature: %s %s: %s (%s)\n"), n.Layer,
			geo.Label("feature", n.FeatureIndex, n.FeatureID), ReasonText(lang, n.Reason), n.Action)
	}
	fmt.Fprintf(&b, "%s\n", tr(lang, "两版各自融合后比较（重叠要素只计一次）；面积为 CGCS2000 椭球面积；1 公顷 = 10 000 m²，1 亩 = 666.67 m²。",
		"Each version is dissolved first (overlapping features count once); areas are ellipsoidal on CGCS2000; 1 ha = 10 000 m², 1 mu = 666.67 m²."))
	_, err := io.WriteString(w, b.String())
	return err
}

// classTable is the region × class table of one piece type, in 公顷.
func classTable(res *analysis.DiffResult, typ string, lang Lang) *Table {
	classes := diffClasses(res)
	type key struct {
		region int
		class  string
	}
	values := map[key]float64{}
	for _, c := range res.Classes {
		v := c.RemovedM2
		if typ == analysis.PieceAdded {
			v = c.AddedM2
		}
		values[key{c.Region, c.Class}] = v
	}
	t := &Table{Header: []string{tr(lang, "区域", "region")}, Right: []bool{false}}
	for _, c := range classes {
		t.Header = append(t.Header, diffClassText(lang, c))
		t.Right = append(t.Right, true)
	}
	t.Header, t.Right = append(t.Header, tr(lang, "合计", "sum")), append(t.Right, true)
	for _, r := range diffClassRows(res) {
		name := totalName(lang, res)
		if r >= 0 {
			name = regionText(r, res.Regions[r].ID, res.Regions[r].Name)
		}
		cells := []string{name}
		var sum float64
		for _, c := range classes {
			v := values[key{r, c}]
			sum += v
			cells = append(cells, ha(v))
		}
		t.Add(append(cells, ha(sum))...)
	}
	return t
}

func diffClasses(res *analysis.DiffResult) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range res.Classes {
		if !seen[c.Class] {
			seen[c.Class] = true
			out = append(out, c.Class)
		}
	}
	sort.Strings(out)
	return out
}

// diffClassRows lists the regions with class rows, then −1 for the total.
func diffClassRows(res *analysis.DiffResult) []int {
	seen := map[int]bool{}
	var out []int
	for _, c := range res.Classes {
		if c.Region >= 0 && !seen[c.Region] {
			seen[c.Region] = true
			out = append(out, c.Region)
		}
	}
	sort.Ints(out)
	return append(out, -1)
}

// writeFeatureChanges counts the features by status and lists those that
// are not unchanged.
func writeFeatureChanges(b *strings.Builder, res *analysis.DiffResult, lang Lang) {
	counts := map[string]int{}
	t := Table{Header: []string{tr(lang, "编号", "id"), tr(lang, "状态", "status"), tr(lang, "调整前要素", "old #"), tr(lang, "调整后要素", "new #"),
		tr(lang, "调整前(公顷)", "old ha"), tr(lang, "调整后(公顷)", "new ha"), tr(lang, "调入(公顷)", "added ha"), tr(lang, "调出(公顷)", "removed ha")},
		Right: []bool{false, false, false, false, true, true, true, true}}
	for _, f := range res.Features {
		counts[f.Status]++
		if f.Status == analysis.FeatureUnchanged {
			continue
		}
		t.Add(f.ID, FeatureStatusText(lang, f.Status), indexList(f.OldIndex), indexList(f.NewIndex), ha(f.OldM2), ha(f.NewM2), ha(f.AddedM2), ha(f.RemovedM2))
	}
	fmt.Fprintf(b, "\n%s:", tr(lang, "要素对比（按编号）", "Features (matched by id)"))
	for _, s := range []string{analysis.FeatureAdded, analysis.FeatureRemoved, analysis.FeatureChanged, analysis.FeatureUnchanged} {
		fmt.Fprintf(b, " %s %d", FeatureStatusText(lang, s), counts[s])
	}
	b.WriteString("\n")
	if len(t.Rows) > 0 {
		b.WriteString("\n")
		t.Write(b)
	}
}

// indexList shows 0-based feature positions as people count them (from 1).
func indexList(idx []int) string {
	s := make([]string, len(idx))
	for k, i := range idx {
		s[k] = ordinal(i)
	}
	return strings.Join(s, ",")
}

// DiffCSVHeader is the column list of the diff CSV.
var DiffCSVHeader = []string{"region_index", "region_id", "region_name", "area_m2", "old_m2", "new_m2", "added_m2", "removed_m2",
	"kept_m2", "net_m2", "old_share_pct", "new_share_pct"}

// WriteDiffCSV writes one row per region and a last row for the total
// (region_index −1), UTF-8 with a BOM (for Excel), numbers at full precision.
func WriteDiffCSV(w io.Writer, res *analysis.DiffResult) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(DiffCSVHeader)
	opt := func(p *float64) string {
		if p == nil {
			return ""
		}
		return full(*p)
	}
	for _, g := range append(append([]analysis.DiffArea{}, res.Regions...), res.Total) {
		cw.Write([]string{strconv.Itoa(g.Index), g.ID, g.Name, full(g.AreaM2), full(g.OldM2), full(g.NewM2), full(g.AddedM2),
			full(g.RemovedM2), full(g.KeptM2), full(g.NetM2), opt(g.OldSharePct), opt(g.NewSharePct)})
	}
	cw.Flush()
	return cw.Error()
}

// DiffPieceFields are the properties of each piece written by -o.
var DiffPieceFields = []string{"number", "type", "type_zh", "area_m2", "area_ha", "area_mu", "region_id", "region",
	"class", "lon", "lat", "old_ids", "new_ids"}

// DiffPieces returns the ledger pieces with the ledger's fields as
// properties, for GeoJSON, Shapefile or KML output.
func DiffPieces(res *analysis.DiffResult) ([]string, []geo.Record) {
	out := make([]geo.Record, 0, len(res.Ledger))
	for _, p := range res.Ledger {
		out = append(out, geo.Record{Geom: p.Geom, Props: map[string]any{
			"number": int64(p.Number), "type": p.Type, "type_zh": PieceTypeText(ZH, p.Type), "area_m2": p.AreaM2,
			"area_ha": p.AreaM2 / 1e4, "area_mu": p.AreaM2 / analysis.MuM2, "region_id": p.RegionID, "region": p.RegionName,
			"class": p.Class, "lon": p.Lon, "lat": p.Lat, "old_ids": strings.Join(p.OldIDs, ";"), "new_ids": strings.Join(p.NewIDs, ";")}})
	}
	return DiffPieceFields, out
}
