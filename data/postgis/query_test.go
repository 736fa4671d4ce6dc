package postgis

import (
	"context"
	"fmt"
	"testing"

	"github.com/paulmach/orb"
)

// Extent is ST_Extent (exact) before the table has statistics, and the
// estimate from them after ANALYZE: close to the exact one, and cheap.
func TestExtent(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s.ext (fid bigint PRIMARY KEY, geom geometry(Polygon, 4490));
		INSERT INTO %[1]s.ext VALUES (0, ST_MakeEnvelope(99.1, 23.2, 99.3, 23.4, 4490)), (1, ST_MakeEnvelope(100.05, 24.5, 100.75, 24.9, 4490))`, schema)); err != nil {
		t.Fatal(err)
	}
	tbl, err := Describe(ctx, pool, mustSource(t, url, schema, "ext"))
	if err != nil {
		t.Fatal(err)
	}
	want := orb.Bound{Min: orb.Point{99.1, 23.2}, Max: orb.Point{100.75, 24.9}}
	b, exact, err := Extent(ctx, pool, tbl)
	if err != nil || !exact || b != want {
		t.Errorf("without statistics: %v exact=%v %v, want %v exact", b, exact, err, want)
	}
	if _, err := pool.Exec(ctx, fmt.Sprintf("ANALYZE %s.ext", schema)); err != nil {
		t.Fatal(err)
	}
	b, exact, err = Extent(ctx, pool, tbl)
	if err != nil || exact {
		t.Fatalf("after ANALYZE: exact=%v %v", exact, err)
	}
	// PostGIS pads the statistics' box by a fraction of the span.
	w, h := want.Max[0]-want.Min[0], want.Max[1]-want.Min[1]
	for i, d := range []float64{(b.Min[0] - want.Min[0]) / w, (b.Min[1] - want.Min[1]) / h, (b.Max[0] - want.Max[0]) / w, (b.Max[1] - want.Max[1]) / h} {
		if d > 0.01 || d < -0.01 {
			t.Errorf("estimated extent %v, exact %v (coordinate %d off by %g of the span)", b, want, i, d)
		}
	}
}
