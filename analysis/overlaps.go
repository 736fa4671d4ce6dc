package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// OverlapOptions are the knobs of Overlaps.
type OverlapOptions struct {
	// Within also lists pairs inside each layer when there are several
	// layers (with one layer, the pairs inside it are always listed).
	Within bool
	// MinAreaM2 leaves out pairs that overlap by less (slivers). 0 lists
	// every pair whose interiors overlap, however little.
	MinAreaM2 float64
	// Touching also lists pairs that only touch (a common edge or point,
	// 0 m²), as a PostGIS self-join on ST_Intersects does.
	Touching bool
	// Pieces computes each listed pair's overlap geometry (OverlapPair.Piece).
	Pieces bool
	// Workers is the number of goroutines (default: all cores).
	Workers int
	// ReleaseLayers clears the layers' features as the run goes, for a
	// caller done with the layers (the result never reads their features):
	// their properties at the start (names and zones are the Constraint's),
	// the geometry of those whose pieces are not needed once the walks are
	// done, the rest once the pairs are measured and their pieces built, so
	// that each keeps only its Index and ID and the geometries and what was
	// derived from them can be collected while the union's dissolves run and
	// the result is built and written (the layers are most of the run's
	// memory; on the 5× set the dissolves need a few hundred features).
	ReleaseLayers bool
	// Released, when not nil, is called with ReleaseLayers once the
	// geometry that the rest of the run does not read is released: what is
	// live is then a small part of what the layers held, and a caller that
	// made the collector stricter for them can collect and relax it.
	Released func()
}

// OverlapResult is the outcome of Overlaps; its JSON is the contract of
// `redline overlaps --format json`.
type OverlapResult struct {
	AreaMethod string         `json:"area_method"`
	Engine     string         `json:"engine"`
	MinAreaM2  float64        `json:"min_area_m2"`
	Touching   bool           `json:"touching"`
	Layers     []LayerRef     `json:"layers"`
	Pairs      []OverlapPair  `json:"pairs"`
	Summary    OverlapSummary `json:"summary"`
	// Repairs lists invalid features that were repaired exactly before
	// measuring (others are an error).
	Repairs []Repair `json:"repairs"`
	// splits and splitFallbacks: overlapRun's counts, for tests.
	splits, splitFallbacks int
}

// OverlapPair is two features that overlap (or touch, with Touching).
// Percentages are of each feature's own area, 0–100.
type OverlapPair struct {
	ALayer    string    `json:"a_layer"`
	AIndex    int       `json:"a_index"`
	AID       string    `json:"a_id"`
	AName     string    `json:"a_name"`
	AZone     string    `json:"a_zone"`
	BLayer    string    `json:"b_layer"`
	BIndex    int       `json:"b_index"`
	BID       string    `json:"b_id"`
	BName     string    `json:"b_name"`
	BZone     string    `json:"b_zone"`
	OverlapM2 float64   `json:"overlap_m2"`
	APct      float64   `json:"a_pct"`
	BPct      float64   `json:"b_pct"`
	AAreaM2   float64   `json:"a_area_m2"`
	BAreaM2   float64   `json:"b_area_m2"`
	Piece     geo.Shape `json:"-"` // a ∩ b, with OverlapOptions.Pieces
	aLayer    int
	bLayer    int
}

// OverlapSummary totals the pairs.
type OverlapSummary struct {
	Pairs    int     `json:"pairs"`
	Touching int     `json:"touching"` // pairs listed with 0 m²
	Features int     `json:"features"` // features in at least one pair
	SumM2    float64 `json:"overlap_m2_sum"`
	// OverlapM2 is the union of all the pairs' overlaps: ground covered by
	// two or more listed features counts once.
	OverlapM2   float64          `json:"overlap_m2"`
	NonPolygons int              `json:"non_polygonal"` // features skipped: points and lines
	ByLayers    []LayerPairCount `json:"by_layers"`
}

// LayerPairCount counts the pairs between two layers (or inside one).
type LayerPairCount struct {
	ALayer string  `json:"a_layer"`
	BLayer string  `json:"b_layer"`
	Pairs  int     `json:"pairs"`
	SumM2  float64 `json:"overlap_m2_sum"`
}

