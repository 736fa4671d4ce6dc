package analysis

import (
	"fmt"
	"math"
	"strings"

	"github.com/redline-gis/redline/geo"
)

// layerTotals measures the site against the dissolved layer.
func (s *screener) layerTotals(f *geo.Feature, dim int, pieces []geo.Shape, hits []*geo.Feature, crossed []geo.ClipCrossing,
	lo *LayerOverlap, c *Constraint, r SiteResult) error {
	if len(pieces) == 0 {
		return nil
	}
	switch dim {
	case 2:
		if len(pieces) == 1 { // one feature: the layer's overlap is that conflict's
			for _, cn := range r.Conflicts {
				if cn.Layer == c.Name {
					lo.OverlapM2, lo.OverlapPct = cn.OverlapM2, cn.OverlapPct
				}
			}
			return nil
		}
		// The site's crossings with each feature were found when measuring
		// the conflicts: the walk only looks for those between features.
		cv := geo.Cover{Clip: f.Geom, ClipFeature: f, Features: hits, Pieces: pieces, Crossed: crossed}
		if !geo.IsPolygonal(f.Geom) { // only the overlay applies
			cv = geo.Cover{Clip: f.Geom, ClipFeature: f, Shapes: shapesOf(hits), Pieces: pieces}
		}
		a, _, err := cv.AreaM2()
		if err != nil {
			return fmt.Errorf("analysis: site %s: layer %s: %w", f.Label(), c.Name, err)
		}
		lo.OverlapM2 = min(a, r.AreaM2)
		lo.OverlapPct = pct(lo.OverlapM2, r.AreaM2)
	case 1:
		// Length inside the union = length − length outside every feature.
		rest := f.Shape()
		for _, fs := range shapesOf(hits) {
			d, err := geo.Difference(rest, fs)
			if err != nil {
				return fmt.Errorf("analysis: site %s: layer %s: %w", f.Label(), c.Name, err)
			}
			rest = d
		}
		lo.LengthInsideM = math.Max(0, r.LengthM-rest.Linear().LengthM())
		lo.OverlapPct = pct(lo.LengthInsideM, r.LengthM)
	}
	return nil
}

// nearby measures the distance to a feature the site does not overlap.
// A touching feature is at 0 m; others are measured only up to reachM.
func (s *screener) nearby(f *geo.Feature, typ string, c *Constraint, fi int, touching bool, reachM float64) (Nearby, bool, error) {
	cf := &c.Layer.Features[fi]
	var near geo.Nearest
	if !touching {
		// The candidate loop found them apart (disjoint boxes, a zero
		// boundary-walk area, or an empty intersection).
		var within bool
		if near, within = geo.ApartNearestWithinM(f.Geom, cf.Geom, reachM); !within {
			return Nearby{}, false, nil
		}
	}
	d := near.DistanceM
	nb := Nearby{SitePoint: near.A, FeaturePoint: near.B, Layer: c.Name, Kind: c.Kind, FeatureIndex: cf.Index, FeatureID: cf.ID, FeatureName: c.Names[fi],
		Zone: c.Zones[fi], DistanceM: d, Touching: d == 0}
	rule := s.rules.MatchProximity(c.Kind, nb.Zone, typ, d)
	if rule != nil {
		nb.Verdict, nb.RuleID, nb.Rule, nb.RuleEN, nb.Basis, nb.BasisEN = rule.Verdict, rule.ID, rule.Text, rule.TextEN, rule.Basis, rule.BasisEN
	}
	return nb, d <= s.opt.NearM || rule != nil, nil
}

// decide sets the verdict, rule and basis of a conflict. A control unit's
// conflict also gets the access list clauses that match the site; a clause
// stricter than the rule book's verdict decides, and then its text and
// source are the conflict's rule and basis.
func (s *screener) decide(cn *Conflict, c *Constraint, typ, industry string) {
	if rule := s.rules.Match(c.Kind, cn.Zone, typ); rule != nil {
		cn.Verdict, cn.RuleID, cn.Rule, cn.RuleEN, cn.Basis, cn.BasisEN = rule.Verdict, rule.ID, rule.Text, rule.TextEN, rule.Basis, rule.BasisEN
	} else {
		cn.Verdict, cn.Rule, cn.RuleEN = Allowed, NoRuleText, NoRuleTextEN
	}
	if c.Kind != KindControlUnit {
		return
	}
	cn.Clauses = s.opt.Access.Match(cn.UnitCode, cn.Zone, typ, industry)
	var strictest *AccessClause
	for i := range cn.Clauses {
		if strictest == nil || cn.Clauses[i].Verdict > strictest.Verdict {
			strictest = &cn.Clauses[i]
		}
	}
	if strictest != nil && (strictest.Verdict > cn.Verdict || cn.RuleID == "") {
		cn.Verdict, cn.RuleID = strictest.Verdict, fmt.Sprintf("access-list:%d", strictest.Line)
		cn.Rule, cn.RuleEN, cn.Basis, cn.BasisEN = strictest.Text, "", strictest.Source, ""
	}
}

// siteIndustry reads a site's GB/T 4754 industry code; a value that is not
// one is an error naming the site (a silent mismatch would hide clauses).
func siteIndustry(f *geo.Feature) (string, error) {
	raw, ok := lookupFold(f.Props, SiteIndustryFields)
	if !ok || strings.TrimSpace(raw) == "" {
		return "", nil
	}
	code, ok := normaliseIndustry(raw)
	if !ok {
		return "", fmt.Errorf("analysis: site %s: industry code %q is not a GB/T 4754-2017 code (a section letter and up to four digits: C26, C2614)", f.Label(), raw)
	}
	return code, nil
}

// fastOverlapM2 measures a polygon site against a polygon feature by the
// boundary walk; ok is false when that does not apply. cross is where the
// boundaries cross (or that they touch), for the layer's total.
func fastOverlapM2(dim int, site, f *geo.Feature) (a float64, cross geo.ClipCrossing, ok bool) {
	if dim != 2 || !geo.IsPolygonal(site.Geom) || !geo.IsPolygonal(f.Geom) {
		return 0, geo.ClipCrossing{}, false
	}
	cv := geo.Cover{Clip: site.Geom, ClipFeature: site, Features: []*geo.Feature{f}}
	a, ok = cv.WalkAreaM2()
	return a, cv.Crossed[0], ok
}

// shapesOf returns the features' engine forms.
func shapesOf(fs []*geo.Feature) []geo.Shape {
	out := make([]geo.Shape, len(fs))
	for i, f := range fs {
		out[i] = f.Shape()
	}
	return out
}

func pct(part, whole float64) float64 {
	if whole <= 0 {
		return 0
	}
	return math.Min(100, 100*part/whole)
}

func layerPos(ls []*Constraint, name string) int {
	for i, l := range ls {
		if l.Name == name {
			return i
		}
	}
	return len(ls)
}
