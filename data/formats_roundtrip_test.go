package data_test

import (
	"bytes"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func readLayerFile(t *testing.T, dir, name string, opt data.ReadOptions) *geo.Layer {
	t.Helper()
	l, _, err := data.ReadLayer(os.DirFS(dir), name, opt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// memOutput collects what WriteFeatures writes.
func memOutput(name string, buf *bytes.Buffer) data.Output {
	return data.Output{Name: name, Write: func(fn func(w io.Writer) error) error { return fn(buf) }}
}

// TestGeoPackageRoundTrip: GeoJSON → GeoPackage → redline gives the same
// vertices (exactly: WKB keeps the doubles) and areas, ids and properties.
func TestGeoPackageRoundTrip(t *testing.T) {
	for _, name := range []string{"redline.geojson", "reserve.geojson", "water.geojson", "sites.geojson"} {
		t.Run(name, func(t *testing.T) {
			l := readLayerFile(t, "../testdata", name, data.ReadOptions{})
			recs := make([]geo.Record, l.Len())
			for i, f := range l.Features {
				recs[i] = geo.Record{ID: f.ID, Props: f.Props, Geom: f.Geom}
			}
			var buf bytes.Buffer
			if err := data.WriteFeatures(memOutput("out.gpkg", &buf), nil, recs, data.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			back, info, err := data.ReadLayer(fstest.MapFS{"out.gpkg": {Data: buf.Bytes()}}, "out.gpkg", data.ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != "GeoPackage" || back.Len() != l.Len() {
				t.Fatalf("format %s, %d features, want %d", info.Format, back.Len(), l.Len())
			}
			for i := range l.Features {
				a, b := &l.Features[i], &back.Features[i]
				if !orb.Equal(a.Geom, b.Geom) {
					t.Errorf("feature %d: geometry changed", i)
				}
				geotest.ApproxEqual(t, "area", geo.AreaM2(b.Geom), geo.AreaM2(a.Geom), geotest.Tol{Rel: 1e-12})
				if a.ID != b.ID {
					t.Errorf("feature %d: id %q, want %q", i, b.ID, a.ID)
				}
				for k, v := range a.Props {
					if b.Props[k] != v {
						t.Errorf("feature %d: %s = %v (%T), want %v (%T)", i, k, b.Props[k], b.Props[k], v, v)
					}
				}
			}
		})
	}
}

// TestDXFFromGDAL: a lon/lat polygon with a hole and a two-part polygon,
// projected by ogr2ogr to CGCS2000 GK zone 33 with prefix (EPSG:4521) and
// written as DXF, reads back through redline (GK detected by the zone
// prefix) with every vertex within 1 mm and the same ellipsoidal areas.
// Runs where ogr2ogr is installed (apt-get install -y gdal-bin).
func TestDXFFromGDAL(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		geotest.Unavailable(t, "ogr2ogr not installed (apt-get install -y gdal-bin)")
	}
	dir := t.TempDir()
	src := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"n":1},"geometry":{"type":"Polygon","coordinates":[[[99.10,23.80],[99.13,23.80],[99.13,23.83],[99.10,23.83],[99.10,23.80]],[[99.11,23.81],[99.11,23.82],[99.12,23.82],[99.12,23.81],[99.11,23.81]]]}},
{"type":"Feature","properties":{"n":2},"geometry":{"type":"Polygon","coordinates":[[[99.20,23.90],[99.2137,23.9011],[99.2249,23.9213],[99.2015,23.9288],[99.20,23.90]]]}}]}`
	if err := os.WriteFile(filepath.Join(dir, "in.geojson"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ogr2ogr", "-f", "DXF", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4521", filepath.Join(dir, "out.dxf"), filepath.Join(dir, "in.geojson"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, b)
	}
	want := readLayerFile(t, dir, "in.geojson", data.ReadOptions{})
	got, info, err := data.ReadLayer(os.DirFS(dir), "out.dxf", data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.CRS.EPSG != 4521 {
		t.Errorf("CRS %v from %s, want EPSG:4521 by magnitude", info.CRS, info.CRSFrom)
	}
	if got.Len() != want.Len() {
		t.Fatalf("%d features from the DXF, want %d", got.Len(), want.Len())
	}
	for i := range want.Features {
		w, g := want.Features[i].Geom.(orb.Polygon), got.Features[i].Geom
		gp, ok := g.(orb.Polygon)
		if !ok || len(gp) != len(w) {
			t.Fatalf("feature %d: %T with %d rings, want a polygon with %d", i, g, len(gp), len(w))
		}
		for k := range w {
			if len(gp[k]) != len(w[k]) {
				t.Fatalf("feature %d ring %d: %d points, want %d", i, k, len(gp[k]), len(w[k]))
			}
			if d := maxRingDistanceM(gp[k], w[k]); d > 0.001 {
				t.Errorf("feature %d ring %d: a vertex %.4f m off", i, k, d)
			}
		}
		geotest.ApproxEqual(t, "area", geo.AreaM2(g), geo.AreaM2(w), geotest.Tol{Rel: 1e-9})
	}
}

// maxRingDistanceM is the largest distance in metres between vertices of a
// and the vertex of b nearest to each (rings may start elsewhere and run the
// other way).
func maxRingDistanceM(a, b orb.Ring) float64 {
	var worst float64
	for _, p := range a {
		best := math.Inf(1)
		for _, q := range b {
			dx := (p[0] - q[0]) * 111320 * math.Cos(p[1]*math.Pi/180)
			dy := (p[1] - q[1]) * 110574
			best = math.Min(best, math.Hypot(dx, dy))
		}
		worst = math.Max(worst, best)
	}
	return worst
}
