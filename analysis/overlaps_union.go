package analysis

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// splitFrom is the number of distinct pieces from which a dirty component
// is split (see splitWalk) instead of dissolved whole: below it the engine
// is cheap and the numbers stay the dissolve's to the last digit. A
// variable so that tests choose.
var splitFrom = 256

// splitDeclines makes every walk of splitWalk decline, for the tests of
// its fallback.
var splitDeclines bool

// union returns the area of the union O of the listed pairs' overlaps. The
// pairs are grouped into components (features linked by listed pairs, and
// by the pairs of positive area that MinAreaM2 leaves out); a
// component whose features have only clean pairs is measured by a second
// walk (the boundary of the covered region is made of the pieces of the
// features' boundaries where covered(·) changes). A dirty component, with a
// degenerate pair of positive area, is dissolved by the engine when small,
// else split into a walk and a few local dissolves (splitWalk). Once the
// walks are done, only the features of the pieces left to build are kept
// (releaseUnneeded).
func (r *overlapRun) union(ctx context.Context) (float64, error) {
	comps := newForest(len(r.feats))
	inPair := make([]bool, len(r.feats))
	for k := range r.pairs {
		p := &r.pairs[k]
		if !p.listed || p.area <= 0 {
			continue
		}
		inPair[p.i], inPair[p.j] = true, true
		comps.join(p.i, p.j)
	}
	// A pair left out by MinAreaM2 can still overlap two components'
	// overlaps (ground in a–b and in c–d is in a and c): such components
	// are measured as one. Unrelated pairs cannot link them: of a, b, c, d
	// some two across are related.
	for k := range r.pairs {
		p := &r.pairs[k]
		if p.area > 0 && !p.listed && inPair[p.i] && inPair[p.j] && r.related(r.feats[p.i].layer, r.feats[p.j].layer) {
			comps.join(p.i, p.j)
		}
	}
	comp := make([]int32, len(r.feats)) // resolved once: the walks read it in parallel
	for i := range comp {
		comp[i] = comps.find(int32(i))
	}
	dirty := map[int32]bool{}
	inD := make([]bool, len(r.feats)) // in a degenerate pair of positive area
	for k := range r.pairs {
		p := &r.pairs[k]
		if p.degenerate && p.area > 0 {
			for _, i := range []int32{p.i, p.j} {
				inD[i] = true
				if inPair[i] {
					dirty[comp[i]] = true
				}
			}
		}
	}
	// Clean components: walk each feature again, counting the sub-edges
	// that bound the covered region.
	var clean []int
	for i := range r.feats {
		if inPair[i] && !dirty[comp[i]] {
			clean = append(clean, i)
		}
	}
	part, ok, err := r.walkUnion(ctx, clean, nil)
	if err != nil {
		return 0, err
	}
	var total float64
	for t, u := range part {
		if !ok[t] {
			return 0, fmt.Errorf("analysis: overlaps: %s: ring start on a neighbour's boundary", r.feats[clean[t]].f.Label())
		}
		total += u
	}
	groups, roots := r.dirtyPieces(comp, dirty)
	var small, large []int32
	for _, root := range roots {
		if len(groups[root]) < splitFrom {
			small = append(small, root)
		} else {
			large = append(large, root)
		}
	}
	split, failed, err := r.splitWalk(ctx, large, comp, inD)
	if err != nil {
		return 0, err
	}
	r.dropWalks()
	r.splitComponents, r.splitFallbacks = len(large)-len(failed), len(failed)
	cs, build := r.splitClusters(large, failed, groups, comp, inD)
	small = append(small, failed...)
	// Small dirty components, and those where the split's walk declined:
	// dissolve their pieces.
	var all []int
	for _, root := range small {
		all = append(all, groups[root]...)
	}
	r.releaseUnneeded(build, all)
	diff, err := r.splitDissolve(ctx, cs, build)
	for _, d := range diff {
		split += d
	}
	if err != nil {
		return 0, err
	}
	if err := r.piecesOf(ctx, all); err != nil {
		return 0, err
	}
	areas := make([]float64, len(small))
	err = r.forEach(ctx, len(small), func(_, t int) error {
		a, err := r.dissolve(groups[small[t]])
		areas[t] = a
		return err
	})
	for _, a := range areas {
		total += a
	}
	return math.Max(0, total+split), err
}

