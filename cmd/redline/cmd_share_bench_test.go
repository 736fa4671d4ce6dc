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
//
// Measured 2026-11-28 end to end (/usr/bin/time -v, 2 shared cores, load
// average 3–12 from other work): pure Go 29.6–49.6 s wall, 40–42 s CPU,
// 640 MB peak RSS; -tags geos 36.0 s wall, 21.3 s CPU, 597 MB; PostGIS
// share_postgis.sh 54–60 s wall. Per-region covered areas agree with
// PostGIS to 9.8e-9 relative (6.4 m²). CPU profile (pure Go): the cascaded
// two-input unions of geo.Dissolve 66 %, validation 18 %, GeoJSON reading
// 15 %. Budgets (0.2× / 0.1× PostGIS, 3× input RSS) are not met yet.
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
