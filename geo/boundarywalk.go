package geo

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
)

// The boundary walk measures overlap areas without building the overlay.
// For valid polygons, Green's theorem gives, for instance,
//
//	area(A ∩ B) = ∮ over (∂A inside B) + ∮ over (∂B inside A)
//
// with each boundary traversed with its interior on the left; RingAreaM2 is
// such a sum over edges. So each boundary is cut where it crosses the
// neighbours' boundaries (Walker.Cross), and each piece is counted or not
// according to the neighbours that contain it (Walker.Walk): the pieces of
// A inside B and of B inside A give A ∩ B; the pieces outside every other
// polygon give the union (ClippedUnionAreaM2); the pieces inside exactly
// k−1 others bound the ground covered k times or more.
//
// Only proper crossings (two edges crossing at interior points, far from any
// vertex) are handled. Boundaries that touch, share a vertex or run along
// each other, up to a tolerance well above rounding error, are "degenerate":
// the walk declines and the caller measures with the overlay engine.

// WalkShape is a polygonal geometry prepared for the boundary walk. It
// shares the geometry's points (they must not change) and is read-only, so
// one WalkShape can be walked from several goroutines.
type WalkShape struct {
	polys orb.MultiPolygon
	rings []walkRing
	bound orb.Bound
}

// walkRing is one closed ring. Edges are numbered across the shape's rings:
// this ring's run from start to end−2, edge k joining pts[k−start] and the
// next point.
type walkRing struct {
	pts        []orb.Point
	start, end int
	sign       float64 // +1 when the ring runs with the interior on its left
	bound      orb.Bound
	chunks     []orb.Bound // boxes of runs of chunkEdges edges
}

// chunkEdges is the number of edges per box in walkRing.chunks: a pair of
// shapes only looks at the edges of the chunks inside their common box.
const chunkEdges = 32

// NewWalkShape prepares the polygonal parts of g (a Polygon, MultiPolygon
// or Collection); ok is false when it has none. Rings need not be oriented,
// but polygons must be valid (see Validate) for the walk to be right.
func NewWalkShape(g orb.Geometry) (s *WalkShape, ok bool) {
	s = &WalkShape{polys: polygonsOf(nil, g)}
	if len(s.polys) == 0 {
		return nil, false
	}
	n := 0
	for _, poly := range s.polys {
		for ri, r := range poly {
			if len(r) < 4 {
				continue
			}
			pts := []orb.Point(r)
			if r[0] != r[len(r)-1] { // invalid: the caller's validation rejects it
				pts = append(append([]orb.Point(nil), r...), r[0])
			}
			sign := 1.0
			if (RingSignedArea(pts) > 0) != (ri == 0) {
				sign = -1
			}
			wr := walkRing{pts: pts, start: n, end: n + len(pts), sign: sign,
				chunks: make([]orb.Bound, 0, (len(pts)-2)/chunkEdges+1)}
			for i := 0; i+1 < len(pts); i += chunkEdges {
				wr.chunks = append(wr.chunks, pointsBound(pts[i:min(i+chunkEdges+1, len(pts))]))
			}
			wr.bound = wr.chunks[0]
			for _, c := range wr.chunks[1:] {
				wr.bound = wr.bound.Union(c)
			}
			if len(s.rings) == 0 {
				s.bound = wr.bound
			} else {
				s.bound = s.bound.Union(wr.bound)
			}
			s.rings = append(s.rings, wr)
			n += len(pts)
		}
	}
	return s, true
}

func polygonsOf(out orb.MultiPolygon, g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return append(out, g)
	case orb.MultiPolygon:
		return append(out, g...)
	case orb.Collection:
		for _, m := range g {
			out = polygonsOf(out, m)
		}
	}
	return out
}

// Polygons returns the shape's polygons (those of a Collection gathered).
func (s *WalkShape) Polygons() orb.MultiPolygon { return s.polys }

// Bound returns the box of the shape's rings.
func (s *WalkShape) Bound() orb.Bound { return s.bound }

// Crossings are the points where one shape's boundary properly crosses
// another's, as found by Walker.Cross, seen from one of the two boundaries.
// The two sides of one Cross share their points: each is stored once, with
// its edge on either boundary (24 bytes a point; the layers' dense pairs
// hold hundreds of thousands of them while they are walked).
type Crossings struct {
	pts    []crossing
	second bool // seen from the second shape's boundary (onB)
}

