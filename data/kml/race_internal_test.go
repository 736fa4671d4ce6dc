//go:build race

package kml

// raceEnabled: the race detector makes byte-at-a-time reading of tens of
// megabytes take minutes; the tests that stream that much skip under it.
const raceEnabled = true
