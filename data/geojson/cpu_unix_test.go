//go:build unix

package geojson_test

import (
	"syscall"
	"time"
)

// cpuSeconds is the process's CPU time so far (user + system, all threads,
// the collector's included); ok is false where it cannot be had.
func cpuSeconds() (float64, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds(), true
}
