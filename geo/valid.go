package geo

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"sync"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"
)

// Problem is one reason a geometry is invalid, with where it happens.
type Problem struct {
	Reason     string    // "ring 1 of part 0 self-intersects"
	Location   orb.Point // lon/lat near the problem
	Repairable bool      // Repair fixes it exactly in the pure-Go build
}

func (p Problem) String() string {
	return fmt.Sprintf("%s near %.7g,%.7g", p.Reason, p.Location[0], p.Location[1])
}

// Validate lists why g is not a valid OGC geometry: too few points, unclosed
// rings, NaN/Inf, lon/lat out of range, self-intersections and zero-area
// spikes, holes outside their shell, and multipolygon parts that overlap or
// touch along an edge. It returns nil for a valid geometry.
func Validate(g orb.Geometry) []Problem { return validate(g, false) }

// validate is Validate; askEngine makes the engine decide every rule
// between rings and parts, as it did before our own check (the reference
// of the differential tests).
func validate(g orb.Geometry, askEngine bool) []Problem {
	var out []Problem
	if !inLonLatRange(g) {
		VisitPoints(g, func(p orb.Point) bool {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				out = append(out, Problem{Reason: "coordinate is NaN or infinite", Location: p})
				return false
			}
			if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
				out = append(out, Problem{Reason: "coordinate is not lon/lat (out of range)", Location: p})
				return false
			}
			return true
		})
		if out != nil {
			return out
		}
	}
	switch g := g.(type) {
	case orb.Polygon:
		out = validatePolygons(orb.MultiPolygon{g}, false, askEngine)
	case orb.MultiPolygon:
		out = validatePolygons(g, true, askEngine)
	case orb.LineString:
		if distinct(g) < 2 {
			out = append(out, Problem{Reason: "line has fewer than 2 distinct points", Location: first(g)})
		}
	case orb.MultiLineString:
		for i, l := range g {
			if distinct(l) < 2 {
				out = append(out, Problem{Reason: fmt.Sprintf("line %d has fewer than 2 distinct points", i), Location: first(l)})
			}
		}
	case orb.Collection:
		if mp, ok := polygonalCollection(g); ok {
			return validate(mp, askEngine)
		}
		for i, m := range g {
			for _, p := range validate(m, askEngine) {
				p.Reason = fmt.Sprintf("member %d: %s", i, p.Reason)
				out = append(out, p)
			}
		}
	}
	return out
}

// polygonalCollection returns the polygons of a collection that holds only
// polygons and multipolygons as one multipolygon: its members together cover
// what the multipolygon covers, so the same rules apply (parts must not
// overlap). A GeoJSON GeometryCollection of polygons is read this way.
func polygonalCollection(c orb.Collection) (orb.MultiPolygon, bool) {
	var mp orb.MultiPolygon
	for _, m := range c {
		switch m := m.(type) {
		case orb.Polygon:
			mp = append(mp, m)
		case orb.MultiPolygon:
			mp = append(mp, m...)
		default:
			return nil, false
		}
	}
	return mp, len(mp) > 0
}

// engineProblems asks the engine about the rules between rings and parts.
func engineProblems(g orb.Geometry) []Problem {
	e, err := toEngine(g)
	if err == nil {
		err = engineValidate(e)
	}
	if err == nil {
		return nil
	}
	p := Problem{Reason: engineReason(err.Error()), Location: first(orb.LineString(outerRing(g)))}
	if m := nearRE.FindStringSubmatch(err.Error()); m != nil {
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		p.Location = orb.Point{x, y}
	}
	// Overlapping parts of a multipolygon are merged exactly by a union.
	if _, multi := g.(orb.MultiPolygon); multi {
		p.Repairable = true
	}
	return []Problem{p}
}

var nearRE = regexp.MustCompile(`at or near \{?(?:POINT\()?([-0-9.eE+]+)[ ,]+([-0-9.eE+]+)`)

func engineReason(msg string) string {
	switch {
	case regexp.MustCompile(`child polygons touch|multipolygon`).MatchString(msg):
		return "multipolygon parts overlap or touch along an edge"
	case regexp.MustCompile(`interior ring outside`).MatchString(msg):
		return "hole lies outside its shell"
	case regexp.MustCompile(`nested rings`).MatchString(msg):
		return "hole is nested inside another hole"
	case regexp.MustCompile(`disconnected interior`).MatchString(msg):
		return "holes split the polygon's interior"
	case regexp.MustCompile(`rings intersect`).MatchString(msg):
		return "rings cross or touch along an edge"
	case regexp.MustCompile(`not simple`).MatchString(msg):
		return "ring self-intersects"
	}
	return msg
}

