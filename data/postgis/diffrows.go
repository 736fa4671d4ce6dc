package postgis

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
)

// DiffRow is one row of a red-line diff run: the areas of one region
// (Type "region"), of the land outside every region ("outside") or of the
// whole ("total"); or one ledger piece of land added or removed ("added",
// "removed") with its polygon.
type DiffRow struct {
	Type        string
	Region      int // position in the regions, −1 for the total, outside, or a piece outside them
	RegionID    string
	RegionName  string
	Class       string // land class of a piece (--landuse), "" otherwise
	Piece       int    // 1-based ledger number of a piece, 0 for areas
	OldM2       float64
	NewM2       float64
	AddedM2     float64 // for a piece: its area when added
	RemovedM2   float64 // for a piece: its area when removed
	KeptM2      float64
	NetM2       float64
	OldSharePct *float64
	NewSharePct *float64
	OldIDs      []string // OLD features a removed piece came from
	NewIDs      []string // NEW features an added piece came from
	Geom        orb.Geometry
}

var diffColumns = []string{"run_id", "run_at", "redline_version", "row_type", "region_index", "region_id", "region_name", "class",
	"piece", "old_m2", "new_m2", "added_m2", "removed_m2", "kept_m2", "net_m2", "old_share_pct", "new_share_pct", "old_ids", "new_ids", "geom"}

// WriteDiff appends a diff run's rows to dest (created when missing), in
// one transaction: the platform sees the whole run or none of it.
func WriteDiff(ctx context.Context, pool *pgxpool.Pool, dest *Source, run RunInfo, rows []DiffRow) error {
	src := make([][]any, 0, len(rows))
	for _, r := range rows {
		var wkb []byte
		if r.Geom != nil {
			var err error
			if wkb, err = geometryEWKB(r.Geom); err != nil {
				return fmt.Errorf("postgis: %s: %s row (region %d, piece %d): geometry: %w", dest, r.Type, r.Region, r.Piece, err)
			}
		}
		if err := firstTextError(append(append([]string{r.RegionID, r.RegionName, r.Class}, r.OldIDs...), r.NewIDs...)...); err != nil {
			return fmt.Errorf("postgis: %s: %s row (region %d, piece %d): %w", dest, r.Type, r.Region, r.Piece, err)
		}
		var piece any
		if r.Piece > 0 {
			piece = int64(r.Piece)
		}
		src = append(src, []any{run.ID, run.Time, run.Version, r.Type, r.Region, nullable(r.RegionID), nullable(r.RegionName),
			nullable(r.Class), piece, r.OldM2, r.NewM2, r.AddedM2, r.RemovedM2, r.KeptM2, r.NetM2, r.OldSharePct, r.NewSharePct,
			r.OldIDs, r.NewIDs, wkb})
	}
	return appendRows(ctx, pool, dest, `run_id text NOT NULL, run_at timestamptz NOT NULL, redline_version text,
		row_type text NOT NULL, region_index integer NOT NULL, region_id text, region_name text, class text, piece integer,
		old_m2 double precision, new_m2 double precision, added_m2 double precision, removed_m2 double precision,
		kept_m2 double precision, net_m2 double precision, old_share_pct double precision, new_share_pct double precision,
		old_ids text[], new_ids text[], geom geometry(Geometry, 4490)`, diffColumns, src)
}

// appendRows creates dest with the columns when missing and copies rows
// into it, in one transaction: a failure leaves no table, or the old one
// as it was.
func appendRows(ctx context.Context, pool *pgxpool.Pool, dest *Source, columns string, names []string, rows [][]any) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return dbError(dest, "starting to write results", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	name := pgx.Identifier{dest.Table}
	if dest.Schema != "" {
		name = pgx.Identifier{dest.Schema, dest.Table}
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", name.Sanitize(), columns)); err != nil {
		return dbError(dest, "creating the results table", err)
	}
	if _, err := tx.CopyFrom(ctx, name, names, pgx.CopyFromRows(rows)); err != nil {
		return dbError(dest, "writing results", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return dbError(dest, "committing results", err)
	}
	return nil
}
