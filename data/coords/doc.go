// Package coords reads boundary-point tables, the coordinate lists that
// applicants send as CSV (UTF-8 or GBK) or Excel (.xlsx, through excelize):
// one row per point, with an optional plot-id column (地块编号/plot), a
// point-number column (点号/J), an optional ring column (圈号/ring), and
// either X/Y (Gauss–Krüger, X the northing as in survey practice; swapped
// with a warning when the magnitudes say the columns are the other way
// round), 经度/纬度 in decimal degrees or 度分秒 (99°05'12.3", 99-05-12.3,
// 990512.3), or one WKT column. Header names are Chinese or English,
// case-insensitive.
//
// Each plot becomes one geo.Record: its rings (by 圈号, else runs that close
// on their first point) are closed where needed (with a warning) and
// assembled by nesting (geo.AssembleRings with geo.ByNesting): a ring inside
// another is a hole, one outside is another part. Coordinates come out as
// x = easting or longitude, y = northing or latitude; the CRS is left to the
// caller (data.BuildLayer detects it or takes --crs). The package knows
// nothing of files by path or of other formats.
package coords
