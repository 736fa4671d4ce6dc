package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redline-gis/redline/data"
)

// Config holds the service's knobs; zero fields take the documented default.
type Config struct {
	Load     Loader
	Token    string        // Bearer token; "" = no authentication (loopback only, the command checks)
	MaxBody  int64         // request body limit in bytes (default 64 MiB)
	MaxSites int           // sites per execution (default 10 000)
	Timeout  time.Duration // per execution (default 120 s)
	Workers  int           // executions at once (default: the number of cores)
	Queue    int           // executions waiting for a worker before 503 (default 64)
	JobTTL   time.Duration // how long finished jobs are kept (default 24 h)
	CORS     string        // allowed Origin; "" = CORS off
	Logger   *slog.Logger  // access log and events (default: discard)
	Version  string
	// ReadHeaderTimeout cuts off clients that send headers slowly (default 10 s).
	ReadHeaderTimeout time.Duration
	// LimitMemory sets the collector's soft memory limit after each load to
	// a little above the live heap (the layers), so the heap does not double
	// under load; GOMEMLIMIT, when set, wins. It is process-wide: the
	// command sets it, tests leave it off.
	LimitMemory bool
	// Read are the defaults for reading uploaded site files (id field).
	Read data.ReadOptions
}

func (c *Config) defaults() {
	if c.MaxBody <= 0 {
		c.MaxBody = 64 << 20
	}
	if c.MaxSites <= 0 {
		c.MaxSites = 10_000
	}
	if c.Timeout <= 0 {
		c.Timeout = 120 * time.Second
	}
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.Queue <= 0 {
		c.Queue = 64
	}
	if c.JobTTL <= 0 {
		c.JobTTL = 24 * time.Hour
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = 10 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Server is the service. Create it with New, load the layers with Reload,
// serve Handler, and Close it when done.
type Server struct {
	cfg     Config
	cat     atomic.Pointer[Catalog]
	mux     *http.ServeMux
	slots   chan struct{} // one per worker
	waiting atomic.Int64
	jobs    *jobStore
	m       *metrics
	reload  sync.Mutex
	ctx     context.Context // parent of async jobs; cancelled by Close
	cancel  context.CancelFunc
	running sync.WaitGroup // async jobs in progress
}

// New builds a server; it serves 503 on /readyz until Reload succeeds.
func New(cfg Config) *Server {
	cfg.defaults()
	s := &Server{cfg: cfg, mux: http.NewServeMux(), slots: make(chan struct{}, cfg.Workers), m: newMetrics()}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.jobs = newJobStore(cfg.JobTTL, s.m)
	s.routes()
	go s.jobs.sweep(s.ctx)
	return s
}

// Reload loads the layers afresh and swaps them in atomically; on failure
// the old layers stay and the error says why. Requests in flight keep the
// catalog they started with.
func (s *Server) Reload(ctx context.Context) error {
	s.reload.Lock()
	defer s.reload.Unlock()
	if s.cfg.Load == nil {
		return errors.New("server: no layer loader")
	}
	start := time.Now()
	c, err := s.cfg.Load(ctx)
	if err != nil {
		s.m.reloads.WithLabelValues("failed").Inc()
		s.cfg.Logger.Error("reload failed, keeping the layers in service", "err", err.Error())
		return fmt.Errorf("server: reload failed, the old layers stay in service: %w", err)
	}
	// Validate every layer feature now, once, rather than in the first
	// requests that touch it; each request applies its own invalid policy.
	for _, l := range c.Layers {
		n, err := l.Validate(ctx, 0)
		if err != nil {
			s.m.reloads.WithLabelValues("failed").Inc()
			if c.Close != nil && c.life == nil {
				c.Close()
			}
			return fmt.Errorf("server: reload failed, the old layers stay in service: %w", err)
		}
		if n > 0 {
			s.cfg.Logger.Warn("layer has invalid features: requests stop on them unless they send repair or skip_invalid",
				"layer", l.Name, "invalid", n)
		}
	}
	if c.Loaded.IsZero() {
		c.Loaded = time.Now()
	}
	if c.Close != nil {
		if c.life != nil {
			s.m.reloads.WithLabelValues("failed").Inc()
			return errors.New("server: reload failed, the old layers stay in service: the loader gave a catalog with a Close again (it must build a new one)")
		}
		c.life = &life{} // before it is published: no request sees it yet
	}
	if old := s.cat.Swap(c); old != nil && old != c {
		old.retire() // its pools close when the last request on it is done
	}
	s.m.setLayers(c)
	if s.cfg.LimitMemory {
		limitMemory()
	}
	s.m.reloads.WithLabelValues("ok").Inc()
	s.cfg.Logger.Info("layers loaded", "layers", len(c.Layers), "features", c.features(),
		"seconds", time.Since(start).Seconds(), "illustrative", c.Note != "")
	return nil
}

// Catalog is the catalog in service, nil before the first load.
func (s *Server) Catalog() *Catalog { return s.cat.Load() }

// Close cancels the asynchronous jobs still running and waits for them.
func (s *Server) Close() {
	s.cancel()
	s.running.Wait()
	if c := s.cat.Swap(nil); c != nil {
		c.retire()
	}
}

// Drain waits up to ctx for the asynchronous jobs in progress to finish.
func (s *Server) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() { s.running.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// HTTPServer is an http.Server for addr with every timeout set: slow
// clients cannot hold a connection, and a response may take as long as
// one execution.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       5 * time.Minute, // a --max-body upload on a slow line
		WriteTimeout:      s.cfg.Timeout + 5*time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
	}
}

func (s *Server) routes() {
	h := s.mux.HandleFunc
	h("GET /{$}", s.landing)
	h("GET /web/", s.webAsset)
	h("GET /web/config.json", s.webConfig)
	h("GET /conformance", s.conformance)
	h("GET /api", s.api)
	h("GET /healthz", s.healthz)
	h("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", s.m.handler())
	h("GET /collections", s.ready(s.collections))
	h("GET /collections/{layer}", s.ready(s.collection))
	h("GET /collections/{layer}/items", s.ready(s.items))
	h("GET /collections/{layer}/items/{fid}", s.ready(s.item))
	h("GET /processes", s.processList)
	h("GET /processes/{id}", s.processDesc)
	h("POST /processes/{id}/execution", s.ready(s.execute))
	h("GET /jobs", s.jobList)
	h("GET /jobs/{id}", s.jobStatus)
	h("GET /jobs/{id}/results", s.jobResults)
	h("GET /jobs/{id}/sites", s.jobSites)
	h("DELETE /jobs/{id}", s.jobDismiss)
	h("POST /admin/reload", s.adminReload)
	h("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, statusErr(http.StatusNotFound, "no such resource %s", r.URL.Path))
	})
}

