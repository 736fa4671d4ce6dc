package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redline-gis/redline/internal/geotest"
)

// infoArea runs `info --format json` and returns the area and CRS.
func infoArea(t *testing.T, path string) (float64, string) {
	t.Helper()
	code, out, errOut := runCLI(t, "info", "--format", "json", path)
	if code != 0 {
		t.Fatalf("info %s: exit %d: %s", path, code, errOut)
	}
	var v struct {
		AreaM2 float64 `json:"area_m2"`
		CRS    string  `json:"crs"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	return v.AreaM2, v.CRS
}

// TestConvertRoundTrips converts the real 界址点 TXT (GK zone 37) to each
// output format and back: the areas must not move, and a Gauss-Krüger
// shapefile must say so in its .prj.
func TestConvertRoundTrips(t *testing.T) {
	in := "../../data/jzd/testdata/windr07-SampleData.txt"
	want, crs := infoArea(t, in)
	if !strings.Contains(crs, "4525") {
		t.Fatalf("input CRS %s, want EPSG:4525", crs)
	}
	dir := t.TempDir()
	for _, tc := range []struct{ out, to, crs string }{
		{"plots.geojson", "", "4490"},
		{"plots.kml", "", "4490"},
		{"plots.shp", "", "4490"},
		{"plots_gk.shp", "EPSG:4525", "4525"},
		{"plots_gk.zip", "EPSG:4525", "4525"},
		{"plots.gpkg", "", "4490"},
		{"plots_gk.gpkg", "EPSG:4525", "4525"},
	} {
		t.Run(tc.out, func(t *testing.T) {
			out := filepath.Join(dir, tc.out)
			args := []string{"convert", in, out}
			if tc.to != "" {
				args = append(args, "--to", tc.to)
			}
			if code, _, errOut := runCLI(t, args...); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			got, crs := infoArea(t, out)
			if !strings.Contains(crs, tc.crs) {
				t.Errorf("CRS %s, want EPSG:%s", crs, tc.crs)
			}
			// Coordinates pass through GK and back (or are printed at full
			// precision): the area is unchanged to well below a mm².
			geotest.ApproxEqual(t, "area", got, want, geotest.Tol{Rel: 1e-9})
		})
	}
}

func TestConvertUsage(t *testing.T) {
	in := "../../data/jzd/testdata/windr07-SampleData.txt"
	for _, args := range [][]string{
		{"convert", in},
		{"convert", in, filepath.Join(t.TempDir(), "x.geojson"), "--to", "EPSG:4521"},
		{"convert", in, filepath.Join(t.TempDir(), "x.shp"), "--to", "gcj02"},
		{"convert", in, filepath.Join(t.TempDir(), "x.dwg")},
	} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestDXFInfoAndConvert reads the hand-made GK drawing (a 100 m square with
// a semicircular bulge of radius 50 m and a 10 m hole: plane area
// 10 000 + π·50²/2 − 100 m²), lists its layers, and converts it to a
// GeoPackage with the same area.
func TestDXFInfoAndConvert(t *testing.T) {
	in := "../../data/dxf/testdata/parcel_gk33.dxf"
	code, out, errOut := runCLI(t, "info", "--format", "json", in)
	if code != 0 {
		t.Fatalf("info: exit %d: %s", code, errOut)
	}
	var v struct {
		Format    string  `json:"format"`
		CRS       string  `json:"crs"`
		AreaM2    float64 `json:"area_m2"`
		DXFLayers []struct {
			Name     string `json:"name"`
			Entities int    `json:"entities"`
		} `json:"dxf_layers"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Format != "DXF" || !strings.Contains(v.CRS, "4521") || len(v.DXFLayers) != 2 || v.DXFLayers[0].Name != "注记" || v.DXFLayers[1].Name != "红线" || v.DXFLayers[1].Entities != 2 {
		t.Errorf("info: %+v", v)
	}
	// The GK plane area over k² (k ≈ 1.000000 at 0 m from the central
	// meridian, to 1e-9 within the 150 m parcel): the ellipsoidal area.
	geotest.ApproxEqual(t, "area", v.AreaM2, 10000+math.Pi*2500/2-100, geotest.Tol{Rel: 1e-6})
	gp := filepath.Join(t.TempDir(), "parcel.gpkg")
	if code, _, errOut := runCLI(t, "convert", in, gp, "--to", "EPSG:4521"); code != 0 {
		t.Fatalf("convert: exit %d: %s", code, errOut)
	}
	got, crs := infoArea(t, gp)
	if !strings.Contains(crs, "4521") {
		t.Errorf("GeoPackage CRS %s", crs)
	}
	geotest.ApproxEqual(t, "area after GeoPackage", got, v.AreaM2, geotest.Tol{Rel: 1e-9})
	if code, _, errOut := runCLI(t, "info", "--dxf-layer", "无此层", in); code != 1 || !strings.Contains(errOut, `no layer "无此层"`) {
		t.Errorf("unknown layer: exit %d: %s", code, errOut)
	}
}
