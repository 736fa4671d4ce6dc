package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// BoundaryGrid holds a region's boundary edges in a uniform grid. It answers,
// conservatively, whether a feature's boundary stays clear of the region's
// boundary; if it does, the feature lies wholly inside or wholly outside
// the region, and one point decides which: no overlay is needed. It is the
// cheap shortcut in front of Intersect (an exact Covers test costs as
// much as the overlay itself in the pure-Go engine).
type BoundaryGrid struct {
	b      orb.Bound
	nx, ny int
	cw, ch float64
	cells  [][]int32
	edges  [][2]orb.Point
}

// gridEps pads every box test (degrees, ~0.1 mm): anything closer than that
// goes to the exact overlay.
const gridEps = 1e-9

// NewBoundaryGrid indexes the boundary edges of the polygonal geometry g.
func NewBoundaryGrid(g orb.Geometry) *BoundaryGrid {
	eg := &BoundaryGrid{b: g.Bound()}
	eachRing(g, func(r orb.Ring) {
		for k := 0; k+1 < len(r); k++ {
			eg.edges = append(eg.edges, [2]orb.Point{r[k], r[k+1]})
		}
	})
	n := int(math.Ceil(math.Sqrt(float64(len(eg.edges)))))
	eg.nx, eg.ny = min(max(n, 1), 512), min(max(n, 1), 512)
	eg.cw = math.Max((eg.b.Max[0]-eg.b.Min[0])/float64(eg.nx), 1e-12)
	eg.ch = math.Max((eg.b.Max[1]-eg.b.Min[1])/float64(eg.ny), 1e-12)
	eg.cells = make([][]int32, eg.nx*eg.ny)
	for i, e := range eg.edges {
		x0, y0, x1, y1 := eg.cellRange(e[0], e[1])
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				eg.cells[y*eg.nx+x] = append(eg.cells[y*eg.nx+x], int32(i))
			}
		}
	}
	return eg
}

func (eg *BoundaryGrid) cellRange(a, b orb.Point) (x0, y0, x1, y1 int) {
	cl := func(v float64, n int) int { return min(max(int(v), 0), n-1) }
	x0 = cl((math.Min(a[0], b[0])-gridEps-eg.b.Min[0])/eg.cw, eg.nx)
	x1 = cl((math.Max(a[0], b[0])+gridEps-eg.b.Min[0])/eg.cw, eg.nx)
	y0 = cl((math.Min(a[1], b[1])-gridEps-eg.b.Min[1])/eg.ch, eg.ny)
	y1 = cl((math.Max(a[1], b[1])+gridEps-eg.b.Min[1])/eg.ch, eg.ny)
	return
}

// Clear reports whether no edge of g comes within gridEps (by boxes) of an
// edge of the region.
func (eg *BoundaryGrid) Clear(g orb.Geometry) bool {
	ok := true
	eachRing(g, func(r orb.Ring) {
		for k := 0; ok && k+1 < len(r); k++ {
			a, b := r[k], r[k+1]
			minX, maxX := math.Min(a[0], b[0])-gridEps, math.Max(a[0], b[0])+gridEps
			minY, maxY := math.Min(a[1], b[1])-gridEps, math.Max(a[1], b[1])+gridEps
			if maxX < eg.b.Min[0] || minX > eg.b.Max[0] || maxY < eg.b.Min[1] || minY > eg.b.Max[1] {
				continue
			}
			x0, y0, x1, y1 := eg.cellRange(a, b)
			for y := y0; ok && y <= y1; y++ {
				for x := x0; ok && x <= x1; x++ {
					for _, ei := range eg.cells[y*eg.nx+x] {
						e := eg.edges[ei]
						if math.Max(e[0][0], e[1][0]) >= minX && math.Min(e[0][0], e[1][0]) <= maxX &&
							math.Max(e[0][1], e[1][1]) >= minY && math.Min(e[0][1], e[1][1]) <= maxY {
							ok = false
							break
						}
					}
				}
			}
		}
	})
	return ok
}

// VertexIn reports whether a vertex of the region lies in b (padded).
func (eg *BoundaryGrid) VertexIn(b orb.Bound) bool {
	b = orb.Bound{Min: orb.Point{b.Min[0] - gridEps, b.Min[1] - gridEps}, Max: orb.Point{b.Max[0] + gridEps, b.Max[1] + gridEps}}
	if !b.Intersects(eg.b) {
		return false
	}
	x0, y0, x1, y1 := eg.cellRange(b.Min, b.Max)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			for _, ei := range eg.cells[y*eg.nx+x] {
				if b.Contains(eg.edges[ei][0]) {
					return true
				}
			}
		}
	}
	return false
}

// Inside reports whether p lies inside the region (even-odd rule). Only
// call it for a point clear of every edge's box, where it is exact.
func (eg *BoundaryGrid) Inside(p orb.Point) bool {
	in := false
	for _, e := range eg.edges {
		a, b := e[0], e[1]
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				in = !in
			}
		}
	}
	return in
}

func eachRing(g orb.Geometry, fn func(orb.Ring)) {
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			fn(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			eachRing(p, fn)
		}
	case orb.Collection:
		for _, c := range g {
			eachRing(c, fn)
		}
	case orb.Bound:
		eachRing(g.ToPolygon(), fn)
	}
}

// PartsInside reports, for a geometry clear of the region's boundary,
// whether all its polygons lie inside the region (all), or all outside
// (none); a multipolygon with parts on both sides gives neither.
func (eg *BoundaryGrid) PartsInside(g orb.Geometry) (all, none bool) {
	all, none = true, true
	var visit func(g orb.Geometry)
	visit = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Polygon:
			if len(g) == 0 || len(g[0]) == 0 {
				return
			}
			if eg.Inside(g[0][0]) {
				none = false
			} else {
				all = false
			}
		case orb.MultiPolygon:
			for _, p := range g {
				visit(p)
			}
		default:
			all, none = false, false
		}
	}
	visit(g)
	return all, none
}
