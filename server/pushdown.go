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
	// Items pages of pushdown layers: those continued after the last fid,
	// those that skipped OFFSET rows, and the counts run for numberMatched.
	keysetPages, offsetPages, counts prometheus.Counter
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
	p.keysetPages = c("redline_pushdown_item_pages_keyset_total", "Items pages of pushdown layers read on from the previous page's last fid.")
	p.offsetPages = c("redline_pushdown_item_pages_offset_total", "Items pages of pushdown layers read with OFFSET (a first page, or one not continuing a page served).")
	p.counts = c("redline_pushdown_item_counts_total", "Counts run for an items box's numberMatched (once per box, then remembered).")
	reg.MustRegister(p.batches, p.queries, p.seconds, p.rows, p.sites, p.keysetPages, p.offsetPages, p.counts)
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
// order (fid), with numberMatched counted with the same predicate. The
// count and where each page ended are remembered (pageMemo), so that reading
// the whole layer page by page stays n log n.
func (s *Server) tableItems(w http.ResponseWriter, r *http.Request, c *Catalog, t *TableLayer) {
	b, offset, limit, err := pageParams(r.URL.Query())
	if err != nil {
		writeProblem(w, r, statusErr(http.StatusBadRequest, "%v", err))
		return
	}
	ctx := r.Context()
	matched, known := t.Total, b == nil
	if !known {
		matched, known = t.pages.matched(b)
	}
	if !known {
		if matched, err = postgis.CountBox(ctx, t.Pool, t.Table, b); err != nil {
			writeProblem(w, r, statusErr(http.StatusBadGateway, "%v", err))
			return
		}
		s.m.pushdown.counts.Inc()
	}
	var pc *analysis.Constraint
	if offset < matched {
		var page *geo.Layer
		if after, ok := t.pages.cursor(b, offset); ok && t.Table.UniqueFID {
			page, err = postgis.PageAfter(ctx, t.Pool, t.Table, b, after, limit, t.Read)
			s.m.pushdown.keysetPages.Inc()
		} else {
			page, err = postgis.Page(ctx, t.Pool, t.Table, b, offset, limit, t.Read)
			s.m.pushdown.offsetPages.Inc()
		}
		if err == nil {
			pc, err = analysis.NewConstraint(page, t.Cfg)
		}
		if err != nil {
			writeProblem(w, r, statusErr(http.StatusBadGateway, "%v", err))
			return
		}
		// Every row the query returned is a feature (the box filter
		// excludes NULL geometries), so the page at offset+n follows the
		// last one.
		n := page.Len()
		var last int64
		if n > 0 {
			last = int64(page.Features[n-1].Index) // the feature's fid
		}
		t.pages.remember(b, matched, offset+n, last, n > 0)
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
