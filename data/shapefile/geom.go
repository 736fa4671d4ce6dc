package shapefile

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// Shape types of the ESRI Shapefile Technical Description (1998).
const (
	typeNull        = 0
	typePoint       = 1
	typePolyLine    = 3
	typePolygon     = 5
	typeMultiPoint  = 8
	typePointZ      = 11
	typePolyLineZ   = 13
	typePolygonZ    = 15
	typeMultiPointZ = 18
	typePointM      = 21
	typePolyLineM   = 23
	typePolygonM    = 25
	typeMultiPointM = 28
	typeMultiPatch  = 31
)

// baseType maps the Z and M variants to their 2D type; -1 if unknown.
func baseType(t int32) int32 {
	switch t {
	case typeNull, typePoint, typePolyLine, typePolygon, typeMultiPoint:
		return t
	case typePointZ, typePointM:
		return typePoint
	case typePolyLineZ, typePolyLineM:
		return typePolyLine
	case typePolygonZ, typePolygonM:
		return typePolygon
	case typeMultiPointZ, typeMultiPointM:
		return typeMultiPoint
	}
	return -1
}

func typeName(t int32) string {
	names := map[int32]string{
		typeNull: "Null", typePoint: "Point", typePolyLine: "PolyLine", typePolygon: "Polygon",
		typeMultiPoint: "MultiPoint", typePointZ: "PointZ", typePolyLineZ: "PolyLineZ",
		typePolygonZ: "PolygonZ", typeMultiPointZ: "MultiPointZ", typePointM: "PointM",
		typePolyLineM: "PolyLineM", typePolygonM: "PolygonM", typeMultiPointM: "MultiPointM",
		typeMultiPatch: "MultiPatch",
	}
	if n, ok := names[t]; ok {
		return n
	}
	return fmt.Sprintf("unknown (%d)", t)
}

// shapeErr is what a record parser reports; the caller adds file and
// record index.
func shapeErr(format string, args ...any) error { return fmt.Errorf(format, args...) }

// parseShape decodes the content of one .shp record (after the 8-byte
// record header). Z and M values are dropped. A nil geometry with a non-empty
// note means a null or empty shape. warn receives notes on repairs.
func parseShape(c []byte, warn func(geo.Warning)) (orb.Geometry, error) {
	if len(c) < 4 {
		return nil, shapeErr("content is %d bytes, too short for a shape type", len(c))
	}
	typ := int32(binary.LittleEndian.Uint32(c))
	switch baseType(typ) {
	case typeNull:
		return nil, nil
	case typePoint:
		if len(c) < 20 {
			return nil, shapeErr("%s content is %d bytes, want at least 20", typeName(typ), len(c))
		}
		p, err := pointAt(c, 4)
		if err != nil {
			return nil, err
		}
		return p, nil
	case typeMultiPoint:
		if len(c) < 40 {
			return nil, shapeErr("%s content is %d bytes, want at least 40", typeName(typ), len(c))
		}
		n := int64(int32(binary.LittleEndian.Uint32(c[36:])))
		if n < 0 || 40+16*n > int64(len(c)) {
			return nil, shapeErr("%d points do not fit in %d bytes", n, len(c))
		}
		if n == 0 {
			warn(geo.Warnf("empty MultiPoint; read as no geometry"))
			return nil, nil
		}
		mp := make(orb.MultiPoint, n)
		for i := range mp {
			p, err := pointAt(c, 40+16*i)
			if err != nil {
				return nil, shapeErr("point %d: %w", i, err)
			}
			mp[i] = p
		}
		return mp, nil
	case typePolyLine, typePolygon:
		parts, err := readParts(c)
		if err != nil {
			return nil, err
		}
		if len(parts) == 0 {
			warn(geo.Warnf("empty %s; read as no geometry", typeName(typ)))
			return nil, nil
		}
		if baseType(typ) == typePolygon {
			rings := make([]orb.Ring, len(parts))
			for i, p := range parts {
				rings[i] = orb.Ring(p)
			}
			return assemblePolygons(rings, warn), nil
		}
		var mls orb.MultiLineString
		for i, p := range parts {
			if len(p) == 0 {
				warn(geo.Warnf("part %d has no points; dropped", i))
				continue
			}
			mls = append(mls, p)
		}
		switch len(mls) {
		case 0:
			warn(geo.Warnf("PolyLine has no points; read as no geometry"))
			return nil, nil
		case 1:
			return mls[0], nil
		}
		return mls, nil
	}
	return nil, shapeErr("shape type %s is not supported", typeName(typ))
}

