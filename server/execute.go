package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/report"
)

// maxParts caps the files and fields of a multipart upload.
const maxParts = 32

// fileInputs are each process's inputs that are layers: inline GeoJSON in
// the execute document, or files uploaded under the input's name. A bare
// GeoJSON body is the first (diff, taking two layers, has no bare form).
var fileInputs = map[string][]string{
	"screen": {"sites"},
	"share":  {"regions"},
	"diff":   {"old", "new", "regions", "landuse"},
}

// upload is one layer input: its files (a shapefile's parts together) and
// the one to read. Each input has its own files, so OLD and NEW may both be
// 红线.shp.
type upload struct {
	files memFS
	name  string
}

// execRequest is an execution request, decoded: the uploaded files and the
// inputs, checked.
type execRequest struct {
	process     string
	uploads     map[string]*upload // by input name (sites, regions, old, new, landuse)
	typ         string
	nearM       float64
	failOn      analysis.Verdict // 0: none
	crs         string
	idField     string
	invalid     analysis.InvalidPolicy
	lang        report.Lang
	layers      []string // share: layer names (default all)
	target      string
	whole       bool
	regionField string
	minAreaM2   float64 // diff
	noLoss      bool
	perRegion   bool
	by          string
	async       bool
}

// decodeExecution reads an execute request: the OGC JSON document
// {"inputs": {...}}, a bare GeoJSON body (inputs in the query), or
// multipart/form-data with the files. The type and size are checked before
// the body is read.
func (s *Server) decodeExecution(w http.ResponseWriter, r *http.Request, process string) (*execRequest, error) {
	if r.ContentLength > s.cfg.MaxBody {
		return nil, statusErr(http.StatusRequestEntityTooLarge, "request body of %d bytes is larger than the limit of %d bytes (--max-body)",
			r.ContentLength, s.cfg.MaxBody)
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, statusErr(http.StatusUnsupportedMediaType, "Content-Type %q: want application/json, application/geo+json or multipart/form-data",
			r.Header.Get("Content-Type"))
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	req := &execRequest{process: process, uploads: map[string]*upload{}, nearM: 1000, async: preferAsync(r)}
	inputs := map[string]json.RawMessage{}
	switch mt {
	case "application/json":
		var doc struct {
			Inputs map[string]json.RawMessage `json:"inputs"`
		}
		dec := json.NewDecoder(r.Body)
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("request body: %w", jsonErr(err))
		}
		if dec.More() {
			return nil, errors.New("request body: data after the end of the JSON document")
		}
		if doc.Inputs == nil {
			return nil, errors.New(`request body: no "inputs" object (want {"inputs": {"sites": <FeatureCollection>, …}})`)
		}
		inputs = doc.Inputs
		for _, name := range fileInputs[process] {
			raw, ok := inputs[name]
			if !ok {
				continue
			}
			delete(inputs, name)
			b, err := inlineGeoJSON(name, raw)
			if err != nil {
				return nil, err
			}
			req.uploads[name] = &upload{files: memFS{name + ".geojson": b}, name: name + ".geojson"}
		}
	case "application/geo+json":
		if process == "diff" {
			return nil, statusErr(http.StatusUnsupportedMediaType, `process diff takes two layers: send {"inputs": {"old": <FeatureCollection>, "new": <FeatureCollection>}} as application/json, or the files old and new as multipart/form-data`)
		}
		b, err := readBody(r)
		if err != nil {
			return nil, err
		}
		name := fileInputs[process][0]
		req.uploads[name] = &upload{files: memFS{name + ".geojson": b}, name: name + ".geojson"}
		queryInputs(r.URL.Query(), inputs)
	case "multipart/form-data":
		if err := req.readMultipart(multipart.NewReader(r.Body, params["boundary"]), inputs); err != nil {
			return nil, err
		}
		queryInputs(r.URL.Query(), inputs)
	default:
		return nil, statusErr(http.StatusUnsupportedMediaType, "Content-Type %q: want application/json, application/geo+json or multipart/form-data", mt)
	}
	for _, u := range req.uploads {
		if err := s.checkArchives(u.files); err != nil {
			return nil, err
		}
	}
	if err := s.readInputs(req, inputs); err != nil {
		return nil, err
	}
	return req, nil
}

