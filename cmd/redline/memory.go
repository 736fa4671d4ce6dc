package main

import (
	"os"
	"runtime/debug"
	"strings"
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

// argPaths returns the file paths of KIND=PATH / NAME=PATH / PATH arguments.
func argPaths(args []string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if _, p, ok := strings.Cut(a, "="); ok {
			a = p
		}
		out = append(out, a)
	}
	return out
}