func outerRing(g orb.Geometry) orb.Ring {
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) > 0 {
			return g[0]
		}
	case orb.MultiPolygon:
		if len(g) > 0 {
			return outerRing(g[0])
		}
	}
	return nil
}

func first(l orb.LineString) orb.Point {
	if len(l) == 0 {
		return orb.Point{}
	}
	return l[0]
}

// distinct counts the distinct points of l.
func distinct(l orb.LineString) int {
	seen := make(map[orb.Point]struct{}, len(l))
	for _, p := range l {
		seen[p] = struct{}{}
	}
	return len(seen)
}

// noArea reports a ring whose points all lie on one line up to rounding
// error (a spike that isSpike's exact test misses): it has no area, and the
// overlay engine gives wrong answers on it.
func noArea(r orb.Ring) bool {
	if len(r) == 0 {
		return false
	}
	o, far, d2 := r[0], r[0], 0.0
	for _, p := range r {
		if d := (p[0]-o[0])*(p[0]-o[0]) + (p[1]-o[1])*(p[1]-o[1]); d > d2 {
			far, d2 = p, d
		}
	}
	if d2 == 0 {
		return true
	}
	for _, p := range r {
		if math.Abs(orient(o, far, p)) > 1e-10*d2 {
			return false
		}
	}
	return true
}

// spikeIn finds a vertex where a ring (its points without repeats or the
// closing one) turns back on itself along the same line (A→B→A'): the ring
// is not simple there but has no area.
func spikeIn(pts []orb.Point) (orb.Point, bool) {
	n := len(pts)
	if n < 3 {
		return orb.Point{}, false
	}
	for i := 0; i < n; i++ {
		a, b, c := pts[(i+n-1)%n], pts[i], pts[(i+1)%n]
		if isSpike(a, b, c) {
			return b, true
		}
	}
	return orb.Point{}, false
}

// isSpike reports whether the path a→b→c reverses direction on one line,
// up to rounding error (sin of the angle ≤ 1e-10: the overlay engine cannot
// tell such a spike from an exact one, and fails on it).
func isSpike(a, b, c orb.Point) bool {
	ux, uy := b[0]-a[0], b[1]-a[1]
	vx, vy := c[0]-b[0], c[1]-b[1]
	return math.Abs(ux*vy-uy*vx) <= 1e-10*math.Sqrt((ux*ux+uy*uy)*(vx*vx+vy*vy)) && ux*vx+uy*vy < 0
}

// openRing returns r without its closing point.
func openRing(r orb.Ring) []orb.Point {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		return r[:len(r)-1]
	}
	return r
}

// closedDistinct reports whether r is closed and has no point repeated
// next to itself, cyclically, besides the closing one: dedupe would return
// r without its closing point.
func closedDistinct(r orb.Ring) bool {
	n := len(r)
	if n < 3 || r[0] != r[n-1] || r[n-2] == r[0] {
		return false
	}
	for i := 0; i+2 < n; i++ {
		if r[i] == r[i+1] {
			return false
		}
	}
	return true
}

