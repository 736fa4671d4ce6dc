// Package par is the one worker pool of redline: loops over indexes run on a
// bounded number of goroutines, stop when the context is done, and return the
// error of the lowest failing index, so that what a run reports never depends
// on scheduling. It knows nothing of geometry, files or flags.
package par

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers returns how many goroutines For uses for n items when asked for
// workers (≤ 0: GOMAXPROCS): never more than n, at least 1.
func Workers(n, workers int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return max(1, min(workers, n))
}

// For calls fn(w, i) for every i in [0, n) on Workers(n, workers) goroutines;
// w in [0, Workers(n, workers)) names the goroutine, for scratch space kept per
// worker. Indexes are handed out in increasing order. Once fn fails at i, no
// index above i is started; For waits for the calls under way and returns the
// error of the lowest index that failed. All indexes below it have run, so
// that error is the same whatever the scheduling. When ctx is done no new
// index is started and For returns ctx.Err() (unless a call failed).
func For(ctx context.Context, n, workers int, fn func(w, i int) error) error {
	return ForChunks(ctx, n, workers, 1, fn)
}

// ForChunks is For with indexes handed out chunk at a time (≤ 0: 1), for
// loops whose items are too cheap to pay for one atomic operation each.
func ForChunks(ctx context.Context, n, workers, chunk int, fn func(w, i int) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	chunk = max(chunk, 1)
	workers = Workers((n+chunk-1)/chunk, workers)
	var (
		next    atomic.Int64
		limit   atomic.Int64 // no index at or above it starts
		mu      sync.Mutex
		errAt   = n
		firstEr error
		wg      sync.WaitGroup
	)
	limit.Store(int64(n))
	fail := func(i int, err error) {
		mu.Lock()
		if i < errAt {
			errAt, firstEr = i, err
		}
		mu.Unlock()
		for {
			l := limit.Load()
			if int64(i) >= l || limit.CompareAndSwap(l, int64(i)) {
				return
			}
		}
	}
	work := func(w int) {
		defer wg.Done()
		for {
			lo := int(next.Add(int64(chunk))) - chunk
			if lo >= n || ctx.Err() != nil {
				return
			}
			for i := lo; i < min(lo+chunk, n); i++ {
				if int64(i) >= limit.Load() {
					return
				}
				if err := fn(w, i); err != nil {
					fail(i, err)
					return
				}
			}
		}
	}
	wg.Add(workers)
	for w := 1; w < workers; w++ {
		go work(w)
	}
	work(0)
	wg.Wait()
	if firstEr != nil {
		return firstEr
	}
	return ctx.Err()
}
