package postgis

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// Cache reads a table piecemeal for one run: each call fetches, in one
// query, the features whose boxes meet some boxes and that it does not hold
// yet, so a table is never loaded whole and no feature is fetched twice.
// It is not safe for concurrent use.
type Cache struct {
	t     *Table
	opt   ReadOptions
	all   geo.Layer // every feature fetched so far
	byFID map[int64]int

	Queries   int           // round trips so far
	Fetched   int           // rows fetched so far
	QueryTime time.Duration // spent fetching and decoding
}

// NewCache prepares pushdown reads of t. The table must be in lon/lat
// (SRID 4490 or 4326), so that a site's box can be sent as it is.
func NewCache(t *Table, opt ReadOptions) (*Cache, error) {
	if t.SRID != 4490 && t.SRID != 4326 {
		return nil, fmt.Errorf("postgis: %s: pushdown needs a lon/lat table (SRID 4490 or 4326), this one is SRID %d: use mode=load", t.Src, t.SRID)
	}
	return &Cache{t: t, opt: opt, byFID: map[int64]int{}}, nil
}

// Layer returns a layer of the features whose bounding boxes meet any of
// boxes (lon/lat; a touching box counts), in fid order, each with its fid
// as Index. The features not yet cached are fetched in one round trip
// (geom && ST_MakeEnvelope(…) for each box).
func (c *Cache) Layer(ctx context.Context, pool *pgxpool.Pool, boxes []orb.Bound) (*geo.Layer, error) {
	have := map[int64]bool{}
	for _, b := range boxes {
		c.all.Candidates(b, func(i int, f *geo.Feature) bool {
			have[int64(f.Index)] = true
			return true
		})
	}
	if len(boxes) > 0 {
		if err := c.fetch(ctx, pool, boxes, have); err != nil {
			return nil, err
		}
	}
	fids := make([]int64, 0, len(have))
	for fid := range have {
		fids = append(fids, fid)
	}
	sort.Slice(fids, func(a, b int) bool { return fids[a] < fids[b] })
	l := &geo.Layer{Name: c.all.Name}
	for _, fid := range fids {
		l.Add(c.all.Features[c.byFID[fid]])
	}
	return l, nil
}

// All returns a layer of every feature fetched so far, in fid order (for
// reports that draw the features near the sites).
func (c *Cache) All() *geo.Layer {
	fids := make([]int64, 0, len(c.byFID))
	for fid := range c.byFID {
		fids = append(fids, fid)
	}
	sort.Slice(fids, func(a, b int) bool { return fids[a] < fids[b] })
	l := &geo.Layer{Name: c.all.Name}
	for _, fid := range fids {
		l.Add(c.all.Features[c.byFID[fid]])
	}
	return l
}

// Len is the number of features cached.
func (c *Cache) Len() int { return c.all.Len() }

func (c *Cache) fetch(ctx context.Context, pool *pgxpool.Pool, boxes []orb.Bound, have map[int64]bool) error {
	var sql strings.Builder
	fmt.Fprintf(&sql, "SELECT %s FROM %s t WHERE (", c.t.selectList(), c.t.ident)
	args := make([]any, 0, 4*len(boxes)+1)
	geomCol := quoteIdent(c.t.Geom)
	for i, b := range boxes {
		if i > 0 {
			sql.WriteString(" OR ")
		}
		n := len(args)
		fmt.Fprintf(&sql, "%s && ST_MakeEnvelope($%d, $%d, $%d, $%d, %d)", geomCol, n+1, n+2, n+3, n+4, c.t.SRID)
		args = append(args, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	}
	sql.WriteString(")")
	if len(have) > 0 {
		known := make([]int64, 0, len(have))
		for fid := range have {
			known = append(known, fid)
		}
		fmt.Fprintf(&sql, " AND NOT (%s = ANY($%d))", quoteIdent(c.t.FID), len(args)+1)
		args = append(args, known)
	}
	start := time.Now()
	rows, err := pool.Query(ctx, sql.String(), args...)
	if err != nil {
		return dbError(c.t.Src, "fetching candidates", err)
	}
	defer rows.Close()
	c.Queries++
	type raw struct {
		fid        int64
		id         *string
		props, wkb []byte
		f          geo.Feature
		ok         bool
		err        error
	}
	var fresh []raw
	for rows.Next() {
		var r raw
		if err := rows.Scan(&r.fid, &r.id, &r.props, &r.wkb); err != nil {
			return dbError(c.t.Src, "fetching candidates", err)
		}
		c.Fetched++
		if _, ok := c.byFID[r.fid]; ok {
			have[r.fid] = true // the index's float boxes are a little larger: met again
			continue
		}
		fresh = append(fresh, r)
	}
	if err := rows.Err(); err != nil {
		return dbError(c.t.Src, "fetching candidates", err)
	}
	// Decoding runs while the previous batch is screened (cmd fetches ahead).
	for i := range fresh {
		r := &fresh[i]
		r.f, r.ok, r.err = c.t.rowFeature(r.fid, r.id, r.props, r.wkb, c.opt)
		r.props, r.wkb = nil, nil
		if r.err != nil {
			return r.err
		}
	}
	sort.Slice(fresh, func(a, b int) bool { return fresh[a].fid < fresh[b].fid })
	for i := range fresh {
		r := &fresh[i]
		if r.err != nil {
			return r.err
		}
		if !r.ok {
			continue
		}
		c.byFID[r.fid] = c.all.Len()
		c.all.Add(r.f)
		have[r.fid] = true
	}
	c.QueryTime += time.Since(start)
	return nil
}
