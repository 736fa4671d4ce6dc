package geo

import (
	"fmt"

	"github.com/paulmach/orb"
	sf "github.com/peterstace/simplefeatures/geom"
)

// toEngine converts an orb geometry to simplefeatures without validating it.
func toEngine(g orb.Geometry) (sf.Geometry, error) {
	switch g := g.(type) {
	case orb.Point:
		return sf.NewPoint(sf.Coordinates{XY: sf.XY{X: g[0], Y: g[1]}, Type: sf.DimXY}).AsGeometry(), nil
	case orb.MultiPoint:
		pts := make([]sf.Point, len(g))
		for i, p := range g {
			pts[i] = sf.NewPoint(sf.Coordinates{XY: sf.XY{X: p[0], Y: p[1]}, Type: sf.DimXY})
		}
		return sf.NewMultiPoint(pts).AsGeometry(), nil
	case orb.LineString:
		return lineToEngine(g).AsGeometry(), nil
	case orb.MultiLineString:
		ls := make([]sf.LineString, len(g))
		for i, l := range g {
			ls[i] = lineToEngine(l)
		}
		return sf.NewMultiLineString(ls).AsGeometry(), nil
	case orb.Ring:
		return polygonToEngine(orb.Polygon{g}).AsGeometry(), nil
	case orb.Polygon:
		return polygonToEngine(g).AsGeometry(), nil
	case orb.Bound:
		return polygonToEngine(g.ToPolygon()).AsGeometry(), nil
	case orb.MultiPolygon:
		ps := make([]sf.Polygon, len(g))
		flat := make([]float64, 0, 2*polygonsVertices(g...))
		for i, p := range g {
			ps[i], flat = polygonToEngineIn(p, flat)
		}
		return sf.NewMultiPolygon(ps).AsGeometry(), nil
	case orb.Collection:
		gs := make([]sf.Geometry, len(g))
		for i, c := range g {
			e, err := toEngine(c)
			if err != nil {
				return sf.Geometry{}, err
			}
			gs[i] = e
		}
		return sf.NewGeometryCollection(gs).AsGeometry(), nil
	case nil:
		return sf.Geometry{}, fmt.Errorf("%w: no geometry", ErrUnsupportedGeometry)
	}
	return sf.Geometry{}, fmt.Errorf("%w: %T", ErrUnsupportedGeometry, g)
}

func lineToEngine(l orb.LineString) sf.LineString {
	flat := make([]float64, 0, 2*len(l))
	for _, p := range l {
		flat = append(flat, p[0], p[1])
	}
	return sf.NewLineString(sf.NewSequence(flat, sf.DimXY))
}

func polygonToEngine(p orb.Polygon) sf.Polygon {
	s, _ := polygonToEngineIn(p, make([]float64, 0, 2*polygonsVertices(p)))
	return s
}

// polygonToEngineIn converts p with its coordinates in flat's spare
// capacity (one allocation for all rings, not one per ring) and returns
// the rest of flat. Each ring's slice is capped, so an append elsewhere
// can never write into the next ring.
func polygonToEngineIn(p orb.Polygon, flat []float64) (sf.Polygon, []float64) {
	rings := make([]sf.LineString, 0, len(p))
	for _, r := range p {
		n := len(flat)
		for _, q := range r {
			flat = append(flat, q[0], q[1])
		}
		rings = append(rings, sf.NewLineString(sf.NewSequence(flat[n:len(flat):len(flat)], sf.DimXY)))
	}
	return sf.NewPolygon(rings), flat[len(flat):]
}

func polygonsVertices(ps ...orb.Polygon) int {
	n := 0
	for _, p := range ps {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}

// fromEngine converts a simplefeatures geometry back to orb.
func fromEngine(g sf.Geometry) orb.Geometry {
	switch g.Type() {
	case sf.TypePoint:
		xy, ok := g.MustAsPoint().XY()
		if !ok {
			return orb.MultiPoint{}
		}
		return orb.Point{xy.X, xy.Y}
	case sf.TypeMultiPoint:
		mp := g.MustAsMultiPoint()
		out := make(orb.MultiPoint, 0, mp.NumPoints())
		for i := 0; i < mp.NumPoints(); i++ {
			if xy, ok := mp.PointN(i).XY(); ok {
				out = append(out, orb.Point{xy.X, xy.Y})
			}
		}
		return out
	case sf.TypeLineString:
		return lineFromEngine(g.MustAsLineString())
	case sf.TypeMultiLineString:
		ml := g.MustAsMultiLineString()
		out := make(orb.MultiLineString, 0, ml.NumLineStrings())
		for i := 0; i < ml.NumLineStrings(); i++ {
			out = append(out, lineFromEngine(ml.LineStringN(i)))
		}
		return out
	case sf.TypePolygon:
		return polygonFromEngine(g.MustAsPolygon())
	case sf.TypeMultiPolygon:
		mp := g.MustAsMultiPolygon()
		out := make(orb.MultiPolygon, 0, mp.NumPolygons())
		for i := 0; i < mp.NumPolygons(); i++ {
			out = append(out, polygonFromEngine(mp.PolygonN(i)))
		}
		return out
	case sf.TypeGeometryCollection:
		gc := g.MustAsGeometryCollection()
		out := make(orb.Collection, 0, gc.NumGeometries())
		for i := 0; i < gc.NumGeometries(); i++ {
			out = append(out, fromEngine(gc.GeometryN(i)))
		}
		return out
	}
	return orb.Collection{}
}

func lineFromEngine(l sf.LineString) orb.LineString {
	seq := l.Coordinates()
	out := make(orb.LineString, seq.Length())
	for i := range out {
		xy := seq.GetXY(i)
		out[i] = orb.Point{xy.X, xy.Y}
	}
	return out
}

func polygonFromEngine(p sf.Polygon) orb.Polygon {
	out := make(orb.Polygon, 0, 1+p.NumInteriorRings())
	if p.IsEmpty() {
		return out
	}
	out = append(out, orb.Ring(lineFromEngine(p.ExteriorRing())))
	for i := 0; i < p.NumInteriorRings(); i++ {
		out = append(out, orb.Ring(lineFromEngine(p.InteriorRingN(i))))
	}
	return out
}
