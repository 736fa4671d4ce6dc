package geo

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// ValidateAskingEngine is Validate with every rule between rings and parts
// left to the engine, as before our own check decided them: the reference
// of the differential tests.
func ValidateAskingEngine(g orb.Geometry) []Problem { return validate(g, true) }

// EngineValidate runs the overlay engine's own validation (simplefeatures'
// Validate in both builds) on g.
func EngineValidate(g orb.Geometry) error {
	e, err := toEngine(g)
	if err != nil {
		return err
	}
	return engineValidate(e)
}

// ValidateGridAlways is Validate with the edge grid used on rings of any
// size (it starts at gridMinEdges edges otherwise).
func ValidateGridAlways(g orb.Geometry) []Problem {
	defer func(n int) { gridMinEdges = n }(gridMinEdges)
	gridMinEdges = 1
	return Validate(g)
}

// SetCrossGridMin sets the number of edges from which Walker.Cross bins
// them in a grid, and returns the previous value.
func SetCrossGridMin(n int) int {
	old := crossGridMin
	crossGridMin = n
	return old
}

// SetCoverMerging sets how often Cover.AreaM2 merges polygons in contact
// and walks again (rounds 0: it overlays) and from how many polygons it
// does, returning the previous values.
func SetCoverMerging(rounds, from int) (int, int) {
	r, f := mergeRounds, mergeFrom
	mergeRounds, mergeFrom = rounds, from
	return r, f
}

// SetCrossBinsFrom sets the Cross call in a row with the same first shape
// that bins its edges (math.MaxInt: never), and returns the previous value.
func SetCrossBinsFrom(n int) int {
	old := binsFrom
	binsFrom = n
	return old
}

// SetReusePairs sets whether the walks of one cover share the crossings of
// their pairs, and returns the previous value.
func SetReusePairs(on bool) bool {
	old := reusePairs
	reusePairs = on
	return old
}

// CrossingsSorted returns the edges and points of c, ordered.
func CrossingsSorted(c Crossings) [][4]float64 {
	side := 0
	if c.second {
		side = 1
	}
	out := make([][4]float64, len(c.pts))
	for k, x := range c.pts {
		out[k] = [4]float64{float64(x.edges[side]), x.p[0], x.p[1]}
	}
	slices.SortFunc(out, func(p, q [4]float64) int {
		if p[0] != q[0] {
			return cmp.Compare(p[0], q[0])
		}
		if p[1] != q[1] {
			return cmp.Compare(p[1], q[1])
		}
		return cmp.Compare(p[2], q[2])
	})
	return out
}

// Binned reports whether w's Cross has s's edges binned in a grid.
func (w *Walker) Binned(s *WalkShape) bool {
	for k := range w.bins {
		if w.bins[k].shape == s && !w.bins[k].failed {
			return true
		}
	}
	return false
}

// SetGroupCrossFrom sets from how many shapes crossAll crosses all the
// pairs of a first walk at once (crossGroup; math.MaxInt: never), and
// returns the previous value.
func SetGroupCrossFrom(n int) int {
	old := groupCrossFrom
	groupCrossFrom = n
	return old
}

// CrossAllResult is what crossAll found, in terms of positions in shapes:
// each shape's neighbours in order with their crossings (CrossingsSorted),
// and the pairs reported touching, in order.
type CrossAllResult struct {
	OK      bool
	Nbrs    [][]int
	Cross   [][][][4]float64
	Touches [][2]int
}

// CrossAll runs crossAll on shapes. With clip, shapes[0] is a clip whose
// crossings with each other shape are kept in ClipCrossings (a fresh one
// per shape); with collect, touching pairs are reported and left out
// instead of ending the search.
func CrossAll(shapes []*WalkShape, clip, collect bool) CrossAllResult {
	var known func(i, j int) *ClipCrossing
	if clip {
		kept := make([]ClipCrossing, len(shapes))
		known = func(i, j int) *ClipCrossing {
			switch {
			case i == 0:
				return &kept[j]
			case j == 0:
				return &kept[i]
			}
			return nil
		}
	}
	var res CrossAllResult
	var touch func(i, j int) bool
	if collect {
		touch = func(i, j int) bool {
			res.Touches = append(res.Touches, [2]int{i, j})
			return true
		}
	}
	var w Walker
	nbrs, ok := crossAll(&w, shapes, known, touch, nil, walkNeighbours{})
	res.OK = ok
	for i := range nbrs {
		var ns []int
		var cs [][][4]float64
		for _, n := range nbrs[i] {
			ns = append(ns, slices.Index(shapes, n.Shape))
			cs = append(cs, CrossingsSorted(n.Cross))
		}
		res.Nbrs = append(res.Nbrs, ns)
		res.Cross = append(res.Cross, cs)
	}
	return res
}

// CrossGroupDone reports whether crossGroup crosses shapes (in their order)
// at once, rather than leaving them to the pair-by-pair search.
func CrossGroupDone(shapes []*WalkShape) bool {
	var w Walker
	_, done := w.crossGroup(shapes, -1)
	return done
}
