package dxf_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data/dxf"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// lw writes an LWPOLYLINE on layer with the given vertices (x, y[, bulge]).
func lw(handle, layer string, closed bool, pts ...[]float64) string {
	var b strings.Builder
	flag := 0
	if closed {
		flag = 1
	}
	fmt.Fprintf(&b, "0\nLWPOLYLINE\n5\n%s\n8\n%s\n90\n%d\n70\n%d\n", handle, layer, len(pts), flag)
	for _, p := range pts {
		fmt.Fprintf(&b, "10\n%g\n20\n%g\n", p[0], p[1])
		if len(p) > 2 {
			fmt.Fprintf(&b, "42\n%g\n", p[2])
		}
	}
	return b.String()
}

func square(handle, layer string, x, y, s float64) string {
	return lw(handle, layer, true, []float64{x, y}, []float64{x + s, y}, []float64{x + s, y + s}, []float64{x, y + s})
}

func drawing(entities ...string) string {
	return "0\nSECTION\n2\nENTITIES\n" + strings.Join(entities, "") + "0\nENDSEC\n0\nEOF\n"
}

func TestReadCases(t *testing.T) {
	text := func(s string, x, y float64) string {
		return fmt.Sprintf("0\nTEXT\n8\nANNO\n10\n%g\n20\n%g\n40\n2.5\n1\n%s\n", x, y, s)
	}
	tests := []struct {
		name    string
		dxf     string
		opt     dxf.Options
		types   []string  // geometry type per record
		areas   []float64 // plane areas of polygon records (0 for others)
		names   []any
		wantErr string
	}{
		{name: "square with hole and island", dxf: drawing(square("A", "P", 0, 0, 100), square("B", "P", 10, 10, 50), square("C", "P", 20, 20, 10)),
			types: []string{"Polygon", "Polygon"}, areas: []float64{10000 - 2500, 100}},
		{name: "nesting is per layer", dxf: drawing(square("A", "P", 0, 0, 100), square("B", "Q", 10, 10, 50)),
			types: []string{"Polygon", "Polygon"}, areas: []float64{10000, 2500}},
		{name: "first = last closes", dxf: drawing(lw("A", "P", false, []float64{0, 0}, []float64{10, 0}, []float64{10, 10}, []float64{0, 0})),
			types: []string{"Polygon"}, areas: []float64{50}},
		{name: "open polyline is a line", dxf: drawing(lw("A", "P", false, []float64{0, 0}, []float64{10, 0}, []float64{10, 10})),
			types: []string{"LineString"}, areas: []float64{0}},
		{name: "two-vertex closed polyline with bulges is a circle", dxf: drawing(lw("A", "P", true, []float64{0, 0, 1}, []float64{20, 0, 1})),
			types: []string{"Polygon"}, areas: []float64{math.Pi * 100}},
		{name: "circle is a line unless asked", dxf: drawing("0\nCIRCLE\n8\nP\n10\n0\n20\n0\n40\n10\n"),
			types: []string{"LineString"}, areas: []float64{0}},
		{name: "circle closed", dxf: drawing("0\nCIRCLE\n8\nP\n10\n0\n20\n0\n40\n10\n"), opt: dxf.Options{CloseCircles: true},
			types: []string{"Polygon"}, areas: []float64{math.Pi * 100}},
		{name: "text inside names the polygon", dxf: drawing(square("A", "P", 0, 0, 100), square("B", "P", 200, 0, 100), text("地块一", 50, 50), text("J1", 70, 50), text("outside", 150, 50)),
			types: []string{"Polygon", "Polygon"}, areas: []float64{10000, 10000}, names: []any{"地块一; J1", nil}},
		{name: "text in a hole does not name", dxf: drawing(square("A", "P", 0, 0, 100), square("B", "P", 10, 10, 50), text("hole", 30, 30)),
			types: []string{"Polygon"}, areas: []float64{7500}, names: []any{nil}},
		{name: "layer filter", dxf: drawing(square("A", "P", 0, 0, 100), square("B", "Q", 0, 0, 50)), opt: dxf.Options{Layers: []string{"q"}},
			types: []string{"Polygon"}, areas: []float64{2500}},
		{name: "unknown layer", dxf: drawing(square("A", "P", 0, 0, 100)), opt: dxf.Options{Layers: []string{"X"}}, wantErr: `no layer "X" (the drawing has "P")`},
		{name: "point and line", dxf: drawing("0\nPOINT\n8\nP\n10\n1\n20\n2\n30\n3\n", "0\nLINE\n8\nP\n10\n0\n20\n0\n11\n5\n21\n5\n"),
			types: []string{"Point", "LineString"}, areas: []float64{0, 0}},
		{name: "old-style POLYLINE", dxf: drawing("0\nPOLYLINE\n8\nP\n66\n1\n70\n1\n0\nVERTEX\n8\nP\n10\n0\n20\n0\n0\nVERTEX\n8\nP\n10\n4\n20\n0\n0\nVERTEX\n8\nP\n10\n4\n20\n4\n0\nSEQEND\n"),
			types: []string{"Polygon"}, areas: []float64{8}},
		{name: "mirrored OCS", dxf: drawing("0\nLWPOLYLINE\n8\nP\n70\n1\n10\n1\n20\n0\n10\n2\n20\n0\n10\n2\n20\n1\n210\n0\n220\n0\n230\n-1\n"),
			types: []string{"Polygon"}, areas: []float64{0.5}},
		{name: "bad number", dxf: drawing("0\nPOINT\n5\n7F\n8\nP\n10\nabc\n20\n2\n"), wantErr: `line 5: POINT (handle 7F): group code 10: "abc" is not a number`},
		{name: "binary DXF", dxf: "AutoCAD Binary DXF\r\n\x1a\x00junk", wantErr: "binary DXF is not supported: save the drawing as ASCII DXF"},
		{name: "DWG", dxf: "AC1015\x00\x00\x00\x00\x00junk", wantErr: "DWG is not supported"},
		{name: "missing value line", dxf: "0\nSECTION\n2\nENTITIES\n0\nPOINT\n10", wantErr: "group code 10 has no value line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := dxf.Read(strings.NewReader(tc.dxf), "t.dxf", tc.opt)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "dxf: t.dxf: ") {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(src.Records) != len(tc.types) {
				t.Fatalf("%d records, want %d", len(src.Records), len(tc.types))
			}
			for i, r := range src.Records {
				if got := r.Geom.GeoJSONType(); got != tc.types[i] {
					t.Errorf("record %d: %s, want %s", i, got, tc.types[i])
				}
				geotest.ApproxEqual(t, fmt.Sprintf("record %d area", i), planeArea(r.Geom), tc.areas[i], geotest.Tol{Rel: 1e-9, Abs: 1e-9})
				if tc.names != nil && r.Props["name"] != tc.names[i] {
					t.Errorf("record %d: name %v, want %v", i, r.Props["name"], tc.names[i])
				}
				if p, ok := r.Geom.(orb.Polygon); ok {
					if geo.RingSignedArea(p[0]) <= 0 {
						t.Errorf("record %d: outer ring not counter-clockwise", i)
					}
				}
			}
		})
	}
}

