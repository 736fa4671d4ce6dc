package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/analysis"
)

// classText is how people read a class value: the value, with its 三调 code
// when it differs; 未覆盖 for the part no feature covers, (空) for features
// without a value.
func classText(lang Lang, value, code string, uncovered bool) string {
	switch {
	case uncovered:
		return tr(lang, "未覆盖", "uncovered")
	case value == "":
		return tr(lang, "（空）", "(empty)")
	case code != "" && code != value:
		if lang == EN {
			if lc, ok := analysis.LookupLandClass(code); ok && lc.Name == value {
				return code + " " + lc.NameEN
			}
		}
		return code + " " + value
	}
	return value
}

// hasClasses tells whether any site has a table by class.
func hasClasses(res *analysis.ScreenResult) bool {
	for i := range res.Sites {
		if len(res.Sites[i].Classes) > 0 {
			return true
		}
	}
	return false
}

// writeScreenClasses adds the table by class (土地利用现状 / 压占分析) and
// the access list clauses to the text report.
func writeScreenClasses(b *strings.Builder, res *analysis.ScreenResult, lang Lang) {
	if hasClasses(res) {
		t := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "site"), tr(lang, "图层", "layer"), tr(lang, "字段", "field"),
			tr(lang, "类别", "class"), tr(lang, "面积(m²)", "area m²"), tr(lang, "公顷", "ha"), tr(lang, "亩", "mu"), tr(lang, "占比%", "% of site"),
			tr(lang, "线内长度(m)", "length in (m)")},
			Right: []bool{true, false, false, false, false, true, true, true, true, true}}
		for _, s := range res.Sites {
			if !touchesClass(s.Classes) {
				continue // only the uncovered row: the layer does not reach the site (JSON, CSV and xlsx keep it)
			}
			for _, c := range s.Classes {
				t.Add(ordinal(s.Index), s.ID, c.Layer, c.Field, classText(lang, c.Value, c.Code, c.Uncovered), FormatNumber(c.OverlapM2, 2),
					FormatNumber(c.OverlapM2/1e4, 4), FormatNumber(c.OverlapM2/analysis.MuM2, 2), FormatNumber(c.OverlapPct, 2),
					FormatNumber(c.LengthInsideM, 1))
			}
		}
		fmt.Fprintf(b, "\n%s\n\n", tr(lang, "按类别（土地利用现状 / 压占分析；同类要素溶解后计算，未覆盖为图层未覆盖部分）",
			"By class (land use; features of a class dissolved; uncovered: the part no feature covers)"))
		t.Write(b)
		for _, w := range ScreenWarnings(lang, res) {
			fmt.Fprintf(b, "%s%s\n", tr(lang, "注意：", "Note: "), w.Msg)
		}
	}
	clauses := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "site"), tr(lang, "管控单元", "unit"), tr(lang, "类别", "category"),
		tr(lang, "对象", "target"), tr(lang, "结论", "verdict"), tr(lang, "条款", "clause"), tr(lang, "来源", "source")},
		Right: []bool{true}}
	for _, s := range res.Sites {
		for _, c := range s.Conflicts {
			for _, cl := range c.Clauses {
				clauses.Add(ordinal(s.Index), s.ID, unitLabel(c), zoneTextKind(lang, c.Kind, c.Zone), clauseTargetText(lang, cl.Target),
					VerdictText(lang, cl.Verdict.String()), cl.Text, clauseSource(lang, cl))
			}
		}
	}
	if len(clauses.Rows) > 0 {
		fmt.Fprintf(b, "\n%s\n\n", tr(lang, "生态环境准入清单条款（按单元，最具体的在前；取最严格结论）",
			"Access list clauses (per unit, most specific first; the strictest verdict decides)"))
		clauses.Write(b)
	}
}

// touchesClass tells whether a site's table by class has a class row
// besides the uncovered one.
func touchesClass(rows []analysis.ClassOverlap) bool {
	for _, c := range rows {
		if !c.Uncovered {
			return true
		}
	}
	return false
}

func unitLabel(c analysis.Conflict) string {
	code := c.UnitCode
	if code == "" {
		code = c.FeatureID
	}
	return featureLabel(code, c.FeatureName, c.FeatureIndex)
}

func clauseTargetText(lang Lang, t string) string {
	if t == "*" {
		return tr(lang, "全部", "any")
	}
	return ProjectTypeText(lang, t)
}

func clauseSource(lang Lang, c analysis.AccessClause) string {
	return c.Source + " (" + tr(lang, "清单第 ", "list line ") + strconv.Itoa(c.Line) + tr(lang, " 行", "") + ")"
}

// zoneTextKind renders a zone for people knowing its layer's kind (a
// control unit's "general" is 一般管控单元, a reserve's 一般控制区).
func zoneTextKind(lang Lang, kind, zone string) string {
	if lang == EN {
		return zone
	}
	return analysis.KindZoneNameZH(kind, zone)
}

// screenClassCSVHeader is added to the screening CSV when a site has a
// table by class; class rows carry the site and these columns, with the
// area, length and per cent in overlap_m2/_ha/_mu, length_inside_m and
// overlap_pct, and no feature or verdict.
var screenClassCSVHeader = []string{"class_field", "class_value", "class_code", "uncovered"}

