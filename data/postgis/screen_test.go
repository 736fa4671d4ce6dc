package postgis

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
)

// Screening from the table gives the same JSON, to the last digit, as
// screening from the file the table was imported from.
func TestScreenFromTableEqualsFile(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	sites := readFixture(t, "anchors/sites.geojson.gz")
	file := readFixture(t, "anchors/constraints.geojson.gz")
	if err := Import(ctx, pool, ImportSpec{Dest: mustSource(t, url, schema, "cons")}, importRows(file)); err != nil {
		t.Fatal(err)
	}
	db, _, err := ReadLayer(ctx, pool, mustTable(t, ctx, pool, url, schema, "cons"), ReadOptions{IDFields: data.DefaultIDFields})
	if err != nil {
		t.Fatal(err)
	}
	rules := analysis.DefaultRules()
	screen := func(l *geo.Layer) []byte {
		c, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: "reserve"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := analysis.Screen(ctx, sites, []*analysis.Constraint{c}, rules, analysis.ScreenOptions{NearM: 1000, Pieces: true})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		return b
	}
	a, b := screen(file), screen(db)
	if !bytes.Equal(a, b) {
		t.Fatalf("screen JSON differs between the file and the table (%d vs %d bytes)", len(a), len(b))
	}
	if !bytes.Contains(a, []byte(`"conflicts":[{`)) {
		t.Fatal("no conflicts at all: the test checks nothing")
	}
}