// dedupe drops consecutive repeated points (cyclically).
func dedupe(pts []orb.Point) []orb.Point {
	out := make([]orb.Point, 0, len(pts)+1) // room to close it again
	for _, p := range pts {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

// ringCheck is one ring of a geometry under validation.
type ringCheck struct {
	pts     []orb.Point // without repeated points or the closing one
	closed  orb.Ring    // pts and its first point again
	part    int         // the polygon it belongs to
	unclose *Problem    // the ring is not closed
	problem *Problem    // too few points, a spike, no area, or (after the sweep) a self-intersection
}

// validatePolygons checks the polygons of a Polygon (multi false) or a
// MultiPolygon: each ring alone, then, by one sweep over the edges of all
// rings sorted by their smallest x, where a ring meets itself and whether
// two rings come near each other. Rings that keep apart are valid when
// each hole lies inside its shell and in no other hole, and no part lies
// inside another: point-in-ring decides that. Only where rings touch, or
// nearly do, or the nesting is wrong, is the engine asked (for its rules
// and its reasons).
func validatePolygons(polys orb.MultiPolygon, multi, askEngine bool) []Problem {
	var rings []ringCheck
	first := make([]int, len(polys)+1) // rings of part i: rings[first[i]:first[i+1]]
	for i, p := range polys {
		first[i] = len(rings)
		for k, r := range p {
			name := func() string { return fmt.Sprintf("ring %d%s", k+1, partName(i, multi)) }
			rc := ringCheck{part: i}
			if len(r) > 0 && r[0] != r[len(r)-1] {
				rc.unclose = &Problem{Reason: name() + " is not closed", Location: r[0], Repairable: true}
			}
			if closedDistinct(r) {
				rc.pts, rc.closed = r[:len(r)-1], r // as dedupe would give, without the copy
			} else if rc.pts = dedupe(openRing(r)); len(rc.pts) > 0 {
				rc.closed = append(rc.pts, rc.pts[0]) // within dedupe's spare capacity
			}
			if !threeDistinct(rc.pts) {
				rc.problem = &Problem{Reason: name() + " has fewer than 3 distinct points", Location: first0(r), Repairable: true}
			} else if at, ok := spikeIn(rc.pts); ok {
				rc.problem = &Problem{Reason: name() + " has a zero-area spike", Location: at, Repairable: true}
			} else if noArea(r) {
				rc.problem = &Problem{Reason: name() + " has no area (its points lie on one line)", Location: r[0], Repairable: true}
			}
			rings = append(rings, rc)
		}
	}
	first[len(polys)] = len(rings)
	partContact, multiContact := sweepRings(rings, len(polys), multi)
	var out []Problem
	for i, p := range polys {
		if len(p) == 0 {
			out = append(out, Problem{Reason: "polygon" + partName(i, multi) + " has no rings"})
			continue
		}
		before := len(out)
		for k := first[i]; k < first[i+1]; k++ {
			if rc := &rings[k]; rc.unclose != nil {
				out = append(out, *rc.unclose)
			}
			if rc := &rings[k]; rc.problem != nil {
				out = append(out, *rc.problem)
			}
		}
		if len(out) > before || len(p) == 1 {
			// A polygon of one simple, closed ring is valid: the rules
			// between rings do not apply.
			continue
		}
		if askEngine || partContact[i] || !holesNested(rings[first[i]:first[i+1]]) {
			out = append(out, engineProblems(p)...)
		}
	}
	if out != nil || !multi || len(polys) <= 1 {
		return out
	}
	if askEngine || multiContact || !partsApart(rings, first) {
		return engineProblems(polys)
	}
	return nil
}

func partName(i int, multi bool) string {
	if !multi {
		return ""
	}
	return fmt.Sprintf(" of part %d", i)
}

func first0(r orb.Ring) orb.Point { return first(orb.LineString(r)) }

// threeDistinct reports whether pts holds at least 3 distinct points.
func threeDistinct(pts []orb.Point) bool {
	if len(pts) < 3 {
		return false
	}
	p0 := pts[0]
	k := 1
	for k < len(pts) && pts[k] == p0 {
		k++
	}
	if k == len(pts) {
		return false
	}
	p1 := pts[k]
	for _, q := range pts[k+1:] {
		if q != p0 && q != p1 {
			return true
		}
	}
	return false
}

// valEdge is edge i of ring r (pts[i] to the next point) in the sweep.
type valEdge struct {
	r, i       int32
	minX, maxX float64
	minY, maxY float64
}

// edgeKey orders the sweep: by smallest x, then by edge number (rings in
// order, edges in ring order), so that the first meeting found on a ring
// is the same whatever its neighbours. It is small: sorting moves keys,
// not edges.
type edgeKey struct {
	minX float64
	e    int32
}

// sweepRings finds, in one sweep over the edges of the rings that passed
// the per-ring checks, the first place where each ring meets itself
// (its problem), and whether two rings of one polygon (partContact)
// or of two polygons (multiContact) touch, cross or come near each other.
func sweepRings(rings []ringCheck, parts int, multi bool) (partContact []bool, multiContact bool) {
	partContact = make([]bool, parts)
	n := 0
	for k := range rings {
		if rings[k].problem == nil {
			n += len(rings[k].pts)
		}
	}
	sc := sweepScratch.Get().(*sweepSpace)
	defer sweepScratch.Put(sc)
	edges := slices.Grow(sc.edges[:0], n)
	defer func() { sc.edges = edges[:0] }()
	for k := range rings {
		rc := &rings[k]
		if rc.problem != nil {
			continue
		}
		m := len(rc.pts)
		for i := 0; i < m; i++ {
			a, b := rc.pts[i], rc.pts[(i+1)%m]
			edges = append(edges, valEdge{int32(k), int32(i), math.Min(a[0], b[0]), math.Max(a[0], b[0]), math.Min(a[1], b[1]), math.Max(a[1], b[1])})
		}
	}
	if pc, mc, ok := gridMeetings(sc, rings, edges, parts); ok {
		return pc, mc // no ring meets itself: the sweep would only find these
	}
	keys := make([]edgeKey, len(edges))
	for i := range edges {
		keys[i] = edgeKey{edges[i].minX, int32(i)}
	}
	slices.SortFunc(keys, func(x, y edgeKey) int {
		switch {
		case x.minX < y.minX:
			return -1
		case x.minX > y.minX:
			return 1
		}
		return int(x.e - y.e)
	})
	for x := range keys {
		ex := &edges[keys[x].e]
		for y := x + 1; y < len(keys) && keys[y].minX <= ex.maxX; y++ {
			ey := &edges[keys[y].e]
			if ey.maxY < ex.minY || ey.minY > ex.maxY {
				continue
			}
			rx, ry := &rings[ex.r], &rings[ey.r]
			if ex.r == ey.r {
				if rx.problem != nil {
					continue
				}
				i, j := int(ex.i), int(ey.i)
				if i > j {
					i, j = j, i
				}
				pts, m := rx.pts, len(rx.pts)
				adjacent := j == i+1 || (i == 0 && j == m-1)
				if at, ok := segmentsMeet(pts[i], pts[(i+1)%m], pts[j], pts[(j+1)%m], adjacent); ok {
					rx.problem = &Problem{Reason: fmt.Sprintf("ring %d%s self-intersects", ringNumber(rings, int(ex.r)), partName(rx.part, multi)), Location: at}
				}
				continue
			}
			if rx.part == ry.part && partContact[rx.part] || rx.part != ry.part && multiContact {
				continue
			}
			a1, a2 := rx.pts[ex.i], rx.pts[(int(ex.i)+1)%len(rx.pts)]
			b1, b2 := ry.pts[ey.i], ry.pts[(int(ey.i)+1)%len(ry.pts)]
			if kind, _, _ := segCross(a1, a2, b1, b2); kind != crossNone {
				if rx.part == ry.part {
					partContact[rx.part] = true
				} else {
					multiContact = true
				}
			}
		}
	}
	return partContact, multiContact
}

// gridMeetings answers what sweepRings answers, for the common case where
// no ring meets itself, without sorting: the edges are binned in a uniform
// grid of about one cell per edge, and each pair of edges whose boxes meet
// is tested once, in the cell of the low corner of the boxes' overlap (the
// same pairs as the sweep tests). ok is false when a ring meets itself (the
// sweep then finds the first place, as it reports it) or when the edges
// bunch up so that the grid would cost more than the sweep.
func gridMeetings(sc *sweepSpace, rings []ringCheck, edges []valEdge, parts int) (partContact []bool, multiContact, ok bool) {
	n := len(edges)
	if n < gridMinEdges {
		return nil, false, false // the sweep is as fast
	}
	b := orb.Bound{Min: orb.Point{edges[0].minX, edges[0].minY}, Max: orb.Point{edges[0].maxX, edges[0].maxY}}
	for i := range edges {
		e := &edges[i]
		b.Min[0], b.Min[1] = math.Min(b.Min[0], e.minX), math.Min(b.Min[1], e.minY)
		b.Max[0], b.Max[1] = math.Max(b.Max[0], e.maxX), math.Max(b.Max[1], e.maxY)
	}
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if !(w > 0 && h > 0) {
		return nil, false, false
	}
	nx := max(1, min(n, int(math.Sqrt(float64(n)*w/h))))
	ny := max(1, min(n, n/nx))
	fx, fy := float64(nx)/w, float64(ny)/h
	cellX := func(x float64) int { return min(nx-1, int((x-b.Min[0])*fx)) }
	cellY := func(y float64) int { return min(ny-1, int((y-b.Min[1])*fy)) }
	// Cells in CSR form: start[c]..start[c+1] in items.
	start := slices.Grow(sc.start[:0], nx*ny+1)[:nx*ny+1]
	clear(start)
	sc.start = start
	total := 0
	for i := range edges {
		e := &edges[i]
		x0, x1, y0, y1 := cellX(e.minX), cellX(e.maxX), cellY(e.minY), cellY(e.maxY)
		total += (x1 - x0 + 1) * (y1 - y0 + 1)
		if total > 8*n {
			return nil, false, false // long edges across many cells
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				start[y*nx+x+1]++
			}
		}
	}
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
	}
	items := slices.Grow(sc.items[:0], total)[:total]
	fill := append(sc.fill[:0], start[:len(start)-1]...)
	sc.items, sc.fill = items, fill
	for i := range edges {
		e := &edges[i]
		x0, x1, y0, y1 := cellX(e.minX), cellX(e.maxX), cellY(e.minY), cellY(e.maxY)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				c := y*nx + x
				items[fill[c]] = int32(i)
				fill[c]++
			}
		}
	}
	partContact = make([]bool, parts)
	budget := 32*n + 1024 // pair tests before the sweep is cheaper
	for c := 0; c+1 < len(start); c++ {
		cell := items[start[c]:start[c+1]]
		for u := 0; u < len(cell); u++ {
			ex := &edges[cell[u]]
			for v := u + 1; v < len(cell); v++ {
				ey := &edges[cell[v]]
				if ey.maxY < ex.minY || ey.minY > ex.maxY || ey.maxX < ex.minX || ey.minX > ex.maxX {
					continue
				}
				if cellY(math.Max(ex.minY, ey.minY))*nx+cellX(math.Max(ex.minX, ey.minX)) != c {
					continue // tested in another cell
				}
				if budget--; budget < 0 {
					return nil, false, false
				}
				rx, ry := &rings[ex.r], &rings[ey.r]
				if ex.r == ey.r {
					i, j := int(ex.i), int(ey.i)
					if i > j {
						i, j = j, i
					}
					pts, m := rx.pts, len(rx.pts)
					adjacent := j == i+1 || (i == 0 && j == m-1)
					if _, meet := segmentsMeet(pts[i], pts[(i+1)%m], pts[j], pts[(j+1)%m], adjacent); meet {
						return nil, false, false
					}
					continue
				}
				if rx.part == ry.part && partContact[rx.part] || rx.part != ry.part && multiContact {
					continue
				}
				a1, a2 := rx.pts[ex.i], rx.pts[(int(ex.i)+1)%len(rx.pts)]
				b1, b2 := ry.pts[ey.i], ry.pts[(int(ey.i)+1)%len(ry.pts)]
				if kind, _, _ := segCross(a1, a2, b1, b2); kind != crossNone {
					if rx.part == ry.part {
						partContact[rx.part] = true
					} else {
						multiContact = true
					}
				}
			}
		}
	}
	return partContact, multiContact, true
}

