package shapefile

import (
	"archive/zip"
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
)

func fixedNow(t *testing.T) {
	t.Helper()
	old := timeNow
	timeNow = func() time.Time { return time.Date(2024, 5, 17, 8, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { timeNow = old })
}

func writeShp(t *testing.T, fields []string, feats []geo.Record) memFiles {
	t.Helper()
	files := memFiles{}
	if err := Write(files.create, "out", fields, feats); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return files
}

func TestShapefileRoundTripPolygons(t *testing.T) {
	fixedNow(t)
	// Awkward coordinates: not representable in short decimal form.
	a, b := 99.87123456789012, 23.882012345678901
	poly := orb.Polygon{
		{{a, b}, {a + 0.1, b}, {a + 0.1, b + 0.1}, {a, b + 0.1}, {a, b}},                                               // CCW
		{{a + 0.02, b + 0.02}, {a + 0.02, b + 0.03}, {a + 0.03, b + 0.03}, {a + 0.03, b + 0.02}, {a + 0.02, b + 0.02}}, // CW
	}
	multi := orb.MultiPolygon{
		{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
		{{{2, 0}, {3, 0}, {3, 1e-300}, {2, 0}}},
	}
	long := strings.Repeat("生态保护红线", 20) // 360 bytes
	feats := []geo.Record{
		{Geom: poly, Props: map[string]any{"名称": "临翔区生态保护红线", "id": int64(530902), "area": 0.1, "ok": true,
			"tiny": 1e-20, "big": -1.5e300, "when": time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC), "long": long}},
		{Geom: multi, Props: map[string]any{"名称": "Ёлка ß", "id": int64(-7), "area": 123456.789, "ok": false, "tiny": 3.0}},
		{Geom: nil, Props: map[string]any{"名称": "", "id": nil, "area": nil, "ok": nil}},
	}
	fields := []string{"名称", "id", "area", "ok", "tiny", "big", "when", "long"}
	files := writeShp(t, fields, feats)
	for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
		if files["out"+ext] == nil {
			t.Fatalf("no out%s written", ext)
		}
	}
	if got := files["out.cpg"].String(); got != "UTF-8" {
		t.Errorf(".cpg = %q", got)
	}
	if got := files["out.prj"].String(); !strings.HasPrefix(got, `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]]`) {
		t.Errorf(".prj = %q", got)
	}
	src := readShp(t, files.fs(), "out.shp")
	if len(src.Warnings) != 1 || !strings.Contains(src.Warnings[0].Msg, "record 2: null shape") {
		t.Errorf("warnings = %q", src.Warnings)
	}
	// "名称" is 6 bytes and fits; all others fit too.
	if !reflect.DeepEqual(src.Fields, fields) {
		t.Errorf("Fields = %q, want %q", src.Fields, fields)
	}
	if len(src.Records) != 3 {
		t.Fatalf("%d records", len(src.Records))
	}
	if !reflect.DeepEqual(src.Records[0].Geom, poly) {
		t.Errorf("polygon changed:\n got %v\nwant %v", src.Records[0].Geom, poly)
	}
	if !reflect.DeepEqual(src.Records[1].Geom, multi) {
		t.Errorf("multipolygon changed:\n got %v\nwant %v", src.Records[1].Geom, multi)
	}
	if src.Records[2].Geom != nil {
		t.Errorf("nil geometry read as %v", src.Records[2].Geom)
	}
	cut := src.Records[0].Props["long"].(string)
	if len(cut) > 254 || !utf8.ValidString(cut) || !strings.HasPrefix(long, cut) || len(cut) < 252 {
		t.Errorf("long text cut to %d bytes: %q", len(cut), cut)
	}
	want := []map[string]any{
		{"名称": "临翔区生态保护红线", "id": int64(530902), "area": 0.1, "ok": true, "tiny": 1e-20, "big": -1.5e300, "when": "2019-12-31", "long": cut},
		{"名称": "Ёлка ß", "id": int64(-7), "area": 123456.789, "ok": false, "tiny": 3.0, "big": nil, "when": nil, "long": ""},
		{"名称": "", "id": nil, "area": nil, "ok": nil, "tiny": nil, "big": nil, "when": nil, "long": ""},
	}
	for i, w := range want {
		if !reflect.DeepEqual(src.Records[i].Props, w) {
			t.Errorf("record %d props:\n got %#v\nwant %#v", i, src.Records[i].Props, w)
		}
	}

	// The .shx points at every record.
	shx := files["out.shx"].Bytes()
	if len(shx) != 100+8*3 {
		t.Errorf(".shx is %d bytes", len(shx))
	}
}

