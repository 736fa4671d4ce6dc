package server

import (
	"embed"
	"io/fs"
	"net/http"
	"path"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/report"
)

// The web page and its assets: no external URL, everything is here.
//
//go:embed web
var webFiles embed.FS

var webFS, _ = fs.Sub(webFiles, "web")

// page serves the web page.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(webFS, "index.html")
	if err != nil {
		writeProblem(w, r, statusErr(http.StatusInternalServerError, "web page: %v", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	w.Write(b)
}

// webAsset serves /web/NAME from the embedded files.
func (s *Server) webAsset(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	b, err := fs.ReadFile(webFS, name)
	if err != nil || name == "index.html" {
		writeProblem(w, r, statusErr(http.StatusNotFound, "no such file %s", r.URL.Path))
		return
	}
	types := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	w.Header().Set("Content-Type", types[path.Ext(name)])
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// webConfig is what the page needs from the server: the note on
// illustrative data, the project types, and the report palette.
func (s *Server) webConfig(w http.ResponseWriter, r *http.Request) {
	c := s.cat.Load()
	type style struct{ Fill, Stroke string }
	type layerDoc struct {
		Name, Kind string
		Features   int
		Bbox       [4]float64
		Styles     map[string]style // by zone ("" = no zone)
	}
	doc := struct {
		Note         string
		Version      string
		ProjectTypes []map[string]string
		Verdicts     map[string]map[string]string
		Layers       []layerDoc
	}{Version: s.cfg.Version, Verdicts: map[string]map[string]string{}}
	for _, t := range analysis.ProjectTypes {
		doc.ProjectTypes = append(doc.ProjectTypes, map[string]string{"id": t, "zh": report.ProjectTypeText(report.ZH, t)})
	}
	for _, v := range []string{"prohibited", "restricted", "review", "allowed", "clear"} {
		doc.Verdicts[v] = map[string]string{"zh": report.VerdictText(report.ZH, v), "en": report.VerdictText(report.EN, v),
			"color": report.VerdictColor(v)}
	}
	if c != nil {
		doc.Note = c.Note
		for i, l := range c.Layers {
			ld := layerDoc{Name: l.Name, Kind: l.Kind, Features: c.featureCount(i), Styles: map[string]style{}}
			b := c.extent(l)
			ld.Bbox = [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
			zones := append([]string{""}, l.Zones...)
			for _, z := range zones {
				if _, ok := ld.Styles[z]; !ok {
					f, st := report.FeatureStyle(l.Kind, z)
					ld.Styles[z] = style{f, st}
				}
			}
			doc.Layers = append(doc.Layers, ld)
		}
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, doc)
}
