package geo

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// The planar ring helpers below are the one copy every reader and geo itself
// use. They work in the coordinates they are given (lon/lat or metres) and
// take coordinates relative to a ring's first point, so that large
// Gauss–Krüger values keep their precision. Point-in-ring is exact: a point is
// on the boundary only when it lies on an edge in floating point (tolerance
// zero); callers that want a tolerance snap their input first.

// RingSignedArea returns the shoelace area of the closed ring r, positive when
// r is counter-clockwise (x east, y north). Rings of fewer than 3 points have
// area 0.
func RingSignedArea(r orb.Ring) float64 {
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

// RingOriented returns r counter-clockwise (ccw true) or clockwise. It returns
// r itself when it already has that orientation or has zero area, else a
// reversed copy; r is never modified.
func RingOriented(r orb.Ring, ccw bool) orb.Ring {
	a := RingSignedArea(r)
	if a == 0 || (a > 0) == ccw {
		return r
	}
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(out)-1-i] = p
	}
	return out
}

// PolygonOriented returns p with its outer ring counter-clockwise and its
// holes clockwise (RFC 7946), sharing rings that need no change.
func PolygonOriented(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = RingOriented(r, i == 0)
	}
	return out
}

// PointInRing returns 1 when p lies inside the closed ring r, 0 when it lies
// on r's boundary, and -1 when outside (crossing number, exact).
func PointInRing(p orb.Point, r orb.Ring) int {
	in := false
	for i := 0; i+1 < len(r); i++ {
		ax, ay := r[i][0]-p[0], r[i][1]-p[1]
		bx, by := r[i+1][0]-p[0], r[i+1][1]-p[1]
		if ax*by-bx*ay == 0 && math.Min(ax, bx) <= 0 && 0 <= math.Max(ax, bx) &&
			math.Min(ay, by) <= 0 && 0 <= math.Max(ay, by) {
			return 0
		}
		if (ay > 0) != (by > 0) {
			if x := ax + (0-ay)*(bx-ax)/(by-ay); x > 0 {
				in = !in
			}
		}
	}
	if in {
		return 1
	}
	return -1
}

// RingInRing reports whether ring a lies inside ring b, touching allowed:
// the first vertex of a that is not on b's boundary decides, then the first
// edge midpoint; a ring lying wholly on b's boundary (a copy of b) counts as
// inside. Rings that cross are not told apart here: that is validation's job.
func RingInRing(a, b orb.Ring) bool {
	ba, bb := a.Bound(), b.Bound()
	if !bb.Contains(ba.Min) || !bb.Contains(ba.Max) {
		return false
	}
	return ringInRing(a, b)
}

func ringInRing(a, b orb.Ring) bool {
	for _, q := range a {
		if c := PointInRing(q, b); c != 0 {
			return c > 0
		}
	}
	for i := 0; i+1 < len(a); i++ {
		m := orb.Point{(a[i][0] + a[i+1][0]) / 2, (a[i][1] + a[i+1][1]) / 2}
		if c := PointInRing(m, b); c != 0 {
			return c > 0
		}
	}
	return true
}

// HoleRule says how AssembleRings tells outer rings from holes.
type HoleRule int

const (
	// ByNesting: a ring inside an even number of other rings is an outer
	// ring, else a hole of the smallest ring containing it (界址点 TXT, DXF,
	// coordinate tables: orientation carries no meaning there).
	ByNesting HoleRule = iota
	// ByOrientation: clockwise rings are outer rings and counter-clockwise
	// rings holes, as the shapefile specification says; a hole goes to the
	// smallest outer ring containing it, and one that none contains becomes
	// an outer ring (with a note). When no ring is clockwise (a writer that
	// ignored the rule) nesting decides.
	ByOrientation
)

// RingNote is something AssembleRings noticed about input ring Ring.
type RingNote struct {
	Ring int
	Kind string // the same for every note of one sort (for warning kinds)
	Text string
}

