package analysis

import (
	"fmt"
	"strings"

	"github.com/redline-gis/redline/geo"
)

// readClasses reads the layers named by ScreenOptions.By.
func (s *screener) readClasses() error {
	s.classes = make([]*Classes, len(s.layers))
	s.byOnly = make([]bool, len(s.layers))
	for _, by := range s.opt.By {
		li := layerPos(s.layers, by.Layer)
		if li == len(s.layers) {
			names := make([]string, len(s.layers))
			for i, c := range s.layers {
				names[i] = c.Name
			}
			return fmt.Errorf("analysis: --by %s=%s: no layer %s (layers: %s)", by.Layer, by.Field, by.Layer, strings.Join(names, ", "))
		}
		if s.classes[li] != nil {
			return fmt.Errorf("analysis: --by %s=%s: layer %s is broken down by %s already", by.Layer, by.Field, by.Layer, s.classes[li].Field)
		}
		name := s.layers[li].Name
		if ln := s.layers[li].Layer.Name; ln != "" && ln != name {
			name += " (" + ln + ")"
		}
		cl, err := newClasses(name, s.layers[li].Layer, by.Field)
		if err != nil {
			return err
		}
		cl.Layer = s.layers[li].Name
		s.classes[li] = cl
		s.byOnly[li] = !s.rules.HasKind(s.layers[li].Kind)
	}
	return nil
}

// classesOnly measures a site against a layer that gives only classes: the
// layer's dissolved overlap and the table by class, no conflicts and no
// nearby features. Every feature whose box meets the site's is validated
// (by the run's policy) and measured with geo.Cover.
func (s *screener) classesOnly(f *geo.Feature, dim int, li int, r SiteResult) (LayerOverlap, []ClassOverlap, *ResultWarning, error) {
	c := s.layers[li]
	lo := LayerOverlap{Layer: c.Name}
	var members []classMember
	var firstErr error
	c.Layer.Candidates(f.Bound, func(fi int, cf *geo.Feature) bool {
		var err error
		if ps := c.valid.problems(c.Layer, fi); ps != nil {
			cf, err = checkFeature(s.checks[li].get(fi), c.Name, c.Layer.Name, cf, s.opt.Invalid, func() []geo.Problem { return ps })
		}
		if err != nil {
			firstErr = err
			return false
		}
		if cf == nil {
			return true
		}
		// A feature the boundary walk finds apart from the site (no
		// common area) is left out before any piece is built.
		if a, _, ok := fastOverlapM2(dim, f, cf); ok && a <= 0 {
			return true
		}
		members = append(members, classMember{fi: fi, f: cf})
		return true
	})
	if firstErr != nil {
		return lo, nil, nil, firstErr
	}
	if len(members) > 0 {
		switch dim {
		case 2:
			// The layer dissolved: by the boundary walk when it applies
			// (then every class's walk applies too); otherwise (a land-use
			// layer tiles, its features share edges) the pieces site ∩
			// feature are built once, for the layer and for its classes.
			cv := geo.Cover{Clip: f.Geom, ClipFeature: f}
			for _, m := range members {
				cv.Shapes = append(cv.Shapes, m.f.Shape())
				if geo.IsPolygonal(f.Geom) {
					cv.Geoms = append(cv.Geoms, m.f.Geom)
				}
			}
			a, ok := 0.0, false
			if len(cv.Geoms) == len(cv.Shapes) {
				a, ok = geo.ClippedUnionAreaM2(cv.Clip, cv.Geoms)
			}
			var err error
			if !ok {
				if err = cv.BuildPieces(); err == nil {
					// Only features with a piece count: built once, used by
					// the layer's total and by each class.
					kept := members[:0]
					var pieces []geo.Shape
					for k, m := range members {
						if p := cv.Pieces[k]; !p.IsEmpty() {
							m.piece = p
							kept, pieces = append(kept, m), append(pieces, p)
						}
					}
					members = kept
					var u geo.Shape
					if u, err = geo.Dissolve(pieces); err == nil {
						a = u.AreaM2()
					}
				}
			}
			if err != nil {
				return lo, nil, nil, fmt.Errorf("analysis: site %s: layer %s: %w", f.Label(), c.Name, err)
			}
			lo.OverlapM2 = min(a, r.AreaM2)
			lo.OverlapPct, lo.Inside = pct(lo.OverlapM2, r.AreaM2), lo.OverlapM2 > 0
		case 1:
			in, err := lengthInside(f.Shape(), r.LengthM, members)
			if err != nil {
				return lo, nil, nil, fmt.Errorf("analysis: site %s: layer %s: %w", f.Label(), c.Name, err)
			}
			lo.LengthInsideM = in
			lo.OverlapPct, lo.Inside = pct(in, r.LengthM), in > 0
		default:
			for _, m := range members {
				hit, err := geo.Intersects(f.Shape(), m.f.Shape())
				if err != nil {
					return lo, nil, nil, fmt.Errorf("analysis: site %s: layer %s: %w", f.Label(), c.Name, err)
				}
				if hit {
					lo.Inside = true
					break
				}
			}
		}
	}
	rows, err := tabulate(f, dim, r.AreaM2, r.LengthM, s.classes[li], members, lo)
	if err != nil {
		return lo, nil, nil, err
	}
	w, err := classWarning(f, dim, r.AreaM2, c.Layer, s.classes[li], members, rows, lo)
	return lo, rows, w, err
}
