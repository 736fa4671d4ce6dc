package geo

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/paulmach/orb"
)

// ErrUnsupportedGeometry reports a geometry type a layer cannot hold.
var ErrUnsupportedGeometry = errors.New("geo: unsupported geometry")

// Feature is one record of a layer: its place in the file, its id and
// properties, and its geometry in lon/lat. What is derived from the
// geometry (the engine's form, the boundary walk's, the validity check) is
// built on first use and kept: most features of a large layer are never
// overlaid, so they never hold a second copy of their points.
type Feature struct {
	Index int            // 0-based position in its file
	ID    string         // from the feature's id or an id-like property
	Props map[string]any // attributes as read; never nil after NewFeature
	Geom  orb.Geometry   // lon/lat degrees
	Bound orb.Bound
	lazy  *derived // shared by copies of the feature; nil: not from NewFeature
}

// derived holds what a feature builds from its geometry on first use; a
// layer is shared by all workers, so each is built once.
type derived struct {
	shapeOnce sync.Once
	shape     Shape
	walkOnce  sync.Once
	walk      *WalkShape
	validOnce sync.Once
	problems  []Problem
}

// NewFeature checks g's type and coordinates. It does not check polygon
// validity (see Problems): a layer may hold invalid features so that they
// can be reported and repaired.
func NewFeature(index int, id string, props map[string]any, g orb.Geometry) (Feature, error) {
	return NewFeatureExtent(index, id, props, g, Extent{})
}

// NewFeatureExtent is NewFeature given ext = ExtentOf(g), taken by a reader
// while g's points were still in cache: it then does not walk them again.
// The zero Extent means "not known": it is computed here.
func NewFeatureExtent(index int, id string, props map[string]any, g orb.Geometry, ext Extent) (Feature, error) {
	if props == nil {
		props = map[string]any{}
	}
	f := Feature{Index: index, ID: id, Props: props, Geom: g}
	if g == nil {
		return f, fmt.Errorf("%w: no geometry", ErrUnsupportedGeometry)
	}
	if !ext.known {
		ext = ExtentOf(g)
	}
	if !ext.lonLat {
		if err := checkCoords(g); err != nil {
			return f, err
		}
	}
	if err := engineSupports(g); err != nil {
		return f, err
	}
	f.Bound = ext.Bound
	f.lazy = &derived{}
	return f, nil
}

// Extent is what NewFeature derives from all of a geometry's points: its
// box, and whether every vertex is a finite lon/lat.
type Extent struct {
	Bound  orb.Bound // BoundOf(g)
	lonLat bool      // inLonLatRange(g): false means "ask checkCoords"
	known  bool      // made by ExtentOf, not the zero value
}

// ExtentOf returns g's Extent. A reader that calls it right after building
// g, and keeps it with the record (geo.Record.Extent), spares NewFeature
// and data.BuildLayer a pass over points no longer in cache; g must not
// change afterwards.
func ExtentOf(g orb.Geometry) Extent {
	return Extent{Bound: BoundOf(g), lonLat: inLonLatRange(g), known: true}
}

// Known reports whether e was made by ExtentOf (the zero Extent is not).
func (e Extent) Known() bool { return e.known }

// engineSupports reports a geometry type the engine cannot hold (toEngine
// fails on exactly these), without converting it.
func engineSupports(g orb.Geometry) error {
	switch g := g.(type) {
	case orb.Point, orb.MultiPoint, orb.LineString, orb.MultiLineString, orb.Ring, orb.Polygon, orb.Bound, orb.MultiPolygon:
		return nil
	case orb.Collection:
		for _, m := range g {
			if err := engineSupports(m); err != nil {
				return err
			}
		}
		return nil
	case nil:
		return fmt.Errorf("%w: no geometry", ErrUnsupportedGeometry)
	}
	return fmt.Errorf("%w: %T", ErrUnsupportedGeometry, g)
}

