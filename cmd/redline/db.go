package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// openDB opens a connection pool for a database URL (libpq conventions:
// PG* variables, .pgpass, sslmode, host=/socket/dir) and checks that the
// server answers. Messages name the URL without its password.
func openDB(ctx context.Context, src *postgis.Source) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(src.Conn)
	if err != nil {
		return nil, fmt.Errorf("postgis: %s: the connection settings cannot be used (check host, port, sslmode)", src)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, postgis.Wrap(src, "connecting", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, postgis.Wrap(src, "connecting", err)
	}
	return pool, nil
}

// defaultDBLoadLimit is the number of rows above which a table is read by
// pushdown rather than loaded whole (--db-load-limit).
const defaultDBLoadLimit = 200_000

// dbLayer is a layer table opened for reading.
type dbLayer struct {
	src   *postgis.Source
	pool  *pgxpool.Pool
	table *postgis.Table
	opt   postgis.ReadOptions
	total int // rows, counted for pushdown
}

// openDBLayer opens the table a layer URL names and checks it in the
// catalog. The caller closes it.
func openDBLayer(ctx context.Context, url string, ro data.ReadOptions) (*dbLayer, error) {
	src, err := postgis.ParseURL(url, true)
	if err != nil {
		return nil, err
	}
	if ro.CRS != "" {
		return nil, fmt.Errorf("postgis: %s: --crs does not apply to a table (its geometry column has an SRID)", src)
	}
	pool, err := openDB(ctx, src)
	if err != nil {
		return nil, err
	}
	t, err := postgis.Describe(ctx, pool, src)
	if err != nil {
		pool.Close()
		return nil, err
	}
	opt := postgis.ReadOptions{IDFields: data.DefaultIDFields}
	if ro.IDField != "" {
		opt.IDFields = []string{ro.IDField}
	}
	return &dbLayer{src: src, pool: pool, table: t, opt: opt}, nil
}

func (d *dbLayer) Close() { d.pool.Close() }

// pushdown says whether to read the table piecemeal: mode=pushdown, or
// more rows than limit unless mode=load.
func (d *dbLayer) pushdown(ctx context.Context, limit int) (bool, error) {
	switch d.src.Mode {
	case "load":
		return false, nil
	case "pushdown":
		return true, nil
	}
	if limit <= 0 {
		limit = defaultDBLoadLimit
	}
	n, err := postgis.CountUpTo(ctx, d.pool, d.table, limit)
	return n > limit, err
}

// load reads the whole table as a file read gives a layer.
func (d *dbLayer) load(ctx context.Context) (*geo.Layer, *data.LayerInfo, error) {
	l, skipped, err := postgis.ReadLayer(ctx, d.pool, d.table, d.opt)
	if err != nil {
		return nil, nil, err
	}
	l.Name = d.src.String()
	info := &data.LayerInfo{Path: d.src.String(), Format: "PostGIS", Fields: d.table.Columns, Skipped: skipped,
		CRS: crs.CGCS2000, CRSFrom: fmt.Sprintf("SRID %d", d.table.SRID)}
	if skipped > 0 {
		info.Warnings = append(info.Warnings, geo.Warnf("%s: %d rows without geometry: skipped", d.src, skipped))
	}
	return l, info, nil
}

// readDBLayer loads the table a URL names, for every command that reads a
// layer, a sites or a regions file.
func readDBLayer(url string, ro data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
	ctx := context.Background()
	d, err := openDBLayer(ctx, url, ro)
	if err != nil {
		return nil, nil, err
	}
	defer d.Close()
	return d.load(ctx)
}

// writeScreenDB appends the run's rows (one per site × conflict, one for a
// site without conflicts) and pieces to the table --out-db names.
func writeScreenDB(ctx context.Context, dbURL string, res *analysis.ScreenResult, runAt time.Time) error {
	src, err := postgis.ParseURL(dbURL, true)
	if err != nil {
		return usageErr("--out-db: %v", err)
	}
	var rows []postgis.ResultRow
	for _, s := range res.Sites {
		if len(s.Conflicts) == 0 {
			rows = append(rows, postgis.ResultRow{SiteIndex: s.Index, SiteID: s.ID, SiteVerdict: s.Verdict.String(), FeatureIndex: -1})
		}
		for _, c := range s.Conflicts {
			p := c.Piece
			switch {
			case c.OverlapM2 > 0:
				p = p.Polygonal()
			case c.LengthInsideM > 0:
				p = p.Linear()
			}
			var g orb.Geometry
			if !p.IsEmpty() {
				g = p.Orb()
			}
			rows = append(rows, postgis.ResultRow{SiteIndex: s.Index, SiteID: s.ID, SiteVerdict: s.Verdict.String(),
				Layer: c.Layer, Kind: c.Kind, FeatureIndex: c.FeatureIndex, FeatureID: c.FeatureID, Zone: c.Zone,
				OverlapM2: c.OverlapM2, OverlapPct: c.OverlapPct, LengthInsideM: c.LengthInsideM, Verdict: c.Verdict.String(),
				RuleID: c.RuleID, Rule: c.Rule, Basis: c.Basis, Piece: g})
		}
	}
	pool, err := openDB(ctx, src)
	if err != nil {
		return err
	}
	defer pool.Close()
	run := newRun(runAt)
	return postgis.WriteResults(ctx, pool, src, run, rows)
}

