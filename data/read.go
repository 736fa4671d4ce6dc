package data

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data/coords"
	"github.com/redline-gis/redline/data/dxf"
	"github.com/redline-gis/redline/data/geojson"
	"github.com/redline-gis/redline/data/gpkg"
	"github.com/redline-gis/redline/data/jzd"
	"github.com/redline-gis/redline/data/kml"
	"github.com/redline-gis/redline/data/shapefile"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
	"github.com/redline-gis/redline/internal/par"
)

// ReadOptions control how ReadLayer turns a file into a layer.
type ReadOptions struct {
	// IDField names the property that gives feature ids when the format has
	// none of its own; by default the first of id, ID, 编号, BSM, name found.
	IDField string
	// CRS overrides the file's own or detected CRS ("EPSG:4521", "gcj02", …).
	CRS string
	// MaxVertices caps the vertices of the whole file (0: 100 million).
	MaxVertices int
	// DXFLayers keeps only these layers of a DXF drawing (empty: all).
	DXFLayers []string
	// DXFNoBlocks leaves a DXF drawing's INSERTs unexpanded.
	DXFNoBlocks bool
	// DXFCloseCircles reads DXF CIRCLEs as polygons instead of lines.
	DXFCloseCircles bool
	// GPKGTable names the GeoPackage feature table to read (empty: the only one).
	GPKGTable string
}

// defaultMaxVertices is ReadOptions.MaxVertices when it is 0.
const defaultMaxVertices = 100_000_000

// DefaultIDFields are the properties tried, in order, for a feature id.
var DefaultIDFields = []string{"id", "ID", "编号", "BSM", "name"}

// NoGeometry is a record ReadLayer left out of the layer for want of a
// geometry.
type NoGeometry struct {
	Index int
	ID    string
	Props map[string]any
}

// LayerInfo describes what ReadLayer read.
type LayerInfo struct {
	Path    string
	Format  string
	CRS     crs.CRS // the file's CRS, before conversion to CGCS2000 lon/lat
	CRSFrom string  // how the CRS was found
	Fields  []string
	Skipped int // features without geometry
	// NoGeometry are those features, in file order, for reports that must
	// keep them (a site without geometry is not clear: it was not screened).
	NoGeometry []NoGeometry
	Warnings   []geo.Warning // each names the file and feature
}

// ReadLayer reads the file at name in fsys, in any supported format (by
// extension, else by content), converts it to CGCS2000 lon/lat and indexes
// it. Every error names the file, and where known the feature's index and id.
func ReadLayer(fsys fs.FS, name string, opt ReadOptions) (*geo.Layer, *LayerInfo, error) {
	src, err := readSource(fsys, name, opt)
	if err != nil {
		return nil, nil, err
	}
	return BuildLayer(src, name, opt)
}

// readSource reads name in any supported format. opt.MaxVertices (0: the
// default) lets the GeoJSON reader stop early on a file that is too big.
func readSource(fsys fs.FS, name string, opt ReadOptions) (*geo.Source, error) {
	maxVertices := opt.MaxVertices
	if maxVertices <= 0 {
		maxVertices = defaultMaxVertices
	}
	dxfOpt := dxf.Options{Layers: opt.DXFLayers, NoBlocks: opt.DXFNoBlocks, CloseCircles: opt.DXFCloseCircles, MaxVertices: maxVertices}
	gpkgOpt := gpkg.Options{Table: opt.GPKGTable, IgnoreSRS: opt.CRS != "", MaxVertices: maxVertices}
	kmlLim := kml.Limits{MaxVertices: maxVertices}
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".shp":
		return shapefile.ReadLimit(fsys, name, shapefile.Limits{MaxVertices: maxVertices})
	case ".gpkg":
		return readGPKG(fsys, name, gpkgOpt, opt)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	switch ext {
	case ".geojson", ".json":
		return geojson.ReadLimit(f, name, maxVertices)
	case ".kml":
		return kml.ReadLimit(f, name, kmlLim)
	case ".txt":
		br := bufio.NewReader(f)
		if head, _ := br.Peek(4096); coords.LooksLikeTable(head) {
			return coords.ReadCSV(br, name)
		}
		return jzd.Read(br, name)
	case ".csv":
		return coords.ReadCSV(f, name)
	case ".xlsx":
		return coords.ReadXLSX(f, name, coords.Options{})
	case ".dxf":
		return dxf.Read(f, name, dxfOpt)
	case ".dwg":
		return nil, fmt.Errorf("data: %s: DWG is not supported: save the drawing as ASCII DXF", name)
	case ".zip", ".kmz":
		ra, size, err := readerAt(f)
		if err != nil {
			return nil, fmt.Errorf("data: %s: %w", name, err)
		}
		if ext == ".kmz" {
			return kml.ReadKMZLimit(ra, size, name, kmlLim)
		}
		return shapefile.ReadZipLimit(ra, size, name, shapefile.Limits{MaxVertices: maxVertices})
	}
	// Unknown extension: look at the first bytes.
	br := bufio.NewReader(f)
	head, _ := br.Peek(512)
	switch {
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return readGPKG(fsys, name, gpkgOpt, opt)
	case bytes.HasPrefix(head, []byte("AutoCAD Binary DXF")) || looksLikeDXF(head):
		return dxf.Read(br, name, dxfOpt)
	}
	t := strings.TrimLeft(string(bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})), " \t\r\n")
	switch {
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		if strings.HasPrefix(t, "[属性描述]") || strings.HasPrefix(t, "[地块坐标]") {
			return jzd.Read(br, name)
		}
		return geojson.ReadLimit(br, name, maxVertices)
	case strings.HasPrefix(t, "<"):
		return kml.ReadLimit(br, name, kmlLim)
	case strings.Contains(t, "属性描述") || strings.Contains(t, "地块坐标") || strings.Contains(t, "\xca\xf4\xd0\xd4"):
		return jzd.Read(br, name)
	}
	return nil, fmt.Errorf("data: %s: unknown format (want .geojson, .json, .shp, .zip, .txt, .kml, .kmz, .dxf, .gpkg, .csv or .xlsx)", name)
}

