package main

import (
	"fmt"
	"io"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
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
			continue // checkConstraintLayer stopped the run or warned
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

// checkConstraintLayer stops the run when a constraint layer holds no
// polygon features (an empty file, an empty or misnamed "features"): every
// site would be reported clear against it. With allowEmpty it only warns.
func checkConstraintLayer(path, name string, l *geo.Layer, info *data.LayerInfo, allowEmpty bool, stderr io.Writer) error {
	if info != nil && info.Format == pushdownFormat {
		return nil // a table with rows, read batch by batch
	}
	for i := range l.Features {
		switch l.Features[i].Geom.(type) {
		case orb.Polygon, orb.MultiPolygon, orb.Collection:
			return nil
		}
	}
	what := fmt.Sprintf("%d features", l.Len())
	if info != nil && info.Skipped > 0 {
		what += fmt.Sprintf(", %d without geometry", info.Skipped)
	}
	if allowEmpty {
		warnf(stderr, "%s: layer %s has no polygon features (%s): every site is clear against it (--allow-empty-layer)", path, name, what)
		return nil
	}
	return fmt.Errorf("%s: layer %s has no polygon features (%s), so every site would be clear against it; "+
		"check the file, or give --allow-empty-layer if an empty layer is meant", path, name, what)
}
