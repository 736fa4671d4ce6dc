package geo

import (
	"cmp"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"
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
	n, within := ApartNearestWithinM(ag, bg, maxM)
	return n.DistanceM, within
}

// Nearest is the nearest pair of points of two geometries, A on the first and
// B on the second, and their geodesic distance in m.
type Nearest struct {
	DistanceM float64
	A, B      orb.Point
}

// ApartNearestWithinM is ApartDistanceWithinM that also returns the nearest
// points, for maps that draw the distance. Beyond maxM it returns
// DistanceM = +Inf and within = false.
func ApartNearestWithinM(ag, bg orb.Geometry, maxM float64) (n Nearest, within bool) {
	ab, bb := BoundOf(ag), BoundOf(bg)
	kx, ky := localScale((ab.Min[1] + ab.Max[1] + bb.Min[1] + bb.Max[1]) / 4 * degToRad)
	far := Nearest{DistanceM: math.Inf(1)}
	// Only edges that could be that close (generously: the scale varies).
	sc := segScratch.Get().(*segLists)
	defer sc.put()
	sc.a = segmentsNear(sc.a[:0], ag, ExpandBoundM(bb, 1.02*maxM))
	sc.b = segmentsNear(sc.b[:0], bg, ExpandBoundM(ab, 1.02*maxM))
	sa, sb := sc.a, sc.b
	if len(sa) == 0 || len(sb) == 0 {
		return far, false
	}
	p, q, found := nearestWithin(sa, sb, kx, ky, 1.02*maxM)
	if !found {
		return far, false
	}
	n = Nearest{DistanceM: GeodesicM(p, q), A: p, B: q}
	return n, n.DistanceM <= maxM
}

// segLists are ApartNearestWithinM's segment lists, kept between calls: a
// site's nearby search lists thousands of segments, most of a request's
// garbage otherwise. Lists grown past maxPooledSegs are left to the
// collector, so one huge geometry does not stay pinned.
type segLists struct{ a, b [][2]orb.Point }

const maxPooledSegs = 1 << 14 // 512 KiB of segments

var segScratch = sync.Pool{New: func() any { return new(segLists) }}

func (sc *segLists) put() {
	if cap(sc.a)+cap(sc.b) <= maxPooledSegs {
		segScratch.Put(sc)
	}
}

// segmentsNear appends to dst the segments of g (as segmentsOf) whose box
// meets b, without listing the others first.
func segmentsNear(dst [][2]orb.Point, g orb.Geometry, b orb.Bound) [][2]orb.Point {
	return appendSegments(dst, g, func(s [2]orb.Point) bool {
		sb := orb.Bound{Min: orb.Point{math.Min(s[0][0], s[1][0]), math.Min(s[0][1], s[1][1])},
			Max: orb.Point{math.Max(s[0][0], s[1][0]), math.Max(s[0][1], s[1][1])}}
		return sb.Intersects(b)
	})
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

// ExpandBoundM grows b by m metres on every side, in degrees, over-estimated
// (1 % and the smallest scale over the box's latitudes), so that every point
// within m metres of b lies inside the result. It is the one metres-to-degrees
// conversion for search boxes (proximity, database pushdown).
func ExpandBoundM(b orb.Bound, m float64) orb.Bound {
	if m <= 0 {
		return b
	}
	_, ky := localScale(0) // metres per degree of latitude are fewest at the equator
	dLat := 1.01 * m / ky
	lat := math.Min(89, math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1]))+dLat)
	kx, _ := localScale(lat * degToRad)
	dLon := math.Min(180, 1.01*m/math.Max(kx, 1))
	return orb.Bound{Min: orb.Point{b.Min[0] - dLon, b.Min[1] - dLat}, Max: orb.Point{b.Max[0] + dLon, b.Max[1] + dLat}}
}

// MetresPerDegree returns how many metres one degree of longitude and one of
// latitude span at latitude latDeg on CGCS2000 (the local scale of maps).
func MetresPerDegree(latDeg float64) (lon, lat float64) {
	return localScale(latDeg * degToRad)
}

// localScale returns metres per degree of longitude and of latitude at lat.
func localScale(lat float64) (kx, ky float64) {
	s := math.Sin(lat)
	w := math.Sqrt(1 - e2*s*s)
	ky = semiMajorM * (1 - e2) / (w * w * w) * degToRad
	kx = semiMajorM / w * math.Cos(lat) * degToRad
	return kx, ky
}