// Shape returns the geometry in the overlay engine's form, converted on
// first use.
func (f *Feature) Shape() Shape {
	if f.lazy == nil {
		s, _ := ShapeOf(f.Geom)
		return s
	}
	f.lazy.shapeOnce.Do(func() { f.lazy.shape, _ = ShapeOf(f.Geom) })
	return f.lazy.shape
}

// Walk returns the geometry prepared for the boundary walk (nil when it has
// no polygon), built on first use.
func (f *Feature) Walk() *WalkShape {
	if f.lazy == nil {
		w, _ := NewWalkShape(f.Geom)
		return w
	}
	f.lazy.walkOnce.Do(func() { f.lazy.walk, _ = NewWalkShape(f.Geom) })
	return f.lazy.walk
}

// Problems returns Validate(f.Geom), checked on first use (or as recorded
// by SetProblems).
func (f *Feature) Problems() []Problem {
	if f.lazy == nil {
		return Validate(f.Geom)
	}
	f.lazy.validOnce.Do(func() { f.lazy.problems = Validate(f.Geom) })
	return f.lazy.problems
}

// SetProblems records the feature's validity where it is known already
// (checked at an import, or at a server's start), so that Problems does not
// check it again. It has no effect once Problems has run.
func (f *Feature) SetProblems(ps []Problem) {
	if f.lazy != nil {
		f.lazy.validOnce.Do(func() { f.lazy.problems = ps })
	}
}

// BoundOf returns g.Bound(), faster for the common types: orb's Bound
// extends the box point by point through method calls, which shows in the
// profile of loading a large layer. As orb, a polygon's box is that of its
// outer ring.
func BoundOf(g orb.Geometry) orb.Bound {
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) > 0 && len(g[0]) > 0 {
			return pointsBound(g[0])
		}
	case orb.MultiPolygon:
		var b orb.Bound
		for i, p := range g {
			if len(p) == 0 || len(p[0]) == 0 {
				return g.Bound() // orb's rules for empty parts
			}
			pb := pointsBound(p[0])
			if i == 0 {
				b = pb
				continue
			}
			b.Min[0], b.Min[1] = min(b.Min[0], pb.Min[0]), min(b.Min[1], pb.Min[1])
			b.Max[0], b.Max[1] = max(b.Max[0], pb.Max[0]), max(b.Max[1], pb.Max[1])
		}
		if len(g) > 0 {
			return b
		}
	case orb.LineString:
		if len(g) > 0 {
			return pointsBound(g)
		}
	}
	if g == nil {
		return orb.Bound{}
	}
	return g.Bound()
}

// pointsBound is the box of ps (not empty). Of equal values (−0, 0) it
// keeps the first; a NaN is passed over. In locals, not in an orb.Bound,
// so that the compiler keeps them in registers.
func pointsBound(ps []orb.Point) orb.Bound {
	x0, y0 := ps[0][0], ps[0][1]
	x1, y1 := x0, y0
	for i := 1; i < len(ps); i++ {
		x, y := ps[i][0], ps[i][1]
		if x < x0 {
			x0 = x
		} else if x > x1 {
			x1 = x
		}
		if y < y0 {
			y0 = y
		} else if y > y1 {
			y1 = y
		}
	}
	return orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x1, y1}}
}

// inLonLatRange reports whether every vertex of g is a finite lon/lat, for
// the common types with one comparison chain per vertex (NaN fails it);
// false means "ask checkCoords", which names the culprit.
func inLonLatRange(g orb.Geometry) bool {
	ok := func(ps []orb.Point) bool {
		for i := range ps {
			x, y := ps[i][0], ps[i][1] // not p := ps[i]: a copy on the stack
			if !(x >= -180 && x <= 180 && y >= -90 && y <= 90) {
				return false
			}
		}
		return true
	}
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			if !ok(r) {
				return false
			}
		}
		return true
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				if !ok(r) {
					return false
				}
			}
		}
		return true
	case orb.LineString:
		return ok(g)
	case orb.MultiLineString:
		for _, l := range g {
			if !ok(l) {
				return false
			}
		}
		return true
	}
	return false
}

