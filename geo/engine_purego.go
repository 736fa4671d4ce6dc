//go:build !geos

package geo

import sf "github.com/peterstace/simplefeatures/geom"

type engineGeom = sf.Geometry

// EngineName names the overlay engine this binary was built with.
const EngineName = "simplefeatures (pure Go)"

// HasMakeValid reports whether the engine can repair any invalid polygon.
const HasMakeValid = false

func engineIntersection(a, b sf.Geometry) (sf.Geometry, error) { return sf.Intersection(a, b) }

// engineUnion is the two-input union. UnionMany/UnaryUnion are never used in
// pure Go: in v0.50.0 they lose area when one polygon covers another's hole.
func engineUnion(a, b sf.Geometry) (sf.Geometry, error)      { return sf.Union(a, b) }
func engineDifference(a, b sf.Geometry) (sf.Geometry, error) { return sf.Difference(a, b) }
func engineIntersects(a, b sf.Geometry) (bool, error)        { return sf.Intersects(a, b), nil }
func engineMakeValid(sf.Geometry) (sf.Geometry, error)       { return sf.Geometry{}, ErrNeedsGEOS }
