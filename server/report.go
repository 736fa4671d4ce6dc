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

// writeRecordsGeoJSON writes report records with the GeoJSON writer (RFC
// 7946), as `-o pieces.geojson` does.
func writeRecordsGeoJSON(w io.Writer) func(fields []string, recs []geo.Record) error {
	return func(fields []string, recs []geo.Record) error {
		feats := make([]data.OutFeature, len(recs))
		for i, r := range recs {
			feats[i] = data.OutFeature{Geom: r.Geom, Props: r.Props}
		}
		return data.WriteGeoJSON(w, fields, feats)
	}
}
