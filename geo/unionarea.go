package geo

import (
	"cmp"
	"slices"
	"sync"

	"github.com/paulmach/orb"
)

// ClippedUnionAreaM2 returns the ellipsoidal area, in m², of clip ∩ (the
// union of polys), without building any geometry: by the boundary walk
// (Walker), the boundary of the result is made of the pieces of the
// polygons' edges that lie outside every other polygon and inside clip, plus
// the pieces of clip's edges inside some polygon.
//
// It works in general position only: when two boundaries touch, share a
// vertex or run along each other (or nearly so), it returns ok = false and
// the caller falls back to overlay (geo.Intersect and geo.Dissolve). A nil
// clip means no clipping. Polygons must be valid (see Validate).
func ClippedUnionAreaM2(clip orb.Geometry, polys []orb.Geometry) (area float64, ok bool) {
	var cw *WalkShape
	if clip != nil {
		var isPoly bool
		if cw, isPoly = NewWalkShape(clip); !isPoly {
			return 0, true
		}
	}
	shapes := make([]*WalkShape, len(polys))
	for k, g := range polys {
		shapes[k], _ = NewWalkShape(g)
	}
	return clippedUnionArea(cw, shapes, nil)
}

// walkers keeps Walkers' scratch space between measures.
var walkers = sync.Pool{New: func() any { return new(Walker) }}

// ClipCrossing is where a clip's boundary crosses one polygon's, as the
// walk found it (Walker.Cross), kept so that another measure of the same
// clip and polygon need not search again (Cover.Crossed).
type ClipCrossing struct {
	Known          bool // searched; the fields below hold
	Touch          bool // the boundaries touch: the walk declines the pair
	OnClip, OnPoly Crossings
}

// clippedUnionArea is ClippedUnionAreaM2 on prepared shapes (nil ones,
// without polygons, are left out); clip may be nil. crossed, when not nil,
// is parallel to shapes: the known crossings of the clip with each are
// used, the others searched and recorded there.
func clippedUnionArea(clip *WalkShape, polys []*WalkShape, crossed []ClipCrossing) (float64, bool) {
	a, _, _, ok := unionWalk(clip, polys, crossed, nil, false)
	return a, ok
}

// pairCrossings keeps what Walker.Cross(a, b) returned for pairs of shapes,
// keyed by (a, b) in that order, so that a cover walked again after merging
// (Cover.mergeWalk, Cover.walkCut) does not search the unchanged pairs
// again. The same order only: Cross(b, a) computes the points from b's edges,
// which may differ in the last bit.
type pairCrossings map[[2]*WalkShape]pairCross

type pairCross struct {
	onA Crossings // onB is onA.Other()
	ok  bool
}

// unionWalk is clippedUnionArea, with pairs (nil: none) the crossings
// known from an earlier walk over some of the same shapes. With collect, boundaries that touch do not
// end the search: every pair of polygons in contact is returned in contacts,
// and every polygon whose boundary touches the clip's in clipTouch
// (positions in polys), and no area is measured when there are any, so that
// the caller can take them apart and walk again. ok is false when the walk
// declines (without collect: on any touch).
func unionWalk(clip *WalkShape, polys []*WalkShape, crossed []ClipCrossing, pairs pairCrossings, collect bool) (area float64, contacts [][2]int, clipTouch []int, ok bool) {
	shapes := make([]*WalkShape, 0, len(polys)+1)
	pos := make([]int, 0, len(polys)+1) // index in polys, −1 for the clip
	hasClip := clip != nil
	if hasClip {
		shapes, pos = append(shapes, clip), append(pos, -1)
	}
	for k, s := range polys {
		if s != nil {
			shapes, pos = append(shapes, s), append(pos, k)
		}
	}
	var known func(i, j int) *ClipCrossing
	if hasClip && crossed != nil {
		known = func(i, j int) *ClipCrossing {
			switch {
			case pos[i] < 0:
				return &crossed[pos[j]]
			case pos[j] < 0:
				return &crossed[pos[i]]
			}
			return nil
		}
	}
	var touch func(i, j int) bool
	if collect {
		touch = func(i, j int) bool {
			switch {
			case pos[i] < 0:
				clipTouch = append(clipTouch, pos[j])
			case pos[j] < 0:
				clipTouch = append(clipTouch, pos[i])
			default:
				contacts = append(contacts, [2]int{pos[i], pos[j]})
			}
			return true
		}
	}
	w := walkers.Get().(*Walker)
	defer walkers.Put(w)
	nbrs, ok := crossAll(w, shapes, known, touch, pairs)
	if !ok {
		return 0, nil, nil, false
	}
	if len(contacts) > 0 || len(clipTouch) > 0 {
		return 0, contacts, clipTouch, true
	}
	var sum float64
	for i, s := range shapes {
		isClip := hasClip && i == 0
		clipAt := -1 // the clip's position among i's neighbours
		if hasClip && !isClip {
			for j := range nbrs[i] {
				if nbrs[i][j].Shape == shapes[0] {
					clipAt = j
				}
			}
			if clipAt < 0 {
				continue // outside the clip's box
			}
		}
		keep := func(inside []int32) bool {
			if isClip {
				return len(inside) > 0
			}
			if !hasClip {
				return len(inside) == 0
			}
			return len(inside) == 1 && int(inside[0]) == clipAt
		}
		a, bad, ok := w.Walk(s, nbrs[i], keep, nil)
		if !ok {
			// A ring starts on a neighbour's boundary: a contact too.
			j := slices.Index(shapes, nbrs[i][bad].Shape)
			if !collect || j < 0 {
				return 0, nil, nil, false
			}
			touch(i, j)
			continue
		}
		sum += a
	}
	if len(contacts) > 0 || len(clipTouch) > 0 {
		return 0, contacts, clipTouch, true
	}
	return sum, nil, nil, true
}

