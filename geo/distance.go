package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// DistanceM returns the geodesic distance in m between the nearest points of
// a and b, and 0 when they intersect (a point inside a polygon included).
// The nearest pair is found in a local conformal plane around the two
// geometries, then measured exactly on the ellipsoid.
func DistanceM(a, b Shape) (float64, error) {
	hit, err := Intersects(a, b)
	if err != nil || hit {
		return 0, err
	}
	p, q := NearestPoints(a.Orb(), b.Orb())
	return GeodesicM(p, q), nil
}

// DistanceWithinM is DistanceM for callers that only care about distances
// up to maxM: it looks only at the edges that could be that close, and
// reports within = false (and d = +Inf) when the geometries are farther.
func DistanceWithinM(a, b Shape, maxM float64) (d float64, within bool, err error) {
	hit, err := Intersects(a, b)
	if err != nil || hit {
		return 0, err == nil, err
	}
	d, within = ApartDistanceWithinM(a.Orb(), b.Orb(), maxM)
	return d, within, nil
}

// ApartDistanceWithinM is DistanceWithinM for geometries the caller knows
// to be disjoint (it skips the intersection test).
func ApartDistanceWithinM(ag, bg orb.Geometry, maxM float64) (d float64, within bool) {
	ab, bb := ag.Bound(), bg.Bound()
	kx, ky := localScale((ab.Min[1] + ab.Max[1] + bb.Min[1] + bb.Max[1]) / 4 * degToRad)
	// Degrees that maxM can span, generously (the scale varies a little).
	dx, dy := 1.02*maxM/kx, 1.02*maxM/ky
	grow := func(b orb.Bound) orb.Bound {
		return orb.Bound{Min: orb.Point{b.Min[0] - dx, b.Min[1] - dy}, Max: orb.Point{b.Max[0] + dx, b.Max[1] + dy}}
	}
	sa := segmentsNear(segmentsOf(ag), grow(bb))
	sb := segmentsNear(segmentsOf(bg), grow(ab))
	if len(sa) == 0 || len(sb) == 0 {
		return math.Inf(1), false
	}
	p, q, found := nearestWithin(sa, sb, kx, ky, 1.02*maxM)
	if !found {
		return math.Inf(1), false
	}
	d = GeodesicM(p, q)
	return d, d <= maxM
}

// segmentsNear keeps the segments whose box meets b.
func segmentsNear(segs [][2]orb.Point, b orb.Bound) [][2]orb.Point {
	out := segs[:0]
	for _, s := range segs {
		sb := orb.Bound{Min: orb.Point{math.Min(s[0][0], s[1][0]), math.Min(s[0][1], s[1][1])},
			Max: orb.Point{math.Max(s[0][0], s[1][0]), math.Max(s[0][1], s[1][1])}}
		if sb.Intersects(b) {
			out = append(out, s)
		}
	}
	return out
}

// BoundDistanceM is a lower bound, within 1 %, of the distance in m
// between anything inside box a and anything inside box b: a cheap test
// before DistanceM.
func BoundDistanceM(a, b orb.Bound) float64 {
	dx := math.Max(0, math.Max(a.Min[0]-b.Max[0], b.Min[0]-a.Max[0]))
	dy := math.Max(0, math.Max(a.Min[1]-b.Max[1], b.Min[1]-a.Max[1]))
	if dx == 0 && dy == 0 {
		return 0
	}
	// The smallest scales over both boxes' latitudes, 1 % low for safety.
	lat := math.Max(math.Max(math.Abs(a.Min[1]), math.Abs(a.Max[1])), math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1])))
	kx, ky := localScale(math.Min(89.9, lat) * degToRad)
	return 0.99 * math.Hypot(dx*kx, dy*ky)
}

// localScale returns metres per degree of longitude and of latitude at lat.
func localScale(lat float64) (kx, ky float64) {
	s := math.Sin(lat)
	w := math.Sqrt(1 - e2*s*s)
	ky = SemiMajorM * (1 - e2) / (w * w * w) * degToRad
	kx = SemiMajorM / w * math.Cos(lat) * degToRad
	return kx, ky
}

