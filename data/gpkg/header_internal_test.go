package gpkg

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	gogeom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/encoding/wkb"
)

// blob builds a GeoPackage geometry by hand: header in byte order bo with
// envelope kind env (filled with zeros) and the empty flag, then w.
func blob(bo binary.ByteOrder, env byte, empty bool, w []byte) []byte {
	flags := env << 1
	if bo == binary.LittleEndian {
		flags |= 1
	}
	if empty {
		flags |= 0x10
	}
	b := []byte{'G', 'P', 0, flags, 0, 0, 0, 0}
	bo.PutUint32(b[4:], 4490)
	n := map[byte]int{0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[env]
	b = append(b, make([]byte, n)...)
	return append(b, w...)
}

func TestHeaderAndWKB(t *testing.T) {
	poly := gogeom.NewPolygonFlat(gogeom.XY, []float64{0, 0, 10, 0, 10, 10, 0, 0}, []int{8})
	polyZ := gogeom.NewPolygonFlat(gogeom.XYZ, []float64{0, 0, 5, 10, 0, 5, 10, 10, 5, 0, 0, 5}, []int{12})
	le, _ := wkb.Marshal(poly, binary.LittleEndian)
	be, _ := wkb.Marshal(poly, binary.BigEndian)
	z, _ := wkb.Marshal(polyZ, binary.LittleEndian)
	want := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}}
	tests := []struct {
		name    string
		b       []byte
		want    orb.Geometry
		wantErr string
	}{
		{"LE header, no envelope", blob(binary.LittleEndian, 0, false, le), want, ""},
		{"BE header, xy envelope, BE WKB", blob(binary.BigEndian, 1, false, be), want, ""},
		{"xyz envelope", blob(binary.LittleEndian, 2, false, le), want, ""},
		{"xym envelope", blob(binary.BigEndian, 3, false, le), want, ""},
		{"xyzm envelope, Z dropped", blob(binary.LittleEndian, 4, false, z), want, ""},
		{"empty flag", blob(binary.LittleEndian, 0, true, le), nil, ""},
		{"envelope kind 5", blob(binary.LittleEndian, 5, false, le), nil, "envelope kind 5"},
		{"bad magic", append([]byte("XP"), blob(binary.LittleEndian, 0, false, le)[2:]...), nil, "no \"GP\" magic"},
		{"truncated envelope", blob(binary.LittleEndian, 4, false, nil)[:20], nil, "shorter than its header"},
		{"extended type", func() []byte { b := blob(binary.LittleEndian, 0, false, le); b[3] |= 0x20; return b }(), nil, "extended GeoPackage geometry"},
		{"hostile count", blob(binary.LittleEndian, 0, false, []byte{1, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f}), nil, "larger than the 0 bytes left allow"},
		{"truncated WKB", blob(binary.LittleEndian, 0, false, le[:len(le)-3]), nil, "larger than"},
		{"unsupported type", blob(binary.LittleEndian, 0, false, []byte{1, 17, 0, 0, 0}), nil, "TRIANGLE is not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := decodeBlob(tc.b, 0.01)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if g != nil {
					t.Fatalf("got %v, want no geometry", g)
				}
				return
			}
			if !orb.Equal(g, tc.want) {
				t.Errorf("got %v, want %v", g, tc.want)
			}
		})
	}
}

// curveWKB builds CURVEPOLYGON(CIRCULARSTRING(r 0, 0 r, −r 0, 0 −r, r 0)):
// a full circle of radius r about the origin, as two half-turn arcs.
func curveWKB(r float64) []byte {
	le := binary.LittleEndian
	b := []byte{1}
	b = le.AppendUint32(b, 10)
	b = le.AppendUint32(b, 1)
	b = append(b, 1)
	b = le.AppendUint32(b, 8)
	b = le.AppendUint32(b, 5)
	for _, p := range [][2]float64{{r, 0}, {0, r}, {-r, 0}, {0, -r}, {r, 0}} {
		b = le.AppendUint64(b, math.Float64bits(p[0]))
		b = le.AppendUint64(b, math.Float64bits(p[1]))
	}
	return b
}

// TestCurvePolygon: a circle as CIRCULARSTRINGs linearises to a ring within
// the tolerance of the circle whose area is π r² (the arcs' exact sector
// areas).
func TestCurvePolygon(t *testing.T) {
	const r = 1000.0
	g, err := decodeWKB(curveWKB(r), 0.01)
	if err != nil {
		t.Fatal(err)
	}
	p := g.(orb.Polygon)
	ring := p[0]
	if ring[0] != ring[len(ring)-1] {
		t.Fatal("ring not closed")
	}
	var a float64
	for i := 0; i+1 < len(ring); i++ {
		a += ring[i][0]*ring[i+1][1] - ring[i+1][0]*ring[i][1]
		if d := math.Abs(math.Hypot(ring[i][0], ring[i][1]) - r); d > 0.01 {
			t.Fatalf("vertex %d is %.4f from the circle", i, d)
		}
	}
	a /= 2
	if math.Abs(a-math.Pi*r*r) > 1e-6*math.Pi*r*r {
		t.Errorf("area %.3f, want π r² = %.3f", a, math.Pi*r*r)
	}
}

func FuzzDecodeBlob(f *testing.F) {
	poly := gogeom.NewPolygonFlat(gogeom.XY, []float64{0, 0, 10, 0, 10, 10, 0, 0}, []int{8})
	le, _ := wkb.Marshal(poly, binary.LittleEndian)
	mp := gogeom.NewMultiPolygonFlat(gogeom.XYZ, []float64{0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1}, [][]int{{12}})
	be, _ := wkb.Marshal(mp, binary.BigEndian)
	f.Add(blob(binary.LittleEndian, 1, false, le))
	f.Add(blob(binary.BigEndian, 2, false, be))
	f.Add(blob(binary.LittleEndian, 0, true, nil))
	f.Add(blob(binary.LittleEndian, 0, false, curveWKB(5)))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := decodeBlob(b, 0.01)
		if err == nil && g != nil {
			_ = g.Bound()
		}
	})
}
