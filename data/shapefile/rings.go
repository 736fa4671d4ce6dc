package shapefile

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// assemblePolygons turns the rings of one Polygon record into an orb.Polygon
// or orb.MultiPolygon with outer rings counter-clockwise and holes clockwise
// (RFC 7946). In a shapefile outer rings are clockwise and holes
// counter-clockwise; geo.AssembleRings gives each hole to the smallest outer
// ring containing it, whatever the order of the parts. Here rings are closed
// or dropped first, and warnings name the record's part indexes.
func assemblePolygons(parts []orb.Ring, warn func(geo.Warning)) orb.Geometry {
	rings := make([]orb.Ring, 0, len(parts))
	index := make([]int, 0, len(parts)) // part index of each kept ring
	for i, r := range parts {
		if len(r) == 0 {
			warn(geo.Warnf("ring %d has no points; dropped", i))
			continue
		}
		if !r.Closed() {
			r = append(r[:len(r):len(r)], r[0])
			warn(geo.Warnf("ring %d is not closed; closed it", i))
		}
		if len(r) < 4 {
			warn(geo.Warnf("ring %d has %d points, fewer than 4; dropped", i, len(r)))
			continue
		}
		rings = append(rings, r)
		index = append(index, i)
	}
	if len(rings) == 0 {
		warn(geo.Warnf("polygon has no usable ring; read as no geometry"))
		return nil
	}
	g, notes := geo.AssembleRings(rings, geo.ByOrientation)
	for _, n := range notes {
		if n.Ring >= 0 && index[n.Ring] != n.Ring {
			// The note counts kept rings; the user counts the record's parts.
			n.Text = strings.Replace(n.Text, fmt.Sprintf("ring %d ", n.Ring), fmt.Sprintf("ring %d ", index[n.Ring]), 1)
		}
		warn(n.Warning(""))
	}
	return g
}
