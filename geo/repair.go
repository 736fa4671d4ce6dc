package geo

import (
	"fmt"

	"github.com/paulmach/orb"
)

// Repair returns g made valid and the list of what it did. The pure-Go
// build repairs exactly what can be repaired without changing the area:
// it closes rings, drops repeated points, zero-area spikes and degenerate
// rings, orients rings (outer counter-clockwise, holes clockwise), and merges
// overlapping multipolygon parts with an exact union. Anything else (a
// self-intersecting ring, a hole outside its shell) needs MakeValid: the GEOS
// build applies it, the pure-Go build returns an error wrapping ErrNeedsGEOS.
// g is not modified.
func Repair(g orb.Geometry) (orb.Geometry, []string, error) {
	if err := checkCoords(g); err != nil {
		return g, nil, fmt.Errorf("geo: cannot repair: %w (fix or drop the feature)", err)
	}
	var did []string
	note := func(s string) {
		for _, d := range did {
			if d == s {
				return
			}
		}
		did = append(did, s)
	}
	switch t := g.(type) {
	case orb.Polygon:
		p, ok := cleanPolygon(t, note)
		if !ok {
			note("dropped a polygon with no area")
			g = orb.MultiPolygon{}
		} else {
			g = p
		}
	case orb.MultiPolygon:
		var mp orb.MultiPolygon
		for _, p := range t {
			if c, ok := cleanPolygon(p, note); ok {
				mp = append(mp, c)
			} else {
				note("dropped a part with no area")
			}
		}
		g = mp
		if len(mp) == 1 {
			g = mp[0]
		}
	case orb.Collection:
		mp, ok := polygonalCollection(t)
		if !ok {
			return repairMembers(t)
		}
		out, more, err := Repair(mp)
		return out, append([]string{"wrote the collection of polygons as a multipolygon"}, more...), err
	case orb.LineString:
		l := orb.LineString(dedupeLine(t))
		if len(l) != len(t) {
			note("dropped repeated points")
		}
		g = l
	default:
		return g, nil, nil
	}
	probs := Validate(g)
	if probs == nil {
		return g, did, nil
	}
	if mp, ok := g.(orb.MultiPolygon); ok && allRepairable(probs) {
		u, err := unionParts(mp)
		if err == nil && Validate(u) == nil {
			note("merged overlapping parts (exact union)")
			return u, did, nil
		}
	}
	if !HasMakeValid {
		return g, did, fmt.Errorf("%w: %s", ErrNeedsGEOS, probs[0])
	}
	e, err := toEngine(g)
	if err != nil {
		return g, did, err
	}
	fixed, err := guard("make valid", func() (engineGeom, error) { return engineMakeValid(e) })
	if err != nil {
		return g, did, err
	}
	out := Shape{fixed}.Polygonal().Orb()
	note("MakeValid (GEOS)")
	if probs := Validate(out); probs != nil {
		return out, did, fmt.Errorf("geo: still invalid after MakeValid: %s", probs[0])
	}
	return out, did, nil
}

// repairMembers repairs each member of a mixed collection.
func repairMembers(c orb.Collection) (orb.Geometry, []string, error) {
	out := make(orb.Collection, len(c))
	var did []string
	for i, m := range c {
		r, more, err := Repair(m)
		if err != nil {
			return c, did, fmt.Errorf("member %d: %w", i, err)
		}
		out[i] = r
		for _, d := range more {
			did = append(did, fmt.Sprintf("member %d: %s", i, d))
		}
	}
	return out, did, nil
}

func allRepairable(ps []Problem) bool {
	for _, p := range ps {
		if !p.Repairable {
			return false
		}
	}
	return true
}

// unionParts merges the parts of a multipolygon with two-input unions.
func unionParts(mp orb.MultiPolygon) (orb.Geometry, error) {
	shapes := make([]Shape, 0, len(mp))
	for _, p := range mp {
		s, err := ShapeOf(p)
		if err != nil {
			return nil, err
		}
		shapes = append(shapes, s)
	}
	u, err := Dissolve(shapes)
	if err != nil {
		return nil, err
	}
	return orientRings(u.Polygonal().Orb()), nil
}

// cleanPolygon applies the exact repairs to one polygon; ok is false when
// its outer ring has no area left.
func cleanPolygon(p orb.Polygon, note func(string)) (orb.Polygon, bool) {
	var out orb.Polygon
	for i, r := range p {
		c := cleanRing(r, note)
		if c == nil {
			if i == 0 {
				return nil, false
			}
			note("dropped a degenerate hole")
			continue
		}
		ccw := RingSignedArea(c) > 0
		if (i == 0) != ccw {
			c.Reverse()
			note("oriented rings (outer counter-clockwise, holes clockwise)")
		}
		out = append(out, c)
	}
	return out, true
}

// cleanRing closes r, drops repeated points and spikes; nil when fewer than
// three distinct points remain.
func cleanRing(r orb.Ring, note func(string)) orb.Ring {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		note("closed an unclosed ring")
	}
	pts := dedupe(openRing(r))
	if len(pts) != len(openRing(r)) {
		note("dropped repeated points")
	}
	for changed := true; changed && len(pts) >= 3; {
		changed = false
		for i := 0; i < len(pts) && len(pts) >= 3; i++ {
			n := len(pts)
			if isSpike(pts[(i+n-1)%n], pts[i], pts[(i+1)%n]) {
				pts = append(pts[:i], pts[i+1:]...)
				pts = dedupe(pts)
				note("removed zero-area spikes")
				changed = true
			}
		}
	}
	if distinct(pts) < 3 {
		return nil
	}
	out := make(orb.Ring, 0, len(pts)+1)
	out = append(out, pts...)
	out = append(out, pts[0])
	if noArea(out) {
		note("dropped a ring with no area")
		return nil
	}
	return out
}

func dedupeLine(l orb.LineString) []orb.Point {
	out := make([]orb.Point, 0, len(l))
	for _, p := range l {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

// orientRings makes outer rings CCW and holes CW (RFC 7946).
func orientRings(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Polygon:
		return PolygonOriented(g)
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = PolygonOriented(p)
		}
		return out
	}
	return g
}
