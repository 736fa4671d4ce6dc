package gpkg_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data/gpkg"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
	"github.com/redline-gis/redline/internal/geotest"
)

func sampleRecords() ([]string, []geo.Record) {
	fields := []string{"名称", "code", "area", "ok"}
	recs := []geo.Record{
		{ID: "1", Geom: orb.Polygon{{{99, 23}, {99.01, 23}, {99.01, 23.01}, {99, 23.01}, {99, 23}}, {{99.002, 23.002}, {99.002, 23.004}, {99.004, 23.004}, {99.004, 23.002}, {99.002, 23.002}}},
			Props: map[string]any{"名称": "红线一", "code": int64(530902), "area": 1.5, "ok": true}},
		{ID: "2", Geom: orb.MultiPolygon{{{{100, 24}, {100.1, 24}, {100.1, 24.1}, {100, 24}}}, {{{100.2, 24}, {100.3, 24}, {100.3, 24.1}, {100.2, 24}}}},
			Props: map[string]any{"名称": "two parts", "code": nil, "area": 2.0, "ok": false}},
		{ID: "3", Geom: nil, Props: map[string]any{"名称": "no geometry"}},
	}
	return fields, recs
}

func TestWriteRead(t *testing.T) {
	fields, recs := sampleRecords()
	var buf bytes.Buffer
	if err := gpkg.Write(&buf, fields, recs, gpkg.WriteOptions{Table: "红线"}); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"out.gpkg": {Data: buf.Bytes()}}
	src, err := gpkg.Read(fsys, "out.gpkg", gpkg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.CRS != crs.CGCS2000 || src.CRSFrom != "srs_id 4490" {
		t.Errorf("CRS %v from %q", src.CRS, src.CRSFrom)
	}
	if strings.Join(src.Fields, ",") != strings.Join(fields, ",") {
		t.Errorf("fields %v", src.Fields)
	}
	if len(src.Records) != 3 {
		t.Fatalf("%d records", len(src.Records))
	}
	for i, r := range src.Records {
		if !orb.Equal(orbOrNil(r.Geom), orbOrNil(recs[i].Geom)) {
			t.Errorf("record %d: geometry %v, want %v", i, r.Geom, recs[i].Geom)
		}
		for _, f := range fields {
			want := recs[i].Props[f]
			if r.Props[f] != want {
				t.Errorf("record %d %s: %v (%T), want %v", i, f, r.Props[f], r.Props[f], want)
			}
		}
	}
	ts, err := gpkg.Tables(fsys, "out.gpkg")
	if err != nil || len(ts) != 1 || ts[0].Name != "红线" || ts[0].Features != 3 || ts[0].GeometryType != "GEOMETRY" || ts[0].SRSID != 4490 {
		t.Errorf("tables %+v, %v", ts, err)
	}
}

func orbOrNil(g orb.Geometry) orb.Geometry {
	if g == nil {
		return orb.Collection{}
	}
	return g
}

// TestWriteOgrinfo checks that GDAL opens what Write wrote without warnings
// and sees the features, the CRS and the spatial index. It runs where
// ogrinfo is installed (Debian: apt-get install gdal-bin).
func TestWriteOgrinfo(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		geotest.Unavailable(t, "ogrinfo not installed (apt-get install -y gdal-bin)")
	}
	fields, recs := sampleRecords()
	for _, tc := range []struct {
		name string
		crs  string
		want []string
	}{
		{"cgcs2000", "EPSG:4490", []string{"Feature Count: 3", `ID["EPSG",4490]`, "名称: String", "code: Integer64", "ok: Integer(Boolean)"}},
		{"gk", "EPSG:4521", []string{"Feature Count: 3", `ID["EPSG",4521]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := crs.Parse(tc.crs)
			if err != nil {
				t.Fatal(err)
			}
			rs := recs
			if c.Kind == crs.GaussKruger {
				rs = nil
				for _, r := range recs {
					g := r.Geom
					if g != nil {
						g, err = c.Project(orb.Clone(g))
						if err != nil {
							t.Fatal(err)
						}
					}
					rs = append(rs, geo.Record{ID: r.ID, Geom: g, Props: r.Props})
				}
			}
			path := filepath.Join(t.TempDir(), "out.gpkg")
			var buf bytes.Buffer
			if err := gpkg.Write(&buf, fields, rs, gpkg.WriteOptions{CRS: c}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", path).CombinedOutput()
			if err != nil {
				t.Fatalf("ogrinfo: %v\n%s", err, out)
			}
			s := string(out)
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("ogrinfo output lacks %q:\n%s", w, s)
				}
			}
			if strings.Contains(s, "Warning") || strings.Contains(s, "ERROR") {
				t.Errorf("ogrinfo warns:\n%s", s)
			}
			// The R-tree is valid in GDAL's eyes.
			val, err := exec.Command("ogrinfo", "-ro", "-q", path, "-sql", "SELECT HasSpatialIndex('features','geom')").CombinedOutput()
			if err != nil || !strings.Contains(string(val), "HasSpatialIndex (Integer) = 1") {
				t.Errorf("HasSpatialIndex: %v\n%s", err, val)
			}
		})
	}
}