// writeOverlapsDB appends the run's overlap pairs (with their pieces when
// computed) to the table --out-db names.
func writeOverlapsDB(ctx context.Context, dbURL string, res *analysis.OverlapResult, runAt time.Time) error {
	src, err := postgis.ParseURL(dbURL, true)
	if err != nil {
		return usageErr("--out-db: %v", err)
	}
	rows := make([]postgis.PairRow, 0, len(res.Pairs))
	for _, p := range res.Pairs {
		var g orb.Geometry
		if piece := p.Piece.Polygonal(); !piece.IsEmpty() {
			g = piece.Orb()
		}
		rows = append(rows, postgis.PairRow{ALayer: p.ALayer, AIndex: p.AIndex, AID: p.AID, AZone: p.AZone,
			BLayer: p.BLayer, BIndex: p.BIndex, BID: p.BID, BZone: p.BZone, OverlapM2: p.OverlapM2, APct: p.APct, BPct: p.BPct, Piece: g})
	}
	pool, err := openDB(ctx, src)
	if err != nil {
		return err
	}
	defer pool.Close()
	run := newRun(runAt)
	return postgis.WritePairs(ctx, pool, src, run, rows)
}

// writeDiffDB appends the run's areas (per region, outside the regions,
// total) and ledger pieces (with their polygons) to the table --out-db
// names.
func writeDiffDB(ctx context.Context, dbURL string, res *analysis.DiffResult, runAt time.Time) error {
	src, err := postgis.ParseURL(dbURL, true)
	if err != nil {
		return usageErr("--out-db: %v", err)
	}
	area := func(typ string, a analysis.DiffArea) postgis.DiffRow {
		return postgis.DiffRow{Type: typ, Region: a.Index, RegionID: a.ID, RegionName: a.Name, OldM2: a.OldM2, NewM2: a.NewM2,
			AddedM2: a.AddedM2, RemovedM2: a.RemovedM2, KeptM2: a.KeptM2, NetM2: a.NetM2, OldSharePct: a.OldSharePct, NewSharePct: a.NewSharePct}
	}
	rows := make([]postgis.DiffRow, 0, len(res.Regions)+2+len(res.Ledger))
	rows = append(rows, area("total", res.Total))
	if len(res.Regions) > 0 {
		rows = append(rows, area("outside", analysis.DiffArea{Index: -1, DiffAmounts: res.Outside}))
	}
	for _, g := range res.Regions {
		rows = append(rows, area("region", g))
	}
	for _, p := range res.Ledger {
		r := postgis.DiffRow{Type: p.Type, Region: p.Region, RegionID: p.RegionID, RegionName: p.RegionName, Class: p.Class,
			Piece: p.Number, OldIDs: p.OldIDs, NewIDs: p.NewIDs}
		if p.Type == analysis.PieceAdded {
			r.AddedM2 = p.AreaM2
		} else {
			r.RemovedM2 = p.AreaM2
		}
		if len(p.Geom) > 0 {
			r.Geom = p.Geom
		}
		rows = append(rows, r)
	}
	pool, err := openDB(ctx, src)
	if err != nil {
		return err
	}
	defer pool.Close()
	run := newRun(runAt)
	return postgis.WriteDiff(ctx, pool, src, run, rows)
}

// newRun identifies one --out-db write. The time alone repeats within a
// second, and so does time + pid across the containers of a platform (each
// is pid 1) writing into one table, so the id ends in 48 random bits.
func newRun(runAt time.Time) postgis.RunInfo {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Linux
	id := runAt.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
	return postgis.RunInfo{ID: id, Time: runAt, Version: version}
}
