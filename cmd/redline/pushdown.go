package main

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
	"github.com/redline-gis/redline/report"
)

// pushdownBatch is the number of sites screened per round trip (a
// variable so that tests can make many batches of few sites).
var pushdownBatch = 128

// screenLayer is a constraint layer as screening gets it: loaded whole, or
// read from the database batch by batch (pushdown).
type screenLayer struct {
	loaded *analysis.Constraint // whole layer, or nil
	// pushdown:
	pool  *pgxpool.Pool
	cache *postgis.Cache
	cfg   analysis.LayerConfig
	total int // rows of the table, for the report
}

// pushdownStats say what pushdown cost, for --verbose output and the README.
type pushdownStats struct {
	Batches, Queries, Fetched, Cached int
	QueryTime                         time.Duration
}

// screenPushdown screens the sites in batches of neighbours (Hilbert
// order): for each batch it fetches the candidates of the batch's sites
// (their boxes widened by the reach as analysis widens them, over-estimated
// in degrees by geo.ExpandBoundM) from the pushdown layers, screens the
// batch with analysis.Screen, and merges the results in site order. The
// next batch is fetched while one is screened. The JSON is the same as with
// every layer loaded whole (analysis visits candidates in feature order).
func screenPushdown(ctx context.Context, sites *geo.Layer, layers []screenLayer, rules *analysis.RuleBook, opt analysis.ScreenOptions, batch int) (*analysis.ScreenResult, pushdownStats, error) {
	var st pushdownStats
	reach := math.Max(math.Max(0, opt.NearM), rules.MaxProximityM())
	order := hilbertOrder(sites)
	type prepared struct {
		sites *geo.Layer
		cons  []*analysis.Constraint
		err   error
	}
	prepare := func(lo int) prepared {
		idx := append([]int(nil), order[lo:min(lo+batch, len(order))]...)
		sort.Ints(idx) // site order inside a batch
		p := prepared{sites: &geo.Layer{Name: sites.Name}, cons: make([]*analysis.Constraint, len(layers))}
		boxes := make([]orb.Bound, len(idx))
		for k, i := range idx {
			p.sites.Add(sites.Features[i])
			boxes[k] = geo.ExpandBoundM(sites.Features[i].Bound, reach) // the box analysis searches
		}
		for li, sl := range layers {
			if sl.loaded != nil {
				p.cons[li] = sl.loaded
				continue
			}
			l, err := sl.cache.Layer(ctx, sl.pool, boxes)
			if err == nil {
				p.cons[li], err = analysis.NewConstraint(l, sl.cfg)
			}
			if err != nil {
				p.err = err
				return p
			}
		}
		return p
	}
	progress := opt.Progress
	doneBefore := 0
	var parts []*analysis.ScreenResult
	next := make(chan prepared, 1)
	if len(order) > 0 {
		go func() { next <- prepare(0) }()
	}
	for lo := 0; lo < len(order); lo += batch {
		p := <-next
		if p.err != nil {
			return nil, st, p.err
		}
		if lo+batch < len(order) {
			go func(lo int) { next <- prepare(lo) }(lo + batch)
		}
		o := opt
		if lo > 0 {
			o.NotScreened = nil // listed once, by the first batch; merged by index
		}
		if progress != nil {
			base := doneBefore
			o.Progress = func(done, _ int) { progress(base+done, sites.Len()) }
		}
		res, err := analysis.Screen(ctx, p.sites, p.cons, rules, o)
		if err != nil {
			if lo+batch < len(order) {
				<-next // let the fetch in flight finish before the caches are dropped
			}
			return nil, st, err
		}
		doneBefore += p.sites.Len()
		parts = append(parts, res)
		st.Batches++
	}
	for _, sl := range layers {
		if sl.cache != nil {
			st.Queries += sl.cache.Queries
			st.Fetched += sl.cache.Fetched
			st.Cached += sl.cache.Len()
			st.QueryTime += sl.cache.QueryTime
		}
	}
	return mergeScreen(parts, layers), st, nil
}

