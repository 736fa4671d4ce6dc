package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/redline-gis/redline/analysis"
)

// Number formats of xlsx columns; numbers are stored as numbers, exactly
// as in the JSON output, and only shown with these formats.
const (
	fmtText  = ""
	fmtInt   = "0"
	fmtM2    = "#,##0.00"
	fmtHa    = "#,##0.0000"
	fmtPct   = "0.00" // the value is a per cent (0–100), as in JSON; the header says %
	fmtM     = "#,##0.0"
	fmtShare = "0.00%"
)

// xlsxCol is one column of a sheet.
type xlsxCol struct {
	Header string
	Width  float64
	Fmt    string
}

// xlsxSheet is one sheet: its columns and a function that yields its rows.
type xlsxSheet struct {
	Name string
	Cols []xlsxCol
	Rows func(add func(row ...any) error) error
}

// writeXLSX writes sheets as an xlsx workbook with bold frozen header rows.
func writeXLSX(w io.Writer, sheets []xlsxSheet) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("report: xlsx: %w", cerr)
		}
	}()
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEE8"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "888888", Style: 1}}})
	if err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	styles := map[string]int{}
	styleFor := func(numFmt string) (int, error) {
		if numFmt == fmtText {
			return 0, nil
		}
		if id, ok := styles[numFmt]; ok {
			return id, nil
		}
		nf := numFmt
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &nf})
		styles[numFmt] = id
		return id, err
	}
	for si, sh := range sheets {
		if si == 0 {
			err = f.SetSheetName("Sheet1", sh.Name)
		} else {
			_, err = f.NewSheet(sh.Name)
		}
		if err != nil {
			return fmt.Errorf("report: xlsx: sheet %s: %w", sh.Name, err)
		}
		sw, err := f.NewStreamWriter(sh.Name)
		if err != nil {
			return fmt.Errorf("report: xlsx: sheet %s: %w", sh.Name, err)
		}
		ids := make([]int, len(sh.Cols))
		header := make([]any, len(sh.Cols))
		for i, c := range sh.Cols {
			if ids[i], err = styleFor(c.Fmt); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return fmt.Errorf("report: xlsx: %w", err)
			}
			header[i] = excelize.Cell{StyleID: head, Value: c.Header}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("report: xlsx: %w", err)
		}
		if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
			return fmt.Errorf("report: xlsx: %w", err)
		}
		row := 1
		add := func(vals ...any) error {
			row++
			cells := make([]any, len(vals))
			for i, v := range vals {
				if i < len(ids) && ids[i] != 0 && v != nil {
					v = excelize.Cell{StyleID: ids[i], Value: v}
				}
				cells[i] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			return sw.SetRow(cell, cells)
		}
		if err := sh.Rows(add); err != nil {
			return fmt.Errorf("report: xlsx: sheet %s: %w", sh.Name, err)
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("report: xlsx: sheet %s: %w", sh.Name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	return nil
}

// ScreenXLSXSheets names the sheets of the screening workbook per language.
func ScreenXLSXSheets(lang Lang) (summary, conflicts, nearby string) {
	return tr(lang, "汇总", "summary"), tr(lang, "冲突明细", "conflicts"), tr(lang, "邻近要素", "nearby")
}

// WriteScreenXLSX writes the screening result as an Excel workbook with
// three sheets: summary (one row per site, with each layer's dissolved
// overlap), conflicts (one row per site × feature) and nearby. Numbers are
// the JSON output's (m², m, per cent 0–100), stored as numbers.
func WriteScreenXLSX(w io.Writer, res *analysis.ScreenResult, lang Lang) error {
	sum, conf, near := ScreenXLSXSheets(lang)
	site := []xlsxCol{{tr(lang, "序号", "site #"), 7, fmtInt}, {tr(lang, "地块编号", "site id"), 14, fmtText}}
	summary := xlsxSheet{Name: sum, Cols: append(site[:2:2],
		xlsxCol{tr(lang, "名称", "name"), 22, fmtText}, xlsxCol{tr(lang, "项目类型", "project type"), 14, fmtText},
		xlsxCol{tr(lang, "几何类型", "geometry"), 12, fmtText}, xlsxCol{tr(lang, "面积 m²", "area m²"), 14, fmtM2},
		xlsxCol{tr(lang, "面积 公顷", "area ha"), 12, fmtHa}, xlsxCol{tr(lang, "面积 亩", "area mu"), 12, fmtM2},
		xlsxCol{tr(lang, "长度 m", "length m"), 12, fmtM}, xlsxCol{tr(lang, "结论", "verdict"), 10, fmtText},
		xlsxCol{tr(lang, "冲突数", "conflicts"), 8, fmtInt}, xlsxCol{tr(lang, "邻近数", "nearby"), 8, fmtInt})}
	for _, l := range res.Layers {
		summary.Cols = append(summary.Cols, xlsxCol{l.Name + tr(lang, " 重叠 m²", " overlap m²"), 16, fmtM2},
			xlsxCol{l.Name + tr(lang, " 占比 %", " %"), 11, fmtPct}, xlsxCol{l.Name + tr(lang, " 线内长度 m", " length inside m"), 14, fmtM})
	}
	summary.Rows = func(add func(...any) error) error {
		for _, s := range res.Sites {
			row := []any{s.Index + 1, s.ID, s.Name, s.ProjectType, s.GeometryType, s.AreaM2, s.AreaM2 / 1e4, s.AreaM2 / analysis.MuM2, s.LengthM,
				VerdictText(lang, s.Verdict.String()), len(s.Conflicts), len(s.Nearby)}
			for _, ref := range res.Layers {
				var lo analysis.LayerOverlap
				for _, l := range s.Layers {
					if l.Layer == ref.Name {
						lo = l
					}
				}
				row = append(row, lo.OverlapM2, lo.OverlapPct, lo.LengthInsideM)
			}
			if err := add(row...); err != nil {
				return err
			}
		}
		return nil
	}
	feat := []xlsxCol{{tr(lang, "图层", "layer"), 12, fmtText}, {tr(lang, "类别", "kind"), 10, fmtText},
		{tr(lang, "要素序号", "feature #"), 9, fmtInt}, {tr(lang, "要素编号", "feature id"), 14, fmtText},
		{tr(lang, "要素名称", "feature name"), 22, fmtText}, {tr(lang, "分区", "zone"), 10, fmtText}}
	rule := []xlsxCol{{tr(lang, "结论", "verdict"), 10, fmtText}, {tr(lang, "规则编号", "rule id"), 14, fmtText},
		{tr(lang, "规则", "rule"), 40, fmtText}, {tr(lang, "依据", "legal basis"), 40, fmtText}}
	conflicts := xlsxSheet{Name: conf, Cols: concatCols(site, feat, []xlsxCol{{tr(lang, "重叠 m²", "overlap m²"), 14, fmtM2},
		{tr(lang, "重叠 公顷", "overlap ha"), 12, fmtHa}, {tr(lang, "重叠 亩", "overlap mu"), 12, fmtM2},
		{tr(lang, "占地块 %", "% of site"), 10, fmtPct}, {tr(lang, "线内长度 m", "length inside m"), 12, fmtM}}, rule)}
	conflicts.Rows = func(add func(...any) error) error {
		for _, s := range res.Sites {
			for _, c := range s.Conflicts {
				if err := add(s.Index+1, s.ID, c.Layer, c.Kind, c.FeatureIndex, c.FeatureID, c.FeatureName, zoneTextKind(lang, c.Kind, c.Zone),
					c.OverlapM2, c.OverlapM2/1e4, c.OverlapM2/analysis.MuM2, c.OverlapPct, c.LengthInsideM,
					VerdictText(lang, c.Verdict.String()), c.RuleID, pick(lang, c.Rule, c.RuleEN), pick(lang, c.Basis, c.BasisEN)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	nearby := xlsxSheet{Name: near, Cols: concatCols(site, feat, []xlsxCol{{tr(lang, "距离 m", "distance m"), 12, fmtM},
		{tr(lang, "相接", "touching"), 8, fmtText}}, rule)}
	nearby.Rows = func(add func(...any) error) error {
		for _, s := range res.Sites {
			for _, n := range s.Nearby {
				v := ""
				if n.RuleID != "" {
					v = VerdictText(lang, n.Verdict.String())
				}
				if err := add(s.Index+1, s.ID, n.Layer, n.Kind, n.FeatureIndex, n.FeatureID, n.FeatureName, zoneTextKind(lang, n.Kind, n.Zone),
					n.DistanceM, n.Touching, v, n.RuleID, pick(lang, n.Rule, n.RuleEN), pick(lang, n.Basis, n.BasisEN)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return writeXLSX(w, append([]xlsxSheet{summary, conflicts, nearby}, screenClassSheets(res, lang)...))
}

func concatCols(parts ...[]xlsxCol) []xlsxCol {
	var out []xlsxCol
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ShareXLSXSheets names the sheets of the share workbook per language.
func ShareXLSXSheets(lang Lang) (shares, scorecard string) {
	return tr(lang, "面积占比", "shares"), tr(lang, "规划指标", "scorecard")
}

// WriteShareXLSX writes the share report as an Excel workbook: one row per
// layer × region and a total row per layer (region # empty), numbers as in
// the JSON output (m², per cent 0–100); and the scorecard, if any.
func WriteShareXLSX(w io.Writer, rep Share, lang Lang) error {
	name, score := ShareXLSXSheets(lang)
	yesNo := func(b *bool) any {
		if b == nil {
			return nil
		}
		return *b
	}
	shares := xlsxSheet{Name: name, Cols: []xlsxCol{{tr(lang, "图层", "layer"), 14, fmtText}, {tr(lang, "序号", "region #"), 8, fmtInt},
		{tr(lang, "编号", "region id"), 14, fmtText}, {tr(lang, "名称", "region name"), 18, fmtText},
		{tr(lang, "区域面积 m²", "region area m²"), 18, fmtM2}, {tr(lang, "覆盖面积 m²", "covered m²"), 18, fmtM2},
		{tr(lang, "覆盖 公顷", "covered ha"), 14, fmtHa}, {tr(lang, "覆盖 亩", "covered mu"), 14, fmtM2},
		{tr(lang, "占比 %", "share %"), 10, fmtPct}, {tr(lang, "目标", "target"), 12, fmtText}, {tr(lang, "达标", "meets target"), 10, fmtText}}}
	shares.Rows = func(add func(...any) error) error {
		for _, r := range rep.Results {
			for _, g := range r.Regions {
				if err := add(r.Layer, g.Index+1, g.ID, g.Name, g.AreaM2, g.CoveredM2, g.CoveredM2/1e4, g.CoveredM2/analysis.MuM2, g.SharePct,
					r.Target, yesNo(g.MeetsTarget)); err != nil {
					return err
				}
			}
			t := r.Total
			if err := add(r.Layer, nil, "total", tr(lang, "合计", "total"), t.AreaM2, t.CoveredM2, t.CoveredM2/1e4, t.CoveredM2/analysis.MuM2,
				t.SharePct, r.Target, yesNo(t.MeetsTarget)); err != nil {
				return err
			}
		}
		return nil
	}
	sheets := []xlsxSheet{shares}
	if cs := shareClassSheet(rep, lang); cs != nil {
		sheets = append(sheets, *cs)
	}
	if sc := rep.Scorecard; sc != nil {
		sheets = append(sheets, xlsxSheet{Name: score, Cols: []xlsxCol{{tr(lang, "指标编号", "id"), 18, fmtText},
			{tr(lang, "指标", "indicator"), 30, fmtText}, {tr(lang, "单位", "unit"), 8, fmtText}, {tr(lang, "数值", "value"), 16, fmtM2},
			{tr(lang, "目标", "target"), 16, fmtM2}, {tr(lang, "达标", "meets target"), 10, fmtText}, {tr(lang, "说明", "note"), 40, fmtText}},
			Rows: func(add func(...any) error) error {
				for _, in := range sc.Indicators {
					var v any
					if in.Value != nil {
						v = *in.Value
					}
					if err := add(in.ID, pick(lang, in.Name, in.NameEN), in.Unit, v, in.Target, yesNo(in.MeetsTarget), in.Note); err != nil {
						return err
					}
				}
				return nil
			}})
	}
	return writeXLSX(w, sheets)
}

// OverlapsXLSXSheets names the sheets of the overlaps workbook per language.
func OverlapsXLSXSheets(lang Lang) (pairs, byLayers string) {
	return tr(lang, "重叠明细", "pairs"), tr(lang, "按图层汇总", "by layers")
}

// WriteOverlapsXLSX writes the overlaps as an Excel workbook: one row per
// overlapping pair, and the sums per pair of layers; numbers as in the JSON
// output (m², per cent 0–100).
func WriteOverlapsXLSX(w io.Writer, res *analysis.OverlapResult, lang Lang) error {
	name, byName := OverlapsXLSXSheets(lang)
	side := func(s string) []xlsxCol {
		return []xlsxCol{{s + tr(lang, " 图层", " layer"), 12, fmtText}, {s + tr(lang, " 序号", " #"), 8, fmtInt},
			{s + tr(lang, " 编号", " id"), 14, fmtText}, {s + tr(lang, " 名称", " name"), 20, fmtText}, {s + tr(lang, " 分区", " zone"), 10, fmtText}}
	}
	pairs := xlsxSheet{Name: name, Cols: concatCols(side("A"), side("B"), []xlsxCol{{tr(lang, "重叠 m²", "overlap m²"), 16, fmtM2},
		{tr(lang, "重叠 公顷", "overlap ha"), 12, fmtHa}, {tr(lang, "重叠 亩", "overlap mu"), 12, fmtM2},
		{tr(lang, "占 A %", "% of A"), 9, fmtPct}, {tr(lang, "占 B %", "% of B"), 9, fmtPct},
		{tr(lang, "A 面积 m²", "A area m²"), 16, fmtM2}, {tr(lang, "B 面积 m²", "B area m²"), 16, fmtM2}})}
	pairs.Rows = func(add func(...any) error) error {
		for _, p := range res.Pairs {
			if err := add(p.ALayer, p.AIndex, p.AID, p.AName, zoneText(lang, p.AZone), p.BLayer, p.BIndex, p.BID, p.BName, zoneText(lang, p.BZone),
				p.OverlapM2, p.OverlapM2/1e4, p.OverlapM2/analysis.MuM2, p.APct, p.BPct, p.AAreaM2, p.BAreaM2); err != nil {
				return err
			}
		}
		return nil
	}
	by := xlsxSheet{Name: byName, Cols: []xlsxCol{{tr(lang, "图层 A", "layer A"), 14, fmtText}, {tr(lang, "图层 B", "layer B"), 14, fmtText},
		{tr(lang, "重叠对数", "pairs"), 10, fmtInt}, {tr(lang, "重叠合计 m²", "overlap sum m²"), 18, fmtM2},
		{tr(lang, "重叠合计 公顷", "overlap sum ha"), 16, fmtHa}}}
	by.Rows = func(add func(...any) error) error {
		for _, c := range res.Summary.ByLayers {
			if err := add(c.ALayer, c.BLayer, c.Pairs, c.SumM2, c.SumM2/1e4); err != nil {
				return err
			}
		}
		return nil
	}
	return writeXLSX(w, []xlsxSheet{pairs, by})
}
