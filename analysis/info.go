package analysis

import (
	"github.com/redline-gis/redline/geo"
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
// lengths; invalid features are counted, and still measured as drawn.
func Summarize(l *geo.Layer) Summary {
	s := Summary{Features: l.Len(), GeometryTypes: map[string]int{}}
	for i := range l.Features {
		f := &l.Features[i]
		s.GeometryTypes[f.Geom.GeoJSONType()]++
		s.AreaM2 += geo.AreaM2(f.Geom)
		s.LengthM += geo.LengthM(f.Geom)
		if geo.Validate(f.Geom) != nil {
			s.Invalid++
		}
	}
	if l.Len() > 0 {
		b := l.Bound()
		s.BBox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	return s
}