// sweepSpace is sweepRings' and gridMeetings' scratch space, kept between
// features (validating a large layer otherwise allocates and clears its
// edges and grid once per feature).
type sweepSpace struct {
	edges              []valEdge
	start, items, fill []int32
}

var sweepScratch = sync.Pool{New: func() any { return new(sweepSpace) }}

// gridMinEdges is the number of edges from which gridMeetings bins them
// (a variable so that the differential tests run the grid on small rings).
var gridMinEdges = 64

// ringNumber is ring k's 1-based number in its polygon.
func ringNumber(rings []ringCheck, k int) int {
	n := 1
	for j := k - 1; j >= 0 && rings[j].part == rings[k].part; j-- {
		n++
	}
	return n
}

// holesNested reports whether, for a polygon whose rings keep apart, every
// hole lies inside the shell and outside the other holes.
func holesNested(rings []ringCheck) bool {
	shell := rings[0].pts
	sb := pointsBound(shell)
	type box struct {
		k int
		b orb.Bound
	}
	holes := make([]box, 0, len(rings)-1)
	for k := 1; k < len(rings); k++ {
		h := rings[k].pts
		if !sb.Contains(h[0]) || PointInRing(h[0], rings[0].closed) <= 0 {
			return false
		}
		holes = append(holes, box{k, pointsBound(h)})
	}
	// A hole inside another has its box inside the other's: sweep by x.
	slices.SortFunc(holes, func(x, y box) int { return cmp.Compare(x.b.Min[0], y.b.Min[0]) })
	for x := range holes {
		for y := x + 1; y < len(holes) && holes[y].b.Min[0] <= holes[x].b.Max[0]; y++ {
			a, b := holes[x], holes[y]
			if !a.b.Intersects(b.b) {
				continue
			}
			if PointInRing(rings[a.k].pts[0], rings[b.k].closed) >= 0 ||
				PointInRing(rings[b.k].pts[0], rings[a.k].closed) >= 0 {
				return false
			}
		}
	}
	return true
}

