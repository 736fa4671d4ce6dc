package analysis

import (
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// Overlaps measures areas by geo's boundary walk (geo.Walker): each
// candidate pair's boundaries are crossed once (geo.Walker.Cross); walking
// each feature's boundary against its neighbours then gives every pair's
// area(A ∩ B) and the area covered by two or more features, without
// building any geometry. A pair whose boundaries touch or nearly do is
// "degenerate" and is measured with the overlay engine instead.

// prepFeature is a polygonal feature prepared for the walk.
type prepFeature struct {
	layer int
	pos   int // position in its layer's Features
	f     *geo.Feature
	coll  geo.Shape // a collection of polygons as a multipolygon, in the engine's form
	walk  *geo.WalkShape
	area  float64 // m²
}

// prepare prepares f; ok is false when f has no polygonal part.
func prepare(layer, pos int, f *geo.Feature) (prepFeature, bool) {
	// Its own walk shape, not the feature's cached one: dropWalks frees it
	// once the walks are done (63 MB on the 5× set).
	w, _ := geo.NewWalkShape(f.Geom)
	if w == nil {
		return prepFeature{}, false
	}
	p := prepFeature{layer: layer, pos: pos, f: f, walk: w, area: geo.AreaM2(f.Geom)}
	if _, isColl := f.Geom.(orb.Collection); isColl {
		if s, err := geo.ShapeOf(w.Polygons()); err == nil {
			p.coll = s
		}
	}
	return p, true
}

// dropWalks frees the walk shapes and what is left of the crossings once
// no walk is left: the union's dissolves and the result need neither.
func (r *overlapRun) dropWalks() {
	for i := range r.feats {
		r.feats[i].walk = nil
	}
	r.cross = nil
}

// shape returns the feature in the engine's form (a collection of polygons
// as a multipolygon), built only for the pairs the overlay measures.
func (p *prepFeature) shape() geo.Shape {
	if !p.coll.IsEmpty() {
		return p.coll
	}
	return p.f.Shape()
}

// walkScratch is one worker's Walker and room for a walk's neighbours,
// reused from feature to feature: the walks of the 5× set would otherwise
// allocate some 100 MB, which the collector has to make room for while the
// layer is live.
type walkScratch struct {
	geo.Walker
	nbrs  []geo.Neighbour
	slots []int32
	area  []float64 // walkAreas': per slot
	ids   []int32   // walkUnion's: the other feature per slot
	withI []int32
}

// neighbours gathers feature i's clean pairs in sc: the other feature and
// the crossings on i's boundary, with the pair's index for each.
func (r *overlapRun) neighbours(i int, sc *walkScratch) (nbrs []geo.Neighbour, pairs []int32) {
	nbrs, pairs = sc.nbrs[:0], sc.slots[:0]
	for _, k := range r.adj[i] {
		p := &r.pairs[k]
		if p.degenerate {
			continue
		}
		var cs geo.Crossings
		var other int32
		if int(p.i) == i {
			cs, other = r.cross[k], p.j
		} else {
			cs, other = r.cross[k].Other(), p.i
		}
		nbrs = append(nbrs, geo.Neighbour{Shape: r.feats[other].walk, Cross: cs})
		pairs = append(pairs, k)
	}
	sc.nbrs, sc.slots = nbrs, pairs
	return nbrs, pairs
}

// canonical maps each feature to the first feature with the same geometry
// (equal coordinates, found by hash), so that duplicated features cost one
// feature in the dissolve, not a quadratic number of pieces (issue 15). The
// features are sorted by hash rather than put in a map of lists: a small
// allocation per feature is garbage the collector makes room for while the
// layer is live.
func (r *overlapRun) canonical() []int32 {
	r.canon = make([]int32, len(r.feats))
	hs := make([]uint64, len(r.feats))
	order := make([]int32, len(r.feats))
	for i := range r.feats {
		hs[i], order[i], r.canon[i] = geomHash(r.feats[i].f.Geom), int32(i), int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(hs[a], hs[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && hs[order[hi]] == hs[order[lo]] {
			hi++
		}
		// order[lo:hi]: one hash, by index; each is the first equal one before it.
		for x := lo + 1; x < hi; x++ {
			i := order[x]
			for _, j := range order[lo:x] {
				if r.canon[j] == j && orb.Equal(r.feats[j].f.Geom, r.feats[i].f.Geom) {
					r.canon[i] = j
					break
				}
			}
		}
		lo = hi
	}
	return r.canon
}

// geomHash hashes the coordinates of g's polygons.
func geomHash(g orb.Geometry) uint64 {
	h := fnv.New64a()
	var buf [16]byte
	var ring func(orb.Ring)
	ring = func(rg orb.Ring) {
		for _, p := range rg {
			binary.LittleEndian.PutUint64(buf[:8], math.Float64bits(p[0]))
			binary.LittleEndian.PutUint64(buf[8:], math.Float64bits(p[1]))
			h.Write(buf[:])
		}
		h.Write([]byte{0xff})
	}
	var walk func(orb.Geometry)
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Polygon:
			for _, rg := range g {
				ring(rg)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
				h.Write([]byte{0xfe})
			}
		case orb.Collection:
			for _, x := range g {
				walk(x)
			}
		}
	}
	walk(g)
	return h.Sum64()
}
