package gpkg_test

import (
	"bytes"
	"fmt"
	"math"
	"testing"
	"testing/fstest"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data/gpkg"
	"github.com/redline-gis/redline/geo"
)

// benchRecords makes n 64-vertex polygons with two attributes (seedless:
// a regular grid).
func benchRecords(n int) []geo.Record {
	recs := make([]geo.Record, n)
	for i := range recs {
		x, y := 99+float64(i%100)*0.01, 23+float64(i/100)*0.01
		r := make(orb.Ring, 0, 65)
		for k := 0; k < 64; k++ {
			a := float64(k) / 64 * 6.283185307179586
			r = append(r, orb.Point{x + 0.004*math.Cos(a), y + 0.004*math.Sin(a)})
		}
		r = append(r, r[0])
		recs[i] = geo.Record{Geom: orb.Polygon{r}, Props: map[string]any{"name": fmt.Sprintf("P%d", i), "code": int64(i)}}
	}
	return recs
}

func BenchmarkWrite(b *testing.B) {
	recs := benchRecords(10_000)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := gpkg.Write(&buf, []string{"name", "code"}, recs, gpkg.WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	if err := gpkg.Write(&buf, []string{"name", "code"}, benchRecords(10_000), gpkg.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{"b.gpkg": {Data: buf.Bytes()}}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		src, err := gpkg.Read(fsys, "b.gpkg", gpkg.Options{})
		if err != nil || len(src.Records) != 10_000 {
			b.Fatal(err)
		}
	}
}
