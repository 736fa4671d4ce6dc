package postgis

import (
	"context"
	"math/rand"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
)

func mustTable(t *testing.T, ctx context.Context, pool *pgxpool.Pool, url, schema, table string) *Table {
	t.Helper()
	tbl, err := Describe(ctx, pool, mustSource(t, url, schema, table))
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

// The cache gives, for any boxes, every feature whose box meets one of them
// (as the loaded layer's R-tree finds them), the same features bit for bit,
// and fetches each feature once.
func TestCacheCandidates(t *testing.T) {
	pool, schema, url := testDB(t)
	ctx := context.Background()
	want := readFixture(t, "anchors/constraints.geojson.gz")
	if err := Import(ctx, pool, ImportSpec{Dest: mustSource(t, url, schema, "c")}, importRows(want)); err != nil {
		t.Fatal(err)
	}
	c, err := NewCache(mustTable(t, ctx, pool, url, schema, "c"), ReadOptions{IDFields: data.DefaultIDFields})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	ext := want.Bound()
	for round := 0; round < 20; round++ {
		var boxes []orb.Bound
		for k := 0; k < 1+rng.Intn(8); k++ {
			x := ext.Min[0] + rng.Float64()*(ext.Max[0]-ext.Min[0])
			y := ext.Min[1] + rng.Float64()*(ext.Max[1]-ext.Min[1])
			d := rng.Float64() * 0.03
			boxes = append(boxes, orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + d, y + d}})
		}
		got, err := c.Layer(ctx, pool, boxes)
		if err != nil {
			t.Fatal(err)
		}
		byIndex := map[int]*geo.Feature{}
		for i := range got.Features {
			byIndex[got.Features[i].Index] = &got.Features[i]
		}
		for _, b := range boxes {
			want.Candidates(b, func(_ int, f *geo.Feature) bool {
				g, ok := byIndex[f.Index]
				if !ok {
					t.Fatalf("round %d: feature %d meets %v but was not fetched", round, f.Index, b)
				}
				if g.ID != f.ID || !sameBits(g.Geom, f.Geom) {
					t.Fatalf("feature %d differs", f.Index)
				}
				return true
			})
		}
		for i := 1; i < got.Len(); i++ {
			if got.Features[i-1].Index >= got.Features[i].Index {
				t.Fatal("not in fid order")
			}
		}
	}
	if c.Queries != 20 {
		t.Errorf("%d queries, want one per call", c.Queries)
	}
	if c.Fetched > c.Len()+c.Len()/10 {
		t.Errorf("fetched %d rows for %d distinct features: the cache does not keep them", c.Fetched, c.Len())
	}
	t.Logf("%d queries, %d rows fetched, %d features cached of %d", c.Queries, c.Fetched, c.Len(), want.Len())
}
