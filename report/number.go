package report

import (
	"strconv"
	"strings"
)

// FormatNumber formats x with dec decimals and thousands separators.
func FormatNumber(x float64, dec int) string {
	s := strconv.FormatFloat(x, 'f', dec, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// full formats x at full precision, for CSV: the numbers scripts read.
func full(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// ordinal numbers a site or row for people, who count from 1; JSON and CSV
// keep the 0-based index that scripts use. Feature references ("#3", 要素序号)
// stay the index, as in the JSON, so that they can be looked up there.
func ordinal(index int) string { return strconv.Itoa(index + 1) }
