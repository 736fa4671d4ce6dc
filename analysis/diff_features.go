package analysis

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// featureMatch is one id (or one id-less geometry) and its records in OLD
// and NEW, by position.
type featureMatch struct {
	id       string
	old, new []int
}

// features matches the features of OLD and NEW: by id, several records with
// one id taken together; features without an id by equal geometry only (an
// id-less feature whose geometry moved is one removed and one added).
// Skipped invalid features take no part.
func (d *differ) matchFeatures(ctx context.Context) ([]FeatureChange, error) {
	var matches []*featureMatch
	byID := map[string]*featureMatch{}
	var oldNoID []int
	for i := range d.old.Features {
		f := &d.old.Features[i]
		if d.oldFeats[i] == nil {
			continue
		}
		if f.ID == "" {
			oldNoID = append(oldNoID, i)
			continue
		}
		m := byID[f.ID]
		if m == nil {
			m = &featureMatch{id: f.ID}
			byID[f.ID] = m
			matches = append(matches, m)
		}
		m.old = append(m.old, i)
	}
	// id-less OLD features by a hash of their coordinates, to pair with
	// equal id-less NEW ones.
	free := map[uint64][]int{}
	for _, i := range oldNoID {
		k := geomKey(d.old.Features[i].Geom)
		free[k] = append(free[k], i)
	}
	paired := map[int]*featureMatch{}
	var newOnly []*featureMatch
	for i := range d.new.Features {
		f := &d.new.Features[i]
		if d.newFeats[i] == nil {
			continue
		}
		if f.ID != "" {
			m := byID[f.ID]
			if m == nil {
				m = &featureMatch{id: f.ID}
				byID[f.ID] = m
				newOnly = append(newOnly, m)
			}
			m.new = append(m.new, i)
			continue
		}
		k := geomKey(f.Geom)
		matched := false
		for n, j := range free[k] {
			if orb.Equal(d.old.Features[j].Geom, f.Geom) {
				paired[j] = &featureMatch{old: []int{j}, new: []int{i}}
				free[k] = append(free[k][:n:n], free[k][n+1:]...)
				matched = true
				break
			}
		}
		if !matched {
			newOnly = append(newOnly, &featureMatch{new: []int{i}})
		}
	}
	for _, i := range oldNoID {
		if m := paired[i]; m != nil {
			matches = append(matches, m)
		} else {
			matches = append(matches, &featureMatch{old: []int{i}})
		}
	}
	matches = append(matches, newOnly...)

	out := make([]FeatureChange, len(matches))
	err := par.For(ctx, len(matches), d.opt.Workers, func(_, k int) error {
		var err error
		out[k], err = d.compareFeature(matches[k])
		return err
	})
	return out, err
}

// compareFeature measures one match.
func (d *differ) compareFeature(m *featureMatch) (FeatureChange, error) {
	c := FeatureChange{ID: m.id, OldIndex: indexes(d.old, m.old), NewIndex: indexes(d.new, m.new)}
	label := func() string {
		if m.id != "" {
			return "id " + m.id
		}
		if len(m.old) > 0 {
			return d.old.Features[m.old[0]].Label()
		}
		return d.new.Features[m.new[0]].Label()
	}
	o, err := unionOf(d.oldFeats, m.old)
	if err != nil {
		return c, fmt.Errorf("analysis: diff: OLD %s: %s: %w", d.old.Name, label(), err)
	}
	n, err := unionOf(d.newFeats, m.new)
	if err != nil {
		return c, fmt.Errorf("analysis: diff: NEW %s: %s: %w", d.new.Name, label(), err)
	}
	c.OldM2, c.NewM2 = o.AreaM2(), n.AreaM2()
	switch {
	case len(m.old) == 0:
		c.Status, c.AddedM2 = FeatureAdded, c.NewM2
		return c, nil
	case len(m.new) == 0:
		c.Status, c.RemovedM2 = FeatureRemoved, c.OldM2
		return c, nil
	case sameGeoms(d.old, m.old, d.new, m.new):
		c.Status = FeatureUnchanged
		return c, nil
	}
	if len(m.old) == 1 && len(m.new) == 1 {
		// |n − o| = |o ∪ n| − |o|, by the boundary walk when the two
		// boundaries are in general position.
		og, ng := d.oldFeats[m.old[0]].Geom, d.newFeats[m.new[0]].Geom
		if u, ok := geo.ClippedUnionAreaM2(nil, []orb.Geometry{og, ng}); ok {
			c.AddedM2, c.RemovedM2 = max(0, u-c.OldM2), max(0, u-c.NewM2)
		}
	}
	if c.AddedM2 == 0 && c.RemovedM2 == 0 {
		add, err := geo.Difference(n, o)
		if err != nil {
			return c, fmt.Errorf("analysis: diff: %s: %w", label(), err)
		}
		rem, err := geo.Difference(o, n)
		if err != nil {
			return c, fmt.Errorf("analysis: diff: %s: %w", label(), err)
		}
		c.AddedM2, c.RemovedM2 = add.Polygonal().AreaM2(), rem.Polygonal().AreaM2()
	}
	// The same shape written differently (another start vertex, ring order)
	// leaves only rounding behind.
	if c.AddedM2+c.RemovedM2 <= 1e-9*math.Max(c.OldM2, c.NewM2) {
		c.Status, c.AddedM2, c.RemovedM2 = FeatureUnchanged, 0, 0
		return c, nil
	}
	c.Status = FeatureChanged
	return c, nil
}

func indexes(l *geo.Layer, pos []int) []int {
	out := make([]int, len(pos))
	for k, i := range pos {
		out[k] = l.Features[i].Index
	}
	return out
}

// unionOf dissolves the features at positions pos.
func unionOf(feats []*geo.Feature, pos []int) (geo.Shape, error) {
	switch len(pos) {
	case 0:
		return geo.Shape{}, nil
	case 1:
		return feats[pos[0]].Shape(), nil
	}
	ss := make([]geo.Shape, len(pos))
	for k, i := range pos {
		ss[k] = feats[i].Shape()
	}
	return geo.Dissolve(ss)
}

func sameGeoms(a *geo.Layer, ai []int, b *geo.Layer, bi []int) bool {
	if len(ai) != len(bi) {
		return false
	}
	for k := range ai {
		if !orb.Equal(a.Features[ai[k]].Geom, b.Features[bi[k]].Geom) {
			return false
		}
	}
	return true
}

// geomKey hashes the coordinates of g.
func geomKey(g orb.Geometry) uint64 {
	h := fnv.New64a()
	var buf [16]byte
	geo.VisitPoints(g, func(p orb.Point) bool {
		x, y := math.Float64bits(p[0]), math.Float64bits(p[1])
		for i := 0; i < 8; i++ {
			buf[i], buf[8+i] = byte(x>>(8*i)), byte(y>>(8*i))
		}
		h.Write(buf[:])
		return true
	})
	return h.Sum64()
}
