// Package dxf reads ASCII DXF drawings (R12 to 2018) into a geo.Source:
// closed polylines and HATCH boundaries become polygons (rings nested by
// containment on one layer become holes or parts, through geo.AssembleRings),
// open polylines, lines and arcs become LineStrings, POINTs points, and the
// TEXT/MTEXT lying inside a polygon its name. Blocks are expanded.
//
// Coordinates come out as the drawing has them (x = easting, y = northing,
// Z dropped): the CRS is left to the caller (data.BuildLayer detects
// Gauss–Krüger by magnitude). Arcs (polyline bulges, ARC, CIRCLE, HATCH arc
// edges) are densified so that no point of the true arc is more than
// Options.ArcTolerance (default 0.01 drawing units, i.e. 1 cm for metric
// survey drawings) from the ring, with the inner vertices placed just
// outside the arc so that the area of each densified arc equals the exact
// circular sector area: the plane area of a polygon with bulges is the exact
// one (chords plus circular segments) to rounding, except for arcs short
// enough to need no inner vertex (their segment, at most 2/3 · tolerance ·
// chord, is dropped).
//
// The package knows nothing of files by path, of CRS conversion or of other
// formats: it reads an io.Reader.
package dxf
