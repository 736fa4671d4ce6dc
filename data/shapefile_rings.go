package data

import (
	"fmt"
	"sort"

	"github.com/paulmach/orb"
)

// shpRing is one ring of a shapefile Polygon record with what the assembly
// needs to know about it.
type shpRing struct {
	index int // part index in the record
	ring  orb.Ring
	area  float64 // signed, positive = counter-clockwise
	bound orb.Bound
	outer bool
	holes []int // indexes into the ring list, for outer rings
}

// shpAssemblePolygons turns the rings of one Polygon record into an
// orb.Polygon or orb.MultiPolygon with outer rings counter-clockwise and holes
// clockwise (RFC 7946). In a shapefile outer rings are clockwise and holes
// counter-clockwise; each hole goes to the smallest outer ring containing it,
// whatever the order of the parts. A hole that no outer ring contains becomes
// a polygon of its own, with a warning. If no ring is clockwise (a writer that
// ignored the rule) nesting alone decides: rings inside an even number of
// rings are outer rings.
func shpAssemblePolygons(parts []orb.Ring, warn func(string)) orb.Geometry {
	rings := make([]shpRing, 0, len(parts))
	for i, r := range parts {
		if len(r) == 0 {
			warn(fmt.Sprintf("ring %d has no points; dropped", i))
			continue
		}
		if !r.Closed() {
			r = append(r[:len(r):len(r)], r[0])
			warn(fmt.Sprintf("ring %d is not closed; closed it", i))
		}
		if len(r) < 4 {
			warn(fmt.Sprintf("ring %d has %d points, fewer than 4; dropped", i, len(r)))
			continue
		}
		rings = append(rings, shpRing{index: i, ring: r, area: shpSignedArea(r), bound: r.Bound()})
	}
	if len(rings) == 0 {
		warn("polygon has no usable ring; read as no geometry")
		return nil
	}
	anyOuter := false
	for i := range rings {
		rings[i].outer = rings[i].area <= 0 // clockwise, or degenerate
		anyOuter = anyOuter || rings[i].outer
	}
	if !anyOuter {
		if len(rings) > 1 {
			warn("no ring is clockwise (shapefile outer rings are); outer rings and holes decided by nesting")
		}
		for i := range rings {
			depth := 0
			for j := range rings {
				if i != j && shpRingInRing(&rings[i], &rings[j]) {
					depth++
				}
			}
			rings[i].outer = depth%2 == 0
		}
	}

	var orphans []int
	for h := range rings {
		if rings[h].outer {
			continue
		}
		best := -1
		for o := range rings {
			if !rings[o].outer || o == h || !shpRingInRing(&rings[h], &rings[o]) {
				continue
			}
			if best < 0 || shpAbs(rings[o].area) < shpAbs(rings[best].area) {
				best = o
			}
		}
		if best < 0 {
			orphans = append(orphans, h)
			warn(fmt.Sprintf("ring %d is a hole (counter-clockwise) but no outer ring contains it; read as a separate polygon", rings[h].index))
			continue
		}
		rings[best].holes = append(rings[best].holes, h)
	}
	for _, h := range orphans {
		rings[h].outer = true
	}

	var polys orb.MultiPolygon
	for o := range rings {
		if !rings[o].outer {
			continue
		}
		poly := orb.Polygon{shpOriented(rings[o], true)}
		sort.Ints(rings[o].holes)
		for _, h := range rings[o].holes {
			poly = append(poly, shpOriented(rings[h], false))
		}
		polys = append(polys, poly)
	}
	if len(polys) == 1 {
		return polys[0]
	}
	return polys
}

func shpAbs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// shpOriented returns the ring counter-clockwise (ccw) or clockwise, reversing
// a copy when needed. Degenerate rings (area 0) are left as they are.
func shpOriented(r shpRing, ccw bool) orb.Ring {
	if r.area == 0 || (r.area > 0) == ccw {
		return r.ring
	}
	out := make(orb.Ring, len(r.ring))
	for i, p := range r.ring {
		out[len(out)-1-i] = p
	}
	return out
}

// shpSignedArea is the shoelace area, positive for counter-clockwise rings,
// computed relative to the first point to keep precision with large
// (Gauss–Krüger) coordinates.
func shpSignedArea(r orb.Ring) float64 {
	x0, y0 := r[0][0], r[0][1]
	var s float64
	for i := 1; i+1 < len(r); i++ {
		ax, ay := r[i][0]-x0, r[i][1]-y0
		bx, by := r[i+1][0]-x0, r[i+1][1]-y0
		s += ax*by - bx*ay
	}
	return s / 2
}

// shpRingInRing reports whether ring a lies inside ring b: the first vertex of
// a that is not on b's boundary decides. Rings that touch only along b's
// boundary count as inside.
func shpRingInRing(a, b *shpRing) bool {
	if !b.bound.Contains(a.bound.Min) || !b.bound.Contains(a.bound.Max) {
		return false
	}
	for _, p := range a.ring {
		switch shpPointInRing(p, b.ring) {
		case 1:
			return true
		case -1:
			return false
		}
	}
	return true
}

// shpPointInRing returns 1 if p is inside the closed ring r, -1 if outside and
// 0 if on its boundary (crossing-number test).
func shpPointInRing(p orb.Point, r orb.Ring) int {
	inside := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if shpOnSegment(p, a, b) {
			return 0
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				inside = !inside
			}
		}
	}
	if inside {
		return 1
	}
	return -1
}

func shpOnSegment(p, a, b orb.Point) bool {
	cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
	if cross != 0 {
		return false
	}
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}