func pointAt(c []byte, off int) (orb.Point, error) {
	x := math.Float64frombits(binary.LittleEndian.Uint64(c[off:]))
	y := math.Float64frombits(binary.LittleEndian.Uint64(c[off+8:]))
	if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
		return orb.Point{}, shapeErr("coordinate (%v, %v) is not finite", x, y)
	}
	return orb.Point{x, y}, nil
}

// readParts reads the parts of a PolyLine or Polygon record (and their Z/M
// variants), checking every count against the record length.
func readParts(c []byte) ([]orb.LineString, error) {
	if len(c) < 44 {
		return nil, shapeErr("content is %d bytes, want at least 44", len(c))
	}
	np := int64(int32(binary.LittleEndian.Uint32(c[36:])))
	npts := int64(int32(binary.LittleEndian.Uint32(c[40:])))
	if np < 0 || npts < 0 {
		return nil, shapeErr("negative count: %d parts, %d points", np, npts)
	}
	if need := 44 + 4*np + 16*npts; need > int64(len(c)) {
		return nil, shapeErr("%d parts and %d points need %d bytes but the record has %d", np, npts, need, len(c))
	}
	if npts == 0 {
		return nil, nil
	}
	if np == 0 {
		return nil, shapeErr("%d points but no parts", npts)
	}
	starts := make([]int, np+1)
	for i := range np {
		s := int64(int32(binary.LittleEndian.Uint32(c[44+4*i:])))
		switch {
		case i == 0 && s != 0:
			return nil, shapeErr("part 0 starts at point %d, not 0", s)
		case s < 0 || s > npts:
			return nil, shapeErr("part %d starts at point %d but the record has %d points", i, s, npts)
		case i > 0 && int(s) < starts[i-1]:
			return nil, shapeErr("part %d starts at point %d, before part %d (point %d)", i, s, i-1, starts[i-1])
		}
		starts[i] = int(s)
	}
	starts[np] = int(npts)
	pts := make([]orb.Point, npts)
	base := 44 + 4*int(np)
	for i := range pts {
		p, err := pointAt(c, base+16*i)
		if err != nil {
			return nil, shapeErr("point %d: %w", i, err)
		}
		pts[i] = p
	}
	parts := make([]orb.LineString, np)
	for i := range parts {
		parts[i] = orb.LineString(pts[starts[i]:starts[i+1]:starts[i+1]])
	}
	return parts, nil
}

// shapeCounts returns the parts and points a record's content declares
// (0, 1 for a point), for the limits, before anything is decoded.
func shapeCounts(c []byte) (parts, points int64) {
	if len(c) < 4 {
		return 0, 0
	}
	switch baseType(int32(binary.LittleEndian.Uint32(c))) {
	case typePoint:
		return 0, 1
	case typeMultiPoint:
		if len(c) >= 40 {
			return 0, max(0, int64(int32(binary.LittleEndian.Uint32(c[36:]))))
		}
	case typePolyLine, typePolygon:
		if len(c) >= 44 {
			return max(0, int64(int32(binary.LittleEndian.Uint32(c[36:])))), max(0, int64(int32(binary.LittleEndian.Uint32(c[40:]))))
		}
	}
	return 0, 0
}