// walkUnion walks each feature of feats again against its clean neighbours
// (those nbr accepts; nil: all), adding up the pieces of its boundary that
// bound the union of the listed pairs. ok[t] is false when feats[t]'s walk
// declined. It is each feature's last walk: the crossings on its boundary
// are dropped after it.
func (r *overlapRun) walkUnion(ctx context.Context, feats []int, nbr func(i, other int32) bool) (part []float64, ok []bool, err error) {
	part, ok = make([]float64, len(feats)), make([]bool, len(feats))
	scr := make([]walkScratch, r.opt.Workers)
	err = r.forEach(ctx, len(feats), func(w, t int) error {
		i := feats[t]
		sc := &scr[w]
		nbrs, slots := r.neighbours(i, sc)
		ids := slices.Grow(sc.ids[:0], len(slots))[:len(slots)]
		sc.ids = ids
		for s, k := range slots {
			ids[s] = r.pairs[k].i + r.pairs[k].j - int32(i)
		}
		if nbr != nil {
			n := 0
			for s := range slots {
				if nbr(int32(i), ids[s]) {
					nbrs[n], ids[n] = nbrs[s], ids[s]
					n++
				}
			}
			nbrs, ids = nbrs[:n], ids[:n]
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
					if k := r.pairOf(a, b); k >= 0 && r.pairs[k].listed && r.pairs[k].area > 0 {
						return true
					}
				}
			}
			return false
		}
		// The pieces of i's boundary that bound the covered region: covered
		// with i on their left, not covered without it.
		withI := sc.withI[:0]
		keep := func(inside []int32) bool {
			if len(inside) == 0 {
				return false
			}
			withI = append(append(withI[:0], inside...), -1)
			return covered(withI) && !covered(inside)
		}
		part[t], _, ok[t] = sc.Walk(r.feats[i].walk, nbrs, keep, nil)
		sc.withI = withI
		return nil
	})
	return part, ok, err
}

// dirtyPieces lists the pieces of each dirty component (by its root, in
// roots' order), each distinct piece once: the pairs of duplicated features
// have the same piece (a pair of identical features: the feature itself).
func (r *overlapRun) dirtyPieces(comp []int32, dirty map[int32]bool) (groups map[int32][]int, roots []int32) {
	groups = map[int32][]int{}
	in := func(p *pairRec) bool { return p.listed && p.area > 0 && dirty[comp[p.i]] }
	// Only a pair with a duplicated feature can share its piece with another
	// pair: any other's key is its own (i, j). So only the keys of those
	// pairs are kept (taken: listed already), not one per piece (325 k on
	// the 5× set).
	taken := map[[2]int32]bool{}
	for k := range r.pairs {
		if p := &r.pairs[k]; in(p) && (p.identical || r.canon[p.i] != p.i || r.canon[p.j] != p.j) {
			taken[r.pieceKey(p)] = false
		}
	}
	for k := range r.pairs {
		p := &r.pairs[k]
		if !in(p) {
			continue
		}
		key := r.pieceKey(p)
		if t, ok := taken[key]; ok {
			if t {
				continue
			}
			taken[key] = true
		}
		root := comp[p.i]
		if _, ok := groups[root]; !ok {
			roots = append(roots, root)
		}
		groups[root] = append(groups[root], k)
	}
	return groups, roots
}

// pieceKey names a pair's piece by the canonical features: the pairs of
// duplicated features share it.
func (r *overlapRun) pieceKey(p *pairRec) [2]int32 {
	if p.identical {
		return [2]int32{r.canon[p.i], -1}
	}
	return [2]int32{min(r.canon[p.i], r.canon[p.j]), max(r.canon[p.i], r.canon[p.j])}
}

// dissolve returns the area of the union of pairs ks' pieces (built).
func (r *overlapRun) dissolve(ks []int) (float64, error) {
	cv := geo.Cover{Pieces: make([]geo.Shape, len(ks))}
	for x, k := range ks {
		cv.Pieces[x], _ = r.pieceOf(k)
	}
	a, _, err := cv.AreaM2()
	if err != nil {
		return 0, fmt.Errorf("analysis: overlaps: dissolving %d overlaps: %w", len(ks), err)
	}
	return a, nil
}

// A dirty component too large to dissolve whole is split. In a component,
// let D be its features in a degenerate pair of positive area (inD), O' the
// union of the listed pairs of the other features and O_D that of the pairs
// with a feature in D. Every pair of positive area outside D is clean, so O'
// is walked as a clean component is, with D left out (splitWalk); and
//
//	area(O) = area(O') + area(O_D \ O').
//
// O_D lies in the union of D, cut into clusters (D features linked by pairs
// of positive area, so that the clusters overlap nowhere); O_D^c, the pieces
// with a feature in cluster c, lies in c. A piece of O' that meets O_D^c has
// both features overlapping a feature of c: with N_c the union of the pieces
// of O' whose features are both paired with c's (their boxes meet),
//
//	area(O_D^c \ O') = area(O_D^c) − area(O_D^c ∩ N_c),
//
// measured by the engine on the few pieces around D (splitClusters finds
// them, splitDissolve measures them).

