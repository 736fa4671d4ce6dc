package crs

import (
	"math"

	"github.com/paulmach/orb"
)

// Northings of CGCS2000 Gauss–Krüger coordinates in China: Hainan's south
// coast (18.1°N) lies near 2.0 × 10⁶ m and Mohe (53.6°N) near 5.94 × 10⁶ m.
const (
	gkMinNorthingM = 1.9e6
	gkMaxNorthingM = 6.0e6
)

// Detect guesses the CRS of coordinates from their bound b alone, and
// reports whether the guess is safe. The rules, in order:
//
//  1. b within [−180, 180] × [−90, 90]: geographic lon/lat, CGCS2000
//     (whether inside China or not; see InChina).
//  2. Northings within 1.9–6.0 × 10⁶ m (China from Hainan to Mohe; a
//     little wider than the 2.5–5.9 × 10⁶ often quoted, which misses both
//     ends) and all eastings within one zone × 10⁶ + (0 … 10⁶): a
//     zone-prefixed Gauss–Krüger grid, 3° for zones 25–45 and 6° for zones
//     13–23, provided the points then land in China. Without the prefix
//     (eastings 0 … 10⁶) the zone is unknown: false.
//  3. Values that convert from Web Mercator to lon/lat inside China
//     (x ≈ 8.1–15.2 × 10⁶, y ≈ 0.3–7.2 × 10⁶): EPSG:3857, but only when
//     rule 2 does not also apply. 6° zones 13 and 14 (eastings 13–15 × 10⁶)
//     look like Web Mercator of eastern China (118–135°E); such bounds are
//     ambiguous and give false.
//
// Anything else, a bound with NaN, or an empty-looking bound far from every
// rule, gives false. Callers should ask for the CRS when false.
func Detect(b orb.Bound) (CRS, bool) {
	for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if !finite(v) {
			return CRS{}, false
		}
	}
	if b.Min[0] >= -180 && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Max[1] <= 90 {
		return CGCS2000, true
	}
	gk, isGK := detectGK(b)
	isMerc := mercatorInChina(b)
	switch {
	case isGK && isMerc:
		return CRS{}, false
	case isGK:
		return gk, true
	case isMerc:
		return webMerc, true
	}
	return CRS{}, false
}

// detectGK applies rule 2 of Detect.
func detectGK(b orb.Bound) (CRS, bool) {
	if b.Min[1] < gkMinNorthingM || b.Max[1] > gkMaxNorthingM {
		return CRS{}, false
	}
	zone := math.Floor(b.Min[0] / 1e6)
	if zone != math.Floor(b.Max[0]/1e6) {
		return CRS{}, false
	}
	var c CRS
	var err error
	switch z := int(zone); {
	case z >= gk3FirstZone && z < gk3FirstZone+gk3Zones:
		c, err = GK(3, z, true)
	case z >= gk6FirstZone && z < gk6FirstZone+gk6Zones:
		c, err = GK(6, z, true)
	default:
		return CRS{}, false
	}
	if err != nil {
		return CRS{}, false
	}
	return c, cornersInChina(c, b)
}

// mercatorInChina applies rule 3 of Detect.
func mercatorInChina(b orb.Bound) bool {
	return cornersInChina(webMerc, b)
}

// cornersInChina reports whether all four corners of b, read in c, convert
// to lon/lat in China.
func cornersInChina(c CRS, b orb.Bound) bool {
	for _, p := range [4]orb.Point{b.Min, b.Max, {b.Min[0], b.Max[1]}, {b.Max[0], b.Min[1]}} {
		lon, lat, err := c.ToLonLat(p[0], p[1])
		if err != nil || !InChina(lon, lat) {
			return false
		}
	}
	return true
}
