package crs_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo/crs"
)

func TestDetectCRS(t *testing.T) {
	// project a lon/lat box with c to get a realistic bound
	boundIn := func(c crs.CRS, lon0, lat0, lon1, lat1 float64) orb.Bound {
		t.Helper()
		b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		for _, p := range [][2]float64{{lon0, lat0}, {lon1, lat1}, {lon0, lat1}, {lon1, lat0}} {
			x, y, err := c.FromLonLat(p[0], p[1])
			if err != nil {
				t.Fatal(err)
			}
			b = b.Extend(orb.Point{x, y})
		}
		return b
	}
	nan := math.NaN()
	tests := []struct {
		name string
		b    orb.Bound
		want crs.CRS
		ok   bool
	}{
		{"lon/lat Lincang", orb.Bound{Min: orb.Point{99.1, 23.1}, Max: orb.Point{100.5, 24.5}}, crs.CGCS2000, true},
		{"lon/lat Paris", orb.Bound{Min: orb.Point{2.2, 48.8}, Max: orb.Point{2.4, 48.9}}, crs.CGCS2000, true},
		{"3° zone 33 prefixed", boundIn(gkCRS(3, 33, true, 4521), 99.5, 23.5, 99.8, 23.9), gkCRS(3, 33, true, 4521), true},
		{"3° zone 37 prefixed, Hainan", boundIn(gkCRS(3, 37, true, 4525), 109.5, 18.2, 110, 18.5), gkCRS(3, 37, true, 4525), true},
		{"3° zone 41 prefixed, Mohe", boundIn(gkCRS(3, 41, true, 4529), 122.3, 53.3, 122.6, 53.5), gkCRS(3, 41, true, 4529), true},
		{"6° zone 17 prefixed", boundIn(gkCRS(6, 17, true, 4495), 99.5, 23.5, 99.8, 23.9), gkCRS(6, 17, true, 4495), true},
		{"3° unprefixed: zone unknown", boundIn(gkCRS(3, 33, false, 4542), 99.5, 23.5, 99.8, 23.9), crs.CRS{}, false},
		{"web mercator Lincang", boundIn(merc, 99.5, 23.5, 99.8, 23.9), merc, true},
		{"web mercator Beijing", boundIn(merc, 116.2, 39.8, 116.5, 40.0), merc, true},
		// Web Mercator of Shandong and 6° zone 13 prefixed overlap
		{"ambiguous: mercator Shandong", boundIn(merc, 120.2, 36.0, 120.5, 36.3), crs.CRS{}, false},
		{"ambiguous: 6° zone 13", boundIn(gkCRS(6, 13, true, 4491), 75.5, 39.3, 76.0, 39.6), crs.CRS{}, false},
		{"two zones", orb.Bound{Min: orb.Point{33.9e6, 2.6e6}, Max: orb.Point{34.1e6, 2.7e6}}, crs.CRS{}, false},
		{"mercator outside China", boundIn(merc, 2.2, 48.8, 2.4, 48.9), crs.CRS{}, false},
		{"local grid", orb.Bound{Min: orb.Point{1000, 2000}, Max: orb.Point{1500, 2600}}, crs.CRS{}, false},
		{"NaN", orb.Bound{Min: orb.Point{nan, 0}, Max: orb.Point{1, 1}}, crs.CRS{}, false},
		{"Inf", orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{math.Inf(1), 1}}, crs.CRS{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := crs.Detect(tt.b)
			if ok != tt.ok || got != tt.want {
				t.Errorf("Detect(%v) = %+v, %v; want %+v, %v", tt.b, got, ok, tt.want, tt.ok)
			}
		})
	}
}
