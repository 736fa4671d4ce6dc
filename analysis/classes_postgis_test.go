package analysis_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// readGzLayer reads a gzipped GeoJSON FeatureCollection of testdata/classes
// (lon/lat; ids from the "id" property) with orb, not with redline's readers.
func readGzLayer(t testing.TB, path, name string) *geo.Layer {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection(geotest.ReadGz(t, path))
	if err != nil {
		t.Fatal(err)
	}
	l := &geo.Layer{Name: name}
	for i, gf := range fc.Features {
		id, _ := gf.Properties["id"].(string)
		nf, err := geo.NewFeature(i, id, map[string]any(gf.Properties), gf.Geometry)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(nf)
	}
	return l
}

// TestClassesAgainstPostGIS screens the generated sites of testdata/classes
// against its land-use layer by class (DLBM) and compares every site × class
// area with PostGIS's ST_Area(ST_Intersection(site, ST_Union(class))) on
// edges segmentized to 1e-5° (testdata/classes/postgis.sh), every site's
// covered area, and each region × class of share --by. The rows of a site
// plus the uncovered one add up to the site.
func TestClassesAgainstPostGIS(t *testing.T) {
	const dir = "../testdata/classes/"
	sites := readGzLayer(t, dir+"sites.geojson.gz", "sites")
	lu := readGzLayer(t, dir+"landuse.geojson.gz", "landuse")
	res, err := analysis.Screen(context.Background(), sites, []*analysis.Constraint{constraint(t, "landuse", lu)}, analysis.DefaultRules(),
		analysis.ScreenOptions{By: []analysis.ClassBy{{Layer: "landuse", Field: "DLBM"}}})
	if err != nil {
		t.Fatal(err)
	}
	tol := geotest.Tol{Abs: 0.05, Rel: 1e-6}
	got := map[string]float64{}
	for _, s := range res.Sites {
		sum := 0.0
		for _, c := range s.Classes {
			sum += c.OverlapM2
			if !c.Uncovered {
				got[fmt.Sprintf("%s/%s", s.ID, c.Code)] = c.OverlapM2
			}
		}
		geotest.ApproxEqual(t, "site "+s.ID+": rows + 未覆盖", sum, s.AreaM2, geotest.Tol{Rel: 1e-9})
	}
	n := 0
	var maxAbs, maxRel float64 // largest differences from PostGIS, for the log
	note := func(g, want float64) {
		d := g - want
		if d < 0 {
			d = -d
		}
		maxAbs = max(maxAbs, d)
		if want > 1 {
			maxRel = max(maxRel, d/want)
		}
	}
	for _, p := range geotest.ReadCSV(t, dir+"pg_site_class.csv") {
		key := p["site_id"] + "/" + p["dlbm"]
		want := geotest.Num(t, p["overlap_m2"])
		g, ok := got[key]
		if !ok {
			if want > tol.Abs {
				t.Errorf("site × class %s: missing (PostGIS %.4f m²)", key, want)
			}
			continue
		}
		geotest.ApproxEqual(t, "site × class "+key, g, want, tol)
		note(g, want)
		delete(got, key)
		n++
	}
	for key, g := range got {
		t.Errorf("site × class %s: %.4f m², PostGIS has no row", key, g)
	}
	for i, p := range geotest.ReadCSV(t, dir+"pg_site.csv") {
		s := res.Sites[i]
		if s.ID != p["site_id"] {
			t.Fatalf("site %d is %s, PostGIS has %s", i, s.ID, p["site_id"])
		}
		geotest.ApproxEqual(t, "site "+s.ID+" area", s.AreaM2, geotest.Num(t, p["site_area_m2"]), tol)
		geotest.ApproxEqual(t, "site "+s.ID+" covered", s.Layers[0].OverlapM2, geotest.Num(t, p["covered_m2"]), tol)
	}
	t.Logf("%d site × class rows agree with PostGIS: max %.2g m², %.2g relative", n, maxAbs, maxRel)
	maxAbs, maxRel = 0, 0

	regions := readGzLayer(t, dir+"regions.geojson.gz", "regions")
	rg, err := analysis.NewRegions(context.Background(), regions, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := rg.ShareBy(context.Background(), lu, "DLBM", analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rtol := geotest.Tol{Abs: 1, Rel: 1e-7}
	byRegion := map[string]float64{}
	for _, r := range sh.Regions {
		sum := 0.0
		for _, c := range r.Classes {
			byRegion[r.ID+"/"+c.Code] = c.CoveredM2
			sum += c.CoveredM2
		}
		geotest.ApproxEqual(t, "region "+r.ID+": classes sum to covered", sum, r.CoveredM2, geotest.Tol{Rel: 1e-9})
	}
	for _, p := range geotest.ReadCSV(t, dir+"pg_region_class.csv") {
		key := p["region_id"] + "/" + p["dlbm"]
		geotest.ApproxEqual(t, "region × class "+key, byRegion[key], geotest.Num(t, p["covered_m2"]), rtol)
		note(byRegion[key], geotest.Num(t, p["covered_m2"]))
	}
	t.Logf("region × class rows: max %.2g m², %.2g relative", maxAbs, maxRel)
	for i, p := range geotest.ReadCSV(t, dir+"pg_region.csv") {
		r := sh.Regions[i]
		geotest.ApproxEqual(t, "region "+r.ID+" area", r.AreaM2, geotest.Num(t, p["region_area_m2"]), rtol)
		geotest.ApproxEqual(t, "region "+r.ID+" covered", r.CoveredM2, geotest.Num(t, p["covered_m2"]), rtol)
	}
	total := 0.0
	for _, c := range sh.Total.Classes {
		total += c.CoveredM2
	}
	geotest.ApproxEqual(t, "total: classes sum to covered", total, sh.Total.CoveredM2, geotest.Tol{Rel: 1e-9})
}

// TestShareByLincangAgainstPostGIS measures the real Lincang counties (skipped
// without ../shared/data/real) against a generated class grid, the same grid
// testdata/classes/lincang_postgis.sh builds in PostGIS: per county × class
// within 1 m² or 1e-7, and a county's classes add up to its covered area.
func TestShareByLincangAgainstPostGIS(t *testing.T) {
	path := geotest.SharedData(t, "lincang-weather-shihongbo1314/530900_full.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	counties := &geo.Layer{Name: "counties"}
	for i, gf := range fc.Features {
		nf, err := geo.NewFeature(i, fmt.Sprint(gf.Properties["adcode"]), map[string]any(gf.Properties), gf.Geometry)
		if err != nil {
			t.Fatal(err)
		}
		counties.Add(nf)
	}
	grid := &geo.Layer{Name: "grid"}
	for i := 0; i < 20; i++ {
		for j := 0; j <= 20; j++ {
			if (i+2*j)%11 == 0 {
				continue
			}
			x, y := 98.6+0.1*float64(i), 23.0+0.1*float64(j)
			nf, err := geo.NewFeature(grid.Len(), fmt.Sprint(grid.Len()), map[string]any{"CLS": fmt.Sprintf("K%02d", (7*i+3*j)%20)},
				box(x, y, 98.6+0.1*float64(i+1), 23.0+0.1*float64(j+1)))
			if err != nil {
				t.Fatal(err)
			}
			grid.Add(nf)
		}
	}
	rg, err := analysis.NewRegions(context.Background(), counties, analysis.RegionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := rg.ShareBy(context.Background(), grid, "CLS", analysis.ShareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tol := geotest.Tol{Abs: 1, Rel: 1e-7}
	got := map[string]float64{}
	for _, r := range sh.Regions {
		sum := 0.0
		for _, c := range r.Classes {
			got[r.ID+"/"+c.Value] = c.CoveredM2
			sum += c.CoveredM2
		}
		geotest.ApproxEqual(t, "county "+r.ID+": classes sum to covered", sum, r.CoveredM2, geotest.Tol{Rel: 1e-9})
	}
	var maxRel float64
	for _, p := range geotest.ReadCSV(t, "../testdata/classes/pg_lincang_class.csv") {
		key := p["adcode"] + "/" + p["class"]
		want := geotest.Num(t, p["covered_m2"])
		geotest.ApproxEqual(t, "county × class "+key, got[key], want, tol)
		if want > 0 {
			d := got[key] - want
			maxRel = max(maxRel, max(d, -d)/want)
		}
	}
	for i, p := range geotest.ReadCSV(t, "../testdata/classes/pg_lincang.csv") {
		r := sh.Regions[i]
		geotest.ApproxEqual(t, "county "+r.ID+" area", r.AreaM2, geotest.Num(t, p["area_m2"]), tol)
		geotest.ApproxEqual(t, "county "+r.ID+" covered", r.CoveredM2, geotest.Num(t, p["covered_m2"]), tol)
	}
	t.Logf("county × class: max %.2g relative to PostGIS", maxRel)
}
