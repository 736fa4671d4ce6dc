package geo

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"

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
func Validate(g orb.Geometry) []Problem {
	var out []Problem
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
	switch g := g.(type) {
	case orb.Polygon:
		out = validatePolygon(g, "")
	case orb.MultiPolygon:
		for i, p := range g {
			out = append(out, validatePolygon(p, fmt.Sprintf(" of part %d", i))...)
		}
		if out == nil && len(g) > 1 {
			out = engineProblems(g)
		}
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
			return Validate(mp)
		}
		for i, m := range g {
			for _, p := range Validate(m) {
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

func validatePolygon(p orb.Polygon, part string) []Problem {
	var out []Problem
	if len(p) == 0 {
		return []Problem{{Reason: "polygon" + part + " has no rings"}}
	}
	for i, r := range p {
		name := fmt.Sprintf("ring %d%s", i+1, part)
		if len(r) > 0 && r[0] != r[len(r)-1] {
			out = append(out, Problem{Reason: name + " is not closed", Location: r[0], Repairable: true})
		}
		if distinct(orb.LineString(r)) < 3 {
			out = append(out, Problem{Reason: name + " has fewer than 3 distinct points", Location: first(orb.LineString(r)), Repairable: true})
			continue
		}
		if at, ok := spike(r); ok {
			out = append(out, Problem{Reason: name + " has a zero-area spike", Location: at, Repairable: true})
			continue
		}
		if noArea(r) {
			out = append(out, Problem{Reason: name + " has no area (its points lie on one line)", Location: r[0], Repairable: true})
			continue
		}
		if at, ok := selfIntersection(r); ok {
			out = append(out, Problem{Reason: name + " self-intersects", Location: at})
		}
	}
	if out != nil || len(p) == 1 {
		// A polygon of one simple, closed ring is valid: the engine's
		// rules are about holes, so it is not asked (it costs as much as
		// the ring checks together).
		return out
	}
	return engineProblems(p)
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

// spike finds a vertex where a closed ring turns back on itself along the
// same line (A→B→A'): the ring is not simple there but has no area.
func spike(r orb.Ring) (orb.Point, bool) {
	pts := dedupe(openRing(r))
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

// dedupe drops consecutive repeated points (cyclically).
func dedupe(pts []orb.Point) []orb.Point {
	out := make([]orb.Point, 0, len(pts))
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

// selfIntersection finds where two non-adjacent edges of a ring meet, by a
// sweep over edges sorted by their smallest x.
func selfIntersection(r orb.Ring) (orb.Point, bool) {
	pts := dedupe(openRing(r))
	n := len(pts)
	if n < 3 {
		return orb.Point{}, false
	}
	type edge struct {
		i          int
		minX, maxX float64
	}
	edges := make([]edge, n)
	for i := 0; i < n; i++ {
		a, b := pts[i], pts[(i+1)%n]
		edges[i] = edge{i, math.Min(a[0], b[0]), math.Max(a[0], b[0])}
	}
	sort.Slice(edges, func(x, y int) bool { return edges[x].minX < edges[y].minX })
	for x := range edges {
		for y := x + 1; y < n && edges[y].minX <= edges[x].maxX; y++ {
			i, j := edges[x].i, edges[y].i
			if i > j {
				i, j = j, i
			}
			a1, a2 := pts[i], pts[(i+1)%n]
			b1, b2 := pts[j], pts[(j+1)%n]
			adjacent := j == i+1 || (i == 0 && j == n-1)
			if at, ok := segmentsMeet(a1, a2, b1, b2, adjacent); ok {
				return at, true
			}
		}
	}
	return orb.Point{}, false
}

// segmentsMeet reports a common point of segments a and b. For adjacent
// edges the shared vertex does not count, but a collinear overlap does.
func segmentsMeet(a1, a2, b1, b2 orb.Point, adjacent bool) (orb.Point, bool) {
	d1 := orient(b1, b2, a1)
	d2 := orient(b1, b2, a2)
	d3 := orient(a1, a2, b1)
	d4 := orient(a1, a2, b2)
	if adjacent {
		// They share one endpoint; they meet elsewhere only if collinear and
		// folding back, which spike() reports. Treat as fine here.
		return orb.Point{}, false
	}
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
