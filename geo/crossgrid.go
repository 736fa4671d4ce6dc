package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// A cover's first walk crosses every pair of its shapes whose boxes meet.
// Searched pair by pair (Walker.Cross), each pair scans the edges of one
// shape inside the pair's common box: in a dense layer, where every shape
// meets dozens of others, an edge is scanned once per neighbour whose box
// holds it, and that search, not the crossings, dominates. crossGroup
// instead bins the chunks of all the shapes' rings (runs of chunkEdges
// edges, walkRing.chunks) once, in one grid of about one cell per chunk,
// and for each pair of chunks of two shapes whose boxes meet, tests the
// edges of one that meet the other's box against those of the other that
// meet the first's. An edge's box lies in its chunk's, so these are all the
// pairs of edges whose boxes meet, each tested once (a pair of chunks is
// taken in the cell of their boxes' overlap's low corner), as Cross tests
// them, and with the same shape first (segCross(a, b), a the shape earlier
// in crossAll's order): every crossing point is the one Cross finds.

// groupCrossFrom is the number of shapes from which crossAll crosses a
// cover's pairs by crossGroup (a variable so that tests choose).
var groupCrossFrom = 16

// groupChunk is a run of at most chunkEdges edges of one ring.
type groupChunk struct {
	box        orb.Bound
	rank, ring int32 // the shape's position in crossAll's order, its ring
	first, n   int32 // the edges first..first+n−1 of the ring
}

// groupCross is a crossing found by crossGroup, for the pair key (the
// ranks of its shapes, lower first).
type groupCross struct {
	key uint64
	c   crossing
}

// groupCrossings are the results of crossGroup, in crossAll's order of
// pairs: the crossings by pair key, and the keys of the pairs that touch.
type groupCrossings struct {
	keys []uint64 // keys[i] is the pair of pts[i]
	pts  []crossing
	near []uint64 // sorted, without duplicates
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// chunkEdge is an edge of a chunk in crossChunks.
type chunkEdge struct {
	minX, maxX, minY, maxY float64
	i                      int32 // its index in the ring
}

// crossGroup crosses every pair of shapes (ranked: by their position in
// crossAll's order) whose boxes meet, but those with the shape at rank
// skip (−1: none). done is false when the chunks bunch up so that the grid
// would cost more than the pair-by-pair search.
func (w *Walker) crossGroup(ranked []*WalkShape, skip int) (res groupCrossings, done bool) {
	chunks := w.groupChunks[:0]
	ends := slices.Grow(w.groupEnds[:0], len(ranked))[:len(ranked)] // ends[r]: after rank r's last chunk
	var box orb.Bound
	extent := 0.0 // the chunks' sizes, summed
	for r, s := range ranked {
		if r != skip {
			for ri := range s.rings {
				wr := &s.rings[ri]
				for ch, cb := range wr.chunks {
					if len(chunks) == 0 {
						box = cb
					}
					box = box.Union(cb)
					extent += max(cb.Max[0]-cb.Min[0], cb.Max[1]-cb.Min[1])
					first := ch * chunkEdges
					chunks = append(chunks, groupChunk{box: cb, rank: int32(r), ring: int32(ri), first: int32(first), n: int32(min(chunkEdges, len(wr.pts)-1-first))})
				}
			}
		}
		ends[r] = int32(len(chunks))
	}
	w.groupChunks, w.groupEnds = chunks, ends
	if len(chunks) == 0 {
		return groupCrossings{}, true
	}
	g := chunkGrid(box, len(chunks), extent/float64(len(chunks)))
	cells := g.nx * g.ny
	start := slices.Grow(w.groupStart[:0], cells+1)[:cells+1]
	clear(start)
	w.groupStart = start
	entries := 0
	for i := range chunks {
		x0, x1, y0, y1 := g.span(chunks[i].box)
		if entries += (x1 - x0 + 1) * (y1 - y0 + 1); entries > 8*len(chunks)+1024 {
			return groupCrossings{}, false
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
	items := slices.Grow(w.groupItems[:0], entries)[:entries]
	fill := append(w.groupFill[:0], start[:cells]...)
	for i := range chunks { // in rank order: a cell's items run shape by shape
		x0, x1, y0, y1 := g.span(chunks[i].box)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				c := y*g.nx + x
				items[fill[c]] = int32(i)
				fill[c]++
			}
		}
	}
	w.groupItems, w.groupFill = items, fill
	recs, near := w.groupRecs[:0], w.groupNear[:0]
	defer func() {
		w.groupRecs, w.groupNear = recs[:0], near[:0]
		w.dropGroupScratch()
	}()
	pairs, budget := 0, 64*len(chunks)+1<<16 // pairs of chunks before the pair-by-pair search is cheaper
	for ai := range chunks {
		a := &chunks[ai]
		end := ends[a.rank] // the chunks from here on are of shapes later in the order
		ea := w.chunkA[:0]
		x0, x1, y0, y1 := g.span(a.box)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				c := y*g.nx + x
				it := items[start[c]:start[c+1]]
				for k := len(it) - 1; k >= 0 && it[k] >= end; k-- {
					b := &chunks[it[k]]
					if !a.box.Intersects(b.box) || g.cellY(math.Max(a.box.Min[1], b.box.Min[1]))*g.nx+g.cellX(math.Max(a.box.Min[0], b.box.Min[0])) != c {
						continue // apart, or taken in another cell
					}
					if pairs++; pairs > budget {
						return groupCrossings{}, false
					}
					if len(ea) == 0 { // a's edges, once for all its pairs
						ea = chunkEdgesIn(ea, &ranked[a.rank].rings[a.ring], a, a.box)
					}
					recs, near = w.crossChunks(ranked, a, b, ea, recs, near)
				}
			}
		}
		w.chunkA = ea
	}
	// By pair only: the order of one pair's crossings is the order they were
	// found in (deterministic), which the walk does not depend on.
	slices.SortFunc(recs, func(x, y groupCross) int { return cmp.Compare(x.key, y.key) })
	slices.Sort(near)
	near = slices.Compact(near)
	res = groupCrossings{keys: make([]uint64, len(recs)), pts: make([]crossing, len(recs)), near: slices.Clone(near)}
	for i := range recs {
		res.keys[i], res.pts[i] = recs[i].key, recs[i].c
	}
	return res, true
}

