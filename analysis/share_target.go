package analysis

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

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
