package gpkg

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	gogeom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
	"github.com/twpayne/go-geom/encoding/wkbcommon"

	"github.com/redline-gis/redline/geo"
)

// WKB geometry type numbers (the base type, without the Z/M thousands).
const (
	wkbPoint = 1 + iota
	wkbLineString
	wkbPolygon
	wkbMultiPoint
	wkbMultiLineString
	wkbMultiPolygon
	wkbGeometryCollection
	wkbCircularString
	wkbCompoundCurve
	wkbCurvePolygon
	wkbMultiCurve
	wkbMultiSurface
)

var wkbNames = map[uint32]string{
	1: "POINT", 2: "LINESTRING", 3: "POLYGON", 4: "MULTIPOINT", 5: "MULTILINESTRING", 6: "MULTIPOLYGON",
	7: "GEOMETRYCOLLECTION", 8: "CIRCULARSTRING", 9: "COMPOUNDCURVE", 10: "CURVEPOLYGON", 11: "MULTICURVE",
	12: "MULTISURFACE", 13: "CURVE", 14: "SURFACE", 15: "POLYHEDRALSURFACE", 16: "TIN", 17: "TRIANGLE",
}

// maxWKBDepth bounds nested collections.
const maxWKBDepth = 32

// wkbReader walks WKB, checking every count against the bytes left, and
// builds orb geometries (curves linearised) when build is set.
type wkbReader struct {
	b      []byte
	off    int
	build  bool
	tol    float64 // arc tolerance in coordinate units
	curves bool    // a curve type was seen
}

func (r *wkbReader) errf(format string, a ...any) error {
	return fmt.Errorf("WKB at byte %d: "+format, append([]any{r.off}, a...)...)
}

func (r *wkbReader) header() (binary.ByteOrder, uint32, int, error) {
	if r.off+5 > len(r.b) {
		return nil, 0, 0, r.errf("truncated geometry header")
	}
	var bo binary.ByteOrder
	switch r.b[r.off] {
	case 0:
		bo = binary.BigEndian
	case 1:
		bo = binary.LittleEndian
	default:
		return nil, 0, 0, r.errf("byte order %d (want 0 or 1)", r.b[r.off])
	}
	t := bo.Uint32(r.b[r.off+1:])
	r.off += 5
	dims := 2
	// EWKB flags (PostGIS) and the ISO thousands.
	if t&0x80000000 != 0 {
		dims++
	}
	if t&0x40000000 != 0 {
		dims++
	}
	if t&0x20000000 != 0 {
		return nil, 0, 0, r.errf("EWKB with an embedded SRID is not GeoPackage WKB")
	}
	t &= 0x0FFFFFFF
	switch t / 1000 {
	case 0:
	case 1, 2:
		dims++
	case 3:
		dims += 2
	default:
		return nil, 0, 0, r.errf("geometry type %d", t)
	}
	t %= 1000
	if dims > 4 {
		return nil, 0, 0, r.errf("geometry type with more than 4 dimensions")
	}
	return bo, t, dims, nil
}

func (r *wkbReader) count(bo binary.ByteOrder, minBytes int) (int, error) {
	if r.off+4 > len(r.b) {
		return 0, r.errf("truncated count")
	}
	n := int(bo.Uint32(r.b[r.off:]))
	r.off += 4
	if minBytes > 0 && n > (len(r.b)-r.off)/minBytes {
		return 0, r.errf("count %d larger than the %d bytes left allow", n, len(r.b)-r.off)
	}
	return n, nil
}

func (r *wkbReader) points(bo binary.ByteOrder, dims int) ([]orb.Point, error) {
	n, err := r.count(bo, 8*dims)
	if err != nil {
		return nil, err
	}
	var pts []orb.Point
	if r.build {
		pts = make([]orb.Point, n)
	}
	for i := 0; i < n; i++ {
		x := math.Float64frombits(bo.Uint64(r.b[r.off:]))
		y := math.Float64frombits(bo.Uint64(r.b[r.off+8:]))
		r.off += 8 * dims
		if r.build {
			pts[i] = orb.Point{x, y}
		}
	}
	return pts, nil
}

