package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// diffPiece is one polygon of added or removed land, after the splits by
// region and land class. A piece without geometry (poly == nil) is the
// leftover of a piece that regions cover only in part: the land outside
// every region, measured but not drawn.
type diffPiece struct {
	typ    string
	poly   orb.Polygon
	shape  geo.Shape
	area   float64
	twice  float64 // part inside an earlier region (counted there for the total)
	region int     // position in the regions, −1 for none
	class  string
	src    []int // positions of the features (OLD for removed, NEW for added) it may come from
}

func newPiece(from *diffPiece, p orb.Polygon, region int, class string) (diffPiece, error) {
	s, err := geo.ShapeOf(p)
	if err != nil {
		return diffPiece{}, err
	}
	return diffPiece{typ: from.typ, poly: p, shape: s, area: s.AreaM2(), region: region, class: class, src: from.src}, nil
}

// changes finds the added and removed land. A feature whose geometry is the
// same in both versions (shared) holds neither, so removed land lies in the
// OLD features that are not shared: removed = ∪(OLD only) − NEW, computed
// per group of OLD-only features whose boxes touch, against the NEW
// features near the group (each cut to the group's box first); added is
// the same the other way round. Nothing is dissolved whole.
func (d *differ) changes(ctx context.Context) ([]diffPiece, error) {
	oldOnly, newOnly := unshared(d.oldFeats, d.newFeats)
	rem, err := d.cut(ctx, PieceRemoved, d.oldFeats, oldOnly, d.new, d.newFeats)
	if err != nil {
		return nil, err
	}
	add, err := d.cut(ctx, PieceAdded, d.newFeats, newOnly, d.old, d.oldFeats)
	if err != nil {
		return nil, err
	}
	return append(add, rem...), nil
}

// unshared pairs features of equal geometry between a and b (each used
// once) and returns the positions of the others.
func unshared(a, b []*geo.Feature) (aOnly, bOnly []int) {
	byKey := map[uint64][]int{}
	for i, f := range a {
		if f != nil {
			k := geomKey(f.Geom)
			byKey[k] = append(byKey[k], i)
		}
	}
	used := make([]bool, len(a))
	for j, f := range b {
		if f == nil {
			continue
		}
		matched := false
		for _, i := range byKey[geomKey(f.Geom)] {
			if !used[i] && orb.Equal(a[i].Geom, f.Geom) {
				used[i], matched = true, true
				break
			}
		}
		if !matched {
			bOnly = append(bOnly, j)
		}
	}
	for i, f := range a {
		if f != nil && !used[i] {
			aOnly = append(aOnly, i)
		}
	}
	return aOnly, bOnly
}

