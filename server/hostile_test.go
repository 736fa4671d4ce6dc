package server

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redline-gis/redline/data/sample"
)

// Hostile requests each get their status and message, and the server
// keeps serving.
func TestHostileRequests(t *testing.T) {
	cat := demoCatalog(t)
	_, ts := startServer(t, cat, Config{MaxBody: 1 << 20, MaxSites: 100})
	exec := ts.URL + "/processes/screen/execution"
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)

	var many strings.Builder
	many.WriteString(`{"type":"FeatureCollection","features":[`)
	for i := 0; i < 101; i++ {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `{"type":"Feature","properties":{"id":"P%d"},"geometry":{"type":"Point","coordinates":[100.2,23.9]}}`, i)
	}
	many.WriteString("]}")
	bowtie := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"B1"},"geometry":{"type":"Polygon","coordinates":[[[100.20,23.95],[100.21,23.96],[100.21,23.95],[100.20,23.96],[100.20,23.95]]]}}]}`

	// A zip bomb: one highly compressible entry far above the size limits.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("sites.shp")
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ { // 64 MB expanded (16 × the limit), 64 KB compressed
		w.Write(zeros)
	}
	zw.Close()
	bombBody, bombType := multipartBody(t, map[string][]byte{"sites.zip": bomb.Bytes()}, nil)
	unknownBody, unknownType := multipartBody(t, map[string][]byte{"sites.dat": []byte("hello")}, nil)
	slipBody, slipType := multipartBody(t, map[string][]byte{"../../etc/passwd": sitesB}, nil)

	for _, c := range []struct {
		name, ctype string
		body        []byte
		code        int
		says        string
	}{
		{"truncated JSON", "application/json", []byte(`{"inputs": {"sites": {"type": "FeatureCollection", "features": [`), 400, "truncated"},
		{"bad JSON", "application/json", []byte(`{"inputs": {"sites": nope}}`), 400, "invalid JSON"},
		{"trailing data", "application/json", []byte(`{"inputs": {"sites": {"type":"FeatureCollection","features":[]}}} {}`), 400, "after the end"},
		{"no inputs", "application/json", []byte(`{}`), 400, "inputs"},
		{"href", "application/json", []byte(`{"inputs": {"sites": {"href": "file:///etc/passwd"}}}`), 400, "references"},
		{"a path", "application/json", []byte(`{"inputs": {"sites": "/etc/passwd"}}`), 400, "not a path"},
		{"unknown input", "application/json", []byte(`{"inputs": {"sites": {"type":"FeatureCollection","features":[]}, "path": "/x"}}`), 400, "unknown input"},
		{"bad type", "application/geo+json", sitesB, 0, ""}, // placeholder replaced below
		{"body over --max-body", "application/geo+json", bytes.Repeat([]byte(" "), 2<<20), 413, "limit"},
		{"sites over --max-sites", "application/geo+json", []byte(many.String()), 413, "max-sites"},
		{"bow-tie site", "application/geo+json", []byte(bowtie), 422, "B1"},
		{"unknown content type", "text/plain", sitesB, 415, "Content-Type"},
		{"no content type", "", sitesB, 415, "Content-Type"},
		{"unknown file format", unknownType, unknownBody, 415, "unknown format"},
		{"zip bomb", bombType, bombBody, 413, "expands to more than"},
		{"zip-slip name", slipType, slipBody, 200, ""}, // read under its base name, never a path
		{"empty sites", "application/geo+json", []byte(`{"type":"FeatureCollection","features":[]}`), 400, "no features"},
	} {
		if c.code == 0 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			code, h, b := do(t, "POST", exec, c.ctype, c.body)
			if code != c.code || !strings.Contains(string(b), c.says) {
				t.Errorf("%d %s, want %d saying %q", code, b, c.code, c.says)
			}
			if code != 200 && h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("Content-Type %q", h.Get("Content-Type"))
			}
		})
	}
	// A 1 GB body announced by Content-Length is refused before it is read.
	req, _ := http.NewRequest("POST", exec, io.LimitReader(zeroReader{}, 1<<30))
	req.ContentLength = 1 << 30
	req.Header.Set("Content-Type", "application/geo+json")
	start := time.Now()
	resp, err := client.Do(req)
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 413 || !strings.Contains(string(b), "limit") {
			t.Errorf("1 GB body: %d %s", resp.StatusCode, b)
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("1 GB body took %v to refuse", d)
	}
	if code, _, _ := do(t, "GET", ts.URL+"/healthz", "", nil); code != 200 {
		t.Errorf("healthz after the hostile requests: %d", code)
	}
	// Memory returns to its level.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > 256<<20 {
		t.Errorf("heap %d MB after the hostile requests", ms.HeapAlloc>>20)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestAuthAndCORS(t *testing.T) {
	_, ts := startServer(t, demoCatalog(t), Config{Token: "s3cret", CORS: "http://app.example"})
	for _, c := range []struct {
		path, auth string
		code       int
	}{
		{"/collections", "", 401}, {"/collections", "Bearer wrong", 401}, {"/collections", "Bearer s3cret", 200},
		{"/healthz", "", 200}, {"/readyz", "", 200}, {"/web/app.js", "", 200}, {"/web/config.json", "", 401},
		{"/metrics", "", 401}, {"/jobs", "Bearer s3cret", 200},
	} {
		code, h, _ := do(t, "GET", ts.URL+c.path, "", nil, "Authorization", c.auth)
		if code != c.code {
			t.Errorf("GET %s with %q: %d, want %d", c.path, c.auth, code, c.code)
		}
		if code == 401 && h.Get("WWW-Authenticate") == "" {
			t.Errorf("401 without WWW-Authenticate")
		}
	}
	// The page itself is open (it asks for the token).
	if code, _, _ := do(t, "GET", ts.URL+"/", "", nil, "Accept", "text/html"); code != 200 {
		t.Errorf("page: %d", code)
	}
	code, h, _ := do(t, "OPTIONS", ts.URL+"/processes/screen/execution", "", nil, "Origin", "http://app.example",
		"Access-Control-Request-Method", "POST")
	if code != 204 || h.Get("Access-Control-Allow-Origin") != "http://app.example" {
		t.Errorf("preflight: %d %v", code, h)
	}
	_, h, _ = do(t, "GET", ts.URL+"/healthz", "", nil, "Origin", "http://evil.example")
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS for another origin: %v", h)
	}
	_, ts2 := startServer(t, demoCatalog(t), Config{})
	_, h, _ = do(t, "GET", ts2.URL+"/healthz", "", nil, "Origin", "http://app.example")
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS on without --cors")
	}
	if code, _, _ := do(t, "POST", ts2.URL+"/admin/reload", "", nil); code != 403 {
		t.Errorf("reload without a configured token: %d, want 403", code)
	}
}

// A full queue answers 503 with Retry-After; past --timeout, 504.
func TestQueueAndTimeout(t *testing.T) {
	cat := demoCatalog(t)
	release := make(chan struct{})
	s, ts := startServer(t, cat, Config{Workers: 1, Queue: 1, Timeout: 300 * time.Millisecond})
	// Hold the only worker and the only queue place.
	s.slots <- struct{}{}
	if err := s.enqueue(); err != nil {
		t.Fatal(err)
	}
	sitesB, _ := fs.ReadFile(sample.FS, sample.Sites)
	code, h, b := do(t, "POST", ts.URL+"/processes/screen/execution", "application/geo+json", sitesB)
	if code != 503 || h.Get("Retry-After") == "" || !strings.Contains(string(b), "queue") {
		t.Errorf("full queue: %d %q %s", code, h.Get("Retry-After"), b)
	}
	s.waiting.Add(-1) // free the queue place; the worker stays busy: the request times out waiting
	code, _, b = do(t, "POST", ts.URL+"/processes/screen/execution", "application/geo+json", sitesB)
	if code != 504 || !strings.Contains(string(b), "timeout") {
		t.Errorf("timeout: %d %s", code, b)
	}
	<-s.slots
	close(release)
	if code, _, _ := do(t, "POST", ts.URL+"/processes/screen/execution", "application/geo+json", sitesB); code != 200 {
		t.Errorf("after: %d", code)
	}
}

// Slow-loris: a client that never finishes its headers is cut off at
// ReadHeaderTimeout, and the server keeps serving others.
func TestSlowHeaders(t *testing.T) {
	s := New(Config{Load: func(context.Context) (*Catalog, error) { return demoCatalog(t), nil }, ReadHeaderTimeout: 300 * time.Millisecond})
	defer s.Close()
	s.Reload(context.Background())
	hs := s.HTTPServer("127.0.0.1:0")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	defer hs.Close()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err = bufio.NewReader(c).ReadByte()
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Errorf("connection with unfinished headers still open after 5 s")
			}
		}()
	}
	resp, err := client.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz while slow clients wait: %v", err)
	} else {
		resp.Body.Close()
	}
	wg.Wait()
}
