//go:build geos

package geo

import (
	sf "github.com/peterstace/simplefeatures/geom"
	sfgeos "github.com/peterstace/simplefeatures/geos"
)

// EngineName names the overlay engine this binary was built with.
const EngineName = "GEOS"

// HasMakeValid reports whether the engine can repair any invalid polygon.
const HasMakeValid = true

func engineIntersection(a, b sf.Geometry) (sf.Geometry, error) { return sfgeos.Intersection(a, b) }
func engineUnion(a, b sf.Geometry) (sf.Geometry, error)        { return sfgeos.Union(a, b) }
func engineDifference(a, b sf.Geometry) (sf.Geometry, error)   { return sfgeos.Difference(a, b) }
func engineIntersects(a, b sf.Geometry) (bool, error)          { return sfgeos.Intersects(a, b) }
func engineMakeValid(g sf.Geometry) (sf.Geometry, error)       { return sfgeos.MakeValid(g) }

type engineGeom = sf.Geometry
