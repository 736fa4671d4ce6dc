package screenpush

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
)

// DefaultBatch is the number of sites screened per round trip.
const DefaultBatch = 128

// Layer is a constraint layer as screening gets it: loaded whole, or
// read from the database batch by batch (pushdown).
type Layer struct {
	Loaded *analysis.Constraint // whole layer, or nil
	// pushdown:
	Pool  *pgxpool.Pool
	Cache *postgis.Cache // one per run: it keeps what the run fetched, by fid
	Cfg   analysis.LayerConfig
	Total int // rows of the table, for the report
}

// Stats say what pushdown cost, for --verbose output and the README.
type Stats struct {
	Batches, Queries, Fetched, Cached int
	QueryTime                         time.Duration
}

// Screen screens the sites in batches of neighbours (Hilbert
// order): for each batch it fetches the candidates of the batch's sites
// (their boxes widened by the reach as analysis widens them, over-estimated
// in degrees by geo.ExpandBoundM) from the pushdown layers, screens the
// batch with analysis.Screen, and merges the results in site order. The
// next batch is fetched while one is screened. The JSON is the same as with
// every layer loaded whole (analysis visits candidates in feature order).
func Screen(ctx context.Context, sites *geo.Layer, layers []Layer, rules *analysis.RuleBook, opt analysis.ScreenOptions, batch int) (*analysis.ScreenResult, Stats, error) {
	if batch <= 0 {
		batch = DefaultBatch
	}
	var st Stats
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
			if sl.Loaded != nil {
				p.cons[li] = sl.Loaded
				continue
			}
			l, err := sl.Cache.Layer(ctx, sl.Pool, boxes)
			if err == nil {
				p.cons[li], err = analysis.NewConstraint(l, sl.Cfg)
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
		if sl.Cache != nil {
			st.Queries += sl.Cache.Queries
			st.Fetched += sl.Cache.Fetched
			st.Cached += sl.Cache.Len()
			st.QueryTime += sl.Cache.QueryTime
		}
	}
	return mergeScreen(parts, layers), st, nil
}

// mergeScreen puts batch results together as one run over all sites gives
// them: sites in input order, layer feature counts of the whole tables,
// repairs once each (sites first, then layers in order).
func mergeScreen(parts []*analysis.ScreenResult, layers []Layer) *analysis.ScreenResult {
	res := &analysis.ScreenResult{AreaMethod: analysis.AreaMethod, Engine: geo.EngineName, Sites: []analysis.SiteResult{}, Repairs: []analysis.Repair{}}
	for _, sl := range layers {
		if sl.Loaded != nil {
			res.Layers = append(res.Layers, analysis.LayerRef{Name: sl.Loaded.Name, Kind: sl.Loaded.Kind, Features: sl.Loaded.Layer.Len()})
			continue
		}
		name := sl.Cfg.Name
		if name == "" {
			name = sl.Cfg.Kind
		}
		res.Layers = append(res.Layers, analysis.LayerRef{Name: name, Kind: sl.Cfg.Kind, Features: sl.Total})
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
