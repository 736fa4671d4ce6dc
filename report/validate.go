package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/analysis"
)

// WriteValidateTable writes, per file, its invalid features with the reason
// and location, then a total.
func WriteValidateTable(w io.Writer, res *analysis.ValidateResult, lang Lang) error {
	var b strings.Builder
	total := 0
	for i, f := range res.Files {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, tr(lang, "%s：%d 个要素，%d 个无效\n", "%s: %d features, %d invalid\n"), f.Path, f.Features, len(f.Invalid))
		total += len(f.Invalid)
		if len(f.Invalid) == 0 {
			continue
		}
		t := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "id"), tr(lang, "问题", "problem"), tr(lang, "位置", "location"),
			tr(lang, "可精确修复", "exact repair")}, Right: []bool{true}}
		for _, v := range f.Invalid {
			loc := "-"
			if v.Location != nil {
				loc = strconv.FormatFloat(v.Location[0], 'f', 6, 64) + "," + strconv.FormatFloat(v.Location[1], 'f', 6, 64)
			}
			fix := tr(lang, "是", "yes")
			switch {
			case v.BadCoordinates:
				fix = tr(lang, "否（需改正坐标）", "no (correct the data)")
			case !v.Repairable:
				fix = tr(lang, "否（需 GEOS）", "no (needs GEOS)")
			}
			t.Add(ordinal(v.Index), v.ID, ReasonText(lang, v.Reason), loc, fix)
		}
		b.WriteString("\n")
		t.Write(&b)
	}
	if total > 0 {
		fmt.Fprintf(&b, "\n%s\n", tr(lang, "用 redline validate FILE --repair OUT 修复（纯 Go 版做精确修复；其余需 go build -tags geos 的 GEOS 版）。",
			"Repair with redline validate FILE --repair OUT (the pure-Go build makes the exact repairs; the rest needs the GEOS build, go build -tags geos)."))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteRepairTable writes what --repair did to each invalid feature: the
// problem, the repair, and the area before and after.
func WriteRepairTable(w io.Writer, path string, changes []analysis.Repair, lang Lang) error {
	var b strings.Builder
	fmt.Fprintf(&b, tr(lang, "%s：修复 %d 个要素\n\n", "%s: repaired %d features\n\n"), path, countRepaired(changes))
	t := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "id"), tr(lang, "问题", "problem"), tr(lang, "处理", "repair"),
		tr(lang, "修复前(m²)", "before m²"), tr(lang, "修复后(m²)", "after m²"), tr(lang, "变化%", "change %")},
		Right: []bool{true, false, false, false, true, true, true}}
	failed := 0
	for _, c := range changes {
		did := strings.Join(c.Did, "; ")
		if c.Error != "" {
			failed++
			did = tr(lang, "未修复：", "not repaired: ") + c.Error
		}
		t.Add(ordinal(c.FeatureIndex), c.FeatureID, ReasonText(lang, c.Reason), ReasonText(lang, did), FormatNumber(c.AreaBeforeM2, 2), FormatNumber(c.AreaAfterM2, 2),
			strconv.FormatFloat(c.ChangePct, 'g', 3, 64))
	}
	t.Write(&b)
	if failed > 0 {
		fmt.Fprintf(&b, "\n%s\n", fmt.Sprintf(tr(lang, "%d 个要素未修复，按原样写出；自相交等问题需要 GEOS 版（go build -tags geos）的 MakeValid。",
			"%d features were not repaired and are written as they were; self-intersections and the like need MakeValid in the GEOS build (go build -tags geos)."), failed))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func countRepaired(cs []analysis.Repair) int {
	n := 0
	for _, c := range cs {
		if c.Error == "" {
			n++
		}
	}
	return n
}
