package server

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data/sample"
)

// Reload under load: 20 clients screening while the layers reload 10 times;
// no request fails, and every answer is computed entirely on the old or
// entirely on the new layers (it equals one of the two documents).
func TestReloadUnderLoad(t *testing.T) {
	full := demoCatalog(t)
	var three [][2]string
	for _, l := range sample.Layers[:3] {
		three = append(three, [2]string{l.Kind, l.File})
	}
	fewer := catalogFrom(t, sample.FS, three, sample.Note)
	wantA := cliJSON(t, full, sample.FS, sample.Sites, analysis.ScreenOptions{NearM: 1000})
	wantB := cliJSON(t, fewer, sample.FS, sample.Sites, analysis.ScreenOptions{NearM: 1000})
	if bytes.Equal(wantA, wantB) {
		t.Fatal("the two catalogs give the same document: the test could not tell them apart")
	}
	var n atomic.Int64
	var fail atomic.Bool
	load := func(context.Context) (*Catalog, error) {
		if fail.Load() {
			return nil, errors.New("layer redline: no such file")
		}
		if n.Add(1)%2 == 0 {
			return fewer, nil
		}
		return full, nil
	}
	s, ts := startServer(t, nil, Config{Load: load, Token: "tok", Workers: 2, Queue: 64})
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var seenA, seenB, bad atomic.Int64
	for c := 0; c < 20; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ { // bounded in count, and stopped after the reloads
				select {
				case <-stop:
					return
				default:
				}
				code, _, b := do(t, "POST", ts.URL+"/processes/screen/execution", "application/geo+json", sitesB, "Authorization", "Bearer tok")
				switch {
				case code == 200 && bytes.Equal(b, wantA):
					seenA.Add(1)
				case code == 200 && bytes.Equal(b, wantB):
					seenB.Add(1)
				default:
					if bad.Add(1) < 3 {
						t.Errorf("answer %d: neither the old nor the new layers' document: %.200s", code, b)
					}
				}
			}
		}()
	}
	answers := func() int64 { return seenA.Load() + seenB.Load() + bad.Load() }
	for i := 0; i < 10; i++ {
		// Let some requests through on each set of layers.
		for start := answers(); answers() < start+10; {
			time.Sleep(time.Millisecond)
		}
		code, _, b := do(t, "POST", ts.URL+"/admin/reload", "", nil, "Authorization", "Bearer tok")
		if code != 200 {
			t.Errorf("reload %d: %d %s", i, code, b)
		}
	}
	close(stop)
	wg.Wait()
	if seenA.Load() == 0 || seenB.Load() == 0 {
		t.Errorf("answers on the old/new layers: %d / %d", seenA.Load(), seenB.Load())
	}
	if bad.Load() > 0 {
		t.Errorf("%d bad answers", bad.Load())
	}

	// A failed reload keeps the layers in service and says why.
	before := s.Catalog()
	fail.Store(true)
	code, _, b := do(t, "POST", ts.URL+"/admin/reload", "", nil, "Authorization", "Bearer tok")
	if code != 500 || !strings.Contains(string(b), "no such file") || !strings.Contains(string(b), "old layers stay") {
		t.Errorf("failed reload: %d %s", code, b)
	}
	if s.Catalog() != before {
		t.Error("a failed reload replaced the catalog")
	}
	if code, _, _ := do(t, "POST", ts.URL+"/processes/screen/execution", "application/geo+json", sitesB, "Authorization", "Bearer tok"); code != 200 {
		t.Errorf("screen after a failed reload: %d", code)
	}
}

func TestReadyzAndMetrics(t *testing.T) {
	gate := make(chan struct{})
	s := New(Config{Load: func(context.Context) (*Catalog, error) { <-gate; return demoCatalog(t), nil }})
	defer s.Close()
	ts := newTestServer(t, s)
	if code, h, _ := do(t, "GET", ts+"/readyz", "", nil); code != 503 || h.Get("Retry-After") == "" {
		t.Errorf("readyz before load: %d", code)
	}
	if code, _, _ := do(t, "GET", ts+"/collections", "", nil); code != 503 {
		t.Errorf("collections before load: %d", code)
	}
	if code, _, _ := do(t, "GET", ts+"/healthz", "", nil); code != 200 {
		t.Errorf("healthz before load: %d", code)
	}
	close(gate)
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, "GET", ts+"/readyz", "", nil); code != 200 {
		t.Errorf("readyz after load: %d", code)
	}
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)
	do(t, "POST", ts+"/processes/screen/execution", "application/geo+json", sitesB)
	do(t, "POST", ts+"/processes/screen/execution", "application/geo+json", sitesB, "Prefer", "respond-async")
	_, _, b := do(t, "GET", ts+"/metrics", "", nil)
	for _, want := range []string{
		`redline_http_requests_total{code="200",route="POST /processes/{id}/execution"} 1`,
		`redline_http_requests_total{code="503",route="GET /readyz"} 1`,
		`redline_http_request_duration_seconds_bucket{route="POST /processes/{id}/execution"`,
		`redline_http_in_flight_requests 1`,
		`redline_queue_length`,
		`redline_jobs{state=`,
		`redline_layer_features{layer="reserve"} 3`,
		`redline_reloads_total{result="ok"} 1`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
