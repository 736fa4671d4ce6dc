package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// memoryPerByte is the soft memory limit per byte read: a vertex is 16
// bytes in a .shp and about 25 times that once read, reprojected and
// converted to the overlay engine's form (issue 15 measured 3.6 GB for
// 144 MB of points). Below what the work needs, the collector thrashes.
const memoryPerByte = 32

// largeInput is the input size from which limitMemory lowers the
// collector's target.
const largeInput = 64 << 20

// limitMemory sets the garbage collector's soft memory limit from what the
// inputs hold once read, not their size on disk: a zip or kmz counts its
// entries uncompressed (their sizes are capped by the readers), a .shp its
// sidecars as well. At least 256 MiB. GOMEMLIMIT, when set, wins.
//
// For inputs over largeInput it also lets the heap grow 35 % past what is
// live instead of doubling it: a layer holds one copy of its coordinates
// (about 0.8 × its GeoJSON), so the collector's headroom is what decides the
// peak, and the coordinates hold no pointers, so the extra collections are
// cheap (a few % of CPU on the anchors' large set, peak 2.45 → 1.4 × the
// input). GOGC, when set, wins.
func limitMemory(paths ...string) {
	var total int64
	for _, p := range paths {
		total += readBytes(p)
	}
	if os.Getenv("GOGC") == "" && total >= largeInput {
		debug.SetGCPercent(35)
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(max(256<<20, total*memoryPerByte))
}

// relaxGC gives the collector its default target back, for a run that has
// released its layers (overlaps, once its walks are done): the heap is then
// a small part of the input, and 35 % of it would start a collection every
// few MB of the dissolves' garbage (2.4 s more CPU on the 5× set).
func relaxGC() {
	// Collect now: the heap's goal was set while the layers were live, and
	// the dissolves' garbage would grow the heap up to it.
	runtime.GC()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(100)
	}
}

// readBytes is how many bytes reading path will go through.
func readBytes(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".zip", ".kmz":
		zr, err := zip.OpenReader(path)
		if err != nil {
			return st.Size()
		}
		defer zr.Close()
		var n uint64
		for _, f := range zr.File {
			n += f.UncompressedSize64
		}
		return int64(min(n, 1<<40))
	case ".shp":
		n := st.Size()
		base := strings.TrimSuffix(path, filepath.Ext(path))
		for _, ext := range []string{".dbf", ".DBF"} {
			if s, err := os.Stat(base + ext); err == nil {
				n += s.Size()
				break
			}
		}
		return n
	}
	return st.Size()
}
