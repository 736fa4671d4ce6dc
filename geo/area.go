package geo

import (
	"math"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"

	"github.com/redline-gis/redline/geo/crs"
)

// The CGCS2000 ellipsoid, from crs (the one copy of its constants).
const (
	semiMajorM = crs.SemiMajorM
	flattening = crs.Flattening
	e2         = crs.E2
)

var (
	ecc = math.Sqrt(e2)
	// areaScale is a²(1−e²)/2 in m².
	areaScale = semiMajorM * semiMajorM * (1 - e2) / 2
)

// Gauss–Legendre nodes and weights on [0, 1] for three points: exact for
// polynomials up to degree 5, so well below 1e-12 relative for edges ≤ 1°.
var (
	glT = [3]float64{0.5 - 0.5*math.Sqrt(0.6), 0.5, 0.5 + 0.5*math.Sqrt(0.6)}
	glW = [3]float64{5.0 / 18, 8.0 / 18, 5.0 / 18}
)

const degToRad = math.Pi / 180

// authalicPrimitive returns F(φ) = ∫₀^φ M(φ)N(φ)cos φ dφ, the ellipsoidal area
// between the equator and latitude φ per radian of longitude, in m².
func authalicPrimitive(phi float64) float64 {
	s := math.Sin(phi)
	es := ecc * s
	return areaScale * (s/(1-es*es) + math.Atanh(es)/ecc)
}

// edgeIntegral returns ∫ F(φ(λ)) dλ along an edge that is straight in
// lon/lat, with coordinates in radians.
func edgeIntegral(lon1, lat1, lon2, lat2 float64) float64 {
	dl := lon2 - lon1
	if dl == 0 {
		return 0
	}
	dp := lat2 - lat1
	if dp == 0 {
		return dl * authalicPrimitive(lat1)
	}
	var mean float64
	for k := range glT {
		mean += glW[k] * authalicPrimitive(lat1+glT[k]*dp)
	}
	return dl * mean
}

// RingAreaM2 returns the signed ellipsoidal area of a ring whose edges are
// straight in lon/lat: positive when counter-clockwise. An unclosed ring is
// measured as if closed.
func RingAreaM2(r orb.Ring) float64 {
	n := len(r)
	if n < 3 {
		return 0
	}
	var sum float64
	prev := r[n-1]
	for _, p := range r {
		sum += edgeIntegral(prev[0]*degToRad, prev[1]*degToRad, p[0]*degToRad, p[1]*degToRad)
		prev = p
	}
	return -sum
}

// AreaM2 returns the exact ellipsoidal area on CGCS2000 of the polygonal
// parts of g, in m²: outer rings count positive and holes negative whatever
// their orientation. Points and lines have no area.
func AreaM2(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Polygon:
		var a float64
		for i, r := range g {
			ra := math.Abs(RingAreaM2(r))
			if i == 0 {
				a += ra
			} else {
				a -= ra
			}
		}
		return a
	case orb.MultiPolygon:
		var a float64
		for _, p := range g {
			a += AreaM2(p)
		}
		return a
	case orb.Ring:
		return math.Abs(RingAreaM2(g))
	case orb.Bound:
		return AreaM2(g.ToPolygon())
	case orb.Collection:
		var a float64
		for _, c := range g {
			a += AreaM2(c)
		}
		return a
	}
	return 0
}

// engineAreaM2 measures an engine geometry without converting it.
func engineAreaM2(g sf.Geometry) float64 {
	switch g.Type() {
	case sf.TypePolygon:
		return polygonAreaM2(g.MustAsPolygon())
	case sf.TypeMultiPolygon:
		mp := g.MustAsMultiPolygon()
		var a float64
		for i := 0; i < mp.NumPolygons(); i++ {
			a += polygonAreaM2(mp.PolygonN(i))
		}
		return a
	case sf.TypeGeometryCollection:
		gc := g.MustAsGeometryCollection()
		var a float64
		for i := 0; i < gc.NumGeometries(); i++ {
			a += engineAreaM2(gc.GeometryN(i))
		}
		return a
	}
	return 0
}

func polygonAreaM2(p sf.Polygon) float64 {
	if p.IsEmpty() {
		return 0
	}
	a := math.Abs(seqAreaM2(p.ExteriorRing().Coordinates()))
	for i := 0; i < p.NumInteriorRings(); i++ {
		a -= math.Abs(seqAreaM2(p.InteriorRingN(i).Coordinates()))
	}
	return a
}

func seqAreaM2(seq sf.Sequence) float64 {
	n := seq.Length()
	if n < 3 {
		return 0
	}
	var sum float64
	prev := seq.GetXY(n - 1)
	for i := 0; i < n; i++ {
		p := seq.GetXY(i)
		sum += edgeIntegral(prev.X*degToRad, prev.Y*degToRad, p.X*degToRad, p.Y*degToRad)
		prev = p
	}
	return -sum
}