// NearestPoints returns a point of a and a point of b that are nearest to
// each other, looking only at boundaries (callers test containment first).
// The nearest pair of two disjoint geometries always has a vertex on one
// side, so each side's vertices are matched against the other's edges,
// found through an R-tree of edges in a local plane.
func NearestPoints(a, b orb.Geometry) (orb.Point, orb.Point) {
	ab, bb := a.Bound(), b.Bound()
	kx, ky := localScale((ab.Min[1] + ab.Max[1] + bb.Min[1] + bb.Max[1]) / 4 * degToRad)
	return nearestPair(segmentsOf(a), segmentsOf(b), kx, ky)
}

// nearestWithin finds the nearest points of two sets of segments, looking
// only at pairs closer than cutM in the plane scaled by kx, ky (m per
// degree): each side's vertices, nearest to the other side's box first,
// against the other side's edges in a uniform grid searched ring by ring
// until no closer edge can be left. found is false when nothing is that
// close.
func nearestWithin(sa, sb [][2]orb.Point, kx, ky, cutM float64) (p, q orb.Point, found bool) {
	best := cutM * cutM
	match := func(from, to [][2]orb.Point, swap bool) {
		if len(to) == 0 || len(from) == 0 {
			return
		}
		g := newSegGrid(to, kx, ky, cutM)
		type vert struct {
			p orb.Point
			d float64 // squared distance to to's box
		}
		verts := make([]vert, 0, 2*len(from))
		for _, s := range from {
			for _, v := range s {
				x, y := v[0]*kx, v[1]*ky
				dx := math.Max(0, math.Max(g.minX-x, x-g.maxX))
				dy := math.Max(0, math.Max(g.minY-y, y-g.maxY))
				if d := dx*dx + dy*dy; d < best { // farther vertices cannot improve
					verts = append(verts, vert{v, d})
				}
			}
		}
		slices.SortFunc(verts, func(a, b vert) int { return cmp.Compare(a.d, b.d) })
		seen := make([]uint32, len(to))
		stamp := uint32(0)
		for _, v := range verts {
			if v.d >= best {
				break // every later vertex is farther from to's box
			}
			stamp++
			cx, cy := g.cellXY(v.p[0]*kx, v.p[1]*ky)
			for r := 0; ; r++ {
				if gap := float64(r-1) * g.cell; r > 0 && gap*gap >= best {
					break
				}
				if !g.ring(cx, cy, r, func(i int32) {
					if seen[i] == stamp {
						return
					}
					seen[i] = stamp
					w, d := nearestOnSegment(v.p, to[i][0], to[i][1], kx, ky)
					if d < best {
						best, found = d, true
						if swap {
							p, q = w, v.p
						} else {
							p, q = v.p, w
						}
					}
				}) {
					break // the ring lies wholly outside the grid
				}
			}
		}
	}
	match(sa, sb, false)
	match(sb, sa, true)
	return p, q, found
}

// segGrid is a uniform grid over segments in the scaled plane.
type segGrid struct {
	minX, minY, maxX, maxY float64
	cell                   float64
	nx, ny                 int
	cells                  [][]int32
}

