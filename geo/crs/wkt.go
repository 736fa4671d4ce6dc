package crs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FromWKT identifies the CRS described by a WKT text, as found in a
// shapefile's .prj: ESRI or OGC WKT 1, or WKT 2. It recognises
//
//   - geographic CGCS2000 (GEOGCS "China Geodetic Coordinate System 2000",
//     "GCS_China_Geodetic_Coordinate_System_2000", …) → EPSG:4490, and
//     geographic WGS 84 → EPSG:4326;
//   - CGCS2000 Gauss–Krüger, from the Transverse_Mercator / Gauss_Kruger
//     parameters: the zone and the prefix follow from central_meridian and
//     false_easting; the name ("CGCS2000 / 3-degree Gauss-Kruger zone 33",
//     "CGCS2000_3_Degree_GK_CM_99E", …) only settles 3° versus 6° for an
//     unprefixed central meridian (3° when it does not say);
//   - Web Mercator ("WGS 84 / Pseudo-Mercator",
//     "WGS_1984_Web_Mercator_Auxiliary_Sphere") → EPSG:3857.
//
// An EPSG AUTHORITY or ID on the whole CRS is trusted when redline supports
// the code. Anything else, including Gauss–Krüger on the Beijing 1954 or
// Xian 1980 datums, is an error wrapping ErrUnknown that names what was
// found.
func FromWKT(wkt string) (CRS, error) {
	root, err := parseWKT(wkt)
	if err != nil {
		return CRS{}, err
	}
	if code, ok := root.epsg(); ok {
		if c, ok := crsFromEPSG(code); ok {
			return c, nil
		}
	}
	switch squash(root.kw) {
	case "GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS", "GEODETICCRS":
		return geogFromWKT(root)
	case "PROJCS", "PROJCRS", "PROJECTEDCRS":
		return projFromWKT(root)
	}
	return CRS{}, fmt.Errorf("%w: WKT %s[%q]", ErrUnknown, root.kw, root.name())
}

// geogFromWKT identifies a geographic CRS.
func geogFromWKT(n *wktNode) (CRS, error) {
	switch datumEPSG(n) {
	case 4490:
		return CGCS2000, nil
	case 4326:
		return wgs84LonLat, nil
	}
	return CRS{}, fmt.Errorf("%w: WKT geographic CRS %q (datum %q)", ErrUnknown, n.name(), n.child("DATUM", "ENSEMBLE").name())
}

// datumEPSG returns 4490 for a CGCS2000 geographic CRS node, 4326 for WGS 84
// and 0 otherwise, from the names of the CRS and its datum.
func datumEPSG(n *wktNode) int {
	if n == nil {
		return 0
	}
	if code, ok := n.epsg(); ok && (code == 4490 || code == 4326) {
		return code
	}
	for _, name := range []string{n.child("DATUM", "ENSEMBLE").name(), n.name()} {
		s := squash(strings.ToUpper(name))
		switch {
		case strings.Contains(s, "CGCS2000"), strings.Contains(s, "CHINA2000"),
			strings.Contains(s, "CHINAGEODETICCOORDINATESYSTEM2000"):
			return 4490
		case strings.Contains(s, "WGS84"), strings.Contains(s, "WGS1984"),
			strings.Contains(s, "WORLDGEODETICSYSTEM1984"):
			return 4326
		}
	}
	return 0
}

