package geo_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func TestValidateReasons(t *testing.T) {
	sq := box(99, 23, 99.01, 23.01)
	tests := []struct {
		name       string
		g          orb.Geometry
		reason     string // substring of the first problem; "" = valid
		repairable bool
		at         orb.Point
	}{
		{"valid square", sq, "", false, orb.Point{}},
		{"unclosed ring", orb.Polygon{sq[0][:4]}, "not closed", true, orb.Point{99, 23}},
		{"too few points", orb.Polygon{{{99, 23}, {99.01, 23}, {99, 23}}}, "fewer than 3", true, orb.Point{99, 23}},
		{"bow-tie", orb.Polygon{{{99, 23}, {99.01, 23.01}, {99.01, 23}, {99, 23.01}, {99, 23}}}, "self-intersects", false, orb.Point{99.005, 23.005}},
		{"spike", orb.Polygon{{{99, 23}, {99.01, 23}, {99.02, 23}, {99.01, 23}, {99.01, 23.01}, {99, 23.01}, {99, 23}}}, "spike", true, orb.Point{99.02, 23}},
		{"spike up to rounding", orb.Polygon{{{99, 23.009}, {99.014, 23.014}, {99, 23}, {99.015, 23.015}, {99, 23.009}}}, "spike", true, orb.Point{99, 23}},
		{"collinear up to rounding", orb.Polygon{{{99, 23.005}, {99.002, 23.013}, {99.001, 23.009}, {99, 23.005}}}, "spike", true, orb.Point{99, 23.005}},
		{"hole outside shell", orb.Polygon{sq[0], box(99.5, 23.5, 99.51, 23.51)[0]}, "outside its shell", false, orb.Point{}},
		{"overlapping parts", orb.MultiPolygon{sq, box(99.005, 23, 99.015, 23.01)}, "multipolygon parts", true, orb.Point{}},
		{"parts sharing an edge", orb.MultiPolygon{sq, box(99.01, 23, 99.02, 23.01)}, "multipolygon parts", true, orb.Point{}},
		{"NaN", orb.Polygon{{{99, 23}, {99.01, nan()}, {99, 23.01}, {99, 23}}}, "NaN", false, orb.Point{}},
		{"not lon/lat", orb.Polygon{{{500000, 2600000}, {500100, 2600000}, {500100, 2600100}, {500000, 2600000}}}, "out of range", false, orb.Point{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := geo.Validate(tc.g)
			if tc.reason == "" {
				if ps != nil {
					t.Fatalf("valid geometry reported %v", ps)
				}
				return
			}
			if len(ps) == 0 {
				t.Fatalf("no problem found, want %q", tc.reason)
			}
			if !strings.Contains(ps[0].Reason, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", ps[0].Reason, tc.reason)
			}
			if ps[0].Repairable != tc.repairable {
				t.Errorf("repairable = %v, want %v", ps[0].Repairable, tc.repairable)
			}
			if tc.at != (orb.Point{}) {
				geotest.ApproxEqual(t, "lon", ps[0].Location[0], tc.at[0], geotest.Tol{Abs: 1e-9})
				geotest.ApproxEqual(t, "lat", ps[0].Location[1], tc.at[1], geotest.Tol{Abs: 1e-9})
			}
		})
	}
}

func nan() float64 { var z float64; return z / z }

func TestRepairExact(t *testing.T) {
	sq := box(99, 23, 99.01, 23.01)
	want := geo.AreaM2(sq)
	cases := map[string]orb.Geometry{
		"unclosed":        orb.Polygon{sq[0][:4]},
		"repeated points": orb.Polygon{{{99, 23}, {99.01, 23}, {99.01, 23}, {99.01, 23.01}, {99, 23.01}, {99, 23}}},
		"spike":           orb.Polygon{{{99, 23}, {99.01, 23}, {99.02, 23}, {99.01, 23}, {99.01, 23.01}, {99, 23.01}, {99, 23}}},
		"clockwise":       orb.Polygon{{{99, 23}, {99, 23.01}, {99.01, 23.01}, {99.01, 23}, {99, 23}}},
	}
	for name, g := range cases {
		t.Run(name, func(t *testing.T) {
			r, did, err := geo.Repair(g)
			if err != nil {
				t.Fatal(err)
			}
			if ps := geo.Validate(r); ps != nil {
				t.Fatalf("still invalid: %v", ps)
			}
			if len(did) == 0 {
				t.Error("no action reported")
			}
			geotest.ApproxEqual(t, "area", geo.AreaM2(r), want, geotest.Tol{Rel: 1e-12})
			if geo.RingAreaM2(r.(orb.Polygon)[0]) <= 0 {
				t.Error("outer ring should be counter-clockwise")
			}
		})
	}
	t.Run("overlapping parts merged", func(t *testing.T) {
		r, _, err := geo.Repair(orb.MultiPolygon{sq, box(99.005, 23, 99.015, 23.01)})
		if err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, "area", geo.AreaM2(r), geotest.BoxAreaM2(99, 23, 99.015, 23.01), geotest.Tol{Rel: 1e-9})
	})
}