func screenClassCSVRows(site []string, s analysis.SiteResult, width int) [][]string {
	var out [][]string
	for _, c := range s.Classes {
		row := append(site[:8:8], c.Layer, "class", "", "", "", "", full(c.OverlapM2), full(c.OverlapM2/1e4), full(c.OverlapM2/analysis.MuM2),
			full(c.OverlapPct), full(c.LengthInsideM))
		row = append(row, make([]string, width-len(row))...)
		out = append(out, append(row, c.Field, c.Value, c.Code, strconv.FormatBool(c.Uncovered)))
	}
	return out
}

// screenClassSheets are the xlsx sheets of the tables by class and of the
// access list clauses (none when the result has neither).
func screenClassSheets(res *analysis.ScreenResult, lang Lang) []xlsxSheet {
	var out []xlsxSheet
	site := []xlsxCol{{tr(lang, "序号", "site #"), 7, fmtInt}, {tr(lang, "地块编号", "site id"), 14, fmtText}}
	if hasClasses(res) {
		out = append(out, xlsxSheet{Name: tr(lang, "按类别", "by class"), Cols: concatCols(site, []xlsxCol{
			{tr(lang, "图层", "layer"), 12, fmtText}, {tr(lang, "字段", "field"), 10, fmtText}, {tr(lang, "类别", "class"), 18, fmtText},
			{tr(lang, "编码", "code"), 8, fmtText}, {tr(lang, "面积 m²", "area m²"), 14, fmtM2}, {tr(lang, "面积 公顷", "area ha"), 12, fmtHa},
			{tr(lang, "面积 亩", "area mu"), 12, fmtM2}, {tr(lang, "占地块 %", "% of site"), 10, fmtPct},
			{tr(lang, "线内长度 m", "length inside m"), 12, fmtM}}),
			Rows: func(add func(...any) error) error {
				for _, s := range res.Sites {
					for _, c := range s.Classes {
						if err := add(s.Index+1, s.ID, c.Layer, c.Field, classText(lang, c.Value, "", c.Uncovered), c.Code, c.OverlapM2,
							c.OverlapM2/1e4, c.OverlapM2/analysis.MuM2, c.OverlapPct, c.LengthInsideM); err != nil {
							return err
						}
					}
				}
				return nil
			}})
	}
	anyClause := false
	for _, s := range res.Sites {
		for _, c := range s.Conflicts {
			anyClause = anyClause || len(c.Clauses) > 0
		}
	}
	if anyClause {
		out = append(out, xlsxSheet{Name: tr(lang, "准入清单", "access list"), Cols: concatCols(site, []xlsxCol{
			{tr(lang, "图层", "layer"), 12, fmtText}, {tr(lang, "单元编码", "unit code"), 16, fmtText}, {tr(lang, "单元名称", "unit name"), 20, fmtText},
			{tr(lang, "管控类别", "category"), 12, fmtText}, {tr(lang, "清单行", "list line"), 8, fmtInt}, {tr(lang, "单元/类别", "unit or category"), 14, fmtText},
			{tr(lang, "对象", "target"), 12, fmtText}, {tr(lang, "结论", "verdict"), 10, fmtText}, {tr(lang, "条款", "clause"), 40, fmtText},
			{tr(lang, "来源", "source"), 30, fmtText}}),
			Rows: func(add func(...any) error) error {
				for _, s := range res.Sites {
					for _, c := range s.Conflicts {
						for _, cl := range c.Clauses {
							if err := add(s.Index+1, s.ID, c.Layer, c.UnitCode, c.FeatureName, zoneTextKind(lang, c.Kind, c.Zone), cl.Line, cl.Unit,
								clauseTargetText(lang, cl.Target), VerdictText(lang, cl.Verdict.String()), cl.Text, cl.Source); err != nil {
								return err
							}
						}
					}
				}
				return nil
			}})
	}
	return out
}

// classRow is one row of a site's table by class in the HTML report.
type classRow struct {
	Layer, Field, Class, M2, Ha, Mu, Pct, Length string
	Uncovered                                    bool
}

// clauseRow is one access list clause in the HTML report.
type clauseRow struct {
	Unit, Category, Target, Verdict, Text, Source string
}

func classRowsOf(lang Lang, s *analysis.SiteResult) []classRow {
	if !touchesClass(s.Classes) {
		return nil
	}
	var out []classRow
	for _, c := range s.Classes {
		out = append(out, classRow{Layer: c.Layer, Field: c.Field, Class: classText(lang, c.Value, c.Code, c.Uncovered),
			M2: FormatNumber(c.OverlapM2, 2), Ha: FormatNumber(c.OverlapM2/1e4, 4), Mu: FormatNumber(c.OverlapM2/analysis.MuM2, 2),
			Pct: FormatNumber(c.OverlapPct, 2), Length: FormatNumber(c.LengthInsideM, 1), Uncovered: c.Uncovered})
	}
	return out
}

func clauseRowsOf(lang Lang, s *analysis.SiteResult) []clauseRow {
	var out []clauseRow
	for _, c := range s.Conflicts {
		for _, cl := range c.Clauses {
			out = append(out, clauseRow{Unit: unitLabel(c), Category: zoneTextKind(lang, c.Kind, c.Zone), Target: clauseTargetText(lang, cl.Target),
				Verdict: cl.Verdict.String(), Text: cl.Text, Source: clauseSource(lang, cl)})
		}
	}
	return out
}
