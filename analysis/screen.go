package analysis

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// The rule text of a conflict that no rule restricts.
const (
	NoRuleText   = "规则库未对此情形作出限制（重叠仍予列出）"
	NoRuleTextEN = "no rule in the rule book restricts this (the overlap is still listed)"
)

// AreaMethod names how areas are measured, for reports.
const AreaMethod = "cgcs2000-ellipsoidal"

// ScreenOptions are the knobs of Screen.
type ScreenOptions struct {
	Type    string  // project type for every site; "" = each site's project_type/项目类型, else "other"
	NearM   float64 // report features within this distance, m (0: only touching ones; proximity rules may look farther)
	Workers int     // parallel sites (default: all cores)
	// Progress, if set, is called after each site with the number of sites
	// done and the total; it may be called from several goroutines at once.
	Progress func(done, total int)
	// Invalid says what to do with an invalid site or layer feature.
	Invalid InvalidPolicy
	// Pieces asks for each conflict's overlap piece (site ∩ feature), for
	// reports that write or draw them; without it a polygon conflict may
	// carry an empty Piece.
	Pieces bool
	// By breaks layers down by the values of a field (SiteResult.Classes).
	// A layer named here whose kind no rule mentions gives no conflicts and
	// no nearby features, only its classes.
	By []ClassBy
	// Access is the access list (生态环境准入清单) of control_unit layers.
	Access *AccessList
	// NotScreened are the sites the reader could not turn into features
	// (no geometry): each is kept in the result, in input order, with the
	// verdict Error and its reason.
	NotScreened []NotScreened
	// Emit, if set, is given each site's result in the order of the
	// result's Sites, as soon as it and all before it are done, and Sites
	// stays empty: a writer of one format then need not hold every row (a
	// large run's conflicts are most of what screening adds to memory).
	// An error from Emit stops the run.
	Emit func(*SiteResult) error
	// ReleaseSites, with Emit, clears each site's feature in the sites
	// layer once the site is emitted, so that its geometry and what was
	// derived from it (the walk shape, the engine's form) can be collected
	// while the run goes on: for a caller that is done with the sites.
	ReleaseSites bool
}

// NotScreened is a site without a usable geometry.
type NotScreened struct {
	Index  int
	ID     string
	Props  map[string]any
	Reason string
}

// LayerRef names a constraint layer in a result.
type LayerRef struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Features int    `json:"features"`
}

// ScreenResult is the outcome of screening; its JSON is the contract of
// `redline screen --format json`.
type ScreenResult struct {
	AreaMethod string       `json:"area_method"`
	Engine     string       `json:"engine"`
	Layers     []LayerRef   `json:"layers"`
	Sites      []SiteResult `json:"sites"`
	Summary    ScreenCounts `json:"summary"`
	// Repairs lists the invalid features met and skipped or repaired
	// (--skip-invalid, --repair); sites first, then layers in order.
	Repairs []Repair `json:"repairs"`
	// Invalid is Repairs under its old key, kept for one release (CHANGELOG.md).
	Invalid []Repair `json:"invalid"`
}

// ScreenCounts counts sites by verdict.
type ScreenCounts struct {
	Sites      int `json:"sites"`
	Prohibited int `json:"prohibited"`
	Restricted int `json:"restricted"`
	Review     int `json:"review"`
	Allowed    int `json:"allowed"`
	Clear      int `json:"clear"`
	// Error counts the sites that could not be screened (verdict error).
	Error int `json:"error"`
}

// SiteResult is what one site touches, how much, what is near, and the verdict.
type SiteResult struct {
	Index        int     `json:"index"`
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	GeometryType string  `json:"geometry_type"`
	AreaM2       float64 `json:"area_m2"`
	LengthM      float64 `json:"length_m"`
	ProjectType  string  `json:"project_type"`
	Industry     string  `json:"industry,omitempty"` // GB/T 4754 code, from the site's 行业代码/industry
	Verdict      Verdict `json:"verdict"`
	// Error says why a site with the verdict error was not screened.
	Error     string         `json:"error,omitempty"`
	Layers    []LayerOverlap `json:"layers"`
	Conflicts []Conflict     `json:"conflicts"`
	Nearby    []Nearby       `json:"nearby"`
	// Classes, with ScreenOptions.By, is the site's table by class, per
	// layer in order: one row per class value, then the uncovered part.
	Classes []ClassOverlap `json:"classes,omitempty"`
	// Warnings say what in the site's result is worth a look without
	// changing a number (a class layer whose classes overlap in the site).
	Warnings []ResultWarning `json:"warnings,omitempty"`
	Geom     orb.Geometry    `json:"-"`
}

