package geo

import (
	"github.com/paulmach/orb"
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
	if c.hasGeoms() && !c.touchKnown() {
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

// touchKnown reports a polygon known to touch the clip: the walk would
// decline.
func (c *Cover) touchKnown() bool {
	for _, k := range c.Crossed {
		if k.Known && k.Touch {
			return true
		}
	}
	return false
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
	return clippedUnionArea(cw, shapes, c.Crossed)
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
