package postgis

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
)

// ResultRow is one site × conflict of a screening run (or one row for a
// site without conflicts: Layer "" and FeatureIndex -1), as the platform's
// map reads it.
type ResultRow struct {
	SiteIndex     int
	SiteID        string
	SiteVerdict   string
	Layer         string
	Kind          string
	FeatureIndex  int
	FeatureID     string
	Zone          string
	OverlapM2     float64
	OverlapPct    float64
	LengthInsideM float64
	Verdict       string
	RuleID        string
	Rule          string
	Basis         string
	Piece         orb.Geometry // site ∩ feature in lon/lat, nil when none
}

// RunInfo identifies a run in the results table.
type RunInfo struct {
	ID      string
	Time    time.Time
	Version string
}

// resultColumns of the results table, in COPY order.
var resultColumns = []string{"run_id", "run_at", "redline_version", "site_index", "site_id", "site_verdict", "layer", "kind",
	"feature_index", "feature_id", "zone", "overlap_m2", "overlap_pct", "length_inside_m", "verdict", "rule_id", "rule", "basis", "geom"}

// WriteResults appends a run's rows to dest (created when missing), in one
// transaction: the platform sees the whole run or none of it.
func WriteResults(ctx context.Context, pool *pgxpool.Pool, dest *Source, run RunInfo, rows []ResultRow) error {
	src := make([][]any, 0, len(rows))
	for _, r := range rows {
		var wkb []byte
		if r.Piece != nil {
			var err error
			wkb, err = geometryEWKB(r.Piece)
			if err != nil {
				return fmt.Errorf("postgis: %s: site %d × %s feature %d: piece: %w", dest, r.SiteIndex, r.Layer, r.FeatureIndex, err)
			}
		}
		var fi any
		if r.FeatureIndex >= 0 {
			fi = int64(r.FeatureIndex)
		}
		if err := firstTextError(r.SiteID, r.Layer, r.FeatureID, r.Zone, r.Rule, r.Basis); err != nil {
			return fmt.Errorf("postgis: %s: site %d: %w", dest, r.SiteIndex, err)
		}
		src = append(src, []any{run.ID, run.Time, run.Version, r.SiteIndex, r.SiteID, r.SiteVerdict, nullable(r.Layer), nullable(r.Kind),
			fi, nullable(r.FeatureID), nullable(r.Zone), r.OverlapM2, r.OverlapPct, r.LengthInsideM, nullable(r.Verdict),
			nullable(r.RuleID), nullable(r.Rule), nullable(r.Basis), wkb})
	}
	return appendRows(ctx, pool, dest, `run_id text NOT NULL, run_at timestamptz NOT NULL,
		redline_version text, site_index integer NOT NULL, site_id text, site_verdict text, layer text, kind text,
		feature_index bigint, feature_id text, zone text, overlap_m2 double precision, overlap_pct double precision,
		length_inside_m double precision, verdict text, rule_id text, rule text, basis text, geom geometry(Geometry, 4490)`,
		resultColumns, src)
}

// PairRow is one overlap between two protected-area features (overlaps).
type PairRow struct {
	ALayer, AID, AZone string
	AIndex             int
	BLayer, BID, BZone string
	BIndex             int
	OverlapM2          float64
	APct, BPct         float64
	Piece              orb.Geometry // a ∩ b in lon/lat, nil when not computed
}

var pairColumns = []string{"run_id", "run_at", "redline_version", "a_layer", "a_index", "a_id", "a_zone",
	"b_layer", "b_index", "b_id", "b_zone", "overlap_m2", "a_pct", "b_pct", "geom"}

// WritePairs appends a run's overlap pairs to dest (created when missing),
// in one transaction.
func WritePairs(ctx context.Context, pool *pgxpool.Pool, dest *Source, run RunInfo, rows []PairRow) error {
	src := make([][]any, 0, len(rows))
	for _, r := range rows {
		var wkb []byte
		if r.Piece != nil {
			var err error
			if wkb, err = geometryEWKB(r.Piece); err != nil {
				return fmt.Errorf("postgis: %s: %s feature %d × %s feature %d: piece: %w", dest, r.ALayer, r.AIndex, r.BLayer, r.BIndex, err)
			}
		}
		if err := firstTextError(r.ALayer, r.AID, r.AZone, r.BLayer, r.BID, r.BZone); err != nil {
			return fmt.Errorf("postgis: %s: %w", dest, err)
		}
		src = append(src, []any{run.ID, run.Time, run.Version, r.ALayer, int64(r.AIndex), nullable(r.AID), nullable(r.AZone),
			r.BLayer, int64(r.BIndex), nullable(r.BID), nullable(r.BZone), r.OverlapM2, r.APct, r.BPct, wkb})
	}
	return appendRows(ctx, pool, dest, `run_id text NOT NULL, run_at timestamptz NOT NULL,
		redline_version text, a_layer text, a_index bigint, a_id text, a_zone text, b_layer text, b_index bigint, b_id text,
		b_zone text, overlap_m2 double precision, a_pct double precision, b_pct double precision, geom geometry(Geometry, 4490)`,
		pairColumns, src)
}
