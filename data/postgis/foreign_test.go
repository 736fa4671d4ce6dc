package postgis

import (
	"context"
	"fmt"
	"reflect"
	"testing"
)

// A table another tool made (ogr2ogr's ogc_fid, plain columns): features
// numbered by ogc_fid, columns as properties with their types, ids from
// the id= column.
func TestReadOtherToolsTable(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s.ogr (ogc_fid serial PRIMARY KEY, bsm text, gnfq text, mj double precision, n integer,
		geom geometry(MultiPolygon, 4490));
		INSERT INTO %[1]s.ogr (bsm, gnfq, mj, n, geom) VALUES
		('B1', '核心区', 2.0, 7, ST_Multi(ST_MakeEnvelope(99, 23, 99.01, 23.01, 4490))),
		('B2', NULL, 2.5, NULL, ST_Multi(ST_MakeEnvelope(99.02, 23, 99.03, 23.01, 4490))),
		('B3', '实验区', 1, 1, NULL)`, schema)); err != nil {
		t.Fatal(err)
	}
	src := mustSource(t, url, schema, "ogr")
	src.ID = "bsm"
	tbl, err := Describe(ctx, pool, src)
	if err != nil {
		t.Fatal(err)
	}
	l, skipped, err := ReadLayer(ctx, pool, tbl, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() != 2 || skipped != 1 {
		t.Fatalf("%d features, %d skipped; want 2, 1", l.Len(), skipped)
	}
	f := l.Features[0]
	want := map[string]any{"ogc_fid": int64(1), "bsm": "B1", "gnfq": "核心区", "n": int64(7), "mj": 2.0}
	if f.Index != 1 || f.ID != "B1" || !reflect.DeepEqual(f.Props, want) {
		t.Errorf("feature %d %q %#v", f.Index, f.ID, f.Props)
	}
	if l.Features[1].Props["gnfq"] != nil || l.Features[1].Props["mj"] != 2.5 {
		t.Errorf("second feature: %#v", l.Features[1].Props)
	}
}

// A partitioned import reads back as the plain one does.
func TestPartitionedImport(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	want := readFixture(t, "anchors/constraints.geojson.gz")
	want.Features[0].Props["kind"] = `it's a \ test`
	dest := mustSource(t, url, schema, "parted")
	if err := Import(ctx, pool, ImportSpec{Dest: dest, PartitionBy: "kind"}, importRows(want)); err != nil {
		t.Fatal(err)
	}
	var parts int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass($1)", schema+".parted").Scan(&parts); err != nil || parts != 4 {
		t.Fatalf("%d partitions (%v), want 4", parts, err)
	}
	tbl, err := Describe(ctx, pool, dest)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := ReadLayer(ctx, pool, tbl, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameFeatures(t, got, want)
	if err := Import(ctx, pool, ImportSpec{Dest: dest, PartitionBy: "kind", Replace: true}, importRows(want)); err != nil {
		t.Fatalf("replacing a partitioned table: %v", err)
	}
	if err := Import(ctx, pool, ImportSpec{Dest: mustSource(t, url, schema, "p2"), PartitionBy: "nosuch"}, importRows(want)); err == nil {
		t.Error("partition field without values: no error")
	}
}
