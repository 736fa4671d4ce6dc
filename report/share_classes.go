package report

import (
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/analysis"
)

// classFills colour the classes of a stacked bar chart, by rank of their
// total area; classes past the last share classOtherFill.
var classFills = []string{"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
	"#1f78b4", "#b2df8a", "#fb9a99"}

const classOtherFill = "#bdbdbd"

// shareByClass tells whether a share result has a breakdown by class.
func shareByClass(r *analysis.ShareResult) bool { return r.By != "" }

// writeShareClasses adds the region × class table of a result with --by.
func writeShareClasses(b *strings.Builder, r *analysis.ShareResult, lang Lang) {
	if !shareByClass(r) {
		return
	}
	t := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "id"), tr(lang, "名称", "name"), tr(lang, "类别", "class"),
		tr(lang, "面积(公顷)", "area (ha)"), tr(lang, "亩", "mu"), tr(lang, "占区域%", "% of region"), tr(lang, "占覆盖%", "% of covered")},
		Right: []bool{true, false, false, false, true, true, true, true}}
	for _, g := range r.Regions {
		for _, c := range g.Classes {
			t.Add(ordinal(g.Index), g.ID, g.Name, classText(lang, c.Value, c.Code, false), FormatNumber(c.CoveredM2/1e4, 4),
				FormatNumber(c.CoveredM2/analysis.MuM2, 2), FormatNumber(c.SharePct, 2), FormatNumber(c.OfCovered, 2))
		}
	}
	name := tr(lang, "合计", "total")
	for _, c := range r.Total.Classes {
		t.Add("", "", name, classText(lang, c.Value, c.Code, false), FormatNumber(c.CoveredM2/1e4, 4),
			FormatNumber(c.CoveredM2/analysis.MuM2, 2), FormatNumber(c.SharePct, 2), FormatNumber(c.OfCovered, 2))
	}
	fmt.Fprintf(b, "\n%s %s %s\n\n", tr(lang, "按类别", "By class of"), r.By, tr(lang, "（各类要素溶解后计算）", "(features of a class dissolved)"))
	t.Write(b)
	for _, w := range ShareWarnings(lang, r) {
		fmt.Fprintf(b, "%s%s\n", tr(lang, "注意：", "Note: "), w.Msg)
	}
}

// shareClassCSVHeader is added to the share CSV when a result has a
// breakdown by class: class rows carry the region, the class's covered area
// and share, and these columns.
var shareClassCSVHeader = []string{"class_field", "class_value", "class_code", "of_covered_pct"}

func writeShareClassRows(cw *csv.Writer, r *analysis.ShareResult, lang Lang) {
	if !shareByClass(r) {
		return
	}
	for _, g := range r.Regions {
		for _, c := range g.Classes {
			cw.Write([]string{r.Layer, strconv.Itoa(g.Index), g.ID, g.Name, full(g.AreaM2), full(c.CoveredM2), full(c.CoveredM2 / 1e4),
				full(c.CoveredM2 / analysis.MuM2), full(c.SharePct), "", "", r.By, c.Value, c.Code, full(c.OfCovered)})
		}
	}
	t := r.Total
	for _, c := range t.Classes {
		cw.Write([]string{r.Layer, "", "total", tr(lang, "合计", "total"), full(t.AreaM2), full(c.CoveredM2), full(c.CoveredM2 / 1e4),
			full(c.CoveredM2 / analysis.MuM2), full(c.SharePct), "", "", r.By, c.Value, c.Code, full(c.OfCovered)})
	}
}

