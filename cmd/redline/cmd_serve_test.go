package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/server"
)

// serveFor starts the service on the layers of specs, loaded as `serve` does.
func serveFor(t *testing.T, args []string) string {
	t.Helper()
	specs, err := parseLayerSpecs(args)
	if err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Config{Load: serveLoader(specs, "", "", data.ReadOptions{}, 0, io.Discard)})
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts.URL
}

func post(t *testing.T, url, ctype string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, ctype, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// The service's screen document is the CLI's, byte for byte, for the same
// input: on the hand-drawn fixtures and on the anchors' set (whose numbers
// agree with PostGIS, TestScreenAgainstPostGIS), so that agreement carries over.
func TestServeJSONIsTheCLIs(t *testing.T) {
	layerArgs := func(args []string) (specs []string) {
		for i := 1; i < len(args); i += 2 {
			specs = append(specs, args[i])
		}
		return specs
	}
	dir := t.TempDir()
	anchorSites, anchorCons := filepath.Join(dir, "sites.geojson"), filepath.Join(dir, "constraints.geojson")
	gunzipTo(t, "../../testdata/anchors/sites.geojson.gz", anchorSites)
	gunzipTo(t, "../../testdata/anchors/constraints.geojson.gz", anchorCons)
	type serveCase struct {
		name   string
		sites  string
		layers []string
		query  string
		cli    []string
	}
	var cases []serveCase
	for _, c := range []serveCase{
		{"testdata", "../../testdata/sites.geojson", fixtureLayers, "", nil},
		{"testdata near 500m type industrial", "../../testdata/sites.geojson", fixtureLayers, "?near=500m&type=industrial",
			[]string{"--near", "500m", "--type", "industrial"}},
		{"anchors", anchorSites, []string{"--layer", "redline=" + anchorCons}, "?type=other&near=0", []string{"--type", "other", "--near", "0"}},
	} {
		cases = append(cases, c)
	}
	// More of the anchors' sets (gen_data.py output folders), where given:
	// REDLINE_ANCHORS_DIRS=/tmp/anc/small,/tmp/anc/medium.
	for _, d := range strings.Split(os.Getenv("REDLINE_ANCHORS_DIRS"), ",") {
		if d == "" {
			continue
		}
		cases = append(cases, serveCase{"anchors " + d, filepath.Join(d, "sites.geojson"),
			[]string{"--layer", "redline=" + filepath.Join(d, "constraints.geojson")}, "?type=other&near=0", []string{"--type", "other", "--near", "0"}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append(append([]string{"screen", c.sites}, c.layers...), "--format", "json", "--fail-on", "never")
			code, want, errOut := runCLI(t, append(args, c.cli...)...)
			if code != 0 {
				t.Fatalf("CLI exit %d: %s", code, errOut)
			}
			url := serveFor(t, layerArgs(c.layers))
			body, err := os.ReadFile(c.sites)
			if err != nil {
				t.Fatal(err)
			}
			status, got := post(t, url+"/processes/screen/execution"+c.query, "application/geo+json", body)
			if status != 200 {
				t.Fatalf("%d %s", status, got)
			}
			if !bytes.Equal(got, []byte(want)) {
				t.Errorf("the service's document differs from the CLI's (%d vs %d bytes)\n got %.400s\nwant %.400s", len(got), len(want), got, want)
			}
		})
	}
}

func TestServeCommand(t *testing.T) {
	// A non-loopback address without a token refuses to start (usage, exit 2).
	code, _, errOut := runCLI(t, "serve", "--addr", "0.0.0.0:0")
	if code != exitUsage || !strings.Contains(errOut, "--token-file") {
		t.Errorf("non-loopback without token: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "serve", "--max-body", "lots"); code != exitUsage {
		t.Errorf("--max-body lots: exit %d", code)
	}
	// The demo layers by default; the command stops cleanly when its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	log := &syncWriter{}
	go func() {
		done <- runServe(ctx, serveOptions{addr: "127.0.0.1:0", logFormat: "json", shutdownTimeout: 5 * time.Second, stderr: log},
			func(a string) { addr <- a })
	}()
	base := "http://" + <-addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				if resp.Header.Get("Redline-Data") == "" {
					t.Error("demo layers without the illustrative-data header")
				}
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("not ready after 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// SIGHUP loads the layers afresh.
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(log.String(), "reloaded on SIGHUP") {
		if time.Now().After(deadline) {
			t.Fatal("no reload after SIGHUP")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no shutdown after 10 s")
	}
	if !strings.Contains(log.String(), `"msg":"request"`) || !strings.Contains(log.String(), `"route":"GET /readyz"`) {
		t.Errorf("no JSON access log: %s", log.String())
	}
	if strings.Contains(log.String(), "Bearer") {
		t.Error("the log holds a token")
	}
}

func TestParseBytes(t *testing.T) {
	for s, want := range map[string]int64{"64MB": 64 << 20, "512KB": 512 << 10, "1GB": 1 << 30, "100": 100, "2 MiB": 2 << 20} {
		if got, err := parseBytes(s); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "MB", "-1MB", "1.5MB", "10TB"} {
		if _, err := parseBytes(s); err == nil {
			t.Errorf("parseBytes(%q): no error", s)
		}
	}
}

// syncWriter lets the server's goroutines log into one buffer.
type syncWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// The service's diff document is `redline diff --format json`'s, byte for
// byte, for the same files uploaded (names and CRSs included): the
// hand-drawn fixtures with regions, land use and --min-area, and NEW in
// Gauss-Krüger as a shapefile's parts.
func TestServeDiffJSONIsTheCLIs(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"diff_old.geojson", "diff_new.geojson", "diff_regions.geojson", "diff_landuse.geojson"} {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir) // the CLI names its inputs as given: give the upload names
	if code, _, errOut := runCLI(t, "convert", "diff_new.geojson", "new_gk.shp", "--to", "EPSG:4521"); code != 0 {
		t.Fatalf("convert: %s", errOut)
	}
	url := serveFor(t, nil) + "/processes/diff/execution"
	for _, c := range []struct {
		name   string
		files  map[string][]string // input → files
		fields map[string]string
		cli    []string
		has    string // in the document: the case tests what it says
	}{
		{"fixtures", map[string][]string{"old": {"diff_old.geojson"}, "new": {"diff_new.geojson"},
			"regions": {"diff_regions.geojson"}, "landuse": {"diff_landuse.geojson"}},
			map[string]string{"by": "DLMC", "min_area": "1m2"},
			[]string{"diff_old.geojson", "diff_new.geojson", "--regions", "diff_regions.geojson", "--landuse", "diff_landuse.geojson",
				"--by", "DLMC", "--min-area", "1m2"}, `"class_field": "DLMC"`},
		{"CRS mix", map[string][]string{"old": {"diff_old.geojson"}, "new": {"new_gk.shp", "new_gk.shx", "new_gk.dbf", "new_gk.prj"}},
			nil, []string{"diff_old.geojson", "new_gk.shp"}, "4521"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, want, errOut := runCLI(t, append([]string{"diff", "--format", "json"}, c.cli...)...)
			if code != 0 {
				t.Fatalf("CLI exit %d: %s", code, errOut)
			}
			if !strings.Contains(want, c.has) {
				t.Fatalf("CLI document without %s: %.400s", c.has, want)
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for input, names := range c.files {
				for _, n := range names {
					b, err := os.ReadFile(n)
					if err != nil {
						t.Fatal(err)
					}
					w, _ := mw.CreateFormFile(input, n)
					w.Write(b)
				}
			}
			for k, v := range c.fields {
				mw.WriteField(k, v)
			}
			mw.Close()
			status, got := post(t, url, mw.FormDataContentType(), body.Bytes())
			if status != 200 {
				t.Fatalf("%d %s", status, got)
			}
			if !bytes.Equal(got, []byte(want)) {
				t.Errorf("the service's document differs from the CLI's (%d vs %d bytes)\n got %.600s\nwant %.600s", len(got), len(want), got, want)
			}
		})
	}
}