// geometry reads one geometry. Points come back as orb.Point (nil for an
// empty point: NaN coordinates), curves as line strings and polygons.
func (r *wkbReader) geometry(depth int) (orb.Geometry, error) {
	if depth > maxWKBDepth {
		return nil, r.errf("collections nested deeper than %d", maxWKBDepth)
	}
	bo, t, dims, err := r.header()
	if err != nil {
		return nil, err
	}
	switch t {
	case wkbPoint:
		if r.off+8*dims > len(r.b) {
			return nil, r.errf("truncated point")
		}
		p := orb.Point{math.Float64frombits(bo.Uint64(r.b[r.off:])), math.Float64frombits(bo.Uint64(r.b[r.off+8:]))}
		r.off += 8 * dims
		if math.IsNaN(p[0]) && math.IsNaN(p[1]) {
			return nil, nil
		}
		return p, nil
	case wkbLineString:
		pts, err := r.points(bo, dims)
		return orb.LineString(pts), err
	case wkbCircularString:
		r.curves = true
		pts, err := r.points(bo, dims)
		if err != nil || !r.build {
			return nil, err
		}
		ls, err := r.linearise(pts)
		return ls, err
	case wkbPolygon:
		n, err := r.count(bo, 4)
		if err != nil {
			return nil, err
		}
		var p orb.Polygon
		for i := 0; i < n; i++ {
			pts, err := r.points(bo, dims)
			if err != nil {
				return nil, err
			}
			if r.build {
				p = append(p, orb.Ring(pts))
			}
		}
		return p, nil
	case wkbCompoundCurve, wkbCurvePolygon, wkbMultiCurve, wkbMultiSurface, wkbMultiPoint, wkbMultiLineString, wkbMultiPolygon, wkbGeometryCollection:
		if t >= wkbCircularString {
			r.curves = true
		}
		n, err := r.count(bo, 9)
		if err != nil {
			return nil, err
		}
		parts := make([]orb.Geometry, 0, min(n, 1024))
		for i := 0; i < n; i++ {
			g, err := r.geometry(depth + 1)
			if err != nil {
				return nil, err
			}
			parts = append(parts, g)
		}
		if !r.build {
			return nil, nil
		}
		return assemble(t, parts)
	}
	name := wkbNames[t]
	if name == "" {
		name = fmt.Sprint(t)
	}
	return nil, r.errf("geometry type %s is not supported", name)
}

// linearise turns a CIRCULARSTRING (arcs through point triples) into a line.
func (r *wkbReader) linearise(pts []orb.Point) (orb.LineString, error) {
	if len(pts) < 3 || len(pts)%2 == 0 {
		return nil, r.errf("CIRCULARSTRING of %d points (want an odd number, at least 3)", len(pts))
	}
	out := orb.LineString{pts[0]}
	for i := 0; i+2 < len(pts); i += 2 {
		out = appendArc3(out, pts[i], pts[i+1], pts[i+2], r.tol)
	}
	return out, nil
}

// appendArc3 appends the arc from a through m to b (without a, with b).
func appendArc3(dst orb.LineString, a, m, b orb.Point, tol float64) orb.LineString {
	// Centre: intersection of the perpendicular bisectors, relative to a.
	bx, by := m[0]-a[0], m[1]-a[1]
	cx, cy := b[0]-a[0], b[1]-a[1]
	d := 2 * (bx*cy - by*cx)
	if a == b { // a full circle through a and m: m is diametrically opposite
		c := orb.Point{(a[0] + m[0]) / 2, (a[1] + m[1]) / 2}
		rad := math.Hypot(a[0]-c[0], a[1]-c[1])
		dst = geo.AppendArc(dst, c, rad, math.Atan2(a[1]-c[1], a[0]-c[0]), 2*math.Pi, tol)
		dst[len(dst)-1] = b
		return dst
	}
	if d == 0 || math.IsNaN(d) {
		return append(dst, m, b) // collinear: straight
	}
	ux := (cy*(bx*bx+by*by) - by*(cx*cx+cy*cy)) / d
	uy := (bx*(cx*cx+cy*cy) - cx*(bx*bx+by*by)) / d
	c := orb.Point{a[0] + ux, a[1] + uy}
	rad := math.Hypot(ux, uy)
	a0 := math.Atan2(a[1]-c[1], a[0]-c[0])
	a2 := math.Atan2(b[1]-c[1], b[0]-c[0])
	sweep := a2 - a0
	if d > 0 { // counter-clockwise
		for sweep <= 0 {
			sweep += 2 * math.Pi
		}
	} else {
		for sweep >= 0 {
			sweep -= 2 * math.Pi
		}
	}
	dst = geo.AppendArc(dst, c, rad, a0, sweep, tol)
	dst[len(dst)-1] = b
	return dst
}

