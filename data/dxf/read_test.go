package dxf_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data/dxf"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
	"github.com/redline-gis/redline/internal/geotest"
)

func readFile(t *testing.T, path string, opt dxf.Options) *geo.Source {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := dxf.Read(f, filepath.Base(path), opt)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func readString(t *testing.T, s string, opt dxf.Options) (*geo.Source, error) {
	t.Helper()
	return dxf.Read(strings.NewReader(s), "t.dxf", opt)
}

// planeArea is the shoelace area of a polygonal geometry (holes subtract).
func planeArea(g orb.Geometry) float64 {
	var a float64
	switch g := g.(type) {
	case orb.Polygon:
		for i, r := range g {
			if i == 0 {
				a += math.Abs(geo.RingSignedArea(r))
			} else {
				a -= math.Abs(geo.RingSignedArea(r))
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			a += planeArea(p)
		}
	}
	return a
}

// TestKunshanParcel reads the real closed LWPOLYLINE with three bulges near
// Kunshan (CGCS2000 GK zone 40 with the zone prefix, EPSG:4528). GDAL 3.6.2
// returns it as an open line; it must be one polygon whose plane area is the
// exact one with circular arcs (10 210.13 m², shoelace plus circular
// segments, computed independently in TestKunshanExactArea).
//
// Ellipsoidal area: Gauss–Krüger is conformal with point scale
// k = 1 + (1+η²)cos²φ·l²/2 + (5−4t²)cos⁴φ·l⁴/24 (l: longitude from the
// central meridian 120°E, t = tan φ), so plane areas are k² times the
// ellipsoid's. The parcel lies 85 km east of the meridian at 31.02°N:
// k ≈ 1.0000897, k² ≈ 1.000179, and the ellipsoidal area is 10 208.29 m²,
// 1.84 m² (0.018 %) less than the plane area.
func TestKunshanParcel(t *testing.T) {
	path := geotest.SharedData(t, "gdal-autotest-dxf/closed_polyline_with_bulge.dxf")
	src := readFile(t, path, dxf.Options{})
	if len(src.Records) != 1 {
		t.Fatalf("%d records, want 1", len(src.Records))
	}
	r := src.Records[0]
	p, ok := r.Geom.(orb.Polygon)
	if !ok || len(p) != 1 {
		t.Fatalf("geometry %T with %d rings, want a Polygon with one ring", r.Geom, len(p))
	}
	if r.ID != "215" || r.Props["layer"] != "test" || r.Props["entity"] != "LWPOLYLINE" {
		t.Errorf("id %q props %v", r.ID, r.Props)
	}
	plane := planeArea(p)
	geotest.ApproxEqual(t, "plane area", plane, 10210.13, geotest.Tol{Abs: 0.005})

	c, err := crs.Parse("EPSG:4528")
	if err != nil {
		t.Fatal(err)
	}
	ll, err := c.Reproject(orb.Clone(p))
	if err != nil {
		t.Fatal(err)
	}
	ell := geo.AreaM2(ll)
	// k at the parcel's centre, from the closed-form series above.
	cen := ll.Bound().Center()
	const f = 1 / 298.257222101
	e2 := f * (2 - f)
	ep2 := e2 / (1 - e2)
	phi := cen[1] * math.Pi / 180
	l := (cen[0] - 120) * math.Pi / 180
	cp, tp := math.Cos(phi), math.Tan(phi)
	eta2 := ep2 * cp * cp
	k := 1 + (1+eta2)*cp*cp*l*l/2 + (5-4*tp*tp)*math.Pow(cp, 4)*math.Pow(l, 4)/24
	geotest.ApproxEqual(t, "ellipsoidal area = plane / k²", ell, plane/(k*k), geotest.Tol{Rel: 2e-6})
	t.Logf("plane %.3f m², k %.7f, ellipsoidal %.3f m² (plane/k² %.3f)", plane, k, ell, plane/(k*k))
}

// TestKunshanExactArea computes the exact plane area of the parcel from the
// file's vertices and bulges with the closed form (no densification).
func TestKunshanExactArea(t *testing.T) {
	pts := []orb.Point{
		{40585366.70650577, 3433935.538090975}, {40585329.92564863, 3433998.440817071},
		{40585297.73920335, 3434017.254552271}, {40585271.13131783, 3434017.686781913},
		{40585252.16981492, 3433885.990375476}, {40585256.74147, 3433885.916111596},
		{40585329.65156154, 3433905.365607637}, {40585364.24837356, 3433925.992208718},
	}
	bulges := []float64{0, 0.2621272319479089, 0, 0, 0, 0.1393571566538866, 0, 0.4117239835866821}
	var a float64
	o := pts[0]
	for i := range pts {
		p, q := pts[i], pts[(i+1)%len(pts)]
		a += ((p[0]-o[0])*(q[1]-o[1]) - (q[0]-o[0])*(p[1]-o[1])) / 2
		if b := bulges[i]; b != 0 {
			c := math.Hypot(q[0]-p[0], q[1]-p[1])
			th := 4 * math.Atan(b)
			r := c / (2 * math.Sin(math.Abs(th)/2))
			a += r * r * (th - math.Sin(th)) / 2
		}
	}
	geotest.ApproxEqual(t, "exact area", math.Abs(a), 10210.13, geotest.Tol{Abs: 0.005})
	src := readFile(t, geotest.SharedData(t, "gdal-autotest-dxf/closed_polyline_with_bulge.dxf"), dxf.Options{})
	geotest.ApproxEqual(t, "reader vs exact", planeArea(src.Records[0].Geom), math.Abs(a), geotest.Tol{Abs: 1e-4})
}

func TestGBKDrawing(t *testing.T) {
	dir := geotest.SharedData(t, "gbk-r2000-dxf-xygo21")
	src := readFile(t, filepath.Join(dir, "预作用配件lt2000.dxf"), dxf.Options{})
	layers := map[any]int{}
	for _, r := range src.Records {
		layers[r.Props["layer"]]++
	}
	if layers["图层 1"] == 0 || layers["0"] == 0 {
		t.Errorf("layers %v, want 图层 1 and 0", layers)
	}
	if len(layers) != 2 {
		t.Errorf("layers %v: want only 图层 1 and 0", layers)
	}
	// --dxf-layer keeps one layer.
	only := readFile(t, filepath.Join(dir, "预作用配件lt2000.dxf"), dxf.Options{Layers: []string{"图层 1"}})
	if len(only.Records) != layers["图层 1"] {
		t.Errorf("Layers 图层 1: %d records, want %d", len(only.Records), layers["图层 1"])
	}
}

func TestUTF8UnderANSI936(t *testing.T) {
	path := geotest.SharedData(t, "mxdraw-cloudcad-ac1027-ansi936-dxf/cml98he2w000p4kufpu1nhttv.dxf")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stats, err := dxf.Layers(f, "mxdraw.dxf")
	if err != nil {
		t.Fatal(err)
	}
	layers := map[string]int{}
	for _, s := range stats {
		layers[s.Name] = s.Entities
	}
	// The LAYER table of SOURCE.md, decoded as UTF-8 (GDAL 3.6.2 shows 12-5D灏哄).
	for _, want := range []string{"0", "1", "10D尺寸", "12-5D尺寸", "1轮廓实线层", "6文字层", "图框层", "标注及文字", "粗实线"} {
		if _, ok := layers[want]; !ok {
			t.Errorf("no layer %q in %v", want, layers)
		}
	}
	if layers["12-5D尺寸"] != 38 { // the model-space entities naming it (grep of the file)
		t.Errorf("entities on 12-5D尺寸 %d, want 38", layers["12-5D尺寸"])
	}
}

func TestDoubleEncodedLayer(t *testing.T) {
	dir := geotest.SharedData(t, "dxf2txt-lowpower-center-chinese-layers")
	for file, want := range map[string]string{"line.dxf": "预设值", "dxf_test.dxf": "默认值"} {
		src := readFile(t, filepath.Join(dir, file), dxf.Options{})
		if len(src.Records) == 0 || src.Records[0].Props["layer"] != want {
			t.Errorf("%s: layer of the first record %v, want %s", file, src.Records[0].Props["layer"], want)
		}
	}
}

// TestRealFilesNoPanic reads every shared DXF: each is read or refused with
// an error naming the file.
func TestRealFilesNoPanic(t *testing.T) {
	root := geotest.SharedData(t, "")
	files, _ := filepath.Glob(filepath.Join(root, "*dxf*", "*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			_, err = dxf.Read(r, filepath.Base(f), dxf.Options{})
			if err != nil && !strings.Contains(err.Error(), filepath.Base(f)) {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}
