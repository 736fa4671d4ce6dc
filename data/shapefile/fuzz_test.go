package shapefile

import (
	"github.com/redline-gis/redline/internal/geotest"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
)

// FuzzReadShapefile feeds arbitrary .shp and .dbf bytes to the reader: it
// must return a Source or an error, never panic, and never allocate much
// more than the input holds.
func FuzzReadShapefile(f *testing.F) {
	for _, p := range [][2]string{
		{"testdata/windr07/SampleData.shp", "testdata/windr07/SampleData.dbf"},
		{"testdata/geotools/chinese_poly.shp", "testdata/geotools/chinese_poly.dbf"},
		{"testdata/geotools/rus-windows-1251.shp", "testdata/geotools/rus-windows-1251.dbf"},
	} {
		shp, err1 := os.ReadFile(p[0])
		dbf, err2 := os.ReadFile(p[1])
		if err1 != nil || err2 != nil {
			f.Fatal(err1, err2)
		}
		f.Add(shp, dbf)
	}
	ring := []float64{0, 0, 0, 10, 10, 10, 10, 0, 0, 0}
	hole := []float64{2, 2, 4, 2, 4, 4, 2, 4, 2, 2}
	f.Add((&testFile{typ: typePolygonZ}).add(testMulti(typePolygonZ, hole, ring)).add(testNull()).bytes(),
		dbfTestBuild(0x57, []dbfTestField{{"A", 'N', 5, 2}, {"B", 'L', 1, 0}, {"C", 'D', 8, 0}}, [][]string{{"1.5", "T", "20200101"}, {"*DELETED*", "", "", ""}}))
	f.Add((&testFile{typ: typeMultiPointM}).add(testMultiPoint(typeMultiPointM, 1, 2, 3, 4)).bytes(), []byte{})
	f.Fuzz(func(t *testing.T, shp, dbf []byte) {
		fsys := fstest.MapFS{"f.shp": {Data: shp}}
		if len(dbf) > 0 {
			fsys["f.dbf"] = &fstest.MapFile{Data: dbf}
		}
		var src *geo.Source
		var err error
		geotest.AllocBound(t, len(shp)+len(dbf), 64, 4<<20, func() { src, err = Read(fsys, "f.shp") })
		if err != nil {
			return
		}
		if len(src.Records) > len(shp)/12 {
			t.Fatalf("%d records from %d bytes", len(src.Records), len(shp))
		}
		for _, r := range src.Records {
			if r.Geom != nil {
				r.Geom.Bound()
			}
		}
	})
}

func BenchmarkReadShapefile(b *testing.B) {
	fsys := fstest.MapFS{}
	for _, n := range []string{"SampleData.shp", "SampleData.dbf", "SampleData.prj"} {
		data, err := os.ReadFile("testdata/windr07/" + n)
		if err != nil {
			b.Fatal(err)
		}
		fsys[n] = &fstest.MapFile{Data: data}
	}
	b.Run("SampleData", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Read(fsys, "SampleData.shp"); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A larger synthetic layer: 10 000 polygons of 64 vertices with attributes.
	feats := make([]geo.Record, 10_000)
	for i := range feats {
		ring := make([]float64, 0, 130)
		for k := range 64 {
			x, y := circlePoint(k, 64)
			ring = append(ring, 99+float64(i%100)*0.01+x*0.004, 23+float64(i/100)*0.01+y*0.004)
		}
		ring = append(ring, ring[0], ring[1])
		feats[i] = geo.Record{Geom: polyFromFlat(ring), Props: map[string]any{"id": i, "name": "生态保护红线", "share": float64(i) / 7}}
	}
	files := memFiles{}
	if err := Write(files.create, "big", nil, feats); err != nil {
		b.Fatal(err)
	}
	big := files.fs()
	b.Run("polygons=10000", func(b *testing.B) {
		b.SetBytes(int64(len(big["big.shp"].Data) + len(big["big.dbf"].Data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Read(big, "big.shp"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("write/polygons=10000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := Write(memFiles{}.create, "big", nil, feats); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzDBFText checks that any text survives a write and read, cut to 254
// bytes on a character boundary, with trailing spaces trimmed and invalid
// UTF-8 replaced.
func FuzzDBFText(f *testing.F) {
	f.Add("临沧市生态保护红线", "名称")
	f.Add(strings.Repeat("核心区", 90), "功能分区名称")
	f.Add("caf\xe9 ", "x\x00y")
	f.Fuzz(func(t *testing.T, s, key string) {
		files := memFiles{}
		feats := []geo.Record{{Geom: orb.Point{1, 2}, Props: map[string]any{key: s}}}
		if err := Write(files.create, "t", nil, feats); err != nil {
			t.Fatal(err)
		}
		src, err := Read(files.fs(), "t.shp")
		if err != nil {
			t.Fatal(err)
		}
		if len(src.Fields) != 1 || len(src.Fields[0]) > 10 || !utf8.ValidString(src.Fields[0]) {
			t.Fatalf("fields %q", src.Fields)
		}
		got := src.Records[0].Props[src.Fields[0]].(string)
		want := strings.TrimRight(dbfCut(strings.ToValidUTF8(s, "\uFFFD"), 254), " ")
		if strings.ContainsAny(want, "\x00") {
			return // NUL bytes are trimmed as padding by some readers; not compared
		}
		if got != want {
			t.Fatalf("text %q read back as %q", want, got)
		}
	})
}
