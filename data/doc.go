// Package data reads any supported input into a layer (ReadLayer,
// BuildLayer: dispatch by extension or content, CRS settled, features
// built), writes features in the format an output name says (WriteFeatures),
// and parses the layers config file. The formats themselves are one package
// each: data/geojson, data/shapefile, data/kml, data/jzd.
//
// It never opens files by itself: it reads from io.Reader or fs.FS and writes
// through the callbacks it is given, so that only cmd/redline touches the
// file system.
package data