// LayerOverlap is a site's overlap with a whole layer, after dissolving the
// layer: overlapping features never count twice.
type LayerOverlap struct {
	Layer         string  `json:"layer"`
	OverlapM2     float64 `json:"overlap_m2"`
	OverlapPct    float64 `json:"overlap_pct"` // of the site's area, or of its length for a line
	LengthInsideM float64 `json:"length_inside_m"`
	Inside        bool    `json:"inside"` // the site meets the layer's interior (any geometry type)
}

// Conflict is a site's overlap with one feature, and the rule that decides it.
type Conflict struct {
	Layer         string  `json:"layer"`
	Kind          string  `json:"kind"`
	FeatureIndex  int     `json:"feature_index"`
	FeatureID     string  `json:"feature_id"`
	FeatureName   string  `json:"feature_name"`
	Zone          string  `json:"zone"`
	OverlapM2     float64 `json:"overlap_m2"`
	OverlapPct    float64 `json:"overlap_pct"`
	LengthInsideM float64 `json:"length_inside_m"`
	Verdict       Verdict `json:"verdict"`
	RuleID        string  `json:"rule_id"`
	Rule          string  `json:"rule"`
	RuleEN        string  `json:"rule_en,omitempty"`
	Basis         string  `json:"basis"`
	BasisEN       string  `json:"basis_en,omitempty"`
	// UnitCode and Clauses, for a control unit: the unit's code and the
	// access list clauses that match the site, most specific first; the
	// conflict's verdict is the strictest of them and the rule book's.
	UnitCode string         `json:"unit_code,omitempty"`
	Clauses  []AccessClause `json:"clauses,omitempty"`
	Piece    geo.Shape      `json:"-"` // site ∩ feature
}

// Nearby is a feature the site does not overlap but comes within reach of;
// a feature it only touches is listed here with distance 0.
type Nearby struct {
	Layer        string  `json:"layer"`
	Kind         string  `json:"kind"`
	FeatureIndex int     `json:"feature_index"`
	FeatureID    string  `json:"feature_id"`
	FeatureName  string  `json:"feature_name"`
	Zone         string  `json:"zone"`
	DistanceM    float64 `json:"distance_m"`
	Touching     bool    `json:"touching"`
	Verdict      Verdict `json:"verdict"` // from a proximity rule, else clear
	RuleID       string  `json:"rule_id,omitempty"`
	Rule         string  `json:"rule,omitempty"`
	RuleEN       string  `json:"rule_en,omitempty"`
	Basis        string  `json:"basis,omitempty"`
	BasisEN      string  `json:"basis_en,omitempty"`
	// The nearest points of the site and the feature (not set when touching),
	// kept for maps that draw the distance.
	SitePoint, FeaturePoint orb.Point `json:"-"`
}