func TestShapefileRoundTripLinesPoints(t *testing.T) {
	fixedNow(t)
	lines := []geo.Record{
		{Geom: orb.LineString{{1, 2}, {3, 4.000000000000001}}},
		{Geom: orb.MultiLineString{{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}, {4, 2}}}},
	}
	src := readShp(t, writeShp(t, nil, lines).fs(), "out.shp")
	for i, f := range lines {
		if !reflect.DeepEqual(src.Records[i].Geom, f.Geom) {
			t.Errorf("line %d: got %v want %v", i, src.Records[i].Geom, f.Geom)
		}
	}
	points := []geo.Record{{Geom: orb.Point{99.1, 23.9}, Props: map[string]any{"n": 1}}, {Geom: orb.Point{-0.0, math.SmallestNonzeroFloat64}}}
	src = readShp(t, writeShp(t, nil, points).fs(), "out.shp")
	for i, f := range points {
		if !reflect.DeepEqual(src.Records[i].Geom, f.Geom) {
			t.Errorf("point %d: got %v want %v", i, src.Records[i].Geom, f.Geom)
		}
	}
	if src.Records[0].Props["n"] != int64(1) || src.Records[1].Props["n"] != nil {
		t.Errorf("props %v %v", src.Records[0].Props, src.Records[1].Props)
	}
	mixed := []geo.Record{{Geom: orb.Point{1, 2}}, {Geom: orb.MultiPoint{{3, 4}, {5, 6}}}}
	src = readShp(t, writeShp(t, nil, mixed).fs(), "out.shp")
	if !reflect.DeepEqual(src.Records[0].Geom, orb.MultiPoint{{1, 2}}) || !reflect.DeepEqual(src.Records[1].Geom, mixed[1].Geom) {
		t.Errorf("points as multipoints: %v %v", src.Records[0].Geom, src.Records[1].Geom)
	}
}

func TestShapefileWriteOrientsRings(t *testing.T) {
	// Outer ring clockwise and hole counter-clockwise in the input (wrong for
	// RFC 7946): written the shapefile way, read back RFC 7946.
	in := orb.Polygon{
		{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}},
		{{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}},
	}
	files := writeShp(t, nil, []geo.Record{{Geom: in}})
	src := readShp(t, files.fs(), "out.shp")
	p := src.Records[0].Geom.(orb.Polygon)
	checkOrientation(t, 0, p)
	if polyArea(p) != 96 {
		t.Errorf("area %g", polyArea(p))
	}
}

func TestShapefileWriteErrors(t *testing.T) {
	files := memFiles{}
	err := Write(files.create, "out", nil, []geo.Record{{Geom: orb.Point{1, 2}}, {Geom: orb.LineString{{0, 0}, {1, 1}}}})
	if err == nil || !strings.Contains(err.Error(), "feature 1 is a LineString but feature 0 is a Point") || !strings.Contains(err.Error(), "GeoJSON") {
		t.Errorf("mixed: err = %v", err)
	}
	err = Write(files.create, "out", nil, []geo.Record{{Geom: orb.Collection{orb.Point{1, 2}}}})
	if err == nil || !strings.Contains(err.Error(), "GeometryCollection") {
		t.Errorf("collection: err = %v", err)
	}
	err = Write(files.create, "out", nil, []geo.Record{{Geom: orb.Point{math.Inf(1), 2}}})
	if err == nil || !strings.Contains(err.Error(), "out.shp: feature 0: coordinate is not finite") {
		t.Errorf("inf: err = %v", err)
	}
}

func TestDBFFieldNamesTruncatedUnique(t *testing.T) {
	fixedNow(t)
	fields := []string{"population_2020", "population_2021", "POPULATION", "功能分区名称", "x"}
	feat := geo.Record{Geom: orb.Point{0, 0}, Props: map[string]any{
		"population_2020": 1, "population_2021": 2, "POPULATION": 3, "功能分区名称": "核心区", "x": "y"}}
	src := readShp(t, writeShp(t, fields, []geo.Record{feat}).fs(), "out.shp")
	want := []string{"population", "populati_1", "POPULATI_2", "功能分", "x"}
	if !reflect.DeepEqual(src.Fields, want) {
		t.Errorf("Fields = %q, want %q", src.Fields, want)
	}
	if got := src.Records[0].Props["功能分"]; got != "核心区" {
		t.Errorf("功能分 = %v", got)
	}
}

func TestShapefileZipRoundTrip(t *testing.T) {
	fixedNow(t)
	feats := []geo.Record{{Geom: orb.Polygon{{{99, 23}, {100, 23}, {100, 24}, {99, 23}}}, Props: map[string]any{"名称": "沧源县"}}}
	var b bytes.Buffer
	if err := WriteZip(&b, "dir/conflicts", []string{"名称"}, feats); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if want := []string{"conflicts.shp", "conflicts.shx", "conflicts.dbf", "conflicts.prj", "conflicts.cpg"}; !reflect.DeepEqual(names, want) {
		t.Errorf("entries %q, want %q", names, want)
	}
	src, err := ReadZip(bytes.NewReader(b.Bytes()), int64(b.Len()), "conflicts.zip")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(src.Records[0].Geom, feats[0].Geom) || src.Records[0].Props["名称"] != "沧源县" {
		t.Errorf("got %v %v", src.Records[0].Geom, src.Records[0].Props)
	}
	if src.CRSFrom != ".prj" || src.CRS.EPSG != 4490 {
		t.Errorf("CRS %v from %q", src.CRS, src.CRSFrom)
	}
	// Byte-stable with a fixed clock.
	var b2 bytes.Buffer
	if err := WriteZip(&b2, "dir/conflicts", []string{"名称"}, feats); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), b2.Bytes()) {
		t.Error("two writes differ")
	}
}
