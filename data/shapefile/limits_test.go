package shapefile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/paulmach/orb"
)

// grid30k is one Polygon record of 15 000 clockwise shells in a grid, each
// with a counter-clockwise hole: 30 000 rings, 150 000 points (2.4 MB).
func grid30k() []byte {
	var parts [][]float64
	for i := range 15000 {
		x, y := float64(i%150)*10, float64(i/150)*10
		parts = append(parts,
			[]float64{x, y, x, y + 8, x + 8, y + 8, x + 8, y, x, y},                         // clockwise: shell
			[]float64{x + 2, y + 2, x + 6, y + 2, x + 6, y + 6, x + 2, y + 6, x + 2, y + 2}) // counter-clockwise: hole
	}
	return (&testFile{typ: typePolygon}).add(testMulti(typePolygon, parts...)).bytes()
}

// Issue 15 item 8: 30 000 rings in one record assemble in n log n (the
// quadratic version took 129 s); asserted loosely so that a regression to
// quadratic fails on a slow machine.
func TestThirtyThousandRings(t *testing.T) {
	shp := grid30k()
	start := time.Now()
	src, err := Read(fstest.MapFS{"g.shp": {Data: shp}}, "g.shp")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("30 000 rings took %v, want well under 10 s", d)
	}
	mp, ok := src.Records[0].Geom.(orb.MultiPolygon)
	if !ok || len(mp) != 15000 {
		t.Fatalf("got %T with %d polygons, want 15 000", src.Records[0].Geom, len(mp))
	}
	for i, p := range mp {
		if len(p) != 2 {
			t.Fatalf("polygon %d has %d rings, want a shell and its hole", i, len(p))
		}
	}
	// The cap on rings per record, with the numbers.
	_, err = ReadLimit(fstest.MapFS{"g.shp": {Data: shp}}, "g.shp", Limits{MaxRingsPerRecord: 1000})
	if err == nil || !strings.Contains(err.Error(), "g.shp: record 0: 30000 parts, more than the limit of 1000 per record") {
		t.Errorf("ring cap: %v", err)
	}
}

// multiPoints is a .shp of recs MultiPoint records of n points each.
func multiPoints(recs, n int) []byte {
	xy := make([]float64, 2*n)
	for i := range xy {
		xy[i] = float64(i % 1000)
	}
	rec := testMultiPoint(typeMultiPoint, xy...)
	f := &testFile{typ: typeMultiPoint}
	for range recs {
		f.add(rec)
	}
	return f.bytes()
}

// Issue 15 item 7: the vertex and feature caps stop a read before the
// records fill memory, and say how many.
func TestVertexAndFeatureCaps(t *testing.T) {
	shp := multiPoints(200, 10_000) // 2 M points, 32 MB
	fsys := fstest.MapFS{"m.shp": {Data: shp}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadLimit(fsys, "m.shp", Limits{MaxVertices: 100_000})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "m.shp: record 10: 160040 bytes hold at least 4999 points, which with the 100000 before are more than the limit of 100000 vertices") {
		t.Errorf("vertex cap: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("allocated %d MB before stopping at 100 000 vertices, want a few", alloc>>20)
	}
	_, err = ReadLimit(fsys, "m.shp", Limits{MaxFeatures: 50})
	if err == nil || !strings.Contains(err.Error(), "more than 50 records, the limit") {
		t.Errorf("feature cap: %v", err)
	}
}

// Issue 15 item 7: a few kilobytes of deflate claiming gigabytes fail at
// once, from the sizes the archive declares, with the numbers; a real bomb
// (32 MB of points in a small zip) stops at the vertex cap.
func TestZipBombs(t *testing.T) {
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestCompression)
	fw.Write(make([]byte, 1<<20))
	fw.Close()
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "bomb.shp", Method: zip.Deflate, CompressedSize64: uint64(raw.Len()),
		UncompressedSize64: 1 << 31, CRC32: 0})
	w.Write(raw.Bytes())
	for _, name := range []string{"bomb.dbf", "bomb.shx"} {
		w, _ = zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(raw.Len()),
			UncompressedSize64: 3 << 29, CRC32: 0})
		w.Write(raw.Bytes())
	}
	zw.Close()
	start := time.Now()
	_, err := ReadZip(bytes.NewReader(zb.Bytes()), int64(zb.Len()), "bomb.zip")
	if err == nil || !strings.Contains(err.Error(), "bomb.zip: the shapefile bomb is 5368709120 bytes uncompressed") ||
		!strings.Contains(err.Error(), "more than the limit of 4294967296") {
		t.Errorf("declared bomb: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}

	zb.Reset()
	zw = zip.NewWriter(&zb)
	w, _ = zw.Create("pts.shp")
	w.Write(multiPoints(300, 10_000)) // 48 MB
	zw.Close()
	if zb.Len() > 2<<20 {
		t.Fatalf("the test zip is %d bytes; want a small one", zb.Len())
	}
	_, err = ReadZip(bytes.NewReader(zb.Bytes()), int64(zb.Len()), "pts.zip")
	if err == nil || !strings.Contains(err.Error(), "pts.zip: the shapefile pts expands") || !strings.Contains(err.Error(), "limit of 20 times") {
		t.Errorf("expansion ratio: %v", err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = ReadZipLimit(bytes.NewReader(zb.Bytes()), int64(zb.Len()), "pts.zip", Limits{MaxVertices: 500_000, MaxExpandRatio: 1e6})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "more than the limit of 500000 vertices") || !strings.Contains(err.Error(), "pts.zip") {
		t.Errorf("vertex cap in a zip: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("allocated %d MB to refuse a %d KB zip at 500 000 vertices", alloc>>20, zb.Len()>>10)
	}
	_, err = ReadZipLimit(bytes.NewReader(zb.Bytes()), int64(zb.Len()), "pts.zip", Limits{MaxExpandedBytes: 1 << 20, MaxExpandRatio: 1e6})
	if err == nil || !strings.Contains(err.Error(), "more than the limit of 1048576") {
		t.Errorf("expanded-bytes cap: %v", err)
	}
}
