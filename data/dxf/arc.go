package dxf

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// appendBulge appends the segment from p to q with bulge b (tan of a quarter
// of the included angle, positive counter-clockwise), without p, with q.
func appendBulge(dst []orb.Point, p, q orb.Point, b, tol float64) []orb.Point {
	dx, dy := q[0]-p[0], q[1]-p[1]
	chord := math.Hypot(dx, dy)
	if b == 0 || chord == 0 || math.IsNaN(b) || math.IsInf(b, 0) || math.Abs(b) > 1e6 {
		return append(dst, q)
	}
	theta := 4 * math.Atan(b) // included angle, signed
	r := chord * (1 + b*b) / (4 * math.Abs(b))
	// The centre lies on the perpendicular bisector at distance d from the
	// chord midpoint, on the left of p→q for a counter-clockwise arc of less
	// than half a turn.
	d := r - chord*math.Abs(b)/2 // r − sagitta
	if b < 0 {
		d = -d
	}
	mx, my := (p[0]+q[0])/2, (p[1]+q[1])/2
	nx, ny := -dy/chord, dx/chord
	c := orb.Point{mx + d*nx, my + d*ny}
	a0 := math.Atan2(p[1]-c[1], p[0]-c[0])
	dst = geo.AppendArc(dst, c, r, a0, theta, tol)
	dst[len(dst)-1] = q // exactly the vertex of the file
	return dst
}

// circleRing returns the closed ring of a full circle, starting at angle 0.
func circleRing(c orb.Point, r, tol float64) []orb.Point {
	pts := []orb.Point{{c[0] + r, c[1]}}
	pts = geo.AppendArc(pts, c, r, 0, 2*math.Pi, tol)
	pts[len(pts)-1] = pts[0]
	return pts
}

// arcLine returns the points of an arc from angle a0 to a1 (degrees),
// counter-clockwise when ccw, else clockwise.
func arcLine(c orb.Point, r, a0, a1 float64, ccw bool, tol float64) []orb.Point {
	s0, s1 := a0*math.Pi/180, a1*math.Pi/180
	sweep := math.Mod(s1-s0, 2*math.Pi)
	if ccw {
		if sweep <= 0 {
			sweep += 2 * math.Pi
		}
	} else {
		if sweep >= 0 {
			sweep -= 2 * math.Pi
		}
	}
	pts := []orb.Point{{c[0] + r*math.Cos(s0), c[1] + r*math.Sin(s0)}}
	return geo.AppendArc(pts, c, r, s0, sweep, tol)
}

// ellipseLine returns the points of an elliptic arc with centre c, major
// axis end point (relative) m, minor/major ratio ratio, from parameter t0
// to t1 (radians), counter-clockwise when ccw. The steps are those of a
// circle of the major radius, which bounds the deviation by tol.
func ellipseLine(c, m orb.Point, ratio, t0, t1 float64, ccw bool, tol float64) []orb.Point {
	a := math.Hypot(m[0], m[1])
	sweep := math.Mod(t1-t0, 2*math.Pi)
	if ccw && sweep <= 0 {
		sweep += 2 * math.Pi
	} else if !ccw && sweep >= 0 {
		sweep -= 2 * math.Pi
	}
	n := geo.ArcSteps(a, sweep, tol)
	ux, uy := m[0], m[1]
	vx, vy := -m[1]*ratio, m[0]*ratio
	pts := make([]orb.Point, 0, n+1)
	for i := 0; i <= n; i++ {
		t := t0 + sweep*float64(i)/float64(n)
		ct, st := math.Cos(t), math.Sin(t)
		pts = append(pts, orb.Point{c[0] + ux*ct + vx*st, c[1] + uy*ct + vy*st})
	}
	return pts
}
