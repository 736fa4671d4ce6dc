package dxf_test

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/redline-gis/redline/data/dxf"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// TestAgainstOgr2ogr compares GDAL's reading of drawings it reads correctly
// with ours, entity by entity (by handle): polylines without arcs have the
// same vertices (1e-6); with arcs (bulges, OCS extrusions), every vertex
// GDAL puts on an arc lies within the 0.01 m tolerance of our ring or line,
// and the ends agree. GDAL 3.6.2 reads closed polylines as lines: we read
// polygons, so rings are compared as lines. Runs where ogr2ogr is installed.
func TestAgainstOgr2ogr(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		geotest.Unavailable(t, "ogr2ogr not installed (apt-get install -y gdal-bin)")
	}
	for _, file := range []string{"LWPOLYLINE-OCS.dxf", "lwpolyline_smooth.dxf", "polyline_smooth.dxf", "closed_polyline_with_bulge.dxf", "entities_only.dxf", "hatch.dxf", "elliptical-arc-hatch-min.dxf"} {
		t.Run(file, func(t *testing.T) {
			path := geotest.SharedData(t, "gdal-autotest-dxf/"+file)
			out := filepath.Join(t.TempDir(), "out.geojson")
			if b, err := exec.Command("ogr2ogr", "-f", "GeoJSON", out, path).CombinedOutput(); err != nil {
				t.Fatalf("ogr2ogr: %v\n%s", err, b)
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			fc, err := geojson.UnmarshalFeatureCollection(raw)
			if err != nil {
				t.Fatal(err)
			}
			src := readFile(t, path, dxf.Options{})
			if len(src.Records) != len(fc.Features) {
				t.Fatalf("%d records, GDAL %d features", len(src.Records), len(fc.Features))
			}
			for i, f := range fc.Features {
				h, _ := f.Properties["EntityHandle"].(string)
				// Both read entities in file order.
				g := src.Records[i].Geom
				if h != src.Records[i].ID {
					t.Errorf("feature %d: handle %q, GDAL %q", i, src.Records[i].ID, h)
				}
				if g == nil {
					t.Fatalf("GDAL feature %d (handle %s): no record", i, h)
				}
				var mine, theirs []orb.Point
				geo.VisitPoints(g, func(p orb.Point) bool { mine = append(mine, p); return true })
				geo.VisitPoints(f.Geometry, func(p orb.Point) bool { theirs = append(theirs, p); return true })
				if len(mine) == len(theirs) {
					// Rings may run the other way (ours are counter-clockwise).
					if !samePoints(mine, theirs, false) && !samePoints(mine, theirs, true) {
						t.Errorf("handle %s: vertices %v, GDAL %v", h, mine, theirs)
					}
					continue
				}
				for k, p := range theirs {
					if d := distToPolyline(p, mine); d > 0.0101 {
						t.Errorf("handle %s: GDAL vertex %d is %.4f from our geometry", h, k, d)
						break
					}
				}
			}
		})
	}
}

func distToPolyline(x orb.Point, pts []orb.Point) float64 {
	best := math.Inf(1)
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		dx, dy := b[0]-a[0], b[1]-a[1]
		u := 0.0
		if l := dx*dx + dy*dy; l > 0 {
			u = math.Max(0, math.Min(1, ((x[0]-a[0])*dx+(x[1]-a[1])*dy)/l))
		}
		best = math.Min(best, math.Hypot(x[0]-a[0]-u*dx, x[1]-a[1]-u*dy))
	}
	if len(pts) == 1 {
		best = math.Hypot(x[0]-pts[0][0], x[1]-pts[0][1])
	}
	return best
}

func samePoints(a, b []orb.Point, reversed bool) bool {
	for k := range a {
		q := b[k]
		if reversed {
			q = b[len(b)-1-k]
		}
		if math.Hypot(a[k][0]-q[0], a[k][1]-q[1]) > 1e-6 {
			return false
		}
	}
	return true
}