func newSegGrid(segs [][2]orb.Point, kx, ky, cutM float64) *segGrid {
	g := &segGrid{minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	var total float64
	for _, s := range segs {
		x0, y0, x1, y1 := s[0][0]*kx, s[0][1]*ky, s[1][0]*kx, s[1][1]*ky
		g.minX, g.maxX = math.Min(g.minX, math.Min(x0, x1)), math.Max(g.maxX, math.Max(x0, x1))
		g.minY, g.maxY = math.Min(g.minY, math.Min(y0, y1)), math.Max(g.maxY, math.Max(y0, y1))
		total += math.Hypot(x1-x0, y1-y0)
	}
	w, h := g.maxX-g.minX, g.maxY-g.minY
	// Cells about two mean edge lengths wide, at most ~64k of them, and
	// at least 1/64 of the cut-off so that a search ends within 64 rings.
	g.cell = math.Max(2*total/float64(len(segs)), math.Sqrt(w*h/65536))
	g.cell = math.Max(g.cell, math.Max(cutM/64, 1e-3))
	g.nx, g.ny = int(w/g.cell)+1, int(h/g.cell)+1
	g.cells = make([][]int32, g.nx*g.ny)
	for i, s := range segs {
		ax, ay := g.cellXY(s[0][0]*kx, s[0][1]*ky)
		bx, by := g.cellXY(s[1][0]*kx, s[1][1]*ky)
		for y := min(ay, by); y <= max(ay, by); y++ {
			for x := min(ax, bx); x <= max(ax, bx); x++ {
				g.cells[y*g.nx+x] = append(g.cells[y*g.nx+x], int32(i))
			}
		}
	}
	return g
}

// cellXY is the cell of a point, which may lie outside the grid.
func (g *segGrid) cellXY(x, y float64) (int, int) {
	return int(math.Floor((x - g.minX) / g.cell)), int(math.Floor((y - g.minY) / g.cell))
}

// ring calls fn for the segments in the cells at Chebyshev distance r from
// (cx, cy); it returns false when the whole ring lies outside the grid and
// so does every larger one.
func (g *segGrid) ring(cx, cy, r int, fn func(int32)) bool {
	if cx-r < 0 && cx+r >= g.nx && cy-r < 0 && cy+r >= g.ny {
		return false // the square holds the whole grid inside its border
	}
	visit := func(x, y int) {
		if x >= 0 && x < g.nx && y >= 0 && y < g.ny {
			for _, i := range g.cells[y*g.nx+x] {
				fn(i)
			}
		}
	}
	if r == 0 {
		visit(cx, cy)
		return true
	}
	for x := cx - r; x <= cx+r; x++ {
		visit(x, cy-r)
		visit(x, cy+r)
	}
	for y := cy - r + 1; y <= cy+r-1; y++ {
		visit(cx-r, y)
		visit(cx+r, y)
	}
	return true
}

// nearestPair finds the nearest points of two sets of segments in the plane
// scaled by kx, ky.
func nearestPair(sa, sb [][2]orb.Point, kx, ky float64) (orb.Point, orb.Point) {
	best := math.Inf(1)
	var bp, bq orb.Point
	match := func(from, to [][2]orb.Point, swap bool) {
		var tr rtree.RTreeG[int]
		for i, s := range to {
			tr.Insert([2]float64{math.Min(s[0][0], s[1][0]) * kx, math.Min(s[0][1], s[1][1]) * ky},
				[2]float64{math.Max(s[0][0], s[1][0]) * kx, math.Max(s[0][1], s[1][1]) * ky}, i)
		}
		for _, fs := range from {
			for _, p := range fs {
				px, py := p[0]*kx, p[1]*ky
				tr.Nearby(rtree.BoxDist[float64, int]([2]float64{px, py}, [2]float64{px, py}, nil),
					func(_, _ [2]float64, i int, boxDist float64) bool {
						if boxDist >= best {
							return false
						}
						q, d := nearestOnSegment(p, to[i][0], to[i][1], kx, ky)
						if d < best {
							best = d
							if swap {
								bp, bq = q, p
							} else {
								bp, bq = p, q
							}
						}
						return true
					})
			}
		}
	}
	match(sa, sb, false)
	match(sb, sa, true)
	return bp, bq
}

// nearestOnSegment returns the point of segment ab nearest to p and its
// squared distance in the local plane scaled by kx, ky.
func nearestOnSegment(p, a, b orb.Point, kx, ky float64) (orb.Point, float64) {
	dx, dy := (b[0]-a[0])*kx, (b[1]-a[1])*ky
	px, py := (p[0]-a[0])*kx, (p[1]-a[1])*ky
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, (px*dx+py*dy)/l2))
	}
	ex, ey := px-t*dx, py-t*dy
	q := orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
	return q, ex*ex + ey*ey
}

// segmentsOf lists the edges of g; a point is a zero-length edge.
func segmentsOf(g orb.Geometry) [][2]orb.Point {
	var out [][2]orb.Point
	line := func(l []orb.Point) {
		if len(l) == 1 {
			out = append(out, [2]orb.Point{l[0], l[0]})
		}
		for i := 1; i < len(l); i++ {
			out = append(out, [2]orb.Point{l[i-1], l[i]})
		}
	}
	var walk func(g orb.Geometry)
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Point:
			line([]orb.Point{g})
		case orb.MultiPoint:
			for _, p := range g {
				line([]orb.Point{p})
			}
		case orb.LineString:
			line(g)
		case orb.MultiLineString:
			for _, l := range g {
				line(l)
			}
		case orb.Ring:
			line(g)
		case orb.Polygon:
			for _, r := range g {
				line(r)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		case orb.Collection:
			for _, c := range g {
				walk(c)
			}
		}
	}
	walk(g)
	return out
}