// Len is the number of crossings.
func (c Crossings) Len() int { return len(c.pts) }

// Other is the same crossings seen from the other shape's boundary.
func (c Crossings) Other() Crossings { return Crossings{c.pts, !c.second} }

// crossing holds no parameter along its edges: Walk orders the crossings
// on one edge by param of their point, which is monotone in the parameter
// segCross found the point at (p = a1 + t(a2−a1) rounds monotonically in
// t), so that the order, and every number, is the one a stored parameter
// gave.
type crossing struct {
	edges [2]int32  // the edge's number in the first and the second shape
	p     orb.Point // the same point on both boundaries
}

// walkCross is a crossing on the walked boundary, in Walk's scratch.
type walkCross struct {
	edge  int32   // the edge's number in the walked shape
	other int32   // the neighbour's position
	t     float64 // param of p along the edge
	p     orb.Point
}

// Walker holds scratch space for Cross and Walk. The zero value is ready;
// a Walker must not be used by two goroutines at once.
type Walker struct {
	edges []sweepEdge
	keys  []edgeKey
	// crossByGrid's cells
	gridStart, gridItems, gridFill []int32
	active                         [2][]int
	cross                          []walkCross
	state                          []bool
	inside                         []int32
	scr                            []crossing // crossPair's results before keep
	slab                           []crossing // keep's
	// crossGroup's chunks, their grid and its results before sorting
	groupChunks                       []groupChunk
	groupStart, groupItems, groupFill []int32
	groupEnds                         []int32
	groupRecs                         []groupCross
	groupNear                         []uint64
	chunkA, chunkB                    []chunkEdge
	chunkIn                           []int8
	// Cross's grids of first shapes: two, so that a clip crossed with group
	// after group keeps its grid while the groups' shapes take turns in
	// the other.
	bins     [2]shapeBins
	lastA    *WalkShape // the first shape of the previous Cross
	run      int        // Cross calls in a row with lastA first
	binsTick int
}

// shapeBins is the grid of one shape's edges, over its whole box, that
// Cross keeps while it crosses the same first shape with one neighbour after
// another: each neighbour then looks up its own edges in it, instead of
// both shapes' edges being gathered and one of them binned again per pair.
type shapeBins struct {
	shape  *WalkShape // the shape binned (nil: none)
	used   int        // Walker.binsTick when last used
	failed bool       // shape's edges bunch up: not binned
	edges  []sweepEdge
	start  []int32 // cell c's edges: items[start[c]:start[c+1]]
	items  []int32
	// sums[(y+1)(nx+1)+x+1]: the edges in the cells up to column x and
	// row y, so that a run of b's edges far from a's skips in O(1).
	sums []int32
	cellGrid
}

// binsFrom is the Cross call in a row with the same first shape that bins
// it, the later ones reusing the grid (a variable so that tests choose).
var binsFrom = 2

type sweepEdge struct {
	k          int32 // edge number
	ring       int32
	minX, maxX float64
	minY, maxY float64
	ofB        bool
}

// Cross finds where the boundaries of a and b cross, inside their common
// box: onA lies on a's boundary, onB on b's. ok is false when the
// boundaries touch, overlap or nearly do: the walk cannot measure the pair.
func (w *Walker) Cross(a, b *WalkShape) (onA, onB Crossings, ok bool) {
	cs, ok := w.crossPair(a, b)
	if !ok {
		return Crossings{}, Crossings{}, false
	}
	if cap(cs) > cap(w.scr) {
		w.scr = cs[:0]
	}
	cs = w.keep(cs)
	return Crossings{pts: cs}, Crossings{pts: cs, second: true}, true
}

// keep copies c, found in the Walker's scratch, into a slab of crossings:
// one exact-size slice per pair, not one grown by appending.
func (w *Walker) keep(c []crossing) []crossing {
	if len(c) == 0 {
		return nil
	}
	if len(w.slab)+len(c) > cap(w.slab) {
		w.slab = make([]crossing, 0, max(slabCrossings, len(c)))
	}
	n := len(w.slab)
	w.slab = append(w.slab, c...)
	return w.slab[n:len(w.slab):len(w.slab)]
}

// slabCrossings is the size of the slabs Cross's results are cut from.
const slabCrossings = 1024

