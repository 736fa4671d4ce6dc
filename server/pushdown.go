package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/screenpush"
)

// screenPushdown screens sites as the CLI screens by pushdown: per batch of
// sites, the candidates are fetched from the tables into a cache of this
// request alone. It returns the result and a copy of c whose pushdown
// layers hold the features fetched (the HTML report's maps).
func (s *Server) screenPushdown(ctx context.Context, c *Catalog, sites *geo.Layer, opt analysis.ScreenOptions) (*analysis.ScreenResult, *Catalog, error) {
	layers := make([]screenpush.Layer, len(c.Layers))
	for i, l := range c.Layers {
		t := c.table(l)
		if t == nil {
			layers[i] = screenpush.Layer{Loaded: l}
			continue
		}
		cache, err := postgis.NewCache(t.Table, t.Read)
		if err != nil {
			return nil, nil, err
		}
		layers[i] = screenpush.Layer{Pool: t.Pool, Cache: cache, Cfg: t.Cfg, Total: t.Total}
	}
	res, st, err := screenpush.Screen(ctx, sites, layers, c.Rules, opt, screenpush.DefaultBatch)
	if err != nil {
		return nil, nil, err
	}
	s.m.observePushdown(st, sites.Len())
	shown := *c
	shown.Layers = append([]*analysis.Constraint(nil), c.Layers...)
	for i, sl := range layers {
		if sl.Cache == nil {
			continue
		}
		if shown.Layers[i], err = analysis.NewConstraint(sl.Cache.All(), sl.Cfg); err != nil {
			return nil, nil, fmt.Errorf("layer %s: %w", sl.Cfg.Name, err)
		}
	}
	return res, &shown, nil
}

// pushdownMetrics say what screening by pushdown costs: round trips, their
// time (decoding included), rows fetched and sites screened, so that the
// time per batch and the rows per site can be read off /metrics.
type pushdownMetrics struct {
	batches, queries, seconds, rows, sites prometheus.Counter
}

func (p *pushdownMetrics) register(reg *prometheus.Registry) {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	p.batches = c("redline_pushdown_batches_total", "Batches of sites screened by pushdown.")
	p.queries = c("redline_pushdown_queries_total", "Candidate queries sent to PostGIS by pushdown screening.")
	p.seconds = c("redline_pushdown_query_seconds_total", "Time spent in those queries, decoding included.")
	p.rows = c("redline_pushdown_rows_total", "Rows those queries fetched.")
	p.sites = c("redline_pushdown_sites_total", "Sites screened by pushdown.")
	reg.MustRegister(p.batches, p.queries, p.seconds, p.rows, p.sites)
}

func (m *metrics) observePushdown(st screenpush.Stats, sites int) {
	p := &m.pushdown
	p.batches.Add(float64(st.Batches))
	p.queries.Add(float64(st.Queries))
	p.seconds.Add(st.QueryTime.Seconds())
	p.rows.Add(float64(st.Fetched))
	p.sites.Add(float64(sites))
}

// tableItems answers a page of a pushdown layer's items: the table is
// queried by box (the GiST index), one page at a time, never whole; the
// features are those a loaded layer gives for the same query, in the same
// order (fid), with numberMatched counted with the same predicate.
func (s *Server) tableItems(w http.ResponseWriter, r *http.Request, c *Catalog, t *TableLayer) {
	b, offset, limit, err := pageParams(r.URL.Query())
	if err != nil {
		writeProblem(w, r, statusErr(http.StatusBadRequest, "%v", err))
		return
	}
	ctx := r.Context()
	matched := t.Total
	if b != nil {
		if matched, err = postgis.CountBox(ctx, t.Pool, t.Table, b); err != nil {
			writeProblem(w, r, statusErr(http.StatusBadGateway, "%v", err))
			return
		}
	}
	var pc *analysis.Constraint
	if offset < matched {
		page, err := postgis.Page(ctx, t.Pool, t.Table, b, offset, limit, t.Read)
		if err == nil {
			pc, err = analysis.NewConstraint(page, t.Cfg)
		}
		if err != nil {
			writeProblem(w, r, statusErr(http.StatusBadGateway, "%v", err))
			return
		}
	} else {
		pc = &analysis.Constraint{Name: t.Cfg.Name, Layer: &geo.Layer{}}
	}
	idx := make([]int, pc.Layer.Len())
	for i := range idx {
		idx[i] = i
	}
	s.writeItems(w, r, c, pc, idx, matched, offset, limit)
}

// tableItem answers one feature of a pushdown layer by its fid.
func (s *Server) tableItem(w http.ResponseWriter, r *http.Request, t *TableLayer) {
	fid, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	if err != nil {
		writeProblem(w, r, statusErr(http.StatusNotFound, "layer %s has no feature %q", t.Cfg.Name, r.PathValue("fid")))
		return
	}
	f, ok, err := postgis.FeatureByFID(r.Context(), t.Pool, t.Table, fid, t.Read)
	if err != nil {
		writeProblem(w, r, statusErr(http.StatusBadGateway, "%v", err))
		return
	}
	if !ok {
		writeProblem(w, r, statusErr(http.StatusNotFound, "layer %s has no feature %q", t.Cfg.Name, r.PathValue("fid")))
		return
	}
	l := &geo.Layer{Name: t.Cfg.Name}
	l.Add(f)
	pc, err := analysis.NewConstraint(l, t.Cfg)
	if err != nil {
		writeProblem(w, r, statusErr(http.StatusBadGateway, "%v", err))
		return
	}
	writeJSONType(w, http.StatusOK, "application/geo+json", featureOf(pc, 0))
}
