package postgis

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// boxFilter is the WHERE clause of the features a page or a count selects:
// rows with a geometry and, with b, those whose exact bounding box meets b
// (a touching box counts), as geo.Layer.Candidates selects them from a
// loaded layer. The && prefilter uses the GiST index; its float boxes are a
// little larger, so the exact test on the box3d (double precision) follows.
func (t *Table) boxFilter(b *orb.Bound, args []any) (string, []any) {
	g := quoteIdent(t.Geom)
	if b == nil {
		return g + " IS NOT NULL", args
	}
	n := len(args)
	args = append(args, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	return fmt.Sprintf("%[1]s && ST_MakeEnvelope($%[2]d, $%[3]d, $%[4]d, $%[5]d, %[6]d)"+
		" AND ST_XMin(%[1]s::box3d) <= $%[4]d AND ST_XMax(%[1]s::box3d) >= $%[2]d"+
		" AND ST_YMin(%[1]s::box3d) <= $%[5]d AND ST_YMax(%[1]s::box3d) >= $%[3]d",
		g, n+1, n+2, n+3, n+4, t.SRID), args
}

// Page returns, in fid order, at most limit of the features whose boxes meet
// b (all features with b nil) after skipping offset of them: one page of
// OGC API Features items, read without loading the table. Each feature's
// Index is its fid. The table must be in lon/lat (as for NewCache).
func Page(ctx context.Context, pool *pgxpool.Pool, t *Table, b *orb.Bound, offset, limit int, opt ReadOptions) (*geo.Layer, error) {
	if t.SRID != 4490 && t.SRID != 4326 {
		return nil, fmt.Errorf("postgis: %s: reading by box needs a lon/lat table (SRID 4490 or 4326), this one is SRID %d", t.Src, t.SRID)
	}
	where, args := t.boxFilter(b, nil)
	args = append(args, limit, offset)
	sql := fmt.Sprintf("SELECT %s FROM %s t WHERE %s ORDER BY 1 LIMIT $%d OFFSET $%d", t.selectList(), t.ident, where, len(args)-1, len(args))
	return t.readRows(ctx, pool, sql, args, opt, "reading a page of features")
}

// PageAfter is Page continued from the page that ended at fid after: the
// features after it in fid order, found by the fid index instead of
// skipping OFFSET rows (which makes reading a table page by page quadratic).
// The table's fid must be unique (UniqueFID).
func PageAfter(ctx context.Context, pool *pgxpool.Pool, t *Table, b *orb.Bound, after int64, limit int, opt ReadOptions) (*geo.Layer, error) {
	if !t.UniqueFID {
		return nil, fmt.Errorf("postgis: %s: column %s is not unique: pages cannot continue after a fid", t.Src, t.FID)
	}
	if t.SRID != 4490 && t.SRID != 4326 {
		return nil, fmt.Errorf("postgis: %s: reading by box needs a lon/lat table (SRID 4490 or 4326), this one is SRID %d", t.Src, t.SRID)
	}
	where, args := t.boxFilter(b, nil)
	args = append(args, after, limit)
	sql := fmt.Sprintf("SELECT %s FROM %s t WHERE %s AND %s > $%d::bigint ORDER BY 1 LIMIT $%d",
		t.selectList(), t.ident, where, quoteIdent(t.FID), len(args)-1, len(args))
	return t.readRows(ctx, pool, sql, args, opt, "reading a page of features")
}

// CountBox is the number of features Page selects with b, over all pages
// (OGC's numberMatched).
func CountBox(ctx context.Context, pool *pgxpool.Pool, t *Table, b *orb.Bound) (int, error) {
	where, args := t.boxFilter(b, nil)
	var n int
	// Planned for its box, as readRows' queries are.
	if err := pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM %s t WHERE %s", t.ident, where), append([]any{pgx.QueryExecModeExec}, args...)...).Scan(&n); err != nil {
		return 0, dbError(t.Src, "counting features", err)
	}
	return n, nil
}

// FeatureByFID reads the feature numbered fid; ok is false when there is
// none (or it has no geometry).
func FeatureByFID(ctx context.Context, pool *pgxpool.Pool, t *Table, fid int64, opt ReadOptions) (f geo.Feature, ok bool, err error) {
	sql := fmt.Sprintf("SELECT %s FROM %s t WHERE %s = $1 AND %s IS NOT NULL", t.selectList(), t.ident, quoteIdent(t.FID), quoteIdent(t.Geom))
	l, err := t.readRows(ctx, pool, sql, []any{fid}, opt, "reading a feature")
	if err != nil || l.Len() == 0 {
		return geo.Feature{}, false, err
	}
	return l.Features[0], true, nil
}

