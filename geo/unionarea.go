package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// ClippedUnionAreaM2 returns the ellipsoidal area, in m², of clip ∩ (the
// union of polys), without building any geometry: by Green's theorem the
// area is the integral along the boundary of the result, and that boundary
// is made of the pieces of the polygons' edges that lie outside every other
// polygon and inside clip, plus the pieces of clip's edges inside some
// polygon. Edges are cut where they cross, and each piece's side is known
// by walking each ring from a start point located once.
//
// It works in general position only: when two boundaries touch, share a
// vertex or run along each other (or nearly so), it returns ok = false and
// the caller falls back to overlay (geo.Intersect and geo.Dissolve). A nil
// clip means no clipping. Polygons must be valid (see Validate).
func ClippedUnionAreaM2(clip orb.Geometry, polys []orb.Geometry) (area float64, ok bool) {
	var u areaUnion
	if clip != nil {
		u.addParts(clip, true)
	}
	for _, g := range polys {
		u.addParts(g, false)
	}
	return u.area()
}

type areaPoly struct {
	rings []orb.Ring // outer counter-clockwise, holes clockwise
	clip  bool
	bound orb.Bound
}

type areaEdge struct {
	a, b       orb.Point
	poly, ring int32
}

type areaCross struct {
	edge  int32
	t     float64 // position along the edge, 0..1
	other int32   // the polygon whose boundary is crossed
}

type areaUnion struct {
	polys   []areaPoly
	hasClip bool
}

func (u *areaUnion) addParts(g orb.Geometry, clip bool) {
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) == 0 {
			return
		}
		rings := make([]orb.Ring, len(g))
		for i, r := range g {
			ccw := ringSignedPlanar(r) > 0
			if (i == 0) != ccw {
				rr := append(orb.Ring(nil), r...)
				rr.Reverse()
				r = rr
			}
			rings[i] = r
		}
		u.polys = append(u.polys, areaPoly{rings: rings, clip: clip, bound: g.Bound()})
		u.hasClip = u.hasClip || clip
	case orb.MultiPolygon:
		for _, p := range g {
			u.addParts(p, clip)
		}
	case orb.Collection:
		for _, c := range g {
			u.addParts(c, clip)
		}
	}
}

// degenerate is the relative size below which an orientation test counts
// as zero: closer than this, the fast path declines.
const degenerate = 1e-12

func (u *areaUnion) area() (float64, bool) {
	if u.hasClip && len(u.polys) == 0 {
		return 0, true
	}
	var edges []areaEdge
	var all orb.Bound
	for pi, p := range u.polys {
		if pi == 0 {
			all = p.bound
		} else {
			all = all.Union(p.bound)
		}
		for ri, r := range p.rings {
			for i := 0; i+1 < len(r); i++ {
				e := areaEdge{a: r[i], b: r[i+1], poly: int32(pi), ring: int32(ri)}
				if e.a != e.b {
					edges = append(edges, e)
				}
			}
		}
	}
	// Cut edges where they cross edges of other polygons. Candidate pairs
	// come from a uniform grid of edge boxes; a pair is tested in the one
	// cell that holds the low corner of the overlap of their boxes.
	g := newEdgeGrid(edges, all)
	var crosses []areaCross
	ok := true
	for ci, cell := range g.cells {
		for x := 0; ok && x < len(cell); x++ {
			e := &edges[cell[x]]
			emin, emax := minPt(e.a, e.b), maxPt(e.a, e.b)
			for y := x + 1; y < len(cell); y++ {
				f := &edges[cell[y]]
				if f.poly == e.poly {
					continue
				}
				fmin, fmax := minPt(f.a, f.b), maxPt(f.a, f.b)
				lo := [2]float64{math.Max(emin[0], fmin[0]), math.Max(emin[1], fmin[1])}
				if lo[0] > math.Min(emax[0], fmax[0]) || lo[1] > math.Min(emax[1], fmax[1]) || g.cellOf(lo) != ci {
					continue
				}
				te, tf, hit, degen := crossParams(e.a, e.b, f.a, f.b)
				if degen {
					ok = false
					break
				}
				if hit {
					crosses = append(crosses, areaCross{cell[x], te, f.poly}, areaCross{cell[y], tf, e.poly})
				}
			}
		}
		if !ok {
			return 0, false
		}
	}
	slices.SortFunc(crosses, func(x, y areaCross) int {
		if x.edge != y.edge {
			return cmp.Compare(x.edge, y.edge)
		}
		return cmp.Compare(x.t, y.t)
	})
	// Polygons by box, to locate each ring's start point once.
	var ptree rtree.RTreeG[int32]
	for pi, p := range u.polys {
		ptree.Insert(p.bound.Min, p.bound.Max, int32(pi))
	}
	inside := make([]bool, len(u.polys))
	var touched []int32 // entries of inside that may be true
	var sum float64
	ci := 0
	for ei := 0; ei < len(edges); {
		// One ring at a time: edges of a ring are consecutive.
		start := ei
		p, r := edges[ei].poly, edges[ei].ring
		for ei < len(edges) && edges[ei].poly == p && edges[ei].ring == r {
			ei++
		}
		// Which other polygons contain the ring's first vertex?
		layerIn, clipIn := 0, 0
		for _, i := range touched {
			inside[i] = false
		}
		touched = touched[:0]
		v := edges[start].a
		ptree.Search(v, v, func(_, _ [2]float64, qi int32) bool {
			if qi == p {
				return true
			}
			in, on := pointInRings(v, u.polys[qi].rings)
			if on {
				ok = false
				return false
			}
			if in {
				inside[qi] = true
				touched = append(touched, qi)
				if u.polys[qi].clip {
					clipIn++
				} else {
					layerIn++
				}
			}
			return true
		})
		if !ok {
			return 0, false
		}
		isClip := u.polys[p].clip
		keep := func() bool {
			if isClip {
				return layerIn > 0
			}
			return layerIn == 0 && (!u.hasClip || clipIn > 0)
		}
		for k := start; k < ei; k++ {
			e := &edges[k]
			t0 := 0.0
			for ci < len(crosses) && crosses[ci].edge < int32(k) {
				ci++
			}
			for ci < len(crosses) && crosses[ci].edge == int32(k) {
				c := crosses[ci]
				if keep() {
					sum += segIntegral(e.a, e.b, t0, c.t)
				}
				inside[c.other] = !inside[c.other]
				touched = append(touched, c.other)
				d := 1
				if !inside[c.other] {
					d = -1
				}
				if u.polys[c.other].clip {
					clipIn += d
				} else {
					layerIn += d
				}
				t0 = c.t
				ci++
			}
			if keep() {
				sum += segIntegral(e.a, e.b, t0, 1)
			}
		}
	}
	return -sum, true
}

