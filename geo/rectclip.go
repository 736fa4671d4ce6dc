package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// RectClip returns the part of the polygonal geometry g (Polygon,
// MultiPolygon or Bound, lon/lat) inside the box b, as a multipolygon that
// is valid whenever g is: shells counter-clockwise, holes clockwise, no ring
// running back and forth along the box, no ring touching itself. An empty
// result (nil) means g and the box's interior do not meet. g is not
// modified.
//
// It is the rectangle intersection of GEOS (RectangleIntersection): every
// ring, oriented so that the polygon's interior lies on its left, is cut
// into the pieces that run through the box's interior, from an entry point
// on the box's boundary to an exit point; a piece also ends wherever the
// ring only touches the boundary, so that a ring touching the box at a
// vertex or running along one of its sides is handled like any other.
// Crossing points lie exactly on the box (x = b.Min[0] exactly for the left
// side). Each exit is joined to the next entry counter-clockwise along the
// box's boundary, taking the box's corners on the way; endpoints at the same
// place are ordered by the direction of their piece, so rings that touch on
// the boundary link up as the interior says. A ring that touched itself
// after linking is split there into simple rings (counter-clockwise ones are
// shells, clockwise ones holes). Rings wholly inside the box are kept as
// they are. When no ring enters the box, one point-in-polygon test decides
// whether the box lies inside the polygon (the result is the box, minus the
// holes inside it) or outside it (or inside a hole): empty.
//
// ok is false when g is not polygonal, b is not a proper box, or g is so
// degenerate (crossing or overlapping rings) that the boundary walk does not
// alternate between exits and entries; callers then fall back to the exact
// overlay. A box of zero width or height gives an empty result.
func RectClip(g orb.Geometry, b orb.Bound) (orb.MultiPolygon, bool) {
	for _, v := range [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, false
		}
	}
	if b.Min[0] >= b.Max[0] || b.Min[1] >= b.Max[1] {
		return nil, b.Min[0] <= b.Max[0] && b.Min[1] <= b.Max[1]
	}
	c := rectClipper{x0: b.Min[0], y0: b.Min[1], x1: b.Max[0], y1: b.Max[1]}
	switch g := g.(type) {
	case orb.Polygon:
		if !c.polygon(g) {
			return nil, false
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if !c.polygon(p) {
				return nil, false
			}
		}
	case orb.Bound:
		if !c.polygon(g.ToPolygon()) {
			return nil, false
		}
	default:
		return nil, false
	}
	return c.out, true
}

// ringKind says how a ring meets the box.
type ringKind int

const (
	ringOutside ringKind = iota // never reaches the box's interior
	ringWhole                   // every vertex strictly inside the box
	ringCut                     // cut into pieces
	ringFail                    // too degenerate to cut
)

// rcPiece is a run of a ring through the box's interior: pts[start:end] of
// the clipper's point buffer, from an entry point to an exit point, both on
// the box's boundary.
type rcPiece struct{ start, end int }

// rcEnd is one end of a piece, placed on the box's boundary: side 0..3
// (bottom, right, top, left, walked counter-clockwise, each side owning the
// corner it starts at), pos increasing along the walk, and alpha the angle
// of the piece's first (or, for an exit, last) segment from the side's
// direction, in (0, π), for ordering ends at the same place.
type rcEnd struct {
	side  int
	pos   float64
	alpha float64
	piece int
	exit  bool
}

type rcLink struct {
	to, fromSide, toSide int
	wrapped              bool
}

type rectClipper struct {
	x0, y0, x1, y1 float64

	pts    []orb.Point // piece points, all rings of the current polygon
	pieces []rcPiece
	whole  []orb.Ring // rings kept whole (oriented), holes of the current polygon
	ends   []rcEnd
	links  []rcLink
	used   []bool
	out    orb.MultiPolygon
}