// assemble builds the orb geometry of a collection type from its parts.
func assemble(t uint32, parts []orb.Geometry) (orb.Geometry, error) {
	switch t {
	case wkbCompoundCurve:
		var ls orb.LineString
		for _, p := range parts {
			l, ok := p.(orb.LineString)
			if !ok {
				return nil, fmt.Errorf("COMPOUNDCURVE part is %T, want a curve", p)
			}
			if len(ls) > 0 && len(l) > 0 && ls[len(ls)-1] == l[0] {
				l = l[1:]
			}
			ls = append(ls, l...)
		}
		return ls, nil
	case wkbCurvePolygon:
		var pg orb.Polygon
		for _, p := range parts {
			l, ok := p.(orb.LineString)
			if !ok {
				return nil, fmt.Errorf("CURVEPOLYGON ring is %T, want a curve", p)
			}
			pg = append(pg, orb.Ring(l))
		}
		return pg, nil
	case wkbMultiPoint:
		var mp orb.MultiPoint
		for _, p := range parts {
			if pt, ok := p.(orb.Point); ok {
				mp = append(mp, pt)
			}
		}
		return mp, nil
	case wkbMultiLineString, wkbMultiCurve:
		var ml orb.MultiLineString
		for _, p := range parts {
			l, ok := p.(orb.LineString)
			if !ok {
				return nil, fmt.Errorf("%s part is %T, want a curve", wkbNames[t], p)
			}
			ml = append(ml, l)
		}
		return ml, nil
	case wkbMultiPolygon, wkbMultiSurface:
		var mp orb.MultiPolygon
		for _, p := range parts {
			pg, ok := p.(orb.Polygon)
			if !ok {
				return nil, fmt.Errorf("%s part is %T, want a surface", wkbNames[t], p)
			}
			mp = append(mp, pg)
		}
		return mp, nil
	}
	var gc orb.Collection
	for _, p := range parts {
		if p != nil {
			gc = append(gc, p)
		}
	}
	return gc, nil
}

// decodeWKB decodes b. Linear geometries go through go-geom's encoding/wkb
// once the walk has checked every count; curves are linearised here.
func decodeWKB(b []byte, tol float64) (orb.Geometry, error) {
	r := &wkbReader{b: b, tol: tol}
	if _, err := r.geometry(0); err != nil {
		return nil, err
	}
	if r.curves {
		r.build, r.off, r.curves = true, 0, false
		return r.geometry(0)
	}
	g, err := wkb.Unmarshal(b[:r.off], wkbcommon.WKBOptionEmptyPointHandling(wkbcommon.EmptyPointHandlingNaN))
	if err != nil {
		return nil, fmt.Errorf("WKB: %w", err)
	}
	return fromGoGeom(g)
}

// fromGoGeom converts go-geom's types to orb's, keeping x and y. It reads
// the flat coordinate arrays (no per-point allocation).
func fromGoGeom(g gogeom.T) (orb.Geometry, error) {
	line := func(flat []float64, stride int) []orb.Point {
		out := make([]orb.Point, len(flat)/stride)
		for i := range out {
			out[i] = orb.Point{flat[i*stride], flat[i*stride+1]}
		}
		return out
	}
	poly := func(flat []float64, ends []int, stride int) orb.Polygon {
		out := make(orb.Polygon, len(ends))
		start := 0
		for i, e := range ends {
			out[i] = orb.Ring(line(flat[start:e], stride))
			start = e
		}
		return out
	}
	switch g := g.(type) {
	case *gogeom.Point:
		if g.Empty() || (math.IsNaN(g.X()) && math.IsNaN(g.Y())) {
			return nil, nil
		}
		return orb.Point{g.X(), g.Y()}, nil
	case *gogeom.LineString:
		return orb.LineString(line(g.FlatCoords(), g.Stride())), nil
	case *gogeom.Polygon:
		return poly(g.FlatCoords(), g.Ends(), g.Stride()), nil
	case *gogeom.MultiPoint:
		var mp orb.MultiPoint
		for _, p := range line(g.FlatCoords(), g.Stride()) {
			if !math.IsNaN(p[0]) {
				mp = append(mp, p)
			}
		}
		return mp, nil
	case *gogeom.MultiLineString:
		ml := make(orb.MultiLineString, len(g.Ends()))
		start := 0
		for i, e := range g.Ends() {
			ml[i] = orb.LineString(line(g.FlatCoords()[start:e], g.Stride()))
			start = e
		}
		return ml, nil
	case *gogeom.MultiPolygon:
		flat, stride := g.FlatCoords(), g.Stride()
		mp := make(orb.MultiPolygon, len(g.Endss()))
		start := 0
		for i, ends := range g.Endss() {
			rel := make([]int, len(ends))
			for k, e := range ends {
				rel[k] = e - start
			}
			end := start
			if len(ends) > 0 {
				end = ends[len(ends)-1]
			}
			mp[i] = poly(flat[start:end], rel, stride)
			start = end
		}
		return mp, nil
	case *gogeom.GeometryCollection:
		var gc orb.Collection
		for _, sub := range g.Geoms() {
			o, err := fromGoGeom(sub)
			if err != nil {
				return nil, err
			}
			if o != nil {
				gc = append(gc, o)
			}
		}
		return gc, nil
	}
	return nil, fmt.Errorf("WKB: geometry %T is not supported", g)
}