// NewOverlapLayer wraps l for Overlaps. A built-in kind reads each
// feature's zone as NewConstraint does; kind "" reads only names.
func NewOverlapLayer(l *geo.Layer, name, kind string) (*Constraint, error) {
	if kind != "" {
		return NewConstraint(l, LayerConfig{Name: name, Kind: kind})
	}
	c := &Constraint{Name: name, Layer: l, Zones: make([]string, l.Len()), Names: make([]string, l.Len())}
	for i := range l.Features {
		c.Names[i] = propString(l.Features[i].Props, "", DefaultNameFields)
	}
	return c, nil
}

// overlapRun holds the state of one Overlaps call.
type overlapRun struct {
	opt    OverlapOptions
	layers []*Constraint
	feats  []prepFeature
	gid    [][]int32 // per layer and position: index in feats, or −1
	pairs  []pairRec // sorted by i, then j
	// cross holds each pair's crossings, seen from i's boundary
	// (cross[k].Other(): from j's); both sides share one store, dropped once
	// the walks are done (dropWalks). Kept apart from pairs, which hold no
	// pointer then, so that the collector need not scan them.
	cross []geo.Crossings
	first []int32   // per feature i: where its pairs (i, ·) start in pairs
	adj   [][]int32 // per feature: its pairs
	// piece holds the overlap geometry of the pairs that have one built
	// (degenerate, dissolved, or all listed with Pieces), by pair.
	pieceMu sync.Mutex
	piece   map[int32]geo.Shape
	canon   []int32 // per feature: the first feature of the same geometry
	// repairs lists the features repaired exactly before measuring.
	repairs []Repair
	// splitComponents and splitFallbacks count the dirty components that
	// union split, and those where the split's walk declined (dissolved
	// whole instead).
	splitComponents, splitFallbacks int
}

// pairRec is a candidate pair (boxes intersect), i < j in feats. There
// are several per feature (about 570 k on the 5× set), so it is kept
// small, without pointers: the few pieces built are in overlapRun.piece,
// the crossings in overlapRun.cross.
type pairRec struct {
	i, j       int32
	area       float64
	crosses    bool // the boundaries cross (cross was not empty)
	degenerate bool // measured by the engine
	touching   bool
	identical  bool // the two features have the same geometry: the piece is either
	listed     bool
}

// setPiece records pair k's overlap geometry.
func (r *overlapRun) setPiece(k int, s geo.Shape) {
	r.pieceMu.Lock()
	if r.piece == nil {
		r.piece = map[int32]geo.Shape{}
	}
	r.piece[int32(k)] = s
	r.pieceMu.Unlock()
}

// pieceOf returns pair k's overlap geometry, if built.
func (r *overlapRun) pieceOf(k int) (geo.Shape, bool) {
	r.pieceMu.Lock()
	defer r.pieceMu.Unlock()
	s, ok := r.piece[int32(k)]
	return s, ok
}

// pairOf returns the index of pair (a, b), a < b, or −1 when their boxes
// do not meet.
func (r *overlapRun) pairOf(a, b int32) int {
	lo, hi := int(r.first[a]), int(r.first[a+1])
	k := lo + sort.Search(hi-lo, func(x int) bool { return r.pairs[lo+x].j >= b })
	if k < hi && r.pairs[k].j == b {
		return k
	}
	return -1
}

// Overlaps finds the pairs of features that overlap: inside the one layer,
// or across layers (and inside each with Within). Areas are exact
// ellipsoidal m², as ST_Area(ST_Intersection(a, b)::geography, true) of a
// PostGIS self-join. Every polygonal feature must be valid; points and lines
// are skipped and counted. Pairs are sorted by a's layer and index, then b's.
func Overlaps(ctx context.Context, layers []*Constraint, opt OverlapOptions) (*OverlapResult, error) {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.MinAreaM2 < 0 || math.IsNaN(opt.MinAreaM2) {
		return nil, fmt.Errorf("analysis: overlaps: minimum area %g m² is negative", opt.MinAreaM2)
	}
	r := &overlapRun{opt: opt, layers: layers}
	res := &OverlapResult{AreaMethod: AreaMethod, Engine: geo.EngineName, MinAreaM2: opt.MinAreaM2,
		Touching: opt.Touching, Pairs: []OverlapPair{}}
	for _, c := range layers {
		res.Layers = append(res.Layers, LayerRef{Name: c.Name, Kind: c.Kind, Features: c.Layer.Len()})
	}
	if opt.ReleaseLayers {
		for _, c := range layers {
			for pos := range c.Layer.Features {
				c.Layer.Features[pos].Props = nil
			}
		}
	}
	res.Summary.NonPolygons = r.prepare()
	steps := []func(context.Context) error{r.findPairs, r.validate, r.crossings, r.walkAreas, r.engineAreas, r.list}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	union, err := r.union(ctx)
	if err != nil {
		return nil, err
	}
	if opt.Pieces {
		if err := r.pieces(ctx); err != nil {
			return nil, err
		}
	}
	if opt.ReleaseLayers {
		r.releaseLayers()
	}
	r.result(res)
	res.Summary.OverlapM2 = union
	res.Repairs = append([]Repair{}, r.repairs...)
	res.splits, res.splitFallbacks = r.splitComponents, r.splitFallbacks
	return res, nil
}

