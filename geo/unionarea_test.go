package geo_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

// overlayArea is the reference: clip ∩ dissolve(polys) with the engine.
func overlayArea(t testing.TB, clip orb.Geometry, polys []orb.Geometry) float64 {
	t.Helper()
	var pieces []geo.Shape
	var cs geo.Shape
	if clip != nil {
		cs = mustShape(t, clip)
	}
	for _, p := range polys {
		s := mustShape(t, p)
		if clip != nil {
			var err error
			if s, err = geo.Intersect(cs, s); err != nil {
				t.Fatal(err)
			}
		}
		pieces = append(pieces, s)
	}
	u, err := geo.Dissolve(pieces)
	if err != nil {
		t.Fatal(err)
	}
	return u.AreaM2()
}

func TestClippedUnionAreaRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	fast := 0
	for k := 0; k < 120; k++ {
		n := 1 + rng.Intn(8)
		var polys []orb.Geometry
		for i := 0; i < n; i++ {
			p := randomBlob(rng, orb.Point{99 + 0.05*rng.Float64(), 23 + 0.05*rng.Float64()}, 0.005+0.02*rng.Float64(), 4+rng.Intn(120))
			if rng.Intn(3) == 0 {
				h := randomBlob(rng, p.Bound().Center(), 0.002, 5+rng.Intn(20))
				h[0].Reverse()
				if geo.Validate(orb.Polygon{p[0], h[0]}) == nil {
					p = append(p, h[0])
				}
			}
			if rng.Intn(4) == 0 { // a clockwise outer ring: orientation must not matter
				p[0].Reverse()
			}
			if geo.Validate(p) != nil {
				continue
			}
			polys = append(polys, p)
		}
		var clip orb.Geometry
		switch rng.Intn(3) {
		case 0:
			clip = randomBlob(rng, orb.Point{99.025, 23.025}, 0.02, 5+rng.Intn(60))
		case 1:
			clip = box(99+0.02*rng.Float64(), 23+0.02*rng.Float64(), 99.03+0.02*rng.Float64(), 23.03+0.02*rng.Float64())
		}
		if clip != nil && geo.Validate(clip) != nil {
			continue
		}
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			got, ok := geo.ClippedUnionAreaM2(clip, polys)
			if !ok {
				return // declined: the caller falls back to overlay
			}
			fast++
			want := overlayArea(t, clip, polys)
			geotest.ApproxEqual(t, "area", got, want, geotest.Tol{Rel: 1e-9, Abs: 1e-4})
		})
	}
	if fast < 100 {
		t.Errorf("fast path taken only %d times of 120", fast)
	}
}

func TestClippedUnionAreaCases(t *testing.T) {
	a := box(99, 23, 99.02, 23.02)
	b := box(99.01, 23.01, 99.03, 23.03)
	nested := box(99.005, 23.005, 99.008, 23.008)
	far := box(99.5, 23.5, 99.51, 23.51)
	tests := []struct {
		name  string
		clip  orb.Geometry
		polys []orb.Geometry
		ok    bool
	}{
		{"two overlapping", nil, []orb.Geometry{a, b}, true},
		{"nested", nil, []orb.Geometry{a, nested}, true},
		{"disjoint", nil, []orb.Geometry{a, far}, true},
		{"clip crossing both", box(99.005, 23.002, 99.025, 23.025), []orb.Geometry{a, b}, true},
		{"clip inside one", box(99.001, 23.001, 99.002, 23.002), []orb.Geometry{a, b}, true},
		{"clip outside all", box(98, 22, 98.1, 22.1), []orb.Geometry{a, b}, true},
		{"nothing in clip", box(98, 22, 98.1, 22.1), nil, true},
		{"hole around the clip", box(99.011, 23.011, 99.012, 23.012),
			[]orb.Geometry{orb.Polygon{box(99, 23, 99.1, 23.1)[0], reversed(box(99.01, 23.01, 99.02, 23.02)[0])}}, true},
		{"identical copies decline", nil, []orb.Geometry{a, box(99, 23, 99.02, 23.02)}, false},
		{"shared edge declines", nil, []orb.Geometry{a, box(99.02, 23, 99.03, 23.02)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := geo.ClippedUnionAreaM2(tc.clip, tc.polys)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if ok {
				geotest.ApproxEqual(t, "area", got, overlayArea(t, tc.clip, tc.polys), geotest.Tol{Rel: 1e-9, Abs: 1e-6})
			}
		})
	}
}

func reversed(r orb.Ring) orb.Ring {
	out := append(orb.Ring(nil), r...)
	out.Reverse()
	return out
}

func BenchmarkClippedUnionArea(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	var polys []orb.Geometry
	for len(polys) < 50 {
		p := randomBlob(rng, orb.Point{99 + 0.1*rng.Float64(), 23 + 0.1*rng.Float64()}, 0.02, 300)
		if geo.Validate(p) == nil {
			polys = append(polys, p)
		}
	}
	clip := box(99.02, 23.02, 99.08, 23.08)
	b.Run("boundary-walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			geo.ClippedUnionAreaM2(clip, polys)
		}
	})
	b.Run("overlay", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			overlayArea(b, clip, polys)
		}
	})
}
