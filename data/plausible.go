package data

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// Coordinates that a declared CRS turns into nonsense must stop the run
// (DESIGN.md "Reliability rules"): lon/lat under a Gauss-Krüger .prj
// becomes a site of a fraction of a square metre, reported clear. These
// checks say which --crs to give; an explicit --crs is taken as meant.

// chinaBox is the box crs.InChina tests, as a bound.
var chinaBox = orb.Bound{Min: orb.Point{73, 3}, Max: orb.Point{136, 54}}

// checkDeclaredCRS looks at the raw extent (in the file's CRS) of a layer
// whose CRS the file declared.
func checkDeclaredCRS(name string, c crs.CRS, from string, raw orb.Bound, empty bool) error {
	if empty || from == "--crs" || c.Kind != crs.GaussKruger {
		return nil
	}
	if math.Max(math.Abs(raw.Min[0]), math.Abs(raw.Max[0])) < 1000 {
		return fmt.Errorf("data: %s: the CRS (%s, from %s) is Gauss-Krüger but the eastings are %.6g – %.6g, under 1 000 m: "+
			"these are not Gauss-Krüger metres%s", name, c, from, raw.Min[0], raw.Max[0], suggestCRS(raw))
	}
	return nil
}

// suggestCRS says which --crs the raw extent looks like.
func suggestCRS(raw orb.Bound) string {
	if d, ok := crs.Detect(raw); ok {
		return fmt.Sprintf("; they look like %s: give --crs EPSG:%d", d, d.EPSG)
	}
	return "; give the right one with --crs (e.g. --crs EPSG:4490 for lon/lat)"
}

// checkPlausible looks at the layer once converted to lon/lat: no polygon
// wider than 180° of longitude (one crossing the antimeridian, read the
// long way round), an extent that meets China, and for a projected CRS at
// least one polygon of 1 m² or more. raw is the extent in the file's CRS.
func checkPlausible(name string, info *LayerInfo, l *geo.Layer, raw orb.Bound) error {
	var ext orb.Bound
	first := true
	for i := range l.Features {
		f := &l.Features[i]
		if f.Bound.Max[0] < f.Bound.Min[0] {
			continue // empty geometry: no extent
		}
		if w := f.Bound.Max[0] - f.Bound.Min[0]; w > 180 && geo.IsPolygonal(f.Geom) {
			return fmt.Errorf("data: %s: %s spans %.1f° of longitude (%.4f – %.4f): it crosses the antimeridian and would be read "+
				"the long way round; split it at 180° (no area in China needs this)", name, f.Label(), w, f.Bound.Min[0], f.Bound.Max[0])
		}
		if first {
			ext, first = f.Bound, false
		} else {
			ext = ext.Union(f.Bound)
		}
	}
	if first || info.CRSFrom == "--crs" {
		return nil
	}
	if !ext.Intersects(chinaBox) {
		return fmt.Errorf("data: %s: the data lie outside China (%.4f,%.4f – %.4f,%.4f in lon/lat, read as %s from %s): "+
			"the CRS is wrong%s, or give --crs to read it as it is", name, ext.Min[0], ext.Min[1], ext.Max[0], ext.Max[1],
			info.CRS, info.CRSFrom, suggestCRS(raw))
	}
	if !info.CRS.IsLonLat() {
		polygons := false
		for i := range l.Features {
			if f := &l.Features[i]; geo.IsPolygonal(f.Geom) {
				if geo.AreaM2(f.Geom) >= 1 {
					return nil
				}
				polygons = true
			}
		}
		if !polygons {
			return nil
		}
		return fmt.Errorf("data: %s: every polygon is under 1 m² once read as %s (from %s): the coordinates are not in that CRS%s",
			name, info.CRS, info.CRSFrom, suggestCRS(raw))
	}
	return nil
}

// layerExtent is the extent of the features that have one (an empty
// geometry has none; orb gives it an inverted box).
func layerExtent(l *geo.Layer) (orb.Bound, bool) {
	var ext orb.Bound
	first := true
	for i := range l.Features {
		b := l.Features[i].Bound
		if b.Max[0] < b.Min[0] || b.Max[1] < b.Min[1] {
			continue
		}
		if first {
			ext, first = b, false
		} else {
			ext = ext.Union(b)
		}
	}
	return ext, !first
}

// duplicateIDs warns of each feature whose id an earlier feature has: a
// report by id would merge or confuse them.
func duplicateIDs(name string, feats []geo.Feature) []geo.Warning {
	first := make(map[string]int, len(feats))
	var out []geo.Warning
	for i := range feats {
		id := feats[i].ID
		if id == "" {
			continue
		}
		if j, ok := first[id]; ok {
			out = append(out, geo.Warnf("%s: %s has the same id as feature %d: ids should be unique (--id-field picks another property)",
				name, geo.Label("feature", i, id), j))
			continue
		}
		first[id] = i
	}
	return out
}