// TestInsert expands a block with base point, scale, rotation and a
// mirrored extrusion, and a pair of blocks that insert each other.
func TestInsert(t *testing.T) {
	blocks := "0\nSECTION\n2\nBLOCKS\n0\nBLOCK\n2\nSQ\n10\n1\n20\n1\n" + square("S", "0", 1, 1, 1) + "0\nENDBLK\n" +
		"0\nBLOCK\n2\nA\n10\n0\n20\n0\n0\nINSERT\n2\nB\n10\n0\n20\n0\n0\nENDBLK\n" +
		"0\nBLOCK\n2\nB\n10\n0\n20\n0\n0\nINSERT\n2\nA\n10\n1\n20\n0\n0\nPOINT\n8\n0\n10\n0\n20\n0\n0\nENDBLK\n0\nENDSEC\n"
	ents := "0\nSECTION\n2\nENTITIES\n" +
		"0\nINSERT\n5\nI1\n8\nSITE\n2\nSQ\n10\n100\n20\n200\n41\n10\n42\n20\n50\n90\n" +
		"0\nINSERT\n5\nI2\n8\nSITE\n2\nSQ\n10\n100\n20\n200\n210\n0\n220\n0\n230\n-1\n" +
		"0\nENDSEC\n0\nEOF\n"
	src, err := dxf.Read(strings.NewReader(blocks+ents), "t.dxf", dxf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Records) != 2 {
		t.Fatalf("%d records", len(src.Records))
	}
	// I1: the unit square at the base point, scaled 10 × 20 (200 m²),
	// rotated 90° about the insertion point: x ∈ [80, 100], y ∈ [200, 210].
	b := src.Records[0].Geom.Bound()
	if b.Min != (orb.Point{80, 200}) || b.Max != (orb.Point{100, 210}) || src.Records[0].Props["layer"] != "SITE" || src.Records[0].ID != "I1/S" {
		t.Errorf("I1: bound %v, props %v, id %q", b, src.Records[0].Props, src.Records[0].ID)
	}
	geotest.ApproxEqual(t, "I1 area", planeArea(src.Records[0].Geom), 200, geotest.Tol{Rel: 1e-12})
	// I2: extrusion (0,0,−1) mirrors x: OCS (100..101, 200..201) → x ∈ [−101, −100].
	b = src.Records[1].Geom.Bound()
	if math.Abs(b.Min[0]+101) > 1e-9 || math.Abs(b.Max[0]+100) > 1e-9 || b.Min[1] != 200 {
		t.Errorf("I2: bound %v", b)
	}

	rec := blocks + "0\nSECTION\n2\nENTITIES\n0\nINSERT\n5\nR\n2\nA\n10\n0\n20\n0\n0\nENDSEC\n0\nEOF\n"
	src, err = dxf.Read(strings.NewReader(rec), "t.dxf", dxf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Records) != 8 || !strings.Contains(strings.Join(geo.WarningMessages(src.Warnings), "\n"), "deeper than 16") {
		t.Errorf("recursive blocks: %d records (want 8 points: B at depths 2,4,…,16), warnings %q", len(src.Records), src.Warnings)
	}
	src, err = dxf.Read(strings.NewReader(rec), "t.dxf", dxf.Options{NoBlocks: true})
	if err != nil || len(src.Records) != 0 {
		t.Errorf("NoBlocks: %v, %d records", err, len(src.Records))
	}
}

