package dxf

import (
	"math"

	"github.com/paulmach/orb"
)

// affine maps x,y to (a·x + b·y + c, d·x + e·y + f): the 2D part of the
// OCS→WCS and block-insertion transforms (Z is dropped).
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{a: 1, e: 1}

func (t affine) apply(p orb.Point) orb.Point {
	return orb.Point{t.a*p[0] + t.b*p[1] + t.c, t.d*p[0] + t.e*p[1] + t.f}
}

// then returns the transform doing t first, then u.
func (t affine) then(u affine) affine {
	return affine{
		a: u.a*t.a + u.b*t.d, b: u.a*t.b + u.b*t.e, c: u.a*t.c + u.b*t.f + u.c,
		d: u.d*t.a + u.e*t.d, e: u.d*t.b + u.e*t.e, f: u.d*t.c + u.e*t.f + u.f,
	}
}

func (t affine) isIdentity() bool { return t == identity }

// ocs returns the transform from the object coordinate system of extrusion
// n (the DXF "arbitrary axis algorithm"), with elevation z, to WCS x,y.
func ocs(n [3]float64, z float64) affine {
	l := math.Sqrt(n[0]*n[0] + n[1]*n[1] + n[2]*n[2])
	if l == 0 || math.IsNaN(l) || (n[0] == 0 && n[1] == 0 && n[2] > 0) {
		return identity
	}
	n = [3]float64{n[0] / l, n[1] / l, n[2] / l}
	var ax [3]float64
	if math.Abs(n[0]) < 1.0/64 && math.Abs(n[1]) < 1.0/64 {
		ax = cross([3]float64{0, 1, 0}, n)
	} else {
		ax = cross([3]float64{0, 0, 1}, n)
	}
	ax = unit(ax)
	ay := unit(cross(n, ax))
	return affine{a: ax[0], b: ay[0], c: z * n[0], d: ax[1], e: ay[1], f: z * n[1]}
}

func cross(u, v [3]float64) [3]float64 {
	return [3]float64{u[1]*v[2] - u[2]*v[1], u[2]*v[0] - u[0]*v[2], u[0]*v[1] - u[1]*v[0]}
}

func unit(v [3]float64) [3]float64 {
	l := math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])
	if l == 0 {
		return v
	}
	return [3]float64{v[0] / l, v[1] / l, v[2] / l}
}

// scaleOf returns the largest length factor of t's linear part, so that a
// tolerance in the output units can be turned into one in the input units.
func (t affine) scaleOf() float64 {
	s := math.Max(math.Hypot(t.a, t.d), math.Hypot(t.b, t.e))
	if s == 0 || math.IsNaN(s) {
		return 1
	}
	return s
}
