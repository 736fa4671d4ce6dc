package postgis

import (
	"encoding/binary"
	"fmt"

	"github.com/paulmach/orb"
	gogeom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/ewkb"
)

// srid of every table redline writes: CGCS2000 lon/lat.
const srid = 4490

// multiPolygonEWKB encodes a polygonal geometry as an EWKB MultiPolygon in
// SRID 4490 (the table's column type), coordinates bit for bit.
func multiPolygonEWKB(g orb.Geometry) ([]byte, error) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return nil, fmt.Errorf("a %s: constraint tables hold polygons only", g.GeoJSONType())
	}
	return geometryEWKB(mp)
}

// geometryEWKB encodes any orb geometry as EWKB in SRID 4490.
func geometryEWKB(g orb.Geometry) ([]byte, error) {
	t, err := toGoGeom(g)
	if err != nil {
		return nil, err
	}
	if s, ok := t.(interface{ SetSRID(int) gogeom.T }); ok {
		s.SetSRID(srid)
	}
	return ewkb.Marshal(t, binary.LittleEndian)
}

func flat(ps []orb.Point, buf []float64) []float64 {
	for _, p := range ps {
		buf = append(buf, p[0], p[1])
	}
	return buf
}

func toGoGeom(g orb.Geometry) (gogeom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return gogeom.NewPointFlat(gogeom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return gogeom.NewMultiPointFlat(gogeom.XY, flat(g, nil)), nil
	case orb.LineString:
		return gogeom.NewLineStringFlat(gogeom.XY, flat(g, nil)), nil
	case orb.MultiLineString:
		var fs []float64
		var ends []int
		for _, l := range g {
			fs = flat(l, fs)
			ends = append(ends, len(fs))
		}
		return gogeom.NewMultiLineStringFlat(gogeom.XY, fs, ends), nil
	case orb.Polygon:
		fs, ends := polygonFlat(g, nil, nil)
		return gogeom.NewPolygonFlat(gogeom.XY, fs, ends), nil
	case orb.MultiPolygon:
		var fs []float64
		var endss [][]int
		for _, p := range g {
			var ends []int
			fs, ends = polygonFlat(p, fs, nil)
			endss = append(endss, ends)
		}
		return gogeom.NewMultiPolygonFlat(gogeom.XY, fs, endss), nil
	case orb.Collection:
		gc := gogeom.NewGeometryCollection()
		for _, x := range g {
			t, err := toGoGeom(x)
			if err != nil {
				return nil, err
			}
			if err := gc.Push(t); err != nil {
				return nil, err
			}
		}
		return gc, nil
	case orb.Ring:
		return toGoGeom(orb.Polygon{g})
	case orb.Bound:
		return toGoGeom(g.ToPolygon())
	}
	return nil, fmt.Errorf("unsupported geometry %T", g)
}

func polygonFlat(p orb.Polygon, fs []float64, ends []int) ([]float64, []int) {
	for _, r := range p {
		fs = flat(r, fs)
		ends = append(ends, len(fs))
	}
	return fs, ends
}

// decodeEWKB reads EWKB into an orb geometry in lon/lat and returns its
// SRID (0 when the EWKB has none). A one-part MultiPolygon comes back as a
// Polygon: redline stores every constraint feature as a MultiPolygon.
func decodeEWKB(b []byte) (orb.Geometry, int, error) {
	if err := checkWKB(b); err != nil {
		return nil, 0, err
	}
	t, err := ewkb.Unmarshal(b)
	if err != nil {
		return nil, 0, err
	}
	if t.Layout() != gogeom.XY {
		t, err = dropZM(t)
		if err != nil {
			return nil, 0, err
		}
	}
	g, err := fromGoGeom(t)
	if err != nil {
		return nil, 0, err
	}
	if mp, ok := g.(orb.MultiPolygon); ok && len(mp) == 1 {
		g = mp[0]
	}
	return g, t.SRID(), nil
}

// dropZM keeps x and y of a geometry with Z or M.
func dropZM(t gogeom.T) (gogeom.T, error) {
	stride := t.Layout().Stride()
	in := t.FlatCoords()
	out := make([]float64, 0, len(in)/stride*2)
	for i := 0; i+1 < len(in); i += stride {
		out = append(out, in[i], in[i+1])
	}
	scale := func(ends []int) []int {
		o := make([]int, len(ends))
		for i, e := range ends {
			o[i] = e / stride * 2
		}
		return o
	}
	switch t := t.(type) {
	case *gogeom.Point:
		return gogeom.NewPointFlat(gogeom.XY, out).SetSRID(t.SRID()), nil
	case *gogeom.MultiPoint:
		return gogeom.NewMultiPointFlat(gogeom.XY, out).SetSRID(t.SRID()), nil
	case *gogeom.LineString:
		return gogeom.NewLineStringFlat(gogeom.XY, out).SetSRID(t.SRID()), nil
	case *gogeom.MultiLineString:
		return gogeom.NewMultiLineStringFlat(gogeom.XY, out, scale(t.Ends())).SetSRID(t.SRID()), nil
	case *gogeom.Polygon:
		return gogeom.NewPolygonFlat(gogeom.XY, out, scale(t.Ends())).SetSRID(t.SRID()), nil
	case *gogeom.MultiPolygon:
		var endss [][]int
		for _, e := range t.Endss() {
			endss = append(endss, scale(e))
		}
		return gogeom.NewMultiPolygonFlat(gogeom.XY, out, endss).SetSRID(t.SRID()), nil
	}
	return nil, fmt.Errorf("a %T with Z or M values is not supported", t)
}

func points(fs []float64) []orb.Point {
	ps := make([]orb.Point, len(fs)/2)
	for i := range ps {
		ps[i] = orb.Point{fs[2*i], fs[2*i+1]}
	}
	return ps
}

func rings(fs []float64, start int, ends []int) orb.Polygon {
	p := make(orb.Polygon, len(ends))
	for i, e := range ends {
		p[i] = orb.Ring(points(fs[start:e]))
		start = e
	}
	return p
}

func fromGoGeom(t gogeom.T) (orb.Geometry, error) {
	switch t := t.(type) {
	case *gogeom.Point:
		if t.Empty() {
			return nil, fmt.Errorf("an empty point")
		}
		return orb.Point{t.X(), t.Y()}, nil
	case *gogeom.MultiPoint:
		return orb.MultiPoint(points(t.FlatCoords())), nil
	case *gogeom.LineString:
		return orb.LineString(points(t.FlatCoords())), nil
	case *gogeom.MultiLineString:
		fs, start := t.FlatCoords(), 0
		ml := make(orb.MultiLineString, len(t.Ends()))
		for i, e := range t.Ends() {
			ml[i] = orb.LineString(points(fs[start:e]))
			start = e
		}
		return ml, nil
	case *gogeom.Polygon:
		return rings(t.FlatCoords(), 0, t.Ends()), nil
	case *gogeom.MultiPolygon:
		fs, start := t.FlatCoords(), 0
		mp := make(orb.MultiPolygon, 0, len(t.Endss()))
		for _, ends := range t.Endss() {
			if len(ends) == 0 {
				continue // an empty part
			}
			mp = append(mp, rings(fs, start, ends))
			start = ends[len(ends)-1]
		}
		return mp, nil
	case *gogeom.GeometryCollection:
		var c orb.Collection
		for _, x := range t.Geoms() {
			g, err := fromGoGeom(x)
			if err != nil {
				return nil, err
			}
			c = append(c, g)
		}
		return c, nil
	}
	return nil, fmt.Errorf("unsupported geometry %T", t)
}
