//go:build loadtest && linux

package server

// The load test: the real `redline serve` binary in its own process on
// loopback with a large layer loaded, 32 clients in the test process each
// sending single-site screens for 30 s. Run it (niced) with
//
//	REDLINE_LOADTEST_LAYER=/tmp/large/constraints.geojson REDLINE_LOADTEST_SITES=/tmp/large/sites.geojson \
//	  nice go test -tags loadtest -run 'LoadTest|SingleSite' -v -timeout 10m ./server/
//
// where /tmp/large is `gen_data.py --constraints 20000 --sites 5000 --regions 12 --seed 1 --out /tmp/large`
// (../shared/anchors). REDLINE_LOADTEST_CLIENTS and REDLINE_LOADTEST_SECONDS change the load,
// REDLINE_LOADTEST_WORKERS the server's executions at once (--workers; default: the cores).
// The server's memory is its own (/proc/PID/status), its CPU its own
// (process_cpu_seconds_total on /metrics) and its collector time its own
// (GODEBUG=gctrace=1 on its stderr): the clients' request bodies and garbage
// are not counted.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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

// procStatus is a "kB" line of /proc/PID/status (VmRSS, VmHWM) in bytes.
func procStatus(pid int, key string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// scrape reads the named samples (no labels) from the server's /metrics.
func scrape(t *testing.T, base string, names ...string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), " ")
		if ok && slices.Contains(names, name) {
			if got[name], err = strconv.ParseFloat(v, 64); err != nil {
				t.Fatalf("/metrics %s: %v", name, err)
			}
		}
	}
	for _, n := range names {
		if _, ok := got[n]; !ok {
			t.Fatalf("/metrics has no %s", n)
		}
	}
	return got
}

var (
	// A gctrace line: "gc 12 @3.4s 5%: 0.01+2.3+0.004 ms clock, 0.03+0.5/1.2/0.3+0.008 ms cpu, …";
	// the CPU fields are the two pauses and the assist, background and idle marking.
	gctraceRe = regexp.MustCompile(`(?m)^gc \d+ @[\d.]+s \d+%: [^,]* ms clock, ([\d.]+)\+([\d.]+)/([\d.]+)/([\d.]+)\+([\d.]+) ms cpu`)
	// An access-log record, which the runtime's gctrace writes can straddle.
	logRecordRe = regexp.MustCompile(`\{"time":[^\n]*\}\n`)
)

// gcTrace sums the collector's CPU time (s) over the gctrace lines in log.
func gcTrace(log []byte) (cycles int, cpu float64) {
	for _, m := range gctraceRe.FindAllSubmatch(logRecordRe.ReplaceAll(log, nil), -1) {
		cycles++
		for _, f := range m[1:] {
			ms, _ := strconv.ParseFloat(string(f), 64)
			cpu += ms / 1e3
		}
	}
	return cycles, cpu
}

// serveProc is a `redline serve` process started by startServe.
type serveProc struct {
	cmd     *exec.Cmd
	base    string        // http://127.0.0.1:PORT
	logPath string        // its stderr: access log and gctrace
	ready   time.Duration // from start to /readyz 200
	done    chan struct{} // closed when it has exited,
	err     error         // with cmd.Wait's result
}

// startServe builds ./cmd/redline and starts `redline serve` on a loopback
// port of its choosing, its stderr (access log, gctrace) in a file; it
// returns once the layers are loaded and /readyz answers 200. The server
// is killed at the end of the test unless stopServe stopped it.
func startServe(t *testing.T, args ...string) *serveProc {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "redline")
	build := exec.Command("go", "build", "-o", bin, "github.com/redline-gis/redline/cmd/redline")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	logPath := filepath.Join(dir, "serve.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlives the test
	started := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Kill()
			<-p.done
		}
	})
	base := ""
	deadline := time.Now().Add(5 * time.Minute) // reading and validating the large layer on a busy machine
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			b, _ := os.ReadFile(logPath)
			t.Fatalf("serve exited before it was ready: %v\n%s", p.err, tail(b))
		case <-time.After(100 * time.Millisecond):
		}
		if base == "" {
			b, _ := os.ReadFile(logPath)
			if m := regexp.MustCompile(`"msg":"listening","url":"(http://127\.0\.0\.1:\d+)"`).FindSubmatch(b); m != nil {
				base = string(m[1])
			}
			continue
		}
		// "layers loaded" is logged once serve has also returned the load's
		// memory to the OS (the soft limit); /readyz answers a moment before.
		if b, _ := os.ReadFile(logPath); !bytes.Contains(b, []byte(`"msg":"layers loaded"`)) {
			continue
		}
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				p.base, p.ready = base, time.Since(started)
				return p
			}
		}
	}
	t.Fatalf("serve not ready after 5 minutes (url %q)", base)
	return nil
}

// stopServe sends SIGTERM and asserts that the graceful shutdown finishes
// and the server exits 0.
func stopServe(t *testing.T, p *serveProc) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		if p.err != nil {
			b, _ := os.ReadFile(p.logPath)
			t.Errorf("serve after SIGTERM: %v, want exit 0\n%s", p.err, tail(b))
		}
	case <-time.After(time.Minute):
		t.Errorf("serve still running a minute after SIGTERM")
	}
}

func tail(b []byte) []byte { return b[max(0, len(b)-4000):] }

