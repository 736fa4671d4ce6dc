package analysis

import (
	"encoding/binary"
	"hash/fnv"
	"math"

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
	for k := range r.pairs {
		r.pairs[k].cross = geo.Crossings{}
	}
}

// shape returns the feature in the engine's form (a collection of polygons
// as a multipolygon), built only for the pairs the overlay measures.
func (p *prepFeature) shape() geo.Shape {
	if !p.coll.IsEmpty() {
		return p.coll
	}
	return p.f.Shape()
}

// neighbours gathers feature i's clean pairs: the other feature and the
// crossings on i's boundary, with the pair's index for each.
func (r *overlapRun) neighbours(i int) (nbrs []geo.Neighbour, pairs []int32) {
	nbrs, pairs = make([]geo.Neighbour, 0, len(r.adj[i])), make([]int32, 0, len(r.adj[i]))
	for _, k := range r.adj[i] {
		p := &r.pairs[k]
		if p.degenerate {
			continue
		}
		var cs geo.Crossings
		var other int32
		if int(p.i) == i {
			cs, other = p.cross, p.j
		} else {
			cs, other = p.cross.Other(), p.i
		}
		nbrs = append(nbrs, geo.Neighbour{Shape: r.feats[other].walk, Cross: cs})
		pairs = append(pairs, k)
	}
	return nbrs, pairs
}

// canonical maps each feature to the first feature with the same geometry
// (equal coordinates, found by hash), so that duplicated features cost one
// feature in the dissolve, not a quadratic number of pieces (issue 15).
func (r *overlapRun) canonical() []int32 {
	r.canon = make([]int32, len(r.feats))
	byHash := map[uint64][]int32{}
	for i := range r.feats {
		g := r.feats[i].f.Geom
		h := geomHash(g)
		r.canon[i] = int32(i)
		for _, j := range byHash[h] {
			if orb.Equal(r.feats[j].f.Geom, g) {
				r.canon[i] = j
				break
			}
		}
		if r.canon[i] == int32(i) {
			byHash[h] = append(byHash[h], int32(i))
		}
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