// NearestPoints returns a point of a and a point of b that are nearest to
// each other, looking only at boundaries (callers test containment first).
// The nearest pair of two disjoint geometries always has a vertex on one
// side, so each side's vertices are matched against the other's edges.
func NearestPoints(a, b orb.Geometry) (orb.Point, orb.Point) {
	ab, bb := BoundOf(a), BoundOf(b)
	kx, ky := localScale((ab.Min[1] + ab.Max[1] + bb.Min[1] + bb.Max[1]) / 4 * degToRad)
	p, q, _ := nearestWithin(segmentsOf(a), segmentsOf(b), kx, ky, math.Inf(1))
	return p, q
}

// nearestWithin finds the nearest points of two sets of segments, looking
// only at pairs closer than cutM in the plane scaled by kx, ky (m per
// degree). The segments are cut into runs of up to 32 with a box each; run
// pairs are examined in order of their boxes' distance, vertex against
// segment both ways, until no remaining pair of boxes can hold a closer
// pair. found is false when nothing is that close.
func nearestWithin(sa, sb [][2]orb.Point, kx, ky, cutM float64) (p, q orb.Point, found bool) {
	ra, rb := segRuns(sa, kx, ky), segRuns(sb, kx, ky)
	type pair struct {
		i, j int
		d    float64 // squared distance between the runs' boxes
	}
	best := cutM * cutM
	pairs := make([]pair, 0, len(ra)*len(rb))
	for i := range ra {
		for j := range rb {
			if d := boxDist2(ra[i], rb[j]); d < best {
				pairs = append(pairs, pair{i, j, d})
			}
		}
	}
	slices.SortFunc(pairs, func(x, y pair) int { return cmp.Compare(x.d, y.d) })
	try := func(v orb.Point, s [2]orb.Point, swap bool) {
		w, d := nearestOnSegment(v, s[0], s[1], kx, ky)
		if d < best {
			best, found = d, true
			if swap {
				p, q = w, v
			} else {
				p, q = v, w
			}
		}
	}
	for _, pr := range pairs {
		if pr.d >= best {
			break
		}
		A, B := sa[ra[pr.i].from:ra[pr.i].to], sb[rb[pr.j].from:rb[pr.j].to]
		for _, x := range A {
			for _, y := range B {
				try(x[0], y, false)
				try(y[0], x, true)
			}
		}
		// The runs' last end points (inner ones are the next segments' starts).
		for _, y := range B {
			try(A[len(A)-1][1], y, false)
		}
		for _, x := range A {
			try(B[len(B)-1][1], x, true)
		}
	}
	return p, q, found
}

// segRun is a run of consecutive segments with its box in the scaled plane.
type segRun struct {
	from, to               int
	minX, minY, maxX, maxY float64
}

func segRuns(segs [][2]orb.Point, kx, ky float64) []segRun {
	const size = 32
	runs := make([]segRun, 0, (len(segs)+size-1)/size)
	for from := 0; from < len(segs); from += size {
		r := segRun{from: from, to: min(from+size, len(segs)),
			minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
		for _, s := range segs[r.from:r.to] {
			for _, v := range s {
				r.minX, r.maxX = math.Min(r.minX, v[0]*kx), math.Max(r.maxX, v[0]*kx)
				r.minY, r.maxY = math.Min(r.minY, v[1]*ky), math.Max(r.maxY, v[1]*ky)
			}
		}
		runs = append(runs, r)
	}
	return runs
}

func boxDist2(a, b segRun) float64 {
	dx := math.Max(0, math.Max(a.minX-b.maxX, b.minX-a.maxX))
	dy := math.Max(0, math.Max(a.minY-b.maxY, b.minY-a.maxY))
	return dx*dx + dy*dy
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
func segmentsOf(g orb.Geometry) [][2]orb.Point { return appendSegments(nil, g, nil) }

// appendSegments appends the edges of g that keep accepts (all with a nil
// keep), in order.
func appendSegments(out [][2]orb.Point, g orb.Geometry, keep func([2]orb.Point) bool) [][2]orb.Point {
	line := func(l []orb.Point) {
		if len(l) == 1 {
			if s := [2]orb.Point{l[0], l[0]}; keep == nil || keep(s) {
				out = append(out, s)
			}
		}
		for i := 1; i < len(l); i++ {
			if s := [2]orb.Point{l[i-1], l[i]}; keep == nil || keep(s) {
				out = append(out, s)
			}
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
