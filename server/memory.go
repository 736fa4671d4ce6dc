package server

import (
	"os"
	"runtime"
	"runtime/debug"
)

// limitMemory sets the soft memory limit to the live heap (the layers in
// service) plus a quarter, at least 64 MiB more: requests make little
// garbage each, and without a limit the collector lets the heap grow to
// twice the layers. During a reload both sets are live and the collector
// works harder for a moment. GOMEMLIMIT, when set, wins.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	live := int64(ms.HeapAlloc)
	debug.SetMemoryLimit(live + max(64<<20, live/4))
}
