package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// testPG connects to REDLINE_TEST_PG and gives the test its own schema,
// dropped at the end; without the variable the test is skipped.
func testPG(t *testing.T) (*pgxpool.Pool, string, string) {
	t.Helper()
	url := os.Getenv("REDLINE_TEST_PG")
	if url == "" {
		geotest.Unavailable(t, "REDLINE_TEST_PG is not set: start a scratch PostgreSQL+PostGIS with "+
			"`eval \"$(scripts/pg_scratch.sh start $(mktemp -d /tmp/redline-pg.XXXXXX))\"` and run the tests again")
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	schema := "redline_cmdtest_" + filepath.Base(t.TempDir())
	if _, err := pool.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("dropping %s: %v", schema, err)
		}
		pool.Close()
	})
	return pool, schema, url
}

func anchorsLayers(t *testing.T) (sites, cons *geo.Layer) {
	t.Helper()
	dir := t.TempDir()
	gunzipTo(t, "../../testdata/anchors/sites.geojson.gz", filepath.Join(dir, "sites.geojson"))
	gunzipTo(t, "../../testdata/anchors/constraints.geojson.gz", filepath.Join(dir, "constraints.geojson"))
	var err error
	if sites, _, err = data.ReadLayer(os.DirFS(dir), "sites.geojson", data.ReadOptions{}); err != nil {
		t.Fatal(err)
	}
	if cons, _, err = data.ReadLayer(os.DirFS(dir), "constraints.geojson", data.ReadOptions{}); err != nil {
		t.Fatal(err)
	}
	return sites, cons
}

// Pushdown screening (candidates fetched per batch of sites) gives the same
// JSON, to the last digit, as screening the file loaded whole, with any
// batch size.
func TestPushdownEqualsLoaded(t *testing.T) {
	pool, schema, url := testPG(t)
	ctx := context.Background()
	sites, cons := anchorsLayers(t)
	rows := make([]postgis.ImportRow, cons.Len())
	for i := range cons.Features {
		rows[i] = postgis.ImportRow{Feature: &cons.Features[i]}
	}
	src, err := postgis.ParseURL(url+"&table="+schema+".cons", true)
	if err != nil {
		t.Fatal(err)
	}
	if err := postgis.Import(ctx, pool, postgis.ImportSpec{Dest: src}, rows); err != nil {
		t.Fatal(err)
	}
	tbl, err := postgis.Describe(ctx, pool, src)
	if err != nil {
		t.Fatal(err)
	}
	rules := analysis.DefaultRules()
	for _, kind := range []string{"reserve", "redline"} {
		cfg := analysis.LayerConfig{Kind: kind}
		whole, err := analysis.NewConstraint(cons, cfg)
		if err != nil {
			t.Fatal(err)
		}
		// --by: the per-site class areas come out the same too.
		opt := analysis.ScreenOptions{NearM: 800, Pieces: true, Type: "mining", By: []analysis.ClassBy{{Layer: kind, Field: "kind"}}}
		want, err := analysis.Screen(ctx, sites, []*analysis.Constraint{whole}, rules, opt)
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := json.Marshal(want)
		for _, batch := range []int{1, 7, 1000} {
			cache, err := postgis.NewCache(tbl, postgis.ReadOptions{IDFields: data.DefaultIDFields})
			if err != nil {
				t.Fatal(err)
			}
			got, st, err := screenPushdown(ctx, sites, []screenLayer{{pool: pool, cache: cache, cfg: cfg, total: cons.Len()}}, rules, opt, batch)
			if err != nil {
				t.Fatal(err)
			}
			gotJSON, _ := json.Marshal(got)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Fatalf("%s, batch %d: pushdown JSON differs from the loaded run", kind, batch)
			}
			if st.Queries != st.Batches || st.Cached > cons.Len() {
				t.Errorf("batch %d: %+v", batch, st)
			}
			t.Logf("%s, batch %d: %+v", kind, batch, st)
		}
		if !bytes.Contains(wantJSON, []byte(`"conflicts":[{`)) || !bytes.Contains(wantJSON, []byte(`"nearby":[{`)) || !bytes.Contains(wantJSON, []byte(`"value":"water"`)) {
			t.Fatal("no conflicts or no nearby features: the test checks nothing")
		}
	}
}
