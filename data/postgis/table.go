package postgis

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNoTable reports a table that is not there (or not visible to the user).
var ErrNoTable = errors.New("postgis: no such table")

// Table is a layer table as the catalog describes it.
type Table struct {
	Src      *Source
	Schema   string
	Name     string
	Geom     string // geometry column
	SRID     int
	GeomType string // as geometry_columns says: MULTIPOLYGON, GEOMETRY, …
	FID      string // integer column numbering the features (feature_index)
	// UniqueFID: a unique index (or primary key) on FID alone, so pages
	// can continue after the last fid instead of skipping an OFFSET.
	UniqueFID bool
	IDCol     string // column of feature ids, "" = none (ids come from the properties)
	Props     string // jsonb column of properties (redline's tables), "" = the other columns are the properties
	Columns   []string
	floats    map[string]bool // real, double and numeric columns (to_jsonb writes 2.0 as 2)
	ident     string          // quoted schema.table
}

// Ident is the table's quoted, schema-qualified name for SQL.
func (t *Table) Ident() string { return t.ident }

// Describe looks src's table up in the catalog and checks that redline can
// read it: a geometry column, an integer feature number, the columns the URL
// names.
func Describe(ctx context.Context, pool *pgxpool.Pool, src *Source) (*Table, error) {
	name := pgx.Identifier{src.Table}
	if src.Schema != "" {
		name = pgx.Identifier{src.Schema, src.Table}
	}
	t := &Table{Src: src}
	err := pool.QueryRow(ctx, `SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p', 'f', 'v', 'm')`, name.Sanitize()).Scan(&t.Schema, &t.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s", ErrNoTable, src)
	}
	if err != nil {
		return nil, dbError(src, "looking the table up", err)
	}
	t.ident = pgx.Identifier{t.Schema, t.Name}.Sanitize()
	rows, err := pool.Query(ctx, `SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
		WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, t.ident)
	if err != nil {
		return nil, dbError(src, "reading the columns", err)
	}
	types := map[string]string{}
	var geoms []string
	for rows.Next() {
		var col, typ string
		if err := rows.Scan(&col, &typ); err != nil {
			rows.Close()
			return nil, dbError(src, "reading the columns", err)
		}
		t.Columns = append(t.Columns, col)
		types[col] = typ
		if typ == "float4" || typ == "float8" || typ == "numeric" {
			if t.floats == nil {
				t.floats = map[string]bool{}
			}
			t.floats[col] = true
		}
		if typ == "geometry" {
			geoms = append(geoms, col)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, dbError(src, "reading the columns", err)
	}
	switch {
	case len(geoms) == 0:
		return nil, fmt.Errorf("postgis: %s: no geometry column (columns: %s)", src, strings.Join(t.Columns, ", "))
	case len(geoms) > 1 && types["geom"] == "geometry":
		t.Geom = "geom"
	case len(geoms) > 1:
		return nil, fmt.Errorf("postgis: %s: several geometry columns (%s): redline reads the one named geom", src, strings.Join(geoms, ", "))
	default:
		t.Geom = geoms[0]
	}
	if err := t.srid(ctx, pool); err != nil {
		return nil, err
	}
	isInt := func(c string) bool { typ := types[c]; return typ == "int8" || typ == "int4" || typ == "int2" }
	if types["props"] == "jsonb" && isInt("fid") && types["id"] == "text" {
		t.FID, t.IDCol, t.Props = "fid", "id", "props" // a table redline imported
	} else {
		for _, c := range []string{"fid", "ogc_fid", "gid", "objectid", "id"} {
			if isInt(c) {
				t.FID = c
				break
			}
		}
		if t.FID == "" {
			return nil, fmt.Errorf("postgis: %s: no integer feature number column (fid, ogc_fid, gid or objectid): redline numbers features by it", src)
		}
	}
	err = pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
		WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND a.attname = $2)`,
		t.ident, t.FID).Scan(&t.UniqueFID)
	if err != nil {
		return nil, dbError(src, "reading the indexes", err)
	}
	for _, c := range []struct{ what, col string }{{"id", src.ID}, {"zone", src.Zone}, {"name", src.Name}} {
		if c.col != "" && types[c.col] == "" {
			return nil, fmt.Errorf("postgis: %s: %s=%s: no such column (have %s)", src, c.what, c.col, strings.Join(t.Columns, ", "))
		}
	}
	if src.ID != "" {
		t.IDCol = src.ID
	}
	return t, nil
}

// srid reads the geometry column's SRID from geometry_columns, or from the
// first row when the column is not constrained.
func (t *Table) srid(ctx context.Context, pool *pgxpool.Pool) error {
	err := pool.QueryRow(ctx, `SELECT srid, type FROM geometry_columns WHERE f_table_schema = $1 AND f_table_name = $2 AND f_geometry_column = $3`,
		t.Schema, t.Name, t.Geom).Scan(&t.SRID, &t.GeomType)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return dbError(t.Src, "reading geometry_columns", err)
	}
	if t.SRID == 0 {
		err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT ST_SRID(%s) FROM %s WHERE %[1]s IS NOT NULL LIMIT 1`,
			pgx.Identifier{t.Geom}.Sanitize(), t.ident)).Scan(&t.SRID)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return dbError(t.Src, "reading the SRID", err)
		}
	}
	return nil
}

// dbError words a database error for the user: what redline was doing and
// the server's message, never the SQL text or the password.
func dbError(src *Source, doing string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Errorf("postgis: %s: %s: %s (SQLSTATE %s)", src, doing, pe.Message, pe.Code)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("postgis: %s: %s: %w", src, doing, err)
	}
	return fmt.Errorf("postgis: %s: %s: %v", src, doing, redactErr(err))
}

// redactErr keeps the message of a connection error without anything that
// looks like a password.
func redactErr(err error) string {
	s := err.Error()
	if i := strings.Index(s, "password="); i >= 0 {
		j := strings.IndexAny(s[i:], " &'`")
		if j < 0 {
			j = len(s) - i
		}
		s = s[:i] + "password=xxxxx" + s[i+j:]
	}
	return s
}

func quoteIdent(s string) string { return pgx.Identifier{s}.Sanitize() }

// Wrap words an error of a connection to src (from cmd, which opens the
// pool) as the package's own errors are worded: what was being done and
// the server's message, never SQL or a password.
func Wrap(src *Source, doing string, err error) error { return dbError(src, doing, err) }
