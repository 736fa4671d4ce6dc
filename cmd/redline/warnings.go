package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
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

// warn prints msgs as warnings on w, capped per kind when w is a run's
// stderr (a *warnWriter).
func warn(w io.Writer, msgs []string) {
	ww, ok := w.(*warnWriter)
	if !ok {
		for _, m := range msgs {
			fmt.Fprintf(w, "warning: %s\n", m)
		}
		return
	}
	ww.mu.Lock()
	defer ww.mu.Unlock()
	for _, m := range msgs {
		k := warningKind(m)
		ww.counts[k]++
		switch n := ww.counts[k]; {
		case n <= maxWarningsPerKind:
			fmt.Fprintf(ww.Writer, "warning: %s\n", m)
		case n == maxWarningsPerKind+1:
			ww.first[k] = m
			ww.order = append(ww.order, k)
		}
	}
}

// warnf prints one warning through warn.
func warnf(w io.Writer, format string, args ...any) {
	warn(w, []string{fmt.Sprintf(format, args...)})
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

// warningKind is a warning with what varies from one feature to the next
// taken out: numbers, parenthesised ids and quoted values. Warnings of one
// kind differ only there.
func warningKind(m string) string {
	var b strings.Builder
	depth, quote := 0, false
	lastDigit := false
	for _, r := range m {
		switch {
		case r == '(' || r == '（':
			depth++
			continue
		case (r == ')' || r == '）') && depth > 0:
			depth--
			continue
		case r == '"':
			quote = !quote
			continue
		}
		if depth > 0 || quote {
			continue
		}
		if unicode.IsDigit(r) {
			if !lastDigit {
				b.WriteByte('#')
			}
			lastDigit = true
			continue
		}
		lastDigit = false
		b.WriteRune(r)
	}
	return b.String()
}
