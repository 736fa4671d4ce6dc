package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// processInput describes an input of a process (OGC API Processes).
type processInput struct {
	Title       string         `json:"title"`
	Description string         `json:"description"`
	MinOccurs   int            `json:"minOccurs"`
	MaxOccurs   any            `json:"maxOccurs,omitempty"`
	Schema      map[string]any `json:"schema"`
}

var (
	geojsonSchema = map[string]any{"type": "object", "contentMediaType": "application/geo+json",
		"description": "GeoJSON FeatureCollection (or upload a file: zip shapefile, 界址点 TXT, KML/KMZ, GeoJSON)"}
	str     = map[string]any{"type": "string"}
	boolean = map[string]any{"type": "boolean"}
)

var commonInputs = map[string]processInput{
	"crs":      {"CRS", "the input's CRS when detection is not wanted (EPSG:4490, EPSG:4521, gcj02, …)", 0, 1, str},
	"id_field": {"id field", "property giving the feature ids (default: id, ID, 编号, BSM, name)", 0, 1, str},
	"lang":     {"language", "language of the HTML, CSV and xlsx reports: zh (default) or en", 0, 1, map[string]any{"type": "string", "enum": []string{"zh", "en"}}},
}

type processDoc struct {
	ID                 string                    `json:"id"`
	Title              string                    `json:"title"`
	Description        string                    `json:"description"`
	Version            string                    `json:"version"`
	JobControlOptions  []string                  `json:"jobControlOptions"`
	OutputTransmission []string                  `json:"outputTransmission"`
	Inputs             map[string]processInput   `json:"inputs,omitempty"`
	Outputs            map[string]map[string]any `json:"outputs,omitempty"`
	Links              []link                    `json:"links"`
}

// processDocs are the processes' descriptions, built once: every execution
// looks its process up here. Callers copy a doc before setting its links.
var processDocs = processes()

func processes() []processDoc {
	screenIn := map[string]processInput{
		"sites":        {"sites", "the project sites: polygons, lines or points", 1, 1, geojsonSchema},
		"type":         {"project type", "project type of every site (industrial, 工业, mining, road, …); else each site's project_type", 0, 1, str},
		"near":         {"near", "list features within this distance (500m, 1km; default 1km)", 0, 1, str},
		"fail_on":      {"fail on", "count sites at or above this verdict in the Redline-Findings header: prohibited, restricted, review, any, never", 0, 1, str},
		"skip_invalid": {"skip invalid", "leave invalid sites and features out and list them", 0, 1, boolean},
		"repair":       {"repair", "repair invalid sites and features on load and list what changed", 0, 1, boolean},
	}
	shareIn := map[string]processInput{
		"regions":      {"regions", "the regions (counties, townships)", 1, 1, geojsonSchema},
		"layers":       {"layers", "names of the loaded layers to measure (default all)", 0, "unbounded", map[string]any{"type": "array", "items": str}},
		"target":       {"target", "target share or area: 25.6, 25.6%, redline=25.6%, reserve=200000ha", 0, 1, str},
		"whole":        {"whole", "treat all regions as one", 0, 1, boolean},
		"region_field": {"region field", "property naming the regions", 0, 1, str},
	}
	diffIn := map[string]processInput{
		"old":          {"OLD", "the layer before the adjustment (the old red line)", 1, 1, geojsonSchema},
		"new":          {"NEW", "the layer after the adjustment (the new red line)", 1, 1, geojsonSchema},
		"regions":      {"regions", "the regions (counties, townships) to split every number by; without it, the totals only", 0, 1, geojsonSchema},
		"region_field": {"region field", "property naming the regions", 0, 1, str},
		"landuse":      {"land use", "land-use layer (三调) splitting the added and removed land by class (needs by)", 0, 1, geojsonSchema},
		"by":           {"by", "land-class property of landuse (DLMC, DLBM)", 0, 1, str},
		"min_area":     {"min area", "leave ledger pieces smaller than this out and total them (1m2, 0.01ha, 1亩; default 0)", 0, 1, str},
		"no_loss":      {"no loss", "count the places where the area falls (面积不减少) in the Redline-Findings header", 0, 1, boolean},
		"per_region":   {"per region", "with no_loss: each region's area too, not only the total", 0, 1, boolean},
		"skip_invalid": screenIn["skip_invalid"],
		"repair":       screenIn["repair"],
	}
	for k, v := range commonInputs {
		screenIn[k], shareIn[k], diffIn[k] = v, v, v
	}
	formats := []any{}
	for _, f := range resultFormats {
		formats = append(formats, map[string]any{"mediaType": mediaTypes[f]})
	}
	out := map[string]map[string]any{"result": {"title": "result",
		"description": "the CLI's JSON document (?f=json), or ?f=html, csv, xlsx, geojson",
		"schema":      map[string]any{"oneOf": formats}}}
	ctl := []string{"sync-execute", "async-execute", "dismiss"}
	return []processDoc{
		{ID: "screen", Title: "screen (选址/用地预审筛查)", Version: "1.0.0", JobControlOptions: ctl, OutputTransmission: []string{"value"},
			Description: "screen project sites against the loaded constraint layers with the rule book; the result is `redline screen --format json`",
			Inputs:      screenIn, Outputs: out},
		{ID: "share", Title: "share (面积占比)", Version: "1.0.0", JobControlOptions: ctl, OutputTransmission: []string{"value"},
			Description: "area share of each region covered by loaded layers, against a target; the result is `redline share --format json`",
			Inputs:      shareIn, Outputs: out},
		{ID: "diff", Title: "diff (生态保护红线评估调整: 调入, 调出, 保留)", Version: "1.0.0", JobControlOptions: ctl, OutputTransmission: []string{"value"},
			Description: "land added, removed and kept between two uploaded versions of a layer, per region and land class, and the ledger (台账); the result is `redline diff --format json` (?f=xlsx the ledger, ?f=geojson its pieces)",
			Inputs:      diffIn, Outputs: out},
	}
}