// crossChunks tests the edges of chunk a (ea, all of them) against those of
// chunk b (a of the shape earlier in the order), appending the proper
// crossings to recs, and the pair's key to near when two edges touch or
// nearly do.
func (w *Walker) crossChunks(ranked []*WalkShape, a, b *groupChunk, ea []chunkEdge, recs []groupCross, near []uint64) ([]groupCross, []uint64) {
	// a's edges meeting b's box, first: chunk boxes of rough rings meet far
	// more often than their edges, and then b's points are not read at all.
	in := w.chunkIn[:0]
	var box orb.Bound // theirs
	for i := range ea {
		e := &ea[i]
		if e.maxX < b.box.Min[0] || e.minX > b.box.Max[0] || e.maxY < b.box.Min[1] || e.minY > b.box.Max[1] {
			continue
		}
		if len(in) == 0 {
			box = orb.Bound{Min: orb.Point{e.minX, e.minY}, Max: orb.Point{e.maxX, e.maxY}}
		} else {
			box.Min[0], box.Min[1] = min(box.Min[0], e.minX), min(box.Min[1], e.minY)
			box.Max[0], box.Max[1] = max(box.Max[0], e.maxX), max(box.Max[1], e.maxY)
		}
		in = append(in, int8(i))
	}
	w.chunkIn = in
	if len(in) == 0 {
		return recs, near
	}
	eb := chunkEdgesIn(w.chunkB[:0], &ranked[b.rank].rings[b.ring], b, box)
	w.chunkB = eb
	if len(eb) == 0 {
		return recs, near
	}
	key := pairKey(a.rank, b.rank)
	ra, rb := &ranked[a.rank].rings[a.ring], &ranked[b.rank].rings[b.ring]
	for _, i := range in {
		e := &ea[i]
		for j := range eb {
			o := &eb[j]
			if o.maxX < e.minX || o.minX > e.maxX || o.maxY < e.minY || o.minY > e.maxY {
				continue
			}
			switch kind, _, p := segCross(ra.pts[e.i], ra.pts[e.i+1], rb.pts[o.i], rb.pts[o.i+1]); kind {
			case crossNear:
				return recs, append(near, key)
			case crossProper:
				recs = append(recs, groupCross{key: key, c: crossing{edges: [2]int32{int32(ra.start) + e.i, int32(rb.start) + o.i}, p: p}})
			}
		}
	}
	return recs, near
}

