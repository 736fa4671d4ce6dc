package postgis

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
)

// readFixture reads a layer of the repository's testdata as cmd does.
func readFixture(t *testing.T, name string) *geo.Layer {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata")
	if strings.HasSuffix(name, ".gz") {
		in, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer in.Close()
		zr, err := gzip.NewReader(in)
		if err != nil {
			t.Fatal(err)
		}
		dir = t.TempDir()
		name = strings.TrimSuffix(filepath.Base(name), ".gz")
		out, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, zr); err != nil {
			t.Fatal(err)
		}
		out.Close()
	}
	l, _, err := data.ReadLayer(os.DirFS(dir), name, data.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func importRows(l *geo.Layer) []ImportRow {
	rows := make([]ImportRow, l.Len())
	for i := range l.Features {
		rows[i] = ImportRow{Feature: &l.Features[i], Zone: "z"}
	}
	return rows
}

func mustSource(t *testing.T, url, schema, table string) *Source {
	t.Helper()
	s, err := ParseURL(url, false)
	if err != nil {
		t.Fatal(err)
	}
	s, err = s.WithTable(schema, table)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sameFeatures requires the same features bit for bit: index, id,
// properties (types included), coordinates and box.
func sameFeatures(t *testing.T, got, want *geo.Layer) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("%d features, want %d", got.Len(), want.Len())
	}
	for i := range want.Features {
		g, w := &got.Features[i], &want.Features[i]
		if g.Index != w.Index || g.ID != w.ID {
			t.Fatalf("feature %d: index %d id %q, want %d %q", i, g.Index, g.ID, w.Index, w.ID)
		}
		if !reflect.DeepEqual(g.Props, w.Props) {
			t.Fatalf("feature %d: props %#v, want %#v", i, g.Props, w.Props)
		}
		if !sameBits(g.Geom, w.Geom) {
			t.Fatalf("feature %d: geometry differs", i)
		}
		if g.Bound != w.Bound {
			t.Fatalf("feature %d: bound %v, want %v", i, g.Bound, w.Bound)
		}
	}
}

func sameBits(a, b orb.Geometry) bool {
	var pa, pb []orb.Point
	geo.VisitPoints(a, func(p orb.Point) bool { pa = append(pa, p); return true })
	geo.VisitPoints(b, func(p orb.Point) bool { pb = append(pb, p); return true })
	if a.GeoJSONType() != b.GeoJSONType() || len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		if math.Float64bits(pa[i][0]) != math.Float64bits(pb[i][0]) || math.Float64bits(pa[i][1]) != math.Float64bits(pb[i][1]) {
			return false
		}
	}
	return true
}

func TestImportReadWhole(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	for _, name := range []string{"reserve.geojson", "water.geojson", "anchors/constraints.geojson.gz"} {
		t.Run(name, func(t *testing.T) {
			want := readFixture(t, name)
			table := strings.NewReplacer(".", "_", "/", "_").Replace(name)
			dest := mustSource(t, url, schema, table)
			spec := ImportSpec{Dest: dest, Kind: "reserve", Source: name, CRS: "EPSG:4490", SHA256: "00", Version: "test"}
			if err := Import(ctx, pool, spec, importRows(want)); err != nil {
				t.Fatal(err)
			}
			tbl, err := Describe(ctx, pool, dest)
			if err != nil {
				t.Fatal(err)
			}
			got, skipped, err := ReadLayer(ctx, pool, tbl, ReadOptions{IDFields: data.DefaultIDFields})
			if err != nil {
				t.Fatal(err)
			}
			if skipped != 0 {
				t.Errorf("skipped %d", skipped)
			}
			sameFeatures(t, got, want)
			var n int
			var kind string
			if err := pool.QueryRow(ctx, "SELECT features, kind FROM "+schema+".redline_layers WHERE table_name = $1", table).Scan(&n, &kind); err != nil {
				t.Fatal(err)
			}
			if n != want.Len() || kind != "reserve" {
				t.Errorf("redline_layers: %d %s", n, kind)
			}
			if err := Import(ctx, pool, spec, importRows(want)); !errors.Is(err, ErrTableExists) {
				t.Errorf("second import without --replace: %v", err)
			}
		})
	}
}
