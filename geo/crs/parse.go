package crs

import (
	"fmt"
	"strconv"
	"strings"
)

// The EPSG codes of the CGCS2000 Gauss–Krüger systems (EPSG registry, checked
// against PROJ 9.1's proj.db):
//
//	4491–4501  6° zones 13–23, easting prefixed with the zone (CM 75°E–135°E)
//	4502–4512  6° zones, CM 75°E–135°E, no prefix
//	4513–4533  3° zones 25–45, easting prefixed with the zone (CM 75°E–135°E)
//	4534–4554  3° zones, CM 75°E–135°E, no prefix
const (
	epsgGK6Prefixed = 4491
	epsgGK6         = 4502
	epsgGK3Prefixed = 4513
	epsgGK3         = 4534

	gk6FirstZone, gk6Zones = 13, 11
	gk3FirstZone, gk3Zones = 25, 21
)

var (
	wgs84LonLat = CRS{Kind: LonLat, EPSG: 4326}
	crs84       = CRS{Kind: LonLat}
	webMerc     = CRS{Kind: WebMercator, EPSG: 3857}
	gcj02       = CRS{Kind: GCJ02}
)

// GK returns the CGCS2000 Gauss–Krüger CRS of a zone: zoneWidth is 3 or 6
// (degrees), zone the zone number (central meridian 3·zone or 6·zone − 3
// degrees east), prefixed whether eastings carry zone × 10⁶. Only the zones
// with an EPSG code are accepted: 3° zones 25–45 and 6° zones 13–23.
func GK(zoneWidth, zone int, prefixed bool) (CRS, error) {
	var first, count, base int
	switch zoneWidth {
	case 3:
		first, count, base = gk3FirstZone, gk3Zones, epsgGK3
		if prefixed {
			base = epsgGK3Prefixed
		}
	case 6:
		first, count, base = gk6FirstZone, gk6Zones, epsgGK6
		if prefixed {
			base = epsgGK6Prefixed
		}
	default:
		return CRS{}, fmt.Errorf("%w: Gauss-Kruger zone width %d (want 3 or 6)", ErrUnknown, zoneWidth)
	}
	if zone < first || zone >= first+count {
		return CRS{}, fmt.Errorf("%w: CGCS2000 %d-degree Gauss-Kruger zone %d (want %d–%d)",
			ErrUnknown, zoneWidth, zone, first, first+count-1)
	}
	return CRS{Kind: GaussKruger, EPSG: base + zone - first, ZoneWidth: zoneWidth, Zone: zone, Prefixed: prefixed}, nil
}

// crsFromEPSG returns the CRS of an EPSG code redline supports.
func crsFromEPSG(code int) (CRS, bool) {
	switch code {
	case 4490:
		return CGCS2000, true
	case 4326:
		return wgs84LonLat, true
	case 3857, 900913, 3785, 102100, 102113: // the last four are old aliases of 3857
		return webMerc, true
	}
	var c CRS
	var err error
	switch {
	case code >= epsgGK6Prefixed && code < epsgGK6Prefixed+gk6Zones:
		c, err = GK(6, gk6FirstZone+code-epsgGK6Prefixed, true)
	case code >= epsgGK6 && code < epsgGK6+gk6Zones:
		c, err = GK(6, gk6FirstZone+code-epsgGK6, false)
	case code >= epsgGK3Prefixed && code < epsgGK3Prefixed+gk3Zones:
		c, err = GK(3, gk3FirstZone+code-epsgGK3Prefixed, true)
	case code >= epsgGK3 && code < epsgGK3+gk3Zones:
		c, err = GK(3, gk3FirstZone+code-epsgGK3, false)
	default:
		return CRS{}, false
	}
	return c, err == nil
}

// Parse reads a CRS name, case-insensitively:
//
//	EPSG codes      "EPSG:4490", "4490", "epsg:4521", "urn:ogc:def:crs:EPSG::4490",
//	                "http://www.opengis.net/def/crs/EPSG/0/4490"; supported are
//	                4490, 4326, 3857 (also 900913, 3785, 102100), 4491–4554
//	CRS84           "urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84", "CRS84"
//	names           "CGCS2000", "WGS84", "gcj02", "GCJ-02", "WebMercator",
//	                and Gauss–Krüger names as in EPSG or ESRI
//	                ("CGCS2000 / 3-degree Gauss-Kruger zone 33", "CGCS2000_3_Degree_GK_CM_99E")
//
// Anything else is an error wrapping ErrUnknown.
func Parse(s string) (CRS, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if c, ok := crsByName[squash(t)]; ok {
		return c, nil
	}
	if strings.HasSuffix(t, "CRS84") || strings.HasSuffix(t, "CRS:84") {
		switch strings.TrimSuffix(strings.TrimSuffix(t, "CRS84"), "CRS:84") {
		case "", "OGC:", "URN:OGC:DEF:CRS:OGC:1.3:", "URN:OGC:DEF:CRS:OGC::", "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/":
			return crs84, nil
		}
	}
	if code, ok := epsgCode(t); ok {
		if c, ok := crsFromEPSG(code); ok {
			return c, nil
		}
		return CRS{}, fmt.Errorf("%w: EPSG:%d in %q", ErrUnknown, code, s)
	}
	if c, ok, err := gkFromName(t); ok {
		return c, err
	}
	return CRS{}, fmt.Errorf("%w: %q", ErrUnknown, s)
}

// crsByName maps squashed names to CRSs.
var crsByName = map[string]CRS{
	"CGCS2000": CGCS2000, "CHINAGEODETICCOORDINATESYSTEM2000": CGCS2000,
	"WGS84": wgs84LonLat, "WGS1984": wgs84LonLat,
	"GCJ02": gcj02, "GCJ": gcj02,
	"WEBMERCATOR": webMerc, "PSEUDOMERCATOR": webMerc, "WGS84PSEUDOMERCATOR": webMerc,
}

// squash drops the separators people put into names: "GCJ-02", "WGS 84".
func squash(t string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '_', '/', '.':
			return -1
		}
		return r
	}, t)
}

// epsgCode reads the code of an upper-cased EPSG reference.
func epsgCode(t string) (int, bool) {
	var rest string
	switch {
	case strings.HasPrefix(t, "EPSG:"):
		rest = t[len("EPSG:"):]
	case strings.HasPrefix(t, "URN:OGC:DEF:CRS:EPSG:"):
		// urn:ogc:def:crs:EPSG:{version}:{code}, version often empty
		rest = t[len("URN:OGC:DEF:CRS:EPSG:"):]
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			return 0, false
		}
		rest = rest[i+1:]
	case strings.HasPrefix(t, "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/"),
		strings.HasPrefix(t, "HTTPS://WWW.OPENGIS.NET/DEF/CRS/EPSG/"):
		i := strings.LastIndexByte(t, '/')
		rest = t[i+1:]
	default:
		rest = t
	}
	if rest == "" || len(rest) > 9 || strings.Trim(rest, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}
