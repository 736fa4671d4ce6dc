package main

import (
	"fmt"
	"io"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// checkScreenInputs gives clear answers for inputs that would otherwise
// give a silent or puzzling result: no sites, empty layers, and sites
// outside the extent of every layer (usually a CRS mix-up).
func checkScreenInputs(path string, sites *geo.Layer, layers []*analysis.Constraint, stderr io.Writer) error {
	if sites.Len() == 0 {
		return fmt.Errorf("%s: no sites (the file has no features with a geometry)", path)
	}
	var extent orb.Bound
	first := true
	for _, c := range layers {
		if c.Layer.Len() == 0 {
			warnf(stderr, "layer %s has no features", c.Name)
			continue
		}
		if first {
			extent, first = c.Layer.Bound(), false
		} else {
			extent = extent.Union(c.Layer.Bound())
		}
	}
	outside := 0
	for i := range sites.Features {
		if first || !sites.Features[i].Bound.Intersects(extent) {
			outside++
		}
	}
	if outside > 0 {
		warnf(stderr, "%d of %d sites lie outside the extent of every layer: they are clear; check that the files use the same area and CRS",
			outside, sites.Len())
	}
	return nil
}