// splitWalk measures area(O') of the dirty components roots, summed over
// those where no walk declined. failed lists the others: the caller
// dissolves them whole, so that no number changes silently.
func (r *overlapRun) splitWalk(ctx context.Context, roots []int32, comp []int32, inD []bool) (area float64, failed []int32, err error) {
	if len(roots) == 0 {
		return 0, nil, nil
	}
	large := map[int32]bool{}
	for _, root := range roots {
		large[root] = true
	}
	// area(O'): the features outside D walked against each other.
	var feats []int
	for i := range r.feats {
		if large[comp[i]] && !inD[i] && len(r.adj[i]) > 0 {
			feats = append(feats, i)
		}
	}
	part, ok, err := r.walkUnion(ctx, feats, func(i, other int32) bool {
		return !inD[other] && comp[other] == comp[i]
	})
	if err != nil {
		return 0, nil, err
	}
	bad := map[int32]bool{}
	for t := range feats {
		if !ok[t] || splitDeclines {
			bad[comp[feats[t]]] = true
		}
	}
	for _, root := range roots {
		if bad[root] {
			failed = append(failed, root)
		}
	}
	for t, u := range part {
		if !bad[comp[feats[t]]] {
			area += u
		}
	}
	return area, failed, nil
}

// splitCluster is a cluster c of D.
type splitCluster struct {
	box    orb.Bound
	in     []int32 // its features
	od, nc []int   // the pairs of O_D^c and N_c
}

// splitClusters returns the clusters of D in the components roots but
// failed, and the pairs whose pieces they need, each once (build).
func (r *overlapRun) splitClusters(roots, failed []int32, groups map[int32][]int, comp []int32, inD []bool) (cs []*splitCluster, build []int) {
	split := map[int32]bool{}
	for _, root := range roots {
		split[root] = true
	}
	for _, root := range failed {
		delete(split, root)
	}
	if len(split) == 0 {
		return nil, nil
	}
	// The clusters of D, per component (components are measured apart).
	clusters := newForest(len(r.feats))
	for k := range r.pairs {
		p := &r.pairs[k]
		if p.area > 0 && inD[p.i] && inD[p.j] && comp[p.i] == comp[p.j] {
			clusters.join(p.i, p.j)
		}
	}
	of := map[int32]*splitCluster{}
	at := func(d int32) *splitCluster {
		root := clusters.find(d)
		c := of[root]
		if c == nil {
			c = &splitCluster{box: r.feats[d].f.Bound}
			of[root] = c
			cs = append(cs, c)
		}
		return c
	}
	for _, root := range roots {
		if !split[root] {
			continue
		}
		for _, k := range groups[root] {
			p := &r.pairs[k]
			d := p.i
			if !inD[d] {
				d = p.j
			}
			if inD[d] {
				c := at(d)
				c.od = append(c.od, k)
			}
		}
	}
	for i := range r.feats {
		if inD[i] && split[comp[i]] {
			if c := of[clusters.find(int32(i))]; c != nil {
				c.in = append(c.in, int32(i))
				c.box = c.box.Union(r.feats[i].f.Bound)
			}
		}
	}
	// N_c: the listed pairs, outside D and in the component, of two
	// features whose boxes meet those of c's features, and whose common box
	// meets c's.
	need := map[int]bool{}
	for _, c := range cs {
		near := map[int32]bool{}
		var fs []int32
		for _, d := range c.in {
			for _, k := range r.adj[d] {
				if f := r.pairs[k].i + r.pairs[k].j - d; !inD[f] && !near[f] {
					near[f] = true
					fs = append(fs, f)
				}
			}
		}
		for _, f := range fs {
			for _, k := range r.adj[f] {
				q := &r.pairs[k]
				if q.i != f || !near[q.j] || !q.listed || q.area <= 0 || comp[f] != comp[c.in[0]] ||
					!commonBox(r.feats[q.i].f.Bound, r.feats[q.j].f.Bound).Intersects(c.box) {
					continue // each pair once, from its first feature
				}
				c.nc = append(c.nc, int(k))
			}
		}
		for _, ks := range [][]int{c.od, c.nc} {
			for _, k := range ks {
				if !need[k] {
					need[k] = true
					build = append(build, k)
				}
			}
		}
	}
	return cs, build
}

