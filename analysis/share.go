package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// ShareOptions are the knobs of Share.
type ShareOptions struct {
	Regions RegionOptions
	Target  Target // zero: no target
	// Whole treats all regions as one: only the total is reported (e.g.
	// wetland protection rate = wetland covered by reserves ÷ wetland).
	Whole bool
	// By, when set, breaks the covered area down by the values of this field
	// (Regions.ShareBy): the region × class cross-tab.
	By string
	// validated: every feature of the layer is known valid and polygonal
	// (diff checked them already), so they are not validated again.
	validated bool
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
	// By is the field of the cross-tab by class (ShareOptions.By), "" without.
	By string `json:"by,omitempty"`
}

// RegionShare is one region's area and the area of the dissolved layer
// inside it.
type RegionShare struct {
	Index       int     `json:"index"`
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	AreaM2      float64 `json:"area_m2"`
	CoveredM2   float64 `json:"covered_m2"`
	SharePct    float64 `json:"share_pct"`
	MeetsTarget *bool   `json:"meets_target"`
	// Classes, with ShareOptions.By: the covered area by class value, each
	// class dissolved, largest first.
	Classes []ClassShare `json:"classes,omitempty"`
	// Warnings, with ShareOptions.By: the classes overlap each other in the
	// region (its class rows add up to more than CoveredM2).
	Warnings []ResultWarning `json:"warnings,omitempty"`
	Geom     orb.Geometry    `json:"-"`
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
	// Classes, with ShareOptions.By: per class over the union of the regions.
	Classes []ClassShare `json:"classes,omitempty"`
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
	cands, valid, repairs, err := rg.prepare(ctx, layer, opt.validated)
	if err != nil {
		return nil, err
	}
	jobs := make([]coverJob, len(cands))
	for i := range cands {
		jobs[i] = coverJob{region: i, feats: cands[i]}
	}
	covered, twice, err := rg.measure(ctx, layer, jobs, valid)
	if err != nil {
		return nil, err
	}
	return rg.result(layer, opt, covered, twice, repairs), nil
}

// prepare finds each region's candidate features of layer (by box) and
// validates the features in use (unless they are known valid already).
func (rg *Regions) prepare(ctx context.Context, layer *geo.Layer, validated bool) (cands [][]int, valid []*geo.Feature, repairs []Repair, err error) {
	feats := rg.Layer.Features
	cands = make([][]int, len(feats))
	used := make([]bool, layer.Len())
	for i := range feats {
		layer.Candidates(feats[i].Bound, func(fi int, _ *geo.Feature) bool {
			cands[i] = append(cands[i], fi)
			used[fi] = true
			return true
		})
	}
	valid, repairs, err = layerFeatures(ctx, layer, used, rg.workers, validated)
	return cands, valid, repairs, err
}

// coverJob is region ∩ the union of some of a layer's features.
type coverJob struct {
	region int
	feats  []int // candidate feature indexes
}

