package geotest

import (
	"fmt"
	"os"
	"testing"
)

// Unavailable skips t because a tool or service it needs (GDAL, PostgreSQL,
// Chromium, …) is missing here, with the message saying how to run it.
// Under REDLINE_CI_STRICT=1, which .ci/run sets after installing all of them,
// it fails instead: in CI those tests must run, never skip quietly.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("REDLINE_CI_STRICT") == "1" {
		t.Fatalf("REDLINE_CI_STRICT: %s", msg)
	}
	t.Skip(msg)
}
