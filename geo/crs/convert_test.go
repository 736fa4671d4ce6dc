package crs_test

import (
	"bufio"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo/crs"
)

type refPoint struct {
	epsg           int
	lon, lat, x, y float64
}

// readCS2CS reads testdata/crs_cs2cs.csv, written by cs2cs_gen.go.
func readCS2CS(t *testing.T) []refPoint {
	t.Helper()
	f, err := os.Open("testdata/crs_cs2cs.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pts []refPoint
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := sc.Text()
		if strings.HasPrefix(s, "#") || strings.HasPrefix(s, "epsg") || s == "" {
			continue
		}
		fs := strings.Split(s, ",")
		if len(fs) != 5 {
			t.Fatalf("line %d: %q", line, s)
		}
		var v [5]float64
		for i, f := range fs {
			if v[i], err = strconv.ParseFloat(f, 64); err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
		}
		pts = append(pts, refPoint{int(v[0]), v[1], v[2], v[3], v[4]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return pts
}

// TestCRSAgainstPROJ checks Gauss–Krüger and Web Mercator against PROJ's
// cs2cs: forward within 1 mm, inverse within 1e-8°, round trips within
// 0.1 mm.
func TestCRSAgainstPROJ(t *testing.T) {
	pts := readCS2CS(t)
	if len(pts) < 1000 {
		t.Fatalf("only %d reference points", len(pts))
	}
	var maxFwd, maxInv, maxTrip float64
	seen := map[int]bool{}
	for _, p := range pts {
		c, err := crs.Parse("EPSG:" + strconv.Itoa(p.epsg))
		if err != nil {
			t.Fatal(err)
		}
		seen[p.epsg] = true
		x, y, err := c.FromLonLat(p.lon, p.lat)
		if err != nil {
			t.Errorf("%s FromLonLat(%v, %v): %v", c, p.lon, p.lat, err)
			continue
		}
		d := math.Hypot(x-p.x, y-p.y)
		maxFwd = math.Max(maxFwd, d)
		if d > 1e-3 {
			t.Errorf("%s FromLonLat(%v, %v) = (%.6f, %.6f), PROJ (%.6f, %.6f): %.3g m off", c, p.lon, p.lat, x, y, p.x, p.y, d)
		}
		lon, lat, err := c.ToLonLat(p.x, p.y)
		if err != nil {
			t.Errorf("%s ToLonLat(%v, %v): %v", c, p.x, p.y, err)
			continue
		}
		dd := math.Max(math.Abs(lon-p.lon), math.Abs(lat-p.lat))
		maxInv = math.Max(maxInv, dd)
		if dd > 1e-8 {
			t.Errorf("%s ToLonLat(%.6f, %.6f) = (%.10f, %.10f), want (%.10f, %.10f)", c, p.x, p.y, lon, lat, p.lon, p.lat)
		}
		// round trip lon/lat → x, y → lon/lat, measured in metres on the ground
		lon2, lat2, err := c.ToLonLat(x, y)
		if err != nil {
			t.Errorf("%s ToLonLat(%v, %v): %v", c, x, y, err)
			continue
		}
		trip := math.Hypot((lon2-p.lon)*math.Cos(p.lat*math.Pi/180), lat2-p.lat) * 111320
		maxTrip = math.Max(maxTrip, trip)
		if trip > 1e-4 {
			t.Errorf("%s round trip of (%v, %v) is %.3g m off", c, p.lon, p.lat, trip)
		}
	}
	if len(seen) != 65 {
		t.Errorf("table covers %d CRSs, want 65 (64 Gauss-Kruger + 3857)", len(seen))
	}
	t.Logf("%d points: max forward error %.3g m, max inverse error %.3g°, max round trip %.3g m", len(pts), maxFwd, maxInv, maxTrip)
}

func TestCRSLonLatIdentity(t *testing.T) {
	for _, c := range []crs.CRS{crs.CGCS2000, {Kind: crs.LonLat, EPSG: 4326}, {Kind: crs.LonLat}} {
		x, y, err := c.FromLonLat(99.1, 23.9)
		if err != nil || x != 99.1 || y != 23.9 {
			t.Errorf("%s FromLonLat = %v, %v, %v", c, x, y, err)
		}
		lon, lat, err := c.ToLonLat(99.1, 23.9)
		if err != nil || lon != 99.1 || lat != 23.9 {
			t.Errorf("%s ToLonLat = %v, %v, %v", c, lon, lat, err)
		}
	}
}

func TestCRSDomainErrors(t *testing.T) {
	gk33p := mustParse(t, "EPSG:4521")
	gk33 := mustParse(t, "EPSG:4542")
	merc := mustParse(t, "EPSG:3857")
	nan := math.NaN()
	tests := []struct {
		name string
		c    crs.CRS
		to   bool // ToLonLat, else FromLonLat
		a, b float64
	}{
		{"prefix mismatch", gk33p, true, 34500000, 2600000},
		{"no prefix for prefixed", gk33p, true, 500000, 2600000},
		{"prefix for unprefixed", gk33, true, 33500000, 2600000},
		{"negative easting", gk33, true, -1, 2600000},
		{"northing beyond pole", gk33, true, 500000, 1.1e7},
		{"NaN easting", gk33, true, nan, 2600000},
		{"Inf northing", gk33p, true, 33500000, math.Inf(1)},
		{"NaN lon", gk33, false, nan, 23},
		{"lat > 90", gk33, false, 99, 91},
		{"far from CM", gk33, false, 120, 23},
		{"other side of the globe", gk33p, false, -81, 23},
		{"mercator lat", merc, false, 100, 85.1},
		{"mercator NaN", merc, true, nan, 0},
		{"mercator x", merc, true, 2.1e7, 0},
		{"lonlat NaN", crs.CGCS2000, true, nan, 0},
		{"lonlat lat", crs.CGCS2000, false, 0, 100},
		{"gcj NaN", crs.CRS{Kind: crs.GCJ02}, true, nan, 30},
		{"gcj lat", crs.CRS{Kind: crs.GCJ02}, false, 100, -95},
		{"bad zone width", crs.CRS{Kind: crs.GaussKruger, ZoneWidth: 4, Zone: 30}, true, 500000, 3e6},
		{"bad zone", crs.CRS{Kind: crs.GaussKruger, ZoneWidth: 3, Zone: 0}, false, 0, 30},
		{"bad kind", crs.CRS{Kind: 99}, false, 0, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.to {
				_, _, err = tt.c.ToLonLat(tt.a, tt.b)
			} else {
				_, _, err = tt.c.FromLonLat(tt.a, tt.b)
			}
			if err == nil {
				t.Fatalf("%s: no error for (%v, %v)", tt.c, tt.a, tt.b)
			}
			if !strings.HasPrefix(err.Error(), "crs: ") {
				t.Errorf("error %q does not start with crs: ", err)
			}
		})
	}
	if _, _, err := (crs.CRS{Kind: crs.GaussKruger, ZoneWidth: 4, Zone: 30}).ToLonLat(500000, 3e6); !errors.Is(err, crs.ErrUnknown) {
		t.Errorf("bad zone width: %v does not wrap ErrUnknown", err)
	}
}

func TestInChina(t *testing.T) {
	for _, tt := range []struct {
		lon, lat float64
		want     bool
	}{
		{100.08, 23.88, true}, // Lincang
		{116.4, 39.9, true},   // Beijing
		{2.35, 48.85, false},  // Paris
		{140, 35, false},      // Tokyo-ish
		{100, 60, false},
		{math.NaN(), 30, false},
	} {
		if got := crs.InChina(tt.lon, tt.lat); got != tt.want {
			t.Errorf("InChina(%v, %v) = %v", tt.lon, tt.lat, got)
		}
	}
}

func mustParse(t testing.TB, s string) crs.CRS {
	t.Helper()
	c, err := crs.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCRSReprojectGeometry(t *testing.T) {
	c := mustParse(t, "EPSG:4521")
	x, y, err := c.FromLonLat(99.5, 23.5)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []orb.Geometry{
		orb.Point{x, y},
		orb.Ring{{x, y}, {x + 100, y}, {x, y + 100}, {x, y}},
		orb.Collection{orb.Point{x, y}, orb.LineString{{x, y}, {x + 1, y}}},
	} {
		out, err := c.Reproject(g)
		if err != nil {
			t.Fatalf("%T: %v", g, err)
		}
		b := out.Bound()
		if !crs.InChina(b.Min[0], b.Min[1]) || b.Min[0] < 99.49 || b.Min[0] > 99.51 {
			t.Errorf("Reproject(%T) bound %v, want near (99.5, 23.5)", g, b)
		}
		back, err := c.Project(out)
		if err != nil {
			t.Fatal(err)
		}
		if bb := back.Bound(); math.Abs(bb.Min[0]-x) > 1e-6 || math.Abs(bb.Min[1]-y) > 1e-6 {
			t.Errorf("Project(Reproject(%T)) bound %v, want min (%v, %v)", g, bb, x, y)
		}
	}
	if _, err := c.Reproject(orb.LineString{{1, 2}}); err == nil {
		t.Error("Reproject of a point outside the zone: no error")
	}
}
