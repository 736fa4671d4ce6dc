package geo

import (
	"math"

	"github.com/paulmach/orb"
)

var semiMinorM = semiMajorM * (1 - flattening)

// GeodesicM returns the geodesic distance in m between two lon/lat points on
// the CGCS2000 ellipsoid (Vincenty's inverse formula, sub-millimetre; for
// nearly antipodal points, where it does not converge, it falls back to a
// spherical estimate, which never occurs within China).
func GeodesicM(a, b orb.Point) float64 {
	if a == b {
		return 0
	}
	L := (b[0] - a[0]) * degToRad
	U1 := math.Atan((1 - flattening) * math.Tan(a[1]*degToRad))
	U2 := math.Atan((1 - flattening) * math.Tan(b[1]*degToRad))
	sinU1, cosU1 := math.Sincos(U1)
	sinU2, cosU2 := math.Sincos(U2)
	lambda := L
	for iter := 0; iter < 200; iter++ {
		sinL, cosL := math.Sincos(lambda)
		t1 := cosU2 * sinL
		t2 := cosU1*sinU2 - sinU1*cosU2*cosL
		sinSigma := math.Sqrt(t1*t1 + t2*t2)
		if sinSigma == 0 {
			return 0
		}
		cosSigma := sinU1*sinU2 + cosU1*cosU2*cosL
		sigma := math.Atan2(sinSigma, cosSigma)
		sinAlpha := cosU1 * cosU2 * sinL / sinSigma
		cos2Alpha := 1 - sinAlpha*sinAlpha
		cos2SigmaM := 0.0
		if cos2Alpha != 0 {
			cos2SigmaM = cosSigma - 2*sinU1*sinU2/cos2Alpha
		}
		C := flattening / 16 * cos2Alpha * (4 + flattening*(4-3*cos2Alpha))
		prev := lambda
		lambda = L + (1-C)*flattening*sinAlpha*(sigma+C*sinSigma*(cos2SigmaM+C*cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)))
		if math.Abs(lambda-prev) < 1e-13 {
			u2 := cos2Alpha * (semiMajorM*semiMajorM - semiMinorM*semiMinorM) / (semiMinorM * semiMinorM)
			A := 1 + u2/16384*(4096+u2*(-768+u2*(320-175*u2)))
			B := u2 / 1024 * (256 + u2*(-128+u2*(74-47*u2)))
			dSigma := B * sinSigma * (cos2SigmaM + B/4*(cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)-
				B/6*cos2SigmaM*(-3+4*sinSigma*sinSigma)*(-3+4*cos2SigmaM*cos2SigmaM)))
			return semiMinorM * A * (sigma - dSigma)
		}
	}
	// Not converged (nearly antipodal): spherical estimate with the mean radius.
	la1, la2 := a[1]*degToRad, b[1]*degToRad
	h := math.Pow(math.Sin((la2-la1)/2), 2) + math.Cos(la1)*math.Cos(la2)*math.Pow(math.Sin(L/2), 2)
	return 2 * (2*semiMajorM + semiMinorM) / 3 * math.Asin(math.Min(1, math.Sqrt(h)))
}

// LengthM returns the geodesic length in m of the linear parts of g: lines
// count their length, polygons their perimeter is not counted (use a ring as
// a LineString for that). Each edge is measured as a geodesic between its
// vertices.
func LengthM(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.LineString:
		var s float64
		for i := 1; i < len(g); i++ {
			s += GeodesicM(g[i-1], g[i])
		}
		return s
	case orb.MultiLineString:
		var s float64
		for _, l := range g {
			s += LengthM(l)
		}
		return s
	case orb.Collection:
		var s float64
		for _, c := range g {
			s += LengthM(c)
		}
		return s
	}
	return 0
}
