package data

import (
	"fmt"
	"io/fs"
	"math"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// RejectedFeature is a feature that ReadLayerLenient left out of the layer
// because its coordinates cannot be used at all.
type RejectedFeature struct {
	Index    int
	ID       string
	Reason   string
	Location orb.Point // the first bad point (may be NaN)
}

// ReadLayerLenient reads like ReadLayer, but a feature with a NaN or
// infinite coordinate, or (in a lon/lat file) a coordinate out of lon/lat
// range, does not stop the read: it is left out of the layer and returned,
// so that `redline validate` can list every bad feature. Indexes of the
// other features are unchanged.
func ReadLayerLenient(fsys fs.FS, name string, opt ReadOptions) (*geo.Layer, *LayerInfo, []RejectedFeature, error) {
	src, err := readSource(fsys, name, opt)
	if err != nil {
		return nil, nil, nil, err
	}
	lonLat := false
	switch {
	case opt.CRS != "":
		if c, err := crs.Parse(opt.CRS); err == nil {
			lonLat = c.IsLonLat()
		}
	case src.CRSFrom != "":
		lonLat = src.CRS.IsLonLat()
	default:
		lonLat = mostlyLonLat(src.Records)
	}
	var rejected []RejectedFeature
	kept := *src
	kept.Records = make([]geo.Record, len(src.Records))
	copy(kept.Records, src.Records)
	for i, r := range kept.Records {
		if r.Geom == nil {
			continue
		}
		reason, at := badCoordinate(r.Geom, lonLat)
		if reason == "" {
			continue
		}
		id := r.ID
		if id == "" {
			id = pickID(r.Props, opt.IDField)
		}
		rejected = append(rejected, RejectedFeature{Index: i, ID: id, Reason: reason, Location: at})
		kept.Records[i].Geom, kept.Records[i].Extent = nil, geo.Extent{}
	}
	l, info, err := BuildLayer(&kept, name, opt)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(rejected) > 0 {
		// BuildLayer counted them as features without geometry.
		info.Skipped -= len(rejected)
		drop := map[string]bool{}
		for _, r := range rejected {
			label := geo.Label("feature", r.Index, r.ID)
			drop[fmt.Sprintf("%s: %s has no geometry: skipped", name, label)] = true
		}
		ws := info.Warnings[:0]
		for _, w := range info.Warnings {
			if !drop[w.Msg] {
				ws = append(ws, w)
			}
		}
		info.Warnings = ws
	}
	return l, info, rejected, nil
}

// badCoordinate returns why g's coordinates are unusable, and where.
func badCoordinate(g orb.Geometry, lonLat bool) (string, orb.Point) {
	var reason string
	var at orb.Point
	geo.VisitPoints(g, func(p orb.Point) bool {
		switch {
		case math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0):
			reason = "coordinate is NaN or infinite"
		case lonLat && (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90):
			reason = fmt.Sprintf("coordinate %g,%g is not lon/lat (out of range)", p[0], p[1])
		default:
			return true
		}
		at = p
		return false
	})
	return reason, at
}

// mostlyLonLat reports whether most features lie wholly in lon/lat range.
func mostlyLonLat(recs []geo.Record) bool {
	in, n := 0, 0
	for _, r := range recs {
		if r.Geom == nil {
			continue
		}
		n++
		if reason, _ := badCoordinate(r.Geom, true); reason == "" {
			in++
		}
	}
	return n > 0 && 2*in > n
}