// measure measures each job: per job, the covered area and the part of it
// already counted in an earlier region (covered[j], twice[j]). Jobs whose
// region overlaps earlier ones need the dissolved geometry (to measure the
// part counted twice): they take the overlay path whole. The others are
// measured per group of features whose boxes touch, by the boundary walk
// where it applies, else by overlay. Work runs in parallel over groups.
func (rg *Regions) measure(ctx context.Context, layer *geo.Layer, jobs []coverJob, valid []*geo.Feature) (covered, twice []float64, err error) {
	type task struct {
		job   int
		group []int // feature indexes; nil = the whole job by overlay
	}
	var tasks []task
	for j, jb := range jobs {
		if rg.priorM2[jb.region] > 0 {
			tasks = append(tasks, task{job: j})
			continue
		}
		for _, g := range boxGroups(layer, jb.feats) {
			tasks = append(tasks, task{j, g})
		}
	}
	areas := make([]float64, len(tasks))
	seconds := make([]float64, len(tasks))
	err = par.For(ctx, len(tasks), rg.workers, func(_, ti int) error {
		t := tasks[ti]
		jb := jobs[t.job]
		if t.group == nil {
			c, tw, err := rg.overlayCovered(jb.region, rg.geoms[jb.region], jb.feats, layer, valid)
			areas[ti], seconds[ti] = c, tw
			return err
		}
		a, err := rg.groupCovered(jb.region, rg.geoms[jb.region], t.group, layer, valid)
		areas[ti] = a
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	covered, twice = make([]float64, len(jobs)), make([]float64, len(jobs))
	for ti, t := range tasks {
		covered[t.job] += areas[ti]
		twice[t.job] += seconds[ti]
	}
	for j, jb := range jobs {
		covered[j] = clampArea(covered[j], rg.AreaM2[jb.region])
		twice[j] = clampArea(twice[j], covered[j])
	}
	return covered, twice, nil
}

// groupCovered measures region i ∩ the union of one group of features
// whose boxes touch only each other (geo.Cover: the boundary walk when the
// boundaries are in general position, else clip and dissolve). A group whose
// features each lie wholly inside or outside the region (by its boundary
// grid) is measured without a clip.
func (rg *Regions) groupCovered(i int, region orb.Geometry, group []int, layer *geo.Layer, valid []*geo.Feature) (float64, error) {
	cv := geo.Cover{Clip: region, ClipShape: rg.shapes[i], Grid: rg.grids[i]}
	var gb orb.Bound
	inside := true // the whole group is clear of the region's boundary
	for k, fi := range group {
		f := valid[fi]
		cv.Features = append(cv.Features, f)
		if k == 0 {
			gb = f.Bound
		} else {
			gb = gb.Union(f.Bound)
		}
		inside = inside && rg.grids[i].Clear(f.Geom)
	}
	if inside && !rg.grids[i].VertexIn(gb) {
		// Each feature lies wholly inside or outside the region: keep the
		// inside ones and measure their union without a clip.
		var kept geo.Cover
		split := false // a feature with parts on both sides: clip after all
		for _, f := range cv.Features {
			all, none := rg.grids[i].PartsInside(f.Geom)
			if all && !none {
				kept.Features = append(kept.Features, f)
			} else if split = !(none && !all); split {
				break
			}
		}
		if !split {
			cv = kept
		}
	}
	a, _, err := cv.AreaM2()
	if err != nil {
		return 0, fmt.Errorf("analysis: region %s × layer %s: %w", rg.Label(i), layer.Name, err)
	}
	return a, nil
}

// overlayCovered measures region i by overlay: clip every candidate,
// dissolve, and measure the part inside earlier regions too.
func (rg *Regions) overlayCovered(i int, region orb.Geometry, cands []int, layer *geo.Layer, valid []*geo.Feature) (covered, twice float64, err error) {
	cv := geo.Cover{Clip: region, ClipShape: rg.shapes[i], Grid: rg.grids[i]}
	for _, fi := range cands {
		cv.Features = append(cv.Features, valid[fi])
	}
	u, err := cv.Union()
	if err != nil {
		return 0, 0, fmt.Errorf("analysis: region %s × layer %s: %w", rg.Label(i), layer.Name, err)
	}
	covered = u.AreaM2()
	if rg.priorM2[i] > 0 {
		o, err := geo.Intersect(u, rg.prior[i])
		if err != nil {
			return 0, 0, fmt.Errorf("analysis: region %s: layer %s inside its overlap with earlier regions: %w", rg.Label(i), layer.Name, err)
		}
		twice = o.Polygonal().AreaM2()
	}
	return covered, twice, nil
}

// boxGroups splits features (indexes into layer) into groups whose boxes
// overlap only within the group.
func boxGroups(layer *geo.Layer, idx []int) [][]int {
	bounds := make([]orb.Bound, len(idx))
	for k, fi := range idx {
		bounds[k] = layer.Features[fi].Bound
	}
	groups := geo.BoundGroups(bounds)
	for _, g := range groups {
		for k, pos := range g {
			g[k] = idx[pos]
		}
	}
	return groups
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

// layerFeatures validates the features in use (in parallel) and returns
// them with valid polygonal geometries (nil where not in use), repairing
// exactly what can be repaired. Engine shapes are built only where the
// overlay needs them. Features known valid (validated) are taken as they are.
func layerFeatures(ctx context.Context, layer *geo.Layer, used []bool, workers int, validated bool) ([]*geo.Feature, []Repair, error) {
	valid := make([]*geo.Feature, layer.Len())
	reps := make([]*Repair, layer.Len())
	err := par.For(ctx, layer.Len(), workers, func(_, fi int) error {
		if !used[fi] {
			return nil
		}
		if validated {
			valid[fi] = &layer.Features[fi]
			return nil
		}
		f, rep, err := polygonalFeature("layer", layer.Name, &layer.Features[fi])
		valid[fi], reps[fi] = f, rep
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	var out []Repair
	for _, r := range reps {
		if r != nil {
			out = append(out, *r)
		}
	}
	return valid, out, nil
}