// mergeScreen puts batch results together as one run over all sites gives
// them: sites in input order, layer feature counts of the whole tables,
// repairs once each (sites first, then layers in order).
func mergeScreen(parts []*analysis.ScreenResult, layers []screenLayer) *analysis.ScreenResult {
	res := &analysis.ScreenResult{AreaMethod: analysis.AreaMethod, Engine: geo.EngineName, Sites: []analysis.SiteResult{}, Repairs: []analysis.Repair{}}
	for _, sl := range layers {
		if sl.loaded != nil {
			res.Layers = append(res.Layers, analysis.LayerRef{Name: sl.loaded.Name, Kind: sl.loaded.Kind, Features: sl.loaded.Layer.Len()})
			continue
		}
		name := sl.cfg.Name
		if name == "" {
			name = sl.cfg.Kind
		}
		res.Layers = append(res.Layers, analysis.LayerRef{Name: name, Kind: sl.cfg.Kind, Features: sl.total})
	}
	var siteNotes []analysis.Repair
	layerNotes := map[string]map[int]analysis.Repair{}
	for _, p := range parts {
		res.Sites = append(res.Sites, p.Sites...)
		s := &res.Summary
		s.Sites += p.Summary.Sites
		s.Prohibited += p.Summary.Prohibited
		s.Restricted += p.Summary.Restricted
		s.Review += p.Summary.Review
		s.Allowed += p.Summary.Allowed
		s.Clear += p.Summary.Clear
		s.Error += p.Summary.Error
		for _, n := range p.Repairs {
			if n.Role == "sites" {
				siteNotes = append(siteNotes, n)
				continue
			}
			if layerNotes[n.Layer] == nil {
				layerNotes[n.Layer] = map[int]analysis.Repair{}
			}
			layerNotes[n.Layer][n.FeatureIndex] = n
		}
	}
	sort.SliceStable(res.Sites, func(a, b int) bool { return res.Sites[a].Index < res.Sites[b].Index })
	sort.SliceStable(siteNotes, func(a, b int) bool { return siteNotes[a].FeatureIndex < siteNotes[b].FeatureIndex })
	res.Repairs = append(res.Repairs, siteNotes...)
	for _, lr := range res.Layers {
		var ns []analysis.Repair
		for _, n := range layerNotes[lr.Name] {
			ns = append(ns, n)
		}
		sort.Slice(ns, func(a, b int) bool { return ns[a].FeatureIndex < ns[b].FeatureIndex })
		res.Repairs = append(res.Repairs, ns...)
	}
	res.Invalid = res.Repairs
	return res
}

// hilbertOrder returns the positions of the sites sorted along a Hilbert
// curve through their box centres, so that a batch of consecutive sites
// lies close together and its candidates are few.
func hilbertOrder(sites *geo.Layer) []int {
	ext := sites.Bound()
	w, h := ext.Max[0]-ext.Min[0], ext.Max[1]-ext.Min[1]
	const n = 1 << 16
	keys := make([]uint64, sites.Len())
	order := make([]int, sites.Len())
	for i := range sites.Features {
		c := sites.Features[i].Bound.Center()
		x, y := 0.0, 0.0
		if w > 0 {
			x = (c[0] - ext.Min[0]) / w * (n - 1)
		}
		if h > 0 {
			y = (c[1] - ext.Min[1]) / h * (n - 1)
		}
		keys[i] = hilbertD(n, uint64(x), uint64(y))
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	return order
}

// hilbertD is the distance along the Hilbert curve of cell (x, y) of an
// n × n grid (n a power of two).
func hilbertD(n, x, y uint64) uint64 {
	var d uint64
	for s := n / 2; s > 0; s /= 2 {
		var rx, ry uint64
		if x&s > 0 {
			rx = 1
		}
		if y&s > 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				x, y = s-1-x, s-1-y
			}
			x, y = y, x
		}
	}
	return d
}

// pushdownFormat names a table read by pushdown in reports; its layer is a
// placeholder until the run fetches features.
const pushdownFormat = "PostGIS (pushdown)"