// crossPair is Cross, its results in the Walker's scratch.
func (w *Walker) crossPair(a, b *WalkShape) (cs []crossing, ok bool) {
	box := orb.Bound{Min: orb.Point{math.Max(a.bound.Min[0], b.bound.Min[0]), math.Max(a.bound.Min[1], b.bound.Min[1])},
		Max: orb.Point{math.Min(a.bound.Max[0], b.bound.Max[0]), math.Min(a.bound.Max[1], b.bound.Max[1])}}
	if box.Min[0] > box.Max[0] || box.Min[1] > box.Max[1] {
		return nil, true
	}
	if g := w.binsOf(a); g != nil {
		if cs, ok, done := g.cross(a, b, box, w.scr[:0]); done {
			return cs, ok
		}
	}
	buf := appendEdges(w.edges[:0], a, box, false)
	nA := len(buf)
	buf = appendEdges(buf, b, box, true)
	w.edges = buf
	if nA == 0 || nA == len(buf) {
		return nil, true
	}
	if len(buf) >= crossGridMin {
		if cs, ok, done := w.crossByGrid(a, b, box, buf[:nA], buf[nA:]); done {
			return cs, ok
		}
	}
	// Sort small keys, not the edges.
	keys := w.keys[:0]
	for i := range buf {
		keys = append(keys, edgeKey{buf[i].minX, int32(i)})
	}
	slices.SortFunc(keys, func(x, y edgeKey) int { return cmp.Compare(x.minX, y.minX) })
	w.keys = keys
	cs = w.scr[:0]
	actA, actB := w.active[0][:0], w.active[1][:0]
	defer func() { w.active[0], w.active[1] = actA, actB }()
	for _, key := range keys {
		i := int(key.e)
		e := &buf[i]
		act, other := &actA, &actB
		if e.ofB {
			act, other = &actB, &actA
		}
		keep := (*other)[:0]
		for _, j := range *other {
			o := &buf[j]
			if o.maxX < e.minX {
				continue
			}
			keep = append(keep, j)
			if o.maxY < e.minY || o.minY > e.maxY {
				continue
			}
			ea, eb := e, o
			if e.ofB {
				ea, eb = o, e
			}
			ra, rb := &a.rings[ea.ring], &b.rings[eb.ring]
			a1, a2 := ra.pts[int(ea.k)-ra.start], ra.pts[int(ea.k)-ra.start+1]
			b1, b2 := rb.pts[int(eb.k)-rb.start], rb.pts[int(eb.k)-rb.start+1]
			switch kind, _, p := segCross(a1, a2, b1, b2); kind {
			case crossNear:
				return nil, false
			case crossProper:
				cs = append(cs, crossing{edges: [2]int32{ea.k, eb.k}, p: p})
			}
		}
		*other = keep
		*act = append(*act, i)
	}
	return cs, true
}

// crossGridMin is the number of edges in the common box from which Cross
// bins b's edges in a grid instead of sorting all of them (a variable so
// that tests run both ways).
var crossGridMin = 48

