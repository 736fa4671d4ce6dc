package coords_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/redline-gis/redline/data/coords"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

func planeArea(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Polygon:
		a := math.Abs(geo.RingSignedArea(g[0]))
		for _, h := range g[1:] {
			a -= math.Abs(geo.RingSignedArea(h))
		}
		return a
	case orb.MultiPolygon:
		var a float64
		for _, p := range g {
			a += planeArea(p)
		}
		return a
	}
	return 0
}

func TestReadCSVCases(t *testing.T) {
	tests := []struct {
		name     string
		csv      string
		ids      []string
		types    []string
		areas    []float64
		warn     string
		wantErr  string
		firstPt  orb.Point
		checkPt0 bool
	}{
		{name: "X northing Y easting, closed", csv: "点号,X,Y\nJ1,3000000,500000\nJ2,3000000,500100\nJ3,3000100,500100\nJ4,3000100,500000\nJ1,3000000,500000\n",
			ids: []string{""}, types: []string{"Polygon"}, areas: []float64{10000}, firstPt: orb.Point{500000, 3000000}, checkPt0: true},
		{name: "unclosed ring closed with a warning", csv: "J,x,y\n1,3000000,500000\n2,3000000,500100\n3,3000100,500100\n",
			ids: []string{""}, types: []string{"Polygon"}, areas: []float64{5000}, warn: "is not closed"},
		{name: "columns the other way round are swapped", csv: "点号,X,Y\n1,500000,3000000\n2,500100,3000000\n3,500100,3000100\n",
			types: []string{"Polygon"}, areas: []float64{5000}, warn: "were swapped", firstPt: orb.Point{500000, 3000000}, checkPt0: true},
		{name: "plots and rings: hole and second part", csv: "地块编号,圈号,点号,X(北),Y(东),用途\n" +
			"A,1,1,0,0,林地\nA,1,2,0,100,\nA,1,3,100,100,\nA,1,4,100,0,\n" +
			"A,2,1,10,10,\nA,2,2,10,20,\nA,2,3,20,20,\nA,2,4,20,10,\n" +
			"A,3,1,0,200,\nA,3,2,0,210,\nA,3,3,10,210,\n" +
			"B,1,1,500,500,\nB,1,2,500,510,\nB,1,3,510,510,\n",
			ids: []string{"A", "B"}, types: []string{"MultiPolygon", "Polygon"}, areas: []float64{10000 - 100 + 50, 50}},
		{name: "runs that close start a new ring", csv: "点号,X,Y\n1,0,0\n2,0,100\n3,100,100\n1,0,0\n5,10,10\n6,10,20\n7,20,20\n5,10,10\n",
			types: []string{"Polygon"}, areas: []float64{5000 - 50}},
		{name: "longitude latitude in DMS", csv: "点号,经度,纬度\n1,99°00'00\",23°00'00\"\n2,99-00-36,23-00-00\n3,990036,230036\n",
			types: []string{"Polygon"}, areas: []float64{0.01 * 0.01 / 2}},
		{name: "WKT column", csv: "plot;wkt\nP1;\"POLYGON((0 0,10 0,10 10,0 10,0 0))\"\n", ids: []string{"P1"}, types: []string{"Polygon"}, areas: []float64{100}},
		{name: "tabs and English headers", csv: "plot\tpoint\tnorthing\teasting\nq\t1\t0\t0\nq\t2\t0\t3\nq\t3\t4\t0\n",
			ids: []string{"q"}, types: []string{"Polygon"}, areas: []float64{6}},
		{name: "no header", csv: "a,b,c\n1,2,3\n", wantErr: "no header row with coordinate columns"},
		{name: "bad number", csv: "点号,X,Y\n1,abc,5\n", wantErr: `line 2: X: "abc" is not a coordinate`},
		{name: "too few points", csv: "点号,X,Y\n1,0,0\n2,1,1\n", wantErr: "ring 1 has 2 distinct points"},
		{name: "bad DMS", csv: "经度,纬度\n99°75'00\",23\n", wantErr: "minutes and seconds must be below 60"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := coords.ReadCSV(strings.NewReader(tc.csv), "t.csv")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "coords: t.csv: ") {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
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
				if tc.ids != nil && r.ID != tc.ids[i] {
					t.Errorf("record %d: id %q, want %q", i, r.ID, tc.ids[i])
				}
				if r.Geom.GeoJSONType() != tc.types[i] {
					t.Errorf("record %d: %s, want %s", i, r.Geom.GeoJSONType(), tc.types[i])
				}
				geotest.ApproxEqual(t, "area", planeArea(r.Geom), tc.areas[i], geotest.Tol{Rel: 1e-9, Abs: 1e-12})
			}
			if tc.checkPt0 {
				got := src.Records[0].Geom.(orb.Polygon)[0][0]
				if got != tc.firstPt {
					t.Errorf("first point %v, want %v (x = easting)", got, tc.firstPt)
				}
			}
			if tc.warn != "" && !strings.Contains(strings.Join(geo.WarningMessages(src.Warnings), "\n"), tc.warn) {
				t.Errorf("warnings %q lack %q", src.Warnings, tc.warn)
			}
		})
	}
}

