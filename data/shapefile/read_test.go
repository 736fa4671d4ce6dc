package shapefile

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// sharedReal is a folder of the shared real data (../shared/data/real from
// the repository root); tests that need it skip when it is absent.
func sharedReal(t testing.TB, sub string) fs.FS {
	t.Helper()
	return os.DirFS(geotest.SharedData(t, sub))
}

func readShp(t testing.TB, fsys fs.FS, name string) *geo.Source {
	t.Helper()
	src, err := Read(fsys, name)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return src
}

func hasWarning(src *geo.Source, sub string) bool {
	for _, w := range geo.WarningMessages(src.Warnings) {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

// checkSampleData checks SampleData.* against the values in its SOURCE.md
// (areas computed independently with GDAL/OGR).
func checkSampleData(t *testing.T, fsys fs.FS) {
	src := readShp(t, fsys, "SampleData.shp")
	if src.Format != "ESRI Shapefile" {
		t.Errorf("Format = %q", src.Format)
	}
	wantFields := []string{"JZDS", "DKMJ", "DKBH", "DKMC", "JHLX", "TFH", "DKYT", "DLBM", "XMID"}
	if !reflect.DeepEqual(src.Fields, wantFields) {
		t.Errorf("Fields = %q, want %q", src.Fields, wantFields)
	}
	if len(src.Records) != 5 {
		t.Fatalf("%d records, want 5", len(src.Records))
	}
	wantArea := []float64{109.43, 14969.69, 459.72, 989.26, 165.19}
	wantJZDS := []string{"5", "85", "30", "29", "19"}
	wantParts := []int{1, 1, 1, 5, 2} // polygons per feature
	for i, r := range src.Records {
		if r.ID != "" {
			t.Errorf("record %d: ID = %q, want empty", i, r.ID)
		}
		if got := r.Props["JHLX"]; got != "面" {
			t.Errorf("record %d: JHLX = %q, want 面", i, got)
		}
		if got := r.Props["JZDS"]; got != wantJZDS[i] {
			t.Errorf("record %d: JZDS = %q, want %q", i, got, wantJZDS[i])
		}
		if got := r.Props["DKMC"]; got != "" {
			t.Errorf("record %d: DKMC = %q, want empty", i, got)
		}
		if got := r.Props["XMID"]; got != "6db3c122-5118-40ff-af4e-8b511d7be422" {
			t.Errorf("record %d: XMID = %q", i, got)
		}
		var polys orb.MultiPolygon
		switch g := r.Geom.(type) {
		case orb.Polygon:
			polys = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			polys = g
		default:
			t.Fatalf("record %d: geometry %T", i, r.Geom)
		}
		if len(polys) != wantParts[i] {
			t.Errorf("record %d: %d polygons, want %d", i, len(polys), wantParts[i])
		}
		area := 0.0
		for _, p := range polys {
			checkOrientation(t, i, p)
			area += polyArea(p)
		}
		if math.Abs(area-wantArea[i]) > 0.006 {
			t.Errorf("record %d: area %.3f m², want %.2f", i, area, wantArea[i])
		}
		b := r.Geom.Bound()
		if b.Min[0] < 37465414.407 || b.Max[0] > 37465709.476 || b.Min[1] < 2369409.461 || b.Max[1] > 2369635.954 {
			t.Errorf("record %d: bound %v outside the file extent", i, b)
		}
	}
	// Feature 3 (index 2) has one hole, feature 4 (index 3) one hole in one of its 5 parts.
	if p := src.Records[2].Geom.(orb.Polygon); len(p) != 2 {
		t.Errorf("record 2: %d rings, want 2 (outer + hole)", len(p))
	}
	holes := 0
	for _, p := range src.Records[3].Geom.(orb.MultiPolygon) {
		holes += len(p) - 1
	}
	if holes != 1 {
		t.Errorf("record 3: %d holes, want 1", holes)
	}
	if src.CRSFrom != ".prj" || src.CRS.EPSG != 4525 || src.CRS.Zone != 37 || !src.CRS.Prefixed {
		t.Errorf("CRS = %+v from %q, want EPSG:4525 (GK 3° zone 37, prefixed) from .prj", src.CRS, src.CRSFrom)
	}
	if !hasWarning(src, "text detected as GB18030") {
		t.Errorf("no warning about the guessed encoding: %q", src.Warnings)
	}
}

func checkOrientation(t *testing.T, rec int, p orb.Polygon) {
	t.Helper()
	for j, r := range p {
		a := geo.RingSignedArea(r)
		if j == 0 && a <= 0 || j > 0 && a >= 0 {
			t.Errorf("record %d: ring %d has signed area %g (want outer CCW, holes CW)", rec, j, a)
		}
	}
}

func TestShapefileSampleDataGBK(t *testing.T) {
	checkSampleData(t, os.DirFS("testdata/windr07"))
}

func TestShapefileSampleDataGBKShared(t *testing.T) {
	checkSampleData(t, sharedReal(t, "survey-txt-windr07-Txt-ShpConverter"))
}

func checkChinesePoly(t *testing.T, fsys fs.FS) {
	src := readShp(t, fsys, "chinese_poly.shp")
	if want := []string{"ADCODE93", "ADCODE99", "NAME"}; !reflect.DeepEqual(src.Fields, want) {
		t.Errorf("Fields = %q, want %q", src.Fields, want)
	}
	if len(src.Records) != 1 {
		t.Fatalf("%d records, want 1", len(src.Records))
	}
	r := src.Records[0]
	want := map[string]any{"ADCODE93": int64(230000), "ADCODE99": int64(230000), "NAME": "黑龙江省"}
	if !reflect.DeepEqual(r.Props, want) {
		t.Errorf("Props = %v, want %v", r.Props, want)
	}
	p, ok := r.Geom.(orb.Polygon)
	if !ok {
		t.Fatalf("geometry %T, want Polygon", r.Geom)
	}
	checkOrientation(t, 0, p)
	b := p.Bound()
	for i, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		w := []float64{121.184319, 43.478947, 135.082703, 53.554657}[i]
		if math.Abs(v-w) > 1e-6 {
			t.Errorf("bound[%d] = %.6f, want %.6f", i, v, w)
		}
	}
	if src.CRSFrom != ".prj" || !src.CRS.IsLonLat() || src.CRS.EPSG != 4326 {
		t.Errorf("CRS = %v from %q, want EPSG:4326 from .prj", src.CRS, src.CRSFrom)
	}
}

func TestShapefileChinesePolyGB18030(t *testing.T) {
	checkChinesePoly(t, os.DirFS("testdata/geotools"))
}

func TestShapefileChinesePolyGB18030Shared(t *testing.T) {
	checkChinesePoly(t, sharedReal(t, "geotools-chinese_poly-gb18030-dbf"))
}

func checkRus1251(t *testing.T, fsys fs.FS) {
	src := readShp(t, fsys, "rus-windows-1251.shp")
	if len(src.Records) != 2 {
		t.Fatalf("%d records, want 2", len(src.Records))
	}
	for i, want := range []string{"Кириллица", "Смешаный 12345"} {
		if got := src.Records[i].Props["TEXT"]; got != want {
			t.Errorf("record %d: TEXT = %q, want %q", i, got, want)
		}
		if _, ok := src.Records[i].Geom.(orb.Point); !ok {
			t.Errorf("record %d: geometry %T, want Point", i, src.Records[i].Geom)
		}
	}
	if len(src.Warnings) != 0 {
		t.Errorf("warnings: %q", src.Warnings)
	}
}

func TestShapefileCPGWindows1251(t *testing.T) {
	checkRus1251(t, os.DirFS("testdata/geotools"))
}

func TestShapefileCPGWindows1251Shared(t *testing.T) {
	checkRus1251(t, sharedReal(t, "geotools-chinese_poly-gb18030-dbf"))
}

func TestShapefileSiblingsCaseInsensitive(t *testing.T) {
	shp := (&testFile{typ: typePoint}).add(testPoint(typePoint, 1, 2)).bytes()
	dbf := dbfTestBuild(0, []dbfTestField{{"NAME", 'C', 10, 0}}, [][]string{{"\xc1\xd9\xb2\xd7"}}) // 临沧 in GBK
	fsys := testFS(map[string][]byte{"dir/Site.SHP": shp, "dir/SITE.dbf": dbf, "dir/site.CPG": []byte("936\r\n")})
	src := readShp(t, fsys, "dir/Site.SHP")
	if got := src.Records[0].Props["NAME"]; got != "临沧" {
		t.Errorf("NAME = %q, want 临沧", got)
	}
	if len(src.Warnings) != 0 {
		t.Errorf("warnings: %q", src.Warnings)
	}
}

// A polygon record whose hole comes before its outer ring, plus a second
// outer ring, plus rings written the other way round: the assembly must use
// containment, not order.
func TestShapefilePolygonAssembly(t *testing.T) {
	outerCW := []float64{0, 0, 0, 10, 10, 10, 10, 0, 0, 0}           // 10×10, clockwise
	holeCCW := []float64{2, 2, 4, 2, 4, 4, 2, 4, 2, 2}               // 2×2, counter-clockwise
	outer2CW := []float64{20, 0, 20, 5, 25, 5, 25, 0, 20, 0}         // 5×5 separate
	bigCW := []float64{-10, -10, -10, 30, 40, 30, 40, -10, -10, -10} // contains everything
	tests := []struct {
		name      string
		parts     [][]float64
		wantPolys []float64 // area of each output polygon, in order
		wantHoles []int
		warn      string
	}{
		{"polygon with hole", [][]float64{outerCW, holeCCW}, []float64{96}, []int{1}, ""},
		{"hole before its outer ring", [][]float64{holeCCW, outerCW}, []float64{96}, []int{1}, ""},
		{"two separate outer rings", [][]float64{outerCW, outer2CW}, []float64{100, 25}, []int{0, 0}, ""},
		{"hole goes to the smallest container", [][]float64{bigCW, outerCW, holeCCW}, []float64{2000, 96}, []int{0, 1}, ""},
		{"orphan hole", [][]float64{outerCW, {30, 30, 31, 30, 31, 31, 30, 31, 30, 30}}, []float64{100, 1}, []int{0, 0}, "no outer ring contains it"},
		{"all counter-clockwise: nesting decides", [][]float64{rev(outerCW), holeCCW}, []float64{96}, []int{1}, "no ring is clockwise"},
		{"unclosed ring", [][]float64{outerCW[:8]}, []float64{100}, []int{0}, "not closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shp := (&testFile{typ: typePolygon}).add(testMulti(typePolygon, tc.parts...)).bytes()
			src := readShp(t, testFS(map[string][]byte{"a.shp": shp}), "a.shp")
			var polys orb.MultiPolygon
			switch g := src.Records[0].Geom.(type) {
			case orb.Polygon:
				polys = orb.MultiPolygon{g}
			case orb.MultiPolygon:
				polys = g
			default:
				t.Fatalf("geometry %T", g)
			}
			if len(polys) != len(tc.wantPolys) {
				t.Fatalf("%d polygons, want %d: %v", len(polys), len(tc.wantPolys), polys)
			}
			for i, p := range polys {
				checkOrientation(t, 0, p)
				if a := polyArea(p); a != tc.wantPolys[i] {
					t.Errorf("polygon %d: area %g, want %g", i, a, tc.wantPolys[i])
				}
				if len(p)-1 != tc.wantHoles[i] {
					t.Errorf("polygon %d: %d holes, want %d", i, len(p)-1, tc.wantHoles[i])
				}
			}
			if tc.warn != "" && !hasWarning(src, tc.warn) {
				t.Errorf("no warning %q in %q", tc.warn, src.Warnings)
			}
			if tc.warn != "" && !hasWarning(src, "a.shp: record 0: ") {
				t.Errorf("warning does not name the record: %q", src.Warnings)
			}
		})
	}
}