// crossByGrid is Cross's search by a grid over box of about one cell per
// edge of eb: each edge of ea meets the edges of eb in the cells under its
// box, and each pair whose boxes meet is tested once, in the cell of their
// overlap's low corner: the pairs the sweep tests, without sorting. done is
// false when the edges bunch up so that the sweep is cheaper.
func (w *Walker) crossByGrid(a, b *WalkShape, box orb.Bound, ea, eb []sweepEdge) (cs []crossing, ok, done bool) {
	cs = w.scr[:0]
	n := len(eb)
	g := newCellGrid(box, n)
	nx, ny := g.nx, g.ny
	start := slices.Grow(w.gridStart[:0], nx*ny+1)[:nx*ny+1]
	clear(start)
	total := 0
	for i := range eb {
		e := &eb[i]
		x0, x1, y0, y1 := g.cellX(e.minX), g.cellX(e.maxX), g.cellY(e.minY), g.cellY(e.maxY)
		total += (x1 - x0 + 1) * (y1 - y0 + 1)
		if total > 8*n {
			return nil, false, false
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				start[y*nx+x+1]++
			}
		}
	}
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
	}
	items := slices.Grow(w.gridItems[:0], total)[:total]
	fill := append(w.gridFill[:0], start[:len(start)-1]...)
	for i := range eb {
		e := &eb[i]
		x0, x1, y0, y1 := g.cellX(e.minX), g.cellX(e.maxX), g.cellY(e.minY), g.cellY(e.maxY)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				c := y*nx + x
				items[fill[c]] = int32(i)
				fill[c]++
			}
		}
	}
	w.gridStart, w.gridItems, w.gridFill = start, items, fill
	budget := 8*(len(ea)+n) + 1024 // cell visits before the sweep is cheaper
	for i := range ea {
		e := &ea[i]
		if e.maxX < box.Min[0] || e.minX > box.Max[0] || e.maxY < box.Min[1] || e.minY > box.Max[1] {
			continue
		}
		x0, x1, y0, y1 := g.cellX(e.minX), g.cellX(e.maxX), g.cellY(e.minY), g.cellY(e.maxY)
		if budget -= (x1 - x0 + 1) * (y1 - y0 + 1); budget < 0 {
			return nil, false, false
		}
		ra := &a.rings[e.ring]
		a1, a2 := ra.pts[int(e.k)-ra.start], ra.pts[int(e.k)-ra.start+1]
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				c := y*nx + x
				for _, j := range items[start[c]:start[c+1]] {
					o := &eb[j]
					if o.maxX < e.minX || o.minX > e.maxX || o.maxY < e.minY || o.minY > e.maxY {
						continue
					}
					if g.cellY(math.Max(e.minY, o.minY))*nx+g.cellX(math.Max(e.minX, o.minX)) != c {
						continue // tested in another cell
					}
					rb := &b.rings[o.ring]
					b1, b2 := rb.pts[int(o.k)-rb.start], rb.pts[int(o.k)-rb.start+1]
					switch kind, _, p := segCross(a1, a2, b1, b2); kind {
					case crossNear:
						return nil, false, true
					case crossProper:
						cs = append(cs, crossing{edges: [2]int32{e.k, o.k}, p: p})
					}
				}
			}
		}
	}
	return cs, true, true
}

// expect tells Cross that a is about to be crossed with several neighbours
// in a row: the first of them bins it already.
func (w *Walker) expect(a *WalkShape) {
	if binsFrom < math.MaxInt {
		w.lastA, w.run = a, binsFrom-1
	}
}

// binsOf returns a's grid, binning a on the binsFrom-th Cross in a row
// with a first (in the grid used least recently); nil: a is not binned.
func (w *Walker) binsOf(a *WalkShape) *shapeBins {
	w.binsTick++
	for k := range w.bins {
		if g := &w.bins[k]; g.shape == a {
			g.used = w.binsTick
			if g.failed {
				return nil
			}
			return g
		}
	}
	if w.lastA != a {
		w.lastA, w.run = a, 0
	}
	if w.run++; w.run < binsFrom {
		return nil
	}
	g := &w.bins[0]
	if w.bins[1].used < g.used {
		g = &w.bins[1]
	}
	g.used = w.binsTick
	g.bin(a)
	if g.failed {
		return nil
	}
	return g
}

// bin grids a's edges over its box, about one cell per edge; it gives up
// (failed) when the edges would fill more than 8 cells each on average.
func (g *shapeBins) bin(a *WalkShape) {
	g.shape, g.failed = a, true
	edges := g.edges[:0]
	for ri := range a.rings {
		r := &a.rings[ri]
		for i := 0; i+1 < len(r.pts); i++ {
			p, q := r.pts[i], r.pts[i+1]
			edges = append(edges, sweepEdge{k: int32(r.start + i), ring: int32(ri), minX: math.Min(p[0], q[0]), maxX: math.Max(p[0], q[0]),
				minY: math.Min(p[1], q[1]), maxY: math.Max(p[1], q[1])})
		}
	}
	g.edges = edges
	n := len(edges)
	if n == 0 {
		return
	}
	g.cellGrid = newCellGrid(a.bound, n)
	cells := g.nx * g.ny
	start := slices.Grow(g.start[:0], cells+1)[:cells+1]
	clear(start)
	total := 0
	for i := range edges {
		e := &edges[i]
		x0, x1, y0, y1 := g.cellX(e.minX), g.cellX(e.maxX), g.cellY(e.minY), g.cellY(e.maxY)
		total += (x1 - x0 + 1) * (y1 - y0 + 1)
		if total > 8*n {
			g.start = start
			return
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				start[y*g.nx+x+1]++
			}
		}
	}
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
	}
	items := slices.Grow(g.items[:0], total)[:total]
	for i := range edges {
		e := &edges[i]
		x0, x1, y0, y1 := g.cellX(e.minX), g.cellX(e.maxX), g.cellY(e.minY), g.cellY(e.maxY)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				c := y*g.nx + x
				items[start[c]] = int32(i)
				start[c]++
			}
		}
	}
	// start[c] now holds the end of cell c, the start of c+1.
	copy(start[1:], start[:cells])
	start[0] = 0
	w := g.nx + 1
	sums := slices.Grow(g.sums[:0], w*(g.ny+1))[:w*(g.ny+1)]
	clear(sums[:w])
	for y := 0; y < g.ny; y++ {
		row := sums[(y+1)*w:]
		row[0] = 0
		for x := 0; x < g.nx; x++ {
			c := y*g.nx + x
			row[x+1] = start[c+1] - start[c] + row[x] + sums[y*w+x+1] - sums[y*w+x]
		}
	}
	g.start, g.items, g.sums, g.failed = start, items, sums, false
}

