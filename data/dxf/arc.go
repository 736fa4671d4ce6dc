package dxf

import (
	"math"

	"github.com/paulmach/orb"
)

// maxArcSteps caps the vertices of one densified arc (a huge radius with a
// tiny tolerance must not make a million points).
const maxArcSteps = 10_000

// arcSteps returns how many chords an arc of radius r and sweep |sweep|
// radians needs so that the sagitta of each, r(1−cos(φ/2)), is at most tol.
func arcSteps(r, sweep, tol float64) int {
	sweep = math.Abs(sweep)
	if r <= 0 || sweep == 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		return 1
	}
	if tol >= r {
		return int(math.Max(1, math.Ceil(sweep/(2*math.Pi/3))))
	}
	phi := 2 * math.Acos(1-tol/r)
	n := math.Ceil(sweep / phi)
	if n < 1 || math.IsNaN(n) {
		return 1
	}
	if n > maxArcSteps {
		return maxArcSteps
	}
	return int(n)
}

// appendArc appends the densified arc around c of radius r from angle a0
// sweeping by sweep radians (positive counter-clockwise), without its first
// point (the caller has it) and with its last point. The inner vertices lie
// at radius r' > r chosen so that the fan of chords has the exact sector area
// r²·sweep/2; since the chord sagitta at radius r is at most tol, the ring
// then stays within tol of the arc on both sides.
func appendArc(dst []orb.Point, c orb.Point, r, a0, sweep, tol float64) []orb.Point {
	n := arcSteps(r, sweep, tol)
	rr := r
	for ; n >= 2 && n < maxArcSteps; n++ {
		if rr = fanRadius(r, math.Abs(sweep)/float64(n), n); fanDeviation(r, rr, math.Abs(sweep)/float64(n)) <= tol {
			break
		}
	}
	phi := sweep / float64(n)
	if n < 2 || fanDeviation(r, rr, math.Abs(phi)) > tol {
		rr = r
	}
	for i := 1; i < n; i++ {
		t := a0 + float64(i)*phi
		dst = append(dst, orb.Point{c[0] + rr*math.Cos(t), c[1] + rr*math.Sin(t)})
	}
	t := a0 + sweep
	return append(dst, orb.Point{c[0] + r*math.Cos(t), c[1] + r*math.Sin(t)})
}

// fanRadius returns the radius of the n−1 inner vertices that gives a fan of
// n chords of angle phi (end vertices at radius r) the sector area
// r²·n·phi/2: ½ sin φ (2 r rr + (n−2) rr²) = ½ r² n φ.
func fanRadius(r, phi float64, n int) float64 {
	s, a := math.Sin(phi), float64(n-2)
	want := r * r * float64(n) * phi
	if a == 0 {
		return want / (2 * r * s)
	}
	return (-2*r*s + math.Sqrt(4*r*r*s*s+4*a*s*want)) / (2 * a * s)
}

// fanDeviation returns the largest distance between the arc of radius r and
// the fan: inner vertices (rr − r), inner chord midpoints (r − rr cos φ/2),
// and the end chords from radius r to rr.
func fanDeviation(r, rr, phi float64) float64 {
	if !(rr >= r) {
		return math.Inf(1)
	}
	dev := math.Max(rr-r, r-rr*math.Cos(phi/2))
	// End chord A = (r, 0), B = rr(cos φ, sin φ): its distance to the centre.
	bx, by := rr*math.Cos(phi), rr*math.Sin(phi)
	if l := math.Hypot(bx-r, by); l > 0 {
		dev = math.Max(dev, r-r*by/l)
	}
	return dev
}

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
	dst = appendArc(dst, c, r, a0, theta, tol)
	dst[len(dst)-1] = q // exactly the vertex of the file
	return dst
}

// circleRing returns the closed ring of a full circle, starting at angle 0.
func circleRing(c orb.Point, r, tol float64) []orb.Point {
	pts := []orb.Point{{c[0] + r, c[1]}}
	pts = appendArc(pts, c, r, 0, 2*math.Pi, tol)
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
	return appendArc(pts, c, r, s0, sweep, tol)
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
	n := arcSteps(a, sweep, tol)
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
