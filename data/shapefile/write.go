package shapefile

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"path"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// Write writes feats as the ESRI Shapefile base.shp, .shx, .dbf,
// .prj and .cpg, each obtained from create and closed before the next one is
// created. Geometries are CGCS2000 lon/lat: the .prj is the CGCS2000
// geographic WKT ArcGIS writes (EPSG:4490) and the .cpg says UTF-8.
//
// A shapefile holds one kind of shape: all geometries must be polygons
// (Polygon, MultiPolygon; written with outer rings clockwise and holes
// counter-clockwise, as the format wants), or all lines (LineString,
// MultiLineString), or all points (Point; or MultiPoint, when Points are
// written as one-point MultiPoints). A nil or empty geometry is written as a
// null shape. Mixed kinds are an error: write GeoJSON instead.
//
// fields gives the attributes to write, in order; nil means every property
// key found, sorted. DBF limits apply and change what is written: a field
// name is cut to 10 bytes (on a UTF-8 character boundary) and made unique
// with a numeric suffix, and text is cut to 254 bytes (never inside a UTF-8
// character; trailing spaces do not survive, as DBF pads with spaces). Column types follow the values: text → C, integers → N,
// floats → N with as many decimals as the values need (written exactly),
// bool → L, time.Time → D; a column whose values mix types is written as text.
// feats is not modified.
func Write(create func(name string) (io.WriteCloser, error), base string, fields []string, feats []geo.Record) error {
	return WriteWith(create, base, fields, feats, Options{})
}

// Options change what WriteWith writes.
type Options struct {
	// PRJ is the .prj text when the geometries are not CGCS2000 lon/lat
	// (e.g. crs.CRS.WKT() of a Gauss-Krüger zone); "" writes EPSG:4490.
	PRJ string
}

// WriteWith is Write with options.
func WriteWith(create func(name string) (io.WriteCloser, error), base string, fields []string, feats []geo.Record, opt Options) error {
	prj := opt.PRJ
	if prj == "" {
		prj, _ = crs.CGCS2000.WKT() // EPSG:4490, as ArcGIS writes it; lon/lat never fails
	}
	typ, err := outType(feats)
	if err != nil {
		return err
	}
	tbl, err := dbfPlan(fields, feats)
	if err != nil {
		return err
	}
	shapes := make([][]byte, len(feats))
	var bound orb.Bound
	first := true
	for i, f := range feats {
		b, err := encodeShape(typ, f.Geom)
		if err != nil {
			return fmt.Errorf("data: %s.shp: feature %d: %w", path.Base(base), i, err)
		}
		shapes[i] = b
		if typ != typeNull && len(b) > 4 && binary.LittleEndian.Uint32(b) != typeNull {
			gb := f.Geom.Bound()
			if first {
				bound, first = gb, false
			} else {
				bound = bound.Union(gb)
			}
		}
	}
	shpLen := int64(100)
	for _, s := range shapes {
		shpLen += 8 + int64(len(s))
	}
	if shpLen/2 > math.MaxInt32 {
		return fmt.Errorf("data: %s.shp: %d bytes is more than a shapefile can hold (4 GiB)", path.Base(base), shpLen)
	}

	write := func(ext string, fn func(w *bufio.Writer) error) error {
		wc, err := create(base + ext)
		if err != nil {
			return fmt.Errorf("data: %w", err)
		}
		bw := bufio.NewWriterSize(wc, 64<<10)
		err = fn(bw)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("data: %s%s: %w", path.Base(base), ext, err)
		}
		return nil
	}
	if err := write(".shp", func(w *bufio.Writer) error {
		w.Write(putHeader(typ, shpLen, bound))
		var rh [8]byte
		for i, s := range shapes {
			binary.BigEndian.PutUint32(rh[0:], uint32(i+1))
			binary.BigEndian.PutUint32(rh[4:], uint32(len(s)/2))
			w.Write(rh[:])
			if _, err := w.Write(s); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := write(".shx", func(w *bufio.Writer) error {
		w.Write(putHeader(typ, 100+8*int64(len(shapes)), bound))
		off := int64(100)
		var rec [8]byte
		for _, s := range shapes {
			binary.BigEndian.PutUint32(rec[0:], uint32(off/2))
			binary.BigEndian.PutUint32(rec[4:], uint32(len(s)/2))
			if _, err := w.Write(rec[:]); err != nil {
				return err
			}
			off += 8 + int64(len(s))
		}
		return nil
	}); err != nil {
		return err
	}
	if err := write(".dbf", func(w *bufio.Writer) error { return tbl.write(w, feats) }); err != nil {
		return err
	}
	if err := write(".prj", func(w *bufio.Writer) error { _, err := w.WriteString(prj); return err }); err != nil {
		return err
	}
	return write(".cpg", func(w *bufio.Writer) error { _, err := w.WriteString("UTF-8"); return err })
}

// WriteZip writes the files of Write into one zip archive
// on w, named path.Base(base) + ".shp", ".shx", ".dbf", ".prj", ".cpg".
func WriteZip(w io.Writer, base string, fields []string, feats []geo.Record) error {
	return WriteZipWith(w, base, fields, feats, Options{})
}

// WriteZipWith is WriteZip with options.
func WriteZipWith(w io.Writer, base string, fields []string, feats []geo.Record, opt Options) error {
	zw := zip.NewWriter(w)
	now := timeNow()
	err := WriteWith(func(name string) (io.WriteCloser, error) {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: path.Base(name), Method: zip.Deflate, Modified: now})
		if err != nil {
			return nil, err
		}
		return nopCloser{fw}, nil
	}, path.Base(base), fields, feats, opt)
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("data: %s.zip: %w", path.Base(base), err)
	}
	return nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// outType picks the one shape type for feats.
