package analysis

import (
	"context"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// Summary describes a layer, like `ogrinfo -so`.
type Summary struct {
	Features      int            `json:"features"`
	GeometryTypes map[string]int `json:"geometry_types"`
	BBox          []float64      `json:"bbox"`    // [minlon, minlat, maxlon, maxlat]; empty layer: null
	AreaM2        float64        `json:"area_m2"` // sum of the features' ellipsoidal areas, not dissolved
	LengthM       float64        `json:"length_m"`
	Invalid       int            `json:"invalid"`
}

// Summarize counts l's features by geometry type and sums their areas and
// lengths; invalid features are counted, and still measured as drawn. The
// work is spread over all cores; the sums are added in feature order, so
// the result does not depend on scheduling.
func Summarize(l *geo.Layer) Summary {
	s := Summary{Features: l.Len(), GeometryTypes: map[string]int{}}
	n := l.Len()
	area, length := make([]float64, n), make([]float64, n)
	invalid := make([]bool, n)
	_ = par.ForChunks(context.Background(), n, 0, 16, func(_, i int) error {
		f := &l.Features[i]
		area[i], length[i] = geo.AreaM2(f.Geom), geo.LengthM(f.Geom)
		invalid[i] = f.Problems() != nil
		return nil
	})
	for i := range l.Features {
		s.GeometryTypes[l.Features[i].Geom.GeoJSONType()]++
		s.AreaM2 += area[i]
		s.LengthM += length[i]
		if invalid[i] {
			s.Invalid++
		}
	}
	if n > 0 {
		b := l.Bound()
		s.BBox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	return s
}
