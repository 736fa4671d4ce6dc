package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// Issue 15 item 20: an unknown command is a usage error (exit 2), so a
// pipeline does not believe it ran.
func TestUnknownCommandExit2(t *testing.T) {
	for _, name := range []string{"nosuch", "scren", "diff2"} {
		code, _, errOut := runCLI(t, name, "x.geojson")
		if code != exitUsage || !strings.Contains(errOut, fmt.Sprintf("no command %q", name)) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the name", name, code, errOut)
		}
	}
}

// Issue 15 item 10: a million warnings of one kind print 20 lines and a
// count; other kinds keep their own 20.
func TestWarningsCapped(t *testing.T) {
	var buf bytes.Buffer
	ww := newWarnWriter(&buf)
	var msgs []string
	for i := range 100_000 {
		msgs = append(msgs, fmt.Sprintf("a.txt: feature %d (id P%d) has no geometry: skipped", i, i))
	}
	warn(ww, msgs)
	warnf(ww, "b.geojson: data lie outside China (centre %.4f,%.4f): check the CRS", 1.5, 2.5)
	ww.flush()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 22 {
		t.Fatalf("%d lines, want 20 + 1 other kind + 1 count:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[21], "99980 more warnings") || !strings.Contains(lines[21], "feature 20 (id P20)") {
		t.Errorf("count line %q", lines[21])
	}
	if !strings.Contains(lines[20], "outside China") {
		t.Errorf("other kind not shown: %q", lines[20])
	}
}
