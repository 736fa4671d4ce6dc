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
		geotest.ApproxEqual(t, "area", geo.AreaM2(r), boxAreaTruth(99, 23, 99.015, 23.01), geotest.Tol{Rel: 1e-9})
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