// Label names the feature in messages: "feature 41 (id 5309…)".
func (f *Feature) Label() string { return Label("feature", f.Index, f.ID) }

// Label names a record in messages: "feature 41 (id 5309…)", or
// "feature 41" when it has no id.
func Label(kind string, index int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s %d", kind, index)
	}
	return fmt.Sprintf("%s %d (id %s)", kind, index, id)
}

// checkCoords rejects NaN, Inf and lon/lat out of range, naming the point.
func checkCoords(g orb.Geometry) error {
	var err error
	VisitPoints(g, func(p orb.Point) bool {
		switch {
		case math.IsNaN(p[0]) || math.IsNaN(p[1]):
			err = fmt.Errorf("geo: NaN coordinate")
		case math.IsInf(p[0], 0) || math.IsInf(p[1], 0):
			err = fmt.Errorf("geo: infinite coordinate")
		case p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90:
			err = fmt.Errorf("geo: coordinate %g,%g is not lon/lat (out of range)", p[0], p[1])
		}
		return err == nil
	})
	return err
}

// VisitPoints calls fn for every vertex of g until fn returns false, and
// reports whether it went through them all.
func VisitPoints(g orb.Geometry, fn func(orb.Point) bool) bool {
	switch g := g.(type) {
	case orb.Point:
		return fn(g)
	case orb.MultiPoint:
		for _, p := range g {
			if !fn(p) {
				return false
			}
		}
	case orb.LineString:
		return VisitPoints(orb.MultiPoint(g), fn)
	case orb.Ring:
		return VisitPoints(orb.MultiPoint(g), fn)
	case orb.MultiLineString:
		for _, l := range g {
			if !VisitPoints(orb.MultiPoint(l), fn) {
				return false
			}
		}
	case orb.Polygon:
		for _, r := range g {
			if !VisitPoints(orb.MultiPoint(r), fn) {
				return false
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if !VisitPoints(p, fn) {
				return false
			}
		}
	case orb.Collection:
		for _, c := range g {
			if !VisitPoints(c, fn) {
				return false
			}
		}
	case orb.Bound:
		return VisitPoints(g.ToPolygon(), fn)
	}
	return true
}

// IsPolygonal reports whether g is a Polygon or MultiPolygon.
func IsPolygonal(g orb.Geometry) bool {
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon, orb.Bound:
		return true
	}
	return false
}

// ErrNeedsGEOS reports a repair that only the GEOS build (-tags geos) can do.
var ErrNeedsGEOS = errors.New("geo: this repair needs the GEOS build (go build -tags geos)")

// CountVertices returns the number of vertices of g (a Bound counts 5).
func CountVertices(g orb.Geometry) int {
	n := 0
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return len(g)
	case orb.Ring:
		return len(g)
	case orb.MultiLineString:
		for _, l := range g {
			n += len(l)
		}
	case orb.Polygon:
		for _, r := range g {
			n += len(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			n += CountVertices(p)
		}
	case orb.Collection:
		for _, c := range g {
			n += CountVertices(c)
		}
	case orb.Bound:
		return 5
	}
	return n
}

// Dimension is f.Shape().Dimension() without converting the common types
// (a polygon or line with points, a point): 0 for points, 1 for lines, 2 for
// polygons, of the highest dimensional part.
func Dimension(f *Feature) int {
	switch g := f.Geom.(type) {
	case orb.Polygon:
		if len(g) > 0 && len(g[0]) > 0 {
			return 2
		}
	case orb.MultiPolygon:
		if len(g) > 0 && len(g[0]) > 0 && len(g[0][0]) > 0 {
			return 2
		}
	case orb.LineString:
		if len(g) > 0 {
			return 1
		}
	case orb.Point:
		return 0
	}
	return f.Shape().Dimension()
}
