package analysis

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
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

// validity caches geo.Validate of each feature of a constraint layer: a
// layer is read-only once loaded, so its features are validated once, by the
// first run that needs them, and every later run (a service answering many
// requests on the same layers) reuses the answer.
type validity struct {
	once  sync.Once
	feats []validOnce
}

type validOnce struct {
	once     sync.Once
	problems []geo.Problem
}

// problems are the validity problems of feature i of l (nil: valid).
func (v *validity) problems(l *geo.Layer, i int) []geo.Problem {
	v.once.Do(func() { v.feats = make([]validOnce, l.Len()) })
	c := &v.feats[i]
	c.once.Do(func() { c.problems = l.Features[i].Problems() })
	return c.problems
}

// runChecks holds one run's policy outcomes for the invalid features of a
// layer (valid features need none), by feature position.
type runChecks struct {
	mu sync.Mutex
	m  map[int]*checked
}

func (r *runChecks) get(i int) *checked {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[int]*checked{}
	}
	c := r.m[i]
	if c == nil {
		c = &checked{}
		r.m[i] = c
	}
	return c
}

// checkFeature validates f once and applies the policy. Layers are shared
// by all workers, so a repaired copy is kept here rather than in the layer.
// problems gives f's validity problems. file is the layer's source
// (geo.Layer.Name, the path when read from a file), named in errors so that
// they say file, feature index, id and what.
func checkFeature(c *checked, layer, file string, f *geo.Feature, policy InvalidPolicy, problems func() []geo.Problem) (*geo.Feature, error) {
	c.once.Do(func() {
		ps := problems()
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
				c.err = invalidError{fmt.Errorf("analysis: %s: %s is invalid (%s) and cannot be repaired: %w", layerWhere(layer, file), f.Label(), ps[0], err)}
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
			c.err = invalidError{fmt.Errorf("analysis: %s: %s is invalid: %s (use --repair or --skip-invalid, or fix it with 'redline validate --repair')",
				layerWhere(layer, file), f.Label(), ps[0])}
		}
	})
	return c.f, c.err
}

// Validate checks every feature of the layer now, on workers goroutines (≤ 0:
// all cores), so that the runs that follow find each answer cached: a
// service validates its layers once, at load, instead of in its first
// requests. It returns the number of invalid features (each run still
// applies its own policy to them).
func (c *Constraint) Validate(ctx context.Context, workers int) (invalid int, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var n atomic.Int64
	err = par.ForChunks(ctx, c.Layer.Len(), workers, 16, func(_, i int) error {
		if c.valid.problems(c.Layer, i) != nil {
			n.Add(1)
		}
		return nil
	})
	return int(n.Load()), err
}

// layerWhere names a layer and its file for a message: "redline.shp (layer
// redline)", or "layer x" when the file is unknown or the same name.
func layerWhere(layer, file string) string {
	if file == "" || file == layer {
		return "layer " + layer
	}
	return fmt.Sprintf("%s (layer %s)", file, layer)
}
