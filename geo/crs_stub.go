package geo

// TEMPORARY: replaced by the CRS work (Gauss–Krüger, Web Mercator, GCJ-02).

import (
	"fmt"
	"strings"
)

// ToLonLat converts x, y in c to CGCS2000 lon/lat degrees.
func (c CRS) ToLonLat(x, y float64) (lon, lat float64, err error) {
	if c.Kind == LonLat {
		return x, y, nil
	}
	return 0, 0, fmt.Errorf("%w: %s not supported yet", ErrUnknownCRS, c)
}

// FromLonLat converts CGCS2000 lon/lat degrees to x, y in c.
func (c CRS) FromLonLat(lon, lat float64) (x, y float64, err error) {
	if c.Kind == LonLat {
		return lon, lat, nil
	}
	return 0, 0, fmt.Errorf("%w: %s not supported yet", ErrUnknownCRS, c)
}

// ParseCRS reads a CRS name: "EPSG:4490", "4490", "urn:ogc:def:crs:EPSG::4490",
// "urn:ogc:def:crs:OGC:1.3:CRS84", "CGCS2000", "WGS84", "gcj02", "EPSG:4521".
func ParseCRS(s string) (CRS, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case strings.HasSuffix(t, "4490") || t == "CGCS2000":
		return CGCS2000, nil
	case strings.HasSuffix(t, "4326") || t == "WGS84":
		return CRS{Kind: LonLat, EPSG: 4326}, nil
	case strings.HasSuffix(t, "CRS84"):
		return CRS{Kind: LonLat}, nil
	}
	return CRS{}, fmt.Errorf("%w: %q (not supported yet)", ErrUnknownCRS, s)
}
