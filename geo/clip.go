package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// ClipMinVertices is the size from which IntersectFeature cuts a feature to
// the other shape's box before the overlay: below it the overlay of the
// whole feature is as fast (BenchmarkIntersectFeature).
const ClipMinVertices = 64

// IntersectFeature returns a ∩ f.Shape, as Intersect does, but first cuts a
// large polygonal f to a's bounding box grown by a small margin (RectClip),
// so that the overlay re-nodes only the edges of f near a:
// a ∩ f = a ∩ (f ∩ box) for any box that holds a. Small features, features
// already inside the box and anything RectClip declines go to the overlay
// whole.
func IntersectFeature(a Shape, f *Feature) (Shape, error) {
	if f == nil {
		return Shape{}, nil
	}
	if a.IsEmpty() || !IsPolygonal(f.Geom) {
		return Intersect(a, f.Shape)
	}
	box := clipBox(a.Bound())
	if boundInside(f.Bound, box) || polyVertexCount(f.Geom) <= ClipMinVertices {
		return Intersect(a, f.Shape)
	}
	mp, ok := RectClip(f.Geom, box)
	if !ok {
		return Intersect(a, f.Shape)
	}
	if len(mp) == 0 {
		return Shape{}, nil
	}
	var g orb.Geometry = mp
	if len(mp) == 1 {
		g = mp[0]
	}
	e, err := toEngine(g)
	if err != nil {
		return Intersect(a, f.Shape)
	}
	return Intersect(a, Shape{e})
}

// clipBox grows b by a margin (a thousandth of its size, and at least about
// 0.1 mm) so that no edge of the shape inside lies on the box.
func clipBox(b orb.Bound) orb.Bound {
	m := 1e-3*math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) + 1e-9
	return orb.Bound{Min: orb.Point{b.Min[0] - m, b.Min[1] - m}, Max: orb.Point{b.Max[0] + m, b.Max[1] + m}}
}

// boundInside reports whether box a lies inside box b.
func boundInside(a, b orb.Bound) bool {
	return a.Min[0] >= b.Min[0] && a.Min[1] >= b.Min[1] && a.Max[0] <= b.Max[0] && a.Max[1] <= b.Max[1]
}

// polyVertexCount counts the points of a polygonal geometry's rings.
func polyVertexCount(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += polyVertexCount(p)
		}
		return n
	case orb.Bound:
		return 5
	}
	return 0
}