func findProcess(id string) *processDoc {
	for _, p := range processDocs {
		if p.ID == id {
			return &p
		}
	}
	return nil
}

func processLinks(r *http.Request, id string) []link {
	b := baseURL(r) + "/processes/" + url.PathEscape(id)
	return []link{{b, "self", "application/json", id},
		{b + "/execution", "http://www.opengis.net/def/rel/ogc/1.0/execute", "application/json", "execute " + id}}
}

func (s *Server) processList(w http.ResponseWriter, r *http.Request) {
	var list []processDoc
	for _, p := range processDocs {
		p.Inputs, p.Outputs = nil, nil
		p.Links = processLinks(r, p.ID)
		list = append(list, p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"processes": list,
		"links": []link{{baseURL(r) + "/processes", "self", "application/json", "processes"}}})
}

func (s *Server) processDesc(w http.ResponseWriter, r *http.Request) {
	p := findProcess(r.PathValue("id"))
	if p == nil {
		writeProblem(w, r, statusErr(http.StatusNotFound, "no process %q (GET /processes lists them)", r.PathValue("id")))
		return
	}
	p.Links = processLinks(r, p.ID)
	writeJSON(w, http.StatusOK, p)
}

// execute runs a process: synchronously (the result in the response), or
// with Prefer: respond-async as a job (201 and Location: /jobs/{id}).
func (s *Server) execute(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if findProcess(id) == nil {
		writeProblem(w, r, statusErr(http.StatusNotFound, "no process %q (GET /processes lists them)", id))
		return
	}
	f, err := resultFormat(r)
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	req, err := s.decodeExecution(w, r, id)
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	cat := s.snapshot() // one snapshot for the whole execution, held until it ends
	if cat == nil {
		writeProblem(w, r, &httpError{status: http.StatusServiceUnavailable, retryAfter: 5, err: errors.New("the layers are not loaded")})
		return
	}
	if req.async {
		j, err := s.submit(cat, req) // the job releases cat
		if err != nil {
			writeProblem(w, r, err)
			return
		}
		w.Header().Set("Location", "/jobs/"+j.id)
		w.Header().Set("Preference-Applied", "respond-async")
		writeJSON(w, http.StatusCreated, j.status(r))
		return
	}
	defer cat.release()
	if err := s.enqueue(); err != nil {
		writeProblem(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Timeout)
	defer cancel()
	var o *outcome
	err = s.work(ctx, func() error {
		var err error
		o, err = s.run(ctx, cat, req, f == fHTML || f == fGeoJSON, nil)
		return err
	})
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	writeOutcome(w, r, o, f)
}
