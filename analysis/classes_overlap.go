package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/redline-gis/redline/geo"
)

// WarnOverlappingClasses is the Kind of a ResultWarning that a class layer's
// features of different classes overlap inside the site (or region), so that
// its class rows add up to more than the site (the region's covered area).
const WarnOverlappingClasses = "overlapping_classes"

// ResultWarning is something about a site's or region's result worth a look
// that changes no number. Kind says what it is (WarnOverlappingClasses); the other fields
// belong to that kind.
type ResultWarning struct {
	Kind  string `json:"kind"`
	Layer string `json:"layer"`
	Field string `json:"field"`
	// ExcessM2 is how much the site's class rows (the 未覆盖 row included)
	// add up to more than the site: the area counted in two classes or more.
	ExcessM2 float64 `json:"excess_m2"`
	// Overlaps are the pairs of features of different classes that overlap
	// inside the site, largest first (at most maxClassPairs looked at). A
	// region's warning lists none (a region meets too many features to pair
	// them: redline overlaps finds them).
	Overlaps []ClassPairOverlap `json:"overlaps"`
}

// ClassPairOverlap is the area inside a site that two features of different
// classes both cover.
type ClassPairOverlap struct {
	FeatureIndex int     `json:"feature_index"`
	FeatureID    string  `json:"feature_id"`
	Value        string  `json:"value"`
	OtherIndex   int     `json:"other_index"`
	OtherID      string  `json:"other_id"`
	OtherValue   string  `json:"other_value"`
	OverlapM2    float64 `json:"overlap_m2"`
}

// maxClassPairs bounds the pairs measured for one warning: a site meets
// few features of a land-use layer, and the warning needs only the largest.
const maxClassPairs = 1000

// classOverlapTolM2 is the excess below which class rows are taken to add
// up to the site (the rows and the layer's total are measured apart, each
// to about 1e-9 of the site): 0.01 m², or 1e-9 of the site if larger.
func classOverlapTolM2(siteArea float64) float64 { return math.Max(0.01, 1e-9*siteArea) }

// checkClassSum returns a warning when a polygon site's class rows add up to
// more than the layer's dissolved overlap lo (the rows and 未覆盖 then sum to
// more than the site): features of different classes overlap in the site.
// It changes no row.
func checkClassSum(f *geo.Feature, siteArea float64, l *geo.Layer, cl *Classes, members []classMember, rows []ClassOverlap, lo LayerOverlap) (*ResultWarning, error) {
	sum := 0.0
	for _, r := range rows {
		if !r.Uncovered {
			sum += r.OverlapM2
		}
	}
	excess := sum - lo.OverlapM2
	tol := classOverlapTolM2(siteArea)
	if excess <= tol {
		return nil, nil
	}
	// In feature order, so that the pairs (and the cap) do not depend on
	// the order the layer's index gave the members in.
	members = slices.Clone(members)
	slices.SortFunc(members, func(a, b classMember) int { return cmp.Compare(l.Features[a.fi].Index, l.Features[b.fi].Index) })
	w := &ResultWarning{Kind: WarnOverlappingClasses, Layer: cl.Layer, Field: cl.Field, ExcessM2: excess, Overlaps: []ClassPairOverlap{}}
	single := make([]float64, len(members))
	for k := range single {
		single[k] = -1
	}
	area := func(ms ...classMember) (float64, error) { return membersAreaM2(f, ms) }
	pairs := 0
	for i := 0; i < len(members) && pairs < maxClassPairs; i++ {
		for j := i + 1; j < len(members) && pairs < maxClassPairs; j++ {
			a, b := members[i], members[j]
			if cl.Keys[a.fi] == cl.Keys[b.fi] || !a.f.Bound.Intersects(b.f.Bound) {
				continue
			}
			pairs++
			for _, k := range []int{i, j} {
				if single[k] < 0 {
					s, err := area(members[k])
					if err != nil {
						return nil, err
					}
					single[k] = s
				}
			}
			u, err := area(a, b)
			if err != nil {
				return nil, err
			}
			if ov := single[i] + single[j] - u; ov > tol {
				fa, fb := &l.Features[a.fi], &l.Features[b.fi]
				w.Overlaps = append(w.Overlaps, ClassPairOverlap{
					FeatureIndex: fa.Index, FeatureID: fa.ID, Value: cl.Values[a.fi],
					OtherIndex: fb.Index, OtherID: fb.ID, OtherValue: cl.Values[b.fi], OverlapM2: ov})
			}
		}
	}
	slices.SortStableFunc(w.Overlaps, func(x, y ClassPairOverlap) int {
		return cmp.Or(cmp.Compare(y.OverlapM2, x.OverlapM2), cmp.Compare(x.FeatureIndex, y.FeatureIndex), cmp.Compare(x.OtherIndex, y.OtherIndex))
	})
	return w, nil
}

// classWarning is checkClassSum for the screener, located like its errors.
func classWarning(f *geo.Feature, dim int, siteArea float64, l *geo.Layer, cl *Classes, members []classMember, rows []ClassOverlap, lo LayerOverlap) (*ResultWarning, error) {
	if dim != 2 || cl == nil {
		return nil, nil
	}
	w, err := checkClassSum(f, siteArea, l, cl, members, rows, lo)
	if err != nil {
		return nil, fmt.Errorf("analysis: site %s: layer %s: overlapping classes: %w", f.Label(), cl.Layer, err)
	}
	return w, nil
}
