// Package geo holds the geometry core of redline: features and layers indexed
// in an R-tree, exact ellipsoidal area on CGCS2000, geodesic length and
// distance, polygon overlay behind a small engine seam (simplefeatures in pure
// Go, or GEOS with -tags geos), dissolve, validity and exact repair, and the
// planar ring helpers every reader uses. Coordinate reference systems are in
// geo/crs.
//
// Coordinates are longitude/latitude in degrees on CGCS2000 (EPSG:4490);
// WGS84 is treated as the same frame. Areas are in m², lengths in m.
// The package knows nothing about files, flags or reports.
package geo
