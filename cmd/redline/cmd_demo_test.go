package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/sample"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// demoReport is the part of screen.json the demo tests read.
type demoReport struct {
	Sites []struct {
		Index        int     `json:"index"`
		ID           string  `json:"id"`
		GeometryType string  `json:"geometry_type"`
		AreaM2       float64 `json:"area_m2"`
		LengthM      float64 `json:"length_m"`
		Verdict      string  `json:"verdict"`
		Layers       []struct {
			Layer         string  `json:"layer"`
			OverlapM2     float64 `json:"overlap_m2"`
			OverlapPct    float64 `json:"overlap_pct"`
			LengthInsideM float64 `json:"length_inside_m"`
		} `json:"layers"`
		Conflicts []struct {
			Layer         string  `json:"layer"`
			FeatureID     string  `json:"feature_id"`
			Zone          string  `json:"zone"`
			OverlapM2     float64 `json:"overlap_m2"`
			OverlapPct    float64 `json:"overlap_pct"`
			LengthInsideM float64 `json:"length_inside_m"`
			Verdict       string  `json:"verdict"`
			UnitCode      string  `json:"unit_code"`
			RuleID        string  `json:"rule_id"`
			Clauses       []struct {
				Line   int    `json:"line"`
				Target string `json:"target"`
			} `json:"clauses"`
		} `json:"conflicts"`
		Classes []struct {
			Layer     string  `json:"layer"`
			Value     string  `json:"value"`
			Code      string  `json:"code"`
			OverlapM2 float64 `json:"overlap_m2"`
			Uncovered bool    `json:"uncovered"`
		} `json:"classes"`
		Nearby []struct {
			Layer     string  `json:"layer"`
			FeatureID string  `json:"feature_id"`
			DistanceM float64 `json:"distance_m"`
			Verdict   string  `json:"verdict"`
		} `json:"nearby"`
	} `json:"sites"`
	Summary map[string]int `json:"summary"`
}

// runDemoTest runs `redline demo` into a temporary directory and returns
// the directory, the parsed screen.json and what was printed.
func runDemoTest(t *testing.T, args ...string) (dir string, rep demoReport, stdout, stderr string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "out") // demo creates it
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"redline", "demo", "--out", dir}, args...), &out, &errb)
	if code != exitOK {
		t.Fatalf("exit code %d, want %d (a demo exits 0 even with prohibited sites)\nstderr: %s", code, exitOK, errb.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, demoJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("%s: %v", demoJSON, err)
	}
	return dir, rep, out.String(), errb.String()
}