func TestRepairSelfIntersection(t *testing.T) {
	bowtie := orb.Polygon{{{99, 23}, {99.01, 23.01}, {99.01, 23}, {99, 23.01}, {99, 23}}}
	r, _, err := geo.Repair(bowtie)
	if !geo.HasMakeValid {
		if !errors.Is(err, geo.ErrNeedsGEOS) {
			t.Fatalf("pure Go: err = %v, want ErrNeedsGEOS", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	// MakeValid splits the bow-tie into its two triangles: half the box.
	geotest.ApproxEqual(t, "area", geo.AreaM2(r), geo.AreaM2(box(99, 23, 99.01, 23.01))/2, geotest.Tol{Rel: 1e-6})
}

// TestValidateCollection: a GeometryCollection of polygons (as the Lincang
// weather-bureau 镇康县 file has: the county plus two identical slivers)
// follows the multipolygon rules, and Repair merges it exactly.
func TestValidateCollection(t *testing.T) {
	tri := orb.Polygon{{{99.02, 23}, {99.03, 23}, {99.025, 23.001}, {99.02, 23}}}
	county := box(99, 23, 99.01, 23.01)
	c := orb.Collection{county, tri, orb.Polygon{append(orb.Ring(nil), tri[0]...)}}
	ps := geo.Validate(c)
	if len(ps) == 0 || !strings.Contains(ps[0].Reason, "multipolygon parts") || !ps[0].Repairable {
		t.Fatalf("problems %v, want repairable overlapping parts", ps)
	}
	if ps := geo.Validate(orb.Collection{county, tri}); ps != nil {
		t.Errorf("disjoint collection reported %v", ps)
	}
	r, did, err := geo.Repair(c)
	if err != nil {
		t.Fatal(err)
	}
	if ps := geo.Validate(r); ps != nil {
		t.Fatalf("still invalid: %v (did %v)", ps, did)
	}
	geotest.ApproxEqual(t, "area", geo.AreaM2(r), geo.AreaM2(county)+geo.AreaM2(tri), geotest.Tol{Rel: 1e-12})
	mixed := orb.Collection{orb.Point{99, 23}, orb.Polygon{{{99, 23}, {99.01, 23.01}, {99.01, 23}, {99, 23.01}, {99, 23}}}}
	if ps := geo.Validate(mixed); len(ps) == 0 || !strings.HasPrefix(ps[0].Reason, "member 1: ") {
		t.Errorf("mixed collection: %v, want member 1's problem", ps)
	}
}

func TestRepairBadCoordinates(t *testing.T) {
	_, _, err := geo.Repair(orb.Polygon{{{99, 23}, {99.01, nan()}, {99, 23.01}, {99, 23}}})
	if err == nil || errors.Is(err, geo.ErrNeedsGEOS) || !strings.Contains(err.Error(), "cannot repair") {
		t.Fatalf("err = %v, want a cannot-repair error (GEOS does not help)", err)
	}
}

// FuzzRepair: Validate and Repair never panic, and what Repair returns
// without an error is valid. The input is a ring of up to 12 points on a
// coarse grid (so that vertices coincide and edges overlap often), plus an
// optional hole and a second part.
func FuzzRepair(f *testing.F) {
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10, 0, 0}, uint8(0))
	f.Add([]byte{0, 0, 10, 10, 10, 0, 0, 10, 0, 0}, uint8(1))
	f.Add([]byte{0, 0, 10, 0, 20, 0, 10, 0, 10, 10, 0, 10}, uint8(2))
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10, 0, 0, 5, 5}, uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, mode uint8) {
		if len(b) > 48 {
			return
		}
		pt := func(i int) orb.Point { return orb.Point{99 + float64(b[i]%32)*0.001, 23 + float64(b[i+1]%32)*0.001} }
		var ring orb.Ring
		for i := 0; i+1 < len(b) && len(ring) < 12; i += 2 {
			ring = append(ring, pt(i))
		}
		if mode&1 == 1 && len(ring) > 0 {
			ring = append(ring, ring[0])
		}
		var g orb.Geometry = orb.Polygon{ring}
		switch mode % 4 {
		case 2:
			g = orb.Polygon{box(99, 23, 99.04, 23.04)[0], ring}
		case 3:
			g = orb.MultiPolygon{{ring}, box(99.005, 23.005, 99.02, 23.02)}
		}
		geo.Validate(g)
		r, _, err := geo.Repair(g)
		if err != nil {
			if !geo.HasMakeValid && !errors.Is(err, geo.ErrNeedsGEOS) {
				t.Fatalf("pure Go: error %v does not wrap ErrNeedsGEOS", err)
			}
			return
		}
		if ps := geo.Validate(r); ps != nil {
			t.Fatalf("Repair(%v) = %v, still invalid: %v", g, r, ps)
		}
	})
}
