package crs

import (
	"fmt"
	"math"
)

// GCJ-02 is the lon/lat obfuscation mandated for Chinese web maps (AMap,
// Tencent, Google China). The forward transform below follows the algorithm
// leaked in 2013 and published in many open implementations (eviltransform,
// coordtransform): a smooth offset of a few hundred metres built from sines
// of the lon/lat offsets from (105°E, 35°N), scaled on the Krasovsky
// ellipsoid. Outside China it is the identity. It has no closed inverse;
// gcjToWGS iterates.

const (
	gcjA  = 6378245.0              // Krasovsky semi-major axis used by the algorithm, m
	gcjE2 = 0.00669342162296594323 // Krasovsky eccentricity squared
)

// gcjOutside reports whether the obfuscation leaves (lon, lat) unchanged: the
// box every published implementation uses.
func gcjOutside(lon, lat float64) bool {
	return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

// gcjOffset returns the GCJ-02 shift, in degrees, of a WGS84 point in China.
func gcjOffset(lon, lat float64) (dlon, dlat float64) {
	x, y := lon-105, lat-35
	// terms shared by both components: 2/3 · 20 (sin 6πx + sin 2πx)
	common := (20*math.Sin(6*math.Pi*x) + 20*math.Sin(2*math.Pi*x)) * 2 / 3
	sx := math.Sqrt(math.Abs(x))

	tlat := -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*sx + common +
		(20*math.Sin(math.Pi*y)+40*math.Sin(math.Pi*y/3))*2/3 +
		(160*math.Sin(math.Pi*y/12)+320*math.Sin(math.Pi*y/30))*2/3
	tlon := 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*sx + common +
		(20*math.Sin(math.Pi*x)+40*math.Sin(math.Pi*x/3))*2/3 +
		(150*math.Sin(math.Pi*x/12)+300*math.Sin(math.Pi*x/30))*2/3

	rlat := lat * degToRad
	s := math.Sin(rlat)
	w := 1 - gcjE2*s*s
	sw := math.Sqrt(w)
	dlat = tlat / (gcjA * (1 - gcjE2) / (w * sw) * degToRad)
	dlon = tlon / (gcjA / sw * math.Cos(rlat) * degToRad)
	return dlon, dlat
}

// wgsToGCJ converts WGS84 (or CGCS2000) lon/lat to GCJ-02 lon/lat, degrees.
func wgsToGCJ(lon, lat float64) (glon, glat float64, err error) {
	if err := checkLonLat(lon, lat); err != nil {
		return 0, 0, err
	}
	if gcjOutside(lon, lat) {
		return lon, lat, nil
	}
	dlon, dlat := gcjOffset(lon, lat)
	return lon + dlon, lat + dlat, nil
}

// gcjTolDeg is the convergence tolerance of gcjToWGS: 1e-9° ≈ 0.1 mm.
const gcjTolDeg = 1e-9

// gcjToWGS converts GCJ-02 lon/lat to WGS84 (or CGCS2000) lon/lat, degrees,
// by fixed-point iteration on the forward transform, whose offset changes
// slowly (its derivative is below 10⁻³): each step gains three digits.
func gcjToWGS(glon, glat float64) (lon, lat float64, err error) {
	if err := checkLonLat(glon, glat); err != nil {
		return 0, 0, err
	}
	if gcjOutside(glon, glat) {
		return glon, glat, nil
	}
	lon, lat = glon, glat
	for i := 0; i < 30; i++ {
		flon, flat := glon, glat
		if !gcjOutside(lon, lat) {
			dlon, dlat := gcjOffset(lon, lat)
			flon, flat = lon+dlon, lat+dlat
		}
		elon, elat := flon-glon, flat-glat
		if math.Abs(elon) < gcjTolDeg && math.Abs(elat) < gcjTolDeg {
			return lon, lat, nil
		}
		lon, lat = lon-elon, lat-elat
	}
	return 0, 0, fmt.Errorf("crs: GCJ-02: no inverse found for (%v, %v) near the edge of the obfuscated area", glon, glat)
}