// Screen checks every site against every constraint layer with the rules.
// Sites are screened in parallel; results keep the sites' input order.
func Screen(ctx context.Context, sites *geo.Layer, layers []*Constraint, rules *RuleBook, opt ScreenOptions) (*ScreenResult, error) {
	opt.NearM = math.Max(0, opt.NearM)
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	res := &ScreenResult{AreaMethod: AreaMethod, Engine: geo.EngineName}
	for _, c := range layers {
		res.Layers = append(res.Layers, LayerRef{Name: c.Name, Kind: c.Kind, Features: c.Layer.Len()})
	}
	s := &screener{layers: layers, rules: rules, opt: opt, reach: math.Max(opt.NearM, rules.MaxProximityM())}
	if err := s.readClasses(); err != nil {
		return nil, err
	}
	s.checks = make([]runChecks, len(layers))
	siteChecks := make([]checked, sites.Len())
	var em *emitter
	if opt.Emit != nil {
		em = &emitter{emit: opt.Emit, notScreened: opt.NotScreened, pending: map[int]*SiteResult{}, summary: &res.Summary}
		if opt.ReleaseSites {
			em.release = sites
		}
	} else {
		res.Sites = make([]SiteResult, sites.Len())
	}
	var done atomic.Int64
	err := par.For(ctx, sites.Len(), opt.Workers, func(_, i int) error {
		sf, err := checkFeature(&siteChecks[i], "sites", sites.Name, &sites.Features[i], opt.Invalid,
			func() []geo.Problem { return geo.Validate(sites.Features[i].Geom) })
		if err != nil {
			return err
		}
		if sf == nil {
			if em != nil {
				return em.done(i, nil)
			}
			res.Sites[i].Index = -1 // skipped
			return nil
		}
		r, err := s.site(sf)
		if err != nil {
			return err
		}
		if em != nil {
			held := r // escapes to the emitter; r itself stays on the stack
			err = em.done(i, &held)
		} else {
			res.Sites[i] = r
		}
		if opt.Progress != nil {
			opt.Progress(int(done.Add(1)), sites.Len())
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if em != nil {
		if err := em.finish(); err != nil {
			return nil, err
		}
	} else {
		kept := res.Sites[:0]
		for _, r := range res.Sites {
			if r.Index >= 0 {
				kept = append(kept, r)
				res.Summary.add(r.Verdict)
			}
		}
		res.Sites = mergeNotScreened(kept, opt.NotScreened)
		for range opt.NotScreened {
			res.Summary.add(Error)
		}
	}
	res.Repairs = []Repair{}
	for i := range siteChecks {
		if siteChecks[i].note != nil {
			res.Repairs = append(res.Repairs, *siteChecks[i].note)
		}
	}
	for li := range s.checks {
		// In feature order, as the features are in the layer.
		m := s.checks[li].m
		idx := make([]int, 0, len(m))
		for fi := range m {
			idx = append(idx, fi)
		}
		slices.Sort(idx)
		for _, fi := range idx {
			if m[fi].note != nil {
				res.Repairs = append(res.Repairs, *m[fi].note)
			}
		}
	}
	res.Invalid = res.Repairs
	return res, nil
}

func (c *ScreenCounts) add(v Verdict) {
	c.Sites++
	switch v {
	case Prohibited:
		c.Prohibited++
	case Restricted:
		c.Restricted++
	case Review:
		c.Review++
	case Allowed:
		c.Allowed++
	case Error:
		c.Error++
	default:
		c.Clear++
	}
}

type screener struct {
	layers []*Constraint
	rules  *RuleBook
	opt    ScreenOptions
	reach  float64     // farthest distance worth looking at, m
	checks []runChecks // per layer: the policy's outcome for its invalid features
	// classes, per layer, is the layer read by its --by field (nil: none);
	// byOnly marks a layer that gives only classes (no rule names its kind).
	classes []*Classes
	byOnly  []bool
}

func siteProjectType(f *geo.Feature, override string) (string, error) {
	raw := override
	if raw == "" {
		raw, _ = lookupFold(f.Props, []string{"project_type", "项目类型"})
	}
	t, err := ParseProjectType(raw)
	if err != nil {
		return "", fmt.Errorf("analysis: site %s: %w", f.Label(), err)
	}
	return t, nil
}

func (s *screener) site(f *geo.Feature) (SiteResult, error) {
	typ, err := siteProjectType(f, s.opt.Type)
	if err != nil {
		return SiteResult{}, err
	}
	dim := geo.Dimension(f)
	r := SiteResult{Index: f.Index, ID: f.ID, Name: propString(f.Props, "", DefaultNameFields),
		GeometryType: f.Geom.GeoJSONType(), AreaM2: geo.AreaM2(f.Geom), LengthM: geo.LengthM(f.Geom),
		ProjectType: typ, Geom: f.Geom}
	if r.Industry, err = siteIndustry(f); err != nil {
		return r, err
	}
	reach := geo.ExpandBoundM(f.Bound, s.reach)
	var cands []int
	for li, c := range s.layers {
		if s.byOnly[li] {
			lo, rows, w, err := s.classesOnly(f, dim, li, r)
			if err != nil {
				return r, err
			}
			r.Layers, r.Classes = append(r.Layers, lo), append(r.Classes, rows...)
			if w != nil {
				r.Warnings = append(r.Warnings, *w)
			}
			continue
		}
		var members []classMember // features the site overlaps, for the table by class
		layerReach := math.Max(s.opt.NearM, s.rules.ReachM(c.Kind, typ))
		lo := LayerOverlap{Layer: c.Name}
		var pieces []geo.Shape         // overlap pieces (empty when not computed)
		var hitFeats []*geo.Feature    // the (checked) features they come from
		var crossed []geo.ClipCrossing // where the site's boundary crosses each, for the layer's total
		var hits []int
		touching := map[int]bool{}
		var firstErr error
		visit := func(fi int, cf *geo.Feature) bool {
			if !cf.Bound.Intersects(f.Bound) {
				// Only near: measured below. A distance is well defined
				// even on an invalid polygon, so it is not validated here.
				hits = append(hits, fi)
				return true
			}
			var err error
			if ps := c.valid.problems(c.Layer, fi); ps != nil {
				cf, err = checkFeature(s.checks[li].get(fi), c.Name, c.Layer.Name, cf, s.opt.Invalid, func() []geo.Problem { return ps })
			}
			if err != nil {
				firstErr = err
				return false
			}
			if cf == nil {
				return true // skipped
			}
			cn := Conflict{Layer: c.Name, Kind: c.Kind, FeatureIndex: cf.Index, FeatureID: cf.ID,
				FeatureName: c.Names[fi], Zone: c.Zones[fi], UnitCode: c.Codes[fi]}
			// A polygon site: the exact area by the boundary walk when the
			// two boundaries are in general position (no overlay needed,
			// and then they cannot touch: zero means apart); the piece
			// itself only when a report draws it.
			a, cross, ok := fastOverlapM2(dim, f, cf)
			if ok {
				if a <= 0 {
					hits = append(hits, fi)
					return true
				}
				if s.opt.Pieces {
					piece, err := geo.IntersectFeature(f.Shape(), cf)
					if err != nil {
						firstErr = fmt.Errorf("analysis: site %s × layer %s %s: %w", f.Label(), c.Name, cf.Label(), err)
						return false
					}
					cn.Piece = piece.Polygonal()
				}
				cn.OverlapM2, cn.OverlapPct = a, pct(a, r.AreaM2)
				s.decide(&cn, c, typ, r.Industry)
				r.Conflicts = append(r.Conflicts, cn)
				pieces = append(pieces, cn.Piece)
				hitFeats = append(hitFeats, cf)
				crossed = append(crossed, cross)
				members = append(members, classMember{fi: fi, f: cf})
				lo.Inside = true
				return true
			}
			piece, err := geo.IntersectFeature(f.Shape(), cf)
			if err != nil {
				firstErr = fmt.Errorf("analysis: site %s × layer %s %s: %w", f.Label(), c.Name, cf.Label(), err)
				return false
			}
			cn.Piece = piece
			inside := false
			switch dim {
			case 2:
				cn.OverlapM2 = piece.Polygonal().AreaM2()
				cn.OverlapPct = pct(cn.OverlapM2, r.AreaM2)
				inside = cn.OverlapM2 > 0
			case 1:
				cn.LengthInsideM = piece.Linear().LengthM()
				cn.OverlapPct = pct(cn.LengthInsideM, r.LengthM)
				inside = cn.LengthInsideM > 0
			default:
				inside = !piece.IsEmpty()
			}
			if !inside {
				hits = append(hits, fi) // touching only, or disjoint: a nearby candidate
				touching[fi] = !piece.IsEmpty()
				return true
			}
			s.decide(&cn, c, typ, r.Industry)
			r.Conflicts = append(r.Conflicts, cn)
			pieces = append(pieces, piece)
			hitFeats = append(hitFeats, cf)
			crossed = append(crossed, cross) // the walk declined: known to touch, or not searched
			members = append(members, classMember{fi: fi, f: cf})
			lo.Inside = true
			return true
		}
		// Candidates in feature order, not the R-tree's: the sums and
		// ties below then do not depend on how the layer was indexed (a
		// layer read whole and one fetched piecemeal by pushdown give the
		// same bits).
		cands = cands[:0]
		c.Layer.Candidates(reach, func(fi int, _ *geo.Feature) bool { cands = append(cands, fi); return true })
		sort.Slice(cands, func(a, b int) bool { return c.Layer.Features[cands[a]].Index < c.Layer.Features[cands[b]].Index })
		for _, fi := range cands {
			if !visit(fi, &c.Layer.Features[fi]) {
				break
			}
		}
		if firstErr != nil {
			return r, firstErr
		}
		if err := s.layerTotals(f, dim, pieces, hitFeats, crossed, &lo, c, r); err != nil {
			return r, err
		}
		r.Layers = append(r.Layers, lo)
		if cl := s.classes[li]; cl != nil {
			rows, err := tabulate(f, dim, r.AreaM2, r.LengthM, cl, members, lo)
			if err != nil {
				return r, err
			}
			r.Classes = append(r.Classes, rows...)
			w, err := classWarning(f, dim, r.AreaM2, c.Layer, cl, members, rows, lo)
			if err != nil {
				return r, err
			}
			if w != nil {
				r.Warnings = append(r.Warnings, *w)
			}
		}
		for _, fi := range hits {
			if !touching[fi] && geo.BoundDistanceM(f.Bound, c.Layer.Features[fi].Bound) > layerReach {
				continue
			}
			nb, ok, err := s.nearby(f, typ, c, fi, touching[fi], layerReach)
			if err != nil {
				return r, err
			}
			if ok {
				r.Nearby = append(r.Nearby, nb)
			}
		}
	}
	sort.SliceStable(r.Conflicts, func(a, b int) bool {
		ca, cb := r.Conflicts[a], r.Conflicts[b]
		if ca.Layer != cb.Layer {
			return layerPos(s.layers, ca.Layer) < layerPos(s.layers, cb.Layer)
		}
		return ca.FeatureIndex < cb.FeatureIndex
	})
	sort.SliceStable(r.Nearby, func(a, b int) bool { return r.Nearby[a].DistanceM < r.Nearby[b].DistanceM })
	r.Verdict = Clear
	for _, cn := range r.Conflicts {
		r.Verdict = max(r.Verdict, cn.Verdict)
	}
	for _, nb := range r.Nearby {
		r.Verdict = max(r.Verdict, nb.Verdict)
	}
	if r.Conflicts == nil {
		r.Conflicts = []Conflict{}
	}
	if r.Nearby == nil {
		r.Nearby = []Nearby{}
	}
	return r, nil
}

// mergeNotScreened puts the sites that were not screened among the others
// by input index, each with the verdict Error, its reason and empty lists.
func mergeNotScreened(sites []SiteResult, ns []NotScreened) []SiteResult {
	if len(ns) == 0 {
		return sites
	}
	out := make([]SiteResult, 0, len(sites)+len(ns))
	k := 0
	for _, n := range ns {
		for k < len(sites) && sites[k].Index < n.Index {
			out = append(out, sites[k])
			k++
		}
		out = append(out, notScreenedSite(n))
	}
	return append(out, sites[k:]...)
}

// notScreenedSite is the result of a site without a usable geometry: the
// verdict Error, its reason and empty lists.
func notScreenedSite(n NotScreened) SiteResult {
	typ, _ := lookupFold(n.Props, []string{"project_type", "项目类型"})
	return SiteResult{Index: n.Index, ID: n.ID, Name: propString(n.Props, "", DefaultNameFields),
		ProjectType: typ, Verdict: Error, Error: n.Reason,
		Layers: []LayerOverlap{}, Conflicts: []Conflict{}, Nearby: []Nearby{}}
}

// emitter hands ScreenOptions.Emit the sites in input order as the
// workers finish them, the sites not screened merged in by index as
// mergeNotScreened does; it counts the summary on the way. Only the sites
// finished ahead of one still running are held.
type emitter struct {
	emit        func(*SiteResult) error
	notScreened []NotScreened
	summary     *ScreenCounts
	release     *geo.Layer // ScreenOptions.ReleaseSites: the sites, cleared as they are emitted

	mu      sync.Mutex
	next    int                 // the first site not yet emitted
	pending map[int]*SiteResult // finished sites above next; nil: skipped
	ns      int                 // notScreened[:ns] are emitted
	err     error
}

// done records site i's result (nil: skipped) and emits what is ready.
func (e *emitter) done(i int, r *SiteResult) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err != nil {
		return e.err
	}
	e.pending[i] = r
	for {
		r, ok := e.pending[e.next]
		if !ok {
			return nil
		}
		delete(e.pending, e.next)
		if e.release != nil {
			e.release.Features[e.next] = geo.Feature{}
		}
		e.next++
		if r == nil {
			continue
		}
		if e.err = e.notScreenedBelow(r.Index); e.err == nil {
			e.summary.add(r.Verdict)
			e.err = e.emit(r)
		}
		if e.err != nil {
			return e.err
		}
	}
}

// notScreenedBelow emits the sites not screened whose index is below index.
func (e *emitter) notScreenedBelow(index int) error {
	for ; e.ns < len(e.notScreened) && e.notScreened[e.ns].Index < index; e.ns++ {
		r := notScreenedSite(e.notScreened[e.ns])
		e.summary.add(Error)
		if err := e.emit(&r); err != nil {
			return err
		}
	}
	return nil
}

// finish emits the sites not screened after the last site.
func (e *emitter) finish() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = e.notScreenedBelow(math.MaxInt)
	}
	return e.err
}
