package shapefile

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"testing/fstest"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo"
)

// This file builds shapefiles byte by byte, independently of the writer, so
// that reader tests do not only check the writer against itself.

// testFile is a .shp being assembled.
type testFile struct {
	typ  int32
	recs [][]byte
}

func (f *testFile) add(content []byte) *testFile {
	f.recs = append(f.recs, content)
	return f
}

func (f *testFile) bytes() []byte {
	var b bytes.Buffer
	h := make([]byte, 100)
	binary.BigEndian.PutUint32(h, 9994)
	n := 100
	for _, r := range f.recs {
		n += 8 + len(r)
	}
	binary.BigEndian.PutUint32(h[24:], uint32(n/2))
	binary.LittleEndian.PutUint32(h[28:], 1000)
	binary.LittleEndian.PutUint32(h[32:], uint32(f.typ))
	b.Write(h)
	for i, r := range f.recs {
		var rh [8]byte
		binary.BigEndian.PutUint32(rh[:], uint32(i+1))
		binary.BigEndian.PutUint32(rh[4:], uint32(len(r)/2))
		b.Write(rh[:])
		b.Write(r)
	}
	return b.Bytes()
}

type leBuf struct{ bytes.Buffer }

func (b *leBuf) i32(v int32)   { binary.Write(&b.Buffer, binary.LittleEndian, v) }
func (b *leBuf) f64(v float64) { binary.Write(&b.Buffer, binary.LittleEndian, v) }

// testNull is the content of a null shape.
func testNull() []byte { var b leBuf; b.i32(0); return b.Bytes() }

// testPoint builds a Point, PointZ (z, m) or PointM (m) record.
func testPoint(typ int32, x, y float64) []byte {
	var b leBuf
	b.i32(typ)
	b.f64(x)
	b.f64(y)
	switch typ {
	case typePointZ:
		b.f64(100) // z
		b.f64(7)   // m
	case typePointM:
		b.f64(7)
	}
	return b.Bytes()
}

// testMulti builds a PolyLine or Polygon record (or a Z/M variant, with
// made-up Z and M arrays) from parts given as x,y pairs.
func testMulti(typ int32, parts ...[]float64) []byte {
	var b leBuf
	b.i32(typ)
	for range 4 {
		b.f64(0) // bbox: readers must not rely on it
	}
	n := 0
	for _, p := range parts {
		n += len(p) / 2
	}
	b.i32(int32(len(parts)))
	b.i32(int32(n))
	start := 0
	for _, p := range parts {
		b.i32(int32(start))
		start += len(p) / 2
	}
	for _, p := range parts {
		for _, v := range p {
			b.f64(v)
		}
	}
	hasZ := typ == typePolyLineZ || typ == typePolygonZ || typ == typeMultiPointZ
	hasM := hasZ || typ == typePolyLineM || typ == typePolygonM || typ == typeMultiPointM
	for _, want := range []bool{hasZ, hasM} {
		if want {
			b.f64(0)
			b.f64(1)
			for i := range n {
				b.f64(float64(i))
			}
		}
	}
	return b.Bytes()
}

// testMultiPoint builds a MultiPoint (or Z/M) record.
func testMultiPoint(typ int32, xy ...float64) []byte {
	var b leBuf
	b.i32(typ)
	for range 4 {
		b.f64(0)
	}
	b.i32(int32(len(xy) / 2))
	for _, v := range xy {
		b.f64(v)
	}
	if typ == typeMultiPointZ {
		b.f64(0)
		b.f64(0)
		for range len(xy) / 2 {
			b.f64(5)
		}
	}
	if typ == typeMultiPointZ || typ == typeMultiPointM {
		b.f64(0)
		b.f64(0)
		for range len(xy) / 2 {
			b.f64(-1e39) // "no data"
		}
	}
	return b.Bytes()
}

// dbfTestField describes a column of a hand-built DBF.
type dbfTestField struct {
	name     string
	typ      byte
	length   int
	decimals int
}

// dbfTestBuild builds a DBF with raw (already encoded) cell values; a row
// whose first cell is "*DELETED*" is written as a deleted record with the
// remaining cells.
func dbfTestBuild(ldid byte, fields []dbfTestField, rows [][]string) []byte {
	var b bytes.Buffer
	recLen := 1
	for _, f := range fields {
		recLen += f.length
	}
	h := make([]byte, 32)
	h[0] = 3
	binary.LittleEndian.PutUint32(h[4:], uint32(len(rows)))
	binary.LittleEndian.PutUint16(h[8:], uint16(32+32*len(fields)+1))
	binary.LittleEndian.PutUint16(h[10:], uint16(recLen))
	h[29] = ldid
	b.Write(h)
	for _, f := range fields {
		fd := make([]byte, 32)
		copy(fd, f.name)
		fd[11] = f.typ
		fd[16] = byte(f.length)
		fd[17] = byte(f.decimals)
		b.Write(fd)
	}
	b.WriteByte(0x0D)
	for _, row := range rows {
		flag := byte(' ')
		if len(row) > 0 && row[0] == "*DELETED*" {
			flag, row = '*', row[1:]
		}
		b.WriteByte(flag)
		for i, f := range fields {
			cell := bytes.Repeat([]byte{' '}, f.length)
			copy(cell, row[i])
			b.Write(cell)
		}
	}
	b.WriteByte(0x1A)
	return b.Bytes()
}

// testFS returns an fs.FS holding the given files.
func testFS(files map[string][]byte) fstest.MapFS {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: v}
	}
	return m
}

// memFiles collects what a writer creates.
type memFiles map[string]*bytes.Buffer

type memFile struct{ *bytes.Buffer }

func (memFile) Close() error { return nil }

func (m memFiles) create(name string) (io.WriteCloser, error) {
	b := &bytes.Buffer{}
	m[name] = b
	return memFile{b}, nil
}

func (m memFiles) fs() fstest.MapFS {
	out := fstest.MapFS{}
	for k, v := range m {
		out[k] = &fstest.MapFile{Data: v.Bytes()}
	}
	return out
}

// ringArea is the planar area of a polygon: |outer| − Σ|holes|.
func polyArea(p orb.Polygon) float64 {
	a := 0.0
	for i, r := range p {
		s := math.Abs(geo.RingSignedArea(r))
		if i == 0 {
			a += s
		} else {
			a -= s
		}
	}
	return a
}

// xy turns x,y pairs into a ring or line.
func xy(v ...float64) []orb.Point {
	out := make([]orb.Point, len(v)/2)
	for i := range out {
		out[i] = orb.Point{v[2*i], v[2*i+1]}
	}
	return out
}

func circlePoint(k, n int) (x, y float64) {
	a := 2 * math.Pi * float64(k) / float64(n)
	return math.Cos(a), math.Sin(a)
}

func polyFromFlat(v []float64) orb.Polygon { return orb.Polygon{orb.Ring(xy(v...))} }
