package server

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/sample"
)

// BenchmarkExecuteSingleSite is one single-site screen through the whole
// handler (middleware, decode, screen, JSON), as the load test sends it.
// With REDLINE_LOADTEST_LAYER and REDLINE_LOADTEST_SITES (see
// loadtest_test.go) it runs on the large layer; else on the demo layers.
func BenchmarkExecuteSingleSite(b *testing.B) {
	cat, bodies := singleSiteInputs(b)
	s, _ := startServer(b, cat, Config{})
	h := s.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest("POST", "/processes/screen/execution?type=other&near=0", bytes.NewReader(bodies[i%len(bodies)]))
		r.Header.Set("Content-Type", "application/geo+json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body.Bytes())
		}
	}
}

// The benchmark's layers and single-site bodies, read once for all the
// runs of -count.
var (
	benchOnce   sync.Once
	benchCat    *Catalog
	benchBodies [][]byte
)

func singleSiteInputs(b *testing.B) (*Catalog, [][]byte) {
	benchOnce.Do(func() {
		var sitesB []byte
		var err error
		if layerPath, sitesPath := os.Getenv("REDLINE_LOADTEST_LAYER"), os.Getenv("REDLINE_LOADTEST_SITES"); layerPath != "" && sitesPath != "" {
			l, _, err := data.ReadLayer(os.DirFS(filepath.Dir(layerPath)), filepath.Base(layerPath), data.ReadOptions{})
			if err != nil {
				b.Fatal(err)
			}
			con, err := analysis.NewConstraint(l, analysis.LayerConfig{Name: "redline", Kind: "redline"})
			if err != nil {
				b.Fatal(err)
			}
			benchCat = &Catalog{Layers: []*analysis.Constraint{con}, Rules: analysis.DefaultRules()}
			if sitesB, err = os.ReadFile(sitesPath); err != nil {
				b.Fatal(err)
			}
		} else {
			benchCat = demoCatalog(b)
			if sitesB, err = fs.ReadFile(sample.FS, sample.Sites); err != nil {
				b.Fatal(err)
			}
		}
		var fc struct{ Features []json.RawMessage }
		if err := json.Unmarshal(sitesB, &fc); err != nil {
			b.Fatal(err)
		}
		for _, f := range fc.Features {
			benchBodies = append(benchBodies, append(append([]byte(`{"type":"FeatureCollection","features":[`), f...), "]}"...))
		}
	})
	if benchCat == nil {
		b.Fatal("the benchmark's inputs failed to load")
	}
	return benchCat, benchBodies
}
