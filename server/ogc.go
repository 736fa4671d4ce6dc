package server

import (
	"net/http"
)

// Conformance classes the service implements.
var conformanceClasses = []string{
	"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
	"http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/core",
	"http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/json",
	"http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/job-list",
	"http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/dismiss",
}

// landing is the web page for a browser, the OGC API landing page (links)
// for everyone else.
func (s *Server) landing(w http.ResponseWriter, r *http.Request) {
	if wantsHTML(r) {
		s.page(w, r)
		return
	}
	b := baseURL(r)
	doc := map[string]any{
		"title":       "redline",
		"description": "Ecological-constraint screening (red lines, reserves, water-source zones) on the CGCS2000 ellipsoid",
		"links": []link{
			{b + "/", "self", "application/json", "this document"},
			{b + "/?f=html", "alternate", "text/html", "the web page"},
			{b + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"},
			{b + "/conformance", "conformance", "application/json", "conformance classes"},
			{b + "/collections", "data", "application/json", "the constraint layers"},
			{b + "/processes", "http://www.opengis.net/def/rel/ogc/1.0/processes", "application/json", "processes"},
			{b + "/jobs", "http://www.opengis.net/def/rel/ogc/1.0/job-list", "application/json", "jobs"},
		},
	}
	if c := s.cat.Load(); c != nil && c.Note != "" {
		doc["note"] = c.Note
	}
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) conformance(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"conformsTo": conformanceClasses})
}

// api is a minimal OpenAPI document listing the paths.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	paths := map[string]any{}
	for _, p := range []string{"/", "/conformance", "/collections", "/collections/{collectionId}",
		"/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}",
		"/processes", "/processes/{processID}", "/processes/{processID}/execution", "/jobs", "/jobs/{jobID}",
		"/jobs/{jobID}/results"} {
		paths[p] = map[string]any{}
	}
	writeJSONType(w, http.StatusOK, "application/vnd.oai.openapi+json;version=3.0", map[string]any{
		"openapi": "3.0.3", "info": map[string]any{"title": "redline", "version": s.cfg.Version}, "paths": paths})
}
