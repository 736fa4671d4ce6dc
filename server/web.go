package server

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
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
