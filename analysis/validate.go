package analysis

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// ValidateResult is the outcome of checking files; its JSON is the contract
// of `redline validate --format json`.
type ValidateResult struct {
	Engine string           `json:"engine"`
	Files  []FileValidation `json:"files"`
}

// FileValidation lists the invalid features of one file.
type FileValidation struct {
	Path     string           `json:"path"`
	Features int              `json:"features"`
	Invalid  []InvalidFeature `json:"invalid"`
	Repairs  []Repair         `json:"repairs,omitempty"` // with --repair
}

// InvalidFeature is one invalid feature: why, and where.
type InvalidFeature struct {
	Index      int       `json:"index"` // 0-based position in the file
	ID         string    `json:"id"`
	Reason     string    `json:"reason"`   // the first problem
	Location   []float64 `json:"location"` // [lon, lat] near the problem; null when not a finite point
	Problems   []string  `json:"problems,omitempty"`
	Repairable bool      `json:"repairable"` // the pure-Go build repairs it exactly
	// BadCoordinates: NaN, infinite or out-of-range coordinates, which no
	// repair can fix (the data must be corrected).
	BadCoordinates bool   `json:"bad_coordinates,omitempty"`
	Repaired       string `json:"repaired,omitempty"`
}

// NewInvalidFeature describes a feature with the given problems.
func NewInvalidFeature(index int, id string, ps []geo.Problem) InvalidFeature {
	v := InvalidFeature{Index: index, ID: id, Reason: ps[0].Reason, Location: location(ps[0].Location), Repairable: true,
		BadCoordinates: strings.HasPrefix(ps[0].Reason, "coordinate")}
	for _, p := range ps {
		v.Repairable = v.Repairable && p.Repairable
		if len(ps) > 1 {
			v.Problems = append(v.Problems, p.String())
		}
	}
	return v
}

func location(p orb.Point) []float64 {
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
		return nil
	}
	return []float64{p[0], p[1]}
}

// ValidateLayer returns the invalid features of l (empty, not nil, when all
// are valid), followed by rejected (features the reader could not load, such
// as NaN coordinates), in file order.
func ValidateLayer(path string, l *geo.Layer, rejected []InvalidFeature) FileValidation {
	fv := FileValidation{Path: path, Features: l.Len() + len(rejected), Invalid: []InvalidFeature{}}
	// Checked on all cores (each feature once: Problems keeps the answer),
	// listed in order.
	_ = par.ForChunks(context.Background(), l.Len(), 0, 16, func(_, i int) error {
		l.Features[i].Problems()
		return nil
	})
	for i := range l.Features {
		f := &l.Features[i]
		if ps := f.Problems(); ps != nil {
			fv.Invalid = append(fv.Invalid, NewInvalidFeature(f.Index, f.ID, ps))
		}
	}
	fv.Invalid = append(fv.Invalid, rejected...)
	sort.SliceStable(fv.Invalid, func(a, b int) bool { return fv.Invalid[a].Index < fv.Invalid[b].Index })
	return fv
}

// RepairLayer repairs every invalid feature of l with geo.Repair. It
// returns the geometry of each feature (by position in l.Features: repaired,
// or as it was when valid or when repair failed) and one change per invalid
// feature. l is not modified.
func RepairLayer(l *geo.Layer) ([]orb.Geometry, []Repair) {
	geoms := make([]orb.Geometry, l.Len())
	var changes []Repair
	for i := range l.Features {
		f := &l.Features[i]
		geoms[i] = f.Geom
		ps := f.Problems()
		if ps == nil {
			continue
		}
		c := newRepair("file", l.Name, f, ps[0].String())
		g, did, err := geo.Repair(f.Geom)
		if err != nil {
			c.failed(did, err)
		} else {
			geoms[i] = g
			c.repaired(did, g)
		}
		changes = append(changes, c)
	}
	return geoms, changes
}
