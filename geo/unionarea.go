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
	a, _, _, _, ok := unionWalk(clip, polys, crossed, nil, walkNeighbours{}, false)
	return a, ok
}

// walkNeighbours are the neighbours of each shape of a walk, for a walk
// again over mostly the same shapes (Cover.mergeWalk after a merge). The
// clip's pairs are not carried over: its touches are not merged away, and
// the walk again must be told of them.
type walkNeighbours struct {
	of   map[*WalkShape][]Neighbour
	clip *WalkShape // nil: none
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
// known from an earlier walk over some of the same shapes, and prev (nil:
// none) the neighbours an earlier walk found (see crossAll). With collect,
// boundaries that touch do not end the search: every pair of polygons in
// contact is returned in contacts, and every polygon whose boundary touches
// the clip's in clipTouch (positions in polys), and no area is measured
// when there are any, so that the caller can take them apart and walk
// again; found is then the neighbours of this walk, for the next. ok is
// false when the walk declines (without collect: on any touch).
func unionWalk(clip *WalkShape, polys []*WalkShape, crossed []ClipCrossing, pairs pairCrossings, prev walkNeighbours, collect bool) (area float64, contacts [][2]int, clipTouch []int, found walkNeighbours, ok bool) {
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
	nbrs, ok := crossAll(w, shapes, known, touch, pairs, prev)
	if !ok {
		return 0, nil, nil, walkNeighbours{}, false
	}
	if collect {
		found = walkNeighbours{of: make(map[*WalkShape][]Neighbour, len(shapes)), clip: clip}
		for i, s := range shapes {
			found.of[s] = nbrs[i]
		}
	}
	if len(contacts) > 0 || len(clipTouch) > 0 {
		return 0, contacts, clipTouch, found, true
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
				return 0, nil, nil, walkNeighbours{}, false
			}
			touch(i, j)
			continue
		}
		sum += a
	}
	if len(contacts) > 0 || len(clipTouch) > 0 {
		return 0, contacts, clipTouch, found, true
	}
	return sum, nil, nil, found, true
}

// pairs returns the crossings of the pairs of n's shapes, for pairCrossings.
func (n walkNeighbours) pairs() pairCrossings {
	out := pairCrossings{}
	for s, nbrs := range n.of {
		for _, nb := range nbrs {
			if !nb.Cross.second { // s is the first shape of the pair
				out[[2]*WalkShape{s, nb.Shape}] = pairCross{onA: nb.Cross, ok: true}
			}
		}
	}
	return out
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
// nil, holds the pairs crossed before and records the others. prev, when not
// nil, is an earlier walk's neighbours (walkNeighbours): a pair of shapes
// both walked there is taken from it, not searched (such shapes did not
// touch there, or they would have been merged).
func crossAll(w *Walker, shapes []*WalkShape, known func(i, j int) *ClipCrossing, touch func(i, j int) bool, pairs pairCrossings, prev walkNeighbours) (nbrs [][]Neighbour, ok bool) {
	order := make([]int, len(shapes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return cmp.Compare(shapes[x].bound.Min[0], shapes[y].bound.Min[0]) })
	nbrs = make([][]Neighbour, len(shapes))
	reuse := len(pairs) > 0 || prev.of != nil // else no look-ups
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
	var gc, gn int // group's cursors: pairs come in the order of their keys
	// pair crosses shapes order[x] and order[y], x < y, whose boxes meet;
	// false: stop (a touch without touch).
	pair := func(x, y int) bool {
		i, j := order[x], order[y]
		a, b := shapes[i], shapes[j]
		var kc *ClipCrossing
		if known != nil {
			kc = known(i, j)
		}
		var onA, onB Crossings
		ok := true
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
		case kc != nil && kc.Known:
			ok = !kc.Touch
			onA, onB = kc.OnClip, kc.OnPoly
			if i != 0 { // shapes[0] is the clip
				onA, onB = onB, onA
			}
		default:
			var pc pairCross
			seen := false
			if len(pairs) > 0 {
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
		}
		if !ok {
			return touch != nil && touch(i, j)
		}
		nbrs[i] = append(nbrs[i], Neighbour{Shape: b, Cross: onA})
		nbrs[j] = append(nbrs[j], Neighbour{Shape: a, Cross: onB})
		return true
	}
	bounds := make([]orb.Bound, len(order)) // in order, read in sequence
	for x, i := range order {
		bounds[x] = shapes[i].bound
	}
	meet := func(a, b *orb.Bound) bool {
		return !(b.Max[0] < a.Min[0] || b.Min[0] > a.Max[0] || b.Max[1] < a.Min[1] || b.Min[1] > a.Max[1])
	}
	if prev.of != nil {
		return crossAgain(shapes, order, bounds, prev, nbrs, pair, meet)
	}
	if len(order) >= groupCrossFrom { // the lists in one array, each of its full size
		count := make([]int32, len(order))
		total := 0
		for x := range order {
			for y := x + 1; y < len(order) && bounds[y].Min[0] <= bounds[x].Max[0]; y++ {
				if meet(&bounds[x], &bounds[y]) {
					count[x]++
					count[y]++
					total += 2
				}
			}
		}
		all := make([]Neighbour, total)
		for x, i := range order {
			nbrs[i], all = all[:0:count[x]], all[count[x]:]
		}
	}
	for x, i := range order {
		a := shapes[i]
		if !reuse && (!grouped || x == clipRank) && several(shapes, order[x+1:], a) { // (a walk again finds most pairs known)
			w.expect(a)
		}
		ab := &bounds[x]
		for y := x + 1; y < len(order); y++ {
			bb := &bounds[y]
			if bb.Min[0] > ab.Max[0] {
				break
			}
			if meet(ab, bb) && !pair(x, y) {
				return nil, false
			}
		}
	}
	return nbrs, true
}

// crossAgain is crossAll with the neighbours of an earlier walk (prev):
// each shape walked there keeps its neighbours that are still here, and
// only the pairs with a new shape are searched.
func crossAgain(shapes []*WalkShape, order []int, bounds []orb.Bound, prev walkNeighbours, nbrs [][]Neighbour, pair func(x, y int) bool, meet func(a, b *orb.Bound) bool) ([][]Neighbour, bool) {
	here := make(map[*WalkShape]bool, len(shapes)) // true: its pairs carried over
	for _, s := range shapes {
		_, old := prev.of[s]
		here[s] = old && s != prev.clip
	}
	fresh := make([]bool, len(order)) // by rank: its pairs are searched
	for x, i := range order {
		if !here[shapes[i]] {
			fresh[x] = true
			continue
		}
		old := prev.of[shapes[i]]
		kept := make([]Neighbour, 0, len(old))
		for _, n := range old {
			if here[n.Shape] {
				kept = append(kept, n)
			}
		}
		nbrs[i] = kept
	}
	// The pairs with a new shape, by the sweep of a first walk (a merge
	// may leave many new shapes: not each against all).
	for x := range order {
		for y := x + 1; y < len(order) && bounds[y].Min[0] <= bounds[x].Max[0]; y++ {
			if (fresh[x] || fresh[y]) && meet(&bounds[x], &bounds[y]) && !pair(x, y) {
				return nil, false
			}
		}
	}
	return nbrs, true
}
