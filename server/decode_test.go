package server

import (
	"net/http/httptest"
	"testing"
)

func TestUploadName(t *testing.T) {
	for in, want := range map[string]string{
		"sites.zip":               "sites.zip",
		"../../etc/passwd":        "passwd",
		`C:\Users\me\地块.txt`:      "地块.txt",
		"/abs/path/a.kml":         "a.kml",
		"..":                      "",
		"":                        "",
		"dir/":                    "dir",
		"a\x00b.geojson":          "",
		"./././x.shp":             "x.shp",
		`..\..\windows\win.ini`:   "win.ini",
		"sub/../../../../x.kmz":   "x.kmz",
		"name with spaces.zip":    "name with spaces.zip",
		"very/deep/a/b/c/d.dbf":   "d.dbf",
		"trailing.slash.geojson/": "trailing.slash.geojson",
	} {
		if got := uploadName(in); got != want {
			t.Errorf("uploadName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatNegotiation(t *testing.T) {
	for _, c := range []struct {
		query, accept, want string
		ok                  bool
	}{
		{"", "", fJSON, true},
		{"", "*/*", fJSON, true},
		{"", "text/html,application/xhtml+xml,*/*;q=0.8", fHTML, true},
		{"?f=csv", "text/html", fCSV, true}, // ?f= beats Accept
		{"", "text/csv", fCSV, true},
		{"", "application/geo+json", fGeoJSON, true},
		{"", mediaTypes[fXLSX], fXLSX, true},
		{"?f=XLSX", "", fXLSX, true},
		{"?f=pdf", "", "", false},
	} {
		r := httptest.NewRequest("GET", "/x"+c.query, nil)
		if c.accept != "" {
			r.Header.Set("Accept", c.accept)
		}
		got, ok := format(r, fJSON, resultFormats...)
		if got != c.want || ok != c.ok {
			t.Errorf("%q Accept %q: %q %v, want %q %v", c.query, c.accept, got, ok, c.want, c.ok)
		}
	}
}

func TestParseBBox(t *testing.T) {
	if b, err := parseBBox("99.5, 23, 100.25,24"); err != nil || b.Min[0] != 99.5 || b.Max[1] != 24 {
		t.Errorf("parseBBox: %v %v", b, err)
	}
	for _, s := range []string{"1,2,3", "1,2,3,4,5,6", "a,2,3,4", "3,2,1,4", "1,4,3,2", "NaN,1,2,3", "1,1,Inf,2"} {
		if _, err := parseBBox(s); err == nil {
			t.Errorf("parseBBox(%q): no error", s)
		}
	}
}
