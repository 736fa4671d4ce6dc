package main

import (
	"encoding/json"
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
