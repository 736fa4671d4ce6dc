package geo

import (
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Layer is a set of features indexed by bounding box. The zero value is an
// empty layer ready to use. A layer is read-only once loaded, so it may be
// queried from many goroutines at once.
type Layer struct {
	Name     string
	Features []Feature
	tree     rtree.RTreeG[int]
}

// Add appends f and indexes its bounding box.
func (l *Layer) Add(f Feature) {
	l.Features = append(l.Features, f)
	i := len(l.Features) - 1
	l.tree.Insert(f.Bound.Min, f.Bound.Max, i)
}

// Len returns the number of features.
func (l *Layer) Len() int { return len(l.Features) }

// Candidates calls fn for each feature whose bounding box intersects b (a
// touching box counts), in no particular order, until fn returns false.
// It does not allocate.
func (l *Layer) Candidates(b orb.Bound, fn func(i int, f *Feature) bool) {
	l.tree.Search(b.Min, b.Max, func(_, _ [2]float64, i int) bool {
		return fn(i, &l.Features[i])
	})
}

// Bound returns the bounding box of all features.
func (l *Layer) Bound() orb.Bound {
	if len(l.Features) == 0 {
		return orb.Bound{}
	}
	min, max := l.tree.Bounds()
	return orb.Bound{Min: min, Max: max}
}
