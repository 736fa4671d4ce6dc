//go:build !unix

package geojson_test

func cpuSeconds() (float64, bool) { return 0, false }