// releaseLayers is OverlapOptions.ReleaseLayers: result reads only the
// features' Index and ID (names and zones are the Constraint's).
func (r *overlapRun) releaseLayers() {
	for i := range r.feats {
		r.feats[i].coll = geo.Shape{}
	}
	for _, c := range r.layers {
		for pos := range c.Layer.Features {
			f := &c.Layer.Features[pos]
			*f = geo.Feature{Index: f.Index, ID: f.ID}
		}
	}
}

// releaseUnneeded is OverlapOptions.ReleaseLayers once no walk is left:
// only the features of pairs ks (whose pieces may be built), and of the
// listed pairs with Pieces, are read for their geometry again; the others
// keep their Index, ID and Bound. When those kept are few, their points are
// copied out of the reader's slabs (geojson shares one among many
// features), which they would otherwise keep whole.
func (r *overlapRun) releaseUnneeded(ks ...[]int) {
	if !r.opt.ReleaseLayers {
		return
	}
	need := make([]bool, len(r.feats))
	n := 0
	mark := func(i int32) {
		if !need[i] {
			need[i] = true
			n++
		}
	}
	for _, ks := range ks {
		for _, k := range ks {
			mark(r.pairs[k].i)
			mark(r.pairs[k].j)
		}
	}
	if r.opt.Pieces {
		for k := range r.pairs {
			if p := &r.pairs[k]; p.listed {
				mark(p.i)
				mark(p.j)
			}
		}
	}
	strip := func(f *geo.Feature) { *f = geo.Feature{Index: f.Index, ID: f.ID, Bound: f.Bound} }
	for li, c := range r.layers {
		for pos := range c.Layer.Features {
			f := &c.Layer.Features[pos]
			if i := r.gid[li][pos]; i < 0 || !need[i] || r.feats[i].f != f { // a repaired feature is a copy
				strip(f)
			}
		}
	}
	for i := range r.feats {
		p := &r.feats[i]
		switch {
		case !need[i]:
			strip(p.f)
			p.coll = geo.Shape{}
		case 4*n <= len(r.feats):
			p.f.Geom = orb.Clone(p.f.Geom)
		}
	}
	if r.opt.Released != nil {
		r.opt.Released()
	}
}

func (r *overlapRun) prepare() (skipped int) {
	r.gid = make([][]int32, len(r.layers))
	n := 0
	for _, c := range r.layers {
		n += c.Layer.Len()
	}
	r.feats = make([]prepFeature, 0, n)
	for li, c := range r.layers {
		r.gid[li] = make([]int32, c.Layer.Len())
		for pos := range c.Layer.Features {
			p, ok := prepare(li, pos, &c.Layer.Features[pos])
			if !ok {
				r.gid[li][pos] = -1
				skipped++
				continue
			}
			r.gid[li][pos] = int32(len(r.feats))
			r.feats = append(r.feats, p)
		}
	}
	return skipped
}

// forEach calls fn(w, i) for i in [0, n) on the workers (par.For).
func (r *overlapRun) forEach(ctx context.Context, n int, fn func(w, i int) error) error {
	return par.For(ctx, n, r.opt.Workers, fn)
}

