//go:build !geos

package geo

import "github.com/paulmach/orb"

// GEOSIsValid needs the GEOS build.
func GEOSIsValid(orb.Geometry) (bool, error) { return true, nil }

const HaveGEOSIsValid = false
