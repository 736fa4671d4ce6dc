package crs

import "math"

// The CGCS2000 ellipsoid (EPSG:1024): a = 6378137 m, 1/f = 298.257222101.
// geo's ellipsoidal area, length and distance use the same constants.
const (
	SemiMajorM    = 6378137.0
	InvFlattening = 298.257222101
	Flattening    = 1 / InvFlattening
	E2            = Flattening * (2 - Flattening) // first eccentricity squared
)

var ecc = math.Sqrt(E2)

const degToRad = math.Pi / 180
