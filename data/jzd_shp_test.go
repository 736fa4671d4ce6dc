package data_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/redline-gis/redline/data/jzd"
	"github.com/redline-gis/redline/data/shapefile"
	"github.com/redline-gis/redline/internal/geotest"
)

// TestReadJZDMatchesShapefile compares the real TXT's plots with the
// shapefile of the same plots in the same folder (written by the same tool):
// the same parts and holes, every ring the same vertices to 1 mm (ring start
// and direction may differ), and the same CRS.
func TestReadJZDMatchesShapefile(t *testing.T) {
	dir := geotest.SharedData(t, "survey-txt-windr07-Txt-ShpConverter")
	shp, err := shapefile.Read(os.DirFS(dir), "SampleData.shp")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "SampleData.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	txt, err := jzd.Read(f, "SampleData.txt")
	if err != nil {
		t.Fatal(err)
	}
	if shp.CRSFrom == "" {
		t.Log("the shapefile reader did not identify the CRS: not compared")
	} else if shp.CRS.EPSG != txt.CRS.EPSG || shp.CRS.EPSG != 4525 {
		t.Errorf("CRS: shapefile %v (from %q), TXT %v, want EPSG:4525", shp.CRS, shp.CRSFrom, txt.CRS)
	}
	if len(shp.Records) != len(txt.Records) {
		t.Fatalf("%d shapefile records, %d plots", len(shp.Records), len(txt.Records))
	}
	for i := range txt.Records {
		tp, sp := geotest.Polygons(txt.Records[i].Geom), geotest.Polygons(shp.Records[i].Geom)
		if len(tp) != len(sp) {
			t.Errorf("plot %d: %d parts in the TXT, %d in the shapefile", i, len(tp), len(sp))
			continue
		}
		if got := shp.Records[i].Props["DKBH"]; got != txt.Records[i].ID {
			t.Errorf("plot %d: DKBH %v, 地块编号 %q", i, got, txt.Records[i].ID)
		}
		used := map[[2]int]bool{}
		for pi, p := range tp {
			for ri, r := range p {
				found := false
				for sj, q := range sp {
					for sk, s := range q {
						if !used[[2]int{sj, sk}] && (sk == 0) == (ri == 0) && sameRing(r, s, 1e-3) {
							used[[2]int{sj, sk}] = true
							found = true
						}
					}
				}
				if !found {
					t.Errorf("plot %d part %d ring %d: no matching ring in the shapefile", i, pi, ri)
				}
			}
		}
		geotest.ApproxEqual(t, "area", planar.Area(txt.Records[i].Geom), planar.Area(shp.Records[i].Geom), geotest.Tol{Abs: 1e-3})
	}
}

// sameRing reports whether closed rings a and b have the same vertices in
// the same cyclic order, in either direction, within tol.
func sameRing(a, b orb.Ring, tol float64) bool {
	a, b = a[:len(a)-1], b[:len(b)-1]
	if len(a) != len(b) {
		return false
	}
	near := func(p, q orb.Point) bool { return math.Hypot(p[0]-q[0], p[1]-q[1]) <= tol }
	n := len(a)
	for off := 0; off < n; off++ {
		if !near(a[0], b[off]) {
			continue
		}
		for _, dir := range []int{1, -1} {
			ok := true
			for k := 0; k < n && ok; k++ {
				ok = near(a[k], b[((off+dir*k)%n+n)%n])
			}
			if ok {
				return true
			}
		}
	}
	return false
}
