package analysis

import (
	"errors"
	"fmt"
	"sync"

	"github.com/redline-gis/redline/geo"
)

// ErrInvalidGeometry is matched (errors.Is) by the error that stops a run on
// an invalid feature under InvalidError; the service answers it with 422.
var ErrInvalidGeometry = errors.New("analysis: invalid geometry")

// invalidError keeps the message as it is and matches ErrInvalidGeometry.
type invalidError struct{ error }

func (invalidError) Is(target error) bool { return target == ErrInvalidGeometry }

// InvalidPolicy says what screening does with an invalid feature.
type InvalidPolicy int

// What to do with invalid features.
const (
	InvalidError  InvalidPolicy = iota // stop with an error naming the feature (default)
	InvalidSkip                        // leave the feature out and list it
	InvalidRepair                      // repair it (exactly in pure Go, MakeValid with GEOS) and list what changed
)

// checked is a feature after the invalid-feature policy: the feature to use
// (nil when skipped), or the error that stops the run.
type checked struct {
	once sync.Once
	f    *geo.Feature
	note *Repair
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
		role := "layer"
		if layer == "sites" {
			role = "sites"
		}
		rep := newRepair(role, layer, f, ps[0].String())
		note := &rep
		switch policy {
		case InvalidSkip:
			note.skipped()
			c.note = note
		case InvalidRepair:
			g, did, err := geo.Repair(f.Geom)
			if err != nil {
				c.err = invalidError{fmt.Errorf("analysis: layer %s: %s is invalid (%s) and cannot be repaired: %w", layer, f.Label(), ps[0], err)}
				return
			}
			nf, err := geo.NewFeature(f.Index, f.ID, f.Props, g)
			if err != nil {
				c.err = fmt.Errorf("analysis: layer %s: %s: repaired geometry: %w", layer, f.Label(), err)
				return
			}
			note.repaired(did, g)
			c.f, c.note = &nf, note
		default:
			c.err = invalidError{fmt.Errorf("analysis: layer %s: %s is invalid: %s (use --repair or --skip-invalid, or fix it with 'redline validate --repair')",
				layer, f.Label(), ps[0])}
		}
	})
	return c.f, c.err
}
