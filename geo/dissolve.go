package geo

import (
	"sort"

	"github.com/paulmach/orb"

	sf "github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// Dissolve returns the union of the polygonal parts of shapes, so that no
// area counts twice. It unions only inside connected groups of shapes that
// really intersect (found with an R-tree, then checked exactly), as a
// cascaded tree of two-input unions; a shape that meets nothing passes
// through untouched. The inputs are not modified.
func Dissolve(shapes []Shape) (Shape, error) {
	var polys []sf.Polygon
	for _, group := range overlapGroups(shapes) {
		u, err := cascadeUnion(shapes, group)
		if err != nil {
			return Shape{}, err
		}
		polys = appendPolygons(polys, u.Polygonal().g)
	}
	switch len(polys) {
	case 0:
		return Shape{}, nil
	case 1:
		return Shape{polys[0].AsGeometry()}, nil
	}
	return Shape{sf.NewMultiPolygon(polys).AsGeometry()}, nil
}

// overlapGroups returns the connected components of shapes under "their
// boxes overlap and they intersect", each as indexes sorted west to east.
func overlapGroups(shapes []Shape) [][]int {
	parent := make([]int, len(shapes))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	var tr rtree.RTreeG[int]
	bounds := make([][2][2]float64, len(shapes))
	for i, s := range shapes {
		if s.IsEmpty() {
			continue
		}
		b := s.Bound()
		bounds[i] = [2][2]float64{b.Min, b.Max}
		tr.Insert(b.Min, b.Max, i)
	}
	for i, s := range shapes {
		if s.IsEmpty() {
			continue
		}
		tr.Search(bounds[i][0], bounds[i][1], func(_, _ [2]float64, j int) bool {
			if j <= i || find(i) == find(j) {
				return true
			}
			if hit, err := Intersects(s, shapes[j]); err != nil || hit {
				// On an engine error, union them anyway: the union will
				// report the error with its context.
				parent[find(j)] = find(i)
			}
			return true
		})
	}
	byRoot := map[int][]int{}
	var roots []int
	for i, s := range shapes {
		if s.IsEmpty() {
			continue
		}
		r := find(i)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], i)
	}
	groups := make([][]int, 0, len(roots))
	for _, r := range roots {
		g := byRoot[r]
		sort.Slice(g, func(a, b int) bool { return bounds[g[a]][0][0] < bounds[g[b]][0][0] })
		groups = append(groups, g)
	}
	return groups
}

// cascadeUnion unions shapes[idx...] pairwise, level by level, so that each
// union works on inputs of similar size.
func cascadeUnion(shapes []Shape, idx []int) (Shape, error) {
	level := make([]Shape, len(idx))
	for i, j := range idx {
		level[i] = shapes[j].Polygonal()
	}
	for len(level) > 1 {
		next := make([]Shape, 0, (len(level)+1)/2)
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
				continue
			}
			u, err := Union(level[i], level[i+1])
			if err != nil {
				return Shape{}, err
			}
			next = append(next, u)
		}
		level = next
	}
	if len(level) == 0 {
		return Shape{}, nil
	}
	return level[0], nil
}

func appendPolygons(dst []sf.Polygon, g sf.Geometry) []sf.Polygon {
	switch g.Type() {
	case sf.TypePolygon:
		if !g.IsEmpty() {
			dst = append(dst, g.MustAsPolygon())
		}
	case sf.TypeMultiPolygon:
		mp := g.MustAsMultiPolygon()
		for i := 0; i < mp.NumPolygons(); i++ {
			dst = append(dst, mp.PolygonN(i))
		}
	case sf.TypeGeometryCollection:
		for _, p := range g.Dump() {
			dst = appendPolygons(dst, p)
		}
	}
	return dst
}

// BoundGroups splits boxes into groups whose boxes overlap (or touch) only
// within the group — the connected components of box overlap — returning
// each group's indexes in input order. Shapes in different groups cannot
// meet, so a union is the disjoint union of the groups' unions.
func BoundGroups(bounds []orb.Bound) [][]int {
	parent := make([]int, len(bounds))
	for k := range parent {
		parent[k] = k
	}
	find := func(k int) int {
		for parent[k] != k {
			parent[k] = parent[parent[k]]
			k = parent[k]
		}
		return k
	}
	var tr rtree.RTreeG[int]
	for k, b := range bounds {
		tr.Search(b.Min, b.Max, func(_, _ [2]float64, j int) bool {
			parent[find(j)] = find(k)
			return true
		})
		tr.Insert(b.Min, b.Max, k)
	}
	byRoot := map[int]int{}
	var out [][]int
	for k := range bounds {
		r := find(k)
		g, ok := byRoot[r]
		if !ok {
			g = len(out)
			byRoot[r] = g
			out = append(out, nil)
		}
		out[g] = append(out[g], k)
	}
	return out
}
