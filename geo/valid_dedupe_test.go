package geo

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestClosedDistinctAgreesWithDedupe: where closedDistinct takes a ring as
// it is, dedupe would give the same points, and where dedupe would drop
// any, closedDistinct declines; on short rings with repeats anywhere.
func TestClosedDistinctAgreesWithDedupe(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pool := []orb.Point{{0, 0}, {1, 0}, {1, 1}, {0, 1}}
	for k := 0; k < 100000; k++ {
		r := make(orb.Ring, rng.Intn(7))
		for i := range r {
			r[i] = pool[rng.Intn(len(pool))]
		}
		if len(r) > 0 && rng.Intn(3) != 0 {
			r = append(r, r[0])
		}
		want := dedupe(openRing(r))
		if closedDistinct(r) && !slices.Equal(r[:len(r)-1], want) {
			t.Fatalf("%v: taken as %v, dedupe gives %v", r, r[:len(r)-1], want)
		}
		if !closedDistinct(r) && len(r) > 0 && r[0] == r[len(r)-1] && len(r) >= 3 && slices.Equal(r[:len(r)-1], want) {
			t.Fatalf("%v: closed without repeats, declined", r)
		}
	}
}