// several reports whether at least two of the shapes at next (sorted by
// their boxes' west sides) have boxes meeting a's.
func several(shapes []*WalkShape, next []int, a *WalkShape) bool {
	n := 0
	for _, j := range next {
		b := shapes[j]
		if b.bound.Min[0] > a.bound.Max[0] {
			break
		}
		if a.bound.Intersects(b.bound) {
			if n++; n == 2 {
				return true
			}
		}
	}
	return false
}

// crossAll crosses every pair of shapes whose boxes meet, and returns each
// shape's neighbours; ok is false when a pair's boundaries touch. known,
// when not nil, returns for a pair (i, j) with shapes[i] the clip or
// shapes[j] the clip where its crossings are kept (nil for other pairs):
// known ones are not searched again, others are recorded. touch, when not
// nil, is told of each pair whose boundaries touch: when it returns true the
// search goes on (the pair is left out of the neighbours). pairs, when not
// nil, holds the pairs crossed before and records the others.
func crossAll(w *Walker, shapes []*WalkShape, known func(i, j int) *ClipCrossing, touch func(i, j int) bool, pairs pairCrossings) (nbrs [][]Neighbour, ok bool) {
	order := make([]int, len(shapes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return cmp.Compare(shapes[x].bound.Min[0], shapes[y].bound.Min[0]) })
	nbrs = make([][]Neighbour, len(shapes))
	reuse := len(pairs) > 0 // else no look-ups
	// A first walk over many shapes crosses them all at once (crossGroup),
	// but for the clip's pairs, which known keeps.
	var group groupCrossings
	grouped, clipRank := false, -1
	if !reuse && len(shapes) >= groupCrossFrom {
		ranked := make([]*WalkShape, len(order))
		for x, i := range order {
			ranked[x] = shapes[i]
			if known != nil && i == 0 {
				clipRank = x
			}
		}
		group, grouped = w.crossGroup(ranked, clipRank)
	}
	var gc, gn int                          // group's cursors: pairs come in the order of their keys
	bounds := make([]orb.Bound, len(order)) // in order, read in sequence
	for x, i := range order {
		bounds[x] = shapes[i].bound
	}
	for x, i := range order {
		a := shapes[i]
		if !reuse && (!grouped || x == clipRank) && several(shapes, order[x+1:], a) { // (a walk again finds most pairs known)
			w.expect(a)
		}
		ab := bounds[x]
		for y := x + 1; y < len(order); y++ {
			bb := &bounds[y]
			if bb.Min[0] > ab.Max[0] {
				break
			}
			if bb.Max[0] < ab.Min[0] || bb.Max[1] < ab.Min[1] || bb.Min[1] > ab.Max[1] {
				continue // the boxes miss
			}
			j := order[y]
			b := shapes[j]
			var kc *ClipCrossing
			if known != nil {
				kc = known(i, j)
			}
			var onA, onB Crossings
			switch {
			case grouped && x != clipRank && y != clipRank:
				key := pairKey(int32(x), int32(y))
				for gc < len(group.keys) && group.keys[gc] < key {
					gc++
				}
				lo := gc
				for gc < len(group.keys) && group.keys[gc] == key {
					gc++
				}
				for gn < len(group.near) && group.near[gn] < key {
					gn++
				}
				ok = gn == len(group.near) || group.near[gn] != key
				if ok && gc > lo {
					onA, onB = Crossings{pts: group.pts[lo:gc:gc]}, Crossings{pts: group.pts[lo:gc:gc], second: true}
				}
				if pairs != nil {
					pairs[[2]*WalkShape{a, b}] = pairCross{onA, ok}
				}
				if !ok {
					if touch != nil && touch(i, j) {
						continue
					}
					return nil, false
				}
			case kc != nil && kc.Known:
				if kc.Touch {
					if touch != nil && touch(i, j) {
						continue
					}
					return nil, false
				}
				onA, onB = kc.OnClip, kc.OnPoly
				if i != 0 { // shapes[0] is the clip
					onA, onB = onB, onA
				}
			default:
				var pc pairCross
				seen := false
				if reuse {
					pc, seen = pairs[[2]*WalkShape{a, b}]
				}
				if seen {
					onA, onB, ok = pc.onA, pc.onA.Other(), pc.ok
				} else {
					onA, onB, ok = w.Cross(a, b)
					if pairs != nil {
						pairs[[2]*WalkShape{a, b}] = pairCross{onA, ok}
					}
				}
				if kc != nil {
					*kc = ClipCrossing{Known: true, Touch: !ok, OnClip: onA, OnPoly: onB}
					if i != 0 {
						kc.OnClip, kc.OnPoly = onB, onA
					}
				}
				if !ok {
					if touch != nil && touch(i, j) {
						continue
					}
					return nil, false
				}
			}
			nbrs[i] = append(nbrs[i], Neighbour{Shape: b, Cross: onA})
			nbrs[j] = append(nbrs[j], Neighbour{Shape: a, Cross: onB})
		}
	}
	return nbrs, true
}
