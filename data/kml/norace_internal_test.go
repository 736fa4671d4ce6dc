//go:build !race

package kml

const raceEnabled = false
