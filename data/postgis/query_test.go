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

// Pages continued after the last fid are the OFFSET pages, for a table
// whose fid is unique; a fid without a unique index (a partitioned table's,
// or any other) is not used that way.
func TestPageAfterEqualsOffset(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	// 23 unit squares in a 5-wide grid, fids with gaps and not in insertion order.
	if _, err := pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE %[1]s.pg (gid integer PRIMARY KEY, geom geometry(Polygon, 4490));
		INSERT INTO %[1]s.pg SELECT 3 * ((i * 7) %% 23) + 1, ST_MakeEnvelope(99 + (i %% 5) * 0.01, 23 + (i / 5) * 0.01, 99.009 + (i %% 5) * 0.01, 23.009 + (i / 5) * 0.01, 4490)
		FROM generate_series(0, 22) i;
		CREATE TABLE %[1]s.dup (fid bigint, geom geometry(Polygon, 4490));
		CREATE INDEX ON %[1]s.dup (fid)`, schema)); err != nil {
		t.Fatal(err)
	}
	tbl := mustTable(t, ctx, pool, url, schema, "pg")
	if !tbl.UniqueFID || tbl.FID != "gid" {
		t.Fatalf("fid %q unique=%v, want gid, unique", tbl.FID, tbl.UniqueFID)
	}
	if dup := mustTable(t, ctx, pool, url, schema, "dup"); dup.UniqueFID {
		t.Error("a fid with a plain (not unique) index is taken as unique")
	}
	for _, b := range []*orb.Bound{nil, {Min: orb.Point{99.015, 23.005}, Max: orb.Point{99.035, 23.035}}} {
		for _, limit := range []int{1, 4, 23, 30} {
			var fids []int
			var after int64 = -1 << 62
			pages := 0
			for offset := 0; ; offset += limit {
				want, err := Page(ctx, pool, tbl, b, offset, limit, ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				got, err := PageAfter(ctx, pool, tbl, b, after, limit, ReadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if got.Len() != want.Len() {
					t.Fatalf("box %v limit %d offset %d: %d features after fid %d, %d by OFFSET", b, limit, offset, got.Len(), after, want.Len())
				}
				for i := range want.Features {
					if got.Features[i].Index != want.Features[i].Index {
						t.Fatalf("box %v limit %d offset %d: feature %d is fid %d, by OFFSET %d", b, limit, offset, i, got.Features[i].Index, want.Features[i].Index)
					}
					fids = append(fids, want.Features[i].Index)
				}
				if want.Len() == 0 {
					break
				}
				after = int64(want.Features[want.Len()-1].Index)
				pages++
			}
			n, err := CountBox(ctx, pool, tbl, b)
			if err != nil {
				t.Fatal(err)
			}
			if len(fids) != n || (b == nil && n != 23) || (b != nil && (n == 0 || n == 23)) {
				t.Errorf("box %v limit %d: %d features in %d pages, numberMatched %d", b, limit, len(fids), pages, n)
			}
			for i := 1; i < len(fids); i++ {
				if fids[i] <= fids[i-1] {
					t.Errorf("box %v limit %d: fids %v not increasing", b, limit, fids)
					break
				}
			}
		}
	}
}
