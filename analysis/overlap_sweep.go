package analysis

import (
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// This file measures overlaps without the overlay engine. For valid
// polygons A and B, Green's theorem gives
//
//	area(A ∩ B) = ∮ over (∂A inside B) + ∮ over (∂B inside A)
//
// with each boundary traversed with its interior on the left. The ellipsoidal
// area of geo.RingAreaM2 is such a sum over edges, so the overlap is found by
// splitting both boundaries where they cross and summing the sub-edges that
// lie inside the other polygon. Only proper crossings (two edges crossing at
// interior points, far from any vertex) are handled; a pair whose boundaries
// touch, share a vertex or run along each other (within a tight floating-point
// error bound) is "degenerate" and goes to the overlay engine instead.
// The same walk gives the area covered by two or more features (the dissolved
// total) without building any geometry.

// prepFeature is a polygonal feature flattened for the sweep.
type prepFeature struct {
	layer int
	pos   int // position in its layer's Features
	f     *geo.Feature
	shape geo.Shape // the engine form (a collection of polygons as a multipolygon)
	rings []ringSpan
	area  float64 // m²
}

// ringSpan is one closed ring of a feature (shared with the feature's
// geometry, not copied). Edges are numbered across the feature's rings:
// this ring's run from start to end−2, edge k joining pts[k−start] and the
// next point.
type ringSpan struct {
	pts        []orb.Point
	start, end int
	sign       float64 // +1 when the ring runs with the interior on its left
	bound      orb.Bound
}

// at returns the point of virtual index k.
func (r *ringSpan) at(k int) orb.Point { return r.pts[k-r.start] }

// prepare flattens f's polygons; ok is false when f has no polygonal part.
func prepare(layer, pos int, f *geo.Feature) (prepFeature, bool) {
	polys := polygonsOf(f.Geom)
	if len(polys) == 0 {
		return prepFeature{}, false
	}
	p := prepFeature{layer: layer, pos: pos, f: f, shape: f.Shape}
	if _, isColl := f.Geom.(orb.Collection); isColl {
		if s, err := geo.ShapeOf(orb.MultiPolygon(polys)); err == nil {
			p.shape = s
		}
	}
	n := 0
	for _, poly := range polys {
		for ri, r := range poly {
			if len(r) < 4 {
				continue
			}
			pts := []orb.Point(r)
			if r[0] != r[len(r)-1] { // invalid: validation rejects it later
				pts = append(append([]orb.Point(nil), r...), r[0])
			}
			sign := 1.0
			if (planarArea(pts) > 0) != (ri == 0) {
				sign = -1
			}
			p.rings = append(p.rings, ringSpan{pts: pts, start: n, end: n + len(pts), sign: sign,
				bound: orb.LineString(pts).Bound()})
			n += len(pts)
		}
		p.area += geo.AreaM2(poly)
	}
	return p, true
}

func polygonsOf(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	case orb.Collection:
		var out []orb.Polygon
		for _, m := range g {
			out = append(out, polygonsOf(m)...)
		}
		return out
	}
	return nil
}

func planarArea(r []orb.Point) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

// crossing is a proper crossing of an edge of one feature with an edge of
// another; both features use the same point p.
type crossing struct {
	edge  int32 // start vertex of the edge in this feature's pts
	other int32 // the other feature's slot
	t     float64
	p     orb.Point
}

// orientTol is the relative size of orient below which its sign is not
// trusted: far above rounding error (Shewchuk's bound is 3.3e-16), so that a
// vertex that the input's decimal-to-binary rounding moved off another
// feature's edge still counts as touching it, as GEOS finds.
const orientTol = 1e-10

// orient returns twice the signed area of a, b, c and whether its sign is
// certain.
func orient(a, b, c orb.Point) (float64, bool) {
	l := (b[0] - a[0]) * (c[1] - a[1])
	r := (b[1] - a[1]) * (c[0] - a[0])
	d := l - r
	return d, math.Abs(d) > orientTol*(math.Abs(l)+math.Abs(r))
}

