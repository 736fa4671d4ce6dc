package main

import (
	"regexp"
	"testing"
	"time"
)

// Two writes in the same second, as two containers of a platform (both pid
// 1) would make them, must not share a run id.
func TestNewRunDistinctWithinASecond(t *testing.T) {
	at := time.Date(2026, 12, 2, 1, 2, 3, 0, time.FixedZone("CST", 8*3600))
	seen := map[string]bool{}
	form := regexp.MustCompile(`^20261201T170203Z-[0-9a-f]{12}$`)
	for range 1000 {
		r := newRun(at)
		if !form.MatchString(r.ID) {
			t.Fatalf("run id %q: want UTC time, a dash and 12 hex digits", r.ID)
		}
		if seen[r.ID] {
			t.Fatalf("run id %q repeated", r.ID)
		}
		seen[r.ID] = true
		if !r.Time.Equal(at) || r.Version != version {
			t.Fatalf("run %+v: time or version not kept", r)
		}
	}
}
