package crs

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// Kind is the family of a coordinate reference system.
type Kind int

// The coordinate reference systems redline reads.
const (
	LonLat      Kind = iota // geographic lon/lat degrees: CGCS2000 (4490), WGS84 (4326), CRS84
	GaussKruger             // CGCS2000 Gauss–Krüger, 3° or 6° zones (EPSG:4491–4554)
	WebMercator             // EPSG:3857 on WGS84
	GCJ02                   // the obfuscated lon/lat of Chinese web maps ("火星坐标")
)

// ErrUnknown reports a CRS that redline cannot identify or does not support.
var ErrUnknown = errors.New("crs: unknown or unsupported CRS")

// CRS identifies a coordinate reference system. In projected systems x is
// the easting and y the northing, in metres.
type CRS struct {
	Kind      Kind
	EPSG      int  // 4490, 4326, 3857, 4491–4554; 0 for GCJ-02 and CRS84
	ZoneWidth int  // Gauss–Krüger: 3 or 6 (degrees)
	Zone      int  // Gauss–Krüger zone number
	Prefixed  bool // Gauss–Krüger: the easting carries the zone number × 10⁶
}

// CGCS2000 is the CRS redline works in: geographic lon/lat on CGCS2000.
var CGCS2000 = CRS{Kind: LonLat, EPSG: 4490}

// IsLonLat reports whether c needs no conversion to reach CGCS2000 lon/lat.
func (c CRS) IsLonLat() bool { return c.Kind == LonLat }

// Reproject returns g converted from c to CGCS2000 lon/lat. g is not modified.
func (c CRS) Reproject(g orb.Geometry) (orb.Geometry, error) {
	if c.IsLonLat() {
		return g, nil
	}
	var err error
	fn := func(p orb.Point) orb.Point {
		lon, lat, e := c.ToLonLat(p[0], p[1])
		if e != nil && err == nil {
			err = e
		}
		return orb.Point{lon, lat}
	}
	if p, ok := g.(orb.Point); ok { // a value: mapPoints cannot replace it
		return fn(p), err
	}
	out := orb.Clone(g)
	mapPoints(out, fn)
	return out, err
}

// Project returns g (CGCS2000 lon/lat) converted to c. g is not modified.
func (c CRS) Project(g orb.Geometry) (orb.Geometry, error) {
	if c.IsLonLat() {
		return g, nil
	}
	var err error
	fn := func(p orb.Point) orb.Point {
		x, y, e := c.FromLonLat(p[0], p[1])
		if e != nil && err == nil {
			err = e
		}
		return orb.Point{x, y}
	}
	if p, ok := g.(orb.Point); ok { // a value: mapPoints cannot replace it
		return fn(p), err
	}
	out := orb.Clone(g)
	mapPoints(out, fn)
	return out, err
}

// mapPoints replaces every vertex of g in place.
func mapPoints(g orb.Geometry, fn func(orb.Point) orb.Point) {
	switch g := g.(type) {
	case orb.Point:
		// a Point is a value: Reproject and Project convert it themselves
	case orb.MultiPoint:
		for i := range g {
			g[i] = fn(g[i])
		}
	case orb.LineString:
		for i := range g {
			g[i] = fn(g[i])
		}
	case orb.Ring:
		for i := range g {
			g[i] = fn(g[i])
		}
	case orb.MultiLineString:
		for _, l := range g {
			mapPoints(l, fn)
		}
	case orb.Polygon:
		for _, r := range g {
			mapPoints(r, fn)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			mapPoints(p, fn)
		}
	case orb.Collection:
		for i := range g {
			if p, ok := g[i].(orb.Point); ok {
				g[i] = fn(p)
				continue
			}
			mapPoints(g[i], fn)
		}
	}
}

// String names c for people: "EPSG:4521 (CGCS2000 / 3-degree Gauss-Kruger zone 33)".
func (c CRS) String() string {
	switch c.Kind {
	case LonLat:
		switch c.EPSG {
		case 4490:
			return "EPSG:4490 (CGCS2000)"
		case 4326:
			return "EPSG:4326 (WGS 84)"
		}
		return "OGC:CRS84 (WGS 84)"
	case GaussKruger:
		return fmt.Sprintf("EPSG:%d (CGCS2000 / %d-degree Gauss-Kruger zone %d)", c.EPSG, c.ZoneWidth, c.Zone)
	case WebMercator:
		return "EPSG:3857 (WGS 84 / Pseudo-Mercator)"
	case GCJ02:
		return "GCJ-02"
	}
	return "unknown CRS"
}
