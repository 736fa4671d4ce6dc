package geo_test

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// FuzzOverlap checks the overlay invariants on fuzzed polygon pairs:
// A∩B = B∩A and 0 ≤ |A∩B| ≤ min(|A|, |B|); the engine never panics.
func FuzzOverlap(f *testing.F) {
	f.Add(int64(1), uint8(8), uint8(30), 0.01, 0.005)
	f.Add(int64(2), uint8(3), uint8(3), 0.0, 0.0)
	f.Add(int64(3), uint8(200), uint8(5), 0.02, -0.01)
	f.Fuzz(func(t *testing.T, seed int64, na, nb uint8, dx, dy float64) {
		if math.IsNaN(dx) || math.IsNaN(dy) || math.Abs(dx) > 1 || math.Abs(dy) > 1 {
			return
		}
		rng := rand.New(rand.NewSource(seed))
		a := randomBlob(rng, orb.Point{99, 23}, 0.02, 3+int(na))
		b := randomBlob(rng, orb.Point{99 + dx, 23 + dy}, 0.02, 3+int(nb))
		if geo.Validate(a) != nil || geo.Validate(b) != nil {
			return
		}
		sa, _ := geo.ShapeOf(a)
		sb, _ := geo.ShapeOf(b)
		ab, err1 := geo.Intersect(sa, sb)
		ba, err2 := geo.Intersect(sb, sa)
		if err1 != nil || err2 != nil {
			return // an engine error is reported, never a wrong number
		}
		A, B, I, J := geo.AreaM2(a), geo.AreaM2(b), ab.Polygonal().AreaM2(), ba.Polygonal().AreaM2()
		if I < 0 || I > math.Min(A, B)*(1+1e-9)+1e-6 {
			t.Fatalf("overlap %g outside [0, min(%g, %g)]", I, A, B)
		}
		if math.Abs(I-J) > 1e-9*math.Max(I, 1)+1e-6 {
			t.Fatalf("A∩B %g ≠ B∩A %g", I, J)
		}
	})
}
