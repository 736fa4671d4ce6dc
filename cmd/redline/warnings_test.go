package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/redline-gis/redline/geo"
)

// Warnings are capped by the kind they were given where they were made, not
// by what their text looks like: names without digits (which the old
// text-derived kind kept apart, so that nothing was capped) count as one
// kind, and two kinds whose texts differ only in a number stay apart.
func TestWarningsCappedByKind(t *testing.T) {
	var out bytes.Buffer
	ww := newWarnWriter(&out)
	var ws []geo.Warning
	for i := range 30 {
		name := "红线" + string(rune('A'+i)) // 红线A, 红线B, …: no digit to tell them alike
		ws = append(ws, geo.Warnf("layer %s: %d of %d features have no zone value", name, 1, 2))
	}
	ws = append(ws, geo.Warnf("ring %d is not closed; closed it", 1), geo.Warnf("ring %d has no points; dropped", 1))
	warn(ww, ws)
	ww.flush()
	got := out.String()
	if n := strings.Count(got, "have no zone value"); n != 21 { // 20 shown, 1 in the summary line
		t.Errorf("%d lines name the zone warning, want 20 and the summary:\n%s", n, got)
	}
	want := fmt.Sprintf("warning: … and 10 more warnings like the 20 above (first not shown: %s)\n",
		"layer 红线U: 1 of 2 features have no zone value")
	if !strings.Contains(got, want) {
		t.Errorf("no summary %q in:\n%s", want, got)
	}
	if !strings.Contains(got, "warning: ring 1 is not closed; closed it\n") || !strings.Contains(got, "warning: ring 1 has no points; dropped\n") {
		t.Errorf("two kinds of ring warning not both shown:\n%s", got)
	}
}
