// Package geojson reads GeoJSON into a *geo.Source (streamed: features are
// parsed on all cores as the file is read, never held whole) and writes
// RFC 7946 FeatureCollections.
//
// It knows no other format, opens no files (io.Reader and io.Writer only)
// and does no CRS conversion: data.BuildLayer does that.
package geojson