// projFromWKT identifies a projected CRS.
func projFromWKT(root *wktNode) (CRS, error) {
	base := root.child("GEOGCS", "BASEGEOGCRS", "BASEGEODCRS", "GEOGCRS", "GEODCRS")
	datum := datumEPSG(base)
	method := root.child("PROJECTION").name()
	params := root
	if conv := root.child("CONVERSION"); conv != nil {
		method = conv.child("METHOD").name()
		params = conv
	}
	if u := root.child("UNIT", "LENGTHUNIT"); u != nil {
		if f, ok := u.number(1); ok && math.Abs(f-1) > 1e-12 {
			return CRS{}, fmt.Errorf("%w: WKT projected CRS %q in unit %q", ErrUnknown, root.name(), u.name())
		}
	}
	name := strings.ToUpper(root.name())
	m := squash(strings.ToUpper(method))
	ext := strings.ToUpper(root.child("EXTENSION").arg(1))
	switch {
	case strings.Contains(m, "MERCATORAUXILIARYSPHERE"), strings.Contains(m, "PSEUDOMERCATOR"),
		strings.Contains(m, "POPULARVISUALISATION"),
		strings.HasPrefix(m, "MERCATOR") && (strings.Contains(squash(name), "WEBMERCATOR") ||
			strings.Contains(squash(name), "PSEUDOMERCATOR") ||
			strings.Contains(ext, "+A=6378137 +B=6378137")):
		if datum != 4326 {
			break
		}
		for _, p := range []string{"CENTRALMERIDIAN", "FALSEEASTING", "FALSENORTHING"} {
			if v, ok := params.param(p); ok && v != 0 {
				return CRS{}, fmt.Errorf("%w: WKT %q: Web Mercator with %s %v", ErrUnknown, root.name(), p, v)
			}
		}
		return webMerc, nil
	case m == "TRANSVERSEMERCATOR" || m == "GAUSSKRUGER" || m == "GAUSSKRUEGER" || m == "GAUSSKRÜGER":
		if datum != 4490 {
			break
		}
		return gkFromParams(root, params)
	case m == "" && datum == 4490:
		if c, ok, err := gkFromName(name); ok {
			return c, err
		}
	}
	return CRS{}, fmt.Errorf("%w: WKT projected CRS %q (projection %q, datum %q)",
		ErrUnknown, root.name(), method, base.child("DATUM", "ENSEMBLE").name())
}

// gkFromParams reads a CGCS2000 transverse Mercator's parameters.
func gkFromParams(root, params *wktNode) (CRS, error) {
	where := fmt.Sprintf("WKT %q", root.name())
	get := func(def float64, names ...string) (float64, error) {
		for _, p := range names {
			if v, ok := params.param(p); ok {
				return v, nil
			}
		}
		if math.IsNaN(def) {
			return 0, fmt.Errorf("%w: %s: no %s parameter", ErrUnknown, where, names[0])
		}
		return def, nil
	}
	cm, err := get(math.NaN(), "CENTRALMERIDIAN", "LONGITUDEOFNATURALORIGIN", "LONGITUDEOFORIGIN", "LONGITUDEOFCENTER")
	if err != nil {
		return CRS{}, err
	}
	fe, err := get(math.NaN(), "FALSEEASTING")
	if err != nil {
		return CRS{}, err
	}
	fn, _ := get(0, "FALSENORTHING")
	k, _ := get(1, "SCALEFACTOR", "SCALEFACTORATNATURALORIGIN")
	lat0, _ := get(0, "LATITUDEOFORIGIN", "LATITUDEOFNATURALORIGIN", "LATITUDEOFCENTER")
	if fn != 0 || k != 1 || lat0 != 0 {
		return CRS{}, fmt.Errorf("%w: %s: transverse Mercator with false_northing %v, scale_factor %v, latitude_of_origin %v (want 0, 1, 0)",
			ErrUnknown, where, fn, k, lat0)
	}
	if cm != math.Trunc(cm) || math.Abs(cm) > 180 {
		return CRS{}, fmt.Errorf("%w: %s: central_meridian %v is not a Gauss-Kruger zone's", ErrUnknown, where, cm)
	}
	icm := int(cm)
	if fe == 500000 {
		// The parameters cannot tell a 3° zone from a 6° zone with the same
		// central meridian; the name may, and 3° is the common case.
		widths := []int{3, 6}
		if nameZoneWidth(strings.ToUpper(root.name())) == 6 {
			widths = []int{6, 3}
		}
		for _, w := range widths {
			if w == 3 && icm%3 == 0 || w == 6 && (icm+3)%6 == 0 {
				zone := icm / 3
				if w == 6 {
					zone = (icm + 3) / 6
				}
				c, err := GK(w, zone, false)
				if err != nil {
					return CRS{}, fmt.Errorf("%w (in %s)", err, where)
				}
				return c, nil
			}
		}
		return CRS{}, fmt.Errorf("%w: %s: central_meridian %v is not a Gauss-Kruger zone's", ErrUnknown, where, cm)
	}
	zf := (fe - 500000) / 1e6
	zone := int(zf)
	if zf != math.Trunc(zf) || zf < 1 || zf > 120 {
		return CRS{}, fmt.Errorf("%w: %s: false_easting %v is not 500000 or zone × 1000000 + 500000", ErrUnknown, where, fe)
	}
	var c CRS
	switch icm {
	case 3 * zone:
		c, err = GK(3, zone, true)
	case 6*zone - 3:
		c, err = GK(6, zone, true)
	default:
		return CRS{}, fmt.Errorf("%w: %s: false_easting %v says zone %d, central_meridian %v does not match",
			ErrUnknown, where, fe, zone, cm)
	}
	if err != nil {
		return CRS{}, fmt.Errorf("%w (in %s)", err, where)
	}
	return c, nil
}

