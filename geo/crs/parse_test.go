package crs_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/redline-gis/redline/geo/crs"
	"github.com/redline-gis/redline/internal/geotest"
)

func gkCRS(width, zone int, prefixed bool, epsg int) crs.CRS {
	return crs.CRS{Kind: crs.GaussKruger, EPSG: epsg, ZoneWidth: width, Zone: zone, Prefixed: prefixed}
}

var (
	wgs84  = crs.CRS{Kind: crs.LonLat, EPSG: 4326}
	crs84  = crs.CRS{Kind: crs.LonLat}
	merc   = crs.CRS{Kind: crs.WebMercator, EPSG: 3857}
	gcjCRS = crs.CRS{Kind: crs.GCJ02}
)

func TestParseCRS(t *testing.T) {
	tests := []struct {
		in   string
		want crs.CRS
		err  bool
	}{
		{"EPSG:4490", crs.CGCS2000, false},
		{"4490", crs.CGCS2000, false},
		{" epsg:4490 ", crs.CGCS2000, false},
		{"urn:ogc:def:crs:EPSG::4490", crs.CGCS2000, false},
		{"urn:ogc:def:crs:EPSG:9.8.15:4490", crs.CGCS2000, false},
		{"http://www.opengis.net/def/crs/EPSG/0/4490", crs.CGCS2000, false},
		{"CGCS2000", crs.CGCS2000, false},
		{"cgcs 2000", crs.CGCS2000, false},
		{"EPSG:4326", wgs84, false},
		{"WGS84", wgs84, false},
		{"WGS 84", wgs84, false},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", crs84, false},
		{"OGC:CRS84", crs84, false},
		{"CRS84", crs84, false},
		{"gcj02", gcjCRS, false},
		{"GCJ-02", gcjCRS, false},
		{"EPSG:3857", merc, false},
		{"900913", merc, false},
		{"EPSG:900913", merc, false},
		{"EPSG:102100", merc, false},
		{"epsg:4521", gkCRS(3, 33, true, 4521), false},
		{"EPSG:4542", gkCRS(3, 33, false, 4542), false},
		{"EPSG:4491", gkCRS(6, 13, true, 4491), false},
		{"EPSG:4501", gkCRS(6, 23, true, 4501), false},
		{"EPSG:4502", gkCRS(6, 13, false, 4502), false},
		{"EPSG:4512", gkCRS(6, 23, false, 4512), false},
		{"EPSG:4513", gkCRS(3, 25, true, 4513), false},
		{"EPSG:4533", gkCRS(3, 45, true, 4533), false},
		{"EPSG:4534", gkCRS(3, 25, false, 4534), false},
		{"EPSG:4554", gkCRS(3, 45, false, 4554), false},
		{"CGCS2000 / 3-degree Gauss-Kruger zone 33", gkCRS(3, 33, true, 4521), false},
		{"CGCS2000 / 3-degree Gauss-Kruger CM 99E", gkCRS(3, 33, false, 4542), false},
		{"CGCS2000_3_Degree_GK_Zone_34", gkCRS(3, 34, true, 4522), false},
		{"CGCS2000_GK_CM_75E", gkCRS(6, 13, false, 4502), false},
		{"CGCS2000 / Gauss-Kruger zone 18", gkCRS(6, 18, true, 4496), false},
		{"EPSG:4555", crs.CRS{}, true},
		{"EPSG:4490x", crs.CRS{}, true},
		{"EPSG:2383", crs.CRS{}, true},
		{"Xian_1980_3_Degree_GK_Zone_33", crs.CRS{}, true},
		{"CGCS2000_3_Degree_GK_Zone_50", crs.CRS{}, true},
		{"CGCS2000_3_Degree_GK_CM_100E", crs.CRS{}, true},
		{"urn:ogc:def:crs:EPSG::", crs.CRS{}, true},
		{"FOOCRS84", crs.CRS{}, true},
		{"", crs.CRS{}, true},
		{"mars", crs.CRS{}, true},
		{"99999999999999999999", crs.CRS{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := crs.Parse(tt.in)
			if tt.err {
				if !errors.Is(err, crs.ErrUnknown) {
					t.Fatalf("Parse(%q) = %v, %v; want ErrUnknown", tt.in, got, err)
				}
				if !strings.HasPrefix(err.Error(), "crs: ") {
					t.Errorf("error %q does not start with crs: ", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestParseCRSAllGK checks every CGCS2000 Gauss–Krüger code against GK,
// and its central meridian and prefix through a point on it.
func TestParseCRSAllGK(t *testing.T) {
	for code := 4491; code <= 4554; code++ {
		c, err := crs.Parse(strconv.Itoa(code))
		if err != nil {
			t.Fatal(err)
		}
		if c.Kind != crs.GaussKruger || c.EPSG != code {
			t.Fatalf("%d: %+v", code, c)
		}
		back, err := crs.GK(c.ZoneWidth, c.Zone, c.Prefixed)
		if err != nil || back != c {
			t.Errorf("GK(%d, %d, %v) = %+v, %v; want %+v", c.ZoneWidth, c.Zone, c.Prefixed, back, err, c)
		}
		cm := 3 * c.Zone
		if c.ZoneWidth == 6 {
			cm = 6*c.Zone - 3
		}
		if cm < 75 || cm > 135 {
			t.Errorf("%s: central meridian %d outside 75–135", c, cm)
		}
		x, _, err := c.FromLonLat(float64(cm), 30)
		wantX := 500000.0
		if c.Prefixed {
			wantX += float64(c.Zone) * 1e6
		}
		if err != nil || x != wantX {
			t.Errorf("%s: easting on the central meridian = %v, %v; want %v", c, x, err, wantX)
		}
	}
}

func TestGKCRSErrors(t *testing.T) {
	for _, tt := range []struct{ width, zone int }{{3, 24}, {3, 46}, {6, 12}, {6, 24}, {4, 30}, {0, 0}} {
		if _, err := crs.GK(tt.width, tt.zone, true); !errors.Is(err, crs.ErrUnknown) {
			t.Errorf("GK(%d, %d) error = %v, want ErrUnknown", tt.width, tt.zone, err)
		}
	}
}

// stripAuthority removes AUTHORITY and ID nodes so that FromWKT must work
// from names and parameters.
var stripAuthority = regexp.MustCompile(`,\s*(AUTHORITY|ID)\["EPSG",\s*"?\d+"?\]`)

func TestCRSFromWKTFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/crs_*.prj")
	if err != nil || len(files) < 30 {
		t.Fatalf("testdata: %d files, %v", len(files), err)
	}
	want := map[string]crs.CRS{
		"crs_real_shpconverter_zone37.prj": gkCRS(3, 37, true, 4525),
		"crs_real_geotools_wgs84.prj":      wgs84,
	}
	for _, code := range []int{4490, 4326, 4521, 4542, 4491, 4502, 4554, 3857} {
		c, err := crs.Parse(strconv.Itoa(code))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"wkt1esri", "wkt1gdal", "wkt22019"} {
			want["crs_epsg"+strconv.Itoa(code)+"_"+f+".prj"] = c
		}
	}
	for _, f := range files {
		name := filepath.Base(f)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w, known := want[name] // the others (Xian 1980, Beijing 1954, UTM, World Mercator) are unsupported
		for _, variant := range []string{"as is", "without authority"} {
			text := string(b)
			if variant != "as is" {
				text = stripAuthority.ReplaceAllString(text, "")
			}
			t.Run(name+"/"+variant, func(t *testing.T) {
				got, err := crs.FromWKT(text)
				if !known {
					if !errors.Is(err, crs.ErrUnknown) {
						t.Fatalf("FromWKT = %+v, %v; want ErrUnknown", got, err)
					}
					t.Log(err)
					return
				}
				if err != nil || got != w {
					t.Fatalf("FromWKT = %+v, %v; want %+v", got, err, w)
				}
			})
		}
	}
}

// TestCRSFromWKTShared reads the real .prj files in shared/data/real.
func TestCRSFromWKTShared(t *testing.T) {
	for rel, want := range map[string]crs.CRS{
		"survey-txt-windr07-Txt-ShpConverter/SampleData.prj":     gkCRS(3, 37, true, 4525),
		"geotools-chinese_poly-gb18030-dbf/chinese_poly.prj":     wgs84,
		"geotools-chinese_poly-gb18030-dbf/rus-windows-1251.prj": wgs84,
	} {
		p := geotest.SharedData(t, rel)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := crs.FromWKT(string(b)); err != nil || got != want {
			t.Errorf("%s: FromWKT = %+v, %v; want %+v", rel, got, err, want)
		}
	}
}

func TestCRSFromWKT(t *testing.T) {
	const cgcs = `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
	tm := func(name string, cm, fe float64) string {
		return `PROJCS["` + name + `",` + cgcs + `,PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",` +
			strconv.FormatFloat(fe, 'f', -1, 64) + `],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",` +
			strconv.FormatFloat(cm, 'f', -1, 64) + `],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
	}
	tests := []struct {
		name, wkt string
		want      crs.CRS
		err       bool
	}{
		{"geographic CGCS2000", cgcs, crs.CGCS2000, false},
		{"OGC name", `GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],UNIT["degree",0.0174532925199433]]`, crs.CGCS2000, false},
		{"BOM and parentheses", "\uFEFF" + `GEOGCS("CGCS2000",DATUM("China_2000",SPHEROID("CGCS2000",6378137,298.257222101)))`, crs.CGCS2000, false},
		{"generic TM prefixed 3°", tm("Custom", 99, 33500000), gkCRS(3, 33, true, 4521), false},
		{"generic TM prefixed 6°", tm("Custom", 105, 18500000), gkCRS(6, 18, true, 4496), false},
		{"generic TM unprefixed defaults to 3°", tm("Custom", 99, 500000), gkCRS(3, 33, false, 4542), false},
		{"unprefixed 6° by name", tm("CGCS2000_GK_CM_105E", 105, 500000), gkCRS(6, 18, false, 4507), false},
		{"unprefixed 3° by name", tm("CGCS2000_3_Degree_GK_CM_105E", 105, 500000), gkCRS(3, 35, false, 4544), false},
		{"parameters win over the name", tm("CGCS2000_3_Degree_GK_Zone_33", 102, 34500000), gkCRS(3, 34, true, 4522), false},
		{"name only", `PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 33",` + cgcs + `]`, gkCRS(3, 33, true, 4521), false},
		{"prefix and CM disagree", tm("Custom", 99, 34500000), crs.CRS{}, true},
		{"CM not a zone's", tm("Custom", 100, 500000), crs.CRS{}, true},
		{"name says 6°, CM only a 3° zone's", tm("CGCS2000_GK_CM_102E", 102, 500000), gkCRS(3, 34, false, 4543), false},
		{"odd false easting", tm("Custom", 99, 400000), crs.CRS{}, true},
		{"zone outside China", tm("Custom", 30, 10500000), crs.CRS{}, true},
		{"scale factor", strings.Replace(tm("Custom", 99, 500000), `"Scale_Factor",1.0`, `"Scale_Factor",0.9996`, 1), crs.CRS{}, true},
		{"feet", strings.Replace(tm("Custom", 99, 500000), `UNIT["Meter",1.0]`, `UNIT["Foot_US",0.3048006096012192]`, 1), crs.CRS{}, true},
		{"no false easting", strings.Replace(tm("Custom", 99, 500000), `PARAMETER["False_Easting",500000],`, ``, 1), crs.CRS{}, true},
		{"Beijing 1954 geographic", `GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]]]`, crs.CRS{}, true},
		{"local CS", `LOCAL_CS["site grid",UNIT["Meter",1]]`, crs.CRS{}, true},
		{"empty", ``, crs.CRS{}, true},
		{"garbage", `PROJCS["x",GEOGCS[`, crs.CRS{}, true},
		{"unbalanced", `GEOGCS["x"])`, crs.CRS{}, true},
		{"unterminated string", `GEOGCS["x`, crs.CRS{}, true},
		{"deep", strings.Repeat("A[", 100) + strings.Repeat("]", 100), crs.CRS{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := crs.FromWKT(tt.wkt)
			if tt.err {
				if !errors.Is(err, crs.ErrUnknown) || !strings.HasPrefix(err.Error(), "crs: ") {
					t.Fatalf("FromWKT = %+v, %v; want a geo: error wrapping ErrUnknown", got, err)
				}
				t.Log(err)
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("FromWKT = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func FuzzParseCRS(f *testing.F) {
	for _, s := range []string{"EPSG:4490", "urn:ogc:def:crs:EPSG::4521", "CRS84", "gcj02",
		"CGCS2000_3_Degree_GK_CM_99E", "CGCS2000 / Gauss-Kruger zone 18", "http://www.opengis.net/def/crs/EPSG/0/3857"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := crs.Parse(s)
		if err != nil {
			if !errors.Is(err, crs.ErrUnknown) {
				t.Fatalf("Parse(%q): %v does not wrap ErrUnknown", s, err)
			}
			return
		}
		_ = c.String()
		_, _, _ = c.ToLonLat(500000, 3e6)
	})
}

func FuzzCRSFromWKT(f *testing.F) {
	files, _ := filepath.Glob("testdata/crs_*.prj")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(`GEOGCS("x",DATUM("CGCS2000"))`)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			t.Skip()
		}
		c, err := crs.FromWKT(s)
		if err != nil {
			if !errors.Is(err, crs.ErrUnknown) {
				t.Fatalf("FromWKT: %v does not wrap ErrUnknown", err)
			}
			return
		}
		_, _, _ = c.FromLonLat(100, 30)
	})
}