// empty reports whether no edge lies in the cells x0..x1 × y0..y1.
func (g *shapeBins) empty(x0, x1, y0, y1 int) bool {
	w := g.nx + 1
	return g.sums[(y1+1)*w+x1+1]-g.sums[y0*w+x1+1]-g.sums[(y1+1)*w+x0]+g.sums[y0*w+x0] == 0
}

// cross is Cross for the binned shape a: each edge of b in box meets a's
// edges in the cells under its box, and each pair whose boxes meet is tested
// once, in the cell of their overlap's low corner: the pairs Cross's sweep
// tests (any pair whose boxes meet lies in box). done is false when b's
// edges span so many cells that the sweep is cheaper.
func (g *shapeBins) cross(a, b *WalkShape, box orb.Bound, scr []crossing) (cs []crossing, ok, done bool) {
	cs = scr
	visits, scanned := 0, 0
	for ri := range b.rings {
		rb := &b.rings[ri]
		if !rb.bound.Intersects(box) {
			continue
		}
		for ch, cb := range rb.chunks {
			if !cb.Intersects(box) || g.empty(g.cellX(cb.Min[0]), g.cellX(cb.Max[0]), g.cellY(cb.Min[1]), g.cellY(cb.Max[1])) {
				continue
			}
			for i := ch * chunkEdges; i < min((ch+1)*chunkEdges, len(rb.pts)-1); i++ {
				b1, b2 := rb.pts[i], rb.pts[i+1]
				minX, maxX := math.Min(b1[0], b2[0]), math.Max(b1[0], b2[0])
				minY, maxY := math.Min(b1[1], b2[1]), math.Max(b1[1], b2[1])
				if maxX < box.Min[0] || minX > box.Max[0] || maxY < box.Min[1] || minY > box.Max[1] {
					continue
				}
				x0, x1, y0, y1 := g.cellX(minX), g.cellX(maxX), g.cellY(minY), g.cellY(maxY)
				if g.empty(x0, x1, y0, y1) {
					continue
				}
				scanned++
				if visits += (x1 - x0 + 1) * (y1 - y0 + 1); visits > 8*scanned+1024 {
					return nil, false, false
				}
				for y := y0; y <= y1; y++ {
					for x := x0; x <= x1; x++ {
						c := y*g.nx + x
						for _, j := range g.items[g.start[c]:g.start[c+1]] {
							e := &g.edges[j]
							if e.maxX < minX || e.minX > maxX || e.maxY < minY || e.minY > maxY {
								continue
							}
							if g.cellY(math.Max(e.minY, minY))*g.nx+g.cellX(math.Max(e.minX, minX)) != c {
								continue // tested in another cell
							}
							ra := &a.rings[e.ring]
							a1, a2 := ra.pts[int(e.k)-ra.start], ra.pts[int(e.k)-ra.start+1]
							switch kind, _, p := segCross(a1, a2, b1, b2); kind {
							case crossNear:
								return nil, false, true
							case crossProper:
								cs = append(cs, crossing{edges: [2]int32{e.k, int32(rb.start + i)}, p: p})
							}
						}
					}
				}
			}
		}
	}
	return cs, true, true
}

