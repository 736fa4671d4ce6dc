package geo_test

import (
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/redline-gis/redline/geo"
)

// checkValidity holds Validate to its references on g: the same problems as
// when the engine decides every rule between rings (our own check only
// proves validity where rings keep apart), and never valid where
// simplefeatures' Validate or GEOS's GEOSisValid (the GEOS build) finds g
// invalid. Validate may be stricter than the engines (spikes, and vertices
// on edges, up to rounding error): it reports how often.
func checkValidity(t *testing.T, g orb.Geometry) (stricter bool) {
	t.Helper()
	got := geo.Validate(g)
	if ref := geo.ValidateAskingEngine(g); !reflect.DeepEqual(got, ref) {
		t.Fatalf("%v:\nValidate      %v\nengine decides %v", g, got, ref)
	}
	if grid := geo.ValidateGridAlways(g); !reflect.DeepEqual(got, grid) {
		t.Fatalf("%v:\nValidate      %v\nby the grid   %v", g, got, grid)
	}
	sfErr := geo.EngineValidate(g)
	if sfErr != nil && got == nil {
		t.Fatalf("%v: simplefeatures finds it invalid (%v), Validate does not", g, sfErr)
	}
	if geo.HaveGEOSIsValid {
		ok, err := geo.GEOSIsValid(g)
		if err == nil && !ok && got == nil {
			t.Fatalf("%v: GEOS finds it invalid, Validate does not", g)
		}
	}
	return got != nil && sfErr == nil
}

// gridRing is a ring of n points on a coarse grid, so that vertices coincide
// and edges overlap often.
func gridRing(rng *rand.Rand, x0, y0 float64, cells, n int) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		r = append(r, orb.Point{x0 + 0.001*float64(rng.Intn(cells)), y0 + 0.001*float64(rng.Intn(cells))})
	}
	return append(r, r[0])
}

// TestValidateDifferentialRandom: random rings, polygons with holes that
// may leave, touch or cross their shell, and multipolygons whose parts may
// overlap, touch or nest in holes.
func TestValidateDifferentialRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	n, stricter, invalid := 0, 0, 0
	count := func(g orb.Geometry) {
		n++
		if checkValidity(t, g) {
			stricter++
		}
		if geo.Validate(g) != nil {
			invalid++
		}
	}
	rounds := 1500
	if testing.Short() {
		rounds = 200
	}
	for k := 0; k < rounds; k++ {
		// Grid rings: alone, as a hole of a square, as a second part.
		r := gridRing(rng, 99, 23, 6, 3+rng.Intn(6))
		sq := box(99, 23, 99.005, 23.005)[0]
		count(orb.Polygon{r})
		count(orb.Polygon{sq, r})
		count(orb.MultiPolygon{{sq}, {r}})
		count(orb.MultiPolygon{{box(98.99, 22.99, 99.01, 23.01)[0], sq}, {r}})
		// Blobs: holes and parts at random distances, some touching.
		c := orb.Point{99, 23}
		shell := randomBlob(rng, c, 0.02, 8+rng.Intn(40))[0]
		d := 0.015 * rng.Float64()
		a := 2 * math.Pi * rng.Float64()
		hc := orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)}
		hole := randomBlob(rng, hc, 0.002+0.006*rng.Float64(), 5+rng.Intn(20))[0]
		hole.Reverse()
		count(orb.Polygon{shell, hole})
		hole2 := randomBlob(rng, orb.Point{hc[0] + 0.004*rng.NormFloat64(), hc[1] + 0.004*rng.NormFloat64()}, 0.003, 6)[0]
		count(orb.Polygon{shell, hole, hole2})
		part := randomBlob(rng, orb.Point{c[0] + 0.05*rng.Float64(), c[1]}, 0.02, 6+rng.Intn(30))
		count(orb.MultiPolygon{{shell, hole}, part})
		inHole := randomBlob(rng, hc, 0.001, 5)
		count(orb.MultiPolygon{{shell, hole}, inHole})
		// A hole sharing a vertex with the shell: valid for OGC.
		touching := orb.Ring{shell[0], {shell[0][0] - 0.001, shell[0][1] + 0.0005}, {shell[0][0] - 0.001, shell[0][1] - 0.0005}, shell[0]}
		count(orb.Polygon{shell, touching})
	}
	t.Logf("%d geometries, %d invalid, %d of them only by Validate's tolerance", n, invalid, stricter)
	if invalid == 0 || invalid == n {
		t.Fatalf("%d of %d invalid: the cases do not test both sides", invalid, n)
	}
}

// TestValidateDifferentialReal: every polygon of the real public data
// (skipped when ../shared/data/real is absent).
func TestValidateDifferentialReal(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "data", "real")
	if _, err := os.Stat(root); err != nil {
		t.Skip("real data absent (../shared/data/real): nothing to compare")
	}
	n := 0
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(path) != ".json" && filepath.Ext(path) != ".geojson") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			return nil // TopoJSON, a bare array: not a FeatureCollection
		}
		for _, f := range fc.Features {
			if geo.IsPolygonal(f.Geometry) {
				checkValidity(t, f.Geometry)
				n++
			}
		}
		return nil
	})
	t.Logf("%d real polygons", n)
	if n == 0 {
		t.Fatal("no polygon read")
	}
}

// FuzzValidateDifferential: as TestValidateDifferentialRandom, rings from
// the fuzzer on a coarse grid, alone, as a hole, or as a second part.
func FuzzValidateDifferential(f *testing.F) {
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10}, uint8(0))
	f.Add([]byte{0, 0, 10, 10, 10, 0, 0, 10}, uint8(1))
	f.Add([]byte{1, 1, 3, 1, 3, 3, 1, 3}, uint8(1))
	f.Add([]byte{0, 0, 2, 0, 2, 2}, uint8(2))
	f.Add([]byte{5, 5, 20, 5, 20, 20, 5, 20}, uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, mode uint8) {
		if len(b) > 48 {
			return
		}
		var ring orb.Ring
		for i := 0; i+1 < len(b) && len(ring) < 16; i += 2 {
			ring = append(ring, orb.Point{99 + float64(b[i]%32)*0.001, 23 + float64(b[i+1]%32)*0.001})
		}
		if len(ring) > 0 {
			ring = append(ring, ring[0])
		}
		sq := box(99, 23, 99.01, 23.01)[0]
		var g orb.Geometry = orb.Polygon{ring}
		switch mode % 4 {
		case 1:
			g = orb.Polygon{sq, ring}
		case 2:
			g = orb.MultiPolygon{{sq}, {ring}}
		case 3:
			g = orb.MultiPolygon{{box(98.99, 22.99, 99.03, 23.03)[0], sq}, {ring}}
		}
		checkValidity(t, g)
	})
}
