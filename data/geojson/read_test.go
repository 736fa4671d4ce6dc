package geojson_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/geojson"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

const sq = `{"type":"Polygon","coordinates":[[[100,23.9],[100.01,23.9],[100.01,23.91],[100,23.91],[100,23.9]]]}`

func readString(t *testing.T, name, content string, opt data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
	t.Helper()
	fsys := fstest.MapFS{name: {Data: []byte(content)}}
	return data.ReadLayer(fsys, name, opt)
}

func TestReadGeoJSONShapes(t *testing.T) {
	tests := []struct {
		name, content string
		n             int
		id0           string
	}{
		{"collection", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"A","properties":{},"geometry":` + sq + `}]}`, 1, "A"},
		{"features before type", `{"features":[{"type":"Feature","properties":{"id":7},"geometry":` + sq + `}],"type":"FeatureCollection"}`, 1, "7"},
		{"bare array", `[{"type":"Feature","properties":{"编号":"X1"},"geometry":` + sq + `},{"type":"Feature","properties":{},"geometry":` + sq + `}]`, 2, "X1"},
		{"single feature", `{"type":"Feature","properties":{"BSM":"530"},"geometry":` + sq + `}`, 1, "530"},
		{"bare geometry", sq, 1, ""},
		{"geometry collection", `{"type":"GeometryCollection","geometries":[` + sq + `]}`, 1, ""},
		{"BOM", "\uFEFF" + `{"type":"FeatureCollection","features":[]}`, 0, ""},
		{"crs member 4490", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4490"}},"features":[{"type":"Feature","properties":{},"geometry":` + sq + `}]}`, 1, ""},
		{"numeric id", `{"type":"FeatureCollection","features":[{"type":"Feature","id":530902,"properties":{},"geometry":` + sq + `}]}`, 1, "530902"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, _, err := readString(t, "x.geojson", tc.content, data.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if l.Len() != tc.n {
				t.Fatalf("%d features, want %d", l.Len(), tc.n)
			}
			if tc.n > 0 && l.Features[0].ID != tc.id0 {
				t.Errorf("id %q, want %q", l.Features[0].ID, tc.id0)
			}
		})
	}
}

