package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// Paging limits of /items.
const (
	defaultLimit = 100
	maxLimit     = 10_000
)

const crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

type collectionDoc struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
	Extent      struct {
		Spatial struct {
			BBox [][4]float64 `json:"bbox"`
			CRS  string       `json:"crs"`
		} `json:"spatial"`
	} `json:"extent"`
	Kind     string `json:"kind"`
	Features int    `json:"features"`
	Links    []link `json:"links"`
}

func collectionOf(r *http.Request, c *Catalog, l *analysis.Constraint) collectionDoc {
	b := baseURL(r) + "/collections/" + url.PathEscape(l.Name)
	n := l.Layer.Len()
	if t := c.table(l); t != nil {
		n = t.Total
	}
	d := collectionDoc{ID: l.Name, Title: l.Name, ItemType: "feature", CRS: []string{crs84}, Kind: l.Kind, Features: n}
	d.Description = fmt.Sprintf("constraint layer %s (kind %s), %d features, CGCS2000 lon/lat", l.Name, l.Kind, n)
	if t := c.table(l); t != nil {
		d.Description += "; read from PostGIS by box (pushdown)"
		if !t.Exact {
			d.Description += ", extent estimated from the table's statistics"
		}
	}
	if c.Note != "" {
		d.Description += "; " + c.Note
	}
	bd := c.extent(l)
	d.Extent.Spatial.BBox = [][4]float64{{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]}}
	d.Extent.Spatial.CRS = crs84
	d.Links = []link{
		{b, "self", "application/json", l.Name},
		{b + "/items", "items", "application/geo+json", l.Name + " features"},
	}
	return d
}

func (s *Server) collections(w http.ResponseWriter, r *http.Request) {
	c := s.cat.Load()
	docs := []collectionDoc{}
	for _, l := range c.Layers {
		docs = append(docs, collectionOf(r, c, l))
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"links":       []link{{baseURL(r) + "/collections", "self", "application/json", "collections"}},
		"collections": docs})
}

// constraint finds the {layer} of the path, or answers 404. The catalog
// is held (its pools stay open) until the caller releases it.
func (s *Server) constraint(w http.ResponseWriter, r *http.Request) (*Catalog, *analysis.Constraint) {
	c := s.snapshot()
	if c == nil {
		writeProblem(w, r, &httpError{status: http.StatusServiceUnavailable, retryAfter: 5, err: errors.New("the layers are not loaded")})
		return nil, nil
	}
	l := c.layer(r.PathValue("layer"))
	if l == nil {
		c.release()
		writeProblem(w, r, statusErr(http.StatusNotFound, "no layer %q (GET /collections lists them)", r.PathValue("layer")))
	}
	return c, l
}

func (s *Server) collection(w http.ResponseWriter, r *http.Request) {
	c, l := s.constraint(w, r)
	if l == nil {
		return
	}
	defer c.release()
	writeJSON(w, http.StatusOK, collectionOf(r, c, l))
}

