package par_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/redline-gis/redline/internal/par"
)

func TestForRunsEveryIndexOnce(t *testing.T) {
	for _, tc := range []struct{ n, workers, chunk int }{{0, 4, 1}, {1, 4, 1}, {1000, 4, 1}, {1000, 3, 64}, {7, 16, 2}} {
		t.Run(fmt.Sprintf("n=%d/w=%d/c=%d", tc.n, tc.workers, tc.chunk), func(t *testing.T) {
			seen := make([]atomic.Int32, tc.n)
			var mu atomic.Int32
			err := par.ForChunks(context.Background(), tc.n, tc.workers, tc.chunk, func(w, i int) error {
				seen[i].Add(1)
				for {
					m := mu.Load()
					if int32(w) <= m || mu.CompareAndSwap(m, int32(w)) {
						break
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Fatalf("index %d ran %d times", i, c)
				}
			}
			if w := int(mu.Load()); tc.n > 0 && w >= par.Workers((tc.n+tc.chunk-1)/tc.chunk, tc.workers) {
				t.Errorf("worker id %d out of range", w)
			}
		})
	}
}

// TestForLowestError: whichever failure is seen first, the error returned is
// that of the lowest failing index, every time.
func TestForLowestError(t *testing.T) {
	for run := 0; run < 200; run++ {
		err := par.For(context.Background(), 500, 8, func(_, i int) error {
			if i == 137 || i == 250 || i == 499 {
				return fmt.Errorf("item %d", i)
			}
			return nil
		})
		if err == nil || err.Error() != "item 137" {
			t.Fatalf("run %d: got %v, want item 137", run, err)
		}
	}
}

func TestForStopsAfterError(t *testing.T) {
	var ran atomic.Int64
	err := par.For(context.Background(), 1_000_000, 2, func(_, i int) error {
		ran.Add(1)
		if i == 10 {
			return errors.New("stop")
		}
		return nil
	})
	if err == nil {
		t.Fatal("no error")
	}
	if n := ran.Load(); n > 1000 {
		t.Errorf("%d items ran after a failure at index 10", n)
	}
}

func TestForCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int64
	err := par.For(ctx, 1_000_000, 2, func(_, i int) error {
		if ran.Add(1) == 100 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := ran.Load(); n > 10_000 {
		t.Errorf("%d items ran after cancel", n)
	}
}