// partsApart reports whether, for a multipolygon whose rings keep apart, no
// part's shell lies in another part's interior: their interiors are then
// disjoint.
func partsApart(rings []ringCheck, first []int) bool {
	parts := len(first) - 1
	type box struct {
		i int
		b orb.Bound
	}
	shells := make([]box, 0, parts)
	for i := 0; i < parts; i++ {
		if first[i] < first[i+1] {
			shells = append(shells, box{i, pointsBound(rings[first[i]].pts)})
		}
	}
	inside := func(p orb.Point, j int) bool { // p strictly in part j's interior
		if PointInRing(p, rings[first[j]].closed) <= 0 {
			return false
		}
		for k := first[j] + 1; k < first[j+1]; k++ {
			if PointInRing(p, rings[k].closed) >= 0 {
				return false
			}
		}
		return true
	}
	slices.SortFunc(shells, func(x, y box) int { return cmp.Compare(x.b.Min[0], y.b.Min[0]) })
	for x := range shells {
		for y := x + 1; y < len(shells) && shells[y].b.Min[0] <= shells[x].b.Max[0]; y++ {
			a, b := shells[x], shells[y]
			if !a.b.Intersects(b.b) {
				continue
			}
			if inside(rings[first[a.i]].pts[0], b.i) || inside(rings[first[b.i]].pts[0], a.i) {
				return false
			}
		}
	}
	return true
}