func TestDemo(t *testing.T) {
	dir, rep, stdout, stderr := runDemoTest(t)
	want := []string{"prohibited", "prohibited", "review", "review", "restricted", "allowed", "clear", "prohibited"}
	if len(rep.Sites) != len(want) {
		t.Fatalf("%d sites, want %d", len(rep.Sites), len(want))
	}
	seen := map[string]bool{}
	for i, s := range rep.Sites {
		if id := fmt.Sprintf("S%02d", i+1); s.Index != i || s.ID != id {
			t.Errorf("site %d: index %d id %q, want input order (%d, %s)", i, s.Index, s.ID, i, id)
		}
		if s.Verdict != want[i] {
			t.Errorf("site %s: verdict %s, want %s", s.ID, s.Verdict, want[i])
		}
		seen[s.Verdict] = true
		if !strings.Contains(stdout, s.ID) {
			t.Errorf("the table does not show %s", s.ID)
		}
	}
	for _, v := range []string{"prohibited", "restricted", "review", "allowed", "clear"} {
		if !seen[v] {
			t.Errorf("no site is %s", v)
		}
	}
	if rep.Summary["sites"] != 8 || rep.Summary["prohibited"] != 3 || rep.Summary["clear"] != 1 {
		t.Errorf("summary %v", rep.Summary)
	}
	if !strings.Contains(stderr, dir) || !strings.Contains(stderr, "示意数据") {
		t.Errorf("stderr %q should say where the files are and that the data are illustrative", stderr)
	}

	t.Run("csv", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dir, demoCSV))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\uFEFF")) {
			t.Fatalf("%s does not start with a UTF-8 BOM", demoCSV)
		}
		rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 2 || rows[0][1] != "site_id" {
			t.Fatalf("%s: header %v, want site_id second", demoCSV, rows[0])
		}
		for _, s := range rep.Sites {
			found := false
			for _, r := range rows[1:] {
				found = found || r[1] == s.ID
			}
			if !found {
				t.Errorf("%s has no row for %s", demoCSV, s.ID)
			}
		}
	})

	t.Run("pieces", func(t *testing.T) {
		l, _, err := data.ReadLayer(os.DirFS(dir), demoPieces, data.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{} // site/feature → overlap_m2 of polygon pieces
		n := 0
		for _, s := range rep.Sites {
			for _, c := range s.Conflicts {
				n++
				want[s.ID+"/"+c.FeatureID] = c.OverlapM2
			}
		}
		if l.Len() != n {
			t.Errorf("%s has %d pieces, the report %d conflicts", demoPieces, l.Len(), n)
		}
		for i := range l.Features {
			f := &l.Features[i]
			key := fmt.Sprint(f.Props["site_id"], "/", f.Props["feature_id"])
			w, ok := want[key]
			if !ok {
				t.Errorf("piece %d (%s) matches no conflict", i, key)
				continue
			}
			geotest.ApproxEqual(t, "piece "+key, geo.AreaM2(f.Geom), w, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
		}
	})
}

func TestDemoEnglish(t *testing.T) {
	_, rep, stdout, stderr := runDemoTest(t, "--lang", "en")
	if len(rep.Sites) != 8 || !strings.Contains(stdout, "S08") || !strings.Contains(stderr, "illustrative") {
		t.Errorf("stdout %q\nstderr %q", stdout, stderr)
	}
}

func TestDemoUsage(t *testing.T) {
	for _, args := range [][]string{{"redline", "demo", "extra"}, {"redline", "demo", "--lang", "fr"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != exitUsage {
			t.Errorf("%q: exit code %d, want %d", args, code, exitUsage)
		}
	}
}

// sampleFeature returns the geometry of the feature with id in the
// embedded file name.
func sampleFeature(t *testing.T, name, id string) orb.Geometry {
	t.Helper()
	l, _, err := data.ReadLayer(sample.FS, name, data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Features {
		if l.Features[i].ID == id {
			return l.Features[i].Geom
		}
	}
	t.Fatalf("%s: no feature %s", name, id)
	return nil
}

// sampleBox returns the box of a feature that must be a lon/lat box.
func sampleBox(t *testing.T, name, id string) orb.Bound {
	t.Helper()
	p, ok := sampleFeature(t, name, id).(orb.Polygon)
	if !ok || len(p) != 1 || len(p[0]) != 5 {
		t.Fatalf("%s %s is not a box", name, id)
	}
	b := p.Bound()
	for _, c := range p[0] {
		if (c[0] != b.Min[0] && c[0] != b.Max[0]) || (c[1] != b.Min[1] && c[1] != b.Max[1]) {
			t.Fatalf("%s %s is not a lon/lat box: corner %v", name, id, c)
		}
	}
	return b
}

func boxArea(b orb.Bound) float64 {
	if b.Max[0] <= b.Min[0] || b.Max[1] <= b.Min[1] {
		return 0
	}
	return geotest.BoxAreaM2(b.Min[0], b.Min[1], b.Max[0], b.Max[1])
}

func boxMeet(a, b orb.Bound) orb.Bound {
	return orb.Bound{Min: orb.Point{math.Max(a.Min[0], b.Min[0]), math.Max(a.Min[1], b.Min[1])},
		Max: orb.Point{math.Min(a.Max[0], b.Max[0]), math.Min(a.Max[1], b.Max[1])}}
}

// demoSite returns the report's site with id.
func demoSite(t *testing.T, rep demoReport, id string) int {
	t.Helper()
	for i, s := range rep.Sites {
		if s.ID == id {
			return i
		}
	}
	t.Fatalf("no site %s", id)
	return -1
}

// layerOverlap returns a site's dissolved overlap with a layer and its share
// (%), and requires every other layer's to be zero.
func layerOverlap(t *testing.T, rep demoReport, site, layer string) (m2, pct float64) {
	t.Helper()
	found := false
	for _, lo := range rep.Sites[demoSite(t, rep, site)].Layers {
		switch {
		case lo.Layer == layer:
			m2, pct, found = lo.OverlapM2, lo.OverlapPct, true
		case lo.OverlapM2 != 0:
			t.Errorf("%s overlaps layer %s by %g m², want only %s", site, lo.Layer, lo.OverlapM2, layer)
		}
	}
	if !found {
		t.Fatalf("%s: no layer %s in the report", site, layer)
	}
	return m2, pct
}

var areaTol = geotest.Tol{Rel: 1e-9, Abs: 1e-6}

// TestDemoOverlappingRedlines checks S02, a box over the overlapping boxes
// HX-002 and HX-003, in closed form: per feature S∩A and S∩B; per layer
// (dissolved) S∩A + S∩B − S∩A∩B, the shared part counted once.
func TestDemoOverlappingRedlines(t *testing.T) {
	sBox := sampleBox(t, sample.Sites, "S02")
	aBox := sampleBox(t, "redline.geojson", "HX-002")
	bBox := sampleBox(t, "redline.geojson", "HX-003")
	// The generator's parameters, so that a change to them is noticed here.
	for _, c := range []struct {
		got, want orb.Bound
	}{
		{sBox, orb.Bound{Min: orb.Point{100.3060, 23.8075}, Max: orb.Point{100.3105, 23.8115}}},
		{aBox, orb.Bound{Min: orb.Point{100.300, 23.800}, Max: orb.Point{100.312, 23.810}}},
		{bBox, orb.Bound{Min: orb.Point{100.308, 23.806}, Max: orb.Point{100.320, 23.816}}},
	} {
		if c.got != c.want {
			t.Fatalf("box %v, want %v", c.got, c.want)
		}
	}
	sa, sb := boxArea(boxMeet(sBox, aBox)), boxArea(boxMeet(sBox, bBox))
	sab := boxArea(boxMeet(boxMeet(sBox, aBox), bBox))
	site := boxArea(sBox)
	if sab <= 0 || sa+sb-sab >= site {
		t.Fatalf("fixture: the site must cover part of both patches' shared part and stick out (sa %g sb %g sab %g site %g)", sa, sb, sab, site)
	}

	_, rep, _, _ := runDemoTest(t)
	s := rep.Sites[demoSite(t, rep, "S02")]
	geotest.ApproxEqual(t, "S02 area", s.AreaM2, site, areaTol)
	got := map[string]float64{}
	for _, c := range s.Conflicts {
		got[c.FeatureID] = c.OverlapM2
		if c.Verdict != "prohibited" {
			t.Errorf("S02 × %s: verdict %s, want prohibited (commercial in a red line)", c.FeatureID, c.Verdict)
		}
	}
	if len(s.Conflicts) != 2 {
		t.Fatalf("S02: %d conflicts, want HX-002 and HX-003", len(s.Conflicts))
	}
	geotest.ApproxEqual(t, "S02 ∩ HX-002", got["HX-002"], sa, areaTol)
	geotest.ApproxEqual(t, "S02 ∩ HX-003", got["HX-003"], sb, areaTol)
	m2, pct := layerOverlap(t, rep, "S02", "redline")
	geotest.ApproxEqual(t, "S02 ∩ redline (dissolved)", m2, sa+sb-sab, areaTol)
	geotest.ApproxEqual(t, "S02 redline %", pct, 100*(sa+sb-sab)/site, geotest.Tol{Rel: 1e-9})
}

// clipToBox clips ring r to the box b (Sutherland–Hodgman): a different
// overlay method from the engine's. Where r leaves and re-enters the box the
// result has zero-width spikes along the box's sides, which add no area.
func clipToBox(r orb.Ring, b orb.Bound) orb.Ring {
	type side struct {
		in  func(p orb.Point) bool
		cut func(p, q orb.Point) orb.Point
	}
	atX := func(x float64) func(p, q orb.Point) orb.Point {
		return func(p, q orb.Point) orb.Point {
			return orb.Point{x, p[1] + (x-p[0])/(q[0]-p[0])*(q[1]-p[1])}
		}
	}
	atY := func(y float64) func(p, q orb.Point) orb.Point {
		return func(p, q orb.Point) orb.Point {
			return orb.Point{p[0] + (y-p[1])/(q[1]-p[1])*(q[0]-p[0]), y}
		}
	}
	sides := []side{
		{func(p orb.Point) bool { return p[0] >= b.Min[0] }, atX(b.Min[0])},
		{func(p orb.Point) bool { return p[0] <= b.Max[0] }, atX(b.Max[0])},
		{func(p orb.Point) bool { return p[1] >= b.Min[1] }, atY(b.Min[1])},
		{func(p orb.Point) bool { return p[1] <= b.Max[1] }, atY(b.Max[1])},
	}
	out := append(orb.Ring(nil), r[:len(r)-1]...)
	for _, s := range sides {
		in := out
		out = nil
		for i, cur := range in {
			prev := in[(i+len(in)-1)%len(in)]
			switch {
			case s.in(cur) && !s.in(prev):
				out = append(out, s.cut(prev, cur), cur)
			case s.in(cur):
				out = append(out, cur)
			case s.in(prev):
				out = append(out, s.cut(prev, cur))
			}
		}
		if len(out) == 0 {
			return nil
		}
	}
	return out
}

// TestDemoStraddlingSite checks S01, a box across the reserve's core/buffer
// boundary: each zone's overlap by clipping the zone's rings to the box, and
// core + buffer = the site's closed-form area (the zones tile the reserve
// and the site lies inside it), which is also the dissolved layer figure.
func TestDemoStraddlingSite(t *testing.T) {
	sBox := sampleBox(t, sample.Sites, "S01")
	core := sampleFeature(t, "reserve.geojson", "ZR-core").(orb.Polygon)
	buffer := sampleFeature(t, "reserve.geojson", "ZR-buffer").(orb.Polygon)
	clipped := func(r orb.Ring) float64 { return math.Abs(geo.RingAreaM2(clipToBox(r, sBox))) }
	wantCore := clipped(core[0])
	wantBuffer := clipped(buffer[0]) - clipped(buffer[1])
	site := boxArea(sBox)
	if wantCore <= 0.2*site || wantBuffer <= 0.2*site {
		t.Fatalf("fixture: S01 should straddle core (%g m²) and buffer (%g m²) of %g m²", wantCore, wantBuffer, site)
	}
	geotest.ApproxEqual(t, "core + buffer = site", wantCore+wantBuffer, site, areaTol)

	_, rep, _, _ := runDemoTest(t)
	s := rep.Sites[demoSite(t, rep, "S01")]
	got := map[string]float64{}
	for _, c := range s.Conflicts {
		got[c.Zone] = c.OverlapM2
		if c.Verdict != "prohibited" {
			t.Errorf("S01 × %s: verdict %s, want prohibited", c.Zone, c.Verdict)
		}
	}
	if len(s.Conflicts) != 2 {
		t.Fatalf("S01: conflicts %+v, want core and buffer", s.Conflicts)
	}
	geotest.ApproxEqual(t, "S01 ∩ core", got["core"], wantCore, areaTol)
	geotest.ApproxEqual(t, "S01 ∩ buffer", got["buffer"], wantBuffer, areaTol)
	geotest.ApproxEqual(t, "S01 area", s.AreaM2, site, areaTol)
	m2, pct := layerOverlap(t, rep, "S01", "reserve")
	geotest.ApproxEqual(t, "S01 ∩ reserve (dissolved)", m2, site, areaTol)
	geotest.ApproxEqual(t, "S01 reserve %", pct, 100, geotest.Tol{Rel: 1e-9})
}

// TestDemoRoadCrossesRedline checks S03's length inside HX-001: the road's
// segments are split where they cross the patch's edges, the pieces whose
// midpoints are inside (ray casting) are measured geodesically.
func TestDemoRoadCrossesRedline(t *testing.T) {
	road := sampleFeature(t, sample.Sites, "S03").(orb.LineString)
	patch := sampleFeature(t, "redline.geojson", "HX-001").(orb.Polygon)[0]
	inside := func(p orb.Point) bool {
		in := false
		for i, j := 0, len(patch)-2; i < len(patch)-1; j, i = i, i+1 {
			a, b := patch[i], patch[j]
			if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0]+(p[1]-a[1])/(b[1]-a[1])*(b[0]-a[0]) {
				in = !in
			}
		}
		return in
	}
	cross := func(u, v orb.Point) float64 { return u[0]*v[1] - u[1]*v[0] }
	sub := func(u, v orb.Point) orb.Point { return orb.Point{u[0] - v[0], u[1] - v[1]} }
	at := func(a, b orb.Point, t float64) orb.Point {
		return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
	}
	var want float64
	crossings := 0
	for k := 0; k+1 < len(road); k++ {
		a, b := road[k], road[k+1]
		ts := []float64{0, 1}
		for i := 0; i+1 < len(patch); i++ {
			c, d := patch[i], patch[i+1]
			den := cross(sub(b, a), sub(d, c))
			if den == 0 {
				continue
			}
			t0, u0 := cross(sub(c, a), sub(d, c))/den, cross(sub(c, a), sub(b, a))/den
			if t0 >= 0 && t0 <= 1 && u0 >= 0 && u0 <= 1 {
				ts = append(ts, t0)
				crossings++
			}
		}
		sort.Float64s(ts)
		for i := 0; i+1 < len(ts); i++ {
			if inside(at(a, b, (ts[i]+ts[i+1])/2)) {
				want += geo.GeodesicM(at(a, b, ts[i]), at(a, b, ts[i+1]))
			}
		}
	}
	if crossings != 2 || want < 500 {
		t.Fatalf("fixture: the road should cross HX-001 once (in and out), got %d crossings, %g m inside", crossings, want)
	}

	_, rep, _, _ := runDemoTest(t)
	s := rep.Sites[demoSite(t, rep, "S03")]
	if s.Verdict != "review" || len(s.Conflicts) != 1 || s.Conflicts[0].FeatureID != "HX-001" {
		t.Fatalf("S03: verdict %s, conflicts %+v: want review, HX-001", s.Verdict, s.Conflicts)
	}
	geotest.ApproxEqual(t, "S03 inside HX-001", s.Conflicts[0].LengthInsideM, want, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
	geotest.ApproxEqual(t, "S03 length", s.LengthM, geo.LengthM(road), geotest.Tol{Rel: 1e-12})
	geotest.ApproxEqual(t, "S03 inside %", s.Conflicts[0].OverlapPct, 100*want/s.LengthM, geotest.Tol{Rel: 1e-9})
}

// TestDemoOutfallNearWater checks S04, a chemical outfall 350 m (along a
// ray from the reservoir's centre) outside the quasi zone: no conflict, the
// 500 m setback rule makes it review, and its distance agrees with a local
// planar computation.
func TestDemoOutfallNearWater(t *testing.T) {
	p := sampleFeature(t, sample.Sites, "S04").(orb.Point)
	quasi := sampleFeature(t, "water.geojson", "SY-Z").(orb.Polygon)[0]
	// Metres per degree at the point, on the CGCS2000 ellipsoid.
	e2 := (1 / 298.257222101) * (2 - 1/298.257222101)
	sin := math.Sin(p[1] * math.Pi / 180)
	w := 1 - e2*sin*sin
	kx := 6378137 / math.Sqrt(w) * math.Cos(p[1]*math.Pi/180) * math.Pi / 180
	ky := 6378137 * (1 - e2) / (w * math.Sqrt(w)) * math.Pi / 180
	want := math.Inf(1)
	for i := 0; i+1 < len(quasi); i++ {
		ax, ay := (quasi[i][0]-p[0])*kx, (quasi[i][1]-p[1])*ky
		bx, by := (quasi[i+1][0]-p[0])*kx, (quasi[i+1][1]-p[1])*ky
		dx, dy := bx-ax, by-ay
		t0 := math.Max(0, math.Min(1, -(ax*dx+ay*dy)/(dx*dx+dy*dy)))
		want = math.Min(want, math.Hypot(ax+t0*dx, ay+t0*dy))
	}

	_, rep, _, _ := runDemoTest(t)
	s := rep.Sites[demoSite(t, rep, "S04")]
	if s.Verdict != "review" || len(s.Conflicts) != 0 {
		t.Fatalf("S04: verdict %s, conflicts %+v: want review, none", s.Verdict, s.Conflicts)
	}
	found := false
	for _, n := range s.Nearby {
		if n.FeatureID == "SY-Z" {
			found = true
			if n.Verdict != "review" || n.DistanceM > 500 || n.DistanceM > 350.01 {
				t.Errorf("S04 near SY-Z: %+v, want review within 350 m", n)
			}
			geotest.ApproxEqual(t, "S04 distance", n.DistanceM, want, geotest.Tol{Rel: 1e-3})
		}
	}
	if !found {
		t.Errorf("S04: nearby %+v has no SY-Z", s.Nearby)
	}
}

// TestDemoInvariants checks every site: a layer's dissolved overlap is at
// least its largest feature overlap, at most their sum and at most the
// site; shares lie in [0, 100].
func TestDemoInvariants(t *testing.T) {
	_, rep, _, _ := runDemoTest(t)
	const eps = 1e-6
	for _, s := range rep.Sites {
		rows := 0.0
		for _, c := range s.Classes {
			rows += c.OverlapM2
		}
		if len(s.Classes) > 0 {
			geotest.ApproxEqual(t, s.ID+": class rows + 未覆盖 = site", rows, s.AreaM2, geotest.Tol{Rel: 1e-9, Abs: 1e-6})
		}
		for _, lo := range s.Layers {
			var sum, maxF, sumLen float64
			for _, c := range s.Classes { // a layer that gives only classes: its classes stand for its features
				if c.Layer == lo.Layer && !c.Uncovered {
					sum += c.OverlapM2
					maxF = math.Max(maxF, c.OverlapM2)
				}
			}
			for _, c := range s.Conflicts {
				if c.Layer == lo.Layer {
					sum += c.OverlapM2
					maxF = math.Max(maxF, c.OverlapM2)
					sumLen += c.LengthInsideM
				}
				if c.OverlapPct < 0 || c.OverlapPct > 100+eps {
					t.Errorf("%s × %s: overlap_pct %g", s.ID, c.FeatureID, c.OverlapPct)
				}
			}
			if lo.OverlapM2 < maxF-eps || lo.OverlapM2 > sum+eps || lo.OverlapM2 > s.AreaM2+eps {
				t.Errorf("%s × %s: dissolved %g m², features max %g sum %g, site %g", s.ID, lo.Layer, lo.OverlapM2, maxF, sum, s.AreaM2)
			}
			if lo.LengthInsideM > sumLen+eps || lo.LengthInsideM > s.LengthM+eps {
				t.Errorf("%s × %s: length inside %g m, features sum %g, site %g", s.ID, lo.Layer, lo.LengthInsideM, sumLen, s.LengthM)
			}
			if lo.OverlapPct < 0 || lo.OverlapPct > 100+eps {
				t.Errorf("%s × %s: overlap_pct %g", s.ID, lo.Layer, lo.OverlapPct)
			}
		}
	}
}

// TestDemoClassesAndClauses checks the demo's table by class in closed form
// (S07 over lon/lat-box parcels: 乔木林地 in two overlapping features, counted
// once; 工业用地; the rest uncovered) and the access list clauses: S05 in the
// priority unit (a clause for tourism), S08 in the key unit (a clause by the
// industry prefix K70 of its 行业代码 K7010).
func TestDemoClassesAndClauses(t *testing.T) {
	site := sampleBox(t, sample.Sites, "S07")
	forest := sampleBox(t, "landuse.geojson", "TB-0004")
	inner := sampleBox(t, "landuse.geojson", "TB-0005")
	industry := sampleBox(t, "landuse.geojson", "TB-0006")
	if boxMeet(inner, forest) != inner {
		t.Fatal("fixture: TB-0005 should lie inside TB-0004")
	}
	wantForest, wantIndustry := boxArea(boxMeet(site, forest)), boxArea(boxMeet(site, industry))
	_, rep, stdout, _ := runDemoTest(t)
	s := rep.Sites[demoSite(t, rep, "S07")]
	if s.Verdict != "clear" || len(s.Conflicts) != 0 {
		t.Errorf("S07: verdict %s, conflicts %+v: the land-use layer gives no conflicts", s.Verdict, s.Conflicts)
	}
	got := map[string]float64{}
	for _, c := range s.Classes {
		got[c.Value] = c.OverlapM2
		if c.Uncovered {
			got["未覆盖"] = c.OverlapM2
		}
	}
	geotest.ApproxEqual(t, "S07 乔木林地", got["乔木林地"], wantForest, areaTol)
	geotest.ApproxEqual(t, "S07 工业用地", got["工业用地"], wantIndustry, areaTol)
	geotest.ApproxEqual(t, "S07 未覆盖", got["未覆盖"], boxArea(site)-wantForest-wantIndustry, geotest.Tol{Rel: 1e-9, Abs: 1e-3})
	s6 := rep.Sites[demoSite(t, rep, "S06")]
	names := map[string]bool{}
	for _, c := range s6.Classes {
		names[c.Value+"/"+c.Code] = true
	}
	if !names["设施农用地/1202"] || !names["水田/0101"] {
		t.Errorf("S06 classes %+v: 1202 has no DLMC and should be named from GB/T 21010", s6.Classes)
	}
	for _, tc := range []struct{ site, unit, rule string }{{"S05", "ZH53090210001", "access-list:2"}, {"S08", "ZH53090220001", ""}} {
		found := false
		for _, c := range rep.Sites[demoSite(t, rep, tc.site)].Conflicts {
			if c.Layer == "control_unit" {
				found = c.UnitCode == tc.unit && len(c.Clauses) == 1 && (tc.rule == "" || c.RuleID == tc.rule)
			}
		}
		if !found {
			t.Errorf("%s: no control unit %s conflict with one clause", tc.site, tc.unit)
		}
	}
	for _, want := range []string{"未覆盖", "设施农用地", "示意准入清单"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the demo table lacks %q", want)
		}
	}
}