func TestReadGeoJSONErrorsNameTheFeature(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"bad coordinates", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"ok","properties":{},"geometry":` + sq + `},{"type":"Feature","id":"bad","properties":{},"geometry":{"type":"Polygon","coordinates":"x"}}]}`, "feature 1 (id bad)"},
		{"truncated", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":` + sq, "x.geojson"},
		{"not json", `hello`, "x.geojson"},
		{"unsupported crs", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2385"}},"features":[]}`, "2385"},
		{"out of range", `[{"type":"Feature","id":"far","properties":{},"geometry":{"type":"Point","coordinates":[200,95]}}]`, "cannot tell the CRS"},
		{"out of range as 4490", `[{"type":"Feature","id":"far","properties":{},"geometry":{"type":"Point","coordinates":[200,95]}}]`, "feature 0 (id far)"},
		{"--id-field missing", `[{"type":"Feature","properties":{"a":1},"geometry":` + sq + `}]`, "no such property"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := data.ReadOptions{}
			if strings.HasPrefix(tc.name, "--id-field") {
				opt.IDField = "BSM"
			}
			if strings.HasSuffix(tc.name, "as 4490") {
				opt.CRS = "EPSG:4490"
			}
			_, _, err := readString(t, "x.geojson", tc.content, opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestReadNullGeometryWarns(t *testing.T) {
	l, info, err := readString(t, "x.geojson", `[{"type":"Feature","id":"n","properties":{},"geometry":null},{"type":"Feature","properties":{},"geometry":`+sq+`}]`, data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 1 || l.Features[0].Index != 1 || info.Skipped != 1 || len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0].Msg, "feature 0 (id n)") {
		t.Errorf("len %d, index %d, skipped %d, warnings %v", l.Len(), l.Features[0].Index, info.Skipped, info.Warnings)
	}
}

func TestReadProjectedNeedsCRS(t *testing.T) {
	// Gauss-Krüger without a zone prefix: the zone cannot be known.
	gk := `[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[510000,2640000]}}]`
	if _, _, err := readString(t, "gk.geojson", gk, data.ReadOptions{}); err == nil || !strings.Contains(err.Error(), "--crs") {
		t.Fatalf("error %v, want a hint to give --crs", err)
	}
	l, info, err := readString(t, "gk.geojson", gk, data.ReadOptions{CRS: "EPSG:4542"})
	if err != nil {
		t.Fatal(err)
	}
	p := l.Features[0].Geom.(orb.Point)
	if info.CRS.EPSG != 4542 || p[0] < 99 || p[0] > 99.2 || p[1] < 23.8 || p[1] > 23.9 {
		t.Errorf("CRS %v, point %v: want zone 33 near 99.1E 23.86N", info.CRS, p)
	}
	// With the zone prefix it is detected by magnitude.
	l, info, err = readString(t, "gk.geojson", strings.Replace(gk, "510000", "33510000", 1), data.ReadOptions{})
	if err != nil || info.CRS.EPSG != 4521 {
		t.Fatalf("prefixed GK: %v, %v", info, err)
	}
}

// TestRealLincangAreasMatchPostGIS reads the weather-bureau outlines and
// compares the tool's ellipsoidal areas with PostGIS ST_Area(geog, true)
// (SOURCE.md). The edges are tens of metres long, so the two edge models
// (straight in lon/lat vs geodesic) agree to ~1e-7.
func TestRealLincangAreasMatchPostGIS(t *testing.T) {
	dir := geotest.SharedData(t, "lincang-weather-shihongbo1314")
	want := map[string]float64{
		"530900.json":        23624005818.048565,
		"530902/530902.json": 2558602372.09407,
		"530921/530921.json": 3324338349.6441708,
		"530922/530922.json": 3658565645.5224776,
		"530923/530923.json": 3220152884.5112777,
		"530924/530924.json": 2529941732.4189496,
		"530925/530925.json": 2160770907.056357,
		"530926/530926.json": 3726297652.6775556,
		"530927/530927.json": 2445336627.9497066,
	}
	for file, pg := range want {
		l, _, err := data.ReadLayer(os.DirFS(dir), file, data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var a float64
		for i := range l.Features {
			a += geo.AreaM2(l.Features[i].Geom)
		}
		// Measured: 1.0e-9 (凤庆县) to 2.0e-7 (镇康县; the city 7.1e-8): the edge
		// models differ most where edges are long.
		geotest.ApproxEqual(t, file, a, pg, geotest.Tol{Rel: 3e-7})
	}
}

func TestWriteGeoJSONRoundTrip(t *testing.T) {
	cw := orb.Polygon{{{100, 23.9}, {100, 23.91}, {100.01, 23.91}, {100.01, 23.9}, {100, 23.9}}}
	var buf bytes.Buffer
	err := geojson.Write(&buf, []string{"b", "a"}, []geo.Record{{Geom: cw, Props: map[string]any{"a": 1, "b": "红线", "c": 2.5}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"properties":{"b":"红线","a":1,"c":2.5}`) {
		t.Errorf("property order/encoding: %s", buf.String())
	}
	l, _, err := readString(t, "o.geojson", buf.String(), data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := l.Features[0].Geom.(orb.Polygon)[0]; r.Orientation() != orb.CCW {
		t.Error("RFC 7946: outer ring must be counter-clockwise")
	}
	geotest.ApproxEqual(t, "area", geo.AreaM2(l.Features[0].Geom), geo.AreaM2(cw), geotest.Tol{Rel: 1e-15})
}

func FuzzReadGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":1},"geometry":` + sq + `}]}`))
	f.Add([]byte(`[` + `{"type":"Feature","properties":null,"geometry":{"type":"MultiPolygon","coordinates":[[[[1,2],[3,4],[5,6],[1,2]]]]}}]`))
	f.Add([]byte(sq))
	f.Add([]byte(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}`))
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sites.geojson")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		var l *geo.Layer
		var err error
		geotest.AllocBound(t, len(b), 256, 32<<20, func() {
			l, _, err = data.ReadLayer(fstest.MapFS{"f.geojson": {Data: b}}, "f.geojson", data.ReadOptions{MaxVertices: 100000})
		})
		if err != nil {
			return
		}
		for i := range l.Features {
			geo.AreaM2(l.Features[i].Geom)
			geo.Validate(l.Features[i].Geom)
		}
	})
}

func TestDataVWarnsGCJ02(t *testing.T) {
	dv := `[{"type":"Feature","properties":{"adcode":530902,"name":"临翔区","center":[100.08,23.88]},"geometry":` + sq + `}]`
	_, info, err := readString(t, "dv.json", dv, data.ReadOptions{})
	if err != nil || len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0].Msg, "--crs gcj02") {
		t.Fatalf("warnings %v, %v", info.Warnings, err)
	}
	if _, info, _ := readString(t, "dv.json", dv, data.ReadOptions{CRS: "gcj02"}); len(info.Warnings) != 0 {
		t.Errorf("with --crs gcj02: warnings %v", info.Warnings)
	}
}

// TestReadLayerBoundIsBoundOf: the box the parser takes as it reads (and
// hands on in geo.Record.Extent) is the one geo.BoundOf gives the layer's
// geometry, bit for bit: on −0 against 0 across the parts of a
// MultiPolygon, on a polygon whose hole reaches beyond its outer ring
// (orb's box is the outer ring's), and after a reprojection, where the
// record's box (in metres) must not be used. The lon/lat check it also
// carries still names a vertex out of range.
func TestReadLayerBoundIsBoundOf(t *testing.T) {
	feature := func(geom string) string {
		return `{"type":"Feature","properties":{},"geometry":` + geom + `}`
	}
	lonLat := `{"type":"FeatureCollection","features":[` + strings.Join([]string{
		feature(sq),
		feature(`{"type":"MultiPolygon","coordinates":[[[[0,-0],[1,0],[1,1],[-0,0]]],[[[-0,0],[0,-1],[-1,-1],[0,-0]]]]}`),
		feature(`{"type":"Polygon","coordinates":[[[100,23],[101,23],[101,24],[100,23]],[[99,22],[102,22],[102,25],[99,22]]]}`),
		feature(`{"type":"LineString","coordinates":[[100.5,23.5],[-0,0],[100,23]]}`),
		feature(`{"type":"MultiLineString","coordinates":[[[100.5,23.5],[100,23]],[[101,22]]]}`),
		feature(`{"type":"Point","coordinates":[100.5,23.5]}`),
		feature(`{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[100.5,23.5]},` + sq + `]}`),
	}, ",") + `]}`
	gk := `[` + feature(`{"type":"Polygon","coordinates":[[[510000,2640000],[511000,2640000],[511000,2641000],[510000,2640000]]]}`) + `]`
	for _, c := range []struct{ name, doc, crs string }{{"lonlat", lonLat, ""}, {"gk", gk, "EPSG:4542"}} {
		l, _, err := readString(t, c.name+".geojson", c.doc, data.ReadOptions{CRS: c.crs})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i := range l.Features {
			f := &l.Features[i]
			if got, want := f.Bound, geo.BoundOf(f.Geom); !sameBoundBits(got, want) {
				t.Errorf("%s: %s: bound %v, want BoundOf's %v", c.name, f.Label(), got, want)
			}
		}
	}
	bad := `[` + feature(`{"type":"Polygon","coordinates":[[[100,23],[101,23],[101,91],[100,23]]]}`) + `]`
	if _, _, err := readString(t, "bad.geojson", bad, data.ReadOptions{CRS: "EPSG:4490"}); err == nil || !strings.Contains(err.Error(), "101,91 is not lon/lat") {
		t.Errorf("latitude 91: error %v, want the vertex named", err)
	}
}

func sameBoundBits(a, b orb.Bound) bool {
	for k := range 2 {
		if math.Float64bits(a.Min[k]) != math.Float64bits(b.Min[k]) || math.Float64bits(a.Max[k]) != math.Float64bits(b.Max[k]) {
			return false
		}
	}
	return true
}
