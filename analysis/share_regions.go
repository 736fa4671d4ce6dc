package analysis

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// RegionOptions are the knobs of NewRegions.
type RegionOptions struct {
	// NameField names the property with each region's name; by default the
	// first of DefaultNameFields found, else the region's id.
	NameField string
	Workers   int // parallel work (default: all cores)
	// NoGaps skips looking for gaps between the regions (it dissolves
	// them all), e.g. when the regions are the features of a layer.
	NoGaps bool
}

// RegionOverlap is a pair of regions that overlap each other (digitising
// mismatch between neighbours, or nested regions).
type RegionOverlap struct {
	AIndex    int     `json:"a_index"`
	AID       string  `json:"a_id"`
	AName     string  `json:"a_name"`
	BIndex    int     `json:"b_index"`
	BID       string  `json:"b_id"`
	BName     string  `json:"b_name"`
	OverlapM2 float64 `json:"overlap_m2"`
}

// RegionGap is a hole in the union of the regions: land that every region
// around it leaves out.
type RegionGap struct {
	AreaM2 float64   `json:"area_m2"`
	Lon    float64   `json:"lon"` // a point on the gap's boundary
	Lat    float64   `json:"lat"`
	BBox   []float64 `json:"bbox"`
}

// Regions are the areas shares are measured in (counties, townships, or
// the features of a layer taken as one --whole region), checked and
// measured once so that several layers can be measured against them.
type Regions struct {
	Layer    *geo.Layer
	Names    []string
	AreaM2   []float64 // per region, by position in Layer.Features
	UnionM2  float64   // area of the union of all regions (overlaps counted once)
	Overlaps []RegionOverlap
	Gaps     []RegionGap
	Repairs  []Repair

	shapes  []geo.Shape         // valid polygonal shapes, by position
	geoms   []orb.Geometry      // the same in lon/lat
	grids   []*geo.BoundaryGrid // their boundary edges, for the clip shortcut
	prior   []geo.Shape         // part of region i that lies in a region before it
	priorM2 []float64
	workers int
}

