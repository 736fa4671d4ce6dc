package geotest

import (
	"runtime"
	"testing"
)

// AllocBound runs fn and fails t when it allocated more than perByte bytes
// per input byte plus fixed: the fuzz targets' invariant that no input of
// size n needs more than c·n memory (issue 15). It counts every allocation
// (runtime.MemStats.TotalAlloc), so it is an upper bound of the peak.
func AllocBound(t testing.TB, n int, perByte, fixed uint64, fn func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	if got, limit := after.TotalAlloc-before.TotalAlloc, perByte*uint64(n)+fixed; got > limit {
		t.Fatalf("an input of %d bytes allocated %d bytes, more than %d·n + %d = %d", n, got, perByte, fixed, limit)
	}
}
