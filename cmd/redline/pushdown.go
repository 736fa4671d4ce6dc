package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
	"github.com/redline-gis/redline/report"
	"github.com/redline-gis/redline/screenpush"
	"github.com/redline-gis/redline/server"
)

// pushdownFormat names a table read by pushdown in reports; its layer is a
// placeholder until the run fetches features.
const pushdownFormat = "PostGIS (pushdown)"

// screenDB keeps the database layers of one screen run: a table above the
// load limit (or with mode=pushdown) is not read when the layers are
// loaded; it stays open and is read batch by batch.
type screenDB struct {
	ctx     context.Context
	limit   int
	paths   []string
	pending map[int]*dbLayer
	opened  []*dbLayer
}

func newScreenDB(ctx context.Context, limit int) *screenDB {
	return &screenDB{ctx: ctx, limit: limit, pending: map[int]*dbLayer{}}
}

// wrap returns a layer reader that reads files with next and tables
// itself, giving an empty placeholder layer for a pushdown table.
func (s *screenDB) wrap(next func(string, data.ReadOptions) (*geo.Layer, *data.LayerInfo, error),
	note func(src report.Source)) func(string, data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
	return func(path string, ro data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
		pos := len(s.paths)
		s.paths = append(s.paths, path)
		if !postgis.IsURL(path) {
			return next(path, ro)
		}
		d, err := openDBLayer(s.ctx, path, ro)
		if err != nil {
			return nil, nil, err
		}
		s.opened = append(s.opened, d)
		pd, err := d.pushdown(s.ctx, s.limit)
		if err != nil {
			return nil, nil, err
		}
		if !pd {
			l, info, err := d.load(s.ctx)
			if err == nil {
				note(reportSource(info.Path, l, info))
			}
			return l, info, err
		}
		if d.total, err = postgis.Count(s.ctx, d.pool, d.table); err != nil {
			return nil, nil, err
		}
		if d.total == 0 { // nothing to push down: loaded, it meets the empty-layer check
			return d.load(s.ctx)
		}
		s.pending[pos] = d
		info := &data.LayerInfo{Path: d.src.String(), Format: pushdownFormat, CRS: crs.CGCS2000, CRSFrom: fmt.Sprintf("SRID %d", d.table.SRID)}
		src := reportSource(info.Path, &geo.Layer{}, info)
		src.Features = d.total
		note(src)
		return &geo.Layer{Name: d.src.String()}, info, nil
	}
}

// layers turns the loaded constraints into screening layers: pushdown
// tables get a cache, and a table URL's zone= and name= columns apply.
func (s *screenDB) layers(cons []*analysis.Constraint) ([]screenLayer, bool, error) {
	out := make([]screenLayer, len(cons))
	any := false
	for i, c := range cons {
		cfg := c.Config
		cfg.Name = c.Name
		var src *postgis.Source
		if i < len(s.paths) && postgis.IsURL(s.paths[i]) {
			var err error
			if src, err = postgis.ParseURL(s.paths[i], true); err != nil {
				return nil, false, err
			}
			if src.Zone != "" {
				cfg.ZoneField = src.Zone
			}
			if src.Name != "" {
				cfg.NameField = src.Name
			}
		}
		d := s.pending[i]
		if d == nil {
			if src != nil && (src.Zone != "" || src.Name != "") {
				nc, err := analysis.NewConstraint(c.Layer, cfg)
				if err != nil {
					return nil, false, fmt.Errorf("%s: %w", src, err)
				}
				cons[i], c = nc, nc // the caller's slice sees it
			}
			out[i] = screenLayer{loaded: c}
			continue
		}
		cache, err := postgis.NewCache(d.table, d.opt)
		if err != nil {
			return nil, false, err
		}
		out[i] = screenLayer{pool: d.pool, cache: cache, cfg: cfg, total: d.total}
		any = true
	}
	return out, any, nil
}

func (s *screenDB) Close() {
	for _, d := range s.opened {
		d.Close()
	}
}

// pushdownBatch is the number of sites screened per round trip (a
// variable so that tests can make many batches of few sites).
var pushdownBatch = screenpush.DefaultBatch

// screenLayer is a constraint layer as screening gets it: loaded whole, or
// read from the database batch by batch (pushdown).
type screenLayer struct {
	loaded *analysis.Constraint // whole layer, or nil
	// pushdown:
	pool  *pgxpool.Pool
	cache *postgis.Cache
	cfg   analysis.LayerConfig
	total int // rows of the table, for the report
}

type pushdownStats = screenpush.Stats

// screenPushdown screens with screenpush.Screen (see there).
func screenPushdown(ctx context.Context, sites *geo.Layer, layers []screenLayer, rules *analysis.RuleBook, opt analysis.ScreenOptions, batch int) (*analysis.ScreenResult, pushdownStats, error) {
	sl := make([]screenpush.Layer, len(layers))
	for i, l := range layers {
		sl[i] = screenpush.Layer{Loaded: l.loaded, Pool: l.pool, Cache: l.cache, Cfg: l.cfg, Total: l.total}
	}
	return screenpush.Screen(ctx, sites, sl, rules, opt, batch)
}

// reportLayers puts in place of each pushdown layer's placeholder the
// features its cache fetched, for the reports' maps.
func reportLayers(layers []*analysis.Constraint, sls []screenLayer) error {
	for i, sl := range sls {
		if sl.cache == nil {
			continue
		}
		c, err := analysis.NewConstraint(sl.cache.All(), sl.cfg)
		if err != nil {
			return err
		}
		layers[i] = c // the caller's slice (and the report's) sees it
	}
	return nil
}

// serveTables keeps the pushdown tables of a serve catalog open: each,
// its row count checked against redline_layers, becomes a
// server.TableLayer (pool, table, row count, extent) and the
// catalog's Close closes their pools; the pools of tables loaded whole are
// closed now. On an error the caller closes sdb.
func serveTables(ctx context.Context, sdb *screenDB, layers []*analysis.Constraint, cat *server.Catalog) error {
	sls, any, err := sdb.layers(layers)
	if err != nil {
		return err
	}
	if !any {
		sdb.Close()
		return nil
	}
	cat.Tables = make([]*server.TableLayer, len(layers))
	keep := map[*dbLayer]bool{}
	for i, sl := range sls {
		d := sdb.pending[i]
		if d == nil || sl.cache == nil {
			continue
		}
		if err := postgis.CheckImported(ctx, d.pool, d.table, d.total); err != nil {
			return err
		}
		ext, exact, err := postgis.Extent(ctx, d.pool, d.table)
		if err != nil {
			return err
		}
		cat.Tables[i] = &server.TableLayer{Pool: d.pool, Table: d.table, Read: d.opt, Cfg: sl.cfg, Total: d.total, Extent: ext, Exact: exact}
		keep[d] = true
	}
	var open []*dbLayer
	for _, d := range sdb.opened {
		if keep[d] {
			open = append(open, d)
		} else {
			d.Close()
		}
	}
	cat.Close = func() {
		for _, d := range open {
			d.Close()
		}
	}
	return nil
}