// appendEdges appends f's edges whose boxes meet box.
func appendEdges(buf []sweepEdge, f *WalkShape, box orb.Bound, ofB bool) []sweepEdge {
	for ri := range f.rings {
		r := &f.rings[ri]
		if !r.bound.Intersects(box) {
			continue
		}
		for c, cb := range r.chunks {
			if !cb.Intersects(box) {
				continue
			}
			for i := c * chunkEdges; i < min((c+1)*chunkEdges, len(r.pts)-1); i++ {
				p, q := r.pts[i], r.pts[i+1]
				e := sweepEdge{k: int32(r.start + i), ring: int32(ri), minX: math.Min(p[0], q[0]), maxX: math.Max(p[0], q[0]),
					minY: math.Min(p[1], q[1]), maxY: math.Max(p[1], q[1]), ofB: ofB}
				if e.maxX < box.Min[0] || e.minX > box.Max[0] || e.maxY < box.Min[1] || e.minY > box.Max[1] {
					continue
				}
				buf = append(buf, e)
			}
		}
	}
	return buf
}

// Tolerances of the orientation test: its sign is not trusted when it is
// within orientTol of the size of its terms (far above rounding error, 3.3e-16
// by Shewchuk's bound, so that a vertex that the input's decimal-to-binary
// rounding moved off another feature's edge still counts as touching it, as
// GEOS finds), or within degenerate of the squared length of the edges.
const (
	orientTol  = 1e-10
	degenerate = 1e-12
)

// orientSure returns twice the signed area of a, b, c and whether its sign
// is certain; s2 is the squared extent of the edges involved.
func orientSure(a, b, c orb.Point, s2 float64) (float64, bool) {
	l := (b[0] - a[0]) * (c[1] - a[1])
	r := (b[1] - a[1]) * (c[0] - a[0])
	d := l - r
	ad := math.Abs(d)
	return d, ad > orientTol*(math.Abs(l)+math.Abs(r)) && ad > degenerate*s2
}

func extent(a, b orb.Point) float64 { return math.Max(math.Abs(b[0]-a[0]), math.Abs(b[1]-a[1])) }

const (
	crossNone = iota
	crossProper
	crossNear // too close to call: touching, collinear or near a vertex
)

// segCross classifies segments a1a2 and b1b2; a proper crossing is at
// a1 + t(a2−a1).
func segCross(a1, a2, b1, b2 orb.Point) (kind int, t float64, p orb.Point) {
	s := math.Max(extent(a1, a2), extent(b1, b2))
	s2 := s * s
	d1, ok1 := orientSure(b1, b2, a1, s2)
	d2, ok2 := orientSure(b1, b2, a2, s2)
	if ok1 && ok2 && (d1 > 0) == (d2 > 0) {
		return crossNone, 0, orb.Point{}
	}
	d3, ok3 := orientSure(a1, a2, b1, s2)
	d4, ok4 := orientSure(a1, a2, b2, s2)
	if ok3 && ok4 && (d3 > 0) == (d4 > 0) {
		return crossNone, 0, orb.Point{}
	}
	if !(ok1 && ok2 && ok3 && ok4) {
		return crossNear, 0, orb.Point{}
	}
	t = d1 / (d1 - d2)
	return crossProper, t, orb.Point{a1[0] + t*(a2[0]-a1[0]), a1[1] + t*(a2[1]-a1[1])}
}

// param returns where p lies along b1b2, from 0 to 1.
func param(b1, b2, p orb.Point) float64 {
	dx, dy := b2[0]-b1[0], b2[1]-b1[1]
	if math.Abs(dx) >= math.Abs(dy) {
		return (p[0] - b1[0]) / dx
	}
	return (p[1] - b1[1]) / dy
}

// contains reports whether p lies inside s (even-odd over all rings, which
// is right for valid polygons); sure is false when p is too close to s's
// boundary to tell.
func (s *WalkShape) contains(p orb.Point) (in, sure bool) {
	if !s.bound.Contains(p) {
		return false, true
	}
	for ri := range s.rings {
		r := &s.rings[ri]
		if !r.bound.Contains(p) {
			continue
		}
		for c, cb := range r.chunks {
			if cb.Min[1] > p[1] || cb.Max[1] < p[1] || cb.Max[0] < p[0] {
				continue // no edge of the chunk meets the ray from p to the east
			}
			for i := c * chunkEdges; i < min((c+1)*chunkEdges, len(r.pts)-1); i++ {
				u, v := r.pts[i], r.pts[i+1]
				if math.Min(u[1], v[1]) > p[1] || math.Max(u[1], v[1]) < p[1] {
					continue
				}
				e := extent(u, v)
				o, ok := orientSure(u, v, p, e*e)
				if !ok && p[0] >= math.Min(u[0], v[0]) && p[0] <= math.Max(u[0], v[0]) {
					return false, false
				}
				if (u[1] > p[1]) != (v[1] > p[1]) && (o > 0) == (v[1] > u[1]) {
					in = !in
				}
			}
		}
	}
	return in, true
}

