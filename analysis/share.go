package analysis

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// ShareOptions are the knobs of Share.
type ShareOptions struct {
	Regions RegionOptions
	Target  Target // zero: no target
	// Whole treats all regions as one: only the total is reported (e.g.
	// wetland protection rate = wetland covered by reserves ÷ wetland).
	Whole bool
}

// ShareResult is the share of each region covered by one layer; its JSON is
// the contract of `redline share --format json`. Areas are m², shares per
// cent (0–100). TargetPct/TargetM2 and MeetsTarget are null without a target;
// a region's MeetsTarget is null under an absolute area target, which only
// the total can meet.
type ShareResult struct {
	Layer          string          `json:"layer"`
	Features       int             `json:"features"`
	AreaMethod     string          `json:"area_method"`
	Engine         string          `json:"engine"`
	Whole          bool            `json:"whole"`
	TargetPct      *float64        `json:"target_pct"`
	TargetM2       *float64        `json:"target_m2"`
	Target         string          `json:"target,omitempty"`
	Regions        []RegionShare   `json:"regions"`
	Total          ShareTotal      `json:"total"`
	RegionOverlaps []RegionOverlap `json:"region_overlaps"`
	RegionGaps     []RegionGap     `json:"region_gaps"`
	Repairs        []Repair        `json:"repairs"`
}

// RegionShare is one region's area and the area of the dissolved layer
// inside it.
type RegionShare struct {
	Index       int          `json:"index"`
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	AreaM2      float64      `json:"area_m2"`
	CoveredM2   float64      `json:"covered_m2"`
	SharePct    float64      `json:"share_pct"`
	MeetsTarget *bool        `json:"meets_target"`
	Geom        orb.Geometry `json:"-"`
}

// ShareTotal is the share over the union of all regions: an area where
// regions overlap counts once, and a gap between them not at all.
type ShareTotal struct {
	Regions      int     `json:"regions"`
	AreaM2       float64 `json:"area_m2"`
	CoveredM2    float64 `json:"covered_m2"`
	SharePct     float64 `json:"share_pct"`
	MeetsTarget  *bool   `json:"meets_target"`
	RegionsSumM2 float64 `json:"regions_sum_m2"` // Σ region areas, overlaps counted as often as they occur
	GapsM2       float64 `json:"gaps_m2"`        // holes in the union of the regions (not part of AreaM2)
}

// Missed lists the targets the result misses, for messages; empty when
// every target is met or there is none.
func (r *ShareResult) Missed() []string {
	var out []string
	for _, g := range r.Regions {
		if g.MeetsTarget != nil && !*g.MeetsTarget {
			out = append(out, fmt.Sprintf("%s: region %s %s: %.4g %% < %s", r.Layer, g.ID, g.Name, g.SharePct, r.Target))
		}
	}
	if t := r.Total.MeetsTarget; t != nil && !*t {
		if r.TargetM2 != nil {
			out = append(out, fmt.Sprintf("%s: total %.0f m² < %s", r.Layer, r.Total.CoveredM2, r.Target))
		} else {
			out = append(out, fmt.Sprintf("%s: total %.4g %% < %s", r.Layer, r.Total.SharePct, r.Target))
		}
	}
	return out
}

// Share measures, for each region, the area of layer inside it after
// dissolving the layer (overlapping features never count twice), and the
// total over the union of the regions. It is NewRegions followed by
// Regions.Share; to measure several layers against the same regions, call
// those instead.
func Share(ctx context.Context, regions, layer *geo.Layer, opt ShareOptions) (*ShareResult, error) {
	rg, err := NewRegions(ctx, regions, opt.Regions)
	if err != nil {
		return nil, err
	}
	return rg.Share(ctx, layer, opt)
}