// validate checks every polygonal feature that has a candidate pair: an
// invalid one would give a wrong overlap silently. What can be repaired
// exactly (closing rings, dropping spikes and repeated points, merging
// duplicate parts) is repaired and listed in Repairs, as share does; any
// other invalid feature is an error naming it. A feature whose box meets no
// other cannot change the result.
func (r *overlapRun) validate(ctx context.Context) error {
	repairs := make([]*Repair, len(r.feats))
	err := r.forEach(ctx, len(r.feats), func(_, i int) error {
		if len(r.adj[i]) == 0 {
			return nil
		}
		p := &r.feats[i]
		if p.f.Problems() == nil {
			return nil
		}
		name := r.layers[p.layer].Name
		_, fixed, rep, err := polygonalShape("layer", name, p.f)
		if err != nil {
			return err
		}
		nf, err := geo.NewFeature(p.f.Index, p.f.ID, p.f.Props, fixed)
		if err != nil {
			return fmt.Errorf("analysis: layer %s: %s: repaired geometry: %w", name, p.f.Label(), err)
		}
		np, ok := prepare(p.layer, p.pos, &nf)
		if !ok {
			return fmt.Errorf("analysis: layer %s: %s has no area left after repair", name, p.f.Label())
		}
		r.feats[i], repairs[i] = np, rep
		return nil
	})
	for _, rep := range repairs {
		if rep != nil {
			r.repairs = append(r.repairs, *rep)
		}
	}
	return err
}

// findPairs lists every pair of features whose boxes intersect. Pairs that
// the report will not list (same layer without Within) are kept too: which
// features cover a spot matters to the dissolved total.
func (r *overlapRun) findPairs(ctx context.Context) error {
	per := make([][]int32, len(r.feats)) // per feature i: its j > i
	err := r.forEach(ctx, len(r.feats), func(_, i int) error {
		a := &r.feats[i]
		for lj := a.layer; lj < len(r.layers); lj++ {
			r.layers[lj].Layer.Candidates(a.f.Bound, func(pos int, _ *geo.Feature) bool {
				j := r.gid[lj][pos]
				if j > int32(i) {
					per[i] = append(per[i], j)
				}
				return true
			})
		}
		slices.Sort(per[i])
		return nil
	})
	if err != nil {
		return err
	}
	n := 0
	deg := make([]int32, len(r.feats))
	for i, js := range per {
		n += len(js)
		deg[i] += int32(len(js))
		for _, j := range js {
			deg[j]++
		}
	}
	r.pairs = make([]pairRec, 0, n)
	r.first = make([]int32, len(r.feats)+1)
	r.adj = make([][]int32, len(r.feats))
	for i := range r.adj {
		r.adj[i] = make([]int32, 0, deg[i])
	}
	for i, js := range per {
		r.first[i] = int32(len(r.pairs))
		for _, j := range js {
			k := int32(len(r.pairs))
			r.pairs = append(r.pairs, pairRec{i: int32(i), j: j})
			r.adj[i] = append(r.adj[i], k)
			r.adj[j] = append(r.adj[j], k)
		}
		per[i] = nil
	}
	r.first[len(r.feats)] = int32(len(r.pairs))
	return nil
}

// crossings crosses each pair's boundaries. A pair of identical
// geometries needs no crossing: its overlap is either feature whole, and it
// is kept out of the walks (its boundaries coincide everywhere).
func (r *overlapRun) crossings(ctx context.Context) error {
	canon := r.canonical()
	r.cross = make([]geo.Crossings, len(r.pairs))
	walkers := make([]geo.Walker, r.opt.Workers)
	return r.forEach(ctx, len(r.pairs), func(w, k int) error {
		p := &r.pairs[k]
		if canon[p.i] == canon[p.j] {
			f := &r.feats[p.i]
			p.identical, p.degenerate, p.area = true, true, f.area
			r.setPiece(k, f.shape())
			return nil
		}
		ci, _, ok := walkers[w].Cross(r.feats[p.i].walk, r.feats[p.j].walk)
		p.degenerate = !ok
		if ok && ci.Len() > 0 {
			r.cross[k], p.crosses = ci, true
		}
		return nil
	})
}

func commonBox(a, b orb.Bound) orb.Bound {
	return orb.Bound{Min: orb.Point{math.Max(a.Min[0], b.Min[0]), math.Max(a.Min[1], b.Min[1])},
		Max: orb.Point{math.Min(a.Max[0], b.Max[0]), math.Min(a.Max[1], b.Max[1])}}
}

