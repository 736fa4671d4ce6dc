package postgis

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// ReadOptions control how table rows become features.
type ReadOptions struct {
	// IDFields are the properties tried, in order, for a feature's id when
	// the table has no id column (cmd passes data.DefaultIDFields).
	IDFields []string
}

// selectList is the column list every read uses: fid, id, props, EWKB.
func (t *Table) selectList() string {
	q := func(c string) string { return pgx.Identifier{c}.Sanitize() }
	id := "NULL::text"
	if t.IDCol != "" {
		id = q(t.IDCol) + "::text"
	}
	props := fmt.Sprintf("(to_jsonb(t) - %s)::text", quoteLiteral(t.Geom))
	if t.Props != "" {
		props = q(t.Props) + "::text"
	}
	return fmt.Sprintf("%s::bigint, %s, %s, ST_AsEWKB(%s)", q(t.FID), id, props, q(t.Geom))
}

// quoteLiteral quotes a string (without NUL) as an SQL literal, as
// PostgreSQL's quote_literal does, whatever standard_conforming_strings says.
func quoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		q = "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}

// rowFeature turns one row into a feature numbered by its fid.
func (t *Table) rowFeature(fid int64, id *string, props, wkb []byte, opt ReadOptions) (geo.Feature, bool, error) {
	label := geo.Label("feature", int(fid), deref(id))
	if wkb == nil {
		return geo.Feature{}, false, nil
	}
	p, err := decodeProps(props)
	if err != nil {
		return geo.Feature{}, false, fmt.Errorf("postgis: %s: %s: %w", t.Src, label, err)
	}
	if t.Props == "" {
		for k, v := range p {
			if i, ok := v.(int64); ok && t.floats[k] {
				p[k] = float64(i)
			}
		}
	}
	fidStr := deref(id)
	if t.IDCol == "" {
		fidStr = pickID(p, opt.IDFields)
	}
	g, gs, err := decodeEWKB(wkb)
	if err != nil {
		return geo.Feature{}, false, fmt.Errorf("postgis: %s: %s: geometry: %w", t.Src, label, err)
	}
	if gs == 0 {
		gs = t.SRID
	}
	g, err = toLonLat(g, gs)
	if err != nil {
		return geo.Feature{}, false, fmt.Errorf("postgis: %s: %s: %w", t.Src, label, err)
	}
	f, err := geo.NewFeature(int(fid), fidStr, p, g)
	if err != nil {
		return geo.Feature{}, false, fmt.Errorf("postgis: %s: %s: %w", t.Src, geo.Label("feature", int(fid), fidStr), err)
	}
	return f, true, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func pickID(props map[string]any, fields []string) string {
	for _, k := range fields {
		if v, ok := props[k]; ok && v != nil {
			if s := fmt.Sprint(v); s != "" {
				return s
			}
		}
	}
	return ""
}

// toLonLat brings a geometry of the given SRID to CGCS2000 lon/lat with
// redline's own CRS code, or says why it cannot.
func toLonLat(g orb.Geometry, s int) (orb.Geometry, error) {
	switch s {
	case 4490, 4326:
		return g, nil
	case 0:
		return nil, fmt.Errorf("the geometry has no SRID: set one (ST_SetSRID) so redline knows its CRS")
	}
	c, err := crs.Parse(fmt.Sprintf("EPSG:%d", s))
	if err != nil {
		return nil, fmt.Errorf("SRID %d is not a CRS redline knows (CGCS2000 lon/lat, Gauss-Krüger 4491–4554, 3857): transform the column with ST_Transform", s)
	}
	return c.Reproject(g)
}

// ReadLayer reads the whole table into a layer in fid order, as a file read
// gives one: each feature's Index is its fid. Rows without a geometry are
// left out and counted in skipped.
func ReadLayer(ctx context.Context, pool *pgxpool.Pool, t *Table, opt ReadOptions) (l *geo.Layer, skipped int, err error) {
	rows, err := pool.Query(ctx, fmt.Sprintf("SELECT %s FROM %s t ORDER BY 1", t.selectList(), t.ident))
	if err != nil {
		return nil, 0, dbError(t.Src, "reading the table", err)
	}
	defer rows.Close()
	l = &geo.Layer{Name: t.Src.String()}
	last := int64(-1 << 62)
	for rows.Next() {
		var (
			fid        int64
			id         *string
			props, wkb []byte
		)
		if err := rows.Scan(&fid, &id, &props, &wkb); err != nil {
			return nil, 0, dbError(t.Src, "reading the table", err)
		}
		if fid == last {
			return nil, 0, fmt.Errorf("postgis: %s: fid %d appears twice: feature numbers must be unique", t.Src, fid)
		}
		last = fid
		f, ok, err := t.rowFeature(fid, id, props, wkb, opt)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			skipped++
			continue
		}
		l.Add(f)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, dbError(t.Src, "reading the table", err)
	}
	return l, skipped, nil
}

// CountUpTo returns the number of rows, or limit+1 if there are more than
// limit: enough to choose between loading and pushdown without counting a
// national table.
func CountUpTo(ctx context.Context, pool *pgxpool.Pool, t *Table, limit int) (int, error) {
	var n int
	err := pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s LIMIT $1) s", t.ident), limit+1).Scan(&n)
	if err != nil {
		return 0, dbError(t.Src, "counting rows", err)
	}
	return n, nil
}

// Count returns the number of rows of the table.
func Count(ctx context.Context, pool *pgxpool.Pool, t *Table) (int, error) {
	var n int
	if err := pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM %s", t.ident)).Scan(&n); err != nil {
		return 0, dbError(t.Src, "counting rows", err)
	}
	return n, nil
}