// Share measures layer against the regions (see the package function
// Share). Per region: candidate features by bounding box; a feature inside
// the region's box that the region covers is taken whole, any other is
// clipped to the region; the pieces are dissolved and measured. Work runs
// in parallel over chunks of features and over regions. Invalid features
// are repaired when the repair is exact (and listed in Repairs), otherwise
// they are an error naming the feature.
func (rg *Regions) Share(ctx context.Context, layer *geo.Layer, opt ShareOptions) (*ShareResult, error) {
	n := rg.Layer.Len()
	feats := rg.Layer.Features
	cands := make([][]int, n)
	used := make([]bool, layer.Len())
	for i := range feats {
		layer.Candidates(feats[i].Bound, func(fi int, _ *geo.Feature) bool {
			cands[i] = append(cands[i], fi)
			used[fi] = true
			return true
		})
	}
	shapes, geoms, repairs, err := layerShapes(ctx, layer, used, rg.workers)
	if err != nil {
		return nil, err
	}

	const chunk = 24
	type task struct{ region, from, to int }
	var tasks []task
	for i, c := range cands {
		for from := 0; from < len(c); from += chunk {
			tasks = append(tasks, task{i, from, min(from+chunk, len(c))})
		}
	}
	pieces := make([][]geo.Shape, len(tasks))
	err = shareParallel(ctx, len(tasks), rg.workers, func(ti int) error {
		t := tasks[ti]
		for _, fi := range cands[t.region][t.from:t.to] {
			f := &layer.Features[fi]
			p, err := clipToRegion(rg.shapes[t.region], rg.grids[t.region], shapes[fi], geoms[fi])
			if err != nil {
				return fmt.Errorf("analysis: region %s × layer %s %s: %w", rg.Label(t.region), layer.Name, f.Label(), err)
			}
			if !p.IsEmpty() {
				pieces[ti] = append(pieces[ti], p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	perRegion := make([][]geo.Shape, n)
	for ti, t := range tasks {
		perRegion[t.region] = append(perRegion[t.region], pieces[ti]...)
	}
	pieces = nil

	covered := make([]float64, n)
	twice := make([]float64, n) // covered area of region i already counted in an earlier region
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(perRegion[order[a]]) > len(perRegion[order[b]]) })
	err = shareParallel(ctx, n, rg.workers, func(k int) error {
		i := order[k]
		if len(perRegion[i]) == 0 {
			return nil
		}
		u, err := geo.Dissolve(perRegion[i])
		if err != nil {
			return fmt.Errorf("analysis: region %s: dissolving layer %s: %w", rg.Label(i), layer.Name, err)
		}
		perRegion[i] = nil
		covered[i] = clampArea(u.AreaM2(), rg.AreaM2[i])
		if rg.priorM2[i] > 0 {
			o, err := geo.Intersect(u, rg.prior[i])
			if err != nil {
				return fmt.Errorf("analysis: region %s: layer %s inside its overlap with earlier regions: %w", rg.Label(i), layer.Name, err)
			}
			twice[i] = clampArea(o.Polygonal().AreaM2(), covered[i])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rg.result(layer, opt, covered, twice, repairs), nil
}

// result assembles the ShareResult from the per-region measurements.
func (rg *Regions) result(layer *geo.Layer, opt ShareOptions, covered, twice []float64, repairs []Repair) *ShareResult {
	res := &ShareResult{Layer: layer.Name, Features: layer.Len(), AreaMethod: AreaMethod, Engine: geo.EngineName,
		Whole: opt.Whole, Regions: []RegionShare{}, RegionOverlaps: rg.Overlaps, RegionGaps: rg.Gaps,
		Repairs: append(append([]Repair{}, rg.Repairs...), repairs...)}
	if res.RegionOverlaps == nil {
		res.RegionOverlaps = []RegionOverlap{}
	}
	if res.RegionGaps == nil {
		res.RegionGaps = []RegionGap{}
	}
	t := opt.Target
	if t.IsSet() {
		res.Target = t.Text
		if t.Pct > 0 {
			res.TargetPct = &t.Pct
		} else {
			res.TargetM2 = &t.AreaM2
		}
	}
	tot := &res.Total
	tot.Regions = rg.Layer.Len()
	tot.AreaM2 = rg.UnionM2
	for i := range rg.Layer.Features {
		f := &rg.Layer.Features[i]
		tot.RegionsSumM2 += rg.AreaM2[i]
		tot.CoveredM2 += covered[i] - twice[i]
		if opt.Whole {
			continue
		}
		r := RegionShare{Index: f.Index, ID: f.ID, Name: rg.Names[i], AreaM2: rg.AreaM2[i], CoveredM2: covered[i],
			SharePct: pct(covered[i], rg.AreaM2[i]), Geom: f.Geom}
		if t.Pct > 0 {
			r.MeetsTarget = boolPtr(r.SharePct >= t.Pct)
		}
		res.Regions = append(res.Regions, r)
	}
	for _, g := range rg.Gaps {
		tot.GapsM2 += g.AreaM2
	}
	tot.CoveredM2 = math.Max(0, math.Min(tot.CoveredM2, tot.AreaM2))
	tot.SharePct = pct(tot.CoveredM2, tot.AreaM2)
	switch {
	case t.Pct > 0:
		tot.MeetsTarget = boolPtr(tot.SharePct >= t.Pct)
	case t.AreaM2 > 0:
		tot.MeetsTarget = boolPtr(tot.CoveredM2 >= t.AreaM2)
	}
	return res
}

func boolPtr(b bool) *bool { return &b }

// clampArea caps a part's area at its whole's when it exceeds it only by
// rounding (1e-9 relative); a larger excess is left visible.
func clampArea(part, whole float64) float64 {
	if part > whole && part-whole <= 1e-9*whole {
		return whole
	}
	return part
}

// layerShapes validates the features in use (in parallel) and returns
// their valid polygonal shapes, repairing exactly what can be repaired.
func layerShapes(ctx context.Context, layer *geo.Layer, used []bool, workers int) ([]geo.Shape, []orb.Geometry, []Repair, error) {
	shapes := make([]geo.Shape, layer.Len())
	geoms := make([]orb.Geometry, layer.Len())
	reps := make([]*Repair, layer.Len())
	err := shareParallel(ctx, layer.Len(), workers, func(fi int) error {
		if !used[fi] {
			return nil
		}
		s, g, rep, err := polygonalShape("layer", layer.Name, &layer.Features[fi])
		shapes[fi], geoms[fi], reps[fi] = s, g, rep
		return err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	var out []Repair
	for _, r := range reps {
		if r != nil {
			out = append(out, *r)
		}
	}
	return shapes, geoms, out, nil
}
