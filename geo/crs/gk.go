package crs

import (
	"fmt"
	"math"
)

// Gauss–Krüger is the transverse Mercator projection on the CGCS2000
// ellipsoid with scale 1 on the central meridian. It is computed with
// Krüger's series in the third Flattening n to order n⁶, as given by
// C. F. F. Karney, "Transverse Mercator with an accuracy of a few
// nanometers", J. Geodesy 85 (2011), eqs. (7)–(11), (35)–(36): within a few
// degrees of the central meridian the truncation error is in the nanometres.
// The conformal latitude is converted exactly (eq. (7)) and back with
// Newton's method (eqs. (19)–(21)).

// gkOrder is the number of terms in the Krüger series.
const gkOrder = 6

var (
	gkN     = Flattening / (2 - Flattening) // third Flattening n
	gkA     = gkRectifyingRadius(gkN)       // A, the rectifying radius, m
	gkAlpha = gkAlphaCoeffs(gkN)            // forward coefficients α₁…α₆
	gkBeta  = gkBetaCoeffs(gkN)             // inverse coefficients β₁…β₆
	gkE2m   = 1 - E2                        // 1 − e²
)

// gkRectifyingRadius returns A = a/(1+n)·(1 + n²/4 + n⁴/64 + n⁶/256).
func gkRectifyingRadius(n float64) float64 {
	n2 := n * n
	return SemiMajorM / (1 + n) * (1 + n2*(1.0/4+n2*(1.0/64+n2/256)))
}

// gkAlphaCoeffs returns Karney's α_j (eq. 35), from geographic to
// Gauss–Krüger, as polynomials in n evaluated by Horner's rule.
func gkAlphaCoeffs(n float64) [gkOrder]float64 {
	return [gkOrder]float64{
		n * (1.0/2 + n*(-2.0/3+n*(5.0/16+n*(41.0/180+n*(-127.0/288+n*7891.0/37800))))),
		n * n * (13.0/48 + n*(-3.0/5+n*(557.0/1440+n*(281.0/630+n*-1983433.0/1935360)))),
		n * n * n * (61.0/240 + n*(-103.0/140+n*(15061.0/26880+n*167603.0/181440))),
		n * n * n * n * (49561.0/161280 + n*(-179.0/168+n*6601661.0/7257600)),
		n * n * n * n * n * (34729.0/80640 + n*-3418889.0/1995840),
		n * n * n * n * n * n * (212378941.0 / 319334400),
	}
}

// gkBetaCoeffs returns Karney's β_j (eq. 36), from Gauss–Krüger to
// geographic.
func gkBetaCoeffs(n float64) [gkOrder]float64 {
	return [gkOrder]float64{
		n * (1.0/2 + n*(-2.0/3+n*(37.0/96+n*(-1.0/360+n*(-81.0/512+n*96199.0/604800))))),
		n * n * (1.0/48 + n*(1.0/15+n*(-437.0/1440+n*(46.0/105+n*-1118711.0/3870720)))),
		n * n * n * (17.0/480 + n*(-37.0/840+n*(-209.0/4480+n*5569.0/90720))),
		n * n * n * n * (4397.0/161280 + n*(-11.0/504+n*-830251.0/7257600)),
		n * n * n * n * n * (4583.0/161280 + n*-108847.0/3991680),
		n * n * n * n * n * n * (20648693.0 / 638668800),
	}
}

// gkForward returns the transverse Mercator easting and northing, in metres
// from the central meridian and the equator, of latitude phi and longitude
// offset lam from the central meridian, both in radians (|lam| < π/2).
func gkForward(phi, lam float64) (x, y float64) {
	// conformal latitude χ as τ' = tan χ
	tau := math.Tan(phi)
	taup := conformalTan(tau)
	sl, cl := math.Sincos(lam)
	xip := math.Atan2(taup, cl)
	etap := math.Asinh(sl / math.Hypot(taup, cl))

	xi, eta := xip, etap
	for j := 1; j <= gkOrder; j++ {
		s, c := math.Sincos(2 * float64(j) * xip)
		sh, ch := math.Sinh(2*float64(j)*etap), math.Cosh(2*float64(j)*etap)
		xi += gkAlpha[j-1] * s * ch
		eta += gkAlpha[j-1] * c * sh
	}
	return gkA * eta, gkA * xi
}

// gkInverse is the inverse of gkForward: it returns latitude and longitude
// offset in radians.
func gkInverse(x, y float64) (phi, lam float64) {
	xi, eta := y/gkA, x/gkA
	xip, etap := xi, eta
	for j := 1; j <= gkOrder; j++ {
		s, c := math.Sincos(2 * float64(j) * xi)
		sh, ch := math.Sinh(2*float64(j)*eta), math.Cosh(2*float64(j)*eta)
		xip -= gkBeta[j-1] * s * ch
		etap -= gkBeta[j-1] * c * sh
	}
	sxi, cxi := math.Sincos(xip)
	she := math.Sinh(etap)
	taup := sxi / math.Hypot(she, cxi)
	lam = math.Atan2(she, cxi)
	phi = math.Atan(geographicTan(taup))
	return phi, lam
}

