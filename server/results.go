package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"sync"
)

var resultFormats = []string{fJSON, fHTML, fCSV, fXLSX, fGeoJSON}

// resultFormat is the format a result is asked in (?f= beats Accept; JSON
// by default).
func resultFormat(r *http.Request) (string, error) {
	f, ok := format(r, fJSON, resultFormats...)
	if !ok {
		return "", statusErr(http.StatusNotAcceptable, "f=%q: want json, html, csv, xlsx or geojson", r.URL.Query().Get("f"))
	}
	return f, nil
}

// writeOutcome answers a finished execution in format f.
func writeOutcome(w http.ResponseWriter, r *http.Request, o *outcome, f string) {
	buf := resultBuffers.Get().(*bytes.Buffer)
	defer releaseResultBuffer(buf)
	var err error
	switch o.process {
	case "share":
		err = writeShare(buf, o, f)
	case "diff":
		err = writeDiff(buf, o, f)
	default:
		err = writeScreen(buf, o, f)
	}
	if err != nil {
		writeProblem(w, r, statusErr(http.StatusInternalServerError, "writing the %s result: %v", f, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", mediaTypes[f])
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if f == fHTML {
		// The report is one self-contained page without scripts: allow nothing else.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	}
	h.Set("X-Content-Type-Options", "nosniff")
	switch f {
	case fXLSX, fCSV, fGeoJSON:
		ext := map[string]string{fXLSX: "xlsx", fCSV: "csv", fGeoJSON: "geojson"}[f]
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, o.process, ext))
	}
	if o.findings > 0 {
		h.Set("Redline-Findings", strconv.Itoa(o.findings))
	}
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// resultBuffers hold the results being answered: one per request, reused.
var resultBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// releaseResultBuffer keeps buffers of everyday results only: a rare large
// report (a whole layer's xlsx) would otherwise stay resident.
func releaseResultBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	resultBuffers.Put(b)
}
