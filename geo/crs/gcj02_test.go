package crs_test

import (
	"math"
	"testing"

	"github.com/redline-gis/redline/geo/crs"
)

var gcj = crs.CRS{Kind: crs.GCJ02}

// Published WGS84 → GCJ-02 pairs.
var gcjSamples = []struct {
	name                           string
	wgsLon, wgsLat, gcjLon, gcjLat float64
	tolDeg                         float64
}{
	// github.com/googollee/eviltransform, go/transform_test.go (compared there to 1e-5°)
	{"shanghai", 121.5272106, 31.1774276, 121.531541859215, 31.17530398364597, 1e-9},
	{"shenzhen", 113.912316, 22.543847, 113.9171764808363, 22.540796131694766, 1e-9},
	{"beijing", 116.377817, 39.911954, 116.38404722455657, 39.91334545536069, 1e-9},
	// github.com/wandergis/coordtransform, test/app.js: wgs84togcj02(116.404, 39.915)
	{"tiananmen", 116.404, 39.915, 116.41024449916938, 39.91640428150164, 1e-9},
}

func TestGCJ02Samples(t *testing.T) {
	for _, s := range gcjSamples {
		t.Run(s.name, func(t *testing.T) {
			lon, lat, err := gcj.FromLonLat(s.wgsLon, s.wgsLat)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(lon-s.gcjLon) > s.tolDeg || math.Abs(lat-s.gcjLat) > s.tolDeg {
				t.Errorf("forward = (%.12f, %.12f), want (%.12f, %.12f)", lon, lat, s.gcjLon, s.gcjLat)
			}
			wlon, wlat, err := gcj.ToLonLat(s.gcjLon, s.gcjLat)
			if err != nil {
				t.Fatal(err)
			}
			if d := groundM(wlon, wlat, s.wgsLon, s.wgsLat); d > 0.01 {
				t.Errorf("inverse = (%.10f, %.10f), want (%.10f, %.10f): %.3g m", wlon, wlat, s.wgsLon, s.wgsLat, d)
			}
		})
	}
}

// TestGCJ02Grid checks over China that the shift has the known magnitude
// and that the inverse undoes the forward to within 1 cm. The shift is often
// quoted as 100–700 m; over this grid it runs from 47 m (Qinghai, near
// 97.8°E 37°N) to 716 m (northern Heilongjiang), so the test allows 20–800 m.
func TestGCJ02Grid(t *testing.T) {
	var minShift, maxShift, maxTrip = math.Inf(1), 0.0, 0.0
	n := 0
	for lon := 73.3; lon < 135.5; lon += 0.7 {
		for lat := 18.1; lat < 54; lat += 0.45 {
			glon, glat, err := gcj.FromLonLat(lon, lat)
			if err != nil {
				t.Fatal(err)
			}
			shift := groundM(glon, glat, lon, lat)
			minShift, maxShift = math.Min(minShift, shift), math.Max(maxShift, shift)
			wlon, wlat, err := gcj.ToLonLat(glon, glat)
			if err != nil {
				t.Fatalf("ToLonLat(%v, %v): %v", glon, glat, err)
			}
			trip := groundM(wlon, wlat, lon, lat)
			maxTrip = math.Max(maxTrip, trip)
			if trip > 0.01 {
				t.Errorf("(%v, %v): round trip %.3g m", lon, lat, trip)
			}
			n++
		}
	}
	if minShift < 20 || maxShift > 800 {
		t.Errorf("shift over China in %.0f–%.0f m, want within 20–800 m", minShift, maxShift)
	}
	t.Logf("%d points: shift %.0f–%.0f m, max round trip %.2g m", n, minShift, maxShift, maxTrip)
}

func TestGCJ02OutsideChina(t *testing.T) {
	for _, p := range [][2]float64{{2.35, 48.85}, {-74, 40.7}, {139.7, 35.7}, {100, 60}, {100, 0.5}} {
		lon, lat, err := gcj.FromLonLat(p[0], p[1])
		if err != nil || lon != p[0] || lat != p[1] {
			t.Errorf("FromLonLat(%v) = %v, %v, %v; want identity", p, lon, lat, err)
		}
		lon, lat, err = gcj.ToLonLat(p[0], p[1])
		if err != nil || lon != p[0] || lat != p[1] {
			t.Errorf("ToLonLat(%v) = %v, %v, %v; want identity", p, lon, lat, err)
		}
	}
}

// groundM is the approximate ground distance in metres between two nearby
// lon/lat points.
func groundM(lon1, lat1, lon2, lat2 float64) float64 {
	return math.Hypot((lon1-lon2)*math.Cos(lat2*math.Pi/180), lat1-lat2) * 111320
}
