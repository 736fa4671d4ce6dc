package analysis

import (
	_ "embed"
	"strings"
	"unicode"
)

// gbt21010 is the GB/T 21010-2017 land-use classification, first and second
// level (code, Chinese name, English name), written out for redline from the
// standard's table; see the file's header.
//
//go:embed gbt21010.tsv
var gbt21010 string

// LandClass is one class of GB/T 21010-2017.
type LandClass struct {
	Code   string // "01" (first level) or "0101" (second level)
	Name   string // 水田
	NameEN string // paddy field
}

var landClasses = func() map[string]LandClass {
	m := map[string]LandClass{}
	for _, line := range strings.Split(gbt21010, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			panic("analysis: gbt21010.tsv: bad line " + line) // a build defect, caught by tests
		}
		m[f[0]] = LandClass{Code: f[0], Name: f[1], NameEN: f[2]}
	}
	return m
}()

// LookupLandClass returns the GB/T 21010-2017 class of a 三调 code (DLBM),
// first or second level. Survey data often carry a suffix after the code
// (0103K for 可调整 cultivated land, 1202A): a code not in the table is tried
// once more without trailing letters. ok is false when the code is unknown.
func LookupLandClass(code string) (LandClass, bool) {
	c := strings.TrimSpace(code)
	if lc, ok := landClasses[c]; ok {
		return lc, true
	}
	base := strings.TrimRightFunc(c, unicode.IsLetter)
	if base != c && base != "" {
		lc, ok := landClasses[base]
		return lc, ok
	}
	return LandClass{}, false
}

// LandClasses returns the table, in code order.
func LandClasses() []LandClass {
	out := make([]LandClass, 0, len(landClasses))
	for _, line := range strings.Split(gbt21010, "\n") {
		if code, _, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			out = append(out, landClasses[code])
		}
	}
	return out
}