// polygon clips one polygon and appends the result to c.out; false means
// the polygon is too degenerate.
func (c *rectClipper) polygon(p orb.Polygon) bool {
	if len(p) == 0 {
		return true
	}
	c.pts, c.pieces, c.whole = c.pts[:0], c.pieces[:0], c.whole[:0]
	var shell orb.Ring
	shellKind := ringOutside
	var outsideHoles []int
	for ri, r := range p {
		pts := []orb.Point(openRing(r))
		sa := RingSignedArea(orb.Ring(pts)) // of the open ring: the closing edge adds 0
		if len(pts) < 3 || sa == 0 || math.IsNaN(sa) {
			if ri == 0 {
				return true // a shell without area: nothing inside
			}
			continue
		}
		rev := (ri == 0) != (sa > 0) // shells counter-clockwise, holes clockwise
		k := c.cutRing(pts, rev)
		switch k {
		case ringFail:
			return false
		case ringWhole:
			ring := orientedCopy(pts, rev)
			if ri == 0 {
				shell = ring
			} else {
				c.whole = append(c.whole, ring)
			}
		case ringOutside:
			if ri > 0 {
				outsideHoles = append(outsideHoles, ri)
			}
		}
		if ri == 0 {
			shellKind = k
		}
	}
	if len(c.pieces) == 0 {
		switch shellKind {
		case ringWhole:
			c.out = append(c.out, append(orb.Polygon{shell}, c.whole...))
			return true
		case ringCut:
			return false // cannot happen: a cut shell has pieces
		}
		// No ring enters the box: it lies wholly inside the polygon or
		// wholly outside it (or inside one of its holes).
		centre := orb.Point{(c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2}
		if PointInRing(centre, closedRing(p[0])) <= 0 {
			return true
		}
		for _, hi := range outsideHoles {
			if PointInRing(centre, closedRing(p[hi])) > 0 {
				return true
			}
		}
		c.out = append(c.out, append(orb.Polygon{c.boxRing()}, c.whole...))
		return true
	}
	if shellKind == ringWhole {
		return false // a hole crosses the box but its shell lies inside it: invalid input
	}
	return c.link()
}

// cutRing cuts the open ring pts (reversed when rev) into pieces through
// the box's interior, appended to c.pieces.
func (c *rectClipper) cutRing(pts []orb.Point, rev bool) ringKind {
	n := len(pts)
	at := func(i int) orb.Point {
		if rev {
			return pts[n-1-i]
		}
		return pts[i]
	}
	// Start at a vertex that is not strictly inside, so that the walk
	// starts and ends outside a piece.
	s := -1
	for i := 0; i < n; i++ {
		if !c.strictlyInside(at(i)) {
			s = i
			break
		}
	}
	if s < 0 {
		return ringWhole
	}
	first := len(c.pieces)
	building := false
	start := 0
	for k := 0; k < n; k++ {
		p, q := at((s+k)%n), at((s+k+1)%n)
		if p == q {
			continue
		}
		a, b, ok := c.clipSegment(p, q)
		if !ok || !c.interiorChord(a, b) {
			if building {
				return ringFail // a piece must end on the boundary
			}
			continue
		}
		if !building {
			if !c.onBoundary(a) {
				return ringFail
			}
			start = len(c.pts)
			c.pts = append(c.pts, a)
			building = true
		} else if a != c.pts[len(c.pts)-1] {
			c.pts = append(c.pts, a)
		}
		c.pts = append(c.pts, b)
		if c.onBoundary(b) {
			c.pieces = append(c.pieces, rcPiece{start, len(c.pts)})
			building = false
		}
	}
	if building {
		return ringFail
	}
	if len(c.pieces) == first {
		return ringOutside
	}
	return ringCut
}

func (c *rectClipper) strictlyInside(p orb.Point) bool {
	return p[0] > c.x0 && p[0] < c.x1 && p[1] > c.y0 && p[1] < c.y1
}

func (c *rectClipper) onBoundary(p orb.Point) bool {
	return (p[0] == c.x0 || p[0] == c.x1) && p[1] >= c.y0 && p[1] <= c.y1 ||
		(p[1] == c.y0 || p[1] == c.y1) && p[0] >= c.x0 && p[0] <= c.x1
}

// interiorChord reports whether the open segment a–b (both in the closed
// box) runs through the box's interior: a and b differ and do not lie on
// one side of the box.
func (c *rectClipper) interiorChord(a, b orb.Point) bool {
	if a == b {
		return false
	}
	if a[0] == b[0] && (a[0] == c.x0 || a[0] == c.x1) {
		return false
	}
	if a[1] == b[1] && (a[1] == c.y0 || a[1] == c.y1) {
		return false
	}
	return true
}

// clipSegment returns the part a–b of segment p–q inside the closed box
// (Liang–Barsky), with crossing points exactly on the box's sides.
func (c *rectClipper) clipSegment(p, q orb.Point) (a, b orb.Point, ok bool) {
	if (p[0] <= c.x0 && q[0] <= c.x0) || (p[0] >= c.x1 && q[0] >= c.x1) ||
		(p[1] <= c.y0 && q[1] <= c.y0) || (p[1] >= c.y1 && q[1] >= c.y1) {
		return a, b, false // beyond one side, along it, or touching it from outside
	}
	dx, dy := q[0]-p[0], q[1]-p[1]
	t0, t1 := 0.0, 1.0
	s0, s1 := -1, -1
	clip := func(pk, qk float64, side int) bool {
		if pk == 0 {
			return qk >= 0
		}
		t := qk / pk
		if pk < 0 {
			if t > t0 {
				t0, s0 = t, side
			}
		} else if t < t1 {
			t1, s1 = t, side
		}
		return true
	}
	if !clip(-dx, p[0]-c.x0, 0) || !clip(dx, c.x1-p[0], 1) ||
		!clip(-dy, p[1]-c.y0, 2) || !clip(dy, c.y1-p[1], 3) || t0 >= t1 {
		return a, b, false
	}
	a, b = p, q
	if s0 >= 0 {
		a = c.sidePoint(p, q, s0)
	}
	if s1 >= 0 {
		b = c.sidePoint(p, q, s1)
	}
	return a, b, true
}

// sidePoint is where the line p–q crosses the given side's line (0 left,
// 1 right, 2 bottom, 3 top), interpolated from the lower endpoint so that
// both directions of a segment give the same point, and clamped to the box.
func (c *rectClipper) sidePoint(p, q orb.Point, side int) orb.Point {
	if q[0] < p[0] || q[0] == p[0] && q[1] < p[1] {
		p, q = q, p
	}
	switch side {
	case 0, 1:
		x := c.x0
		if side == 1 {
			x = c.x1
		}
		y := p[1] + (x-p[0])*(q[1]-p[1])/(q[0]-p[0])
		return orb.Point{x, rcClamp(y, c.y0, c.y1)}
	default:
		y := c.y0
		if side == 3 {
			y = c.y1
		}
		x := p[0] + (y-p[1])*(q[0]-p[0])/(q[1]-p[1])
		return orb.Point{rcClamp(x, c.x0, c.x1), y}
	}
}

func rcClamp(v, lo, hi float64) float64 {
	if v < lo || math.IsNaN(v) {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// place puts a boundary point on the counter-clockwise walk: side 0 bottom
// (x0,y0)→(x1,y0), 1 right, 2 top, 3 left; each side owns its first corner.
func (c *rectClipper) place(p orb.Point) (side int, pos float64, ok bool) {
	switch {
	case p[1] == c.y0 && p[0] >= c.x0 && p[0] < c.x1:
		return 0, p[0], true
	case p[0] == c.x1 && p[1] >= c.y0 && p[1] < c.y1:
		return 1, p[1], true
	case p[1] == c.y1 && p[0] > c.x0 && p[0] <= c.x1:
		return 2, -p[0], true
	case p[0] == c.x0 && p[1] > c.y0 && p[1] <= c.y1:
		return 3, -p[1], true
	}
	return 0, 0, false
}

var sideDir = [4][2]float64{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}

// corner returns the corner at the end of side s.
func (c *rectClipper) corner(s int) orb.Point {
	switch s & 3 {
	case 0:
		return orb.Point{c.x1, c.y0}
	case 1:
		return orb.Point{c.x1, c.y1}
	case 2:
		return orb.Point{c.x0, c.y1}
	}
	return orb.Point{c.x0, c.y0}
}

func (c *rectClipper) boxRing() orb.Ring {
	return orb.Ring{{c.x0, c.y0}, {c.x1, c.y0}, {c.x1, c.y1}, {c.x0, c.y1}, {c.x0, c.y0}}
}

// end places one end of a piece: at the boundary point p, whose neighbour
// along the piece is toward.
func (c *rectClipper) end(p, toward orb.Point, piece int, exit bool) (rcEnd, bool) {
	side, pos, ok := c.place(p)
	if !ok {
		return rcEnd{}, false
	}
	f := sideDir[side]
	dx, dy := toward[0]-p[0], toward[1]-p[1]
	alpha := math.Atan2(f[0]*dy-f[1]*dx, f[0]*dx+f[1]*dy)
	if !(alpha > 0 && alpha < math.Pi) {
		return rcEnd{}, false
	}
	return rcEnd{side: side, pos: pos, alpha: alpha, piece: piece, exit: exit}, true
}

// link joins the pieces of the current polygon into rings along the box's
// boundary and appends the resulting polygons to c.out.
func (c *rectClipper) link() bool {
	np := len(c.pieces)
	c.ends = c.ends[:0]
	for i, pc := range c.pieces {
		pts := c.pts[pc.start:pc.end]
		m := len(pts)
		if m < 2 {
			return false
		}
		in, ok1 := c.end(pts[0], pts[1], i, false)
		out, ok2 := c.end(pts[m-1], pts[m-2], i, true)
		if !ok1 || !ok2 {
			return false
		}
		c.ends = append(c.ends, in, out)
	}
	// Counter-clockwise along the boundary; at one place, from the side
	// behind the walk to the side ahead (decreasing angle).
	slices.SortFunc(c.ends, func(a, b rcEnd) int {
		if a.side != b.side {
			return a.side - b.side
		}
		if r := cmp.Compare(a.pos, b.pos); r != 0 {
			return r
		}
		return cmp.Compare(b.alpha, a.alpha)
	})
	m := len(c.ends)
	if cap(c.links) < np {
		c.links = make([]rcLink, np)
		c.used = make([]bool, np)
	}
	c.links, c.used = c.links[:np], c.used[:np]
	for i := range c.used {
		c.used[i] = false
	}
	// Exits and entries must alternate; each exit joins the next entry.
	for i, e := range c.ends {
		nx := c.ends[(i+1)%m]
		if e.exit == nx.exit || e.side == nx.side && e.pos == nx.pos && e.alpha == nx.alpha {
			return false
		}
		if e.exit {
			c.links[e.piece] = rcLink{to: nx.piece, fromSide: e.side, toSide: nx.side, wrapped: i+1 == m}
		}
	}
	// All rings in one buffer: the pieces' points, at most four corners per
	// link, and each ring's closing point.
	buf := make([]orb.Point, 0, len(c.pts)+5*np)
	var rings []orb.Ring
	for s := 0; s < np; s++ {
		if c.used[s] {
			continue
		}
		first := len(buf)
		ring := buf[first:first]
		for i := s; ; {
			c.used[i] = true
			pc := c.pieces[i]
			for _, p := range c.pts[pc.start:pc.end] {
				if len(ring) == 0 || ring[len(ring)-1] != p {
					ring = append(ring, p)
				}
			}
			l := c.links[i]
			n := l.toSide - l.fromSide
			if l.wrapped {
				n += 4
			}
			for k := 0; k < n; k++ {
				if p := c.corner(l.fromSide + k); ring[len(ring)-1] != p {
					ring = append(ring, p)
				}
			}
			if l.to == s {
				break
			}
			if c.used[l.to] {
				return false
			}
			i = l.to
		}
		ring = append(ring, ring[0])
		if first+len(ring) > cap(buf) {
			return false // cannot happen: buf holds every point a ring can take
		}
		buf = buf[:first+len(ring)]
		rings = append(rings, ring)
	}
	var shells, holes []orb.Ring
	for _, r := range rings {
		for _, loop := range splitPinches(r) {
			switch a := RingSignedArea(loop); {
			case a > 0:
				shells = append(shells, loop)
			case a < 0:
				holes = append(holes, loop)
			}
		}
	}
	holes = append(holes, c.whole...)
	if len(shells) == 0 {
		return len(holes) == 0
	}
	polys := make([]orb.Polygon, len(shells))
	for i, s := range shells {
		polys[i] = orb.Polygon{s}
	}
	for _, h := range holes {
		k := 0
		if len(shells) > 1 {
			k = holeOwner(h, shells)
			if k < 0 {
				return false
			}
		}
		polys[k] = append(polys[k], h)
	}
	c.out = append(c.out, polys...)
	return true
}

// splitPinches splits the ring r (open: its first point is not repeated at
// its end) where it passes a point twice into closed simple loops. Loops
// without area (a spike walked out and back) come back too; the caller drops
// them by their area.
func splitPinches(r orb.Ring) []orb.Ring {
	for len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	if !hasRepeat(r) {
		return []orb.Ring{append(r, r[0])}
	}
	var loops []orb.Ring
	stack := make([]orb.Point, 0, len(r))
	at := make(map[orb.Point]int, len(r))
	for _, p := range r {
		if k, ok := at[p]; ok {
			loop := append(orb.Ring(nil), stack[k:]...)
			loops = append(loops, append(loop, p))
			for _, q := range stack[k+1:] {
				delete(at, q)
			}
			stack = stack[:k+1]
			continue
		}
		at[p] = len(stack)
		stack = append(stack, p)
	}
	return append(loops, append(orb.Ring(nil), append(stack, stack[0])...))
}

// hasRepeat reports whether some point occurs twice in r.
func hasRepeat(r orb.Ring) bool {
	if len(r) < 64 {
		for i := range r {
			for j := i + 1; j < len(r); j++ {
				if r[i] == r[j] {
					return true
				}
			}
		}
		return false
	}
	s := slices.Clone([]orb.Point(r))
	slices.SortFunc(s, func(a, b orb.Point) int {
		if r := cmp.Compare(a[0], b[0]); r != 0 {
			return r
		}
		return cmp.Compare(a[1], b[1])
	})
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			return true
		}
	}
	return false
}

// holeOwner returns the index of the shell that holds hole h, or -1.
func holeOwner(h orb.Ring, shells []orb.Ring) int {
	hb := h.Bound()
	for i, s := range shells {
		if !s.Bound().Contains(hb.Min) || !s.Bound().Contains(hb.Max) {
			continue
		}
		for _, p := range openRing(h) {
			if in := PointInRing(p, closedRing(s)); in != 0 {
				if in > 0 {
					return i
				}
				break
			}
		}
	}
	return -1
}

// closedRing returns r closed (r itself when it already is).
func closedRing(r orb.Ring) orb.Ring {
	if len(r) == 0 || r.Closed() {
		return r
	}
	return append(r[:len(r):len(r)], r[0])
}

// orientedCopy returns the open ring pts as a closed ring, reversed when rev.
func orientedCopy(pts []orb.Point, rev bool) orb.Ring {
	r := make(orb.Ring, 0, len(pts)+1)
	if rev {
		for i := len(pts) - 1; i >= 0; i-- {
			r = append(r, pts[i])
		}
	} else {
		r = append(r, pts...)
	}
	return append(r, r[0])
}
