package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Circular arcs (DXF bulges, ARC and CIRCLE, GeoPackage CIRCULARSTRING) are
// densified here, once for every reader: no point of the true arc is more
// than the tolerance from the chords, and the inner vertices sit just
// outside the arc so that the fan has the exact sector area.

// MaxArcSteps caps the vertices of one densified arc (a huge radius with a
// tiny tolerance must not make a million points).
const MaxArcSteps = 10_000

// ArcSteps returns how many chords an arc of radius r and sweep |sweep|
// radians needs so that the sagitta of each, r(1−cos(φ/2)), is at most tol.
func ArcSteps(r, sweep, tol float64) int {
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
	if n > MaxArcSteps {
		return MaxArcSteps
	}
	return int(n)
}

// AppendArc appends the densified arc around c of radius r from angle a0
// sweeping by sweep radians (positive counter-clockwise), without its first
// point (the caller has it) and with its last point. The inner vertices lie
// at radius r' > r chosen so that the fan of chords has the exact sector area
// r²·sweep/2; since the chord sagitta at radius r is at most tol, the ring
// then stays within tol of the arc on both sides.
func AppendArc(dst []orb.Point, c orb.Point, r, a0, sweep, tol float64) []orb.Point {
	n := ArcSteps(r, sweep, tol)
	rr := r
	for ; n >= 2 && n < MaxArcSteps; n++ {
		if rr = arcFanRadius(r, math.Abs(sweep)/float64(n), n); arcFanDeviation(r, rr, math.Abs(sweep)/float64(n)) <= tol {
			break
		}
	}
	phi := sweep / float64(n)
	if n < 2 || arcFanDeviation(r, rr, math.Abs(phi)) > tol {
		rr = r
	}
	for i := 1; i < n; i++ {
		t := a0 + float64(i)*phi
		dst = append(dst, orb.Point{c[0] + rr*math.Cos(t), c[1] + rr*math.Sin(t)})
	}
	t := a0 + sweep
	return append(dst, orb.Point{c[0] + r*math.Cos(t), c[1] + r*math.Sin(t)})
}

// arcFanRadius returns the radius of the n−1 inner vertices that gives a fan of
// n chords of angle phi (end vertices at radius r) the sector area
// r²·n·phi/2: ½ sin φ (2 r rr + (n−2) rr²) = ½ r² n φ.
func arcFanRadius(r, phi float64, n int) float64 {
	s, a := math.Sin(phi), float64(n-2)
	want := r * r * float64(n) * phi
	if a == 0 {
		return want / (2 * r * s)
	}
	return (-2*r*s + math.Sqrt(4*r*r*s*s+4*a*s*want)) / (2 * a * s)
}

// arcFanDeviation returns the largest distance between the arc of radius r and
// the fan: inner vertices (rr − r), inner chord midpoints (r − rr cos φ/2),
// and the end chords from radius r to rr.
func arcFanDeviation(r, rr, phi float64) float64 {
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
