package main

import (
	"os"
	"runtime/debug"
)

// limitMemory sets the garbage collector's soft memory limit to 2.5 × the
// size of the input files (at least 256 MiB), so that peak memory stays
// within 3 × the input as the design asks: the collector works harder as
// the heap nears the limit instead of letting it double. GOMEMLIMIT, when
// set, wins.
func limitMemory(paths ...string) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	var total int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			total += st.Size()
		}
	}
	debug.SetMemoryLimit(max(256<<20, total*5/2))
}
