//go:build loadtest

package server

// The load test: a real server on loopback with a large layer loaded, 32
// clients each sending single-site screens for 30 s. Run it (niced) with
//
//	REDLINE_LOADTEST_LAYER=/tmp/large/constraints.geojson REDLINE_LOADTEST_SITES=/tmp/large/sites.geojson \
//	  nice go test -tags loadtest -run LoadTest -v -timeout 10m ./server/
//
// where /tmp/large is `gen_data.py --constraints 20000 --sites 5000 --regions 12 --seed 1 --out /tmp/large`
// (../shared/anchors). REDLINE_LOADTEST_CLIENTS and REDLINE_LOADTEST_SECONDS change the load,
// REDLINE_LOADTEST_WORKERS the executions at once (default: the cores).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// rssBytes is the process's resident set size now (VmRSS).
func rssBytes() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func TestLoadTest(t *testing.T) {
	layerPath, sitesPath := os.Getenv("REDLINE_LOADTEST_LAYER"), os.Getenv("REDLINE_LOADTEST_SITES")
	if layerPath == "" || sitesPath == "" {
		t.Skip("set REDLINE_LOADTEST_LAYER and REDLINE_LOADTEST_SITES (see the comment at the top of this file)")
	}
	clients, seconds := envInt("REDLINE_LOADTEST_CLIENTS", 32), envInt("REDLINE_LOADTEST_SECONDS", 30)

	rss0 := rssBytes()
	start := time.Now()
	l, _, err := data.ReadLayer(os.DirFS(filepath.Dir(layerPath)), filepath.Base(layerPath), data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	con, err := analysis.NewConstraint(l, analysis.LayerConfig{Name: "redline", Kind: "redline"})
	if err != nil {
		t.Fatal(err)
	}
	cat := &Catalog{Layers: []*analysis.Constraint{con}, Rules: analysis.DefaultRules()}
	loadTime := time.Since(start)
	runtime.GC()
	rssLayers := rssBytes()

	// Single-site request bodies, cycled through the sites file.
	raw, err := os.ReadFile(sitesPath)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	bodies := make([][]byte, len(fc.Features))
	for i, f := range fc.Features {
		bodies[i] = append(append([]byte(`{"type":"FeatureCollection","features":[`), f...), "]}"...)
	}
	raw, fc.Features = nil, nil
	runtime.GC()
	rssReady := rssBytes()

	t0 := time.Now()
	_, ts := startServer(t, cat, Config{Queue: 4 * clients, LimitMemory: true, Workers: envInt("REDLINE_LOADTEST_WORKERS", 0)})
	t.Logf("layer validated in %v", time.Since(t0).Round(time.Millisecond))
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("memory after load: heap %.0f MB live, %.0f MB held by the runtime, RSS %.0f MB; soft limit %.0f MB",
		float64(ms.HeapAlloc)/(1<<20), float64(ms.Sys-ms.HeapReleased)/(1<<20), float64(rssBytes())/(1<<20),
		float64(debug.SetMemoryLimit(-1))/(1<<20))
	gcs0, alloc0 := ms.NumGC, ms.TotalAlloc
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	url := ts.URL + "/processes/screen/execution?type=other&near=0"

	var peak atomic.Int64
	stopRSS := make(chan struct{})
	go func() {
		tk := time.NewTicker(100 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stopRSS:
				return
			case <-tk.C:
				if r := rssBytes(); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()

	gc0, total0 := gcCPU()
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var errs, next atomic.Int64
	var wg sync.WaitGroup
	began := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for n := 0; n < 1_000_000 && ctx.Err() == nil; n++ { // bounded in count and time
				b := bodies[int(next.Add(1))%len(bodies)]
				t0 := time.Now()
				resp, err := hc.Post(url, "application/geo+json", bytes.NewReader(b))
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, resp.Body) // no garbage of the client's own
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs.Add(1)
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)
	gc, total := gcCPU()
	close(stopRSS)
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	t.Logf("layer: %d features, loaded and indexed in %v", l.Len(), loadTime.Round(time.Millisecond))
	t.Logf("load: %d clients × %d s on %d cores (client and server in one process)", clients, seconds, runtime.NumCPU())
	t.Logf("requests: %d ok, %d errors, %.0f req/s", len(lat), errs.Load(), float64(len(lat))/elapsed.Seconds())
	t.Logf("latency: p50 %v, p90 %v, p99 %v, max %v", q(0.50), q(0.90), q(0.99), q(1))
	t.Logf("RSS: %.0f MB at start, %.0f MB with the layer loaded, %.0f MB with the request bodies, peak %.0f MB under load (%.2f × the loaded size)",
		mb(rss0), mb(rssLayers), mb(rssReady), mb(peak.Load()), float64(peak.Load())/float64(rssLayers))
	runtime.ReadMemStats(&ms)
	t.Logf("GC: %.0f %% of the process's CPU time under load, %d cycles; %.0f kB allocated per request (client and server)",
		100*(gc-gc0)/(total-total0), ms.NumGC-gcs0, float64(ms.TotalAlloc-alloc0)/float64(max(1, len(lat)))/1e3)
	t.Logf("RSS peak net of the test's request bodies (%.0f MB, client side): %.2f × the loaded size",
		mb(rssReady-rssLayers), float64(peak.Load()-(rssReady-rssLayers))/float64(rssLayers))
	if errs.Load() > 0 {
		t.Errorf("%d failed requests", errs.Load())
	}
}

// gcCPU is the CPU time spent in the collector and in all, so far (s).
func gcCPU() (gc, total float64) {
	ss := []rtmetrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"}}
	rtmetrics.Read(ss)
	return ss[0].Value.Float64(), ss[1].Value.Float64()
}

// TestSingleSiteService times each site of the file alone through what a
// request does inside the server (read the body, screen, write the JSON),
// one after another: the counterpart of timing one PostGIS query inside the
// database (scripts/serve_postgis_side_by_side.sh).
func TestSingleSiteService(t *testing.T) {
	layerPath, sitesPath := os.Getenv("REDLINE_LOADTEST_LAYER"), os.Getenv("REDLINE_LOADTEST_SITES")
	if layerPath == "" || sitesPath == "" {
		t.Skip("set REDLINE_LOADTEST_LAYER and REDLINE_LOADTEST_SITES (see the comment at the top of this file)")
	}
	l, _, err := data.ReadLayer(os.DirFS(filepath.Dir(layerPath)), filepath.Base(layerPath), data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	con, err := analysis.NewConstraint(l, analysis.LayerConfig{Name: "redline", Kind: "redline"})
	if err != nil {
		t.Fatal(err)
	}
	cat := &Catalog{Layers: []*analysis.Constraint{con}, Rules: analysis.DefaultRules()}
	s := New(Config{Load: func(context.Context) (*Catalog, error) { return cat, nil }})
	defer s.Close()
	t0 := time.Now()
	if err := s.Reload(context.Background()); err != nil { // validates the layer
		t.Fatal(err)
	}
	t.Logf("layer validated in %v", time.Since(t0).Round(time.Millisecond))
	raw, err := os.ReadFile(sitesPath)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	var lat []time.Duration
	for _, f := range fc.Features {
		body := append(append([]byte(`{"type":"FeatureCollection","features":[`), f...), "]}"...)
		t0 := time.Now()
		req := &execRequest{process: "screen", uploads: map[string]*upload{"sites": {files: memFS{"sites.geojson": body}, name: "sites.geojson"}}, typ: "other", nearM: 1000}
		o, err := s.run(context.Background(), cat, req, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := writeScreen(&buf, o, fJSON); err != nil {
			t.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	t.Logf("one site at a time, inside the server: n=%d p50 %v p90 %v p99 %v max %v", len(lat), q(0.5), q(0.9), q(0.99), q(1))
}
