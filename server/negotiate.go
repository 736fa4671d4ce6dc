package server

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Result formats, as ?f= names them.
const (
	fJSON    = "json"
	fHTML    = "html"
	fCSV     = "csv"
	fXLSX    = "xlsx"
	fGeoJSON = "geojson"
)

var mediaTypes = map[string]string{
	fJSON:    "application/json",
	fHTML:    "text/html; charset=utf-8",
	fCSV:     "text/csv; charset=utf-8",
	fXLSX:    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	fGeoJSON: "application/geo+json",
}

// format picks the response format: ?f= beats Accept; def when neither
// names one of allowed. ok is false for an unknown ?f=.
func format(r *http.Request, def string, allowed ...string) (string, bool) {
	if f := strings.ToLower(r.URL.Query().Get("f")); f != "" {
		if f == "jsonld" || f == "application/json" {
			f = fJSON
		}
		for _, a := range allowed {
			if f == a {
				return f, true
			}
		}
		return "", false
	}
	accept := r.Header.Get("Accept")
	for _, part := range strings.Split(accept, ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		for _, a := range allowed {
			if m := strings.SplitN(mediaTypes[a], ";", 2)[0]; mt == m {
				return a, true
			}
		}
	}
	return def, true
}

// wantsHTML is true for a browser navigating (Accept names text/html).
func wantsHTML(r *http.Request) bool {
	f, _ := format(r, fJSON, fJSON, fHTML)
	return f == fHTML
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONType(w, status, "application/json", v)
}

func writeJSONType(w http.ResponseWriter, status int, ctype string, v any) {
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// link is an OGC API link.
type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// baseURL is the scheme and host the client used, for absolute links
// (GDAL follows them as given).
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
