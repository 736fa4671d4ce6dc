package geo

import (
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// CoverMethod says how Cover.AreaM2 measured an area.
type CoverMethod int

const (
	CoverEmpty   CoverMethod = iota // nothing to measure
	CoverWhole                      // one polygon and no clip: its own area
	CoverWalk                       // boundary walk (ClippedUnionAreaM2), no geometry built
	CoverOverlay                    // pieces clipped (RectClip where it helps) and dissolved by the engine
)

func (m CoverMethod) String() string {
	return [...]string{"empty", "whole", "boundary-walk", "overlay"}[m]
}

// Cover is clip ∩ (the union of some polygons): what screen measures for a
// site against a layer's features, share for a region against a layer, and
// overlaps for a group of overlap pieces. The polygons come as Features
// (their lon/lat geometry, boundary-walk and engine forms, the last built
// only if the overlay runs) or as parallel Geoms and Shapes (the lon/lat and
// engine forms of each polygon); Pieces, when not nil, is parallel too and
// holds clip ∩ polygon k where the caller built it already (an empty Shape:
// not built). Without Features or Geoms only the overlay applies.
type Cover struct {
	Clip      orb.Geometry // nil: no clip, the union itself
	ClipShape Shape        // Clip in the engine's form (needed by the overlay when Clip is set)
	// ClipFeature, optional, is the feature whose geometry Clip is: its
	// engine and walk forms are taken from it (ClipShape need not be set).
	ClipFeature *Feature
	// Grid, optional, is Clip's boundary grid: a polygon whose boundary keeps
	// clear of it is taken whole or left out without an overlay.
	Grid     *BoundaryGrid
	Features []*Feature
	Geoms    []orb.Geometry
	Shapes   []Shape
	Pieces   []Shape
	// Crossed, optional, parallel to the polygons: where the clip's boundary
	// crosses each polygon's. The known ones (from an earlier cover of the
	// same clip and polygon) are not searched again; AreaM2 records the
	// others it searches, for the next cover.
	Crossed []ClipCrossing
}

// AreaM2 returns the ellipsoidal area of the cover in m² and how it was
// measured: the boundary walk when the boundaries are in general position,
// else the overlay (each polygon cut to the clip, then dissolved). Both give
// the same number (the engine differential and walk tests hold them to 1e-9).
func (c *Cover) AreaM2() (float64, CoverMethod, error) {
	n := c.count()
	if n == 0 {
		return 0, CoverEmpty, nil
	}
	if c.Clip == nil && c.hasGeoms() && n == 1 {
		return AreaM2(c.geom(0)), CoverWhole, nil
	}
	if c.hasGeoms() {
		if a, ok := c.walkArea(); ok {
			return a, CoverWalk, nil
		}
	}
	u, err := c.Union()
	if err != nil {
		return 0, CoverOverlay, err
	}
	return u.AreaM2(), CoverOverlay, nil
}

func (c *Cover) count() int {
	return max(len(c.Shapes), len(c.Pieces), len(c.Geoms), len(c.Features))
}

func (c *Cover) hasGeoms() bool {
	n := c.count()
	return len(c.Features) == n || len(c.Geoms) == n
}

// WalkAreaM2 measures the cover by the boundary walk alone; ok is false
// when the boundaries are not in general position (AreaM2 then overlays).
// It records the clip's crossings in Crossed.
func (c *Cover) WalkAreaM2() (float64, bool) {
	if !c.hasGeoms() {
		return 0, false
	}
	return c.walkArea()
}

// walkArea measures the cover by the boundary walk (ClippedUnionAreaM2).
func (c *Cover) walkArea() (float64, bool) {
	n := c.count()
	var cw *WalkShape
	if c.Clip != nil {
		if c.ClipFeature != nil {
			cw = c.ClipFeature.Walk()
		} else {
			cw, _ = NewWalkShape(c.Clip)
		}
		if cw == nil {
			return 0, true // no polygon in the clip
		}
	}
	shapes := make([]*WalkShape, n)
	for k := range shapes {
		if k < len(c.Features) {
			shapes[k] = c.Features[k].Walk()
		} else {
			shapes[k], _ = NewWalkShape(c.Geoms[k])
		}
	}
	if c.Clip != nil && len(c.Crossed) != n {
		c.Crossed = make([]ClipCrossing, n)
	}
	if n < mergeFrom {
		return clippedUnionArea(cw, shapes, c.Crossed)
	}
	parts := make([]coverPart, n)
	for k := range parts {
		parts[k] = coverPart{walk: shapes[k], orig: k}
	}
	a, parts, touch, found, ok := c.mergeWalk(cw, parts, c.Crossed, nil)
	if !ok || len(touch) == 0 {
		return a, ok
	}
	var pairs pairCrossings // the walks' crossings, shared by those of the cut
	if reusePairs {
		pairs = found.pairs()
	}
	return c.walkCut(cw, parts, touch, pairs)
}

// coverPart is one shape of the walk in walkArea: a polygon of the cover,
// or several merged, or a polygon cut to the clip.
type coverPart struct {
	walk  *WalkShape
	shape Shape // engine form of a merged or cut part
	orig  int   // the polygon it is; −1: merged or cut
}

// partShape returns p in the engine's form.
func (c *Cover) partShape(p *coverPart) (Shape, error) {
	if p.orig < 0 {
		return p.shape, nil
	}
	return c.polygonShape(p.orig)
}

// mergeRounds bounds how often mergeWalk merges and walks again before the
// cover goes to the overlay whole. Covers of fewer than mergeFrom polygons
// go to the overlay at once when the walk declines: it is cheap for them,
// and their numbers stay the overlay's to the last digit (the two methods
// agree to about 1e-14). Variables so that tests choose.
var mergeRounds, mergeFrom = 4, 256

// reusePairs: the walks of one cover share their pairs' crossings (a
// variable so that tests compare with searching every walk afresh).
var reusePairs = true

// mergeWalk measures clip (nil: none) ∩ the union of parts by the boundary
// walk. Parts whose boundaries touch are dissolved by the engine, each
// cluster linked by contacts into one shape, and the walk runs again with
// the merged shapes in place of their members (the union is the same): so
// the overlay only sees the few polygons in contact, not the whole cover.
// Merged shapes may touch others in turn, which merges again, up to
// mergeRounds times. When the clip's boundary touches some parts, no area
// is measured: touch lists them (positions in the parts returned). ok is
// false when the walk declines for another reason, or after mergeRounds.
// crossed, when not nil, is parallel to parts (Cover.Crossed). pairs keeps
// the crossings of the pairs of shapes searched, for the next round and the
// next walk: a merge replaces a few shapes, the other pairs stay.
func (c *Cover) mergeWalk(cw *WalkShape, parts []coverPart, crossed []ClipCrossing, pairs pairCrossings) (area float64, out []coverPart, touch []int, found walkNeighbours, ok bool) {
	var prev walkNeighbours
	for round := 0; ; round++ {
		walks := make([]*WalkShape, len(parts))
		for k := range parts {
			walks[k] = parts[k].walk
		}
		a, contacts, touch, found, ok := unionWalk(cw, walks, crossed, pairs, prev, true)
		if !ok {
			return 0, nil, nil, walkNeighbours{}, false
		}
		if len(contacts) == 0 {
			return a, parts, touch, found, true
		}
		if round == mergeRounds {
			return 0, nil, nil, walkNeighbours{}, false
		}
		var err error
		if parts, crossed, err = c.merge(parts, crossed, contacts); err != nil {
			return 0, nil, nil, walkNeighbours{}, false
		}
		if reusePairs {
			prev = found // the pairs of parts not merged stay
		}
	}
}

// merge dissolves each cluster of parts linked by contacts into one part.
func (c *Cover) merge(parts []coverPart, crossed []ClipCrossing, contacts [][2]int) ([]coverPart, []ClipCrossing, error) {
	parent := make([]int, len(parts))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, p := range contacts {
		parent[find(p[0])] = find(p[1])
	}
	clusters := map[int][]int{}
	var roots []int
	for i := range parts {
		r := find(i)
		if len(clusters[r]) == 0 {
			roots = append(roots, r)
		}
		clusters[r] = append(clusters[r], i)
	}
	var out []coverPart
	var oc []ClipCrossing
	for _, r := range roots {
		members := clusters[r]
		if len(members) == 1 {
			out = append(out, parts[members[0]])
			if crossed != nil {
				oc = append(oc, crossed[members[0]])
			}
			continue
		}
		shapes := make([]Shape, 0, len(members))
		for _, k := range members {
			s, err := c.partShape(&parts[k])
			if err != nil {
				return nil, nil, err
			}
			shapes = append(shapes, s)
		}
		u, err := Dissolve(shapes)
		if err != nil {
			return nil, nil, err
		}
		ws, _ := NewWalkShape(u.Orb())
		out = append(out, coverPart{walk: ws, shape: u, orig: -1})
		if crossed != nil {
			oc = append(oc, ClipCrossing{})
		}
	}
	return out, oc, nil
}

// walkCut measures the cover when the clip's boundary touches some parts
// (touch): with Q the union of those parts cut to the clip (by the engine,
// one pair each) and R the union of the others,
//
//	area(clip ∩ (R ∪ Q)) = area(clip ∩ R) + area(Q \ R)
//	area(Q \ R) = area(N ∪ Q) − area(N)
//
// as Q lies in the clip, where N is the union of the parts of R whose boxes
// meet Q's (the others miss Q): one walk over R and two over the few parts
// around Q, none with a touch of the clip. ok is false when a walk declines.
// pairs holds the crossings mergeWalk found: only the pairs with a part of
// Q are searched.
func (c *Cover) walkCut(cw *WalkShape, parts []coverPart, touch []int, pairs pairCrossings) (float64, bool) {
	cut := make([]bool, len(parts))
	for _, k := range touch {
		cut[k] = true
	}
	clip := c.clipShape()
	if clip.IsEmpty() {
		return 0, false
	}
	var rest, q []coverPart
	for k := range parts {
		if !cut[k] {
			rest = append(rest, parts[k])
			continue
		}
		s, err := c.partShape(&parts[k])
		if err != nil {
			return 0, false
		}
		p, err := Intersect(clip, s)
		if err != nil {
			return 0, false
		}
		if p = p.Polygonal(); p.IsEmpty() {
			continue
		}
		ws, _ := NewWalkShape(p.Orb())
		q = append(q, coverPart{walk: ws, shape: p, orig: -1})
	}
	var qt rtree.RTreeG[int] // Q's boxes: N is found in |R| log |Q|
	for k, p := range q {
		if p.walk != nil {
			qt.Insert(p.walk.bound.Min, p.walk.bound.Max, k)
		}
	}
	var near []coverPart // N, in R's order
	for _, r := range rest {
		if r.walk == nil {
			continue
		}
		meets := false
		qt.Search(r.walk.bound.Min, r.walk.bound.Max, func(_, _ [2]float64, _ int) bool {
			meets = true
			return false
		})
		if meets {
			near = append(near, r)
		}
	}
	inClip, _, t1, _, ok1 := c.mergeWalk(cw, rest, nil, pairs)
	n, _, _, _, ok2 := c.mergeWalk(nil, near, nil, pairs)
	nq, _, _, _, ok3 := c.mergeWalk(nil, append(near, q...), nil, pairs)
	if !ok1 || !ok2 || !ok3 || len(t1) > 0 {
		return 0, false
	}
	return inClip + nq - n, true
}

// polygonShape returns polygon k in the engine's form, built from its
// lon/lat geometry when the cover has no engine form of it.
func (c *Cover) polygonShape(k int) (Shape, error) {
	if s := c.shape(k); !s.IsEmpty() {
		return s.Polygonal(), nil
	}
	return ShapeOf(c.geom(k))
}

// geom returns polygon k in lon/lat (nil when not given).
func (c *Cover) geom(k int) orb.Geometry {
	switch {
	case k < len(c.Features):
		return c.Features[k].Geom
	case k < len(c.Geoms):
		return c.Geoms[k]
	}
	return nil
}

// shape returns polygon k in the engine's form.
func (c *Cover) shape(k int) Shape {
	if k < len(c.Shapes) {
		return c.Shapes[k]
	}
	if k < len(c.Features) {
		return c.Features[k].Shape()
	}
	return Shape{}
}

func (c *Cover) clipShape() Shape {
	if c.ClipFeature != nil && c.ClipShape.IsEmpty() {
		return c.ClipFeature.Shape()
	}
	return c.ClipShape
}

// Union builds the cover's geometry: every piece clip ∩ polygon (cut to the
// clip's box first, or decided by Grid), dissolved.
func (c *Cover) Union() (Shape, error) {
	n := c.count()
	pieces := make([]Shape, 0, n)
	for k := 0; k < n; k++ {
		var p Shape
		if k < len(c.Pieces) && !c.Pieces[k].IsEmpty() {
			p = c.Pieces[k]
		} else if k < len(c.Shapes) || k < len(c.Features) {
			var err error
			if p, err = c.piece(k); err != nil {
				return Shape{}, err
			}
		}
		if !p.IsEmpty() {
			pieces = append(pieces, p)
		}
	}
	return Dissolve(pieces)
}

// BuildPieces fills Pieces with clip ∩ polygon k for every polygon whose
// piece is not built yet (the same pieces Union builds), so that a caller
// measuring several covers over the same polygons, such as the classes of a
// layer and the layer itself, builds each piece once.
func (c *Cover) BuildPieces() error {
	n := max(len(c.Shapes), len(c.Pieces), len(c.Geoms))
	if len(c.Pieces) < n {
		c.Pieces = append(c.Pieces, make([]Shape, n-len(c.Pieces))...)
	}
	for k := 0; k < n; k++ {
		if !c.Pieces[k].IsEmpty() || k >= len(c.Shapes) {
			continue
		}
		p, err := c.piece(k)
		if err != nil {
			return err
		}
		c.Pieces[k] = p
	}
	return nil
}

// piece returns clip ∩ polygon k.
func (c *Cover) piece(k int) (Shape, error) {
	if c.Clip == nil {
		return c.shape(k).Polygonal(), nil
	}
	g := c.geom(k)
	if c.Grid != nil && g != nil && c.Grid.Clear(g) && !c.Grid.VertexIn(g.Bound()) {
		switch all, none := c.Grid.PartsInside(g); {
		case all && !none:
			return c.shape(k).Polygonal(), nil
		case none && !all:
			return Shape{}, nil
		}
	}
	clip := c.clipShape()
	var s Shape
	if g != nil {
		cut, covers, ok := cutTo(g, BoundOf(g), clipBox(clip.Bound()))
		if covers {
			return clip.Polygonal(), nil
		}
		if ok && cut.IsEmpty() {
			return Shape{}, nil
		}
		if ok {
			s = cut
		}
	}
	if s.IsEmpty() {
		s = c.shape(k)
	}
	p, err := Intersect(clip, s)
	if err != nil {
		return Shape{}, err
	}
	return p.Polygonal(), nil
}
