package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/sample"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
	"github.com/redline-gis/redline/server"
)

type serveOptions struct {
	layers          []layerSpec
	config          string
	rules           string
	addr            string
	tokenFile       string
	insecureNoAuth  bool
	cfg             server.Config
	logFormat       string
	shutdownTimeout time.Duration
	read            data.ReadOptions
	dbLimit         int // rows above which a layer table stays in the database (pushdown)
	stderr          io.Writer
}

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "the screening service: OGC API Features and Processes, jobs, and a web page (HTTP)",
		Description: "Loads the layers once and answers over HTTP: GET / (web page, or JSON links), /collections (OGC API\n" +
			"Features: QGIS and GDAL's OAPIF driver open them), /processes/{screen,share,diff}/execution (OGC API Processes;\n" +
			"Prefer: respond-async makes a job), /jobs, /healthz, /readyz, /metrics (Prometheus).\n" +
			"Without --layer/--config it serves the embedded demo layers (illustrative, not official data).\n" +
			"A layer table (postgresql://…?table=…) above --db-load-limit rows, or with &mode=pushdown, stays in PostGIS:\n" +
			"each request reads only the features it needs (by box), so a national table can stand behind it.\n" +
			"A non-loopback --addr needs --token-file (clients send Authorization: Bearer TOKEN) or --insecure-no-auth.\n" +
			"SIGHUP or POST /admin/reload loads the layers afresh and swaps them in; a failed reload keeps the old ones.\n" +
			"SIGTERM/SIGINT stop accepting and finish the work in flight (up to --shutdown-timeout).",
		Flags: append(readFlags(),
			&cli.StringSliceFlag{Name: "layer", Aliases: []string{"l"}, Usage: "constraint layer KIND=PATH (repeatable)"},
			&cli.StringFlag{Name: "config", Usage: "layers file (YAML), as for screen (its by: and access_list: apply to every screening)"},
			&cli.StringFlag{Name: "rules", Usage: "rule book file (YAML) extending the default one"},
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "listen address"},
			&cli.StringFlag{Name: "token-file", Usage: "file holding the Bearer token clients must send"},
			&cli.BoolFlag{Name: "insecure-no-auth", Usage: "allow a non-loopback --addr without a token"},
			&cli.StringFlag{Name: "max-body", Value: "64MB", Usage: "largest request body (KB, MB, GB)"},
			&cli.IntFlag{Name: "max-sites", Value: 10000, Usage: "most features per uploaded layer (sites; share's regions; diff's OLD, NEW, regions, land use)"},
			&cli.DurationFlag{Name: "timeout", Value: 120 * time.Second, Usage: "longest execution (then 504)"},
			&cli.IntFlag{Name: "workers", Usage: "executions at once (default: the number of cores)"},
			&cli.IntFlag{Name: "queue", Value: 64, Usage: "executions waiting for a worker before 503 + Retry-After"},
			&cli.DurationFlag{Name: "job-ttl", Value: 24 * time.Hour, Usage: "how long finished jobs and their results are kept"},
			&cli.StringFlag{Name: "cors", Usage: "allow cross-origin requests from this origin (* for any); off by default"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "access log on stderr: text or json"},
			&cli.IntFlag{Name: "db-load-limit", Value: defaultDBLoadLimit, Usage: "a layer table with more rows is not loaded: requests read it by box (pushdown)"},
			&cli.DurationFlag{Name: "shutdown-timeout", Value: 30 * time.Second, Usage: "how long SIGTERM waits for work in flight"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usageErr("serve takes no arguments, got %q", c.Args().First())
			}
			maxBody, err := parseBytes(c.String("max-body"))
			if err != nil {
				return usageErr("--max-body: %v", err)
			}
			if c.String("log-format") != "text" && c.String("log-format") != "json" {
				return usageErr("--log-format %q: want text or json", c.String("log-format"))
			}
			specs, err := parseLayerSpecs(c.StringSlice("layer"))
			if err != nil {
				return err
			}
			opt := serveOptions{layers: specs, config: c.String("config"), rules: c.String("rules"),
				addr: c.String("addr"), tokenFile: c.String("token-file"), insecureNoAuth: c.Bool("insecure-no-auth"),
				logFormat: c.String("log-format"), shutdownTimeout: c.Duration("shutdown-timeout"),
				read: readOptions(c), dbLimit: c.Int("db-load-limit"), stderr: c.App.ErrWriter,
				cfg: server.Config{MaxBody: maxBody, MaxSites: c.Int("max-sites"), Timeout: c.Duration("timeout"),
					Workers: c.Int("workers"), Queue: c.Int("queue"), JobTTL: c.Duration("job-ttl"), CORS: c.String("cors"),
					Version: version, LimitMemory: true}}
			return runServe(c.Context, opt, nil)
		},
	}
}