func TestLoadTest(t *testing.T) {
	layerPath, sitesPath := os.Getenv("REDLINE_LOADTEST_LAYER"), os.Getenv("REDLINE_LOADTEST_SITES")
	if layerPath == "" || sitesPath == "" {
		t.Skip("set REDLINE_LOADTEST_LAYER and REDLINE_LOADTEST_SITES (see the comment at the top of this file)")
	}
	clients, seconds := envInt("REDLINE_LOADTEST_CLIENTS", 32), envInt("REDLINE_LOADTEST_SECONDS", 30)
	workers := envInt("REDLINE_LOADTEST_WORKERS", runtime.NumCPU())

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

	srv := startServe(t, "--layer", "redline="+layerPath,
		"--workers", strconv.Itoa(workers), "--queue", strconv.Itoa(4*clients))
	base, pid := srv.base, srv.cmd.Process.Pid
	rssReady := procStatus(pid, "VmRSS")                                                     // the layers, indexed, after serve returned the load's memory
	hwmReset := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil // VmHWM := VmRSS

	metricNames := []string{"process_cpu_seconds_total", "go_memstats_alloc_bytes_total", "go_gc_duration_seconds_count"}
	m0 := scrape(t, base, metricNames...)
	log0, _ := os.Stat(srv.logPath)
	var peak atomic.Int64
	peak.Store(rssReady)
	stopRSS, rssDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(rssDone)
		tk := time.NewTicker(100 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stopRSS:
				return
			case <-tk.C:
				if r := procStatus(pid, "VmRSS"); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()

	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	url := base + "/processes/screen/execution?type=other&near=0"
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var errs, next atomic.Int64
	var firstErr atomic.Value
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
						firstErr.CompareAndSwap(nil, err.Error())
					}
					continue
				}
				io.Copy(io.Discard, resp.Body) // no garbage of the client's own
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, resp.Status)
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
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	close(stopRSS)
	<-rssDone
	m1 := scrape(t, base, metricNames...)
	log1, _ := os.Stat(srv.logPath)
	hwm := procStatus(pid, "VmHWM")
	logb, err := os.ReadFile(srv.logPath)
	if err != nil {
		t.Fatal(err)
	}
	cycles, gcCPU := gcTrace(logb[log0.Size():log1.Size()])
	stopServe(t, srv)

	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	cpu := m1["process_cpu_seconds_total"] - m0["process_cpu_seconds_total"]
	tv := func(tv syscall.Timeval) float64 { return float64(tv.Sec) + float64(tv.Usec)/1e6 }
	clientCPU := tv(ru1.Utime) + tv(ru1.Stime) - tv(ru0.Utime) - tv(ru0.Stime)
	var layers struct{ Features, Seconds float64 }
	if m := regexp.MustCompile(`(?m)^\{[^\n]*"msg":"layers loaded"[^\n]*\}$`).Find(logb); m != nil {
		json.Unmarshal(m, &layers)
	}
	t.Logf("server: redline serve in its own process, --workers %d; %.0f features loaded in %.1f s, ready %.1f s after start",
		workers, layers.Features, layers.Seconds, srv.ready.Seconds())
	t.Logf("load: %d clients (this process) × %d s on %d cores", clients, seconds, runtime.NumCPU())
	t.Logf("requests: %d ok, %d errors, %.0f req/s", len(lat), errs.Load(), float64(len(lat))/elapsed.Seconds())
	t.Logf("latency: p50 %v, p90 %v, p99 %v, max %v (target p99 ≤ 25 ms)", q(0.50), q(0.90), q(0.99), q(1))
	peakNote := fmt.Sprintf("VmRSS sampled every 100 ms; VmHWM %.0f MB, not reset since the load", mb(hwm))
	if hwmReset {
		peakNote = fmt.Sprintf("VmHWM since ready; %.0f MB sampled every 100 ms", mb(peak.Load()))
		peak.Store(max(peak.Load(), hwm))
	}
	t.Logf("server RSS: %.0f MB ready (the layers' resident size), peak %.0f MB under load (%s): %.2f × (target ≤ 1.3 ×)",
		mb(rssReady), mb(peak.Load()), peakNote, float64(peak.Load())/float64(rssReady))
	t.Logf("server CPU: %.1f s under load (%.0f µs per request); collector %.1f s = %.0f %% of it over %d cycles (gctrace; %.0f on /metrics); %.1f kB allocated per request",
		cpu, 1e6*cpu/float64(max(1, len(lat))), gcCPU, 100*gcCPU/cpu, cycles,
		m1["go_gc_duration_seconds_count"]-m0["go_gc_duration_seconds_count"],
		(m1["go_memstats_alloc_bytes_total"]-m0["go_memstats_alloc_bytes_total"])/float64(max(1, len(lat)))/1e3)
	t.Logf("clients' CPU (the test process): %.1f s", clientCPU)
	if errs.Load() > 0 {
		t.Errorf("%d failed requests, the first: %v", errs.Load(), firstErr.Load())
	}
	if len(lat) == 0 {
		t.Error("no request answered")
	}
	if cycles == 0 && m1["go_gc_duration_seconds_count"] > m0["go_gc_duration_seconds_count"] {
		t.Error("the collector ran but no gctrace line was read from the server's stderr")
	}
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
		req := &execRequest{process: "screen", uploads: map[string]*upload{"sites": {files: memFS{"sites.geojson": body}, name: "sites.geojson"}}, typ: "other"} // near 0: the PostGIS query measures overlaps only, as the load test does
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
