package crs

import (
	"fmt"
	"math"
)

// ToLonLat converts x, y in c to CGCS2000 lon/lat degrees: for a projected
// c, x is the easting and y the northing in metres; for GCJ-02 they are the
// obfuscated lon/lat, returned as WGS84 (taken as CGCS2000). It fails on
// NaN or infinite input, on a Gauss–Krüger easting whose zone prefix does
// not match c (or that carries a prefix c does not have), and on values
// outside the projection's domain.
func (c CRS) ToLonLat(x, y float64) (lon, lat float64, err error) {
	switch c.Kind {
	case LonLat:
		if err := checkLonLat(x, y); err != nil {
			return 0, 0, err
		}
		return x, y, nil
	case GaussKruger:
		return c.gkToLonLat(x, y)
	case WebMercator:
		return mercatorToLonLat(x, y)
	case GCJ02:
		return gcjToWGS(x, y)
	}
	return 0, 0, fmt.Errorf("%w: kind %d", ErrUnknown, c.Kind)
}

// FromLonLat converts CGCS2000 lon/lat degrees to x, y in c, the inverse of
// ToLonLat. It fails on NaN or out-of-range lon/lat, on latitudes beyond
// ±85.05° for Web Mercator, and on points more than 500 km from a
// Gauss–Krüger central meridian (whose easting would leave the zone).
func (c CRS) FromLonLat(lon, lat float64) (x, y float64, err error) {
	switch c.Kind {
	case LonLat:
		if err := checkLonLat(lon, lat); err != nil {
			return 0, 0, err
		}
		return lon, lat, nil
	case GaussKruger:
		return c.gkFromLonLat(lon, lat)
	case WebMercator:
		return mercatorFromLonLat(lon, lat)
	case GCJ02:
		return wgsToGCJ(lon, lat)
	}
	return 0, 0, fmt.Errorf("%w: kind %d", ErrUnknown, c.Kind)
}

// checkLonLat reports an error unless lon ∈ [−180, 180] and lat ∈ [−90, 90].
func checkLonLat(lon, lat float64) error {
	if !(math.Abs(lon) <= 180 && math.Abs(lat) <= 90) { // NaN fails too
		return fmt.Errorf("crs: lon/lat (%v, %v) out of range", lon, lat)
	}
	return nil
}

// InChina reports whether lon/lat degrees fall in a coarse box around China
// (73–136°E, 3–54°N). It is meant for the "data look outside China" warning,
// not as a border test: the box also holds parts of neighbouring countries.
func InChina(lon, lat float64) bool {
	return lon >= 73 && lon <= 136 && lat >= 3 && lat <= 54
}