// parseBBox reads bbox=minlon,minlat,maxlon,maxlat (CRS84).
func parseBBox(s string) (orb.Bound, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return orb.Bound{}, fmt.Errorf("bbox %q: want minlon,minlat,maxlon,maxlat", s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return orb.Bound{}, fmt.Errorf("bbox %q: %q is not a number", s, p)
		}
		v[i] = f
	}
	if v[0] > v[2] || v[1] > v[3] {
		return orb.Bound{}, fmt.Errorf("bbox %q: min greater than max (a box across the antimeridian is not supported)", s)
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

func intParam(q url.Values, name string, def, min, max int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < min {
		return 0, fmt.Errorf("%s=%q: want an integer ≥ %d", name, s, min)
	}
	return int(math.Min(float64(v), float64(max))), nil
}

// items answers a page of a layer's features: those whose bounding boxes
// meet bbox (all without one), in file order.
func (s *Server) items(w http.ResponseWriter, r *http.Request) {
	c, l := s.constraint(w, r)
	if l == nil {
		return
	}
	defer c.release()
	q := r.URL.Query()
	if _, ok := format(r, fGeoJSON, fGeoJSON, fJSON); !ok {
		writeProblem(w, r, statusErr(http.StatusNotAcceptable, "f=%q: items are GeoJSON (f=json or f=geojson)", q.Get("f")))
		return
	}
	if t := c.table(l); t != nil {
		s.tableItems(w, r, c, t)
		return
	}
	idx, offset, limit, err := s.selectItems(l, q)
	if err != nil {
		writeProblem(w, r, statusErr(http.StatusBadRequest, "%v", err))
		return
	}
	s.writeItems(w, r, c, l, idx[min(offset, len(idx)):min(offset+limit, len(idx))], len(idx), offset, limit)
}

// selectItems reads limit, offset and bbox, and finds the features whose
// boxes meet bbox (all without one), in file order.
func (s *Server) selectItems(l *analysis.Constraint, q url.Values) (idx []int, offset, limit int, err error) {
	b, offset, limit, err := pageParams(q)
	if err != nil {
		return nil, 0, 0, err
	}
	if b != nil {
		l.Layer.Candidates(*b, func(i int, _ *geo.Feature) bool { idx = append(idx, i); return true })
		slices.Sort(idx)
		return idx, offset, limit, nil
	}
	idx = make([]int, l.Layer.Len())
	for i := range idx {
		idx[i] = i
	}
	return idx, offset, limit, nil
}

// pageParams reads bbox (nil without one), offset and limit.
func pageParams(q url.Values) (b *orb.Bound, offset, limit int, err error) {
	if limit, err = intParam(q, "limit", defaultLimit, 1, maxLimit); err != nil {
		return nil, 0, 0, err
	}
	if offset, err = intParam(q, "offset", 0, 0, math.MaxInt32); err != nil {
		return nil, 0, 0, err
	}
	if bb := q.Get("bbox"); bb != "" {
		bd, err := parseBBox(bb)
		if err != nil {
			return nil, 0, 0, err
		}
		b = &bd
	}
	return b, offset, limit, nil
}

type featureDoc struct {
	Type       string            `json:"type"`
	ID         int               `json:"id"`
	Geometry   *geojson.Geometry `json:"geometry"`
	Properties map[string]any    `json:"properties"`
}

// featureOf gives a layer feature as GeoJSON: id is its 0-based position
// in the file (the CLI's feature_index), properties as read plus the zone
// and name redline read.
func featureOf(l *analysis.Constraint, i int) featureDoc {
	f := &l.Layer.Features[i]
	props := make(map[string]any, len(f.Props)+3)
	for k, v := range f.Props {
		props[k] = v
	}
	props["redline_id"] = f.ID
	if i < len(l.Zones) && l.Zones[i] != "" {
		props["redline_zone"] = l.Zones[i]
	}
	if i < len(l.Names) && l.Names[i] != "" {
		props["redline_name"] = l.Names[i]
	}
	return featureDoc{Type: "Feature", ID: f.Index, Geometry: geojson.NewGeometry(f.Geom), Properties: props}
}

// writeItems writes the features page of l, the page at offset of matched
// features in all.
func (s *Server) writeItems(w http.ResponseWriter, r *http.Request, c *Catalog, l *analysis.Constraint, page []int, matched, offset, limit int) {
	self := baseURL(r) + r.URL.Path
	q := r.URL.Query()
	pageURL := func(off int) string {
		q.Set("offset", strconv.Itoa(off))
		q.Set("limit", strconv.Itoa(limit))
		return self + "?" + q.Encode()
	}
	links := []link{{pageURL(offset), "self", "application/geo+json", ""}}
	if offset+limit < matched {
		links = append(links, link{pageURL(offset + limit), "next", "application/geo+json", "next page"})
	}
	if offset > 0 {
		links = append(links, link{pageURL(max(0, offset-limit)), "prev", "application/geo+json", "previous page"})
	}
	w.Header().Set("Content-Type", "application/geo+json")
	var hb bytes.Buffer
	enc := json.NewEncoder(&hb)
	enc.SetEscapeHTML(false) // links keep their & as is
	enc.Encode(map[string]any{"type": "FeatureCollection", "numberMatched": matched,
		"numberReturned": len(page), "links": links})
	head := bytes.TrimRight(hb.Bytes(), "\n")
	// Stream the features: a page may hold 10 000 large polygons.
	w.Write(head[:len(head)-1])
	w.Write([]byte(`,"features":[`))
	for n, i := range page {
		if n > 0 {
			w.Write([]byte{','})
		}
		b, err := json.Marshal(featureOf(l, i))
		if err != nil {
			b = []byte("null")
		}
		w.Write(b)
	}
	w.Write([]byte("]}\n"))
}

func (s *Server) item(w http.ResponseWriter, r *http.Request) {
	c, l := s.constraint(w, r)
	if l == nil {
		return
	}
	defer c.release()
	if t := c.table(l); t != nil {
		s.tableItem(w, r, t)
		return
	}
	fid, err := strconv.Atoi(r.PathValue("fid"))
	if err != nil || fid < 0 || fid >= l.Layer.Len() || l.Layer.Features[fid].Index != fid {
		// Find by file position when features without geometry were skipped.
		i := slices.IndexFunc(l.Layer.Features, func(f geo.Feature) bool { return err == nil && f.Index == fid })
		if i < 0 {
			writeProblem(w, r, statusErr(http.StatusNotFound, "layer %s has no feature %q", l.Name, r.PathValue("fid")))
			return
		}
		fid = i
	}
	writeJSONType(w, http.StatusOK, "application/geo+json", featureOf(l, fid))
}
