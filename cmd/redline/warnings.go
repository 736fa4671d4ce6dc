package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/redline-gis/redline/geo"
)

// maxWarningsPerKind is how many warnings of one kind are printed; the rest
// are counted and summed up at the end of the run.
const maxWarningsPerKind = 20

// warnWriter is the stderr of a run. Every warning goes through warn, which
// prints the first maxWarningsPerKind of each kind and counts the others, so
// that a file with a million bad lines prints a screenful and a count.
type warnWriter struct {
	io.Writer
	mu     sync.Mutex
	counts map[string]int
	first  map[string]string
	order  []string
}

func newWarnWriter(w io.Writer) *warnWriter {
	return &warnWriter{Writer: w, counts: map[string]int{}, first: map[string]string{}}
}

// warn prints ws as warnings on w, capped per kind when w is a run's
// stderr (a *warnWriter).
func warn(w io.Writer, ws []geo.Warning) {
	ww, ok := w.(*warnWriter)
	if !ok {
		for _, x := range ws {
			fmt.Fprintf(w, "warning: %s\n", x.Msg)
		}
		return
	}
	ww.mu.Lock()
	defer ww.mu.Unlock()
	for _, x := range ws {
		k := x.Kind
		ww.counts[k]++
		switch n := ww.counts[k]; {
		case n <= maxWarningsPerKind:
			fmt.Fprintf(ww.Writer, "warning: %s\n", x.Msg)
		case n == maxWarningsPerKind+1:
			ww.first[k] = x.Msg
			ww.order = append(ww.order, k)
		}
	}
}

// warnf prints one warning through warn; its kind is its format.
func warnf(w io.Writer, format string, args ...any) {
	warn(w, []geo.Warning{geo.Warnf(format, args...)})
}

// flush prints how many warnings of each kind were not shown.
func (ww *warnWriter) flush() {
	ww.mu.Lock()
	defer ww.mu.Unlock()
	for _, k := range ww.order {
		n := ww.counts[k] - maxWarningsPerKind
		fmt.Fprintf(ww.Writer, "warning: … and %d more warnings like the %d above (first not shown: %s)\n", n, maxWarningsPerKind, ww.first[k])
	}
	ww.order = nil
	clear(ww.counts)
	clear(ww.first)
}
