package geo

import (
	"math"

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

// NearestPoints returns a point of a and a point of b that are nearest to
// each other, looking only at boundaries (callers test containment first).
func NearestPoints(a, b orb.Geometry) (orb.Point, orb.Point) {
	ab, bb := a.Bound(), b.Bound()
	lat0 := (ab.Min[1] + ab.Max[1] + bb.Min[1] + bb.Max[1]) / 4 * degToRad
	s := math.Sin(lat0)
	w := math.Sqrt(1 - e2*s*s)
	ky := SemiMajorM * (1 - e2) / (w * w * w) * degToRad // m per degree of latitude
	kx := SemiMajorM / w * math.Cos(lat0) * degToRad     // m per degree of longitude
	sa, sb := segmentsOf(a), segmentsOf(b)
	best := math.Inf(1)
	var bp, bq orb.Point
	try := func(pts, segs [][2]orb.Point, swap bool) {
		for _, ps := range pts {
			p := ps[0]
			for _, sg := range segs {
				q, d := nearestOnSegment(p, sg[0], sg[1], kx, ky)
				if d < best {
					best = d
					if swap {
						bp, bq = q, p
					} else {
						bp, bq = p, q
					}
				}
			}
		}
	}
	// The nearest pair of two disjoint geometries always has a vertex on one
	// side: every segment endpoint of a against b, then of b against a.
	try(endpoints(sa), sb, false)
	try(endpoints(sb), sa, true)
	return bp, bq
}

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

func endpoints(segs [][2]orb.Point) [][2]orb.Point {
	out := make([][2]orb.Point, 0, 2*len(segs))
	for _, s := range segs {
		out = append(out, [2]orb.Point{s[0]}, [2]orb.Point{s[1]})
	}
	return out
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
