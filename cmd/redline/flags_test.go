package main

import (
	"errors"
	"testing"
)

func TestParseLayerSpec(t *testing.T) {
	tests := []struct {
		arg, kind, source, name string
		err                     bool
	}{
		{"redline=red.shp", "redline", "red.shp", "redline", false},
		{"red.shp", "", "red.shp", "red", false},
		{"data/保护区.geojson", "", "data/保护区.geojson", "保护区", false},
		{"保护区=data/a.geojson", "保护区", "data/a.geojson", "保护区", false},
		{"./a=b.shp", "", "./a=b.shp", "a=b", false},
		{"postgresql://u@h/db?table=public.redline", "", "postgresql://u@h/db?table=public.redline", "redline", false},
		{"redline=postgresql://u@h/db?table=public.redline&id=bsm", "redline", "postgresql://u@h/db?table=public.redline&id=bsm", "redline", false},
		{"redline=", "", "", "", true},
		{"", "", "", "", true},
	}
	for _, tc := range tests {
		s, err := parseLayerSpec(tc.arg)
		if tc.err {
			if !errors.Is(err, errUsage) {
				t.Errorf("%q: err %v, want a usage error", tc.arg, err)
			}
			continue
		}
		if err != nil || s.Kind != tc.kind || s.Source != tc.source {
			t.Errorf("%q: got %+v, %v; want kind %q source %q", tc.arg, s, err, tc.kind, tc.source)
		}
		if tc.name != "" && s.Name() != tc.name {
			t.Errorf("%q: name %q, want %q", tc.arg, s.Name(), tc.name)
		}
	}
}

func TestParseUnits(t *testing.T) {
	for s, want := range map[string]float64{"500": 500, "500m": 500, "1km": 1000, "1.5 km": 1500, "2公里": 2000} {
		if got, err := parseDistanceM(s); err != nil || got != want {
			t.Errorf("distance %q = %v, %v; want %v", s, got, err, want)
		}
	}
	for s, want := range map[string]float64{"0": 0, "1m2": 1, "0.5ha": 5000, "3亩": 2000, "1km2": 1e6} {
		if got, err := parseAreaM2(s); err != nil || got != want {
			t.Errorf("area %q = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"-1", "1 mile", "NaN", "1e400", "abc"} {
		if _, err := parseDistanceM(s); err == nil {
			t.Errorf("distance %q: no error", s)
		}
		if _, err := parseAreaM2(s); err == nil {
			t.Errorf("area %q: no error", s)
		}
	}
}
