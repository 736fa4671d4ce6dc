package crs_test

import (
	"math/rand"
	"testing"

	"github.com/redline-gis/redline/geo/crs"
)

// Budgets: GK forward and inverse ≈ 0.5 µs, 0 allocs/op.
func BenchmarkGK(b *testing.B) {
	c, err := crs.GK(3, 33, true)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	ll := make([][2]float64, 1024)
	xy := make([][2]float64, len(ll))
	for i := range ll {
		ll[i] = [2]float64{97.5 + 3*rng.Float64(), 21 + 5*rng.Float64()}
		x, y, err := c.FromLonLat(ll[i][0], ll[i][1])
		if err != nil {
			b.Fatal(err)
		}
		xy[i] = [2]float64{x, y}
	}
	b.Run("forward", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := ll[i%len(ll)]
			if _, _, err := c.FromLonLat(p[0], p[1]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("inverse", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := xy[i%len(xy)]
			if _, _, err := c.ToLonLat(p[0], p[1]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// Budget: GCJ-02 inverse ≈ 1 µs, 0 allocs/op.
func BenchmarkGCJ02Inverse(b *testing.B) {
	c := crs.CRS{Kind: crs.GCJ02}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.ToLonLat(116.41024449916938, 39.91640428150164); err != nil {
			b.Fatal(err)
		}
	}
}
