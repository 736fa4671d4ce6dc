package geo_test

import (
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// TestCover measures clip ∩ (a ∪ b) for boxes whose answer is a box (closed
// form via geo.AreaM2 of that box), and checks which method applied: the walk
// in general position, the overlay when boundaries touch, and that forcing the
// overlay (no Geoms) gives the same number.
func TestCover(t *testing.T) {
	tests := []struct {
		name       string
		clip       orb.Geometry // nil: no clip
		polys      []orb.Geometry
		want       []orb.Polygon // the cover, as disjoint boxes
		wantMethod geo.CoverMethod
	}{
		{"one polygon, no clip", nil, []orb.Geometry{box(99, 23, 99.1, 23.1)}, []orb.Polygon{box(99, 23, 99.1, 23.1)}, geo.CoverWhole},
		{"overlapping, general position", box(98.99, 22.995, 99.25, 23.05),
			[]orb.Geometry{box(99, 23, 99.1, 23.1), box(99.05, 22.99, 99.2, 23.08)},
			[]orb.Polygon{box(99, 23, 99.2, 23.05), box(99.05, 22.995, 99.2, 23)}, geo.CoverWalk},
		{"shared edge: overlay", box(98.99, 22.99, 99.3, 23.2),
			[]orb.Geometry{box(99, 23, 99.1, 23.1), box(99.1, 23, 99.2, 23.1)},
			[]orb.Polygon{box(99, 23, 99.2, 23.1)}, geo.CoverOverlay},
		{"clip inside the union", box(99.02, 23.02, 99.08, 23.08),
			[]orb.Geometry{box(99, 23, 99.1, 23.1), box(99.05, 22.99, 99.2, 23.11)},
			[]orb.Polygon{box(99.02, 23.02, 99.08, 23.08)}, geo.CoverWalk},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := 0.0
			for _, p := range tc.want {
				want += geo.AreaM2(p)
			}
			c := geo.Cover{Clip: tc.clip, Geoms: tc.polys}
			if tc.clip != nil {
				c.ClipShape = mustShape(t, tc.clip)
			}
			for _, g := range tc.polys {
				c.Shapes = append(c.Shapes, mustShape(t, g))
			}
			got, m, err := c.AreaM2()
			if err != nil {
				t.Fatal(err)
			}
			if m != tc.wantMethod {
				t.Errorf("method %v, want %v", m, tc.wantMethod)
			}
			geotest.ApproxEqual(t, "cover", got, want, geotest.Tol{Rel: 1e-9})
			overlay := c
			overlay.Geoms = nil
			got2, m2, err := overlay.AreaM2()
			if err != nil {
				t.Fatal(err)
			}
			if m2 != geo.CoverOverlay {
				t.Errorf("without Geoms: method %v, want overlay", m2)
			}
			geotest.ApproxEqual(t, "cover by overlay", got2, want, geotest.Tol{Rel: 1e-9})
		})
	}
}