// segCross classifies segments a1a2 and b1b2: 0 apart, 1 a proper crossing
// at a1 + t(a2−a1), 2 too close to call (touching, collinear or near a vertex).
func segCross(a1, a2, b1, b2 orb.Point) (int, float64, orb.Point) {
	d1, ok1 := orient(b1, b2, a1)
	d2, ok2 := orient(b1, b2, a2)
	if ok1 && ok2 && (d1 > 0) == (d2 > 0) {
		return 0, 0, orb.Point{}
	}
	d3, ok3 := orient(a1, a2, b1)
	d4, ok4 := orient(a1, a2, b2)
	if ok3 && ok4 && (d3 > 0) == (d4 > 0) {
		return 0, 0, orb.Point{}
	}
	if !(ok1 && ok2 && ok3 && ok4) {
		return 2, 0, orb.Point{}
	}
	t := d1 / (d1 - d2)
	return 1, t, orb.Point{a1[0] + t*(a2[0]-a1[0]), a1[1] + t*(a2[1]-a1[1])}
}

// sweepEdge is one edge in a pair sweep.
type sweepEdge struct {
	k          int32 // start vertex (virtual index)
	ring       int32
	minX, maxX float64
	minY, maxY float64
	ofB        bool
}

// pairCrossings finds the proper crossings of a's and b's boundaries inside
// box. degenerate reports a near-contact the sweep cannot decide.
func pairCrossings(a, b *prepFeature, box orb.Bound, buf []sweepEdge) (ca, cb []crossing, degenerate bool, _ []sweepEdge) {
	buf = buf[:0]
	buf = appendEdges(buf, a, box, false)
	nA := len(buf)
	buf = appendEdges(buf, b, box, true)
	if nA == 0 || nA == len(buf) {
		return nil, nil, false, buf
	}
	sort.Slice(buf, func(i, j int) bool { return buf[i].minX < buf[j].minX })
	var actA, actB []int
	for i := range buf {
		e := &buf[i]
		act := &actA
		other := &actB
		if e.ofB {
			act, other = &actB, &actA
		}
		keep := (*other)[:0]
		for _, j := range *other {
			o := &buf[j]
			if o.maxX < e.minX {
				continue
			}
			keep = append(keep, j)
			if o.maxY < e.minY || o.minY > e.maxY {
				continue
			}
			ea, eb := e, o
			if e.ofB {
				ea, eb = o, e
			}
			ra, rb := &a.rings[ea.ring], &b.rings[eb.ring]
			a1, a2 := ra.at(int(ea.k)), ra.at(int(ea.k)+1)
			b1, b2 := rb.at(int(eb.k)), rb.at(int(eb.k)+1)
			kind, t, p := segCross(a1, a2, b1, b2)
			switch kind {
			case 2:
				return nil, nil, true, buf
			case 1:
				u := param(b1, b2, p)
				ca = append(ca, crossing{edge: ea.k, t: t, p: p})
				cb = append(cb, crossing{edge: eb.k, t: u, p: p})
			}
		}
		*other = keep
		*act = append(*act, i)
	}
	return ca, cb, false, buf
}

// param returns where p lies along b1b2, from 0 to 1.
func param(b1, b2, p orb.Point) float64 {
	dx, dy := b2[0]-b1[0], b2[1]-b1[1]
	if math.Abs(dx) >= math.Abs(dy) {
		return (p[0] - b1[0]) / dx
	}
	return (p[1] - b1[1]) / dy
}

func appendEdges(buf []sweepEdge, f *prepFeature, box orb.Bound, ofB bool) []sweepEdge {
	for ri := range f.rings {
		r := &f.rings[ri]
		if !r.bound.Intersects(box) {
			continue
		}
		for i := 0; i+1 < len(r.pts); i++ {
			p, q := r.pts[i], r.pts[i+1]
			e := sweepEdge{k: int32(r.start + i), ring: int32(ri), minX: math.Min(p[0], q[0]), maxX: math.Max(p[0], q[0]),
				minY: math.Min(p[1], q[1]), maxY: math.Max(p[1], q[1]), ofB: ofB}
			if e.maxX < box.Min[0] || e.minX > box.Max[0] || e.maxY < box.Min[1] || e.minY > box.Max[1] {
				continue
			}
			buf = append(buf, e)
		}
	}
	return buf
}

