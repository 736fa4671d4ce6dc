package analysis

import (
	"cmp"
	"context"
	"slices"

	"github.com/redline-gis/redline/geo"
)

// ClassShare is the area of one class value of a layer (its features
// dissolved) inside a region, or inside the union of the regions.
type ClassShare struct {
	Value     string  `json:"value"`
	Code      string  `json:"code,omitempty"`
	CoveredM2 float64 `json:"covered_m2"`
	SharePct  float64 `json:"share_pct"`  // of the region's area
	OfCovered float64 `json:"of_covered"` // per cent of the region's covered area
}

// ShareBy is Share with the covered area of each region broken down by the
// values of field (ArcGIS's Tabulate Intersection): per region and class the
// area of region ∩ (the class's features dissolved), measured like Share
// (geo.Cover). The region's CoveredM2 is the whole layer dissolved, measured
// on its own, so that when classes do not overlap each other the class
// columns add up to it. Any number of distinct values costs n log n: each
// region's candidates are grouped by class once.
func (rg *Regions) ShareBy(ctx context.Context, layer *geo.Layer, field string, opt ShareOptions) (*ShareResult, error) {
	cl, err := NewClasses(layer, field)
	if err != nil {
		return nil, err
	}
	cands, valid, repairs, err := rg.prepare(ctx, layer, opt.validated)
	if err != nil {
		return nil, err
	}
	jobs := make([]coverJob, len(cands))
	for i := range cands {
		jobs[i] = coverJob{region: i, feats: cands[i]}
	}
	// One job per region and class present in it, regions in order.
	type slot struct{ class int }
	classOf := map[string]int{}
	var keys []string
	var slots []slot
	for i := range cands {
		at := map[int]int{} // class → job of region i
		for _, fi := range cands[i] {
			k, ok := classOf[cl.Keys[fi]]
			if !ok {
				k = len(keys)
				classOf[cl.Keys[fi]] = k
				keys = append(keys, cl.Keys[fi])
			}
			j, ok := at[k]
			if !ok {
				j = len(jobs)
				at[k] = j
				jobs = append(jobs, coverJob{region: i})
				slots = append(slots, slot{k})
			}
			jobs[j].feats = append(jobs[j].feats, fi)
		}
	}
	covered, twice, err := rg.measure(ctx, layer, jobs, valid)
	if err != nil {
		return nil, err
	}
	n := len(cands)
	res := rg.result(layer, opt, covered[:n], twice[:n], repairs)
	res.By = cl.Field
	value, code := classLabels(cl, keys)
	totals := make([]float64, len(keys))
	perRegion := make([][]ClassShare, n)
	for s, sl := range slots {
		j := n + s
		i := jobs[j].region
		totals[sl.class] += covered[j] - twice[j]
		if covered[j] > 0 {
			perRegion[i] = append(perRegion[i], ClassShare{Value: value[sl.class], Code: code[sl.class], CoveredM2: covered[j],
				SharePct: pct(covered[j], rg.AreaM2[i]), OfCovered: pct(covered[j], covered[i])})
		}
	}
	if !opt.Whole {
		for i := range res.Regions {
			res.Regions[i].Classes = sortClassShares(perRegion[i])
			sum := 0.0
			for _, c := range perRegion[i] {
				sum += c.CoveredM2
			}
			// Classes of one layer overlapping each other: said, not corrected.
			if excess := sum - covered[i]; excess > classOverlapTolM2(rg.AreaM2[i]) {
				res.Regions[i].Warnings = []ResultWarning{{Kind: WarnOverlappingClasses, Layer: layer.Name, Field: cl.Field,
					ExcessM2: excess, Overlaps: []ClassPairOverlap{}}}
			}
		}
	}
	var tot []ClassShare
	for k := range keys {
		if a := max(0, totals[k]); a > 0 {
			tot = append(tot, ClassShare{Value: value[k], Code: code[k], CoveredM2: a,
				SharePct: pct(a, res.Total.AreaM2), OfCovered: pct(a, res.Total.CoveredM2)})
		}
	}
	res.Total.Classes = sortClassShares(tot)
	return res, nil
}

// classLabels gives each class key its shown value and code (the code only
// when every feature of the class has the same one).
func classLabels(cl *Classes, keys []string) (value, code []string) {
	idx := map[string]int{}
	for k, key := range keys {
		idx[key] = k
	}
	value, code = make([]string, len(keys)), make([]string, len(keys))
	seen := make([]bool, len(keys))
	for fi, key := range cl.Keys {
		k, ok := idx[key]
		if !ok {
			continue
		}
		if !seen[k] {
			seen[k], value[k], code[k] = true, cl.Values[fi], cl.Codes[fi]
		} else if code[k] != cl.Codes[fi] {
			code[k] = ""
		}
	}
	return value, code
}

func sortClassShares(rows []ClassShare) []ClassShare {
	if rows == nil {
		return []ClassShare{}
	}
	slices.SortStableFunc(rows, func(a, b ClassShare) int {
		if c := cmp.Compare(b.CoveredM2, a.CoveredM2); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return rows
}
