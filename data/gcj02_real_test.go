package data_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
)

// medianVertexDistanceM samples the vertices of every county of a (read in
// the given CRS) and measures each one's distance to the same county's
// outline in the weather-bureau data (WGS84), returning the median in m.
func medianVertexDistanceM(t *testing.T, datav, weather string, crs string) float64 {
	t.Helper()
	l, _, err := data.ReadLayer(os.DirFS(filepath.Dir(datav)), filepath.Base(datav), data.ReadOptions{CRS: crs})
	if err != nil {
		t.Fatal(err)
	}
	var ds []float64
	for i := range l.Features {
		f := &l.Features[i]
		code := fmt.Sprint(f.Props["adcode"])
		w, _, err := data.ReadLayer(os.DirFS(weather), code+"/"+code+".json", data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// The outline as lines: distance to the boundary, not to the area.
		var outline orb.MultiLineString
		var rings func(g orb.Geometry)
		rings = func(g orb.Geometry) {
			switch g := g.(type) {
			case orb.Collection:
				for _, c := range g {
					rings(c)
				}
			case orb.MultiPolygon:
				for _, p := range g {
					rings(p)
				}
			case orb.Polygon:
				for _, r := range g {
					outline = append(outline, orb.LineString(r))
				}
			}
		}
		for j := range w.Features {
			rings(w.Features[j].Geom)
		}
		if len(outline) == 0 {
			t.Fatalf("%s: no outline", code)
		}
		line, err := geo.ShapeOf(outline)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		var visit func(g orb.Geometry)
		visit = func(g orb.Geometry) {
			switch g := g.(type) {
			case orb.MultiPolygon:
				for _, p := range g {
					visit(p)
				}
			case orb.Polygon:
				for _, r := range g {
					for _, p := range r {
						if k++; k%25 != 0 {
							continue
						}
						ps, _ := geo.ShapeOf(p)
						d, _, err := geo.DistanceWithinM(ps, line, 5000)
						if err != nil {
							t.Fatal(err)
						}
						ds = append(ds, d)
					}
				}
			}
		}
		visit(f.Geom)
	}
	sort.Float64s(ds)
	return ds[len(ds)/2]
}

// TestGCJ02DataVAgainstWeatherBureau: the DataV county outlines are GCJ-02;
// read as such (--crs gcj02) they move onto the WGS84 weather-bureau
// outlines. Measured here on every 25th vertex: the median distance falls
// from 251 m to 71 m (SOURCE.md, in degrees over all vertices: ~0.0021° ≈
// 230 m to ~0.0005° ≈ 55 m); what remains is digitising difference.
func TestGCJ02DataVAgainstWeatherBureau(t *testing.T) {
	if testing.Short() {
		t.Skip("real data")
	}
	datav := filepath.Join(sharedDir(t, "datav-anzhou99-GeoJsons"), "530900_full.json")
	weather := sharedDir(t, "lincang-weather-shihongbo1314")
	raw := medianVertexDistanceM(t, datav, weather, "EPSG:4326")
	fixed := medianVertexDistanceM(t, datav, weather, "gcj02")
	t.Logf("median vertex distance: as WGS84 %.1f m, as GCJ-02 %.1f m", raw, fixed)
	if raw < 150 || raw > 350 {
		t.Errorf("read as WGS84: median %.1f m, expected about 230 m", raw)
	}
	if fixed > 80 {
		t.Errorf("read as GCJ-02: median %.1f m, expected about 55 m", fixed)
	}
}

func sharedDir(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "data", "real", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not present", p)
	}
	return p
}
