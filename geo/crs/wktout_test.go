package crs_test

import (
	"testing"

	"github.com/redline-gis/redline/geo/crs"
)

// Every CGCS2000 CRS written as a .prj reads back as itself.
func TestWKTRoundTrip(t *testing.T) {
	codes := []int{4490, 4326}
	for c := 4491; c <= 4554; c++ {
		codes = append(codes, c)
	}
	for _, code := range codes {
		c, err := crs.Parse("EPSG:" + itoa(code))
		if err != nil {
			t.Fatal(err)
		}
		wkt, err := c.WKT()
		if err != nil {
			t.Fatalf("EPSG:%d: %v", code, err)
		}
		back, err := crs.FromWKT(wkt)
		if err != nil {
			t.Fatalf("EPSG:%d: %v\n%s", code, err, wkt)
		}
		if back != c {
			t.Errorf("EPSG:%d: WKT reads back as %v, want %v\n%s", code, back, c, wkt)
		}
	}
	if _, err := (crs.CRS{Kind: crs.WebMercator, EPSG: 3857}).WKT(); err == nil {
		t.Error("Web Mercator .prj should be refused")
	}
}

func itoa(i int) string {
	b := []byte{}
	for i > 0 {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
	}
	return string(b)
}
