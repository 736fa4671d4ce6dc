package analysis

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The one place where units of area and distance are read: every flag and
// config value that takes an area (--min-area, --target) or a distance
// (--near, proximity rules) goes through ParseArea or ParseDistance.

// MuM2 is one 亩 (mu) in m², exactly 2000/3.
const MuM2 = 2000.0 / 3

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

// distanceUnits maps a unit (lower case, without spaces) to metres.
var distanceUnits = map[string]float64{
	"m": 1, "米": 1, "km": 1000, "公里": 1000, "千米": 1000,
}

// ParseDistance reads a distance, metres unless a unit follows ("500",
// "500m", "1km", "1.5 km", "2公里"); it must be finite and ≥ 0.
func ParseDistance(s string) (float64, error) {
	num, unit := splitQuantity(s)
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("analysis: distance %q: %q is not a number ≥ 0 (e.g. 500m, 1km)", s, num)
	}
	mult := 1.0
	if unit != "" {
		var ok bool
		if mult, ok = distanceUnits[unit]; !ok {
			return 0, fmt.Errorf("analysis: distance %q: unknown unit %q (want m or km)", s, unit)
		}
	}
	return v * mult, nil
}