// ready answers 503 until the layers are loaded.
func (s *Server) ready(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cat.Load() == nil {
			writeProblem(w, r, &httpError{status: http.StatusServiceUnavailable, retryAfter: 5,
				err: errors.New("the layers are still loading")})
			return
		}
		next(w, r)
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	c := s.cat.Load()
	if c == nil {
		writeProblem(w, r, &httpError{status: http.StatusServiceUnavailable, retryAfter: 5,
			err: errors.New("the layers are still loading")})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ready": true, "layers": len(c.Layers), "features": c.features(),
		"loaded": c.Loaded.UTC().Format(time.RFC3339), "illustrative": c.Note != ""})
}

func (s *Server) adminReload(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Token == "" {
		writeProblem(w, r, statusErr(http.StatusForbidden, "reload over HTTP needs a token: start the server with --token-file (or send SIGHUP)"))
		return
	}
	if err := s.Reload(r.Context()); err != nil {
		writeProblem(w, r, statusErr(http.StatusInternalServerError, "%v", err))
		return
	}
	c := s.cat.Load()
	writeJSON(w, http.StatusOK, map[string]any{"reloaded": true, "layers": len(c.Layers), "features": c.features(),
		"loaded": c.Loaded.UTC().Format(time.RFC3339)})
}

// Handler is the service with its middleware: access log and metrics,
// authentication, CORS, and the illustrative-data header.
func (s *Server) Handler() http.Handler {
	return s.observe(s.cors(s.auth(s.noteHeader(s.mux))))
}

// open paths need no token: probes, and the page and its assets (the page
// asks for the token and sends it with every call).
func openPath(r *http.Request) bool {
	p := r.URL.Path
	return p == "/healthz" || p == "/readyz" || (strings.HasPrefix(p, "/web/") && p != "/web/config.json") ||
		(p == "/" && r.Method == http.MethodGet && wantsHTML(r)) || r.Method == http.MethodOptions
}

func (s *Server) auth(next http.Handler) http.Handler {
	if s.cfg.Token == "" {
		return next
	}
	want := []byte("Bearer " + s.cfg.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if !openPath(r) && subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="redline"`)
			writeProblem(w, r, statusErr(http.StatusUnauthorized, "missing or wrong token: send Authorization: Bearer TOKEN"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) cors(next http.Handler) http.Handler {
	if s.cfg.CORS == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" && (s.cfg.CORS == "*" || o == s.cfg.CORS) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", o)
			h.Add("Vary", "Origin")
			h.Set("Access-Control-Expose-Headers", "Location, Retry-After, Redline-Data, Redline-Findings")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, Prefer")
				h.Set("Access-Control-Max-Age", "600")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// noteHeader marks every response made on illustrative layers.
func (s *Server) noteHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := s.cat.Load(); c != nil && c.Note != "" {
			w.Header().Set("Redline-Data", "illustrative, not official data (demo layers)")
		}
		next.ServeHTTP(w, r)
	})
}

// recorder keeps the status and size of a response for the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe logs one line per request and counts it; the route is the mux
// pattern, so ids in paths do not make new series.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.m.inFlight.Inc()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			s.m.inFlight.Dec()
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "other"
			}
			d := time.Since(start)
			s.m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
			s.m.latency.WithLabelValues(route).Observe(d.Seconds())
			s.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("route", route), slog.String("path", r.URL.Path),
				slog.Int("status", rec.status), slog.Float64("ms", float64(d.Microseconds())/1000),
				slog.Int64("bytes", rec.bytes), slog.String("remote", r.RemoteAddr))
		}()
		next.ServeHTTP(rec, r)
	})
}