func rev(v []float64) []float64 {
	out := make([]float64, len(v))
	for i := 0; i < len(v); i += 2 {
		out[len(v)-2-i], out[len(v)-1-i] = v[i], v[i+1]
	}
	return out
}

// Z and M variants read as their 2D shapes; null shapes give nil geometry
// with a warning; a deleted DBF record drops its shape too.
func TestShapefileZMNullDeleted(t *testing.T) {
	ring := []float64{0, 0, 0, 1, 1, 1, 1, 0, 0, 0}
	line := []float64{0, 0, 1, 1, 2, 0}
	shp := (&testFile{typ: typePolygonZ}).
		add(testMulti(typePolygonZ, ring)).               // 0
		add(testMulti(typePolygonM, ring)).               // 1
		add(testNull()).                                  // 2
		add(testMulti(typePolyLineZ, line)).              // 3 (deleted in the DBF)
		add(testMulti(typePolyLineM, line, line)).        // 4
		add(testPoint(typePointZ, 5, 6)).                 // 5
		add(testPoint(typePointM, 7, 8)).                 // 6
		add(testMultiPoint(typeMultiPointZ, 1, 2, 3, 4)). // 7
		add(testMultiPoint(typeMultiPointM, 1, 2)).       // 8
		bytes()
	rows := [][]string{{"0"}, {"1"}, {"2"}, {"*DELETED*", "3"}, {"4"}, {"5"}, {"6"}, {"7"}, {"8"}}
	dbf := dbfTestBuild(0, []dbfTestField{{"N", 'N', 4, 0}}, rows)
	src := readShp(t, testFS(map[string][]byte{"zm.shp": shp, "zm.dbf": dbf}), "zm.shp")
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	ls := orb.LineString{{0, 0}, {1, 1}, {2, 0}}
	want := []geo.Record{
		{Props: map[string]any{"N": int64(0)}, Geom: sq},
		{Props: map[string]any{"N": int64(1)}, Geom: sq},
		{Props: map[string]any{"N": int64(2)}},
		{Props: map[string]any{"N": int64(4)}, Geom: orb.MultiLineString{ls, ls}},
		{Props: map[string]any{"N": int64(5)}, Geom: orb.Point{5, 6}},
		{Props: map[string]any{"N": int64(6)}, Geom: orb.Point{7, 8}},
		{Props: map[string]any{"N": int64(7)}, Geom: orb.MultiPoint{{1, 2}, {3, 4}}},
		{Props: map[string]any{"N": int64(8)}, Geom: orb.MultiPoint{{1, 2}}},
	}
	if !reflect.DeepEqual(src.Records, want) {
		t.Errorf("records:\n got %v\nwant %v", src.Records, want)
	}
	if !hasWarning(src, "zm.shp: record 2: null shape") {
		t.Errorf("no null-shape warning naming record 2: %q", src.Warnings)
	}
}

