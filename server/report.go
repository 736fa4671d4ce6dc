package server

import (
	"io"

	"github.com/redline-gis/redline/data"
)

// The report writers the CLI uses, in one place: the service's documents
// are the CLI's documents because they come from the same functions.

func writeScreen(w io.Writer, o *outcome, f string) error {
	switch f {
	case fHTML:
		return data.WriteScreenHTML(w, o.screen, o.cat.Layers, o.meta, o.lang)
	case fCSV:
		return data.WriteScreenCSV(w, o.screen, o.lang)
	case fXLSX:
		return data.WriteScreenXLSX(w, o.screen, o.lang)
	case fGeoJSON:
		fields, pieces := data.ScreenPieces(o.screen)
		return data.WriteGeoJSON(w, fields, pieces)
	}
	return data.WriteJSON(w, o.screen)
}

func writeShare(w io.Writer, o *outcome, f string) error {
	switch f {
	case fHTML:
		return data.WriteShareHTML(w, o.share, o.meta, o.lang)
	case fCSV:
		return data.WriteShareCSV(w, o.share, o.lang)
	case fXLSX:
		return data.WriteShareXLSX(w, o.share, o.lang)
	case fGeoJSON:
		fields, regions := data.ShareRegions(o.share)
		return data.WriteGeoJSON(w, fields, regions)
	}
	return data.WriteShareJSON(w, o.share)
}
