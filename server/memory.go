package server

import (
	"os"
	"runtime"
	"runtime/debug"
)

// limitMemory sets the soft memory limit a fifth above what the runtime
// holds once the layers are loaded (at least 64 MiB above): requests make
// little garbage each, and without a limit the collector lets the heap grow
// to twice the layers. The limit bounds all the memory the runtime holds
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
	debug.SetMemoryLimit(held + max(64<<20, held/5))
}
