package server

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/redline-gis/redline/internal/geotest"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
)

// GDAL's OGC API Features driver opens the collections unchanged: ogrinfo
// reports each layer's feature count and extent, and ogr2ogr of a bbox
// returns exactly the features whose boxes meet it.
func TestGDALReadsCollections(t *testing.T) {
	geotest.GDAL(t, "ogrinfo", "--version") // skips here without GDAL
	cat := demoCatalog(t)
	_, ts := startServer(t, cat, Config{})
	run := func(name string, args ...string) []byte { t.Helper(); return geotest.GDAL(t, name, args...) }
	ogrinfo, ogr2ogr := "ogrinfo", "ogr2ogr"
	src := "OAPIF:" + ts.URL
	countRe := regexp.MustCompile(`Feature Count: (\d+)`)
	extentRe := regexp.MustCompile(`Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)`)
	for _, l := range cat.Layers {
		out := run(ogrinfo, "-so", "-ro", src, l.Name)
		m := countRe.FindSubmatch(out)
		if m == nil || string(m[1]) != strconv.Itoa(l.Layer.Len()) {
			t.Errorf("%s: ogrinfo feature count %q, want %d\n%s", l.Name, m, l.Layer.Len(), out)
		}
		e := extentRe.FindSubmatch(out)
		b := l.Layer.Bound()
		if e == nil {
			t.Errorf("%s: no extent in\n%s", l.Name, out)
			continue
		}
		for i, want := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			got, _ := strconv.ParseFloat(string(e[i+1]), 64)
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("%s: extent[%d] %v, want %v", l.Name, i, got, want)
			}
		}
	}
	if ogr2ogr == "" {
		return
	}
	// A box that meets some of a layer's features but not all of them.
	var l *analysis.Constraint
	var q orb.Bound
	var want []int
	for _, c := range cat.Layers {
		for _, f := range c.Layer.Features {
			q = f.Bound
			want = want[:0]
			for _, g := range c.Layer.Features {
				if g.Bound.Intersects(q) {
					want = append(want, g.Index)
				}
			}
			if len(want) < c.Layer.Len() {
				l = c
				break
			}
		}
		if l != nil {
			break
		}
	}
	if l == nil {
		t.Fatal("no layer with a box meeting only some of its features")
	}
	dst := filepath.Join(t.TempDir(), "bbox.geojson")
	run(ogr2ogr, "-f", "GeoJSON", dst, src, l.Name, "-spat",
		fmt.Sprint(q.Min[0]), fmt.Sprint(q.Min[1]), fmt.Sprint(q.Max[0]), fmt.Sprint(q.Max[1]))
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, f := range fc.Features {
		for _, ff := range l.Layer.Features {
			if ff.ID == f.Properties["redline_id"] {
				got = append(got, ff.Index)
			}
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("ogr2ogr -spat %v: features %v, want those whose boxes meet it %v", q, got, want)
	}
}