// segIntegral is edgeIntegral over the part [t0, t1] of the edge a→b.
func segIntegral(a, b orb.Point, t0, t1 float64) float64 {
	p := a
	if t0 > 0 {
		p = orb.Point{a[0] + t0*(b[0]-a[0]), a[1] + t0*(b[1]-a[1])}
	}
	q := b
	if t1 < 1 {
		q = orb.Point{a[0] + t1*(b[0]-a[0]), a[1] + t1*(b[1]-a[1])}
	}
	return edgeIntegral(p[0]*degToRad, p[1]*degToRad, q[0]*degToRad, q[1]*degToRad)
}

// crossParams tells whether segments ab and cd cross properly, and where
// along each; degen is true when they touch, overlap or nearly do.
func crossParams(a, b, c, d orb.Point) (tab, tcd float64, hit, degen bool) {
	scale := math.Max(math.Max(math.Abs(b[0]-a[0]), math.Abs(b[1]-a[1])), math.Max(math.Abs(d[0]-c[0]), math.Abs(d[1]-c[1])))
	eps := degenerate * scale * scale
	d1 := orient(c, d, a)
	d2 := orient(c, d, b)
	d3 := orient(a, b, c)
	d4 := orient(a, b, d)
	if (d1 > eps && d2 > eps) || (d1 < -eps && d2 < -eps) || (d3 > eps && d4 > eps) || (d3 < -eps && d4 < -eps) {
		return 0, 0, false, false // clearly apart
	}
	if math.Abs(d1) <= eps || math.Abs(d2) <= eps || math.Abs(d3) <= eps || math.Abs(d4) <= eps {
		return 0, 0, false, true
	}
	return d1 / (d1 - d2), d3 / (d3 - d4), true, false
}

// pointInRings is the even-odd test of v against a polygon's rings; on is
// true when v lies on (or very near) a ring.
func pointInRings(v orb.Point, rings []orb.Ring) (in, on bool) {
	for _, r := range rings {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			if (a[1] > v[1]) != (b[1] > v[1]) {
				x := a[0] + (v[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
				if x == v[0] {
					return false, true
				}
				if x > v[0] {
					in = !in
				}
			}
			scale := math.Max(math.Abs(b[0]-a[0]), math.Abs(b[1]-a[1]))
			if math.Abs(orient(a, b, v)) <= degenerate*scale*scale && onSegment(a, b, v) {
				return false, true
			}
		}
	}
	return in, false
}

func minPt(a, b orb.Point) [2]float64 { return [2]float64{math.Min(a[0], b[0]), math.Min(a[1], b[1])} }
func maxPt(a, b orb.Point) [2]float64 { return [2]float64{math.Max(a[0], b[0]), math.Max(a[1], b[1])} }

// edgeCells is a uniform grid over edge boxes.
type edgeCells struct {
	min    [2]float64
	cw, ch float64
	nx, ny int
	cells  [][]int32
}

func newEdgeGrid(edges []areaEdge, b orb.Bound) *edgeCells {
	// About two edges per cell on average, at most 4 M cells.
	n := max(1, min(len(edges)/2, 1<<22))
	w, h := math.Max(b.Max[0]-b.Min[0], 1e-12), math.Max(b.Max[1]-b.Min[1], 1e-12)
	nx := max(1, int(math.Sqrt(float64(n)*w/h)))
	ny := max(1, n/nx)
	g := &edgeCells{min: b.Min, cw: w / float64(nx), ch: h / float64(ny), nx: nx, ny: ny, cells: make([][]int32, nx*ny)}
	for i := range edges {
		lo, hi := minPt(edges[i].a, edges[i].b), maxPt(edges[i].a, edges[i].b)
		x0, y0 := g.xy(lo)
		x1, y1 := g.xy(hi)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				g.cells[y*nx+x] = append(g.cells[y*nx+x], int32(i))
			}
		}
	}
	return g
}

func (g *edgeCells) xy(p [2]float64) (int, int) {
	x := int((p[0] - g.min[0]) / g.cw)
	y := int((p[1] - g.min[1]) / g.ch)
	return max(0, min(g.nx-1, x)), max(0, min(g.ny-1, y))
}

func (g *edgeCells) cellOf(p [2]float64) int {
	x, y := g.xy(p)
	return y*g.nx + x
}
