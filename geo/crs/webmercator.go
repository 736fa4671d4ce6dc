package crs

import (
	"fmt"
	"math"
)

// Web Mercator (EPSG:3857, "WGS 84 / Pseudo-Mercator") applies the spherical
// Mercator formulas on a sphere of radius a = 6378137 m to WGS84 lon/lat.

const (
	// mercatorMaxM is the largest |x| (and |y|) of EPSG:3857: π·a.
	mercatorMaxM = math.Pi * SemiMajorM
	// MercatorMaxLat is the latitude, in degrees, where Web Mercator's y
	// reaches π·a, making the map square.
	MercatorMaxLat = 85.05112877980659
)

// mercatorToLonLat converts EPSG:3857 x, y in metres to lon/lat degrees.
func mercatorToLonLat(x, y float64) (lon, lat float64, err error) {
	if !finite(x) || !finite(y) {
		return 0, 0, fmt.Errorf("crs: EPSG:3857: coordinate (%v, %v) is not finite", x, y)
	}
	const slack = 1e-6 // m: let bounds rounded at the last digit through
	if math.Abs(x) > mercatorMaxM+slack || math.Abs(y) > mercatorMaxM+slack {
		return 0, 0, fmt.Errorf("crs: EPSG:3857: coordinate (%.3f, %.3f) outside ±%.3f m", x, y, mercatorMaxM)
	}
	lon = x / SemiMajorM / degToRad
	lat = math.Atan(math.Sinh(y/SemiMajorM)) / degToRad
	return lon, lat, nil
}

// mercatorFromLonLat converts lon/lat degrees to EPSG:3857 x, y in metres.
func mercatorFromLonLat(lon, lat float64) (x, y float64, err error) {
	if err := checkLonLat(lon, lat); err != nil {
		return 0, 0, err
	}
	if math.Abs(lat) > MercatorMaxLat+1e-9 {
		return 0, 0, fmt.Errorf("crs: EPSG:3857: latitude %v beyond ±%.2f", lat, MercatorMaxLat)
	}
	x = SemiMajorM * lon * degToRad
	y = SemiMajorM * math.Asinh(math.Tan(lat*degToRad))
	return x, y, nil
}
