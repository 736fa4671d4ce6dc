// Package gpkg reads and writes GeoPackage files (OGC 12-128, versions 1.0
// to 1.4) through modernc.org/sqlite, a pure-Go SQLite, so the binary stays
// static and `go run` needs only Go.
//
// Read takes an fs.FS: the file is opened through the read-only SQLite VFS
// of modernc.org/sqlite/vfs, so a GeoPackage inside any fs.FS (a directory,
// an embedded file system, a test's fstest.MapFS) reads without a path on
// disk. Write builds the database in memory and serialises it to an
// io.Writer, so that callers write it to a temporary file and rename it.
// Neither opens files by path.
//
// Geometries are GeoPackage binary (the "GP" header with any envelope kind,
// either byte order, the empty flag) around ISO WKB, decoded by go-geom's
// encoding/wkb after a bounds check of every count; curve types
// (CIRCULARSTRING, COMPOUNDCURVE, CURVEPOLYGON, MULTICURVE, MULTISURFACE)
// are linearised with geo.AppendArc (0.01 m, or its equivalent in degrees).
// Z and M are dropped. Records come out in the table's CRS, named by its
// srs_id; the package knows nothing of other formats or of CRS conversion.
package gpkg
