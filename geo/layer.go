package geo

import (
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// smallLayer is the most features a layer holds without an R-tree (a
// single-site upload would build a 2.7 kB tree for one box). Candidates
// scans them in the order the tree's one leaf would hold them, so callers
// see the same candidates in the same order either way.
const smallLayer = 8

// Layer is a set of features indexed by bounding box. The zero value is an
// empty layer ready to use. A layer is read-only once loaded, so it may be
// queried from many goroutines at once.
type Layer struct {
	Name     string
	Features []Feature
	tree     rtree.RTreeG[int] // all the features once there are more than smallLayer
	small    [smallLayer]uint8 // until then, their indices in the tree leaf's order
	bound    orb.Bound         // and their box, as the tree grows it
}

// Add appends f and indexes its bounding box.
func (l *Layer) Add(f Feature) {
	l.Features = append(l.Features, f)
	n := len(l.Features)
	switch {
	case n <= smallLayer:
		// Where the leaf inserts it: before the first box whose min x is not
		// below its own.
		pos := 0
		for pos < n-1 && l.Features[l.small[pos]].Bound.Min[0] < f.Bound.Min[0] {
			pos++
		}
		copy(l.small[pos+1:n], l.small[pos:n-1])
		l.small[pos] = uint8(n - 1)
		if n == 1 {
			l.bound = f.Bound
		} else {
			l.bound = expandBound(l.bound, f.Bound)
		}
	case n == smallLayer+1: // the same tree as inserting them one by one
		for i := range l.Features {
			l.tree.Insert(l.Features[i].Bound.Min, l.Features[i].Bound.Max, i)
		}
	default:
		l.tree.Insert(f.Bound.Min, f.Bound.Max, n-1)
	}
}

// expandBound grows b to cover c, comparing as the R-tree does (a NaN
// never wins), so a small layer's box is the tree's.
func expandBound(b, c orb.Bound) orb.Bound {
	for k := range 2 {
		if c.Min[k] < b.Min[k] {
			b.Min[k] = c.Min[k]
		}
		if c.Max[k] > b.Max[k] {
			b.Max[k] = c.Max[k]
		}
	}
	return b
}

// boxesMeet is the R-tree's intersection test (touching boxes meet; a NaN
// bound fails no comparison).
func boxesMeet(a, b orb.Bound) bool {
	return !(b.Min[0] > a.Max[0] || b.Max[0] < a.Min[0] || b.Min[1] > a.Max[1] || b.Max[1] < a.Min[1])
}

// Len returns the number of features.
func (l *Layer) Len() int { return len(l.Features) }

// Candidates calls fn for each feature whose bounding box intersects b (a
// touching box counts), in no particular order, until fn returns false.
// It does not allocate.
func (l *Layer) Candidates(b orb.Bound, fn func(i int, f *Feature) bool) {
	if n := len(l.Features); n <= smallLayer {
		if n == 0 || !boxesMeet(b, l.bound) { // the tree tests its box first
			return
		}
		for _, i := range l.small[:n] {
			if f := &l.Features[i]; boxesMeet(f.Bound, b) && !fn(int(i), f) {
				return
			}
		}
		return
	}
	l.tree.Search(b.Min, b.Max, func(_, _ [2]float64, i int) bool {
		return fn(i, &l.Features[i])
	})
}

// Bound returns the bounding box of all features.
func (l *Layer) Bound() orb.Bound {
	if n := len(l.Features); n <= smallLayer {
		return l.bound // zero when empty
	}
	min, max := l.tree.Bounds()
	return orb.Bound{Min: min, Max: max}
}