// runServe serves until ctx ends or a SIGTERM/SIGINT; listening is called
// with the bound address once the socket is open (tests; nil: none).
func runServe(ctx context.Context, opt serveOptions, listening func(addr string)) error {
	loopback, err := isLoopback(opt.addr)
	if err != nil {
		return usageErr("--addr %q: %v", opt.addr, err)
	}
	if opt.tokenFile != "" {
		b, err := os.ReadFile(opt.tokenFile)
		if err != nil {
			return fmt.Errorf("--token-file: %w", err)
		}
		if opt.cfg.Token = strings.TrimSpace(string(b)); opt.cfg.Token == "" {
			return fmt.Errorf("--token-file %s: the file is empty", opt.tokenFile)
		}
	} else if !loopback && !opt.insecureNoAuth {
		return usageErr("--addr %s is not a loopback address: give --token-file (or --insecure-no-auth to serve without authentication)", opt.addr)
	}
	var h slog.Handler = slog.NewTextHandler(opt.stderr, nil)
	if opt.logFormat == "json" {
		h = slog.NewJSONHandler(opt.stderr, nil)
	}
	log := slog.New(h)
	opt.cfg.Logger, opt.cfg.Read = log, opt.read
	opt.cfg.Load = serveLoader(opt.layers, opt.config, opt.rules, opt.read, opt.dbLimit, opt.stderr)
	srv := server.New(opt.cfg)
	defer srv.Close()

	ln, err := net.Listen("tcp", opt.addr)
	if err != nil {
		return err
	}
	hs := srv.HTTPServer(opt.addr)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	log.Info("listening", "url", "http://"+ln.Addr().String(), "auth", opt.cfg.Token != "")
	if listening != nil {
		listening(ln.Addr().String())
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer signal.Stop(sigs)
	if err := srv.Reload(ctx); err != nil { // /readyz answers 503 until this is done
		hs.Close()
		return err
	}
	if c := srv.Catalog(); c.Note != "" {
		log.Warn("serving the embedded demo layers: illustrative, not official data (give --layer or --config for real layers)")
	}
	for {
		select {
		case err := <-served:
			return err
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				if err := srv.Reload(ctx); err == nil {
					log.Info("reloaded on SIGHUP")
				}
				continue
			}
			log.Info("shutting down", "signal", sig.String())
		case <-ctx.Done():
			log.Info("shutting down")
		}
		sctx, cancel := context.WithTimeout(context.Background(), opt.shutdownTimeout)
		defer cancel()
		err := hs.Shutdown(sctx) // stop accepting; finish the requests in flight
		if derr := srv.Drain(sctx); err == nil {
			err = derr // and the jobs in flight
		}
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		return err
	}
}

// serveLoader reads the layers of --layer/--config (or the embedded demo
// layers) the way screen reads them; it is called at start and on reload.
// A table above dbLimit rows (or with mode=pushdown) is not loaded: it
// stays in the database and requests read it by box (serveTables).
func serveLoader(specs []layerSpec, config, rules string, ro data.ReadOptions, dbLimit int, stderr io.Writer) server.Loader {
	return func(ctx context.Context) (*server.Catalog, error) {
		var srcs []report.Source
		read := func(path string, o data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
			l, info, err := readLayer(path, o)
			if err == nil {
				srcs = append(srcs, reportSource(path, l, info))
			}
			return l, info, err
		}
		cat := &server.Catalog{}
		if len(specs) == 0 && config == "" {
			var cfgs []data.ConfigLayer
			for _, l := range sample.Layers {
				cfgs = append(cfgs, data.ConfigLayer{Kind: l.Kind, Path: l.File})
			}
			demoRead := func(name string, o data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
				l, info, err := readSample(name, o)
				if err == nil {
					srcs = append(srcs, reportSource(name, l, info))
				}
				return l, info, err
			}
			layers, err := readConstraints(cfgs, data.ReadOptions{}, false, stderr, demoRead)
			if err != nil {
				return nil, err
			}
			cat.Layers, cat.Note = layers, sample.Note
		} else {
			sdb := newScreenDB(ctx, dbLimit)
			layers, fc, err := loadConstraints(specs, config, ro, false, stderr,
				sdb.wrap(read, func(src report.Source) { srcs = append(srcs, src) }))
			if err == nil {
				err = serveTables(ctx, sdb, layers, cat)
			}
			if err != nil {
				sdb.Close()
				return nil, err
			}
			cat.Layers, cat.By = layers, fc.by
			if rules == "" {
				rules = fc.rules
			}
			if cat.Access, err = loadAccessList(fc.access, layers, stderr); err != nil {
				if cat.Close != nil {
					cat.Close()
				}
				return nil, err
			}
		}
		rb, err := loadRules(rules)
		if err != nil {
			if cat.Close != nil {
				cat.Close()
			}
			return nil, err
		}
		cat.Rules, cat.Sources = rb, nameSources(srcs, cat.Layers)
		return cat, nil
	}
}

// isLoopback says whether addr's host is a loopback address ("" and
// 0.0.0.0 are every interface).
func isLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// parseBytes reads "64MB", "512KB", "1GB", "1048576" (KB = 1024 bytes).
func parseBytes(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v <= 0 || v > (1<<50)/mult {
		return 0, fmt.Errorf("%q is not a size (e.g. 64MB)", s)
	}
	return v * mult, nil
}