// chunkEdgesIn appends the edges of chunk c of ring r whose boxes meet box.
func chunkEdgesIn(buf []chunkEdge, r *walkRing, c *groupChunk, box orb.Bound) []chunkEdge {
	for i := c.first; i < c.first+c.n; i++ {
		p, q := r.pts[i], r.pts[i+1]
		e := chunkEdge{minX: min(p[0], q[0]), maxX: max(p[0], q[0]), minY: min(p[1], q[1]), maxY: max(p[1], q[1]), i: i}
		if e.maxX < box.Min[0] || e.minX > box.Max[0] || e.maxY < box.Min[1] || e.minY > box.Max[1] {
			continue
		}
		buf = append(buf, e)
	}
	return buf
}

// cellGrid is a grid of about n cells over a box, laid out as crossByGrid's.
type cellGrid struct {
	nx, ny int
	fx, fy float64
	min    orb.Point
}

// chunkGrid is a grid over box for n chunks of mean size size: cells of
// about that size, so that a chunk spans about four, but no more than 4n
// cells (sparse chunks) and no fewer than n/4 (they all run together).
func chunkGrid(box orb.Bound, n int, size float64) cellGrid {
	bw, bh := box.Max[0]-box.Min[0], box.Max[1]-box.Min[1]
	if size > 0 && bw > 0 && bh > 0 {
		cells := (bw / size) * (bh / size)
		return newCellGrid(box, int(min(4*float64(n), max(float64(n)/4, cells))))
	}
	return newCellGrid(box, n)
}

func newCellGrid(box orb.Bound, n int) cellGrid {
	bw, bh := box.Max[0]-box.Min[0], box.Max[1]-box.Min[1]
	g := cellGrid{nx: 1, ny: 1, min: box.Min}
	switch {
	case bw > 0 && bh > 0:
		g.nx = max(1, min(n, int(math.Sqrt(float64(n)*bw/bh))))
		g.ny = max(1, min(n, n/g.nx))
	case bw > 0:
		g.nx = n
	case bh > 0:
		g.ny = n
	}
	if bw > 0 {
		g.fx = float64(g.nx) / bw
	}
	if bh > 0 {
		g.fy = float64(g.ny) / bh
	}
	return g
}

func (g cellGrid) cellX(x float64) int { return min(g.nx-1, max(0, int((x-g.min[0])*g.fx))) }
func (g cellGrid) cellY(y float64) int { return min(g.ny-1, max(0, int((y-g.min[1])*g.fy))) }

// span returns the cells under box b.
func (g cellGrid) span(b orb.Bound) (x0, x1, y0, y1 int) {
	return g.cellX(b.Min[0]), g.cellX(b.Max[0]), g.cellY(b.Min[1]), g.cellY(b.Max[1])
}

// groupScratchKept is the size (in entries) up to which a Walker keeps
// crossGroup's scratch for its next call: a layer's largest covers (a
// region of a national layer) would otherwise hold theirs in every idle
// Walker of the pool.
const groupScratchKept = 1 << 15

func (w *Walker) dropGroupScratch() {
	if cap(w.groupChunks) > groupScratchKept {
		w.groupChunks = nil
	}
	if cap(w.groupItems) > 4*groupScratchKept {
		w.groupStart, w.groupItems, w.groupFill = nil, nil, nil
	}
	if cap(w.groupRecs) > 8*groupScratchKept { // (crossings: some covers find far more than chunks)
		w.groupRecs = nil
	}
}