// conformalTan returns τ' = tan χ for τ = tan φ (Karney 2011, eq. 7).
func conformalTan(tau float64) float64 {
	tau1 := math.Hypot(1, tau)
	sig := math.Sinh(ecc * math.Atanh(ecc*tau/tau1))
	return math.Hypot(1, sig)*tau - sig*tau1
}

// geographicTan inverts conformalTan by Newton's method (Karney 2011,
// eqs. 19–21); two or three steps reach full precision.
func geographicTan(taup float64) float64 {
	tau := taup / gkE2m
	for i := 0; i < 10; i++ {
		tau1 := math.Hypot(1, tau)
		tp := conformalTan(tau)
		dtau := (taup - tp) * (1 + gkE2m*tau*tau) / (gkE2m * tau1 * math.Hypot(1, tp))
		tau += dtau
		if !(math.Abs(dtau) >= 1e-15*math.Max(1, math.Abs(tau))) { // also stops on NaN
			break
		}
	}
	return tau
}

// gkCentralMeridian returns the central meridian of c in degrees.
func (c CRS) gkCentralMeridian() float64 {
	if c.ZoneWidth == 6 {
		return float64(6*c.Zone - 3)
	}
	return float64(3 * c.Zone)
}

// gkFalseEasting returns the false easting of c in metres.
func (c CRS) gkFalseEasting() float64 {
	if c.Prefixed {
		return float64(c.Zone)*1e6 + 500000
	}
	return 500000
}

// checkGK reports whether c is a Gauss–Krüger CRS redline can compute.
func (c CRS) checkGK() error {
	maxZone := 120
	if c.ZoneWidth == 6 {
		maxZone = 60
	} else if c.ZoneWidth != 3 {
		return fmt.Errorf("%w: Gauss-Kruger zone width %d (want 3 or 6)", ErrUnknown, c.ZoneWidth)
	}
	if c.Zone < 1 || c.Zone > maxZone {
		return fmt.Errorf("%w: %d-degree Gauss-Kruger zone %d", ErrUnknown, c.ZoneWidth, c.Zone)
	}
	return nil
}

// gkToLonLat converts a Gauss–Krüger easting x and northing y (metres) to
// lon/lat degrees.
func (c CRS) gkToLonLat(x, y float64) (lon, lat float64, err error) {
	if err := c.checkGK(); err != nil {
		return 0, 0, err
	}
	if !finite(x) || !finite(y) {
		return 0, 0, fmt.Errorf("crs: %s: coordinate (%v, %v) is not finite", c, x, y)
	}
	if c.Prefixed {
		if zone := math.Floor(x / 1e6); zone != float64(c.Zone) {
			return 0, 0, fmt.Errorf("crs: %s: easting %.3f has zone prefix %.0f, want %d", c, x, zone, c.Zone)
		}
	} else if x < 0 || x >= 1e6 {
		return 0, 0, fmt.Errorf("crs: %s: easting %.3f outside 0–1000000 (zone-prefixed data?)", c, x)
	}
	// The northing of the pole is 10 001 965.7 m; beyond it the series is meaningless.
	if math.Abs(y) > 1e7 {
		return 0, 0, fmt.Errorf("crs: %s: northing %.3f outside ±10000000", c, y)
	}
	phi, lam := gkInverse(x-c.gkFalseEasting(), y)
	return c.gkCentralMeridian() + lam/degToRad, phi / degToRad, nil
}

// gkFromLonLat converts lon/lat degrees to a Gauss–Krüger easting and
// northing in metres. The easting must stay within 500 km of the central
// meridian, so that it keeps the zone's prefix.
func (c CRS) gkFromLonLat(lon, lat float64) (x, y float64, err error) {
	if err := c.checkGK(); err != nil {
		return 0, 0, err
	}
	if err := checkLonLat(lon, lat); err != nil {
		return 0, 0, err
	}
	dlon := math.Remainder(lon-c.gkCentralMeridian(), 360)
	if math.Abs(dlon) >= 45 {
		return 0, 0, fmt.Errorf("crs: %s: longitude %v too far from central meridian %v", c, lon, c.gkCentralMeridian())
	}
	e, n := gkForward(lat*degToRad, dlon*degToRad)
	if math.Abs(e) >= 500000 {
		return 0, 0, fmt.Errorf("crs: %s: point (%v, %v) lies %.0f km from the central meridian", c, lon, lat, math.Abs(e)/1000)
	}
	return e + c.gkFalseEasting(), n, nil
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
