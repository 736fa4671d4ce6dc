package server

import (
	"os"
	"runtime"
	"runtime/debug"
)

// limitMemory sets the soft memory limit 30 % above what the runtime holds
// once the layers are loaded (at least 32 MiB above): requests make little
// garbage each (about 50 kB), and without a limit the collector lets the
// heap grow to twice the layers. On the load test (large layer, 32 clients)
// a 64 MiB floor peaked at 1.38 × the ready RSS (collector 7 % of CPU),
// a fifth at 1.18 × (17 %, p99 worse), 30 % at 1.23 × (12 %). The limit bounds all the memory the runtime holds
// (heap, its free spans, stacks, metadata), not the live heap alone, so the
// room left for garbage is the room named here; counted from the live heap
// it was some 20 MB smaller and the collector ran constantly under load.
// The memory the load freed is returned to the OS first, so it is not
// counted. During a reload both sets are live and the collector works
// harder for a moment. GOMEMLIMIT, when set, wins.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	held := int64(ms.Sys - ms.HeapReleased)
	debug.SetMemoryLimit(held + max(32<<20, held*3/10))
}
