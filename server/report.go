package server

import (
	"io"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

// The report writers the CLI uses, in one place: the service's documents
// are the CLI's documents because they come from the same functions.

func writeScreen(w io.Writer, o *outcome, f string) error {
	switch f {
	case fHTML:
		return report.WriteScreenHTML(w, o.screen, o.cat.Layers, o.meta, o.lang)
	case fCSV:
		return report.WriteScreenCSV(w, o.screen, o.lang)
	case fXLSX:
		return report.WriteScreenXLSX(w, o.screen, o.lang)
	case fGeoJSON:
		return writeRecordsGeoJSON(w)(report.ScreenPieces(o.screen))
	}
	return report.WriteJSON(w, o.screen)
}

func writeShare(w io.Writer, o *outcome, f string) error {
	switch f {
	case fHTML:
		return report.WriteShareHTML(w, o.share, o.meta, o.lang)
	case fCSV:
		return report.WriteShareCSV(w, o.share, o.lang)
	case fXLSX:
		return report.WriteShareXLSX(w, o.share, o.lang)
	case fGeoJSON:
		return writeRecordsGeoJSON(w)(report.ShareRegions(o.share))
	}
	return report.WriteShareJSON(w, o.share)
}

func writeDiff(w io.Writer, o *outcome, f string) error {
	switch f {
	case fHTML:
		return report.WriteDiffHTML(w, o.diff, o.old, o.new, o.meta, o.lang)
	case fCSV:
		return report.WriteDiffCSV(w, o.diff)
	case fXLSX:
		return report.WriteDiffXLSX(w, o.diff, o.lang)
	case fGeoJSON:
		return writeRecordsGeoJSON(w)(report.DiffPieces(o.diff))
	}
	return report.WriteJSON(w, o.diff)
}

// writeRecordsGeoJSON writes report records with the writer `-o
// pieces.geojson` uses (RFC 7946).
func writeRecordsGeoJSON(w io.Writer) func(fields []string, recs []geo.Record) error {
	return func(fields []string, recs []geo.Record) error {
		out := data.Output{Name: "pieces.geojson", Write: func(fn func(io.Writer) error) error { return fn(w) }}
		return data.WriteFeatures(out, fields, recs, data.WriteOptions{})
	}
}
