package data_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/redline-gis/redline/data"
)

// BenchmarkReadLargeGPKG reads the anchors' large constraints as GeoJSON and
// as a GeoPackage written by ogr2ogr (budget: the GeoPackage at most 2 × the
// GeoJSON time). It needs REDLINE_BENCH_LARGE, a folder with both files:
//
//	python3 ../shared/anchors/gen_data.py --constraints 20000 --sites 5000 --regions 12 --seed 1 --out /tmp/anc/large
//	ogr2ogr -f GPKG /tmp/anc/large/constraints.gpkg /tmp/anc/large/constraints.geojson
//	REDLINE_BENCH_LARGE=/tmp/anc/large go test -run '^$' -bench ReadLargeGPKG -benchtime 3x ./data
func BenchmarkReadLargeGPKG(b *testing.B) {
	dir := os.Getenv("REDLINE_BENCH_LARGE")
	if dir == "" {
		b.Skip("REDLINE_BENCH_LARGE not set (see the comment for how to make the files)")
	}
	for _, name := range []string{"constraints.geojson", "constraints.gpkg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			b.Skipf("%s: %v", name, err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				l, _, err := data.ReadLayer(os.DirFS(dir), name, data.ReadOptions{})
				if err != nil || l.Len() != 20000 {
					b.Fatal(err, l.Len())
				}
			}
		})
	}
}
