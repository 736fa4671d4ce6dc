package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/internal/geotest"
)

// A layer partitioned by a field, with one partition moved to a second
// server (postgres_fdw, extensions 'postgis'), screens by pushdown from the
// coordinator to the same JSON as from one plain table. Needs a second
// scratch cluster in REDLINE_TEST_PG_SHARD.
func TestPushdownAcrossShards(t *testing.T) {
	pool, schema, coordURL := testPG(t)
	shardURL := os.Getenv("REDLINE_TEST_PG_SHARD")
	if shardURL == "" {
		geotest.Unavailable(t, "REDLINE_TEST_PG_SHARD is not set: start a second scratch cluster with "+
			"`eval \"$(scripts/pg_scratch.sh start $(mktemp -d /tmp/redline-pg.XXXXXX) | sed s/REDLINE_TEST_PG=/REDLINE_TEST_PG_SHARD=/)\"`")
	}
	ctx := context.Background()
	shard, err := pgx.Connect(ctx, shardURL)
	if err != nil {
		t.Fatal(err)
	}
	defer shard.Close(ctx)
	if _, err := shard.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		t.Fatal(err)
	}
	if _, err := shard.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer shard.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")

	sites, cons := anchorsLayers(t)
	rows := make([]postgis.ImportRow, cons.Len())
	for i := range cons.Features {
		rows[i] = postgis.ImportRow{Feature: &cons.Features[i]}
	}
	one, _ := postgis.ParseURL(coordURL+"&table="+schema+".one", true)
	parted, _ := postgis.ParseURL(coordURL+"&table="+schema+".parted", true)
	if err := postgis.Import(ctx, pool, postgis.ImportSpec{Dest: one}, rows); err != nil {
		t.Fatal(err)
	}
	if err := postgis.Import(ctx, pool, postgis.ImportSpec{Dest: parted, PartitionBy: "kind"}, rows); err != nil {
		t.Fatal(err)
	}
	// Partitions are sorted by value: p0 redline, p1 reserve, p2 water.
	// Move p2 (water) to the shard, as the README tells an administrator.
	var copyOut bytes.Buffer
	if _, err := pool.Exec(ctx, fmt.Sprintf("CREATE TABLE %s.w AS SELECT * FROM %[1]s.parted_p2", schema)); err != nil {
		t.Fatal(err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Conn().PgConn().CopyTo(ctx, &copyOut, fmt.Sprintf("COPY %s.w TO STDOUT", schema)); err != nil {
		t.Fatal(err)
	}
	conn.Release()
	if _, err := shard.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s.parted_p2 (fid bigint NOT NULL, id text, name text, zone text,
		props jsonb NOT NULL, geom geometry(MultiPolygon, 4490) NOT NULL, part_key text NOT NULL);
		CREATE INDEX ON %[1]s.parted_p2 USING gist (geom)`, schema)); err != nil {
		t.Fatal(err)
	}
	if _, err := shard.PgConn().CopyFrom(ctx, &copyOut, fmt.Sprintf("COPY %s.parted_p2 FROM STDIN", schema)); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(shardURL)
	host := u.Query().Get("host")
	srv := "redline_shard_" + strings.TrimPrefix(schema, "redline_cmdtest_")
	for _, sql := range []string{
		"CREATE EXTENSION IF NOT EXISTS postgres_fdw",
		fmt.Sprintf("CREATE SERVER %s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %s, dbname 'postgres', extensions 'postgis')", srv, quoteSQL(host)),
		fmt.Sprintf("CREATE USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (user %s)", srv, quoteSQL(u.Query().Get("user"))),
		fmt.Sprintf("ALTER TABLE %s.parted DETACH PARTITION %[1]s.parted_p2", schema),
		fmt.Sprintf("DROP TABLE %s.parted_p2", schema),
		fmt.Sprintf("CREATE FOREIGN TABLE %s.parted_p2 PARTITION OF %[1]s.parted FOR VALUES IN ('water') SERVER %s OPTIONS (schema_name %s, table_name 'parted_p2')",
			schema, srv, quoteSQL(schema)),
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	defer pool.Exec(context.Background(), "DROP SERVER "+srv+" CASCADE")
	var nShard int
	if err := shard.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM %s.parted_p2", schema)).Scan(&nShard); err != nil || nShard != 22 {
		t.Fatalf("shard holds %d rows (%v), want the 22 water features", nShard, err)
	}
	// The box test runs on the shard: the plan ships && to it.
	var plan strings.Builder
	prow, err := pool.Query(ctx, fmt.Sprintf("EXPLAIN VERBOSE SELECT fid FROM %s.parted WHERE geom && ST_MakeEnvelope(99, 23, 99.1, 23.1, 4490)", schema))
	if err != nil {
		t.Fatal(err)
	}
	for prow.Next() {
		var line string
		prow.Scan(&line)
		plan.WriteString(line + "\n")
	}
	prow.Close()
	if !strings.Contains(plan.String(), "Remote SQL") || !regexpRemoteBox(plan.String()) {
		t.Errorf("&& is not pushed to the shard:\n%s", plan.String())
	}

	rules := analysis.DefaultRules()
	opt := analysis.ScreenOptions{NearM: 800, Pieces: true, Type: "chemical"}
	screen := func(src *postgis.Source) []byte {
		tbl, err := postgis.Describe(ctx, pool, src)
		if err != nil {
			t.Fatal(err)
		}
		cache, err := postgis.NewCache(tbl, postgis.ReadOptions{IDFields: data.DefaultIDFields})
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := screenPushdown(ctx, sites, []screenLayer{{pool: pool, cache: cache, cfg: analysis.LayerConfig{Kind: "water"}, total: cons.Len()}}, rules, opt, 16)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		return b
	}
	a, b := screen(one), screen(parted)
	if !bytes.Equal(a, b) {
		t.Fatal("pushdown across shards gives other JSON than one table")
	}
	if !bytes.Contains(a, []byte(`"conflicts":[{`)) {
		t.Fatal("no conflicts: the test checks nothing")
	}
	// serve, from the coordinator: the same documents and items as from one table.
	sitesFile := filepath.Join(t.TempDir(), "sites.geojson")
	gunzipTo(t, "../../testdata/anchors/sites.geojson.gz", sitesFile)
	body, err := os.ReadFile(sitesFile)
	if err != nil {
		t.Fatal(err)
	}
	oneURL, _ := serveDB(t, []string{"water=" + coordURL + "&table=" + schema + ".one&mode=pushdown"}, 0)
	partURL, _ := serveDB(t, []string{"water=" + coordURL + "&table=" + schema + ".parted&mode=pushdown"}, 0)
	for _, q := range []string{"/processes/screen/execution?near=800&type=chemical", "/collections/water/items?bbox=99,23,99.2,23.2&limit=1000"} {
		var docs [2][]byte
		for i, base := range []string{oneURL, partURL} {
			var status int
			if strings.HasPrefix(q, "/processes") {
				status, docs[i] = post(t, base+q, "application/geo+json", body)
			} else {
				status, docs[i] = get(t, base+q)
				docs[i] = bytes.ReplaceAll(docs[i], []byte(base), nil)
			}
			if status != 200 {
				t.Fatalf("%s: %d %.300s", q, status, docs[i])
			}
		}
		if !bytes.Equal(docs[0], docs[1]) || !bytes.Contains(docs[0], []byte(`"feature_index"`)) && !bytes.Contains(docs[0], []byte(`"Feature"`)) {
			t.Errorf("serve %s: the partitioned table with a foreign partition gives another document than one table", q)
		}
		t.Logf("serve %s: %d bytes, %d features", q, len(docs[0]), bytes.Count(docs[0], []byte(`"Feature"`)))
	}
}

func quoteSQL(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func regexpRemoteBox(plan string) bool {
	for _, line := range strings.Split(plan, "\n") {
		if strings.Contains(line, "Remote SQL") && strings.Contains(line, "&&") {
			return true
		}
	}
	return false
}