// readGPKG reads a GeoPackage and drops its fids as feature ids when the
// table has an id-like column (or --id-field names one): a fid is a row
// number, the column is what people search for.
func readGPKG(fsys fs.FS, name string, gopt gpkg.Options, opt ReadOptions) (*geo.Source, error) {
	src, err := gpkg.Read(fsys, name, gopt)
	if err != nil {
		return nil, err
	}
	names := DefaultIDFields
	if opt.IDField != "" {
		names = []string{opt.IDField}
	}
	for _, f := range src.Fields {
		if slices.Contains(names, f) {
			for i := range src.Records {
				src.Records[i].ID = ""
			}
			break
		}
	}
	return src, nil
}

// looksLikeDXF reports whether head starts like an ASCII DXF: comments
// (999) and then group code 0 with SECTION.
func looksLikeDXF(head []byte) bool {
	lines := strings.Split(strings.ReplaceAll(string(head), "\r", ""), "\n")
	for i := 0; i+1 < len(lines); i += 2 {
		code, val := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if code == "999" {
			continue
		}
		return code == "0" && val == "SECTION"
	}
	return false
}

// readerAt gives random access to an opened file, reading it into memory
// only when the file system does not offer io.ReaderAt.
func readerAt(f fs.File) (io.ReaderAt, int64, error) {
	if ra, ok := f.(io.ReaderAt); ok {
		if st, err := f.Stat(); err == nil {
			return ra, st.Size(), nil
		}
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, 0, err
	}
	return bytes.NewReader(b), int64(len(b)), nil
}

