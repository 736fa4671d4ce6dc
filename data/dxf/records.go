package dxf

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// records turns the shapes into records: the closed rings of each layer are
// assembled into polygons (nesting decides holes and parts), each polygon
// taking the place, id and properties of its outer ring; then texts lying
// inside polygons become their names.
func (b *builder) records(src *geo.Source) error {
	byLayer := map[string][]int{}
	var order []string
	for i, sh := range b.shapes {
		if sh.kind == shapeRing {
			if _, ok := byLayer[sh.layer]; !ok {
				order = append(order, sh.layer)
			}
			byLayer[sh.layer] = append(byLayer[sh.layer], i)
		}
	}
	// polygonAt[i] is the polygon that replaces ring shape i; hole rings
	// map to nil and are dropped.
	polygonAt := map[int]orb.Polygon{}
	for _, layer := range order {
		idx := byLayer[layer]
		rings := make([]orb.Ring, len(idx))
		for k, i := range idx {
			rings[k] = orb.Ring(b.shapes[i].pts)
		}
		g, notes := geo.AssembleRings(rings, geo.ByNesting)
		for _, nt := range notes {
			who := "layer " + layer
			if nt.Ring >= 0 {
				who = fmt.Sprintf("%s %s", b.shapes[idx[nt.Ring]].entity, b.shapes[idx[nt.Ring]].id)
			}
			b.warn = append(b.warn, nt.Warning(who+": "))
		}
		var polys []orb.Polygon
		switch g := g.(type) {
		case orb.Polygon:
			polys = []orb.Polygon{g}
		case orb.MultiPolygon:
			polys = g
		}
		// A ring keeps its first point when reoriented: find each outer
		// ring's input by first point, length and point set ends.
		type key struct {
			first orb.Point
			n     int
			a, b  orb.Point
		}
		keyOf := func(r orb.Ring) key {
			a, c := r[1], r[len(r)-2]
			if c[0] < a[0] || (c[0] == a[0] && c[1] < a[1]) {
				a, c = c, a
			}
			return key{r[0], len(r), a, c}
		}
		byKey := map[key][]int{}
		for k, r := range rings {
			byKey[keyOf(r)] = append(byKey[keyOf(r)], idx[k])
		}
		for _, i := range idx {
			polygonAt[i] = nil
		}
		for _, p := range polys {
			k := keyOf(p[0])
			cands := byKey[k]
			if len(cands) == 0 {
				return fmt.Errorf("internal error: assembled ring of layer %s not found", layer)
			}
			polygonAt[cands[0]] = p
			byKey[k] = cands[1:]
		}
	}
	var polyIdx []int // records that are polygons
	for i, sh := range b.shapes {
		var g orb.Geometry
		switch sh.kind {
		case shapePoint:
			g = sh.pts[0]
		case shapeLine:
			g = orb.LineString(sh.pts)
		case shapeRing:
			p := polygonAt[i]
			if p == nil {
				continue // a hole of another ring's polygon
			}
			g = p
		case shapePolygon:
			g = sh.geom
		}
		if sh.kind == shapeRing || sh.kind == shapePolygon {
			polyIdx = append(polyIdx, len(src.Records))
		}
		src.Records = append(src.Records, geo.Record{ID: sh.id, Geom: g, Props: map[string]any{
			"layer": sh.layer, "entity": sh.entity, "color": int64(sh.color), "linetype": sh.linetype, "name": nil,
		}})
	}
	b.nameByText(src, polyIdx)
	return nil
}

// nameByText sets the name of each polygon record to the texts whose
// insertion point lies inside it (on its boundary counts; inside a hole does
// not), joined with "; " in drawing order.
func (b *builder) nameByText(src *geo.Source, polyIdx []int) {
	if len(b.texts) == 0 || len(polyIdx) == 0 {
		return
	}
	var l geo.Layer
	for _, i := range polyIdx {
		g := src.Records[i].Geom
		l.Add(geo.Feature{Index: i, Geom: g, Bound: geo.BoundOf(g)})
	}
	names := map[int][]string{}
	for _, t := range b.texts {
		l.Candidates(orb.Bound{Min: t.at, Max: t.at}, func(_ int, f *geo.Feature) bool {
			if inPolygonal(t.at, f.Geom) {
				names[f.Index] = append(names[f.Index], t.text)
			}
			return true
		})
	}
	for i, ns := range names {
		src.Records[i].Props["name"] = strings.Join(ns, "; ")
	}
}

func inPolygonal(p orb.Point, g orb.Geometry) bool {
	in := func(pg orb.Polygon) bool {
		if len(pg) == 0 || geo.PointInRing(p, pg[0]) < 0 {
			return false
		}
		for _, h := range pg[1:] {
			if geo.PointInRing(p, h) > 0 {
				return false
			}
		}
		return true
	}
	switch g := g.(type) {
	case orb.Polygon:
		return in(g)
	case orb.MultiPolygon:
		for _, pg := range g {
			if in(pg) {
				return true
			}
		}
	}
	return false
}
