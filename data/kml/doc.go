// Package kml reads and writes KML and KMZ (zipped KML): Placemarks with
// their ExtendedData, as a *geo.Source of lon/lat records.
//
// It knows no other format, opens no files (io.Reader, io.ReaderAt and
// io.Writer only) and does no CRS conversion: data.BuildLayer does that.
package kml
