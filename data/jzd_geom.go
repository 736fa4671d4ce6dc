package data

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// jzdRing is one ring of a plot as read.
type jzdRing struct {
	num  int // 圈号
	line int // line of its first point
	ring orb.Ring
	area float64 // signed shoelace area, > 0 when counter-clockwise (x east, y north)
}

// polygonGeometry builds a Polygon or MultiPolygon from the plot's rings.
func (p *jzdParser) polygonGeometry(pl *jzdPlot) (orb.Geometry, error) {
	var rings []jzdRing
	runs := p.splitClosedRuns(pl, groups(pl.points))
	if len(runs) > maxJZDRings {
		return nil, p.plotErrorf(pl, pl.line, "%d rings, more than the limit of %d", len(runs), maxJZDRings)
	}
	for _, g := range runs {
		r, err := p.closedRing(pl, g)
		if err != nil {
			return nil, err
		}
		rings = append(rings, r)
	}
	// Rings in decreasing size, the first ring (the outer ring) first: a
	// ring's possible containers are then always classified before it.
	order := make([]int, len(rings))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order[1:], func(a, b int) bool {
		return math.Abs(rings[order[1+a]].area) > math.Abs(rings[order[1+b]].area)
	})
	type part struct {
		outer int
		holes []int
	}
	var parts []*part
	for _, i := range order {
		var in *part
		for _, pt := range parts {
			if !ringInside(rings[i].ring, rings[pt.outer].ring) {
				continue
			}
			if in == nil || math.Abs(rings[pt.outer].area) < math.Abs(rings[in.outer].area) {
				in = pt
			}
		}
		if in != nil {
			island := false
			for _, h := range in.holes {
				if ringInside(rings[i].ring, rings[h].ring) {
					island = true
					break
				}
			}
			if !island {
				in.holes = append(in.holes, i)
				continue
			}
		}
		if len(parts) > 0 && ringInside(rings[parts[0].outer].ring, rings[i].ring) {
			p.plotWarnf(pl, rings[i].line, "ring 圈号 %d contains the outer ring 圈号 %d: kept as a separate part", rings[i].num, rings[parts[0].outer].num)
		}
		parts = append(parts, &part{outer: i})
	}
	sort.Slice(parts, func(a, b int) bool { return parts[a].outer < parts[b].outer })
	mp := make(orb.MultiPolygon, 0, len(parts))
	for _, pt := range parts {
		sort.Ints(pt.holes)
		poly := orb.Polygon{orient(rings[pt.outer], true)}
		for _, h := range pt.holes {
			poly = append(poly, orient(rings[h], false))
		}
		mp = append(mp, poly)
	}
	if len(mp) == 1 {
		return mp[0], nil
	}
	return mp, nil
}

// splitClosedRuns splits a run of one 圈号 that closes and then goes on
// into several rings (some files reuse a 圈号 for several rings), and warns
// when a 圈号 appears again after other ones.
func (p *jzdParser) splitClosedRuns(pl *jzdPlot, gs [][]jzdPoint) [][]jzdPoint {
	var out [][]jzdPoint
	seen := map[int]bool{}
	for _, g := range gs {
		if seen[g[0].ring] {
			p.plotWarnf(pl, g[0].line, "圈号 %d appears again after other rings: read as a new ring", g[0].ring)
		}
		seen[g[0].ring] = true
		start := 0
		for i := start + 3; i < len(g)-1; i++ {
			if g[i].east == g[start].east && g[i].north == g[start].north {
				p.plotWarnf(pl, g[i+1].line, "圈号 %d goes on after its ring closed on line %d: read as a new ring", g[0].ring, g[i].line)
				out = append(out, g[start:i+1])
				start = i + 1
				i = start + 2
			}
		}
		out = append(out, g[start:])
	}
	return out
}

