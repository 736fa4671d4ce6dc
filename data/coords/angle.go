package coords

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// parseAngle reads an angle in decimal degrees or 度分秒: 99.0867,
// 99°05'12.3", 99°05′12.3″, 99度05分12.3秒, 99-05-12.3, 99:05:12.3, 99 05 12.3,
// or packed DDDMMSS.s (990512.3). A trailing or leading N/E/S/W sets the sign.
// max is 180 for longitudes and 90 for latitudes.
func parseAngle(s string, max float64) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("empty angle")
	}
	sign := 1.0
	up := strings.ToUpper(t)
	for _, h := range []string{"N", "E", "S", "W"} {
		if strings.HasSuffix(up, h) || strings.HasPrefix(up, h) {
			if h == "S" || h == "W" {
				sign = -1
			}
			up = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(up, h), h))
			break
		}
	}
	if strings.HasPrefix(up, "-") && !strings.Contains(up[1:], "-") {
		sign, up = -sign, up[1:]
	}
	// Separators become spaces.
	rep := strings.NewReplacer("°", " ", "º", " ", "度", " ", "'", " ", "′", " ", "’", " ", "分", " ",
		"\"", " ", "″", " ", "”", " ", "''", " ", "秒", " ", ":", " ", "-", " ")
	parts := strings.Fields(rep.Replace(up))
	if len(parts) == 0 || len(parts) > 3 {
		return 0, fmt.Errorf("%q is not an angle", s)
	}
	var v [3]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return 0, fmt.Errorf("%q is not an angle", s)
		}
		v[i] = f
	}
	var deg float64
	switch len(parts) {
	case 1:
		deg = v[0]
		if deg > max {
			// Packed DDDMMSS.s.
			d := math.Floor(deg / 10000)
			m := math.Floor(deg/100) - d*100
			sec := deg - d*10000 - m*100
			if m >= 60 || sec >= 60 {
				return 0, fmt.Errorf("%q is neither degrees (at most %g) nor DDDMMSS.s", s, max)
			}
			deg = d + m/60 + sec/3600
		}
	default:
		if v[1] >= 60 || v[2] >= 60 || (len(parts) == 3 && v[1] != math.Trunc(v[1])) {
			return 0, fmt.Errorf("%q: minutes and seconds must be below 60", s)
		}
		deg = v[0] + v[1]/60 + v[2]/3600
	}
	if deg > max {
		return 0, fmt.Errorf("%q is more than %g°", s, max)
	}
	return sign * deg, nil
}
