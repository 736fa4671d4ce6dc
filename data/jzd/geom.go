package jzd

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
)

// plotRing is one ring of a plot as read.
type plotRing struct {
	num  int // 圈号
	line int // line of its first point
	ring orb.Ring
	area float64 // signed shoelace area, > 0 when counter-clockwise (x east, y north)
}

// polygonGeometry builds a Polygon or MultiPolygon from the plot's rings.
func (p *parser) polygonGeometry(pl *plot) (orb.Geometry, error) {
	var rings []plotRing
	runs := p.splitClosedRuns(pl, groups(pl.points))
	if len(runs) > maxRings {
		return nil, p.plotErrorf(pl, pl.line, "%d rings, more than the limit of %d", len(runs), maxRings)
	}
	for _, g := range runs {
		r, err := p.closedRing(pl, g)
		if err != nil {
			return nil, err
		}
		rings = append(rings, r)
	}
	plain := make([]orb.Ring, len(rings))
	for i := range rings {
		plain[i] = rings[i].ring
	}
	// Orientation means nothing in a 界址点 file: nesting decides. 圈号 1 is
	// the outer ring by convention; a ring around it is worth a warning.
	g, _ := geo.AssembleRings(plain, geo.ByNesting)
	first := rings[0]
	for _, r := range rings[1:] {
		if math.Abs(r.area) > math.Abs(first.area) && geo.RingInRing(first.ring, r.ring) {
			p.plotWarnf(pl, r.line, "ring 圈号 %d contains the outer ring 圈号 %d: read by nesting, 圈号 %d is a hole of it", r.num, first.num, first.num)
		}
	}
	return g, nil
}

// splitClosedRuns splits a run of one 圈号 that closes and then goes on
// into several rings (some files reuse a 圈号 for several rings), and warns
// when a 圈号 appears again after other ones.
func (p *parser) splitClosedRuns(pl *plot, gs [][]point) [][]point {
	var out [][]point
	seen := map[int]bool{}
	for _, g := range gs {
		if seen[g[0].ring] {
			p.plotWarnf(pl, g[0].line, "圈号 %d appears again after other rings: read as a new ring", g[0].ring)
		}
		seen[g[0].ring] = true
		start := 0
		for i := start + 3; i < len(g)-1; i++ {
			if g[i].east == g[start].east && g[i].north == g[start].north {
				p.plotWarnf(pl, g[i+1].line, "圈号 %d goes on after its ring closed on line %d: read as a new ring", g[0].ring, g[i].line)
				out = append(out, g[start:i+1])
				start = i + 1
				i = start + 2
			}
		}
		out = append(out, g[start:])
	}
	return out
}

// closedRing makes a closed ring from a run of points, dropping repeated
// consecutive points and closing it if needed, with warnings.
func (p *parser) closedRing(pl *plot, g []point) (plotRing, error) {
	r := plotRing{num: g[0].ring, line: g[0].line}
	distinct := map[orb.Point]bool{}
	for _, pt := range g {
		q := orb.Point{pt.east, pt.north}
		if n := len(r.ring); n > 0 && r.ring[n-1] == q {
			p.plotWarnf(pl, pt.line, "point %s repeats the previous point: dropped", pt.num)
			continue
		}
		r.ring = append(r.ring, q)
		distinct[q] = true
	}
	if len(distinct) < 3 {
		return r, p.plotErrorf(pl, r.line, "ring 圈号 %d has %d distinct points, need at least 3", r.num, len(distinct))
	}
	if first, last := r.ring[0], r.ring[len(r.ring)-1]; first != last {
		p.plotWarnf(pl, g[len(g)-1].line, "ring 圈号 %d is not closed: closed it", r.num)
		r.ring = append(r.ring, first)
	}
	r.area = geo.RingSignedArea(r.ring)
	if r.area == 0 {
		p.plotWarnf(pl, r.line, "ring 圈号 %d has zero area", r.num)
	}
	return r, nil
}
