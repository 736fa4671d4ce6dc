package analysis

import (
	"context"
	"fmt"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/par"
)

// splitClasses cuts the added and removed pieces by land class: per piece,
// the land-use features of each class that meet it are dissolved and
// intersected with it; the rest of the piece (no land-use feature) gets
// class "".
func (d *differ) splitClasses(ctx context.Context, pieces []diffPiece) ([]diffPiece, error) {
	lu := d.opt.Landuse
	field := []string{d.opt.ByField}
	found := false
	for i := range lu.Features {
		if _, ok := lookupFold(lu.Features[i].Props, field); ok {
			found = true
			break
		}
	}
	if !found {
		return nil, fmt.Errorf("analysis: diff: land use %s: no feature has the field %q", lu.Name, d.opt.ByField)
	}
	checks := make([]checked, lu.Len())
	out := make([][]diffPiece, len(pieces))
	err := par.For(ctx, len(pieces), d.opt.Workers, func(_, pi int) error {
		p := &pieces[pi]
		if p.poly == nil {
			out[pi] = []diffPiece{*p}
			return nil
		}
		byClass := map[string][]geo.Shape{}
		var all []geo.Shape
		var firstErr error
		lu.Candidates(geo.BoundOf(p.poly), func(i int, f *geo.Feature) bool {
			cf, err := d.checkedFeature("land use", lu.Name, f, &checks[i])
			if err != nil {
				firstErr = err
				return false
			}
			if cf == nil {
				return true
			}
			c, err := geo.IntersectFeature(p.shape, cf)
			if err != nil {
				firstErr = fmt.Errorf("analysis: diff: land use %s: %s: %w", lu.Name, f.Label(), err)
				return false
			}
			if c = c.Polygonal(); c.IsEmpty() {
				return true
			}
			v, _ := lookupFold(f.Props, field)
			byClass[v] = append(byClass[v], c)
			all = append(all, c)
			return true
		})
		if firstErr != nil {
			return firstErr
		}
		classes := make([]string, 0, len(byClass))
		for v := range byClass {
			classes = append(classes, v)
		}
		sort.Strings(classes)
		emit := func(s geo.Shape, class string) error {
			for _, q := range polygonsOf(s.Orb(), nil) {
				dp, err := newPiece(p, q, p.region, class)
				if err != nil {
					return err
				}
				if dp.area > 0 {
					out[pi] = append(out[pi], dp)
				}
			}
			return nil
		}
		for _, v := range classes {
			u, err := geo.Dissolve(byClass[v])
			if err != nil {
				return fmt.Errorf("analysis: diff: land use %s: dissolving class %q: %w", lu.Name, v, err)
			}
			if err := emit(u, v); err != nil {
				return err
			}
		}
		rest := p.shape
		if len(all) > 0 {
			u, err := geo.Dissolve(all)
			if err != nil {
				return fmt.Errorf("analysis: diff: land use %s: %w", lu.Name, err)
			}
			if rest, err = geo.Difference(p.shape, u); err != nil {
				return fmt.Errorf("analysis: diff: land use %s: %w", lu.Name, err)
			}
		}
		if err := emit(rest.Polygonal(), ""); err != nil {
			return err
		}
		return d.measureTwice(out[pi])
	})
	if err != nil {
		return nil, err
	}
	for i := range checks {
		if checks[i].note != nil {
			d.notes = append(d.notes, *checks[i].note)
		}
	}
	var all []diffPiece
	for _, ps := range out {
		all = append(all, ps...)
	}
	return all, nil
}

// ledger numbers the added and removed pieces at or above MinAreaM2 (the
// others are totalled as slivers) and finds the OLD or NEW features each
// came from.
func (d *differ) ledger(ctx context.Context, res *DiffResult, pieces []diffPiece) error {
	var rows []DiffPiece
	var shapes []geo.Shape
	var srcs [][]int
	for i := range pieces {
		p := &pieces[i]
		if p.poly == nil {
			continue
		}
		if p.area < d.opt.MinAreaM2 {
			if p.typ == PieceAdded {
				res.Slivers.AddedCount++
				res.Slivers.AddedM2 += p.area
			} else {
				res.Slivers.RemovedCount++
				res.Slivers.RemovedM2 += p.area
			}
			continue
		}
		c, _ := planar.CentroidArea(p.poly)
		srcs = append(srcs, p.src)
		r := DiffPiece{Type: p.typ, AreaM2: p.area, Region: p.region, Class: p.class, Lon: c[0], Lat: c[1],
			OldIDs: []string{}, NewIDs: []string{}, Geom: p.poly}
		if rg := d.opt.Regions; rg != nil && p.region >= 0 {
			r.RegionID, r.RegionName = rg.Layer.Features[p.region].ID, rg.Names[p.region]
		}
		rows = append(rows, r)
		shapes = append(shapes, p.shape)
	}
	err := par.For(ctx, len(rows), d.opt.Workers, func(_, k int) error {
		r := &rows[k]
		var err error
		if r.Type == PieceAdded {
			r.NewIDs, err = sourceIDs(d.new.Name, d.newFeats, srcs[k], shapes[k], r.Geom)
		} else {
			r.OldIDs, err = sourceIDs(d.old.Name, d.oldFeats, srcs[k], shapes[k], r.Geom)
		}
		return err
	})
	if err != nil {
		return err
	}
	sort.SliceStable(rows, func(a, b int) bool {
		ra, rb := &rows[a], &rows[b]
		if ra.Type != rb.Type {
			return ra.Type == PieceAdded
		}
		if ra.Region != rb.Region {
			return uint(ra.Region) < uint(rb.Region) // −1 (outside) last
		}
		if ra.Class != rb.Class {
			return ra.Class < rb.Class
		}
		return ra.AreaM2 > rb.AreaM2
	})
	for k := range rows {
		rows[k].Number = k + 1
	}
	res.Ledger, res.Pieces = rows, len(rows)
	if res.Ledger == nil {
		res.Ledger = []DiffPiece{}
	}
	return nil
}

// sourceIDs lists the ids (or "#index" for features without one) of the
// features among feats[src] whose interior meets the piece, in layer order.
func sourceIDs(layer string, feats []*geo.Feature, src []int, piece geo.Shape, poly orb.Polygon) ([]string, error) {
	pb := geo.BoundOf(poly)
	var hits []int
	for _, i := range src {
		if feats[i].Bound.Intersects(pb) {
			hits = append(hits, i)
		}
	}
	if len(hits) > 1 {
		kept := hits[:0]
		for _, i := range hits {
			if hit, err := geo.Intersects(piece, feats[i].Shape()); err == nil && !hit {
				continue
			}
			c, err := geo.IntersectFeature(piece, feats[i])
			if err != nil {
				return nil, fmt.Errorf("analysis: diff: layer %s: %s: %w", layer, feats[i].Label(), err)
			}
			if c.Polygonal().AreaM2() > 0 {
				kept = append(kept, i)
			}
		}
		hits = kept
	}
	sort.Ints(hits)
	ids := make([]string, 0, len(hits))
	seen := map[string]bool{}
	for _, i := range hits {
		f := feats[i]
		id := f.ID
		if id == "" {
			id = fmt.Sprintf("#%d", f.Index)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}
