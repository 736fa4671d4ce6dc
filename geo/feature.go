package geo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// ErrUnsupportedGeometry reports a geometry type a layer cannot hold.
var ErrUnsupportedGeometry = errors.New("geo: unsupported geometry")

// Feature is one record of a layer: its place in the file, its id and
// properties, and its geometry in lon/lat, converted once to the overlay
// engine's form.
type Feature struct {
	Index int            // 0-based position in its file
	ID    string         // from the feature's id or an id-like property
	Props map[string]any // attributes as read; never nil after NewFeature
	Geom  orb.Geometry   // lon/lat degrees
	Bound orb.Bound
	Shape Shape // Geom in the engine's form
}

// NewFeature checks g's type and coordinates and converts it to the engine's
// form. It does not check polygon validity (see Validate): a layer may hold
// invalid features so that they can be reported and repaired.
func NewFeature(index int, id string, props map[string]any, g orb.Geometry) (Feature, error) {
	if props == nil {
		props = map[string]any{}
	}
	f := Feature{Index: index, ID: id, Props: props, Geom: g}
	if g == nil {
		return f, fmt.Errorf("%w: no geometry", ErrUnsupportedGeometry)
	}
	if err := checkCoords(g); err != nil {
		return f, err
	}
	s, err := ShapeOf(g)
	if err != nil {
		return f, err
	}
	f.Shape = s
	f.Bound = g.Bound()
	return f, nil
}

// Label names the feature in messages: "feature 41 (id 5309…)".
func (f *Feature) Label() string {
	if f.ID == "" {
		return fmt.Sprintf("feature %d", f.Index)
	}
	return fmt.Sprintf("feature %d (id %s)", f.Index, f.ID)
}

// checkCoords rejects NaN, Inf and lon/lat out of range, naming the point.
func checkCoords(g orb.Geometry) error {
	var err error
	visitPoints(g, func(p orb.Point) bool {
		switch {
		case math.IsNaN(p[0]) || math.IsNaN(p[1]):
			err = fmt.Errorf("geo: NaN coordinate")
		case math.IsInf(p[0], 0) || math.IsInf(p[1], 0):
			err = fmt.Errorf("geo: infinite coordinate")
		case p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90:
			err = fmt.Errorf("geo: coordinate %g,%g is not lon/lat (out of range)", p[0], p[1])
		}
		return err == nil
	})
	return err
}

// visitPoints calls fn for every vertex of g until fn returns false.
func visitPoints(g orb.Geometry, fn func(orb.Point) bool) bool {
	switch g := g.(type) {
	case orb.Point:
		return fn(g)
	case orb.MultiPoint:
		for _, p := range g {
			if !fn(p) {
				return false
			}
		}
	case orb.LineString:
		return visitPoints(orb.MultiPoint(g), fn)
	case orb.Ring:
		return visitPoints(orb.MultiPoint(g), fn)
	case orb.MultiLineString:
		for _, l := range g {
			if !visitPoints(orb.MultiPoint(l), fn) {
				return false
			}
		}
	case orb.Polygon:
		for _, r := range g {
			if !visitPoints(orb.MultiPoint(r), fn) {
				return false
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if !visitPoints(p, fn) {
				return false
			}
		}
	case orb.Collection:
		for _, c := range g {
			if !visitPoints(c, fn) {
				return false
			}
		}
	case orb.Bound:
		return visitPoints(g.ToPolygon(), fn)
	}
	return true
}

// IsPolygonal reports whether g is a Polygon or MultiPolygon.
func IsPolygonal(g orb.Geometry) bool {
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon, orb.Bound:
		return true
	}
	return false
}

// ErrNeedsGEOS reports a repair that only the GEOS build (-tags geos) can do.
var ErrNeedsGEOS = errors.New("geo: this repair needs the GEOS build (go build -tags geos)")