// screenDB keeps the database layers of one screen run: a table above the
// load limit (or with mode=pushdown) is not read when the layers are
// loaded; it stays open and is read batch by batch.
type screenDB struct {
	ctx     context.Context
	limit   int
	paths   []string
	pending map[int]*dbLayer
	opened  []*dbLayer
}

func newScreenDB(ctx context.Context, limit int) *screenDB {
	return &screenDB{ctx: ctx, limit: limit, pending: map[int]*dbLayer{}}
}

// wrap returns a layer reader that reads files with next and tables
// itself, giving an empty placeholder layer for a pushdown table.
func (s *screenDB) wrap(next func(string, data.ReadOptions) (*geo.Layer, *data.LayerInfo, error),
	note func(src report.Source)) func(string, data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
	return func(path string, ro data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
		pos := len(s.paths)
		s.paths = append(s.paths, path)
		if !postgis.IsURL(path) {
			return next(path, ro)
		}
		d, err := openDBLayer(s.ctx, path, ro)
		if err != nil {
			return nil, nil, err
		}
		s.opened = append(s.opened, d)
		pd, err := d.pushdown(s.ctx, s.limit)
		if err != nil {
			return nil, nil, err
		}
		if !pd {
			l, info, err := d.load(s.ctx)
			if err == nil {
				note(reportSource(info.Path, l, info))
			}
			return l, info, err
		}
		if d.total, err = postgis.Count(s.ctx, d.pool, d.table); err != nil {
			return nil, nil, err
		}
		if d.total == 0 { // nothing to push down: loaded, it meets the empty-layer check
			return d.load(s.ctx)
		}
		s.pending[pos] = d
		info := &data.LayerInfo{Path: d.src.String(), Format: pushdownFormat, CRS: crs.CGCS2000, CRSFrom: fmt.Sprintf("SRID %d", d.table.SRID)}
		src := reportSource(info.Path, &geo.Layer{}, info)
		src.Features = d.total
		note(src)
		return &geo.Layer{Name: d.src.String()}, info, nil
	}
}

// layers turns the loaded constraints into screening layers: pushdown
// tables get a cache, and a table URL's zone= and name= columns apply.
func (s *screenDB) layers(cons []*analysis.Constraint) ([]screenLayer, bool, error) {
	out := make([]screenLayer, len(cons))
	any := false
	for i, c := range cons {
		cfg := c.Config
		cfg.Name = c.Name
		var src *postgis.Source
		if i < len(s.paths) && postgis.IsURL(s.paths[i]) {
			var err error
			if src, err = postgis.ParseURL(s.paths[i], true); err != nil {
				return nil, false, err
			}
			if src.Zone != "" {
				cfg.ZoneField = src.Zone
			}
			if src.Name != "" {
				cfg.NameField = src.Name
			}
		}
		d := s.pending[i]
		if d == nil {
			if src != nil && (src.Zone != "" || src.Name != "") {
				nc, err := analysis.NewConstraint(c.Layer, cfg)
				if err != nil {
					return nil, false, fmt.Errorf("%s: %w", src, err)
				}
				cons[i], c = nc, nc // the caller's slice sees it
			}
			out[i] = screenLayer{loaded: c}
			continue
		}
		cache, err := postgis.NewCache(d.table, d.opt)
		if err != nil {
			return nil, false, err
		}
		out[i] = screenLayer{pool: d.pool, cache: cache, cfg: cfg, total: d.total}
		any = true
	}
	return out, any, nil
}

func (s *screenDB) Close() {
	for _, d := range s.opened {
		d.Close()
	}
}

// reportLayers puts in place of each pushdown layer's placeholder the
// features its cache fetched, for the reports' maps.
func reportLayers(layers []*analysis.Constraint, sls []screenLayer) error {
	for i, sl := range sls {
		if sl.cache == nil {
			continue
		}
		c, err := analysis.NewConstraint(sl.cache.All(), sl.cfg)
		if err != nil {
			return err
		}
		layers[i] = c // the caller's slice (and the report's) sees it
	}
	return nil
}
