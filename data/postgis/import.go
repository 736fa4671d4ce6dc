package postgis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/redline-gis/redline/geo"
)

// ErrTableExists reports an import onto a table that is there already.
var ErrTableExists = errors.New("postgis: the table exists")

// ImportSpec says where an import goes and what the redline_layers row says.
type ImportSpec struct {
	Dest      *Source // table to write (schema "" = the current schema)
	Replace   bool    // replace an existing table (else ErrTableExists)
	Kind      string
	ZoneField string
	Source    string // source file name(s)
	CRS       string // the source's CRS
	SHA256    string // of the source file(s)
	Version   string // redline's version
	// PartitionBy names a property (e.g. the region code, 行政区代码) whose
	// value, as text, goes in a column part_key: the table is then
	// partitioned by list on it, one local partition per value, which an
	// administrator may move to other servers (postgres_fdw).
	PartitionBy string
}

// ImportRow is one feature to import with its name and normalised zone.
type ImportRow struct {
	Feature    *geo.Feature // polygonal, lon/lat CGCS2000
	Name, Zone string
}

// copyHook, when set (tests), is called before each row is copied.
var copyHook func(i int)

// Import writes rows into a new table (fid bigint primary key, id, name,
// zone, props jsonb, geom geometry(MultiPolygon,4490)) with a GiST index,
// and records it in the schema's redline_layers table, all in one
// transaction: the table appears whole or not at all, and an existing one
// (with Replace) is swapped only at commit, so a failed or interrupted
// import leaves it as it was.
func Import(ctx context.Context, pool *pgxpool.Pool, spec ImportSpec, rows []ImportRow) error {
	src := spec.Dest
	tx, err := pool.Begin(ctx)
	if err != nil {
		return dbError(src, "starting the import", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	schema := src.Schema
	if schema == "" {
		if err := tx.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return dbError(src, "finding the current schema", err)
		}
	}
	var exists, schemaOK bool
	if err := tx.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL, to_regnamespace($2) IS NOT NULL",
		pgx.Identifier{schema, src.Table}.Sanitize(), pgx.Identifier{schema}.Sanitize()).Scan(&exists, &schemaOK); err != nil {
		return dbError(src, "looking the table up", err)
	}
	if !schemaOK {
		return fmt.Errorf("postgis: %s: no schema %q (create it first: CREATE SCHEMA)", src, schema)
	}
	if exists && !spec.Replace {
		return fmt.Errorf("%w: %s (use --replace to replace it)", ErrTableExists, src)
	}
	tmp := "redline_import_" + randomHex(6)
	tmpIdent := pgx.Identifier{schema, tmp}.Sanitize()
	cols := []string{"fid", "id", "name", "zone", "props", "geom"}
	var parts []string // partition tables, temporary names
	var renames [][2]string
	if spec.PartitionBy == "" {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s (fid bigint PRIMARY KEY, id text, name text, zone text,
			props jsonb NOT NULL, geom geometry(MultiPolygon, 4490) NOT NULL)`, tmpIdent)); err != nil {
			return dbError(src, "creating the table", err)
		}
		renames = append(renames, [2]string{tmp + "_pkey", src.Table + "_pkey"})
	} else {
		cols = append(cols, "part_key")
		values, err := partitionValues(rows, spec.PartitionBy)
		if err != nil {
			return fmt.Errorf("postgis: %s: --partition-by %s: %w", src, spec.PartitionBy, err)
		}
		// No primary key: a partitioned table's unique index would refuse
		// foreign partitions. fid stays unique: it is the position in the source.
		if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s (fid bigint NOT NULL, id text, name text, zone text,
			props jsonb NOT NULL, geom geometry(MultiPolygon, 4490) NOT NULL, part_key text NOT NULL) PARTITION BY LIST (part_key)`, tmpIdent)); err != nil {
			return dbError(src, "creating the table", err)
		}
		for i, v := range values {
			p := fmt.Sprintf("%s_p%d", tmp, i)
			if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE TABLE %s PARTITION OF %s FOR VALUES IN (%s)",
				pgx.Identifier{schema, p}.Sanitize(), tmpIdent, quoteLiteral(v))); err != nil {
				return dbError(src, "creating a partition", err)
			}
			parts = append(parts, p)
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE INDEX %s ON %s (fid)", quoteIdent(tmp+"_fid"), tmpIdent)); err != nil {
			return dbError(src, "indexing", err)
		}
		renames = append(renames, [2]string{tmp + "_fid", src.Table + "_fid_idx"})
	}
	renames = append(renames, [2]string{tmp + "_geom", src.Table + "_geom_idx"})
	// Large geometries are stored out of line uncompressed: pglz gains
	// little on coordinates and costs most of the COPY, and && can then
	// read a value's box without fetching all of it.
	if _, err := tx.Exec(ctx, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN geom SET STORAGE EXTERNAL", tmpIdent)); err != nil {
		return dbError(src, "creating the table", err)
	}
	cs := &copySource{rows: rows, i: -1, partitionBy: spec.PartitionBy}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{schema, tmp}, cols, cs)
	if err != nil {
		var ce *copyError
		if errors.As(err, &ce) {
			return fmt.Errorf("postgis: %s: %w", src, ce)
		}
		return dbError(src, "copying the features", err)
	}
	if int(n) != len(rows) {
		return fmt.Errorf("postgis: %s: copied %d of %d features", src, n, len(rows))
	}
	steps := []struct{ doing, sql string }{
		{"indexing", fmt.Sprintf("CREATE INDEX %s ON %s USING gist (geom)", quoteIdent(tmp+"_geom"), tmpIdent)},
		{"analysing", fmt.Sprintf("ANALYZE %s", tmpIdent)},
	}
	if exists {
		steps = append(steps, struct{ doing, sql string }{"dropping the old table", fmt.Sprintf("DROP TABLE %s", pgx.Identifier{schema, src.Table}.Sanitize())})
	}
	steps = append(steps,
		struct{ doing, sql string }{"renaming", fmt.Sprintf("ALTER TABLE %s RENAME TO %s", tmpIdent, quoteIdent(src.Table))},
		struct{ doing, sql string }{"creating redline_layers", fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (table_name text PRIMARY KEY,
			kind text, zone_field text, source text, crs text, features bigint, sha256 text, redline_version text,
			imported_at timestamptz NOT NULL DEFAULT now())`, pgx.Identifier{schema, "redline_layers"}.Sanitize())},
	)
	for _, r := range renames {
		steps = append(steps, struct{ doing, sql string }{"renaming", fmt.Sprintf("ALTER INDEX %s RENAME TO %s",
			pgx.Identifier{schema, r[0]}.Sanitize(), quoteIdent(r[1]))})
	}
	for i, p := range parts {
		steps = append(steps, struct{ doing, sql string }{"renaming", fmt.Sprintf("ALTER TABLE %s RENAME TO %s",
			pgx.Identifier{schema, p}.Sanitize(), quoteIdent(fmt.Sprintf("%s_p%d", src.Table, i)))})
	}
	for _, s := range steps {
		if _, err := tx.Exec(ctx, s.sql); err != nil {
			if exists && s.doing == "dropping the old table" {
				return fmt.Errorf("postgis: %s: cannot replace the old table (views or foreign keys depending on it?): %w", src, dbError(src, s.doing, err))
			}
			return dbError(src, s.doing, err)
		}
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (table_name, kind, zone_field, source, crs, features, sha256, redline_version, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
		ON CONFLICT (table_name) DO UPDATE SET kind = $2, zone_field = $3, source = $4, crs = $5, features = $6,
		sha256 = $7, redline_version = $8, imported_at = now()`, pgx.Identifier{schema, "redline_layers"}.Sanitize()),
		src.Table, spec.Kind, spec.ZoneField, spec.Source, spec.CRS, len(rows), spec.SHA256, spec.Version); err != nil {
		return dbError(src, "recording the import in redline_layers", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return dbError(src, "committing the import", err)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// copyError is a feature that cannot be stored.
type copyError struct {
	f   *geo.Feature
	err error
}

func (e *copyError) Error() string { return fmt.Sprintf("%s: %v", e.f.Label(), e.err) }
func (e *copyError) Unwrap() error { return e.err }

// copySource feeds rows to COPY, encoding each (properties to JSON,
// geometry to EWKB) as pgx asks for it.
type copySource struct {
	rows        []ImportRow
	partitionBy string
	i           int
	vals        []any
	err         error
}

func (s *copySource) encode(r ImportRow) ([]any, error) {
	f := r.Feature
	props, err := encodeProps(f.Props)
	if err == nil {
		err = firstTextError(f.ID, r.Name, r.Zone)
	}
	var wkb []byte
	if err == nil {
		wkb, err = multiPolygonEWKB(f.Geom)
	}
	if err != nil {
		return nil, &copyError{f: f, err: err}
	}
	v := []any{int64(f.Index), f.ID, nullable(r.Name), nullable(r.Zone), props, wkb}
	if s.partitionBy != "" {
		v = append(v, partitionValue(f, s.partitionBy))
	}
	return v, nil
}

func (s *copySource) Next() bool {
	s.i++
	if s.i >= len(s.rows) {
		return false
	}
	if copyHook != nil {
		copyHook(s.i)
	}
	s.vals, s.err = s.encode(s.rows[s.i])
	return s.err == nil
}

func (s *copySource) Values() ([]any, error) { return s.vals, nil }
func (s *copySource) Err() error             { return s.err }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func firstTextError(ss ...string) error {
	for _, s := range ss {
		if err := checkText(s); err != nil {
			return err
		}
	}
	return nil
}

// partitionValue is a feature's partition key: its property as text.
func partitionValue(f *geo.Feature, field string) string {
	v := f.Props[field]
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// partitionValues lists the distinct partition keys, sorted.
func partitionValues(rows []ImportRow, field string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, r := range rows {
		v := partitionValue(r.Feature, field)
		if v == "" {
			return nil, fmt.Errorf("%s has no value", r.Feature.Label())
		}
		if err := checkText(v); err != nil {
			return nil, fmt.Errorf("%s: %w", r.Feature.Label(), err)
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if len(out) > 1000 {
		return nil, fmt.Errorf("%d distinct values: more than the 1000 partitions redline makes", len(out))
	}
	sort.Strings(out)
	return out, nil
}