// NewRegions validates the regions (an invalid one is repaired when the
// repair is exact, such as merging duplicate parts, and reported in
// Repairs; otherwise it is an error naming it), measures them and finds
// where they overlap each other and where they leave gaps.
func NewRegions(ctx context.Context, l *geo.Layer, opt RegionOptions) (*Regions, error) {
	if l.Len() == 0 {
		return nil, fmt.Errorf("analysis: regions %s: no features", l.Name)
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	n := l.Len()
	rg := &Regions{Layer: l, Names: make([]string, n), AreaM2: make([]float64, n), shapes: make([]geo.Shape, n),
		grids: make([]*geo.BoundaryGrid, n), prior: make([]geo.Shape, n), priorM2: make([]float64, n), workers: opt.Workers}
	found := opt.NameField == ""
	for i := range l.Features {
		f := &l.Features[i]
		name, ok := lookupFold(f.Props, nameFields(opt.NameField))
		found = found || ok
		if name == "" {
			name = f.ID
		}
		rg.Names[i] = name
	}
	if !found {
		return nil, fmt.Errorf("analysis: regions %s: no feature has the field %q", l.Name, opt.NameField)
	}
	repairs := make([]*Repair, n)
	err := par.For(ctx, n, opt.Workers, func(_, i int) error {
		s, g, rep, err := polygonalShape("regions", l.Name, &l.Features[i])
		if err != nil {
			return err
		}
		rg.shapes[i], repairs[i], rg.grids[i] = s, rep, geo.NewBoundaryGrid(g)
		rg.AreaM2[i] = s.AreaM2()
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range repairs {
		if r != nil {
			rg.Repairs = append(rg.Repairs, *r)
		}
	}
	rg.geoms = make([]orb.Geometry, n)
	for i := range rg.geoms {
		rg.geoms[i] = rg.shapes[i].Orb()
	}
	if err := rg.findOverlaps(ctx); err != nil {
		return nil, err
	}
	if !opt.NoGaps {
		if err := rg.findGaps(); err != nil {
			return nil, err
		}
	}
	rg.UnionM2 = 0
	for i := range rg.AreaM2 {
		rg.UnionM2 += rg.AreaM2[i] - rg.priorM2[i]
	}
	return rg, nil
}

func nameFields(field string) []string {
	if field != "" {
		return []string{field}
	}
	return DefaultNameFields
}

// Label names region i in messages.
func (rg *Regions) Label(i int) string {
	f := &rg.Layer.Features[i]
	if rg.Names[i] != "" && rg.Names[i] != f.ID {
		return f.Label() + " " + rg.Names[i]
	}
	return f.Label()
}

// findOverlaps intersects every pair of regions whose boxes meet. The
// pieces of region j that lie in an earlier region are dissolved into
// prior[j], so that the union's area is Σ area − Σ prior without counting
// a triple overlap twice.
func (rg *Regions) findOverlaps(ctx context.Context) error {
	feats := rg.Layer.Features
	pieces := make([][]geo.Shape, len(feats))
	var mu sync.Mutex
	err := par.For(ctx, len(feats), rg.workers, func(_, i int) error {
		var firstErr error
		rg.Layer.Candidates(feats[i].Bound, func(j int, g *geo.Feature) bool {
			if j <= i {
				return true
			}
			p, err := geo.Intersect(rg.shapes[i], rg.shapes[j])
			if err != nil {
				firstErr = fmt.Errorf("analysis: regions %s: %s × %s: %w", rg.Layer.Name, rg.Label(i), rg.Label(j), err)
				return false
			}
			p = p.Polygonal()
			a := p.AreaM2()
			if a <= 0 {
				return true
			}
			mu.Lock()
			pieces[j] = append(pieces[j], p)
			rg.Overlaps = append(rg.Overlaps, RegionOverlap{AIndex: feats[i].Index, AID: feats[i].ID, AName: rg.Names[i],
				BIndex: feats[j].Index, BID: feats[j].ID, BName: rg.Names[j], OverlapM2: a})
			mu.Unlock()
			return true
		})
		return firstErr
	})
	if err != nil {
		return err
	}
	sort.Slice(rg.Overlaps, func(a, b int) bool {
		oa, ob := rg.Overlaps[a], rg.Overlaps[b]
		if oa.AIndex != ob.AIndex {
			return oa.AIndex < ob.AIndex
		}
		return oa.BIndex < ob.BIndex
	})
	return par.For(ctx, len(feats), rg.workers, func(_, j int) error {
		if len(pieces[j]) == 0 {
			return nil
		}
		u, err := geo.Dissolve(pieces[j])
		if err != nil {
			return fmt.Errorf("analysis: regions %s: %s: dissolving its overlaps: %w", rg.Layer.Name, rg.Label(j), err)
		}
		rg.prior[j], rg.priorM2[j] = u, math.Min(u.AreaM2(), rg.AreaM2[j])
		return nil
	})
}

// findGaps dissolves the regions and lists the holes of the union.
func (rg *Regions) findGaps() error {
	if len(rg.shapes) < 2 {
		return nil
	}
	u, err := geo.Dissolve(rg.shapes)
	if err != nil {
		return fmt.Errorf("analysis: regions %s: dissolving the regions: %w", rg.Layer.Name, err)
	}
	var polys orb.MultiPolygon
	switch g := u.Orb().(type) {
	case orb.Polygon:
		polys = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		for _, hole := range p[1:] {
			a := math.Abs(geo.RingAreaM2(hole))
			if a <= 0 || len(hole) == 0 {
				continue
			}
			b := hole.Bound()
			rg.Gaps = append(rg.Gaps, RegionGap{AreaM2: a, Lon: hole[0][0], Lat: hole[0][1],
				BBox: []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}})
		}
	}
	sort.Slice(rg.Gaps, func(a, b int) bool { return rg.Gaps[a].AreaM2 > rg.Gaps[b].AreaM2 })
	return nil
}

// polygonalShape returns f's geometry as a valid polygonal shape (see
// polygonalFeature), with its lon/lat form.
func polygonalShape(role, layer string, f *geo.Feature) (geo.Shape, orb.Geometry, *Repair, error) {
	pf, rep, err := polygonalFeature(role, layer, f)
	if err != nil {
		return geo.Shape{}, nil, nil, err
	}
	return pf.Shape(), pf.Geom, rep, nil
}

// polygonalFeature returns f with a valid polygonal geometry: f itself
// when it is one, else a new feature (its engine form built on first use,
// as f's). A collection of polygons is read as a multipolygon. An invalid
// geometry is repaired when geo.Repair can do it exactly (closing rings,
// dropping repeated points and zero-area spikes, merging overlapping or
// duplicate parts): the repair is returned so that it can be reported.
// Anything else is an error that names the feature.
func polygonalFeature(role, layer string, f *geo.Feature) (*geo.Feature, *Repair, error) {
	g, converted, err := polygonalGeom(f.Geom)
	if err != nil {
		return nil, nil, fmt.Errorf("analysis: %s %s: %s: %w", role, layer, f.Label(), err)
	}
	with := func(g orb.Geometry) (*geo.Feature, error) {
		nf, err := geo.NewFeature(f.Index, f.ID, f.Props, g)
		if err != nil {
			return nil, fmt.Errorf("analysis: %s %s: %s: %w", role, layer, f.Label(), err)
		}
		return &nf, nil
	}
	var probs []geo.Problem
	if converted {
		probs = geo.Validate(g)
	} else {
		probs = f.Problems()
	}
	if probs == nil {
		if !converted {
			return f, nil, nil
		}
		nf, err := with(g)
		return nf, nil, err
	}
	invalid := invalidError{fmt.Errorf("analysis: %s %s: %s is invalid: %s (run 'redline validate --repair' on it)", role, layer, f.Label(), probs[0])}
	for _, p := range probs {
		if !p.Repairable {
			return nil, nil, invalid
		}
	}
	fixed, did, err := geo.Repair(g)
	if err != nil || geo.Validate(fixed) != nil {
		return nil, nil, invalid
	}
	for _, d := range did {
		if strings.Contains(d, "MakeValid") {
			return nil, nil, invalid // not exact: the user decides
		}
	}
	nf, err := with(fixed)
	if err != nil {
		return nil, nil, err
	}
	rep := newRepair(role, layer, f, probs[0].String())
	rep.repaired(did, fixed)
	return nf, &rep, nil
}

// polygonalGeom returns g as a Polygon or MultiPolygon, and whether it had
// to convert it: a collection of polygons becomes a multipolygon. Lines and
// points have no area: they are an error, not a silent zero.
func polygonalGeom(g orb.Geometry) (orb.Geometry, bool, error) {
	switch t := g.(type) {
	case orb.Polygon, orb.MultiPolygon:
		return g, false, nil
	case orb.Bound:
		return t.ToPolygon(), true, nil
	case orb.Collection:
		var mp orb.MultiPolygon
		for _, c := range t {
			sub, _, err := polygonalGeom(c)
			if err != nil {
				return nil, false, err
			}
			switch s := sub.(type) {
			case orb.Polygon:
				mp = append(mp, s)
			case orb.MultiPolygon:
				mp = append(mp, s...)
			}
		}
		switch len(mp) {
		case 0:
			return nil, false, fmt.Errorf("geometry collection holds no polygon")
		case 1:
			return mp[0], true, nil
		}
		return mp, true, nil
	case nil:
		return nil, false, fmt.Errorf("no geometry")
	}
	return nil, false, fmt.Errorf("%s has no area (shares need polygons)", g.GeoJSONType())
}
