package data

import "github.com/redline-gis/redline/geo/crs"

// shpCGCS2000WKT is the .prj that ArcGIS writes for CGCS2000 geographic
// coordinates (EPSG:4490).
const shpCGCS2000WKT = `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`

// crsFromWKT reads the CRS of a .prj file (a variable so that tests can see
// what the reader asks for).
var crsFromWKT = crs.FromWKT