// segmentsMeet reports a common point of segments a and b. For adjacent
// edges the shared vertex does not count, but a collinear overlap does.
func segmentsMeet(a1, a2, b1, b2 orb.Point, adjacent bool) (orb.Point, bool) {
	if adjacent {
		// They share one endpoint; they meet elsewhere only if collinear and
		// folding back, which spikeIn reports. Treat as fine here.
		return orb.Point{}, false
	}
	d1 := orient(b1, b2, a1)
	d2 := orient(b1, b2, a2)
	d3 := orient(a1, a2, b1)
	d4 := orient(a1, a2, b2)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		t := d1 / (d1 - d2)
		return orb.Point{a1[0] + t*(a2[0]-a1[0]), a1[1] + t*(a2[1]-a1[1])}, true
	}
	// A vertex on the other edge, up to rounding (within 1e-10 of the
	// edge's length: the decimal input rarely lands exactly on the line).
	lb, la := sqLen(b1, b2), sqLen(a1, a2)
	switch {
	case math.Abs(d1) <= 1e-10*lb && onSegment(b1, b2, a1):
		return a1, true
	case math.Abs(d2) <= 1e-10*lb && onSegment(b1, b2, a2):
		return a2, true
	case math.Abs(d3) <= 1e-10*la && onSegment(a1, a2, b1):
		return b1, true
	case math.Abs(d4) <= 1e-10*la && onSegment(a1, a2, b2):
		return b2, true
	}
	return orb.Point{}, false
}

func sqLen(a, b orb.Point) float64 { return (b[0]-a[0])*(b[0]-a[0]) + (b[1]-a[1])*(b[1]-a[1]) }

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func onSegment(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// Valid reports whether s passes the engine's OGC validity rules.
func (s Shape) Valid() bool { return engineValidate(s.g) == nil }

// engineValidate runs the engine's validation, turning a panic (seen in
// simplefeatures on rounding-level degenerate multipolygons) into an
// invalidity: bad input must never crash.
func engineValidate(e sf.Geometry) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("geometry is degenerate (the engine could not validate it: %v)", r)
		}
	}()
	return e.Validate()
}
