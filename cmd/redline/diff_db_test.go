package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

// diff --out-db writes the areas per region and the ledger pieces in one
// run; the rows read back are the JSON's numbers, PostGIS measures the
// pieces as redline did, and a failed write leaves the old table alone.
func TestDiffOutDB(t *testing.T) {
	pool, schema, url := testPG(t)
	ctx := context.Background()
	args := []string{"diff", "testdata/diff_old.geojson", "testdata/diff_new.geojson", "--regions", "testdata/diff_regions.geojson",
		"--landuse", "testdata/diff_landuse.geojson", "--by", "DLMC", "--format", "json"}
	code, out, errs := runCLI(t, append(args, "--out-db", url+"&table="+schema+".diff")...)
	if code != exitOK {
		t.Fatalf("diff --out-db: exit %d: %s", code, errs)
	}
	var doc struct {
		Regions []map[string]any
		Total   map[string]any
		Pieces  int
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Regions) == 0 || doc.Pieces == 0 {
		t.Fatalf("no regions or no pieces: the test checks nothing\n%.300s", out)
	}
	check := func(typ string, region int, want map[string]any) {
		t.Helper()
		var got [6]float64
		err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT old_m2, new_m2, added_m2, removed_m2, kept_m2, net_m2 FROM %s.diff
			WHERE row_type = $1 AND region_index = $2`, schema), typ, region).Scan(&got[0], &got[1], &got[2], &got[3], &got[4], &got[5])
		if err != nil {
			t.Fatalf("%s %d: %v", typ, region, err)
		}
		for i, k := range []string{"old_m2", "new_m2", "added_m2", "removed_m2", "kept_m2", "net_m2"} {
			if w, _ := want[k].(float64); got[i] != w {
				t.Errorf("%s %d: %s %v in the table, %v in the JSON", typ, region, k, got[i], w)
			}
		}
	}
	check("total", -1, doc.Total)
	for _, g := range doc.Regions {
		check("region", int(g["index"].(float64)), g)
	}
	var pieces, withGeom int
	var worst float64
	if err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(*), count(geom),
		coalesce(max(abs(ST_Area(geom::geography, true) - (added_m2 + removed_m2)) / (added_m2 + removed_m2)), 0)
		FROM %s.diff WHERE row_type IN ('added', 'removed')`, schema)).Scan(&pieces, &withGeom, &worst); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pieces, worst relative area difference to PostGIS %.2g", pieces, worst)
	if pieces != doc.Pieces || withGeom != pieces || worst > 1e-6 || math.IsNaN(worst) {
		t.Errorf("%d piece rows (%d with a polygon), the JSON says %d pieces; worst relative area difference %g", pieces, withGeom, doc.Pieces, worst)
	}
	// A table of another shape: the write fails, the table is as it was.
	if _, err := pool.Exec(ctx, fmt.Sprintf("CREATE TABLE %s.other (x integer); INSERT INTO %[1]s.other VALUES (1)", schema)); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI(t, append(args, "--out-db", url+"&table="+schema+".other")...)
	var n int
	if err := pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM %s.other", schema)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if code == exitOK || n != 1 || !strings.Contains(errs, "other") || strings.Contains(errs, "SELECT") {
		t.Errorf("diff --out-db into a table of another shape: exit %d, %d rows after, %s", code, n, errs)
	}
	t.Logf("the failed write: %s", strings.TrimSpace(errs))
}
