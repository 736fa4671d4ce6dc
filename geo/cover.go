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
// overlaps for a group of overlap pieces. Geoms and Shapes are parallel (the
// lon/lat and engine forms of each polygon); Pieces, when not nil, is too and
// holds clip ∩ polygon k where the caller built it already (an empty Shape:
// not built). Without Geoms only the overlay applies.
type Cover struct {
	Clip      orb.Geometry // nil: no clip, the union itself
	ClipShape Shape        // Clip in the engine's form (needed by the overlay when Clip is set)
	// Grid, optional, is Clip's boundary grid: a polygon whose boundary keeps
	// clear of it is taken whole or left out without an overlay.
	Grid   *BoundaryGrid
	Geoms  []orb.Geometry
	Shapes []Shape
	Pieces []Shape
}

// AreaM2 returns the ellipsoidal area of the cover in m² and how it was
// measured: the boundary walk when the boundaries are in general position,
// else the overlay (each polygon cut to the clip, then dissolved). Both give
// the same number (the engine differential and walk tests hold them to 1e-9).
func (c *Cover) AreaM2() (float64, CoverMethod, error) {
	n := max(len(c.Shapes), len(c.Pieces), len(c.Geoms))
	if n == 0 {
		return 0, CoverEmpty, nil
	}
	if c.Clip == nil && len(c.Geoms) == 1 {
		return AreaM2(c.Geoms[0]), CoverWhole, nil
	}
	if len(c.Geoms) == n {
		if a, ok := ClippedUnionAreaM2(c.Clip, c.Geoms); ok {
			return a, CoverWalk, nil
		}
	}
	u, err := c.Union()
	if err != nil {
		return 0, CoverOverlay, err
	}
	return u.AreaM2(), CoverOverlay, nil
}

// Union builds the cover's geometry: every piece clip ∩ polygon (cut to the
// clip's box first, or decided by Grid), dissolved.
func (c *Cover) Union() (Shape, error) {
	n := max(len(c.Shapes), len(c.Pieces), len(c.Geoms))
	pieces := make([]Shape, 0, n)
	for k := 0; k < n; k++ {
		var p Shape
		if k < len(c.Pieces) && !c.Pieces[k].IsEmpty() {
			p = c.Pieces[k]
		} else if k < len(c.Shapes) {
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
	s := c.Shapes[k]
	if c.Clip == nil {
		return s.Polygonal(), nil
	}
	var g orb.Geometry
	if k < len(c.Geoms) {
		g = c.Geoms[k]
	}
	if c.Grid != nil && g != nil && c.Grid.Clear(g) && !c.Grid.VertexIn(g.Bound()) {
		switch all, none := c.Grid.PartsInside(g); {
		case all && !none:
			return s.Polygonal(), nil
		case none && !all:
			return Shape{}, nil
		}
	}
	if g != nil {
		cut, covers := cutTo(s, g, BoundOf(g), clipBox(c.ClipShape.Bound()))
		if covers {
			return c.ClipShape.Polygonal(), nil
		}
		s = cut
		if s.IsEmpty() {
			return Shape{}, nil
		}
	}
	p, err := Intersect(c.ClipShape, s)
	if err != nil {
		return Shape{}, err
	}
	return p.Polygonal(), nil
}