func TestGBKAndProps(t *testing.T) {
	text := "地块编号,点号,X,Y,项目名称\n甲,1,0,0,临翔区光伏\n甲,2,0,10,\n甲,3,10,10,\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	src, err := coords.ReadCSV(strings.NewReader(gbk), "gbk.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := src.Records[0]
	if r.ID != "甲" || r.Props["项目名称"] != "临翔区光伏" || r.Props["地块编号"] != "甲" {
		t.Errorf("id %q props %v", r.ID, r.Props)
	}
	if strings.Join(src.Fields, ",") != "地块编号,项目名称" {
		t.Errorf("fields %v", src.Fields)
	}
}

func TestReadXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{{"地块编号", "点号", "X", "Y"}, {"A", "J1", 3000000.1234, 500000.5678}, {"A", "J2", 3000000.1234, 500100.5678}, {"A", "J3", 3000100.1234, 500100.5678}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	// A display format with no decimals must not round the values read.
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 1})
	f.SetCellStyle("Sheet1", "C2", "D4", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	src, err := coords.ReadXLSX(&buf, "t.xlsx", coords.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := src.Records[0].Geom.(orb.Polygon)
	if p[0][0] != (orb.Point{500000.5678, 3000000.1234}) {
		t.Errorf("first point %v", p[0][0])
	}
	geotest.ApproxEqual(t, "area", planeArea(p), 5000, geotest.Tol{Rel: 1e-9})
}

// TestHtooothTEST1 reads the real 429-point list (x northing, no zone
// prefix, not closed): one valid polygon of 798 902.27 m² in the plane
// (SOURCE.md: SpatiaLite ST_Area of the closed ring).
func TestHtooothTEST1(t *testing.T) {
	path := geotest.SharedData(t, "coordlist-csv-htoooth-txt2shp/TEST1.txt")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := coords.ReadCSV(f, "TEST1.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Records) != 1 {
		t.Fatalf("%d records", len(src.Records))
	}
	p, ok := src.Records[0].Geom.(orb.Polygon)
	if !ok || len(p) != 1 || len(p[0]) != 430 {
		t.Fatalf("geometry %T, %d rings", src.Records[0].Geom, len(p))
	}
	geotest.ApproxEqual(t, "plane area", planeArea(p), 798902.27, geotest.Tol{Abs: 0.005})
	if p[0][0] != (orb.Point{526656.982, 3505480.372}) {
		t.Errorf("first point %v, want easting, northing", p[0][0])
	}
	if !strings.Contains(strings.Join(geo.WarningMessages(src.Warnings), "\n"), "not closed") {
		t.Errorf("warnings %q", src.Warnings)
	}
}

func TestParseAngleViaTable(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want float64
	}{
		{`99°05'12.3"`, 99 + 5.0/60 + 12.3/3600}, {"99-05-12.3", 99 + 5.0/60 + 12.3/3600}, {"990512.3", 99 + 5.0/60 + 12.3/3600},
		{"1000512.3", 100 + 5.0/60 + 12.3/3600}, {"99度05分12.3秒", 99 + 5.0/60 + 12.3/3600}, {"99.086750", 99.08675}, {"E99:05:12.3", 99 + 5.0/60 + 12.3/3600},
	} {
		q := strings.ReplaceAll(tc.s, `"`, `""`) // CSV quoting
		src, err := coords.ReadCSV(strings.NewReader(fmt.Sprintf("经度,纬度\n\"%s\",23\n\"%s\",23.001\n100,23\n", q, q)), "a.csv")
		if err != nil {
			t.Fatalf("%s: %v", tc.s, err)
		}
		got := src.Records[0].Geom.(orb.Polygon)[0]
		found := false
		for _, p := range got {
			if math.Abs(p[0]-tc.want) < 1e-12 {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: ring %v lacks longitude %.12f", tc.s, got, tc.want)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("点号,X,Y\nJ1,3000000,500000\nJ2,3000000,500100\nJ3,3000100,500100\n")
	f.Add("地块编号,圈号,点号,X(北),Y(东)\nA,1,1,0,0\nA,1,2,0,100\nA,1,3,100,100\nA,2,1,10,10\nA,2,2,10,20\nA,2,3,20,20\n")
	f.Add("点号,经度,纬度\n1,99°00'00\",23°00'00\"\n2,99-00-36,23-00-00\n3,990036,230036\n")
	f.Add("plot;wkt\nP1;\"POLYGON((0 0,10 0,10 10,0 10,0 0))\"\n")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		src, err := coords.ReadCSV(strings.NewReader(s), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "coords: f.csv: ") {
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

// BenchmarkReadCSV reads 1 000 plots of 100 points each (100 000 rows).
func BenchmarkReadCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("地块编号,点号,X,Y\n")
	for p := 0; p < 1000; p++ {
		for k := 0; k < 100; k++ {
			a := float64(k) * 2 * math.Pi / 100
			fmt.Fprintf(&buf, "P%d,J%d,%.3f,%.3f\n", p, k+1, 3000000+float64(p/40)*500+100*math.Sin(a), 500000+float64(p%40)*500+100*math.Cos(a))
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		src, err := coords.ReadCSV(bytes.NewReader(data), "bench.csv")
		if err != nil || len(src.Records) != 1000 {
			b.Fatal(err)
		}
	}
}