// cut returns the land of the features from[idx] outside every feature of
// other, as pieces of type typ.
func (d *differ) cut(ctx context.Context, typ string, from []*geo.Feature, idx []int, other *geo.Layer, otherFeats []*geo.Feature) ([]diffPiece, error) {
	bounds := make([]orb.Bound, len(idx))
	for k, i := range idx {
		bounds[k] = from[i].Bound
	}
	groups := geo.BoundGroups(bounds)
	out := make([][]diffPiece, len(groups))
	err := par.For(ctx, len(groups), d.opt.Workers, func(_, gi int) error {
		members := make([]int, len(groups[gi]))
		for k, pos := range groups[gi] {
			members[k] = idx[pos]
		}
		var err error
		out[gi], err = cutGroup(typ, members, from, other, otherFeats)
		if err != nil {
			f := from[members[0]]
			return fmt.Errorf("analysis: diff: %s near %s at %.6f,%.6f: %w", typ, f.Label(), f.Bound.Min[0], f.Bound.Min[1], err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var all []diffPiece
	for _, ps := range out {
		all = append(all, ps...)
	}
	return all, nil
}

// cutGroup takes away from each member the features of other that meet
// it (each cut to the member's box first, so that an overlay only re-nodes
// edges near the member), then dissolves what is left of the members:
// (∪ members) − other = ∪ (member − other).
func cutGroup(typ string, members []int, from []*geo.Feature, other *geo.Layer, otherFeats []*geo.Feature) ([]diffPiece, error) {
	var rests []geo.Shape
	var owner []int // the member each rest comes from
	for _, i := range members {
		a := from[i]
		rest := a.Shape()
		box := grow(a.Bound)
		var firstErr error
		other.Candidates(a.Bound, func(j int, _ *geo.Feature) bool {
			f := otherFeats[j]
			if f == nil {
				return true
			}
			c, covers := cutToBox(f, box)
			if covers {
				rest = geo.Shape{}
				return false
			}
			if c.IsEmpty() {
				return true
			}
			if hit, err := geo.Intersects(rest, c); err == nil && !hit {
				return true // a box neighbour only: nothing to take away
			}
			r, err := geo.Difference(rest, c)
			if err != nil {
				firstErr = fmt.Errorf("%s − %s: %w", a.Label(), f.Label(), err)
				return false
			}
			rest = r.Polygonal()
			return !rest.IsEmpty()
		})
		if firstErr != nil {
			return nil, firstErr
		}
		if !rest.IsEmpty() {
			rests, owner = append(rests, rest), append(owner, i)
		}
	}
	if len(rests) == 0 {
		return nil, nil
	}
	u := rests[0]
	if len(rests) > 1 {
		var err error
		if u, err = geo.Dissolve(rests); err != nil {
			return nil, err
		}
	}
	comps := polygonsOf(u.Polygonal().Orb(), nil)
	out := make([]diffPiece, 0, len(comps))
	for _, q := range comps {
		dp, err := newPiece(&diffPiece{typ: typ}, q, -1, "")
		if err != nil {
			return nil, err
		}
		out = append(out, dp)
	}
	// Each polygon of a rest lies inside one polygon of the union: the one
	// whose box holds its box, when only one does; otherwise every polygon
	// whose box meets it is a candidate (the ledger checks them).
	var byBox geo.Layer // the pieces' boxes, to find them in n log n
	for c := range out {
		byBox.Add(geo.Feature{Index: c, Bound: geo.BoundOf(out[c].poly)})
	}
	for k, r := range rests {
		for _, q := range polygonsOf(r.Orb(), nil) {
			qb := geo.BoundOf(q)
			var holds, meets []int
			byBox.Candidates(qb, func(c int, f *geo.Feature) bool {
				if boundHolds(f.Bound, qb) {
					holds = append(holds, c)
				}
				meets = append(meets, c)
				return true
			})
			slices.Sort(holds)
			slices.Sort(meets)
			if len(holds) == 1 {
				meets = holds
			}
			for _, c := range meets {
				if n := len(out[c].src); n == 0 || out[c].src[n-1] != owner[k] {
					out[c].src = append(out[c].src, owner[k])
				}
			}
		}
	}
	kept := out[:0]
	for _, p := range out {
		if p.area > 0 {
			kept = append(kept, p)
		}
	}
	return kept, nil
}

func boundHolds(outer, inner orb.Bound) bool {
	return inner.Min[0] >= outer.Min[0] && inner.Min[1] >= outer.Min[1] && inner.Max[0] <= outer.Max[0] && inner.Max[1] <= outer.Max[1]
}

// cutToBox returns f cut to box when f is large and not inside the box
// already (geo.RectClip), else f whole; covers reports that the box lies
// wholly inside f.
func cutToBox(f *geo.Feature, box orb.Bound) (cut geo.Shape, covers bool) {
	b := f.Bound
	if !b.Intersects(box) {
		return geo.Shape{}, false
	}
	if boundHolds(box, b) || geo.CountVertices(f.Geom) <= geo.ClipMinVertices {
		return f.Shape(), false
	}
	mp, ok := geo.RectClip(f.Geom, box)
	if !ok {
		return f.Shape(), false
	}
	if len(mp) == 0 {
		return geo.Shape{}, false
	}
	if len(mp) == 1 && len(mp[0]) == 1 && len(mp[0][0]) == 5 && geo.BoundOf(mp[0]) == box && math.Abs(geo.AreaM2(mp[0])-geo.AreaM2(box.ToPolygon())) <= 1e-9*geo.AreaM2(mp[0]) {
		return geo.Shape{}, true
	}
	var g orb.Geometry = mp
	if len(mp) == 1 {
		g = mp[0]
	}
	s, err := geo.ShapeOf(g)
	if err != nil {
		return f.Shape(), false
	}
	return s, false
}

// grow widens b by a margin (a thousandth of its size, at least about
// 0.1 mm), so that no edge of what lies inside b runs along it.
func grow(b orb.Bound) orb.Bound {
	m := 1e-3*max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) + 1e-9
	return orb.Bound{Min: orb.Point{b.Min[0] - m, b.Min[1] - m}, Max: orb.Point{b.Max[0] + m, b.Max[1] + m}}
}

// splitRegions cuts every piece by the regions. The part of a piece that
// no region covers stays as a leftover without geometry (area only).
func (d *differ) splitRegions(ctx context.Context, pieces []diffPiece) ([]diffPiece, error) {
	rg := d.opt.Regions
	if rg == nil {
		return pieces, nil
	}
	regionGeoms := make([]orb.Geometry, rg.Layer.Len())
	for i := range regionGeoms {
		regionGeoms[i] = rg.shapes[i].Orb()
	}
	out := make([][]diffPiece, len(pieces))
	err := par.For(ctx, len(pieces), d.opt.Workers, func(_, pi int) error {
		p := &pieces[pi]
		var inside float64
		var firstErr error
		rg.Layer.Candidates(geo.BoundOf(p.poly), func(i int, _ *geo.Feature) bool {
			cv := geo.Cover{Clip: regionGeoms[i], ClipShape: rg.shapes[i], Grid: rg.grids[i], Geoms: []orb.Geometry{p.poly}, Shapes: []geo.Shape{p.shape}}
			c, err := cv.Union()
			if err != nil {
				firstErr = fmt.Errorf("analysis: diff: region %s: %w", rg.Label(i), err)
				return false
			}
			for _, q := range polygonsOf(c.Orb(), nil) {
				dp, err := newPiece(p, q, i, "")
				if err != nil {
					firstErr = err
					return false
				}
				if dp.area > 0 {
					out[pi] = append(out[pi], dp)
					inside += dp.area
				}
			}
			return true
		})
		if firstErr != nil {
			return firstErr
		}
		if err := d.measureTwice(out[pi]); err != nil {
			return err
		}
		for _, q := range out[pi] {
			inside -= q.twice
		}
		if rest := p.area - inside; rest > 1e-9*p.area {
			if inside == 0 {
				out[pi] = append(out[pi], *p) // wholly outside: keep its geometry
			} else {
				out[pi] = append(out[pi], diffPiece{typ: p.typ, area: rest, region: -1})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var all []diffPiece
	for _, ps := range out {
		all = append(all, ps...)
	}
	return all, nil
}

// measureTwice sets, for pieces in a region that overlaps earlier regions,
// the part of the piece inside those (already counted in the total).
func (d *differ) measureTwice(ps []diffPiece) error {
	rg := d.opt.Regions
	if rg == nil {
		return nil
	}
	for k := range ps {
		p := &ps[k]
		p.twice = 0
		if p.region < 0 || rg.priorM2[p.region] <= 0 || p.poly == nil {
			continue
		}
		o, err := geo.Intersect(p.shape, rg.prior[p.region])
		if err != nil {
			return fmt.Errorf("analysis: diff: region %s: inside earlier regions: %w", rg.Label(p.region), err)
		}
		p.twice = min(o.Polygonal().AreaM2(), p.area)
	}
	return nil
}

// oldAreas is the dissolved OLD layer's area per region, over the union of
// the regions, and in all.
type oldAreas struct {
	region     []float64
	total, all float64
}

// measureOld measures the dissolved OLD layer as share does (the boundary
// walk where it applies, else overlay): per region, and in all against one
// box around both layers.
func (d *differ) measureOld(ctx context.Context) (oldAreas, error) {
	var out oldAreas
	valid := &geo.Layer{Name: d.old.Name}
	for _, f := range d.oldFeats {
		if f != nil {
			valid.Add(*f)
		}
	}
	if valid.Len() == 0 {
		if rg := d.opt.Regions; rg != nil {
			out.region = make([]float64, rg.Layer.Len())
		}
		return out, nil
	}
	if rg := d.opt.Regions; rg != nil {
		r, err := rg.Share(ctx, valid, ShareOptions{validated: true})
		if err != nil {
			return out, err
		}
		for _, g := range r.Regions {
			out.region = append(out.region, g.CoveredM2)
		}
		out.total = r.Total.CoveredM2
	}
	b := valid.Bound().Union(d.new.Bound())
	m := 1e-3*max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) + 1e-6
	box := orb.Bound{Min: orb.Point{b.Min[0] - m, b.Min[1] - m}, Max: orb.Point{b.Max[0] + m, b.Max[1] + m}}
	bf, err := geo.NewFeature(0, "", nil, box.ToPolygon())
	if err != nil {
		return out, err
	}
	boxLayer := &geo.Layer{Name: "extent"}
	boxLayer.Add(bf)
	brg, err := NewRegions(ctx, boxLayer, RegionOptions{NoGaps: true, Workers: d.opt.Workers})
	if err != nil {
		return out, err
	}
	r, err := brg.Share(ctx, valid, ShareOptions{validated: true})
	if err != nil {
		return out, err
	}
	out.all = r.Total.CoveredM2
	if d.opt.Regions == nil {
		out.total = out.all
	}
	return out, nil
}

// polygonsOf appends the polygons of g to dst.
func polygonsOf(g orb.Geometry, dst []orb.Polygon) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) > 0 {
			dst = append(dst, g)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			dst = polygonsOf(p, dst)
		}
	case orb.Collection:
		for _, c := range g {
			dst = polygonsOf(c, dst)
		}
	}
	return dst
}
