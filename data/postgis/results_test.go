package postgis

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/internal/geotest"
)

func TestWriteResults(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	dest := mustSource(t, url, schema, "screen_results")
	piece := orb.Polygon{{{99, 23}, {99.01, 23}, {99.01, 23.01}, {99, 23.01}, {99, 23}}}
	rows := []ResultRow{
		{SiteIndex: 0, SiteID: "S1", SiteVerdict: "prohibited", Layer: "reserve", Kind: "reserve", FeatureIndex: 3, FeatureID: "R3",
			Zone: "core", OverlapM2: 1234.5, OverlapPct: 50, Verdict: "prohibited", RuleID: "reserve-core", Rule: "禁止", Basis: "条例", Piece: piece},
		{SiteIndex: 1, SiteID: "S2", SiteVerdict: "clear", FeatureIndex: -1},
	}
	for run := 0; run < 2; run++ {
		if err := WriteResults(ctx, pool, dest, RunInfo{ID: fmt.Sprint("run", run), Time: time.Now(), Version: "test"}, rows); err != nil {
			t.Fatal(err)
		}
	}
	var n, withGeom int
	var area float64
	err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*), count(geom), coalesce(sum(ST_Area(geom::geography)) / count(geom), 0)
		FROM %s.screen_results WHERE run_id = 'run1'`, schema)).Scan(&n, &withGeom, &area)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || withGeom != 1 {
		t.Errorf("%d rows, %d with a piece; want 2, 1", n, withGeom)
	}
	// PostGIS measures the piece redline wrote: a 0.01° square at 23°N.
	geotest.ApproxEqual(t, "piece area", area, geotest.BoxAreaM2(99, 23, 99.01, 23.01), geotest.Tol{Rel: 1e-6})
	var fi *int64
	if err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT feature_index FROM %s.screen_results WHERE site_id = 'S2' LIMIT 1`, schema)).Scan(&fi); err != nil || fi != nil {
		t.Errorf("site without conflicts: feature_index %v, %v", fi, err)
	}
}