// readBody reads a request body, in one allocation when the request says
// its length (at most MaxBody, checked before).
func readBody(r *http.Request) ([]byte, error) {
	if n := r.ContentLength; n > 0 {
		b := make([]byte, n)
		if _, err := io.ReadFull(r.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return io.ReadAll(r.Body)
}

// inlineGeoJSON takes an input given as a GeoJSON object; a reference
// (href, a path or a URL) is refused: the server reads nothing a request names.
func inlineGeoJSON(name string, raw json.RawMessage) ([]byte, error) {
	var probe struct {
		Href  *string         `json:"href"`
		Value json.RawMessage `json:"value"`
	}
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return nil, fmt.Errorf("input %s: want a GeoJSON object (FeatureCollection, Feature or geometry), not a path or URL", name)
	}
	if t[0] == '{' && json.Unmarshal(t, &probe) == nil {
		if probe.Href != nil {
			return nil, fmt.Errorf("input %s: references (href) are not accepted: send the GeoJSON inline or upload the file", name)
		}
		if len(probe.Value) > 0 {
			return inlineGeoJSON(name, probe.Value)
		}
	}
	return t, nil
}

// readMultipart keeps the file parts (by base name) and the form fields.
func (req *execRequest) readMultipart(mr *multipart.Reader, inputs map[string]json.RawMessage) error {
	var byInput = map[string][]string{}
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("multipart body: %w", err)
		}
		if n >= maxParts {
			return statusErr(http.StatusRequestEntityTooLarge, "multipart body: more than %d parts", maxParts)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return fmt.Errorf("multipart part %q: %w", p.FormName(), err)
		}
		if p.FileName() == "" {
			if slices.Contains(fileInputs[req.process], p.FormName()) {
				// A layer sent as a form field (curl -F 'old=<a.geojson'): inline GeoJSON.
				name := p.FormName()
				if b, err = inlineGeoJSON(name, b); err != nil {
					return err
				}
				req.uploads[name] = &upload{files: memFS{name + ".geojson": b}, name: name + ".geojson"}
				continue
			}
			v, _ := json.Marshal(string(b))
			inputs[p.FormName()] = v
			continue
		}
		input := p.FormName()
		if !slices.Contains(fileInputs[req.process], input) {
			return fmt.Errorf("multipart file part %q: process %s takes files named %s", input, req.process,
				strings.Join(fileInputs[req.process], ", "))
		}
		name := uploadName(p.FileName())
		if name == "" {
			return fmt.Errorf("multipart file %q: not a usable file name", p.FileName())
		}
		u := req.uploads[input]
		if u == nil {
			u = &upload{files: memFS{}}
			req.uploads[input] = u
		}
		if _, dup := u.files[name]; dup {
			return fmt.Errorf("multipart body: two %s files named %q", input, name)
		}
		u.files[name] = b
		byInput[input] = append(byInput[input], name)
	}
	for input, names := range byInput {
		// Several files of one input are a shapefile's parts: read the .shp.
		pick := names[0]
		for _, n := range names {
			if strings.EqualFold(path.Ext(n), ".shp") {
				pick = n
			}
		}
		req.uploads[input].name = pick
	}
	return nil
}

// uploadName is the base name of an uploaded file, never a path.
func uploadName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base(name)
	if name == "." || name == "/" || name == ".." || strings.ContainsAny(name, "\x00") || len(name) > 200 {
		return ""
	}
	return name
}

// queryInputs takes inputs from the query string (bare or multipart bodies).
func queryInputs(q url.Values, inputs map[string]json.RawMessage) {
	for k, v := range q {
		if k == "f" || len(v) == 0 {
			continue
		}
		if _, set := inputs[k]; !set {
			b, _ := json.Marshal(v[0])
			inputs[k] = b
		}
	}
}

func preferAsync(r *http.Request) bool {
	for _, v := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			if strings.TrimSpace(strings.ToLower(p)) == "respond-async" {
				return true
			}
		}
	}
	return false
}

// jsonErr names where a JSON body went wrong.
func jsonErr(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %w", se.Offset, err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("truncated JSON (the body ends inside the document)")
	}
	return err
}

// knownInputs are the scalar inputs of all the processes.
var knownInputs = map[string]bool{"type": true, "near": true, "fail_on": true, "crs": true, "id_field": true,
	"skip_invalid": true, "repair": true, "lang": true, "layers": true, "layer": true, "target": true,
	"whole": true, "region_field": true, "min_area": true, "no_loss": true, "per_region": true, "by": true}

