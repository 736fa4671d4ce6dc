//go:build geos

package geo

import "github.com/paulmach/orb"

// GEOSIsValid is GEOS's GEOSisValid on g.
func GEOSIsValid(g orb.Geometry) (bool, error) { return geosIsValid(g) }

const HaveGEOSIsValid = true