// shareClassSheet is the xlsx sheet of the region × class table (nil
// without --by).
func shareClassSheet(rep Share, lang Lang) *xlsxSheet {
	some := false
	for _, r := range rep.Results {
		some = some || shareByClass(r)
	}
	if !some {
		return nil
	}
	return &xlsxSheet{Name: tr(lang, "按类别", "by class"), Cols: []xlsxCol{{tr(lang, "图层", "layer"), 14, fmtText},
		{tr(lang, "字段", "field"), 10, fmtText}, {tr(lang, "序号", "region #"), 8, fmtInt}, {tr(lang, "编号", "region id"), 14, fmtText},
		{tr(lang, "名称", "region name"), 18, fmtText}, {tr(lang, "类别", "class"), 18, fmtText}, {tr(lang, "编码", "code"), 8, fmtText},
		{tr(lang, "面积 m²", "area m²"), 18, fmtM2}, {tr(lang, "面积 公顷", "area ha"), 14, fmtHa}, {tr(lang, "面积 亩", "area mu"), 14, fmtM2},
		{tr(lang, "占区域 %", "% of region"), 10, fmtPct}, {tr(lang, "占覆盖 %", "% of covered"), 10, fmtPct}},
		Rows: func(add func(...any) error) error {
			for _, r := range rep.Results {
				if !shareByClass(r) {
					continue
				}
				for _, g := range r.Regions {
					for _, c := range g.Classes {
						if err := add(r.Layer, r.By, g.Index+1, g.ID, g.Name, classText(lang, c.Value, "", false), c.Code, c.CoveredM2,
							c.CoveredM2/1e4, c.CoveredM2/analysis.MuM2, c.SharePct, c.OfCovered); err != nil {
							return err
						}
					}
				}
				for _, c := range r.Total.Classes {
					if err := add(r.Layer, r.By, nil, "total", tr(lang, "合计", "total"), classText(lang, c.Value, "", false), c.Code,
						c.CoveredM2, c.CoveredM2/1e4, c.CoveredM2/analysis.MuM2, c.SharePct, c.OfCovered); err != nil {
						return err
					}
				}
			}
			return nil
		}}
}

// barSeg is one class's part of a stacked bar.
type barSeg struct {
	X, W  float64
	Fill  string
	Title string
}

// stackBars splits each bar of a chart by class: the segments of a region
// are its classes' shares of the region, in the order of the classes'
// totals, so that a class keeps its colour in every bar. It returns the
// legend.
func stackBars(lang Lang, c *barChart, r *analysis.ShareResult, x func(float64) float64) []legendEntry {
	fill := map[string]string{} // the first classes by total area get a colour

	var legend []legendEntry
	for k, cl := range r.Total.Classes {
		key := cl.Value + "\x00" + cl.Code
		if k < len(classFills) {
			fill[key] = classFills[k]
			legend = append(legend, legendEntry{Label: classText(lang, cl.Value, cl.Code, false), Fill: classFills[k], Stroke: classFills[k]})
		}
	}
	if len(r.Total.Classes) > len(classFills) {
		legend = append(legend, legendEntry{Label: tr(lang, "其他类别", "other classes"), Fill: classOtherFill, Stroke: classOtherFill})
	}
	rows := make([][]analysis.ClassShare, 0, len(r.Regions)+1)
	for _, g := range r.Regions {
		rows = append(rows, g.Classes)
	}
	rows = append(rows, r.Total.Classes)
	rank := map[string]int{}
	for k, cl := range r.Total.Classes {
		rank[cl.Value+"\x00"+cl.Code] = k
	}
	for i := range c.Bars {
		if i >= len(rows) {
			break
		}
		ordered := append([]analysis.ClassShare(nil), rows[i]...)
		pos := func(cl analysis.ClassShare) int {
			if k, ok := rank[cl.Value+"\x00"+cl.Code]; ok {
				return k
			}
			return len(rank)
		}
		sort.SliceStable(ordered, func(a, b int) bool { return pos(ordered[a]) < pos(ordered[b]) })
		at, other := 0.0, 0.0
		for _, cl := range ordered {
			if pos(cl) >= len(classFills) {
				other += cl.SharePct // one grey segment for the rest
				continue
			}
			x0, x1 := x(at), x(at+cl.SharePct)
			c.Bars[i].Segs = append(c.Bars[i].Segs, barSeg{X: x0, W: x1 - x0, Fill: fill[cl.Value+"\x00"+cl.Code],
				Title: classText(lang, cl.Value, cl.Code, false) + " " + FormatNumber(cl.SharePct, 2) + " %"})
			at += cl.SharePct
		}
		if other > 0 {
			c.Bars[i].Segs = append(c.Bars[i].Segs, barSeg{X: x(at), W: x(at+other) - x(at), Fill: classOtherFill,
				Title: tr(lang, "其他类别", "other classes") + " " + FormatNumber(other, 2) + " %"})
		}
	}
	return legend
}