func FuzzRead(f *testing.F) {
	f.Add(drawing(square("A", "P", 0, 0, 100), square("B", "P", 10, 10, 50)))
	f.Add(drawing(lw("A", "P", true, []float64{0, 0, 1}, []float64{20, 0, 1})))
	f.Add("0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1015\n9\n$DWGCODEPAGE\n3\nANSI_936\n0\nENDSEC\n" +
		drawing("0\nTEXT\n8\n\xcd\xbc\xb2\xe3\n10\n1\n20\n1\n1\n\\U+4E2D\n", "0\nCIRCLE\n8\nP\n10\n0\n20\n0\n40\n10\n"))
	f.Add(drawing("0\nHATCH\n8\nH\n2\nSOLID\n70\n1\n91\n1\n92\n0\n93\n2\n72\n1\n10\n0\n20\n0\n11\n10\n21\n0\n72\n2\n10\n5\n20\n0\n40\n5\n50\n0\n51\n180\n73\n1\n97\n0\n75\n0\n"))
	f.Add("0\nSECTION\n2\nBLOCKS\n0\nBLOCK\n2\nA\n10\n0\n20\n0\n0\nINSERT\n2\nA\n10\n1\n20\n0\n41\n2\n0\nENDBLK\n0\nENDSEC\n0\nINSERT\n2\nA\n70\n3\n71\n3\n")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		src, err := dxf.Read(strings.NewReader(s), "f.dxf", dxf.Options{MaxVertices: 1 << 20})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "dxf: f.dxf: ") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for i, r := range src.Records {
			if r.Geom == nil {
				t.Fatalf("record %d has no geometry", i)
			}
		}
	})
}

// BenchmarkRead100k reads a generated drawing of 100 000 closed polylines
// (8 vertices, one bulge each). Budget: under 5 s on the project's 2-core
// machine (the target).
func BenchmarkRead100k(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("0\nSECTION\n2\nENTITIES\n")
	for i := 0; i < 100_000; i++ {
		x, y := 40500000+float64(i%300)*200, 3400000+float64(i/300)*200
		fmt.Fprintf(&buf, "0\nLWPOLYLINE\n5\n%X\n8\nPARCELS\n90\n8\n70\n1\n", i+16)
		for k := 0; k < 8; k++ {
			a := float64(k) * math.Pi / 4
			fmt.Fprintf(&buf, "10\n%.4f\n20\n%.4f\n", x+80*math.Cos(a), y+80*math.Sin(a))
			if k == 3 {
				buf.WriteString("42\n0.1\n")
			}
		}
	}
	buf.WriteString("0\nENDSEC\n0\nEOF\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		src, err := dxf.Read(bytes.NewReader(data), "bench.dxf", dxf.Options{})
		if err != nil || len(src.Records) != 100_000 {
			b.Fatal(err, len(src.Records))
		}
	}
}
