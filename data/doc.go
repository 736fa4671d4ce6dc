// Package data reads and writes redline's file formats: GeoJSON (streamed),
// Shapefile (.shp/.shx/.dbf/.prj/.cpg, or a .zip), the 界址点坐标 TXT of land
// approvals, KML/KMZ; and the reports (JSON, CSV, GeoJSON, HTML).
//
// It never opens files by itself: it reads from io.Reader or fs.FS and writes
// to io.Writer, so that only cmd/redline touches the file system.
package data