// inside reports whether p lies inside f (even-odd over all rings, which is
// right for valid polygons); ok is false when p is too close to f's boundary.
func inside(f *prepFeature, p orb.Point) (in, ok bool) {
	if !f.f.Bound.Contains(p) {
		return false, true
	}
	for _, r := range f.rings {
		if !r.bound.Contains(p) {
			continue
		}
		for i := 0; i+1 < len(r.pts); i++ {
			u, v := r.pts[i], r.pts[i+1]
			if math.Min(u[1], v[1]) > p[1] || math.Max(u[1], v[1]) < p[1] {
				continue
			}
			if p[0] >= math.Min(u[0], v[0]) && p[0] <= math.Max(u[0], v[0]) {
				if _, sure := orient(u, v, p); !sure {
					return false, false
				}
			}
			if (u[1] > p[1]) == (v[1] > p[1]) {
				continue
			}
			o, _ := orient(u, v, p)
			if (o > 0) == (v[1] > u[1]) {
				in = !in
			}
		}
	}
	return in, true
}

// walker accumulates sub-edge integrals for one feature.
type walker struct {
	quad orb.Ring
}

// edgeArea returns the area contribution of the sub-edge p→q of a ring with
// the given sign: RingAreaM2 of the quadrilateral p, q and their feet on the
// equator, where the other three edges contribute exactly nothing.
func (w *walker) edgeArea(p, q orb.Point, sign float64) float64 {
	if w.quad == nil {
		w.quad = make(orb.Ring, 4)
	}
	w.quad[0], w.quad[1] = p, q
	w.quad[2], w.quad[3] = orb.Point{q[0], 0}, orb.Point{p[0], 0}
	return sign * geo.RingAreaM2(w.quad)
}

// walkInput is what walk needs about one feature and its neighbours.
type walkInput struct {
	f       *prepFeature
	others  []*prepFeature // candidate features (clean pairs only)
	cross   []crossing     // this feature's crossings; other = slot in others
	covered func(active []int32) bool
}

// walk traverses f's rings, tracking which of others contain the current
// sub-edge; it adds each sub-edge inside other j to pairArea[j], and to
// union when the sub-edge bounds the region covered(·) (covered with f
// on the left, not covered without it). ok is false when a ring start is too
// close to another feature's boundary to decide.
func (w *walker) walk(in walkInput, pairArea []float64, wantUnion bool) (union float64, bad int32, ok bool) {
	f := in.f
	slices.SortFunc(in.cross, func(x, y crossing) int {
		if x.edge != y.edge {
			return int(x.edge - y.edge)
		}
		switch {
		case x.t < y.t:
			return -1
		case x.t > y.t:
			return 1
		}
		return 0
	})
	state := make([]bool, len(in.others))
	var active []int32
	ci := 0
	withF := make([]int32, 0, 8)
	add := func(p, q orb.Point, sign float64) {
		if len(active) == 0 {
			return
		}
		a := w.edgeArea(p, q, sign)
		for _, j := range active {
			pairArea[j] += a
		}
		if wantUnion {
			withF = append(withF[:0], active...)
			withF = append(withF, -1)
			if in.covered(withF) && !in.covered(active) {
				union += a
			}
		}
	}
	for _, r := range f.rings {
		active = active[:0]
		start := r.pts[0]
		for j, o := range in.others {
			state[j] = false
			if !o.f.Bound.Intersects(r.bound) {
				continue
			}
			isIn, sure := inside(o, start)
			if !sure {
				return 0, int32(j), false
			}
			if isIn {
				state[j] = true
				active = append(active, int32(j))
			}
		}
		for ci < len(in.cross) && int(in.cross[ci].edge) < r.start {
			ci++
		}
		for k := r.start; k+1 < r.end; k++ {
			p := r.at(k)
			for ci < len(in.cross) && int(in.cross[ci].edge) == k {
				c := in.cross[ci]
				add(p, c.p, r.sign)
				p = c.p
				j := c.other
				state[j] = !state[j]
				if state[j] {
					active = append(active, j)
				} else if i := slices.Index(active, j); i >= 0 {
					active = slices.Delete(active, i, i+1)
				}
				ci++
			}
			add(p, r.at(k+1), r.sign)
		}
	}
	return union, 0, true
}
