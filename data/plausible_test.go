package data_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/geojson"
	"github.com/redline-gis/redline/data/shapefile"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

type memFile struct{ *bytes.Buffer }

func (memFile) Close() error { return nil }

// Issue 15 item 4: lon/lat coordinates under a Gauss-Krüger .prj without
// zone prefix (a 0.0003 m² site reported clear) stop the read with the
// --crs to give; an explicit --crs is taken as meant.
func TestLonLatUnderGaussKrugerPrj(t *testing.T) {
	gk, err := crs.GK(3, 33, false) // EPSG:4542, eastings 0 … 10⁶ m
	if err != nil {
		t.Fatal(err)
	}
	prj, err := gk.WKT()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*bytes.Buffer{}
	create := func(name string) (io.WriteCloser, error) {
		files[name] = &bytes.Buffer{}
		return memFile{files[name]}, nil
	}
	site := orb.Polygon{{{99.1, 23.9}, {99.1002, 23.9}, {99.1002, 23.9002}, {99.1, 23.9002}, {99.1, 23.9}}}
	if err := shapefile.WriteWith(create, "s", nil, []geo.Record{{Props: map[string]any{"id": "S1"}, Geom: site}}, shapefile.Options{PRJ: prj}); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for n, b := range files {
		fsys[n] = &fstest.MapFile{Data: b.Bytes()}
	}
	_, _, err = data.ReadLayer(fsys, "s.shp", data.ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "s.shp: the CRS") || !strings.Contains(err.Error(), "under 1 000 m") ||
		!strings.Contains(err.Error(), "give --crs EPSG:4490") {
		t.Errorf("error %v; want one saying the eastings are not GK and to give --crs EPSG:4490", err)
	}
	l, _, err := data.ReadLayer(fsys, "s.shp", data.ReadOptions{CRS: "EPSG:4490"})
	if err != nil || l.Len() != 1 {
		t.Fatalf("with --crs EPSG:4490: %v", err)
	}
	if a := geo.AreaM2(l.Features[0].Geom); a < 400 || a > 500 {
		t.Errorf("area %.1f m², want about 20 m × 22 m", a)
	}
}

func readGeoJSON(t *testing.T, doc string, opt data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
	t.Helper()
	return data.ReadLayer(fstest.MapFS{"x.geojson": {Data: []byte(doc)}}, "x.geojson", opt)
}

// Issue 15 items 4 and 6: a polygon wider than 180° of longitude crosses
// the antimeridian and is an error; a layer wholly outside China is an
// error saying to check the CRS, unless --crs was given.
func TestImplausibleExtents(t *testing.T) {
	anti := `[{"type":"Feature","properties":{"id":"A"},"geometry":{"type":"Polygon","coordinates":[[[-179.9,50],[179.9,50],[179.9,51],[-179.9,51],[-179.9,50]]]}}]`
	if _, _, err := readGeoJSON(t, anti, data.ReadOptions{CRS: "EPSG:4326"}); err == nil ||
		!strings.Contains(err.Error(), "feature 0 (id A) spans 359.8° of longitude") || !strings.Contains(err.Error(), "antimeridian") {
		t.Errorf("antimeridian: %v", err)
	}
	europe := `[{"type":"Feature","properties":{"id":"E"},"geometry":{"type":"Polygon","coordinates":[[[10,50],[10.1,50],[10.1,50.1],[10,50.1],[10,50]]]}}]`
	if _, _, err := readGeoJSON(t, europe, data.ReadOptions{}); err == nil || !strings.Contains(err.Error(), "outside China") || !strings.Contains(err.Error(), "--crs") {
		t.Errorf("outside China: %v", err)
	}
	if _, _, err := readGeoJSON(t, europe, data.ReadOptions{CRS: "EPSG:4490"}); err != nil {
		t.Errorf("outside China with --crs: %v", err)
	}
}

// Issue 15 item 18: an empty polygon has no extent: it neither prints
// "1,1 – -1,-1" nor makes valid features look outside China.
func TestEmptyPolygonHasNoExtent(t *testing.T) {
	doc := `[{"type":"Feature","properties":{"id":"E"},"geometry":{"type":"Polygon","coordinates":[]}},
{"type":"Feature","properties":{"id":"OK"},"geometry":{"type":"Polygon","coordinates":[[[100,23],[100.1,23],[100.1,23.1],[100,23.1],[100,23]]]}}]`
	_, info, err := readGeoJSON(t, doc, data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range geo.WarningMessages(info.Warnings) {
		if strings.Contains(w, "outside China") || strings.Contains(w, "-1") {
			t.Errorf("bogus warning %q", w)
		}
	}
}

// geojson.IDFields must stay data.DefaultIDFields.
func TestGeoJSONIDFieldsAreTheDefaults(t *testing.T) {
	if strings.Join(geojson.IDFields, ",") != strings.Join(data.DefaultIDFields, ",") {
		t.Errorf("geojson.IDFields %q, data.DefaultIDFields %q", geojson.IDFields, data.DefaultIDFields)
	}
}

// Issue 15 item 19: duplicate ids are warned of, each naming the first.
func TestDuplicateIDsWarned(t *testing.T) {
	f := `{"type":"Feature","properties":{"id":"X"},"geometry":{"type":"Point","coordinates":[100,23]}}`
	_, info, err := readGeoJSON(t, "["+f+","+f+","+f+"]", data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, w := range geo.WarningMessages(info.Warnings) {
		if strings.Contains(w, "has the same id as feature 0") {
			n++
		}
	}
	if n != 2 || !strings.Contains(strings.Join(geo.WarningMessages(info.Warnings), "\n"), "x.geojson: feature 2 (id X) has the same id") {
		t.Errorf("warnings %q; want two naming feature 0", info.Warnings)
	}
}
