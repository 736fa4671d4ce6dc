package postgis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// squares makes n small valid squares with an id and a property.
func squares(t *testing.T, n int) *geo.Layer {
	t.Helper()
	l := &geo.Layer{}
	for i := 0; i < n; i++ {
		x, y := 99+float64(i%100)*0.001, 23+float64(i/100)*0.001
		sq := orb.Polygon{{{x, y}, {x + 0.0005, y}, {x + 0.0005, y + 0.0005}, {x, y + 0.0005}, {x, y}}}
		f, err := geo.NewFeature(i, fmt.Sprintf("S%d", i), map[string]any{"n": int64(i)}, sq)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(f)
	}
	return l
}

// A failed import, and one whose connection is killed in the middle of the
// COPY, leave the old table as it was and no half-made table behind.
func TestImportFailureKeepsOldTable(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	dest := mustSource(t, url, schema, "layer")
	old := squares(t, 10)
	if err := Import(ctx, pool, ImportSpec{Dest: dest}, importRows(old)); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T) {
		t.Helper()
		var n, tmp int
		if err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT (SELECT count(*) FROM %s.layer),
			(SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'redline_import_%%')`, schema), schema).Scan(&n, &tmp); err != nil {
			t.Fatal(err)
		}
		if n != 10 || tmp != 0 {
			t.Errorf("after the failed import: %d rows (want the old 10), %d temporary tables (want 0)", n, tmp)
		}
	}

	t.Run("bad feature", func(t *testing.T) {
		l := squares(t, 100)
		l.Features[60].Props["bad"] = math.NaN()
		err := Import(ctx, pool, ImportSpec{Dest: dest, Replace: true}, importRows(l))
		if err == nil || !strings.Contains(err.Error(), "feature 60 (id S60)") {
			t.Fatalf("err = %v, want one naming feature 60", err)
		}
		check(t)
	})

	t.Run("connection killed mid-COPY", func(t *testing.T) {
		l := squares(t, 20000)
		killed := make(chan error, 1)
		copyHook = func(i int) {
			if i != 10000 {
				return
			}
			// Another connection ends the importing backend, found by
			// the test's own schema in its COPY statement.
			var n int
			err := pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE pid <> pg_backend_pid() AND query ILIKE 'copy%' AND query LIKE '%' || $1 || '%'`, schema).Scan(&n)
			if err == nil && n != 1 {
				err = fmt.Errorf("terminated %d backends, want 1", n)
			}
			killed <- err
			time.Sleep(200 * time.Millisecond)
		}
		defer func() { copyHook = nil }()
		err := Import(ctx, pool, ImportSpec{Dest: dest, Replace: true}, importRows(l))
		if kerr := <-killed; kerr != nil {
			t.Fatal(kerr)
		}
		if err == nil {
			t.Fatal("import succeeded on a killed connection")
		}
		t.Logf("killed: %v", err)
		if strings.Contains(err.Error(), "copy ") || strings.Contains(err.Error(), "COPY ") {
			t.Errorf("the error shows SQL: %v", err)
		}
		check(t)
	})

	t.Run("replace", func(t *testing.T) {
		if err := Import(ctx, pool, ImportSpec{Dest: dest, Replace: true}, importRows(squares(t, 20))); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM %s.layer", schema)).Scan(&n); err != nil || n != 20 {
			t.Fatalf("after replace: %d rows, %v", n, err)
		}
	})
}

func TestBadTables(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	if err := Import(ctx, pool, ImportSpec{Dest: mustSource(t, url, schema, "good")}, importRows(squares(t, 3))); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		"CREATE TABLE %[1]s.nogeom (fid bigint, name text)",
		"CREATE TABLE %[1]s.pts (fid bigint PRIMARY KEY, geom geometry(Point, 4490))",
		"INSERT INTO %[1]s.pts VALUES (0, ST_SetSRID(ST_MakePoint(99, 23), 4490))",
		"CREATE TABLE %[1]s.gk AS SELECT fid, id, props, ST_Transform(geom, 4521)::geometry(MultiPolygon, 4521) AS geom FROM %[1]s.good",
		"CREATE TABLE %[1]s.utm AS SELECT fid, id, props, ST_Transform(geom, 32647)::geometry(MultiPolygon, 32647) AS geom FROM %[1]s.good",
		"CREATE TABLE %[1]s.nofid (name text, geom geometry(Polygon, 4490))",
	} {
		if _, err := pool.Exec(ctx, fmt.Sprintf(sql, schema)); err != nil {
			t.Fatal(err)
		}
	}
	read := func(table string) (*geo.Layer, error) {
		tbl, err := Describe(ctx, pool, mustSource(t, url, schema, table))
		if err != nil {
			return nil, err
		}
		l, _, err := ReadLayer(ctx, pool, tbl, ReadOptions{})
		return l, err
	}
	if _, err := read("missing"); !errors.Is(err, ErrNoTable) {
		t.Errorf("missing table: %v", err)
	}
	for table, want := range map[string]string{
		"nogeom": "no geometry column",
		"nofid":  "no integer feature number column",
		"utm":    "SRID 32647 is not a CRS redline knows",
	} {
		if _, err := read(table); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", table, err, want)
		}
	}
	pts, err := read("pts")
	if err != nil || pts.Len() != 1 || pts.Features[0].Geom.GeoJSONType() != "Point" {
		t.Errorf("points table: %v", err)
	}
	// Gauss-Krüger rows come back to lon/lat with redline's own projection:
	// PostGIS (PROJ) and redline agree to well under a millimetre.
	good, err := read("good")
	if err != nil {
		t.Fatal(err)
	}
	gk, err := read("gk")
	if err != nil {
		t.Fatal(err)
	}
	for i := range good.Features {
		a, b := good.Features[i].Geom.(orb.Polygon), gk.Features[i].Geom.(orb.Polygon)
		for j := range a[0] {
			if d := math.Max(math.Abs(a[0][j][0]-b[0][j][0]), math.Abs(a[0][j][1]-b[0][j][1])); d > 1e-8 {
				t.Fatalf("feature %d point %d: %g degrees apart", i, j, d)
			}
		}
	}
	if _, err := NewCache(mustTable(t, ctx, pool, url, schema, "gk"), ReadOptions{}); err == nil {
		t.Error("pushdown on a Gauss-Krüger table: no error")
	}
}