// Warning is the note as a warning, its message after prefix.
func (n RingNote) Warning(prefix string) Warning { return Warning{Kind: n.Kind, Msg: prefix + n.Text} }

// AssembleRings builds polygons from closed rings (first point = last point,
// at least 4 points; the caller closes or drops the others with its own
// messages). Outer rings come out counter-clockwise and holes clockwise
// (RFC 7946); polygons are in the order of their outer ring in rings, holes in
// input order. It returns an orb.Polygon for one polygon, an orb.MultiPolygon
// for several, and nil for no rings. Containment candidates come from an
// R-tree of ring boxes, so the cost is n log n for rings that do not nest
// deeply. The input rings are not modified.
func AssembleRings(rings []orb.Ring, rule HoleRule) (orb.Geometry, []RingNote) {
	n := len(rings)
	if n == 0 {
		return nil, nil
	}
	if n == 1 {
		return orb.Polygon{RingOriented(rings[0], true)}, nil
	}
	area := make([]float64, n)
	bound := make([]orb.Bound, n)
	var tree rtree.RTreeG[int]
	for i, r := range rings {
		area[i] = RingSignedArea(r)
		bound[i] = r.Bound()
		tree.Insert(bound[i].Min, bound[i].Max, i)
	}
	// Rings by decreasing size (then input order): a ring's containers come
	// before it, and of two copies of one ring the first contains the second.
	order := make([]int, n)
	rank := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return math.Abs(area[order[a]]) > math.Abs(area[order[b]]) })
	for k, i := range order {
		rank[i] = k
	}
	// parent[i] is the smallest earlier ring containing ring i, or -1.
	parent := make([]int, n)
	for _, i := range order {
		parent[i] = -1
		b := bound[i]
		tree.Search(b.Min, b.Max, func(min, max [2]float64, j int) bool {
			if rank[j] >= rank[i] || !(orb.Bound{Min: min, Max: max}).Contains(b.Min) || !(orb.Bound{Min: min, Max: max}).Contains(b.Max) {
				return true
			}
			if parent[i] >= 0 && rank[j] < rank[parent[i]] {
				return true // a larger container than the one we have
			}
			if ringInRing(rings[i], rings[j]) {
				parent[i] = j
			}
			return true
		})
	}
	outer := make([]bool, n)
	var notes []RingNote
	nesting := rule == ByNesting
	if rule == ByOrientation {
		any := false
		for i := range rings {
			outer[i] = area[i] <= 0
			any = any || outer[i]
		}
		if !any {
			nesting = true
			notes = append(notes, RingNote{Ring: -1, Kind: "no clockwise ring", Text: "no ring is clockwise (shapefile outer rings are); outer rings and holes decided by nesting"})
		}
	}
	if nesting {
		depth := make([]int, n)
		for _, i := range order {
			if p := parent[i]; p >= 0 {
				depth[i] = depth[p] + 1
			}
			outer[i] = depth[i]%2 == 0
		}
	}
	holes := make([][]int, n)
	for i := range rings {
		if outer[i] {
			continue
		}
		o := parent[i]
		for o >= 0 && !outer[o] {
			o = parent[o]
		}
		if o < 0 {
			outer[i] = true
			notes = append(notes, RingNote{Ring: i, Kind: "hole without outer ring", Text: fmt.Sprintf("ring %d is a hole (counter-clockwise) but no outer ring contains it; read as a separate polygon", i)})
			continue
		}
		holes[o] = append(holes[o], i)
	}
	var mp orb.MultiPolygon
	for i, r := range rings {
		if !outer[i] {
			continue
		}
		p := orb.Polygon{RingOriented(r, true)}
		for _, h := range holes[i] {
			p = append(p, RingOriented(rings[h], false))
		}
		mp = append(mp, p)
	}
	if len(mp) == 1 {
		return mp[0], notes
	}
	return mp, notes
}
