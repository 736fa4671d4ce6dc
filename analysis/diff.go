package analysis

import (
	"context"
	"fmt"
	"runtime"
	"sort"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// DiffOptions are the knobs of Diff.
type DiffOptions struct {
	// Regions, when set, splits every number by region (NewRegions); the
	// total is then over the union of the regions. Nil: totals only.
	Regions *Regions
	// Landuse and ByField, when set, split the added and removed pieces by
	// the land class in that field (features of a class dissolved).
	Landuse *geo.Layer
	ByField string
	// MinAreaM2 drops ledger pieces smaller than this (slivers) from the
	// pieces; their area stays in every area figure and is totalled in
	// DiffResult.Slivers.
	MinAreaM2 float64
	Invalid   InvalidPolicy // what to do with an invalid OLD, NEW or land-use feature
	Workers   int           // parallel work (default: all cores)
}

// Piece types.
const (
	PieceAdded   = "added"   // 调入: in NEW, not in OLD
	PieceRemoved = "removed" // 调出: in OLD, not in NEW
)

// Feature statuses.
const (
	FeatureAdded     = "added"
	FeatureRemoved   = "removed"
	FeatureChanged   = "changed"
	FeatureUnchanged = "unchanged"
)

// DiffResult compares two versions of a layer; its JSON is the contract of
// `redline diff --format json`. Areas are m², shares per cent (0–100).
type DiffResult struct {
	AreaMethod string          `json:"area_method"`
	Engine     string          `json:"engine"`
	Old        DiffInput       `json:"old"`
	New        DiffInput       `json:"new"`
	Regions    []DiffArea      `json:"regions"`
	Total      DiffArea        `json:"total"`
	Outside    DiffAmounts     `json:"outside_regions"` // land outside every region (zero without regions)
	Features   []FeatureChange `json:"features"`
	Classes    []ClassChange   `json:"classes"` // with --landuse: per region × class
	ClassField string          `json:"class_field,omitempty"`
	Pieces     int             `json:"pieces"` // ledger pieces (slivers excluded)
	MinAreaM2  float64         `json:"min_area_m2"`
	Slivers    SliverTotals    `json:"slivers"`
	Repairs    []Repair        `json:"repairs"` // invalid features of OLD, NEW, land use and regions: repaired or skipped

	Ledger []DiffPiece `json:"-"` // the pieces, numbered; for the ledger and -o
}

// DiffInput names one compared layer. CRS is filled in by the caller, which
// knows what the file was in.
type DiffInput struct {
	Name     string `json:"name"`
	Features int    `json:"features"`
	CRS      string `json:"crs,omitempty"`
}

// DiffAmounts are the areas compared, in m². By construction
// Old = Kept + Removed, New = Kept + Added and Net = New − Old.
type DiffAmounts struct {
	OldM2     float64 `json:"old_m2"`
	NewM2     float64 `json:"new_m2"`
	AddedM2   float64 `json:"added_m2"`
	RemovedM2 float64 `json:"removed_m2"`
	KeptM2    float64 `json:"kept_m2"`
	NetM2     float64 `json:"net_m2"`
}

// DiffArea is one region's comparison, or the total (Index −1) over the
// union of the regions (over everything without regions). Shares are null
// without a region area.
type DiffArea struct {
	Index  int     `json:"index"`
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	AreaM2 float64 `json:"area_m2"`
	DiffAmounts
	OldSharePct *float64     `json:"old_share_pct"`
	NewSharePct *float64     `json:"new_share_pct"`
	Geom        orb.Geometry `json:"-"`
}

// FeatureChange is one feature (or several records with one id) matched
// between OLD and NEW by id; features without an id are matched by equal
// geometry. AddedM2/RemovedM2 are the parts of the feature's new version
// outside its old one and the other way round.
type FeatureChange struct {
	ID        string  `json:"id"`
	Status    string  `json:"status"`
	OldIndex  []int   `json:"old_index"`
	NewIndex  []int   `json:"new_index"`
	OldM2     float64 `json:"old_m2"`
	NewM2     float64 `json:"new_m2"`
	AddedM2   float64 `json:"added_m2"`
	RemovedM2 float64 `json:"removed_m2"`
}

// ClassChange is the added and removed area of one land class in one
// region (Region −1: the total over the union of the regions, or
// everything without regions). Class "" is land no land-use feature covers.
type ClassChange struct {
	Region    int     `json:"region"` // position in Regions, −1 for the total
	RegionID  string  `json:"region_id"`
	Class     string  `json:"class"`
	AddedM2   float64 `json:"added_m2"`
	RemovedM2 float64 `json:"removed_m2"`
}

// SliverTotals account for the pieces under MinAreaM2.
type SliverTotals struct {
	AddedCount   int     `json:"added_count"`
	AddedM2      float64 `json:"added_m2"`
	RemovedCount int     `json:"removed_count"`
	RemovedM2    float64 `json:"removed_m2"`
}

// DiffPiece is one row of the ledger (台账): one polygon of added or removed
// land inside one region and one land class.
type DiffPiece struct {
	Number     int         `json:"number"` // 1-based
	Type       string      `json:"type"`   // PieceAdded or PieceRemoved
	AreaM2     float64     `json:"area_m2"`
	Region     int         `json:"region"` // position in Regions, −1 without regions or outside them
	RegionID   string      `json:"region_id"`
	RegionName string      `json:"region_name"`
	Class      string      `json:"class"`
	Lon        float64     `json:"lon"` // centroid (planar, in lon/lat)
	Lat        float64     `json:"lat"`
	OldIDs     []string    `json:"old_ids"` // OLD features the piece came from (removed)
	NewIDs     []string    `json:"new_ids"` // NEW features the piece came from (added)
	Geom       orb.Polygon `json:"-"`
}

// Losses lists where the red line shrinks, for --no-loss: the total, and
// with perRegion every region whose area falls. Empty when nothing shrinks.
func (r *DiffResult) Losses(perRegion bool) []string {
	var out []string
	if perRegion {
		for _, g := range r.Regions {
			if g.NetM2 < 0 {
				out = append(out, fmt.Sprintf("region %s %s: %.2f m² → %.2f m² (%.2f m²)", g.ID, g.Name, g.OldM2, g.NewM2, g.NetM2))
			}
		}
	}
	if r.Total.NetM2 < 0 {
		out = append(out, fmt.Sprintf("total: %.2f m² → %.2f m² (%.2f m²)", r.Total.OldM2, r.Total.NewM2, r.Total.NetM2))
	}
	return out
}

// Diff compares two versions of a polygon layer (a red line before and after
// an adjustment). Each is dissolved, so overlapping features never count
// twice; the pieces are added = NEW − OLD, removed = OLD − NEW and
// kept = OLD ∩ NEW, measured per region and in total, split by land class
// when asked; features are matched by id. Neither layer is modified.
func Diff(ctx context.Context, old, new *geo.Layer, opt DiffOptions) (*DiffResult, error) {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	d := &differ{opt: opt, old: old, new: new}
	var err error
	if d.oldFeats, err = d.checkLayer(ctx, "OLD", old); err != nil {
		return nil, err
	}
	if d.newFeats, err = d.checkLayer(ctx, "NEW", new); err != nil {
		return nil, err
	}
	raw, err := d.changes(ctx)
	if err != nil {
		return nil, err
	}
	pieces, err := d.splitRegions(ctx, raw)
	if err != nil {
		return nil, err
	}
	if opt.Landuse != nil {
		if pieces, err = d.splitClasses(ctx, pieces); err != nil {
			return nil, err
		}
	}
	oldM2, err := d.measureOld(ctx)
	if err != nil {
		return nil, err
	}
	res := d.result(pieces, oldM2)
	if res.Features, err = d.matchFeatures(ctx); err != nil {
		return nil, err
	}
	if err := d.ledger(ctx, res, pieces); err != nil {
		return nil, err
	}
	res.Repairs = append(res.Repairs, d.notes...)
	return res, nil
}

// differ holds one run of Diff.
type differ struct {
	opt      DiffOptions
	old, new *geo.Layer
	oldFeats []*geo.Feature // per feature: valid and polygonal (repaired or converted), nil when skipped
	newFeats []*geo.Feature
	notes    []Repair
}

// checkLayer checks every feature of l: polygonal (else an error naming
// it), valid or handled by the invalid policy.
func (d *differ) checkLayer(ctx context.Context, role string, l *geo.Layer) ([]*geo.Feature, error) {
	if l.Len() == 0 {
		return nil, fmt.Errorf("analysis: diff: %s layer %s has no features", role, l.Name)
	}
	out := make([]*geo.Feature, l.Len())
	checks := make([]checked, l.Len())
	err := par.For(ctx, l.Len(), d.opt.Workers, func(_, i int) error {
		f, err := d.checkedFeature(role, l.Name, &l.Features[i], &checks[i])
		out[i] = f
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range checks {
		if checks[i].note != nil {
			d.notes = append(d.notes, *checks[i].note)
		}
	}
	return out, nil
}

// checkedFeature returns f, of the layer in role (OLD, NEW, land use) read
// from file, as a valid polygonal feature under the invalid policy (nil
// when skipped). Lines and points are an error.
func (d *differ) checkedFeature(role, file string, f *geo.Feature, c *checked) (*geo.Feature, error) {
	g, converted, err := polygonalGeom(f.Geom)
	if err != nil {
		return nil, fmt.Errorf("analysis: diff: %s: %s: %w", layerWhere(role, file), f.Label(), err)
	}
	if converted {
		nf, err := geo.NewFeature(f.Index, f.ID, f.Props, g)
		if err != nil {
			return nil, fmt.Errorf("analysis: diff: %s: %s: %w", layerWhere(role, file), f.Label(), err)
		}
		f = &nf
	}
	return checkFeature(c, role, file, f, d.opt.Invalid, func() []geo.Problem { return geo.Validate(f.Geom) })
}

// result sums the pieces into the per-region and total figures: added and
// removed from the pieces, old as measured, kept = old − removed and
// new = kept + added.
func (d *differ) result(pieces []diffPiece, old oldAreas) *DiffResult {
	res := &DiffResult{AreaMethod: AreaMethod, Engine: geo.EngineName, MinAreaM2: d.opt.MinAreaM2,
		Old: DiffInput{Name: d.old.Name, Features: d.old.Len()}, New: DiffInput{Name: d.new.Name, Features: d.new.Len()},
		Regions: []DiffArea{}, Classes: []ClassChange{}, Repairs: []Repair{}}
	rg := d.opt.Regions
	nreg := 0
	if rg != nil {
		nreg = rg.Layer.Len()
		res.Repairs = append(res.Repairs, rg.Repairs...)
	}
	per := make([]DiffAmounts, nreg)
	var total, outside DiffAmounts
	type classKey struct {
		region int
		class  string
	}
	classes := map[classKey]*ClassChange{}
	addClass := func(region int, id, class, typ string, a float64) {
		k := classKey{region, class}
		c := classes[k]
		if c == nil {
			c = &ClassChange{Region: region, RegionID: id, Class: class}
			classes[k] = c
		}
		if typ == PieceAdded {
			c.AddedM2 += a
		} else {
			c.RemovedM2 += a
		}
	}
	for i := range pieces {
		p := &pieces[i]
		a, once := p.area, p.area-p.twice // once: not already counted in an earlier region
		if p.region < 0 {
			if rg == nil {
				addAmount(&total, p.typ, a)
			} else {
				addAmount(&outside, p.typ, a)
			}
		} else {
			addAmount(&per[p.region], p.typ, a)
			addAmount(&total, p.typ, once)
		}
		if d.opt.Landuse != nil {
			if p.region >= 0 {
				addClass(p.region, rg.Layer.Features[p.region].ID, p.class, p.typ, a)
				addClass(-1, "", p.class, p.typ, once)
			} else if rg == nil {
				addClass(-1, "", p.class, p.typ, a)
			}
		}
	}
	for i := range per {
		f := &rg.Layer.Features[i]
		per[i].KeptM2 = keptM2(old.region[i], per[i].RemovedM2)
		r := DiffArea{Index: f.Index, ID: f.ID, Name: rg.Names[i], AreaM2: rg.AreaM2[i], DiffAmounts: finish(per[i]), Geom: f.Geom}
		r.setShares()
		res.Regions = append(res.Regions, r)
	}
	if rg == nil {
		total.KeptM2 = keptM2(old.all, total.RemovedM2)
	} else {
		total.KeptM2 = keptM2(old.total, total.RemovedM2)
		out := old.all - old.total // old land outside every region
		if out < 0 && out >= -1e-9*old.all {
			out = 0
		}
		outside.KeptM2 = keptM2(out, outside.RemovedM2)
	}
	res.Total = DiffArea{Index: -1, DiffAmounts: finish(total)}
	if rg != nil {
		res.Total.AreaM2 = rg.UnionM2
		res.Total.setShares()
	}
	res.Outside = finish(outside)
	for _, c := range classes {
		res.Classes = append(res.Classes, *c)
	}
	sort.Slice(res.Classes, func(a, b int) bool {
		ca, cb := res.Classes[a], res.Classes[b]
		if (ca.Region < 0) != (cb.Region < 0) {
			return cb.Region < 0 // the total last
		}
		if ca.Region != cb.Region {
			return ca.Region < cb.Region
		}
		return ca.Class < cb.Class
	})
	if d.opt.Landuse != nil {
		res.ClassField = d.opt.ByField
	}
	return res
}

func addAmount(a *DiffAmounts, typ string, m2 float64) {
	switch typ {
	case PieceAdded:
		a.AddedM2 += m2
	case PieceRemoved:
		a.RemovedM2 += m2
	}
}

// keptM2 is old − removed. Removed land is part of old, so a negative rest
// within rounding is zero; a larger one is left visible.
func keptM2(old, removed float64) float64 {
	k := old - removed
	if k < 0 && k >= -(1e-9*removed+1e-6) {
		return 0
	}
	return k
}

// finish derives old, new and net from kept and the pieces, so that the
// identities hold by construction; independent checks live in the tests.
func finish(a DiffAmounts) DiffAmounts {
	a.OldM2 = a.KeptM2 + a.RemovedM2
	a.NewM2 = a.KeptM2 + a.AddedM2
	a.NetM2 = a.NewM2 - a.OldM2
	return a
}

func (r *DiffArea) setShares() {
	if r.AreaM2 <= 0 {
		return
	}
	o, n := pct(r.OldM2, r.AreaM2), pct(r.NewM2, r.AreaM2)
	r.OldSharePct, r.NewSharePct = &o, &n
}
