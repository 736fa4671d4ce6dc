package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Import the anchors' constraints, then screen the anchors' sites from the
// table, loaded and by pushdown: the JSON equals the file-based run's.
func TestImportThenScreenFromDB(t *testing.T) {
	pool, schema, url := testPG(t)
	dir := t.TempDir()
	sites, cons := filepath.Join(dir, "sites.geojson"), filepath.Join(dir, "constraints.geojson")
	gunzipTo(t, "../../testdata/anchors/sites.geojson.gz", sites)
	gunzipTo(t, "../../testdata/anchors/constraints.geojson.gz", cons)
	if code, out, errs := runCLI(t, "import", cons, "--db", url, "--table", schema+".cons", "--kind", "reserve"); code != exitOK {
		t.Fatalf("import: exit %d: %s %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "import", cons, "--db", url, "--table", schema+".cons"); code == exitOK || !strings.Contains(errs, "--replace") {
		t.Errorf("second import: exit %d, %s", code, errs)
	}
	screen := func(layer string, extra ...string) string {
		args := append([]string{"screen", sites, "--layer", "reserve=" + layer, "--format", "json", "--near", "800", "--fail-on", "never"}, extra...)
		code, out, errs := runCLI(t, args...)
		if code != exitOK {
			t.Fatalf("screen %s: exit %d: %s", layer, code, errs)
		}
		return out
	}
	want := screen(cons)
	table := url + "&table=" + schema + ".cons"
	for _, c := range []struct {
		name  string
		layer string
		extra []string
	}{
		{"load", table + "&mode=load", nil},
		{"pushdown", table + "&mode=pushdown", nil},
		{"automatic pushdown", table, []string{"--db-load-limit", "10"}},
	} {
		got := screen(c.layer, c.extra...)
		// The report names its layer source; the rest must be identical.
		if got != want {
			t.Errorf("%s: screen JSON from the table differs from the file's", c.name)
		}
	}
	if !strings.Contains(want, `"feature_index"`) {
		t.Fatal("no conflicts: the test checks nothing")
	}
	// share, overlaps, info and convert read the table as they read the file.
	for _, args := range [][]string{
		{"share", "--regions", sites, "--layer", "red=%s", "--format", "json"},
		{"overlaps", "reserve=%s", "--format", "json"},
		{"overlaps", "%s", "--format", "csv"},
	} {
		run := func(src string) string {
			a := make([]string, len(args))
			for i, x := range args {
				a[i] = strings.Replace(x, "%s", src, 1)
			}
			code, out, errs := runCLI(t, a...)
			if code != exitOK && code != exitFindings {
				t.Fatalf("%v: exit %d: %s", a, code, errs)
			}
			return out
		}
		if strings.HasPrefix(args[1], "%s") {
			continue // a bare source is named after its file or table: names differ
		}
		if got, want := run(table), run(cons); got != want || len(want) < 100 {
			t.Errorf("%s: from the table\n%.300s\nfrom the file\n%.300s", args[0], got, want)
		}
	}
	if code, out, errs := runCLI(t, "overlaps", table, "--format", "csv"); code != exitOK || !strings.Contains(out, "cons") {
		t.Errorf("overlaps with a bare table URL: exit %d, %s %.200s", code, errs, out)
	}
	// overlaps --out-db: the pairs and pieces, in one run; PostGIS measures
	// the written pieces as redline did (short edges: edge models agree).
	if code, _, errs := runCLI(t, "overlaps", "reserve="+table, "--out-db", url+"&table="+schema+".pairs", "--format", "json"); code != exitOK && code != exitFindings {
		t.Fatalf("overlaps --out-db: exit %d: %s", code, errs)
	}
	var nPairs, nPieces int
	var worst float64
	if err := pool.QueryRow(context.Background(), fmt.Sprintf(`SELECT count(*), count(geom),
		coalesce(max(abs(ST_Area(geom::geography, true) - overlap_m2) / greatest(overlap_m2, 1)), 0)
		FROM %s.pairs WHERE overlap_m2 > 0`, schema)).Scan(&nPairs, &nPieces, &worst); err != nil {
		t.Fatal(err)
	}
	t.Logf("overlaps --out-db: %d pairs, worst relative difference to PostGIS %.2g", nPairs, worst)
	if nPairs == 0 || nPieces != nPairs || worst > 1e-6 {
		t.Errorf("pairs table: %d pairs with area, %d pieces, worst relative area difference to PostGIS %g", nPairs, nPieces, worst)
	}
	conv := filepath.Join(dir, "back.geojson")
	if code, _, errs := runCLI(t, "convert", table, conv); code != exitOK {
		t.Errorf("convert from the table: exit %d: %s", code, errs)
	}
	// --out-db: one row per site × conflict (and per clear site), in one run.
	res := url + "&table=" + schema + ".results"
	screen(table+"&mode=pushdown", "--out-db", res)
	var rows, runs, pieces int
	if err := pool.QueryRow(context.Background(), fmt.Sprintf("SELECT count(*), count(DISTINCT run_id), count(geom) FROM %s.results", schema)).Scan(&rows, &runs, &pieces); err != nil {
		t.Fatal(err)
	}
	if runs != 1 || rows < 80 || pieces == 0 {
		t.Errorf("results: %d rows, %d runs, %d pieces", rows, runs, pieces)
	}
}

// Bad database inputs are clear errors (exit 1 or 2) that never show the
// password or SQL.
func TestDBErrors(t *testing.T) {
	pool, schema, url := testPG(t)
	ctx := context.Background()
	role := "redline_cli_" + strings.TrimPrefix(schema, "redline_cmdtest_")
	if _, err := pool.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD 'right'", role)); err != nil {
		t.Fatal(err)
	}
	defer pool.Exec(context.Background(), "DROP ROLE "+role)
	if _, err := pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s.nogeom (fid bigint, a text);
		CREATE TABLE %[1]s.pts (fid bigint PRIMARY KEY, geom geometry(Point, 4490));
		INSERT INTO %[1]s.pts VALUES (0, ST_SetSRID(ST_MakePoint(100.1, 23.9), 4490))`, schema)); err != nil {
		t.Fatal(err)
	}
	wrongPW := strings.Replace(url, "user=postgres", "user="+role+"&password=TopSecret42", 1)
	for _, c := range []struct{ name, layer, want string }{
		{"wrong password", wrongPW + "&table=x", "password authentication failed"},
		{"missing table", url + "&table=" + schema + ".missing", "no such table"},
		{"no geometry", url + "&table=" + schema + ".nogeom", "no geometry column"},
		{"semicolon", url + "&table=a;drop", "cannot be parsed"},
		{"quote", url + "&table=a\"b", "not allowed in a name"},
		{"points", url + "&table=" + schema + ".pts", "constraint layers must be polygons"},
		{"points by pushdown", url + "&table=" + schema + ".pts&mode=pushdown", "constraint layers must be polygons"},
	} {
		code, _, errs := runCLI(t, "screen", "../../testdata/sites.geojson", "--layer", "reserve="+c.layer, "--format", "json")
		if code != exitError && code != exitUsage {
			t.Errorf("%s: exit %d", c.name, code)
		}
		if !strings.Contains(errs, c.want) || strings.Contains(errs, "TopSecret42") || strings.Contains(errs, "SELECT") {
			t.Errorf("%s: stderr %q, want %q and no password or SQL", c.name, errs, c.want)
		}
	}
}

// import checks features as screen does: an invalid one stops it (naming
// the feature) unless --skip-invalid or --repair.
func TestImportInvalid(t *testing.T) {
	pool, schema, url := testPG(t)
	in := filepath.Join(t.TempDir(), "invalid.geojson")
	if err := os.WriteFile(in, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"ok"},"geometry":{"type":"Polygon","coordinates":[[[100,24],[100.01,24],[100.01,24.01],[100,24.01],[100,24]]]}},
{"type":"Feature","properties":{"id":"bowtie"},"geometry":{"type":"Polygon","coordinates":[[[100.02,24],[100.03,24.01],[100.03,24],[100.02,24.01],[100.02,24]]]}},
{"type":"Feature","properties":{"id":"ok2"},"geometry":{"type":"Polygon","coordinates":[[[100.04,24],[100.05,24],[100.05,24.01],[100.04,24.01],[100.04,24]]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "import", in, "--db", url, "--table", schema+".bad")
	if code != exitError || !strings.Contains(errs, "--repair or --skip-invalid") || !strings.Contains(errs, "id bowtie") {
		t.Fatalf("invalid input: exit %d: %s", code, errs)
	}
	var exists bool
	if err := pool.QueryRow(context.Background(), "SELECT to_regclass($1) IS NOT NULL", schema+".bad").Scan(&exists); err != nil || exists {
		t.Fatalf("a failed import left a table (%v)", err)
	}
	count := func(table string) (n int) {
		if err := pool.QueryRow(context.Background(), fmt.Sprintf("SELECT count(*) FROM %s.%s", schema, table)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if code, _, errs := runCLI(t, "import", in, "--db", url, "--table", schema+".skipped", "--skip-invalid"); code != exitOK {
		t.Fatalf("--skip-invalid: exit %d: %s", code, errs)
	}
	code, _, errs = runCLI(t, "import", in, "--db", url, "--table", schema+".repaired", "--repair")
	if code == exitOK {
		if count("repaired") <= count("skipped") {
			t.Errorf("--repair kept %d features, --skip-invalid %d", count("repaired"), count("skipped"))
		}
	} else if !strings.Contains(errs, "cannot be repaired") {
		t.Errorf("--repair: exit %d: %s", code, errs)
	}
	if n := count("skipped"); n != 2 {
		t.Errorf("--skip-invalid kept %d of 3 features, want 2", n)
	}
}

// A password given in the URL reaches no output: not the reports, not
// stderr, not the results table.
func TestPasswordInNoOutput(t *testing.T) {
	pool, schema, url := testPG(t)
	ctx := context.Background()
	role := "redline_pw_" + strings.TrimPrefix(schema, "redline_cmdtest_")
	for _, sql := range []string{
		fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD 'Sesame-9931'", role),
		fmt.Sprintf("GRANT USAGE, CREATE ON SCHEMA %s TO %s", schema, role),
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	defer pool.Exec(context.Background(), fmt.Sprintf("DROP OWNED BY %s; DROP ROLE %s", role, role))
	withPW := strings.Replace(url, "user=postgres", "user="+role+"&password=Sesame-9931", 1)
	if code, _, errs := runCLI(t, "import", "../../testdata/reserve.geojson", "--db", withPW, "--table", schema+".reserve", "--kind", "reserve"); code != exitOK {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	dir := t.TempDir()
	for _, mode := range []string{"load", "pushdown"} {
		html, js := filepath.Join(dir, mode+".html"), filepath.Join(dir, mode+".json")
		code, out, errs := runCLI(t, "screen", "../../testdata/sites.geojson", "--layer", "reserve="+withPW+"&table="+schema+".reserve&mode="+mode,
			"--html", html, "--json", js, "--out-db", withPW+"&table="+schema+".results", "--fail-on", "never")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", mode, code, errs)
		}
		for name, text := range map[string]string{"stdout": out, "stderr": errs, "html": readText(t, html), "json": readText(t, js)} {
			if strings.Contains(text, "Sesame") {
				t.Errorf("%s: %s shows the password", mode, name)
			}
		}
		if !strings.Contains(readText(t, html), "Z-core") && !strings.Contains(readText(t, html), "PostGIS") {
			t.Errorf("%s: the report names neither the table nor its features", mode)
		}
	}
	var leaked int
	if err := pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM %s.results WHERE row_to_json(results)::text LIKE '%%Sesame%%'", schema)).Scan(&leaked); err != nil || leaked != 0 {
		t.Errorf("results table: %d rows show the password (%v)", leaked, err)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Sites without a geometry are listed once (verdict error) by pushdown too.
func TestPushdownNotScreenedSites(t *testing.T) {
	_, schema, url := testPG(t)
	if code, _, errs := runCLI(t, "import", "../../testdata/reserve.geojson", "--db", url, "--table", schema+".reserve", "--kind", "reserve"); code != exitOK {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile("../../testdata/sites.geojson")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, `"features"`)
	j := strings.Index(s[i:], "[") + i + 1
	s = s[:j] + `{"type":"Feature","properties":{"id":"NOGEOM"},"geometry":null},` + s[j:]
	sites := filepath.Join(t.TempDir(), "sites.geojson")
	if err := os.WriteFile(sites, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	screen := func(layer string) string {
		code, out, errs := runCLI(t, "screen", sites, "--layer", "reserve="+layer, "--format", "json", "--fail-on", "never", "--skip-invalid")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", layer, code, errs)
		}
		return out
	}
	want := screen("../../testdata/reserve.geojson")
	defer func(n int) { pushdownBatch = n }(pushdownBatch)
	pushdownBatch = 2 // five batches: the site without geometry must still come once
	if got := screen(url + "&table=" + schema + ".reserve&mode=pushdown"); got != want {
		t.Errorf("pushdown JSON differs from the file run's")
	}
	if strings.Count(want, `"NOGEOM"`) != 1 {
		t.Errorf("the site without geometry is listed %d times", strings.Count(want, `"NOGEOM"`))
	}
}
