package analysis

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/redline-gis/redline/geo"
)

// union returns the area of the union of the listed pairs' overlaps. The
// pairs are grouped into components (features linked by listed pairs); a
// component whose features have only clean pairs is measured by a second
// walk (the boundary of the covered region is made of the pieces of the
// features' boundaries where covered(·) changes), any other by dissolving
// its pieces with the engine.
func (r *overlapRun) union(ctx context.Context) (float64, error) {
	parent := make([]int32, len(r.feats))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	listed := map[[2]int32]bool{}
	inPair := make([]bool, len(r.feats))
	for k := range r.pairs {
		p := &r.pairs[k]
		if !p.listed || p.area <= 0 {
			continue
		}
		listed[[2]int32{p.i, p.j}] = true
		inPair[p.i], inPair[p.j] = true, true
		parent[find(p.i)] = find(p.j)
	}
	dirty := map[int32]bool{}
	for k := range r.pairs {
		p := &r.pairs[k]
		if p.degenerate && p.area > 0 {
			for _, i := range []int32{p.i, p.j} {
				if inPair[i] {
					dirty[find(i)] = true
				}
			}
		}
	}
	// Clean components: walk each feature again, counting the sub-edges
	// that bound the covered region.
	var clean []int
	for i := range r.feats {
		if inPair[i] && !dirty[find(int32(i))] {
			clean = append(clean, i)
		}
	}
	part := make([]float64, len(clean))
	walkers := make([]geo.Walker, r.opt.Workers)
	err := r.forEach(ctx, len(clean), func(w, t int) error {
		i := clean[t]
		nbrs, slots := r.neighbours(i)
		ids := make([]int32, len(slots)) // feature per slot
		for s, k := range slots {
			ids[s] = r.pairs[k].i + r.pairs[k].j - int32(i)
		}
		// covered tells whether a spot inside the listed features (slots,
		// −1 for i) is covered by a listed pair.
		covered := func(active []int32) bool {
			for x := 0; x < len(active); x++ {
				for y := x + 1; y < len(active); y++ {
					a, b := int32(i), int32(i)
					if active[x] >= 0 {
						a = ids[active[x]]
					}
					if active[y] >= 0 {
						b = ids[active[y]]
					}
					if a > b {
						a, b = b, a
					}
					if listed[[2]int32{a, b}] {
						return true
					}
				}
			}
			return false
		}
		// The pieces of i's boundary that bound the covered region: covered
		// with i on their left, not covered without it.
		withI := make([]int32, 0, 8)
		keep := func(inside []int32) bool {
			if len(inside) == 0 {
				return false
			}
			withI = append(append(withI[:0], inside...), -1)
			return covered(withI) && !covered(inside)
		}
		u, _, ok := walkers[w].Walk(r.feats[i].walk, nbrs, keep, nil)
		if !ok {
			return fmt.Errorf("analysis: overlaps: %s: ring start on a neighbour's boundary", r.feats[i].f.Label())
		}
		part[t] = u
		return nil
	})
	if err != nil {
		return 0, err
	}
	var total float64
	for _, u := range part {
		total += u
	}
	// Dirty components: dissolve their pieces, each distinct piece once:
	// the pairs of duplicated features have the same piece (a pair of
	// identical features: the feature itself).
	groups := map[int32][]int{}
	var roots []int32
	seen := map[[2]int32]bool{}
	for k := range r.pairs {
		p := &r.pairs[k]
		if !p.listed || p.area <= 0 {
			continue
		}
		root := find(p.i)
		if !dirty[root] {
			continue
		}
		key := [2]int32{min(r.canon[p.i], r.canon[p.j]), max(r.canon[p.i], r.canon[p.j])}
		if p.identical {
			key = [2]int32{r.canon[p.i], -1}
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if _, ok := groups[root]; !ok {
			roots = append(roots, root)
		}
		groups[root] = append(groups[root], k)
	}
	var all []int
	for _, root := range roots {
		all = append(all, groups[root]...)
	}
	if err := r.piecesOf(ctx, all); err != nil {
		return 0, err
	}
	areas := make([]float64, len(roots))
	err = r.forEach(ctx, len(roots), func(_, t int) error {
		ks := groups[roots[t]]
		cv := geo.Cover{Pieces: make([]geo.Shape, len(ks))}
		for x, k := range ks {
			cv.Pieces[x] = r.pairs[k].piece
		}
		a, _, err := cv.AreaM2()
		if err != nil {
			return fmt.Errorf("analysis: overlaps: dissolving %d overlaps: %w", len(ks), err)
		}
		areas[t] = a
		return nil
	})
	for _, a := range areas {
		total += a
	}
	return math.Max(0, total), err
}

// pieces computes the geometry of every listed pair.
func (r *overlapRun) pieces(ctx context.Context) error {
	var ks []int
	for k := range r.pairs {
		if r.pairs[k].listed {
			ks = append(ks, k)
		}
	}
	return r.piecesOf(ctx, ks)
}

// piecesOf computes the overlap geometry of pairs ks that have none yet. A
// clean pair without crossings is one feature inside the other: its piece is
// that feature, with no overlay.
func (r *overlapRun) piecesOf(ctx context.Context, ks []int) error {
	return r.forEach(ctx, len(ks), func(_, t int) error {
		p := &r.pairs[ks[t]]
		if p.hasPiece {
			return nil
		}
		a, b := &r.feats[p.i], &r.feats[p.j]
		if !p.degenerate && len(p.ci) == 0 {
			for _, f := range []*prepFeature{a, b} {
				if math.Abs(p.area-f.area) <= 1e-9*f.area {
					p.piece, p.hasPiece = f.shape(), true
					return nil
				}
			}
		}
		x, err := geo.Intersect(a.shape(), b.shape())
		if err != nil {
			return fmt.Errorf("analysis: overlap of layer %s %s and layer %s %s: %w",
				r.layers[a.layer].Name, a.f.Label(), r.layers[b.layer].Name, b.f.Label(), err)
		}
		p.piece, p.hasPiece = x.Polygonal(), true
		if err := r.checkPiece(p.piece, p.piece.AreaM2(), a, b); err != nil {
			return err
		}
		if p.touching {
			p.piece = x
		}
		return nil
	})
}

// result fills res with the listed pairs, in order, and the summary.
func (r *overlapRun) result(res *OverlapResult) {
	involved := map[int32]bool{}
	type lp struct{ a, b int }
	by := map[lp]*LayerPairCount{}
	var keys []lp
	for k := range r.pairs {
		p := &r.pairs[k]
		if !p.listed {
			continue
		}
		a, b := &r.feats[p.i], &r.feats[p.j]
		ca, cb := r.layers[a.layer], r.layers[b.layer]
		res.Pairs = append(res.Pairs, OverlapPair{
			ALayer: ca.Name, AIndex: a.f.Index, AID: a.f.ID, AName: ca.Names[a.pos], AZone: ca.Zones[a.pos],
			BLayer: cb.Name, BIndex: b.f.Index, BID: b.f.ID, BName: cb.Names[b.pos], BZone: cb.Zones[b.pos],
			OverlapM2: p.area, APct: pct(p.area, a.area), BPct: pct(p.area, b.area), AAreaM2: a.area, BAreaM2: b.area,
			Piece: p.piece, aLayer: a.layer, bLayer: b.layer})
		involved[p.i], involved[p.j] = true, true
		s := &res.Summary
		s.Pairs++
		s.SumM2 += p.area
		if p.area == 0 {
			s.Touching++
		}
		key := lp{a.layer, b.layer}
		if by[key] == nil {
			by[key] = &LayerPairCount{ALayer: ca.Name, BLayer: cb.Name}
			keys = append(keys, key)
		}
		by[key].Pairs++
		by[key].SumM2 += p.area
	}
	sort.Slice(res.Pairs, func(x, y int) bool {
		px, py := &res.Pairs[x], &res.Pairs[y]
		switch {
		case px.aLayer != py.aLayer:
			return px.aLayer < py.aLayer
		case px.AIndex != py.AIndex:
			return px.AIndex < py.AIndex
		case px.bLayer != py.bLayer:
			return px.bLayer < py.bLayer
		}
		return px.BIndex < py.BIndex
	})
	sort.Slice(keys, func(x, y int) bool {
		if keys[x].a != keys[y].a {
			return keys[x].a < keys[y].a
		}
		return keys[x].b < keys[y].b
	})
	res.Summary.ByLayers = []LayerPairCount{}
	for _, k := range keys {
		res.Summary.ByLayers = append(res.Summary.ByLayers, *by[k])
	}
	res.Summary.Features = len(involved)
}
