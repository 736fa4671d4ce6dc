package geo

import (
	"fmt"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"
)

// Shape is a geometry in the overlay engine's form. Features convert to it
// once, at load; overlay results stay in it until they are measured or
// written. The zero value is an empty geometry.
type Shape struct {
	g sf.Geometry
}

// ShapeOf converts g (lon/lat) to the engine's form without validating it.
func ShapeOf(g orb.Geometry) (Shape, error) {
	e, err := toEngine(g)
	if err != nil {
		return Shape{}, err
	}
	return Shape{e}, nil
}

// Orb returns the shape as an orb geometry in lon/lat.
func (s Shape) Orb() orb.Geometry { return fromEngine(s.g) }

// IsEmpty reports whether the shape has no points.
func (s Shape) IsEmpty() bool { return s.g.IsEmpty() }

// Dimension is 0 for points, 1 for lines and 2 for polygons (of the highest
// dimensional part, for a collection).
func (s Shape) Dimension() int {
	if s.g.IsEmpty() {
		return 0
	}
	return s.g.Dimension()
}

// Bound returns the shape's bounding box.
func (s Shape) Bound() orb.Bound {
	env := s.g.Envelope()
	lo, hi, ok := env.MinMaxXYs()
	if !ok {
		return orb.Bound{}
	}
	return orb.Bound{Min: orb.Point{lo.X, lo.Y}, Max: orb.Point{hi.X, hi.Y}}
}

// AreaM2 returns the exact ellipsoidal area of the polygonal parts, in m².
func (s Shape) AreaM2() float64 { return engineAreaM2(s.g) }

// LengthM returns the geodesic length of the linear parts, in m.
func (s Shape) LengthM() float64 { return LengthM(s.Orb()) }

// Polygonal returns only the polygonal parts of s (an intersection of two
// polygons may also hold the lines and points where they touch).
func (s Shape) Polygonal() Shape { return Shape{keepDim(s.g, 2)} }

// Linear returns only the linear parts of s.
func (s Shape) Linear() Shape { return Shape{keepDim(s.g, 1)} }

// Intersect returns a ∩ b computed in the lon/lat plane.
func Intersect(a, b Shape) (Shape, error) {
	g, err := guard("intersection", func() (sf.Geometry, error) { return engineIntersection(a.g, b.g) })
	return Shape{g}, err
}

// Union returns a ∪ b of two shapes (never a many-input union: see Dissolve).
func Union(a, b Shape) (Shape, error) {
	if a.g.IsEmpty() {
		return b, nil
	}
	if b.g.IsEmpty() {
		return a, nil
	}
	g, err := guard("union", func() (sf.Geometry, error) { return engineUnion(a.g, b.g) })
	return Shape{g}, err
}

// Difference returns a − b.
func Difference(a, b Shape) (Shape, error) {
	g, err := guard("difference", func() (sf.Geometry, error) { return engineDifference(a.g, b.g) })
	return Shape{g}, err
}

// Intersects reports whether a and b share at least one point (touching
// counts), as PostGIS ST_Intersects does.
func Intersects(a, b Shape) (bool, error) {
	var out bool
	_, err := guard("intersects", func() (sf.Geometry, error) {
		var err error
		out, err = engineIntersects(a.g, b.g)
		return sf.Geometry{}, err
	})
	return out, err
}

// guard turns an engine panic into an error: bad input must never crash.
func guard(op string, fn func() (sf.Geometry, error)) (g sf.Geometry, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("geo: %s failed: %v", op, r)
		}
	}()
	g, err = fn()
	if err != nil {
		err = fmt.Errorf("geo: %s: %w", op, err)
	}
	return g, err
}

// keepDim returns the parts of g of dimension dim, as a single geometry.
func keepDim(g sf.Geometry, dim int) sf.Geometry {
	if g.IsEmpty() {
		return sf.Geometry{}
	}
	if g.Type() != sf.TypeGeometryCollection {
		if g.Dimension() == dim {
			return g
		}
		return sf.Geometry{}
	}
	var polys []sf.Polygon
	var lines []sf.LineString
	var pts []sf.Point
	for _, p := range g.Dump() {
		switch p.Type() {
		case sf.TypePolygon:
			polys = append(polys, p.MustAsPolygon())
		case sf.TypeLineString:
			lines = append(lines, p.MustAsLineString())
		case sf.TypePoint:
			pts = append(pts, p.MustAsPoint())
		}
	}
	switch dim {
	case 2:
		if len(polys) == 1 {
			return polys[0].AsGeometry()
		}
		if len(polys) > 1 {
			return sf.NewMultiPolygon(polys).AsGeometry()
		}
	case 1:
		if len(lines) == 1 {
			return lines[0].AsGeometry()
		}
		if len(lines) > 1 {
			return sf.NewMultiLineString(lines).AsGeometry()
		}
	case 0:
		if len(pts) > 0 {
			return sf.NewMultiPoint(pts).AsGeometry()
		}
	}
	return sf.Geometry{}
}
