package postgis

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/redline-gis/redline/internal/geotest"
)

// testDB connects to REDLINE_TEST_PG and gives the test a schema of its
// own, dropped when it ends. Without the variable the test is skipped.
func testDB(t *testing.T) (*pgxpool.Pool, string, string) {
	t.Helper()
	return testDBFrom(t, "REDLINE_TEST_PG")
}

func testDBFrom(t *testing.T, env string) (*pgxpool.Pool, string, string) {
	t.Helper()
	url := os.Getenv(env)
	if url == "" {
		geotest.Unavailable(t, "%s is not set: start a scratch PostgreSQL+PostGIS with `eval \"$(scripts/pg_scratch.sh start $(mktemp -d /tmp/redline-pg.XXXXXX))\"` and run the tests again", env)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatalf("%s: %v", env, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		t.Fatalf("%s: %v", env, err)
	}
	schema := "redline_test_" + randomHex(4)
	if _, err := pool.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		t.Fatalf("postgis extension: %v", err)
	}
	if _, err := pool.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
		pool.Close()
	})
	return pool, schema, url
}
