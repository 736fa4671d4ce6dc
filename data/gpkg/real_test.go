package gpkg_test

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/redline-gis/redline/data/gpkg"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func planeArea(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Polygon:
		var a float64
		for i, r := range g {
			if i == 0 {
				a += math.Abs(geo.RingSignedArea(r))
			} else {
				a -= math.Abs(geo.RingSignedArea(r))
			}
		}
		return a
	case orb.MultiPolygon:
		var a float64
		for _, p := range g {
			a += planeArea(p)
		}
		return a
	}
	return 0
}

type realCase struct {
	file, table string
	features    int
	curves      bool
	foreignSRS  bool   // a CRS redline does not convert: read with IgnoreSRS
	warn        string // a warning the read must give
}

var realCases = []realCase{
	{file: "gdal-autotest-gpkg/3d_envelope.gpkg", features: 2},
	{file: "gdal-autotest-gpkg/no_envelope.gpkg", features: 2},
	{file: "gdal-autotest-gpkg/first_geometry_null.gpkg", features: 2},
	{file: "gdal-autotest-gpkg/huge_feature_count.gpkg", table: "test", features: 1},
	{file: "gdal-autotest-gpkg/poly_golden.gpkg", features: 10, foreignSRS: true},
	{file: "gdal-autotest-gpkg/poly_non_conformant.gpkg", features: 1, foreignSRS: true},
	{file: "gdal-autotest-gpkg/domains.gpkg", features: 0},
	{file: "gdal-autotest-gpkg/relation_mapping_table.gpkg", table: "a", features: 0, foreignSRS: true},
	{file: "sf-r-spatial-gpkg/nc.gpkg", features: 100, foreignSRS: true},
	{file: "sf-r-spatial-gpkg/buildings.gpkg", features: 158, foreignSRS: true},
	{file: "pyogrio-gpkg-curves/curvepolygon.gpkg", features: 1, curves: true},
	{file: "pyogrio-gpkg-curves/multisurface.gpkg", features: 1, curves: true},
	{file: "georust-gdal-poly-gpkg/poly.gpkg", features: 1, foreignSRS: true, warn: "application_id is 0x00000000"},
}

func readReal(t *testing.T, c realCase, opt gpkg.Options) (*geo.Source, string) {
	t.Helper()
	path := geotest.SharedData(t, c.file)
	opt.Table = c.table
	src, err := gpkg.Read(os.DirFS(filepath.Dir(path)), filepath.Base(path), opt)
	if err != nil {
		t.Fatal(err)
	}
	return src, path
}

// TestRealGeoPackages reads the shared GeoPackages (quirks: GPKG 1.0, a NULL
// first geometry, a 2⁶³−1 stored feature count, a table name with a dot,
// srs ids without authority, application_id 0) and, where ogr2ogr is
// installed, compares every feature with ogr2ogr's GeoJSON of the same table:
// the same vertices (1e-9 relative) for linear geometries, the same plane
// area within GDAL's curve linearisation (0.2 %) for curves, the same
// attribute values.
func TestRealGeoPackages(t *testing.T) {
	_, noGDAL := exec.LookPath("ogr2ogr")
	for _, c := range realCases {
		t.Run(filepath.Base(c.file)+"/"+c.table, func(t *testing.T) {
			if c.foreignSRS {
				path := geotest.SharedData(t, c.file)
				_, err := gpkg.Read(os.DirFS(filepath.Dir(path)), filepath.Base(path), gpkg.Options{Table: c.table})
				if err == nil || !strings.Contains(err.Error(), "--crs") {
					t.Errorf("foreign srs: error %v, want one that says to use --crs", err)
				}
			}
			src, path := readReal(t, c, gpkg.Options{IgnoreSRS: c.foreignSRS})
			if len(src.Records) != c.features {
				t.Fatalf("%d records, want %d", len(src.Records), c.features)
			}
			if c.warn != "" && !strings.Contains(strings.Join(geo.WarningMessages(src.Warnings), "\n"), c.warn) {
				t.Errorf("warnings %q lack %q", src.Warnings, c.warn)
			}
			if noGDAL != nil {
				geotest.Unavailable(t, "ogr2ogr not installed (apt-get install -y gdal-bin): GDAL comparison skipped")
			}
			out := filepath.Join(t.TempDir(), "out.geojson")
			args := []string{"-f", "GeoJSON", out, path}
			if c.table != "" {
				args = append(args, c.table)
			}
			if b, err := exec.Command("ogr2ogr", args...).CombinedOutput(); err != nil {
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
			if len(fc.Features) != len(src.Records) {
				t.Fatalf("ogr2ogr: %d features, redline %d", len(fc.Features), len(src.Records))
			}
			for i, f := range fc.Features {
				r := src.Records[i]
				if (f.Geometry == nil) != (r.Geom == nil) {
					t.Fatalf("feature %d: geometry %v, GDAL %v", i, r.Geom, f.Geometry)
				}
				if r.Geom == nil {
					continue
				}
				if c.curves {
					geotest.ApproxEqual(t, "curve area", planeArea(r.Geom), planeArea(f.Geometry), geotest.Tol{Rel: 2e-3})
				} else if !sameVertices(r.Geom, f.Geometry) {
					t.Errorf("feature %d: vertices differ from GDAL's", i)
				}
				for k, v := range f.Properties {
					if k == "fid" {
						continue
					}
					got := r.Props[k]
					switch gv := got.(type) {
					case int64:
						if fv, ok := v.(float64); !ok || fv != float64(gv) {
							t.Errorf("feature %d %s: %v, GDAL %v", i, k, got, v)
						}
					case float64:
						if fv, ok := v.(float64); !ok || math.Abs(fv-gv) > 1e-9*math.Abs(gv) {
							t.Errorf("feature %d %s: %v, GDAL %v", i, k, got, v)
						}
					case bool:
						if v != gv {
							t.Errorf("feature %d %s: %v, GDAL %v", i, k, got, v)
						}
					case string:
						if vs, ok := v.(string); !ok || (vs != gv && !strings.HasPrefix(gv, strings.TrimSuffix(vs, "Z"))) {
							t.Errorf("feature %d %s: %q, GDAL %v", i, k, got, v)
						}
					}
				}
			}
		})
	}
}

// sameVertices compares two geometries vertex by vertex (1e-9 relative:
// GDAL writes GeoJSON with 15 significant digits).
func sameVertices(a, b orb.Geometry) bool {
	var pa, pb []orb.Point
	geo.VisitPoints(a, func(p orb.Point) bool { pa = append(pa, p); return true })
	geo.VisitPoints(b, func(p orb.Point) bool { pb = append(pb, p); return true })
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		for k := 0; k < 2; k++ {
			if math.Abs(pa[i][k]-pb[i][k]) > 1e-9*math.Max(1, math.Abs(pa[i][k])) {
				return false
			}
		}
	}
	return true
}
