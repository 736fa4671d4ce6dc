package analysis

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

const pieceKept = "kept" // 保留: in both; measured, not in the ledger

// diffPiece is one polygon of added, removed or kept land, after the
// splits by region and land class. A piece without geometry (poly == nil)
// is the leftover of a piece that regions cover only in part: the land
// outside every region, measured but not drawn.
type diffPiece struct {
	typ    string
	poly   orb.Polygon
	shape  geo.Shape
	area   float64
	twice  float64 // part inside an earlier region (counted there for the total)
	region int     // position in the regions, −1 for none
	class  string
}

func newPiece(typ string, p orb.Polygon, region int, class string) (diffPiece, error) {
	s, err := geo.ShapeOf(p)
	if err != nil {
		return diffPiece{}, err
	}
	return diffPiece{typ: typ, poly: p, shape: s, area: s.AreaM2(), region: region, class: class}, nil
}

// overlay dissolves OLD and NEW and cuts them into added, removed and kept
// polygons. Polygons of the two dissolved layers are grouped by connected
// box overlap: a group holding only OLD (or only NEW) polygons is removed
// (added) whole, a group of one OLD and one identical NEW polygon is kept
// whole, and only the other groups go through the overlay.
func (d *differ) overlay(ctx context.Context) ([]diffPiece, error) {
	o, err := geo.Dissolve(d.oldShapes)
	if err != nil {
		return nil, fmt.Errorf("analysis: diff: dissolving OLD layer %s: %w", d.old.Name, err)
	}
	n, err := geo.Dissolve(d.newShapes)
	if err != nil {
		return nil, fmt.Errorf("analysis: diff: dissolving NEW layer %s: %w", d.new.Name, err)
	}
	op, np := polygonsOf(o.Orb(), nil), polygonsOf(n.Orb(), nil)
	bounds := make([]orb.Bound, 0, len(op)+len(np))
	for _, p := range op {
		bounds = append(bounds, geo.BoundOf(p))
	}
	for _, p := range np {
		bounds = append(bounds, geo.BoundOf(p))
	}
	groups := geo.BoundGroups(bounds)
	out := make([][]diffPiece, len(groups))
	err = shareParallel(ctx, len(groups), d.opt.Workers, func(gi int) error {
		var os, ns []orb.Polygon
		for _, k := range groups[gi] {
			if k < len(op) {
				os = append(os, op[k])
			} else {
				ns = append(ns, np[k-len(op)])
			}
		}
		var err error
		out[gi], err = groupPieces(os, ns)
		if err != nil {
			return fmt.Errorf("analysis: diff: OLD %s vs NEW %s near %.6f,%.6f: %w", d.old.Name, d.new.Name,
				bounds[groups[gi][0]].Min[0], bounds[groups[gi][0]].Min[1], err)
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

// groupPieces cuts one group of dissolved OLD polygons os and NEW polygons
// ns into pieces.
func groupPieces(os, ns []orb.Polygon) ([]diffPiece, error) {
	var out []diffPiece
	emit := func(typ string, ps []orb.Polygon) error {
		for _, p := range ps {
			dp, err := newPiece(typ, p, -1, "")
			if err != nil {
				return err
			}
			if dp.area > 0 {
				out = append(out, dp)
			}
		}
		return nil
	}
	switch {
	case len(ns) == 0:
		return out, emit(PieceRemoved, os)
	case len(os) == 0:
		return out, emit(PieceAdded, ns)
	case len(os) == 1 && len(ns) == 1 && polygonsEqual(os[0], ns[0]):
		return out, emit(pieceKept, os)
	}
	oS, err := geo.ShapeOf(multi(os))
	if err != nil {
		return nil, err
	}
	nS, err := geo.ShapeOf(multi(ns))
	if err != nil {
		return nil, err
	}
	for _, op := range []struct {
		typ  string
		a, b geo.Shape
		fn   func(a, b geo.Shape) (geo.Shape, error)
	}{
		{PieceAdded, nS, oS, geo.Difference},
		{PieceRemoved, oS, nS, geo.Difference},
		{pieceKept, oS, nS, geo.Intersect},
	} {
		s, err := op.fn(op.a, op.b)
		if err != nil {
			return nil, err
		}
		if err := emit(op.typ, polygonsOf(s.Polygonal().Orb(), nil)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// splitRegions cuts every piece by the regions. The part of a piece that
// no region covers stays as a leftover without geometry (area only).
func (d *differ) splitRegions(ctx context.Context, pieces []diffPiece) ([]diffPiece, error) {
	rg := d.opt.Regions
	if rg == nil {
		return pieces, nil
	}
	out := make([][]diffPiece, len(pieces))
	err := shareParallel(ctx, len(pieces), d.opt.Workers, func(pi int) error {
		p := &pieces[pi]
		var inside float64
		var firstErr error
		rg.Layer.Candidates(geo.BoundOf(p.poly), func(i int, _ *geo.Feature) bool {
			c, err := clipToRegion(rg.shapes[i], rg.grids[i], p.shape, p.poly)
			if err != nil {
				firstErr = fmt.Errorf("analysis: diff: region %s: %w", rg.Label(i), err)
				return false
			}
			for _, q := range polygonsOf(c.Orb(), nil) {
				dp, err := newPiece(p.typ, q, i, "")
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

func multi(ps []orb.Polygon) orb.Geometry {
	if len(ps) == 1 {
		return ps[0]
	}
	return orb.MultiPolygon(ps)
}

// polygonsEqual reports whether a and b have the same rings with the same
// vertices in the same order.
func polygonsEqual(a, b orb.Polygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
