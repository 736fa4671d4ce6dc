package geo

import (
	"cmp"
	"slices"

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
	shapes := make([]*WalkShape, 0, len(polys)+1)
	hasClip := false
	if clip != nil {
		s, isPoly := NewWalkShape(clip)
		if !isPoly {
			return 0, true
		}
		shapes, hasClip = append(shapes, s), true
	}
	for _, g := range polys {
		if s, isPoly := NewWalkShape(g); isPoly {
			shapes = append(shapes, s)
		}
	}
	nbrs, ok := crossAll(shapes)
	if !ok {
		return 0, false
	}
	var w Walker
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
		a, _, ok := w.Walk(s, nbrs[i], keep, nil)
		if !ok {
			return 0, false
		}
		sum += a
	}
	return sum, true
}

// crossAll crosses every pair of shapes whose boxes meet, and returns each
// shape's neighbours; ok is false when a pair's boundaries touch.
func crossAll(shapes []*WalkShape) (nbrs [][]Neighbour, ok bool) {
	order := make([]int, len(shapes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return cmp.Compare(shapes[x].bound.Min[0], shapes[y].bound.Min[0]) })
	nbrs = make([][]Neighbour, len(shapes))
	var w Walker
	for x, i := range order {
		a := shapes[i]
		for _, j := range order[x+1:] {
			b := shapes[j]
			if b.bound.Min[0] > a.bound.Max[0] {
				break
			}
			if !a.bound.Intersects(b.bound) {
				continue
			}
			onA, onB, ok := w.Cross(a, b)
			if !ok {
				return nil, false
			}
			nbrs[i] = append(nbrs[i], Neighbour{Shape: b, Cross: onA})
			nbrs[j] = append(nbrs[j], Neighbour{Shape: a, Cross: onB})
		}
	}
	return nbrs, true
}
