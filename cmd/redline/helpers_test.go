package main

import (
	"math"

	"github.com/redline-gis/redline/geo"
)

// boxAreaM2 is the closed-form ellipsoidal area of a lon/lat box on CGCS2000
// (Snyder, Map Projections, eq. 3-12).
func boxAreaM2(x1, y1, x2, y2 float64) float64 {
	a, f := 6378137.0, 1/298.257222101
	e2 := f * (2 - f)
	e := math.Sqrt(e2)
	q := func(lat float64) float64 {
		s := math.Sin(lat * math.Pi / 180)
		return (1 - e2) * (s/(1-e2*s*s) - 1/(2*e)*math.Log((1-e*s)/(1+e*s)))
	}
	return a * a / 2 * (q(y2) - q(y1)) * (x2 - x1) * math.Pi / 180
}

func geoHasMakeValid() bool { return geo.HasMakeValid }