// nameFields splits a CRS name into words: "CGCS2000_3_Degree_GK_CM_99E".
func nameFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '_' || r == '-' || r == '/' || r == '"'
	})
}

// nameZoneWidth returns the zone width an upper-cased Gauss–Krüger name
// states: 3 for "3-degree" or "3_Degree", 6 for other Gauss–Krüger names
// (EPSG and ESRI omit "6-degree"), 0 when s is not a Gauss–Krüger name.
func nameZoneWidth(s string) int {
	fields := nameFields(s)
	width, gk := 6, false
	for i, f := range fields {
		switch f {
		case "GK", "GAUSS", "KRUGER", "KRÜGER", "KRUEGER", "GAUSSKRUGER":
			gk = true
		case "DEGREE", "DEG":
			if i > 0 && fields[i-1] == "3" {
				width = 3
			}
		}
	}
	if !gk {
		return 0
	}
	return width
}

// gkFromName reads an upper-cased CGCS2000 Gauss–Krüger name in EPSG or ESRI
// style: "CGCS2000 / 3-DEGREE GAUSS-KRUGER ZONE 33", "CGCS2000_GK_CM_75E".
// ok is false when s does not look like a Gauss–Krüger name at all.
func gkFromName(s string) (c CRS, ok bool, err error) {
	width := nameZoneWidth(s)
	if width == 0 {
		return CRS{}, false, nil
	}
	fields := nameFields(s)
	var cgcs bool
	zone, cm := -1, -1
	for i, f := range fields {
		next := ""
		if i+1 < len(fields) {
			next = fields[i+1]
		}
		switch f {
		case "CGCS2000":
			cgcs = true
		case "ZONE":
			zone = atoiOr(next, -2)
		case "CM":
			cm = atoiOr(strings.TrimSuffix(next, "E"), -2)
		}
	}
	if zone == -1 && cm == -1 {
		return CRS{}, false, nil
	}
	if !cgcs {
		return CRS{}, true, fmt.Errorf("%w: %q is not on CGCS2000", ErrUnknown, s)
	}
	prefixed := zone != -1
	if !prefixed {
		switch {
		case width == 3 && cm > 0 && cm%3 == 0:
			zone = cm / 3
		case width == 6 && cm > 0 && (cm+3)%6 == 0:
			zone = (cm + 3) / 6
		default:
			return CRS{}, true, fmt.Errorf("%w: %q: central meridian %d°E is not a %d-degree zone's", ErrUnknown, s, cm, width)
		}
	}
	c, err = GK(width, zone, prefixed)
	if err != nil {
		return CRS{}, true, fmt.Errorf("%w (in %q)", err, s)
	}
	return c, true, nil
}

// atoiOr returns the decimal number s, or def.
func atoiOr(s string, def int) int {
	if s == "" || len(s) > 6 || strings.Trim(s, "0123456789") != "" {
		return def
	}
	n, _ := strconv.Atoi(s)
	return n
}