func TestShapefileHostile(t *testing.T) {
	ring := []float64{0, 0, 0, 1, 1, 1, 1, 0, 0, 0}
	good := testMulti(typePolygon, ring)
	patch := func(off int, v int32) []byte {
		b := append([]byte(nil), good...)
		b[off], b[off+1], b[off+2], b[off+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
		return b
	}
	nan := testPoint(typePoint, math.NaN(), 1)
	tests := []struct {
		name string
		shp  []byte
		want string
	}{
		{"huge point count", (&testFile{typ: 5}).add(patch(40, math.MaxInt32)).bytes(), "a.shp: record 0: 2147483647 points, which with the 0 before are more than the limit of 100000000 vertices"},
		{"negative part count", (&testFile{typ: 5}).add(patch(36, -1)).bytes(), "a.shp: record 0: negative count"},
		{"part start past the points", (&testFile{typ: 5}).add(testMulti(5, ring, ring)).add(func() []byte {
			b := testMulti(5, ring, ring)
			b[48] = 200
			return b
		}()).bytes(), "a.shp: record 1: part 1 starts at point 200 but the record has 10 points"},
		{"part 0 not at 0", (&testFile{typ: 5}).add(patch(44, 1)).bytes(), "part 0 starts at point 1"},
		{"content past end of file", func() []byte {
			b := (&testFile{typ: 5}).add(good).bytes()
			b[104], b[105], b[106], b[107] = 0x7f, 0xff, 0xff, 0xff
			return b
		}(), "a.shp: record 0: 4294967294 bytes hold at least 134217725 points"},
		{"truncated record header", append((&testFile{typ: 5}).add(good).bytes(), 0, 0, 0), "record 1: truncated record header"},
		{"not a shapefile", make([]byte, 100), "file code is 0"},
		{"short header", []byte{0, 0, 0x27, 0x0a}, "reading the 100-byte header"},
		{"NaN coordinate", (&testFile{typ: 1}).add(nan).bytes(), "not finite"},
		{"MultiPatch", (&testFile{typ: 31}).add(patch(0, 31)).bytes(), "MultiPatch is not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(testFS(map[string][]byte{"a.shp": tc.shp}), "a.shp")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "data: ") {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestShapefileZip(t *testing.T) {
	mk := func(files map[string][]byte) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for name, data := range files {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
		zw.Close()
		return b.Bytes()
	}
	read := func(dir string) map[string][]byte {
		m := map[string][]byte{}
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			m["SampleData/"+e.Name()] = b
		}
		return m
	}
	files := read("testdata/windr07")
	z := mk(files)
	src, err := ReadZip(bytes.NewReader(z), int64(len(z)), "plots.zip")
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Records) != 5 || src.Records[0].Props["JHLX"] != "面" {
		t.Errorf("zip: %d records, JHLX %q", len(src.Records), src.Records[0].Props["JHLX"])
	}

	files["other/b.SHP"] = files["SampleData/SampleData.shp"]
	z = mk(files)
	if _, err := ReadZip(bytes.NewReader(z), int64(len(z)), "plots.zip"); err == nil ||
		!strings.Contains(err.Error(), "2 .shp files in the archive (SampleData/SampleData.shp, other/b.SHP)") {
		t.Errorf("several .shp: err = %v", err)
	}
	z = mk(map[string][]byte{"../evil.shp": files["SampleData/SampleData.shp"]})
	if _, err := ReadZip(bytes.NewReader(z), int64(len(z)), "plots.zip"); err == nil || !strings.Contains(err.Error(), "unsafe path") {
		t.Errorf("zip slip: err = %v", err)
	}
	z = mk(map[string][]byte{"a.dbf": nil})
	if _, err := ReadZip(bytes.NewReader(z), int64(len(z)), "plots.zip"); err == nil || !strings.Contains(err.Error(), "no .shp file") {
		t.Errorf("no shp: err = %v", err)
	}
	defer func(v uint64) { maxZipEntry = v }(maxZipEntry)
	maxZipEntry = 1000
	z = mk(read("testdata/windr07"))
	if _, err := ReadZip(bytes.NewReader(z), int64(len(z)), "plots.zip"); err == nil || !strings.Contains(err.Error(), "more than the 1000-byte limit") {
		t.Errorf("entry size cap: err = %v", err)
	}
}
