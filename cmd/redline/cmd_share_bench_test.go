package main

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// BenchmarkShareAnchorsLarge runs `redline share` end to end on the anchors'
// large set (12 regions × 20 000 constraints, 6.8 M vertices), when present:
//
//	python3 ../shared/anchors/gen_data.py --constraints 20000 --sites 5000 --regions 12 --seed 1 --out /tmp/anc/large
func BenchmarkShareAnchorsLarge(b *testing.B) {
	dir := os.Getenv("ANCHORS_LARGE")
	if dir == "" {
		dir = "/tmp/anc/large"
	}
	if _, err := os.Stat(dir + "/constraints.geojson"); err != nil {
		b.Skip("anchors large set absent")
	}
	b.ReportAllocs()
	for b.Loop() {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"redline", "share", "--regions", dir + "/regions.geojson",
			"--layer", dir + "/constraints.geojson", "--format", "csv"}, &out, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}
