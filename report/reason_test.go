package report_test

import (
	"testing"

	"github.com/redline-gis/redline/report"
)

func TestReasonText(t *testing.T) {
	for in, want := range map[string]string{
		"ring 2 of part 1 self-intersects":                  "第 1 部分第 2 环自相交",
		"ring 1 is not closed":                              "第 1 环未闭合",
		"multipolygon parts overlap or touch along an edge": "多部件之间重叠或沿边相接",
		"closed an unclosed ring; dropped repeated points":  "闭合未闭合的环; 删除重复点",
		"something new":                                     "something new",
	} {
		if got := report.ReasonText(report.ZH, in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
		if got := report.ReasonText(report.EN, in); got != in {
			t.Errorf("en: %q changed to %q", in, got)
		}
	}
}
