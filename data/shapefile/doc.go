// Package shapefile reads and writes ESRI Shapefiles: .shp/.shx, the .dbf
// attribute table (with its code page: .cpg, LDID or detection), the .prj,
// and a shapefile zipped with its sidecar files. Read returns a *geo.Source.
//
// It knows no other format, opens no files (fs.FS, io.ReaderAt, io.Writer
// only) and does no CRS conversion: data.BuildLayer does that.
package shapefile