func outType(feats []geo.Record) (int32, error) {
	typ, firstIdx := int32(typeNull), -1
	for i, f := range feats {
		var t int32
		switch f.Geom.(type) {
		case nil:
			continue
		case orb.Polygon, orb.MultiPolygon:
			t = typePolygon
		case orb.LineString, orb.MultiLineString:
			t = typePolyLine
		case orb.Point:
			t = typePoint
		case orb.MultiPoint:
			t = typeMultiPoint
		default:
			return 0, fmt.Errorf("data: feature %d: a shapefile cannot hold a %s; write GeoJSON instead", i, f.Geom.GeoJSONType())
		}
		switch {
		case typ == typeNull:
			typ, firstIdx = t, i
		case typ == t:
		case typ == typePoint && t == typeMultiPoint || typ == typeMultiPoint && t == typePoint:
			typ = typeMultiPoint
		default:
			return 0, fmt.Errorf("data: feature %d is a %s but feature %d is a %s: a shapefile holds one kind of geometry; write GeoJSON for mixed kinds",
				i, f.Geom.GeoJSONType(), firstIdx, feats[firstIdx].Geom.GeoJSONType())
		}
	}
	return typ, nil
}

func putHeader(typ int32, fileLen int64, b orb.Bound) []byte {
	h := make([]byte, 100)
	binary.BigEndian.PutUint32(h[0:], 9994)
	binary.BigEndian.PutUint32(h[24:], uint32(fileLen/2))
	binary.LittleEndian.PutUint32(h[28:], 1000)
	binary.LittleEndian.PutUint32(h[32:], uint32(typ))
	for i, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		binary.LittleEndian.PutUint64(h[36+8*i:], math.Float64bits(v))
	}
	return h
}

// encodeShape returns the record content of g for a file of shape type typ.
func encodeShape(typ int32, g orb.Geometry) ([]byte, error) {
	var parts [][]orb.Point
	switch g := g.(type) {
	case nil:
		return nullContent(), nil
	case orb.Point:
		if !finite(g) {
			return nil, errors.New("coordinate is not finite")
		}
		if typ == typeMultiPoint {
			return encodeShape(typ, orb.MultiPoint{g})
		}
		b := make([]byte, 20)
		binary.LittleEndian.PutUint32(b, typePoint)
		putPoint(b[4:], g)
		return b, nil
	case orb.MultiPoint:
		if len(g) == 0 {
			return nullContent(), nil
		}
		b := make([]byte, 40+16*len(g))
		binary.LittleEndian.PutUint32(b, typeMultiPoint)
		putBound(b[4:], g.Bound())
		binary.LittleEndian.PutUint32(b[36:], uint32(len(g)))
		for i, p := range g {
			if !finite(p) {
				return nil, fmt.Errorf("point %d: coordinate is not finite", i)
			}
			putPoint(b[40+16*i:], p)
		}
		return b, nil
	case orb.LineString:
		parts = append(parts, g)
	case orb.MultiLineString:
		for _, ls := range g {
			if len(ls) > 0 {
				parts = append(parts, ls)
			}
		}
	case orb.Polygon:
		parts = polygonParts(parts, g)
	case orb.MultiPolygon:
		for _, p := range g {
			parts = polygonParts(parts, p)
		}
	}
	if len(parts) == 0 {
		return nullContent(), nil
	}
	npts := 0
	for _, p := range parts {
		npts += len(p)
	}
	if int64(44+4*len(parts)+16*npts) > math.MaxInt32 {
		return nil, fmt.Errorf("%d points are too many for one shapefile record", npts)
	}
	b := make([]byte, 44+4*len(parts)+16*npts)
	binary.LittleEndian.PutUint32(b, uint32(typ))
	putBound(b[4:], g.Bound())
	binary.LittleEndian.PutUint32(b[36:], uint32(len(parts)))
	binary.LittleEndian.PutUint32(b[40:], uint32(npts))
	off, start := 44+4*len(parts), 0
	for i, p := range parts {
		binary.LittleEndian.PutUint32(b[44+4*i:], uint32(start))
		start += len(p)
		for j, pt := range p {
			if !finite(pt) {
				return nil, fmt.Errorf("part %d: point %d: coordinate is not finite", i, j)
			}
			putPoint(b[off:], pt)
			off += 16
		}
	}
	return b, nil
}

// polygonParts appends the rings of p, closed, with the outer ring
// clockwise and holes counter-clockwise.
func polygonParts(parts [][]orb.Point, p orb.Polygon) [][]orb.Point {
	for i, r := range p {
		if len(r) == 0 {
			continue
		}
		if !r.Closed() {
			r = append(r[:len(r):len(r)], r[0])
		}
		a := 0.0
		if len(r) >= 4 {
			a = geo.RingSignedArea(r)
		}
		if (i == 0 && a > 0) || (i > 0 && a < 0) {
			rev := make(orb.Ring, len(r))
			for k, pt := range r {
				rev[len(r)-1-k] = pt
			}
			r = rev
		}
		parts = append(parts, r)
	}
	return parts
}

func nullContent() []byte { return make([]byte, 4) }

func putPoint(b []byte, p orb.Point) {
	binary.LittleEndian.PutUint64(b, math.Float64bits(p[0]))
	binary.LittleEndian.PutUint64(b[8:], math.Float64bits(p[1]))
}

func putBound(b []byte, bd orb.Bound) {
	for i, v := range []float64{bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]} {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}