// readRows runs a query of features (selectList's columns) and decodes them.
// Each query is planned for its own arguments (QueryExecModeExec, no cached
// statement): after five runs PostgreSQL would switch a prepared statement to
// a generic plan, which for a page after a fid inside a large box scans the
// whole box through the GiST index and sorts it, instead of walking the fid
// index: measured on 20 000 rows, 250 ms a page instead of 20 ms.
func (t *Table) readRows(ctx context.Context, pool *pgxpool.Pool, sql string, args []any, opt ReadOptions, doing string) (*geo.Layer, error) {
	rows, err := pool.Query(ctx, sql, append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return nil, dbError(t.Src, doing, err)
	}
	defer rows.Close()
	l := &geo.Layer{Name: t.Src.String()}
	for rows.Next() {
		var (
			fid        int64
			id         *string
			props, wkb []byte
		)
		if err := rows.Scan(&fid, &id, &props, &wkb); err != nil {
			return nil, dbError(t.Src, doing, err)
		}
		f, ok, err := t.rowFeature(fid, id, props, wkb, opt)
		if err != nil {
			return nil, err
		}
		if ok {
			l.Add(f)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(t.Src, doing, err)
	}
	return l, nil
}

// Extent is the table's extent in lon/lat for a collection's description.
// It is ST_EstimatedExtent, from the planner's statistics (ANALYZE; import
// runs it): cheap on a national table, where ST_Extent reads every row,
// but approximate (float boxes, a sample on large tables). Without
// statistics it falls back to ST_Extent. exact says which one it is.
func Extent(ctx context.Context, pool *pgxpool.Pool, t *Table) (b orb.Bound, exact bool, err error) {
	if t.SRID != 4490 && t.SRID != 4326 {
		return orb.Bound{}, false, fmt.Errorf("postgis: %s: SRID %d is not lon/lat", t.Src, t.SRID)
	}
	var x0, y0, x1, y1 *float64
	box := func(sql string, args ...any) error {
		return pool.QueryRow(ctx, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ("+sql+") s(e)", args...).Scan(&x0, &y0, &x1, &y1)
	}
	err = box("SELECT ST_EstimatedExtent($1, $2, $3)::box3d", t.Schema, t.Name, t.Geom)
	var pe interface{ SQLState() string }
	if err != nil && !errors.As(err, &pe) && !errors.Is(err, pgx.ErrNoRows) {
		return orb.Bound{}, false, dbError(t.Src, "reading the extent", err)
	}
	// An error from the server (a view, a foreign table) or no statistics: the exact extent.
	if err != nil || x0 == nil {
		exact = true
		if err := box(fmt.Sprintf("SELECT ST_Extent(%s)::box3d FROM %s", quoteIdent(t.Geom), t.ident)); err != nil {
			return orb.Bound{}, false, dbError(t.Src, "reading the extent", err)
		}
	}
	if x0 == nil || y0 == nil || x1 == nil || y1 == nil {
		return orb.Bound{}, exact, nil // no geometry at all
	}
	return orb.Bound{Min: orb.Point{*x0, *y0}, Max: orb.Point{*x1, *y1}}, exact, nil
}

// CheckImported compares a table's row count with the count its
// redline_layers row recorded at import, when it has one (tables made by
// other tools have none): a table changed behind redline's back, or half
// rewritten, is not served as if it were the imported layer.
func CheckImported(ctx context.Context, pool *pgxpool.Pool, t *Table, rows int) error {
	catalog := pgx.Identifier{t.Schema, "redline_layers"}.Sanitize()
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", catalog).Scan(&exists); err != nil {
		return dbError(t.Src, "looking redline_layers up", err)
	}
	if !exists {
		return nil
	}
	var n int64
	var at time.Time
	err := pool.QueryRow(ctx, fmt.Sprintf("SELECT features, imported_at FROM %s WHERE table_name = $1", catalog), t.Name).Scan(&n, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return dbError(t.Src, "reading redline_layers", err)
	}
	if n != int64(rows) {
		return fmt.Errorf("postgis: %s: the table has %d rows, its redline_layers row says %d (imported %s): re-import it (redline import --replace) or correct the row",
			t.Src, rows, n, at.UTC().Format(time.RFC3339))
	}
	return nil
}
