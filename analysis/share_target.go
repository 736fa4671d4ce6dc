package analysis

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MuM2 is one 亩 (mu) in m², exactly 2000/3.
const MuM2 = 2000.0 / 3

// Target is what a layer must reach: a share of each region and of the
// total (Pct, per cent), or an absolute area of the total (AreaM2). The zero
// value is no target.
type Target struct {
	Layer  string  // the layer it applies to; "" = every layer
	Pct    float64 // share target in per cent, (0, 100]; 0 when AreaM2 is set
	AreaM2 float64 // absolute area target of the total, m²; 0 when Pct is set
	Text   string  // the value as written ("25.6%", "200000ha")
}

// IsSet reports whether t is a target.
func (t Target) IsSet() bool { return t.Pct > 0 || t.AreaM2 > 0 }

// areaUnits maps a unit (lower case, without spaces) to m².
var areaUnits = map[string]float64{
	"m2": 1, "m²": 1, "sqm": 1, "平方米": 1,
	"ha": 1e4, "hm2": 1e4, "hm²": 1e4, "公顷": 1e4,
	"mu": MuM2, "亩": MuM2,
	"km2": 1e6, "km²": 1e6, "sqkm": 1e6, "平方公里": 1e6, "平方千米": 1e6,
}

// splitQuantity splits "0.5 ha" into "0.5" and "ha": lower case, spaces
// removed, the number as strconv.ParseFloat reads it (with an exponent).
func splitQuantity(s string) (num, unit string) {
	compact := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	i := 0
	for i < len(compact) && (compact[i] >= '0' && compact[i] <= '9' || compact[i] == '.' || compact[i] == '+' ||
		compact[i] == 'e' && i > 0 && i+1 < len(compact) && (compact[i+1] >= '0' && compact[i+1] <= '9' || compact[i+1] == '-' || compact[i+1] == '+') ||
		compact[i] == '-' && i > 0 && compact[i-1] == 'e') {
		i++
	}
	return compact[:i], compact[i:]
}

// ParseArea reads an area, m² unless a unit of the one area-unit table
// follows ("0", "2m2", "0.5 ha", "3亩", "1km2"); it must be finite and ≥ 0.
func ParseArea(s string) (float64, error) {
	num, unit := splitQuantity(s)
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("analysis: area %q: %q is not a number ≥ 0", s, num)
	}
	mult := 1.0
	if unit != "" {
		var ok bool
		if mult, ok = areaUnits[unit]; !ok {
			return 0, fmt.Errorf("analysis: area %q: unknown unit %q (want m2, ha, mu/亩 or km2)", s, unit)
		}
	}
	return v * mult, nil
}

// ParseTarget reads a share target ("25.6", "25.6%", "redline=25.6%") or an
// absolute area target ("reserve=200000ha"; units m2, ha, mu/亩, km2). A
// bare number is a percentage.
func ParseTarget(s string) (Target, error) {
	var t Target
	val := strings.TrimSpace(s)
	if name, v, ok := strings.Cut(val, "="); ok {
		t.Layer, val = strings.TrimSpace(name), strings.TrimSpace(v)
		if t.Layer == "" {
			return Target{}, fmt.Errorf("analysis: target %q: empty layer name before '='", s)
		}
	}
	t.Text = val
	num, unit := splitQuantity(val)
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return Target{}, fmt.Errorf("analysis: target %q: %q is not a number (want e.g. 25.6%%, 200000ha, 430000亩)", s, num)
	}
	if unit == "" || unit == "%" {
		if v <= 0 || v > 100 {
			return Target{}, fmt.Errorf("analysis: target %q: a share must be in (0, 100] per cent", s)
		}
		t.Pct = v
		return t, nil
	}
	mult, ok := areaUnits[unit]
	if !ok {
		return Target{}, fmt.Errorf("analysis: target %q: unknown unit %q (want %%, m2, ha, mu/亩 or km2)", s, unit)
	}
	if v <= 0 {
		return Target{}, fmt.Errorf("analysis: target %q: an area must be positive", s)
	}
	t.AreaM2 = v * mult
	return t, nil
}
