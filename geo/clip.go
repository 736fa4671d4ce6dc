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
// whole. When the box lies wholly inside f, a ∩ f is a itself and no
// overlay runs; when f misses the box, it is empty.
func IntersectFeature(a Shape, f *Feature) (Shape, error) {
	if f == nil {
		return Shape{}, nil
	}
	if a.IsEmpty() {
		return Intersect(a, f.Shape())
	}
	cut, covers, ok := cutTo(f.Geom, f.Bound, clipBox(a.Bound()))
	if covers {
		return a, nil
	}
	if !ok {
		cut = f.Shape() // the engine's form of the whole feature, only now
	}
	return Intersect(a, cut)
}

// cutTo returns g (bounding box gb) cut to box, in the engine's form, when
// it is polygonal, larger than ClipMinVertices and not inside the box
// already; otherwise, or when RectClip declines, ok is false and the caller
// takes the whole shape. covers reports that the whole box lies inside g.
func cutTo(g orb.Geometry, gb orb.Bound, box orb.Bound) (cut Shape, covers, ok bool) {
	if !IsPolygonal(g) || boundInside(gb, box) || CountVertices(g) <= ClipMinVertices {
		return Shape{}, false, false
	}
	mp, ok := RectClip(g, box)
	if !ok {
		return Shape{}, false, false
	}
	if len(mp) == 0 {
		return Shape{}, false, true
	}
	if len(mp) == 1 && len(mp[0]) == 1 && isBoxRing(mp[0][0], box) {
		return Shape{}, true, true
	}
	var cg orb.Geometry = mp
	if len(mp) == 1 {
		cg = mp[0]
	}
	e, err := toEngine(cg)
	if err != nil {
		return Shape{}, false, false
	}
	return Shape{e}, false, true
}

// isBoxRing reports whether r is exactly the ring of box b (as RectClip
// returns it when b lies inside the polygon clipped).
func isBoxRing(r orb.Ring, b orb.Bound) bool {
	return len(r) == 5 && r[0] == b.Min && r[1] == orb.Point{b.Max[0], b.Min[1]} &&
		r[2] == b.Max && r[3] == orb.Point{b.Min[0], b.Max[1]} && r[4] == b.Min
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
