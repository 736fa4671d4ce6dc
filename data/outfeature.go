package data

import "github.com/paulmach/orb"

// OutFeature is one feature handed to a writer (Shapefile, GeoJSON, KML).
// Geom is CGCS2000 lon/lat unless the writer says otherwise; a nil Geom is a
// feature without geometry. Props values are string, float64, int/int64 (and
// the other integer types), bool, time.Time or nil. Writers do not modify it.
type OutFeature struct {
	Geom  orb.Geometry
	Props map[string]any
}