// readInputs checks the scalar inputs of a process.
func (s *Server) readInputs(req *execRequest, inputs map[string]json.RawMessage) error {
	str := func(name string) (string, bool, error) {
		raw, ok := inputs[name]
		if !ok {
			return "", false, nil
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", false, fmt.Errorf("input %s: %w", name, err)
		}
		switch x := v.(type) {
		case string:
			return x, true, nil
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64), true, nil
		case bool:
			return strconv.FormatBool(x), true, nil
		case nil:
			return "", false, nil
		}
		return "", false, fmt.Errorf("input %s: want a string or number", name)
	}
	flag := func(name string) (bool, error) {
		v, ok, err := str(name)
		if err != nil || !ok || v == "" {
			return false, err
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("input %s: %q is not true or false", name, v)
		}
		return b, nil
	}
	for k := range inputs {
		if !knownInputs[k] {
			return fmt.Errorf("unknown input %q (GET /processes/%s lists the inputs)", k, req.process)
		}
	}
	var err error
	var v string
	var ok bool
	if v, ok, err = str("type"); err != nil {
		return err
	} else if ok && v != "" {
		if req.typ, err = analysis.ParseProjectType(v); err != nil {
			return fmt.Errorf("input type: %w", err)
		}
	}
	if v, ok, err = str("near"); err != nil {
		return err
	} else if ok && v != "" {
		if req.nearM, err = analysis.ParseDistance(v); err != nil { // the CLI's --near grammar
			return fmt.Errorf("input near: %w", err)
		}
	}
	if v, ok, err = str("fail_on"); err != nil {
		return err
	} else if ok && v != "" && v != "never" {
		if v == "any" {
			req.failOn = analysis.Allowed
		} else if req.failOn, err = analysis.ParseVerdict(v); err != nil || req.failOn <= analysis.Allowed {
			return fmt.Errorf("input fail_on %q: want prohibited, restricted, review, any or never", v)
		}
	}
	if req.crs, _, err = str("crs"); err != nil {
		return err
	}
	if req.idField, _, err = str("id_field"); err != nil {
		return err
	}
	skip, err := flag("skip_invalid")
	if err != nil {
		return err
	}
	repair, err := flag("repair")
	if err != nil {
		return err
	}
	switch {
	case skip && repair:
		return errors.New("inputs skip_invalid and repair exclude each other")
	case skip:
		req.invalid = analysis.InvalidSkip
	case repair:
		req.invalid = analysis.InvalidRepair
	}
	req.lang = report.ZH
	if v, _, err = str("lang"); err != nil {
		return err
	} else if strings.EqualFold(v, "en") {
		req.lang = report.EN
	} else if v != "" && !strings.EqualFold(v, "zh") {
		return fmt.Errorf("input lang %q: want zh or en", v)
	}
	if raw, ok := inputs["layers"]; ok {
		if err := json.Unmarshal(raw, &req.layers); err != nil {
			var one string
			if json.Unmarshal(raw, &one) != nil {
				return errors.New("input layers: want a list of layer names")
			}
			req.layers = strings.Split(one, ",")
		}
	}
	if v, ok, err = str("layer"); err != nil {
		return err
	} else if ok && v != "" {
		req.layers = append(req.layers, v)
	}
	if req.target, _, err = str("target"); err != nil {
		return err
	}
	if req.whole, err = flag("whole"); err != nil {
		return err
	}
	if req.regionField, _, err = str("region_field"); err != nil {
		return err
	}
	if v, ok, err = str("min_area"); err != nil {
		return err
	} else if ok && v != "" {
		if req.minAreaM2, err = analysis.ParseArea(v); err != nil { // the CLI's --min-area grammar
			return fmt.Errorf("input min_area: %w", err)
		}
	}
	if req.noLoss, err = flag("no_loss"); err != nil {
		return err
	}
	if req.perRegion, err = flag("per_region"); err != nil {
		return err
	}
	if req.by, _, err = str("by"); err != nil {
		return err
	}
	switch req.process {
	case "screen":
		if req.uploads["sites"] == nil {
			return errors.New("input sites: missing (a GeoJSON FeatureCollection, or a file upload named sites)")
		}
	case "share":
		if req.uploads["regions"] == nil {
			return errors.New("input regions: missing (a GeoJSON FeatureCollection of regions, or a file upload named regions)")
		}
	case "diff":
		for _, in := range []string{"old", "new"} {
			if req.uploads[in] == nil {
				return fmt.Errorf("input %s: missing (the %s version of the layer: a GeoJSON FeatureCollection, or a file upload named %s)",
					in, map[string]string{"old": "OLD", "new": "NEW"}[in], in)
			}
		}
		if (req.uploads["landuse"] == nil) != (req.by == "") {
			return errors.New("inputs landuse and by go together (the land-use layer and its land-class property, e.g. DLMC)")
		}
	}
	return nil
}