// walkAreas measures the clean pairs. A ring start too close to a neighbour's
// boundary makes that pair degenerate, and the features around it are walked
// again without it.
func (r *overlapRun) walkAreas(ctx context.Context) error {
	todo := make([]int, len(r.feats))
	for i := range todo {
		todo[i] = i
	}
	scr := make([]walkScratch, r.opt.Workers)
	half := make([]float64, 2*len(r.pairs)) // per pair: ∮ of i's, then j's boundary pieces inside the other
	for len(todo) > 0 {
		var mu sync.Mutex
		var bad []int32
		err := r.forEach(ctx, len(todo), func(w, t int) error {
			i := todo[t]
			sc := &scr[w]
			nbrs, slots := r.neighbours(i, sc)
			if len(slots) == 0 {
				return nil
			}
			area := slices.Grow(sc.area[:0], len(slots))[:len(slots)]
			clear(area)
			sc.area = area
			_, b, ok := sc.Walk(r.feats[i].walk, nbrs, nil, area)
			if !ok {
				mu.Lock()
				bad = append(bad, slots[b])
				mu.Unlock()
				return nil
			}
			for s, k := range slots {
				if int(r.pairs[k].i) == i {
					half[2*k] = area[s]
				} else {
					half[2*k+1] = area[s]
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		again := map[int]bool{}
		for _, k := range bad {
			p := &r.pairs[k]
			p.degenerate = true
			again[int(p.i)], again[int(p.j)] = true, true
		}
		todo = todo[:0]
		for i := range again {
			todo = append(todo, i)
		}
		sort.Ints(todo)
	}
	for k := range r.pairs {
		p := &r.pairs[k]
		if !p.degenerate {
			p.area = math.Max(0, half[2*k]+half[2*k+1])
		}
	}
	return nil
}

// engineAreas measures the degenerate pairs with the overlay engine.
func (r *overlapRun) engineAreas(ctx context.Context) error {
	var idx []int
	for k := range r.pairs {
		if r.pairs[k].degenerate && !r.pairs[k].identical {
			idx = append(idx, k)
		}
	}
	return r.forEach(ctx, len(idx), func(_, t int) error {
		p := &r.pairs[idx[t]]
		r.cross[idx[t]] = geo.Crossings{} // not walked
		a, b := &r.feats[p.i], &r.feats[p.j]
		x, err := geo.Intersect(a.shape(), b.shape())
		if err != nil {
			return fmt.Errorf("analysis: overlap of layer %s %s and layer %s %s: %w",
				r.layers[a.layer].Name, a.f.Label(), r.layers[b.layer].Name, b.f.Label(), err)
		}
		poly := x.Polygonal()
		p.area = poly.AreaM2()
		if err := r.checkPiece(poly, p.area, a, b); err != nil {
			return err
		}
		p.touching = p.area == 0 && !x.IsEmpty()
		if p.touching {
			poly = x
		}
		r.setPiece(idx[t], poly)
		return nil
	})
}

// ErrOverlay reports an overlay result that cannot be right (larger than
// either feature, or outside their common box): the pure-Go engine can fail
// so on nearly degenerate input (a vertex a rounding error off an edge).
var ErrOverlay = errors.New("analysis: the overlay engine returned an impossible intersection")

// checkPiece refuses an engine result that cannot be a ∩ b, so that an
// engine failure never becomes a silently wrong number.
func (r *overlapRun) checkPiece(piece geo.Shape, area float64, a, b *prepFeature) error {
	box := commonBox(a.f.Bound, b.f.Bound)
	pad := 1e-9 * math.Max(box.Max[0]-box.Min[0]+box.Max[1]-box.Min[1], 1e-6)
	pb := piece.Bound()
	if area > math.Min(a.area, b.area)*(1+1e-9)+1e-6 || (!piece.IsEmpty() && (pb.Min[0] < box.Min[0]-pad ||
		pb.Min[1] < box.Min[1]-pad || pb.Max[0] > box.Max[0]+pad || pb.Max[1] > box.Max[1]+pad)) {
		return fmt.Errorf("%w: layer %s %s × layer %s %s (%.2f m²; the GEOS build, go build -tags geos, is robust here)",
			ErrOverlay, r.layers[a.layer].Name, a.f.Label(), r.layers[b.layer].Name, b.f.Label(), area)
	}
	return nil
}

// related reports whether pairs between layers a and b are reported.
func (r *overlapRun) related(a, b int) bool {
	return a != b || r.opt.Within || len(r.layers) == 1
}

func (r *overlapRun) list(context.Context) error {
	for k := range r.pairs {
		p := &r.pairs[k]
		if !r.related(r.feats[p.i].layer, r.feats[p.j].layer) {
			continue
		}
		switch {
		case p.area > 0:
			p.listed = p.area >= r.opt.MinAreaM2
		case p.touching:
			p.listed = r.opt.Touching
		}
	}
	return nil
}