// splitDissolve returns area(O_D^c \ O') per cluster of cs, building the
// pieces build first.
func (r *overlapRun) splitDissolve(ctx context.Context, cs []*splitCluster, build []int) ([]float64, error) {
	if err := r.piecesOf(ctx, build); err != nil {
		return nil, err
	}
	diff := make([]float64, len(cs))
	err := r.forEach(ctx, len(cs), func(_, t int) error {
		a, err := r.outside(cs[t].od, cs[t].nc)
		diff[t] = a
		return err
	})
	return diff, err
}

// outside returns area(U \ N), U and N the unions of pairs od's and nc's
// pieces (built), as area(U) − area(U ∩ N): N's pieces are cut to U first,
// so that the engine dissolves only what lies in U, not the pieces around.
func (r *overlapRun) outside(od, nc []int) (float64, error) {
	var pieces []geo.Shape
	for _, k := range od {
		if p, _ := r.pieceOf(k); !p.IsEmpty() {
			pieces = append(pieces, p)
		}
	}
	u, err := geo.Dissolve(pieces)
	if err != nil {
		return 0, fmt.Errorf("analysis: overlaps: dissolving %d overlaps: %w", len(pieces), err)
	}
	ub := u.Bound()
	var cut []geo.Shape
	for _, k := range nc {
		p, _ := r.pieceOf(k)
		if p.IsEmpty() || !p.Bound().Intersects(ub) {
			continue
		}
		x, err := geo.Intersect(p, u)
		if err != nil {
			return 0, fmt.Errorf("analysis: overlaps: cutting an overlap to %d others: %w", len(pieces), err)
		}
		if x = x.Polygonal(); !x.IsEmpty() {
			cut = append(cut, x)
		}
	}
	in, err := geo.Dissolve(cut)
	if err != nil {
		return 0, fmt.Errorf("analysis: overlaps: dissolving %d overlaps: %w", len(cut), err)
	}
	return u.AreaM2() - in.AreaM2(), nil
}

// forest is a union-find over features.
type forest []int32

func newForest(n int) forest {
	f := make(forest, n)
	for i := range f {
		f[i] = int32(i)
	}
	return f
}

func (f forest) find(i int32) int32 {
	for f[i] != i {
		f[i] = f[f[i]]
		i = f[i]
	}
	return i
}

func (f forest) join(a, b int32) { f[f.find(a)] = f.find(b) }

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
		k := ks[t]
		p := &r.pairs[k]
		if _, ok := r.pieceOf(k); ok {
			return nil
		}
		a, b := &r.feats[p.i], &r.feats[p.j]
		if a.f.Geom == nil || b.f.Geom == nil { // releaseUnneeded's contract broken: never a wrong piece
			return fmt.Errorf("analysis: overlap of layer %s %s and layer %s %s: geometry released",
				r.layers[a.layer].Name, a.f.Label(), r.layers[b.layer].Name, b.f.Label())
		}
		if !p.degenerate && !p.crosses {
			for _, f := range []*prepFeature{a, b} {
				if math.Abs(p.area-f.area) <= 1e-9*f.area {
					r.setPiece(k, f.shape())
					return nil
				}
			}
		}
		x, err := geo.Intersect(a.shape(), b.shape())
		if err != nil {
			return fmt.Errorf("analysis: overlap of layer %s %s and layer %s %s: %w",
				r.layers[a.layer].Name, a.f.Label(), r.layers[b.layer].Name, b.f.Label(), err)
		}
		piece := x.Polygonal()
		if err := r.checkPiece(piece, piece.AreaM2(), a, b); err != nil {
			return err
		}
		if p.touching {
			piece = x
		}
		r.setPiece(k, piece)
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
		piece, _ := r.pieceOf(k)
		res.Pairs = append(res.Pairs, OverlapPair{
			ALayer: ca.Name, AIndex: a.f.Index, AID: a.f.ID, AName: ca.Names[a.pos], AZone: ca.Zones[a.pos],
			BLayer: cb.Name, BIndex: b.f.Index, BID: b.f.ID, BName: cb.Names[b.pos], BZone: cb.Zones[b.pos],
			OverlapM2: p.area, APct: pct(p.area, a.area), BPct: pct(p.area, b.area), AAreaM2: a.area, BAreaM2: b.area,
			Piece: piece, aLayer: a.layer, bLayer: b.layer})
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
