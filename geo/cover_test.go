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

// TestCoverBuildPieces: pieces built once and reused give the area the
// cover measures on its own (a tiling: the walk declines on shared edges).
func TestCoverBuildPieces(t *testing.T) {
	sq := func(x1, y1, x2, y2 float64) orb.Polygon {
		return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
	}
	clip := sq(100.001, 24.001, 100.019, 24.009)
	cv := geo.Cover{Clip: clip, ClipShape: mustShape(t, clip)}
	for _, p := range []orb.Polygon{sq(100, 24, 100.01, 24.01), sq(100.01, 24, 100.02, 24.01), sq(100.005, 24, 100.015, 24.005)} {
		cv.Geoms, cv.Shapes = append(cv.Geoms, p), append(cv.Shapes, mustShape(t, p))
	}
	want, _, err := cv.AreaM2()
	if err != nil {
		t.Fatal(err)
	}
	if err := cv.BuildPieces(); err != nil || len(cv.Pieces) != 3 {
		t.Fatalf("pieces %d, %v", len(cv.Pieces), err)
	}
	u, err := cv.Union()
	if err != nil {
		t.Fatal(err)
	}
	geotest.ApproxEqual(t, "union of the built pieces", u.AreaM2(), want, geotest.Tol{Rel: 1e-12})
	geotest.ApproxEqual(t, "the clip, covered whole", want, geotest.BoxAreaM2(100.001, 24.001, 100.019, 24.009), geotest.Tol{Rel: 1e-9})
}