// closedRing makes a closed ring from a run of points, dropping repeated
// consecutive points and closing it if needed, with warnings.
func (p *jzdParser) closedRing(pl *jzdPlot, g []jzdPoint) (jzdRing, error) {
	r := jzdRing{num: g[0].ring, line: g[0].line}
	distinct := map[orb.Point]bool{}
	for _, pt := range g {
		q := orb.Point{pt.east, pt.north}
		if n := len(r.ring); n > 0 && r.ring[n-1] == q {
			p.plotWarnf(pl, pt.line, "point %s repeats the previous point: dropped", pt.num)
			continue
		}
		r.ring = append(r.ring, q)
		distinct[q] = true
	}
	if len(distinct) < 3 {
		return r, p.plotErrorf(pl, r.line, "ring 圈号 %d has %d distinct points, need at least 3", r.num, len(distinct))
	}
	if first, last := r.ring[0], r.ring[len(r.ring)-1]; first != last {
		p.plotWarnf(pl, g[len(g)-1].line, "ring 圈号 %d is not closed: closed it", r.num)
		r.ring = append(r.ring, first)
	}
	r.area = signedArea(r.ring)
	if r.area == 0 {
		p.plotWarnf(pl, r.line, "ring 圈号 %d has zero area", r.num)
	}
	return r, nil
}

// signedArea is the shoelace area of a closed ring, positive when it is
// counter-clockwise. It works relative to the first point, so that large
// Gauss–Krüger coordinates lose no precision.
func signedArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	o := r[0]
	var s float64
	for i := 1; i+1 < len(r); i++ {
		ax, ay := r[i][0]-o[0], r[i][1]-o[1]
		bx, by := r[i+1][0]-o[0], r[i+1][1]-o[1]
		s += ax*by - bx*ay
	}
	return s / 2
}

// orient returns r's ring counter-clockwise (ccw) or clockwise.
func orient(r jzdRing, ccw bool) orb.Ring {
	if (r.area > 0) == ccw || r.area == 0 {
		return r.ring
	}
	out := make(orb.Ring, len(r.ring))
	for i, q := range r.ring {
		out[len(out)-1-i] = q
	}
	return out
}

// ringInside reports whether ring a lies inside ring b (touching allowed).
// Rings of a valid plot do not cross, so the first vertex of a that is not
// on b's boundary decides (an edge midpoint when all vertices are on it);
// crossing rings are left to validation.
func ringInside(a, b orb.Ring) bool {
	ba, bb := a.Bound(), b.Bound()
	const eps = 1e-6
	if ba.Min[0] < bb.Min[0]-eps || ba.Min[1] < bb.Min[1]-eps || ba.Max[0] > bb.Max[0]+eps || ba.Max[1] > bb.Max[1]+eps {
		return false
	}
	for _, q := range a {
		if c := pointInRing(q, b); c != 0 {
			return c > 0
		}
	}
	for i := 0; i+1 < len(a); i++ {
		m := orb.Point{(a[i][0] + a[i+1][0]) / 2, (a[i][1] + a[i+1][1]) / 2}
		if c := pointInRing(m, b); c != 0 {
			return c > 0
		}
	}
	return false
}

// pointInRing is 1 when q is inside the closed ring r, 0 on its boundary
// (within 1e-6 m) and -1 outside. Coordinates are taken relative to q.
func pointInRing(q orb.Point, r orb.Ring) int {
	const eps = 1e-6
	in := false
	for i := 0; i+1 < len(r); i++ {
		ax, ay := r[i][0]-q[0], r[i][1]-q[1]
		bx, by := r[i+1][0]-q[0], r[i+1][1]-q[1]
		// on the segment?
		dx, dy := bx-ax, by-ay
		l2 := dx*dx + dy*dy
		t := 0.0
		if l2 > 0 {
			t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
		}
		px, py := ax+t*dx, ay+t*dy
		if px*px+py*py <= eps*eps {
			return 0
		}
		if (ay > 0) != (by > 0) {
			x := ax + (0-ay)*(bx-ax)/(by-ay)
			if x > 0 {
				in = !in
			}
		}
	}
	if in {
		return 1
	}
	return -1
}
