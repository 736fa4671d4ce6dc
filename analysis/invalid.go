package analysis

import (
	"fmt"
	"sync"

	"github.com/redline-gis/redline/geo"
)

// InvalidPolicy says what screening does with an invalid feature.
type InvalidPolicy int

// What to do with invalid features.
const (
	InvalidError  InvalidPolicy = iota // stop with an error naming the feature (default)
	InvalidSkip                        // leave the feature out and list it
	InvalidRepair                      // repair it (exactly in pure Go, MakeValid with GEOS) and list what changed
)

// InvalidNote records an invalid feature that screening skipped or repaired.
type InvalidNote struct {
	Layer        string  `json:"layer"` // "sites" for the sites file
	FeatureIndex int     `json:"feature_index"`
	FeatureID    string  `json:"feature_id"`
	Reason       string  `json:"reason"`
	Action       string  `json:"action"` // "skipped", or what the repair did
	AreaBeforeM2 float64 `json:"area_before_m2"`
	AreaAfterM2  float64 `json:"area_after_m2"`
}

// checked is a feature after the invalid-feature policy: the feature to use
// (nil when skipped), or the error that stops the run.
type checked struct {
	once sync.Once
	f    *geo.Feature
	note *InvalidNote
	err  error
}

// checkFeature validates f once and applies the policy. Layers are shared
// by all workers, so a repaired copy is kept here rather than in the layer.
func checkFeature(c *checked, layer string, f *geo.Feature, policy InvalidPolicy) (*geo.Feature, error) {
	c.once.Do(func() {
		ps := geo.Validate(f.Geom)
		if ps == nil {
			c.f = f
			return
		}
		note := &InvalidNote{Layer: layer, FeatureIndex: f.Index, FeatureID: f.ID, Reason: ps[0].String(),
			AreaBeforeM2: geo.AreaM2(f.Geom)}
		switch policy {
		case InvalidSkip:
			note.Action = "skipped"
			c.note = note
		case InvalidRepair:
			g, did, err := geo.Repair(f.Geom)
			if err != nil {
				c.err = fmt.Errorf("analysis: layer %s: %s is invalid (%s) and cannot be repaired: %w", layer, f.Label(), ps[0], err)
				return
			}
			nf, err := geo.NewFeature(f.Index, f.ID, f.Props, g)
			if err != nil {
				c.err = fmt.Errorf("analysis: layer %s: %s: repaired geometry: %w", layer, f.Label(), err)
				return
			}
			note.Action = joinActions(did)
			note.AreaAfterM2 = geo.AreaM2(g)
			c.f, c.note = &nf, note
		default:
			c.err = fmt.Errorf("analysis: layer %s: %s is invalid: %s (use --repair or --skip-invalid, or fix it with 'redline validate --repair')",
				layer, f.Label(), ps[0])
		}
	})
	return c.f, c.err
}

func joinActions(did []string) string {
	s := ""
	for i, d := range did {
		if i > 0 {
			s += "; "
		}
		s += d
	}
	if s == "" {
		s = "repaired"
	}
	return s
}