// pieceArea is the contribution of the piece p→q of a ring with the given
// sign: RingAreaM2's term for that edge.
func pieceArea(p, q orb.Point, sign float64) float64 {
	return -sign * edgeIntegral(p[0]*degToRad, p[1]*degToRad, q[0]*degToRad, q[1]*degToRad)
}

// Neighbour is a shape next to the walked one, with the crossings on the
// walked shape's boundary (onA of Cross(walked, Shape), or onB of
// Cross(Shape, walked)).
type Neighbour struct {
	Shape *WalkShape
	Cross Crossings
}

// Walk cuts s's boundary where it crosses its neighbours' and measures the
// pieces. inside lists the neighbours (positions in nbrs, in no order) that
// contain the current piece. For the pieces where keep(inside) is true, their
// contributions add up to total (no total with a nil keep); within[j] (when
// within is not nil, len(nbrs) long) adds up the contributions of the pieces
// inside nbrs[j], so that within[j] of a plus that of b is area(a ∩ b)
// (either alone is no area: it integrates open paths).
// ok is false when a ring of s starts too close to the boundary of
// nbrs[bad] to tell whether it is inside.
//
// Every neighbour whose boundary crosses s's must be listed: the walk only
// knows the containment it is told about.
func (w *Walker) Walk(s *WalkShape, nbrs []Neighbour, keep func(inside []int32) bool, within []float64) (total float64, bad int, ok bool) {
	cross := w.cross[:0]
	for j := range nbrs {
		c := nbrs[j].Cross
		side := 0
		if c.second {
			side = 1
		}
		for _, x := range c.pts {
			k := int(x.edges[side])
			r := &s.rings[0]
			if len(s.rings) > 1 {
				r = &s.rings[sort.Search(len(s.rings), func(i int) bool { return s.rings[i].end-1 > k })]
			}
			t := param(r.pts[k-r.start], r.pts[k-r.start+1], x.p)
			cross = append(cross, walkCross{edge: int32(k), other: int32(j), t: t, p: x.p})
		}
	}
	slices.SortFunc(cross, func(x, y walkCross) int {
		if x.edge != y.edge {
			return cmp.Compare(x.edge, y.edge)
		}
		return cmp.Compare(x.t, y.t)
	})
	w.cross = cross
	state := slices.Grow(w.state[:0], len(nbrs))[:len(nbrs)]
	clear(state)
	w.state = state
	inside := w.inside[:0]
	defer func() { w.inside = inside[:0] }()
	add := func(p, q orb.Point, sign float64) {
		kept := keep != nil && keep(inside)
		if !kept && (within == nil || len(inside) == 0) {
			return
		}
		a := pieceArea(p, q, sign)
		if kept {
			total += a
		}
		if within != nil {
			for _, j := range inside {
				within[j] += a
			}
		}
	}
	ci := 0
	for ri := range s.rings {
		r := &s.rings[ri]
		inside = inside[:0]
		start := r.pts[0]
		for j := range nbrs {
			state[j] = false
			o := nbrs[j].Shape
			if !o.bound.Intersects(r.bound) {
				continue
			}
			in, sure := o.contains(start)
			if !sure {
				return 0, j, false
			}
			if in {
				state[j] = true
				inside = append(inside, int32(j))
			}
		}
		for ci < len(cross) && int(cross[ci].edge) < r.start {
			ci++
		}
		for k := r.start; k+1 < r.end; k++ {
			p := r.pts[k-r.start]
			for ci < len(cross) && int(cross[ci].edge) == k {
				c := cross[ci]
				add(p, c.p, r.sign)
				p = c.p
				j := c.other
				state[j] = !state[j]
				if state[j] {
					inside = append(inside, j)
				} else if i := slices.Index(inside, j); i >= 0 {
					inside = slices.Delete(inside, i, i+1)
				}
				ci++
			}
			add(p, r.pts[k-r.start+1], r.sign)
		}
	}
	return total, 0, true
}
