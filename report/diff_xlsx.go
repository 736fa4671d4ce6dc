package report

import (
	"io"
	"strings"

	"github.com/redline-gis/redline/analysis"
)

// DiffXLSXSheets names the sheets of the diff workbook per language.
func DiffXLSXSheets(lang Lang) (ledger, regions, features, classes string) {
	return tr(lang, "台账", "ledger"), tr(lang, "分区统计", "regions"), tr(lang, "要素对比", "features"), tr(lang, "地类", "land classes")
}

// WriteDiffXLSX writes the ledger (台账) workbook: one row per piece (number,
// type, area in m²/公顷/亩, region, land class, centroid, the OLD/NEW feature
// ids it came from), the per-region sheet with the total, the per-feature
// sheet and, with land classes, the region × class sheet. Numbers are stored
// as numbers, as in the JSON output.
func WriteDiffXLSX(w io.Writer, res *analysis.DiffResult, lang Lang) error {
	ledgerName, regionsName, featuresName, classesName := DiffXLSXSheets(lang)
	ledger := xlsxSheet{Name: ledgerName, Cols: []xlsxCol{{tr(lang, "序号", "no."), 7, fmtInt}, {tr(lang, "类型", "type"), 8, fmtText},
		{tr(lang, "面积 m²", "area m²"), 16, fmtM2}, {tr(lang, "面积 公顷", "area ha"), 12, fmtHa}, {tr(lang, "面积 亩", "area mu"), 12, fmtM2},
		{tr(lang, "区域编号", "region id"), 12, fmtText}, {tr(lang, "区域名称", "region"), 16, fmtText},
		{tr(lang, "地类", "land class"), 12, fmtText}, {tr(lang, "中心经度", "centroid lon"), 13, "0.000000"},
		{tr(lang, "中心纬度", "centroid lat"), 13, "0.000000"}, {tr(lang, "调整前要素编号", "OLD feature ids"), 20, fmtText},
		{tr(lang, "调整后要素编号", "NEW feature ids"), 20, fmtText}}}
	ledger.Rows = func(add func(...any) error) error {
		for _, p := range res.Ledger {
			class := p.Class
			if res.ClassField != "" {
				class = diffClassText(lang, p.Class)
			}
			if err := add(p.Number, PieceTypeText(lang, p.Type), p.AreaM2, p.AreaM2/1e4, p.AreaM2/analysis.MuM2, p.RegionID, p.RegionName,
				class, p.Lon, p.Lat, strings.Join(p.OldIDs, ";"), strings.Join(p.NewIDs, ";")); err != nil {
				return err
			}
		}
		return nil
	}
	regions := xlsxSheet{Name: regionsName, Cols: []xlsxCol{{"#", 6, fmtText}, {tr(lang, "编号", "id"), 12, fmtText},
		{tr(lang, "名称", "name"), 18, fmtText}, {tr(lang, "区域面积 m²", "area m²"), 18, fmtM2},
		{tr(lang, "调整前 m²", "old m²"), 18, fmtM2}, {tr(lang, "调整后 m²", "new m²"), 18, fmtM2},
		{tr(lang, "调入 m²", "added m²"), 16, fmtM2}, {tr(lang, "调出 m²", "removed m²"), 16, fmtM2},
		{tr(lang, "保留 m²", "kept m²"), 18, fmtM2}, {tr(lang, "净变化 m²", "net m²"), 16, fmtM2},
		{tr(lang, "净变化 公顷", "net ha"), 14, fmtHa}, {tr(lang, "净变化 亩", "net mu"), 14, fmtM2},
		{tr(lang, "调整前占比 %", "old %"), 10, fmtPct}, {tr(lang, "调整后占比 %", "new %"), 10, fmtPct}}}
	regions.Rows = func(add func(...any) error) error {
		opt := func(p *float64) any {
			if p == nil {
				return nil
			}
			return *p
		}
		row := func(no any, a analysis.DiffArea) error {
			var area any
			if a.AreaM2 > 0 {
				area = a.AreaM2
			}
			return add(no, a.ID, a.Name, area, a.OldM2, a.NewM2, a.AddedM2, a.RemovedM2, a.KeptM2, a.NetM2, a.NetM2/1e4,
				a.NetM2/analysis.MuM2, opt(a.OldSharePct), opt(a.NewSharePct))
		}
		for i, g := range res.Regions {
			if err := row(ordinal(i), g); err != nil {
				return err
			}
		}
		t := res.Total
		t.Name = totalName(lang, res)
		return row("", t)
	}
	features := xlsxSheet{Name: featuresName, Cols: []xlsxCol{{tr(lang, "编号", "id"), 14, fmtText}, {tr(lang, "状态", "status"), 10, fmtText},
		{tr(lang, "调整前要素序号", "old #"), 12, fmtText}, {tr(lang, "调整后要素序号", "new #"), 12, fmtText},
		{tr(lang, "调整前 m²", "old m²"), 16, fmtM2}, {tr(lang, "调整后 m²", "new m²"), 16, fmtM2},
		{tr(lang, "调入 m²", "added m²"), 16, fmtM2}, {tr(lang, "调出 m²", "removed m²"), 16, fmtM2}}}
	features.Rows = func(add func(...any) error) error {
		for _, f := range res.Features {
			if err := add(f.ID, FeatureStatusText(lang, f.Status), indexList(f.OldIndex), indexList(f.NewIndex), f.OldM2, f.NewM2,
				f.AddedM2, f.RemovedM2); err != nil {
				return err
			}
		}
		return nil
	}
	sheets := []xlsxSheet{ledger, regions, features}
	if len(res.Classes) > 0 {
		classes := xlsxSheet{Name: classesName, Cols: []xlsxCol{{tr(lang, "区域编号", "region id"), 12, fmtText},
			{tr(lang, "区域名称", "region"), 18, fmtText}, {tr(lang, "地类", "land class"), 14, fmtText},
			{tr(lang, "调入 m²", "added m²"), 16, fmtM2}, {tr(lang, "调出 m²", "removed m²"), 16, fmtM2},
			{tr(lang, "调入 公顷", "added ha"), 14, fmtHa}, {tr(lang, "调出 公顷", "removed ha"), 14, fmtHa}}}
		classes.Rows = func(add func(...any) error) error {
			for _, c := range res.Classes {
				id, name := c.RegionID, totalName(lang, res)
				if c.Region >= 0 {
					name = res.Regions[c.Region].Name
				}
				if err := add(id, name, diffClassText(lang, c.Class), c.AddedM2, c.RemovedM2, c.AddedM2/1e4, c.RemovedM2/1e4); err != nil {
					return err
				}
			}
			return nil
		}
		sheets = append(sheets, classes)
	}
	return writeXLSX(w, sheets)
}