// BuildLayer converts a Source to a lon/lat layer: it settles the CRS
// (override, else the file's, else detection by coordinate magnitude),
// reprojects, picks ids and builds the features.
func BuildLayer(src *geo.Source, name string, opt ReadOptions) (*geo.Layer, *LayerInfo, error) {
	info := &LayerInfo{Path: name, Format: src.Format, Fields: src.Fields, CRS: src.CRS, CRSFrom: src.CRSFrom}
	for _, w := range src.Warnings {
		info.Warnings = append(info.Warnings, w.Prefixed(name+": "))
	}
	max := opt.MaxVertices
	if max <= 0 {
		max = defaultMaxVertices
	}
	var b orb.Bound
	nv, first := 0, true
	for _, r := range src.Records {
		if r.Geom == nil {
			continue
		}
		nv += geo.CountVertices(r.Geom)
		rb := r.Extent.Bound
		if !r.Extent.Known() {
			rb = geo.BoundOf(r.Geom)
		}
		if rb.Max[0] < rb.Min[0] || rb.Max[1] < rb.Min[1] {
			continue // an empty geometry has no extent (orb: 1,1 – -1,-1)
		}
		if first {
			b, first = rb, false
		} else {
			b = b.Union(rb)
		}
	}
	if nv > max {
		return nil, nil, fmt.Errorf("data: %s: %d vertices, more than the limit of %d", name, nv, max)
	}
	switch {
	case opt.CRS != "":
		c, err := crs.Parse(opt.CRS)
		if err != nil {
			return nil, nil, fmt.Errorf("data: %s: --crs: %w", name, err)
		}
		info.CRS, info.CRSFrom = c, "--crs"
	case src.CRSFrom != "":
	case first:
		info.CRS, info.CRSFrom = crs.CGCS2000, "default (no features)"
	default:
		c, ok := crs.Detect(b)
		if !ok {
			return nil, nil, fmt.Errorf("data: %s: cannot tell the CRS: coordinates span %.3f,%.3f – %.3f,%.3f, "+
				"which is neither lon/lat nor Gauss-Krüger with a zone prefix; give it with --crs (e.g. --crs EPSG:4542 for 3° zone 33 without prefix)",
				name, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
		}
		info.CRS, info.CRSFrom = c, "coordinate magnitude"
	}
	if err := checkDeclaredCRS(name, info.CRS, info.CRSFrom, b, first); err != nil {
		return nil, nil, err
	}
	l := &geo.Layer{Name: name}
	idField := opt.IDField
	if idField != "" && len(src.Records) > 0 && !hasField(src, idField) {
		return nil, nil, fmt.Errorf("data: %s: --id-field %q: no such property (have %s)", name, idField, strings.Join(fieldNames(src), ", "))
	}
	feats, bad, err := buildFeatures(src.Records, idField, info.CRS)
	if bad >= 0 {
		return nil, nil, fmt.Errorf("data: %s: %s: %w", name, recordLabel(bad, feats[bad].ID), err)
	}
	l.Features = make([]geo.Feature, 0, len(feats))
	for i, r := range src.Records {
		if r.Geom == nil {
			info.Skipped++
			info.NoGeometry = append(info.NoGeometry, NoGeometry{Index: i, ID: feats[i].ID, Props: r.Props})
			info.Warnings = append(info.Warnings, geo.Warnf("%s: %s has no geometry: skipped", name, recordLabel(i, feats[i].ID)))
			continue
		}
		l.Add(feats[i]) // the R-tree is built here, in one goroutine
	}
	if info.CRS.IsLonLat() && info.CRSFrom != "--crs" && looksLikeDataV(src) {
		info.Warnings = append(info.Warnings, geo.Warnf("%s: looks like DataV GeoAtlas data (adcode/center properties), "+
			"which is GCJ-02, shifted by a few hundred metres: pass --crs gcj02 if it is", name))
	}
	if err := checkPlausible(name, info, l, b); err != nil {
		return nil, nil, err
	}
	info.Warnings = append(info.Warnings, duplicateIDs(name, feats)...)
	if lb, ok := layerExtent(l); ok {
		if !crs.InChina(lb.Center()[0], lb.Center()[1]) {
			info.Warnings = append(info.Warnings, geo.Warnf("%s: data lie outside China (centre %.4f,%.4f): check the CRS", name, lb.Center()[0], lb.Center()[1]))
		}
	}
	return l, info, nil
}

func recordLabel(i int, id string) string { return geo.Label("feature", i, id) }

// buildFeatures reprojects the records and builds their features (engine
// conversion included) on all cores, in chunks of records taken in order.
// A record without geometry gives a feature with just its id. On failure it
// returns the index of the first record that failed, else -1.
func buildFeatures(recs []geo.Record, idField string, c crs.CRS) (feats []geo.Feature, bad int, err error) {
	feats = make([]geo.Feature, len(recs))
	const chunk = 64
	workers := 1
	if len(recs) >= 4*chunk {
		workers = min(runtime.GOMAXPROCS(0), 8)
	}
	err = par.ForChunks(context.Background(), len(recs), workers, chunk, func(_, i int) error {
		r := &recs[i]
		id := r.ID
		if id == "" {
			id = pickID(r.Props, idField)
		}
		feats[i].ID = id
		if r.Geom == nil {
			return nil
		}
		g, err := c.Reproject(r.Geom)
		ext := r.Extent
		if !c.IsLonLat() {
			ext = geo.Extent{} // g is new: its extent is not the record's
		}
		if err == nil {
			feats[i], err = geo.NewFeatureExtent(i, id, r.Props, g, ext)
		}
		if err != nil {
			feats[i].ID = id
			return recordError{i, err}
		}
		return nil
	})
	var re recordError
	if errors.As(err, &re) {
		return feats, re.index, re.err
	}
	return feats, -1, err
}

// recordError carries the index of the record that failed out of par.
type recordError struct {
	index int
	err   error
}

func (e recordError) Error() string { return e.err.Error() }

func hasField(src *geo.Source, field string) bool {
	for _, f := range src.Fields {
		if f == field {
			return true
		}
	}
	for _, r := range src.Records {
		if _, ok := r.Props[field]; ok {
			return true
		}
	}
	return false
}

func fieldNames(src *geo.Source) []string {
	if len(src.Fields) > 0 {
		return src.Fields
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range src.Records {
		for k := range r.Props {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
		if len(out) > 50 {
			break
		}
	}
	return out
}

// pickID returns the id property: field if given, else the first default.
func pickID(props map[string]any, field string) string {
	fields := DefaultIDFields
	if field != "" {
		fields = []string{field}
	}
	for _, k := range fields {
		if v, ok := props[k]; ok && v != nil {
			if s := fmt.Sprint(v); s != "" {
				return s
			}
		}
	}
	return ""
}

// looksLikeDataV spots web-map boundary downloads (DataV GeoAtlas), which
// are in GCJ-02 while they say nothing of it.
func looksLikeDataV(src *geo.Source) bool {
	if len(src.Records) == 0 {
		return false
	}
	p := src.Records[0].Props
	_, adcode := p["adcode"]
	_, center := p["center"]
	_, centroid := p["centroid"]
	return adcode && (center || centroid)
}
