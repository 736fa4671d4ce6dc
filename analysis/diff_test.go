package analysis_test

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/internal/geotest"
)

var dtol = geotest.Tol{Rel: 1e-9, Abs: 1e-3}

// dbox is a lon/lat box given as offsets in 0.01° from 99°E 23°N.
func dbox(x1, y1, x2, y2 float64) orb.Polygon {
	return sbox(99+x1/100, 23+y1/100, 99+x2/100, 23+y2/100)
}

func dboxM2(x1, y1, x2, y2 float64) float64 {
	return geotest.BoxAreaM2(99+x1/100, 23+y1/100, 99+x2/100, 23+y2/100)
}

// idLayer builds a layer whose features have the given ids ("" for none).
func idLayer(t testing.TB, name string, ids []string, geoms ...orb.Geometry) *geo.Layer {
	t.Helper()
	l := &geo.Layer{Name: name}
	for i, g := range geoms {
		id := fmt.Sprintf("%s%d", name, i)
		if ids != nil {
			id = ids[i]
		}
		f, err := geo.NewFeature(i, id, map[string]any{"name": id}, g)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(f)
	}
	return l
}

func runDiff(t *testing.T, old, new *geo.Layer, regions *geo.Layer, opt analysis.DiffOptions) *analysis.DiffResult {
	t.Helper()
	ctx := context.Background()
	if regions != nil {
		rg, err := analysis.NewRegions(ctx, regions, analysis.RegionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		opt.Regions = rg
	}
	r, err := analysis.Diff(ctx, old, new, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkDiff(t, r, old, new, regions)
	return r
}

func dissolveLayer(t testing.TB, l *geo.Layer) geo.Shape {
	t.Helper()
	ss := make([]geo.Shape, l.Len())
	for i := range l.Features {
		ss[i] = l.Features[i].Shape()
	}
	u, err := geo.Dissolve(ss)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func interM2(t testing.TB, a, b geo.Shape) float64 {
	t.Helper()
	c, err := geo.Intersect(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return c.Polygonal().AreaM2()
}

// checkDiff checks the identities on every result, and old/new against an
// independent measurement (dissolve, intersect with the region).
func checkDiff(t *testing.T, r *analysis.DiffResult, old, new, regions *geo.Layer) {
	t.Helper()
	ident := func(name string, a analysis.DiffAmounts) {
		t.Helper()
		geotest.ApproxEqual(t, name+": new−old = added−removed", a.NewM2-a.OldM2, a.AddedM2-a.RemovedM2, dtol)
		geotest.ApproxEqual(t, name+": kept+removed = old", a.KeptM2+a.RemovedM2, a.OldM2, dtol)
		geotest.ApproxEqual(t, name+": kept+added = new", a.KeptM2+a.AddedM2, a.NewM2, dtol)
		geotest.ApproxEqual(t, name+": net", a.NetM2, a.NewM2-a.OldM2, dtol)
		for _, v := range []float64{a.OldM2, a.NewM2, a.AddedM2, a.RemovedM2, a.KeptM2} {
			if v < 0 {
				t.Errorf("%s: negative area in %+v", name, a)
			}
		}
	}
	o, n := dissolveLayer(t, old), dissolveLayer(t, new)
	if regions == nil {
		geotest.ApproxEqual(t, "total old vs dissolve", r.Total.OldM2, o.AreaM2(), dtol)
		geotest.ApproxEqual(t, "total new vs dissolve", r.Total.NewM2, n.AreaM2(), dtol)
	} else {
		for i, g := range r.Regions {
			rs := regions.Features[i].Shape()
			geotest.ApproxEqual(t, g.ID+" old vs clip", g.OldM2, interM2(t, o, rs), dtol)
			geotest.ApproxEqual(t, g.ID+" new vs clip", g.NewM2, interM2(t, n, rs), dtol)
			ident("region "+g.ID, g.DiffAmounts)
		}
		ru := dissolveLayer(t, regions)
		geotest.ApproxEqual(t, "total old vs clip", r.Total.OldM2, interM2(t, o, ru), dtol)
		geotest.ApproxEqual(t, "total new vs clip", r.Total.NewM2, interM2(t, n, ru), dtol)
		geotest.ApproxEqual(t, "outside old", r.Outside.OldM2, o.AreaM2()-interM2(t, o, ru), dtol)
		ident("outside", r.Outside)
	}
	ident("total", r.Total.DiffAmounts)
	// Ledger pieces: pairwise disjoint, added ones outside OLD and inside
	// NEW, removed ones the other way round.
	var all []geo.Shape
	var sum, added, removed float64
	for _, p := range r.Ledger {
		s, err := geo.ShapeOf(p.Geom)
		if err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, fmt.Sprintf("piece %d area", p.Number), s.AreaM2(), p.AreaM2, dtol)
		if p.AreaM2 < r.MinAreaM2 {
			t.Errorf("piece %d: %g m² under --min-area %g", p.Number, p.AreaM2, r.MinAreaM2)
		}
		all = append(all, s)
		sum += p.AreaM2
		in, out := n, o
		if p.Type == analysis.PieceRemoved {
			in, out = o, n
			removed += p.AreaM2
		} else {
			added += p.AreaM2
		}
		geotest.ApproxEqual(t, fmt.Sprintf("piece %d inside its layer", p.Number), interM2(t, s, in), p.AreaM2, dtol)
		geotest.ApproxEqual(t, fmt.Sprintf("piece %d outside the other", p.Number), interM2(t, s, out), 0, dtol)
	}
	disjoint := func(name string, ss []geo.Shape, want float64) {
		t.Helper()
		u, err := geo.Dissolve(ss)
		if err != nil {
			t.Fatal(err)
		}
		geotest.ApproxEqual(t, name+": pieces pairwise disjoint", u.AreaM2(), want, dtol)
	}
	if regions == nil || !regionsOverlap(r) {
		disjoint("all", all, sum)
	} else { // a piece where regions overlap is listed in each of them
		byRegion := map[int][]geo.Shape{}
		sums := map[int]float64{}
		for k, p := range r.Ledger {
			byRegion[p.Region] = append(byRegion[p.Region], all[k])
			sums[p.Region] += p.AreaM2
		}
		for i, ss := range byRegion {
			disjoint(fmt.Sprint("region ", i), ss, sums[i])
		}
	}
	if r.Pieces != len(r.Ledger) {
		t.Errorf("pieces = %d, ledger has %d", r.Pieces, len(r.Ledger))
	}
	// Nothing vanishes: ledger + slivers = added/removed in and outside the regions.
	wantAdded, wantRemoved := r.Total.AddedM2+r.Outside.AddedM2, r.Total.RemovedM2+r.Outside.RemovedM2
	if regions == nil || !regionsOverlap(r) {
		if !hasLeftover(r) {
			geotest.ApproxEqual(t, "ledger+slivers = added", added+r.Slivers.AddedM2, wantAdded, dtol)
			geotest.ApproxEqual(t, "ledger+slivers = removed", removed+r.Slivers.RemovedM2, wantRemoved, dtol)
		}
	}
}

func regionsOverlap(r *analysis.DiffResult) bool {
	var s float64
	for _, g := range r.Regions {
		s += g.AreaM2
	}
	return s > r.Total.AreaM2*(1+1e-9)
}

// hasLeftover: land outside every region in a piece that regions cover in
// part has no geometry, so the ledger cannot hold it.
func hasLeftover(r *analysis.DiffResult) bool { return r.Outside.AddedM2+r.Outside.RemovedM2 > 0 }

func statusOf(r *analysis.DiffResult) map[string]analysis.FeatureChange {
	m := map[string]analysis.FeatureChange{}
	for _, f := range r.Features {
		key := f.ID
		if key == "" {
			key = fmt.Sprint(f.OldIndex, f.NewIndex)
		}
		m[key] = f
	}
	return m
}

func TestDiffHandCases(t *testing.T) {
	A, B := dbox(0, 0, 2, 1), dbox(1, 0, 3, 1) // overlapping, union [0,3]×[0,1]
	AB := dboxM2(0, 0, 3, 1)

	t.Run("identical layers", func(t *testing.T) {
		old := idLayer(t, "F", nil, A, B)
		new := idLayer(t, "F", nil, B, A) // same features, other order
		new.Features[0].ID, new.Features[1].ID = "F1", "F0"
		r := runDiff(t, old, new, nil, analysis.DiffOptions{})
		geotest.ApproxEqual(t, "kept", r.Total.KeptM2, AB, dtol)
		geotest.ApproxEqual(t, "added", r.Total.AddedM2, 0, dtol)
		geotest.ApproxEqual(t, "removed", r.Total.RemovedM2, 0, dtol)
		if r.Pieces != 0 {
			t.Errorf("pieces = %d, want 0", r.Pieces)
		}
		for id, f := range statusOf(r) {
			if f.Status != analysis.FeatureUnchanged {
				t.Errorf("feature %s: %s, want unchanged", id, f.Status)
			}
		}
	})

	t.Run("disjoint layers", func(t *testing.T) {
		old := idLayer(t, "O", nil, dbox(0, 0, 1, 1))
		new := idLayer(t, "N", nil, dbox(2, 2, 4, 3))
		r := runDiff(t, old, new, nil, analysis.DiffOptions{})
		geotest.ApproxEqual(t, "removed", r.Total.RemovedM2, dboxM2(0, 0, 1, 1), dtol)
		geotest.ApproxEqual(t, "added", r.Total.AddedM2, dboxM2(2, 2, 4, 3), dtol)
		geotest.ApproxEqual(t, "kept", r.Total.KeptM2, 0, dtol)
		st := statusOf(r)
		if st["O0"].Status != analysis.FeatureRemoved || st["N0"].Status != analysis.FeatureAdded {
			t.Errorf("statuses %+v", st)
		}
		if r.Pieces != 2 || r.Ledger[0].Type != analysis.PieceAdded || r.Ledger[1].Type != analysis.PieceRemoved {
			t.Errorf("ledger %+v", r.Ledger)
		}
		if got := r.Ledger[0].NewIDs; len(got) != 1 || got[0] != "N0" {
			t.Errorf("added piece comes from %v, want [N0]", got)
		}
		if got := r.Ledger[1].OldIDs; len(got) != 1 || got[0] != "O0" {
			t.Errorf("removed piece comes from %v, want [O0]", got)
		}
		// The centroid of a box (planar in lon/lat) is its middle.
		geotest.ApproxEqual(t, "centroid lon", r.Ledger[0].Lon, 99.03, geotest.Tol{Abs: 1e-12})
		geotest.ApproxEqual(t, "centroid lat", r.Ledger[0].Lat, 23.025, geotest.Tol{Abs: 1e-12})
	})

	t.Run("new is old plus one polygon", func(t *testing.T) {
		old := idLayer(t, "F", nil, A, B)
		new := idLayer(t, "F", nil, A, B, dbox(5, 5, 6, 7))
		r := runDiff(t, old, new, nil, analysis.DiffOptions{})
		geotest.ApproxEqual(t, "added", r.Total.AddedM2, dboxM2(5, 5, 6, 7), dtol)
		geotest.ApproxEqual(t, "removed", r.Total.RemovedM2, 0, dtol)
		geotest.ApproxEqual(t, "kept", r.Total.KeptM2, AB, dtol)
		st := statusOf(r)
		if st["F2"].Status != analysis.FeatureAdded || st["F0"].Status != analysis.FeatureUnchanged || st["F1"].Status != analysis.FeatureUnchanged {
			t.Errorf("statuses %+v", st)
		}
		if len(r.Losses(true)) != 0 {
			t.Errorf("losses %v", r.Losses(true))
		}
	})

	t.Run("id stays, boundary moves", func(t *testing.T) {
		old := idLayer(t, "F", []string{"X"}, dbox(0, 0, 2, 1))
		new := idLayer(t, "F", []string{"X"}, dbox(1, 0, 3, 1))
		r := runDiff(t, old, new, nil, analysis.DiffOptions{})
		f := statusOf(r)["X"]
		if f.Status != analysis.FeatureChanged {
			t.Fatalf("status %s, want changed", f.Status)
		}
		geotest.ApproxEqual(t, "feature old", f.OldM2, dboxM2(0, 0, 2, 1), dtol)
		geotest.ApproxEqual(t, "feature new", f.NewM2, dboxM2(1, 0, 3, 1), dtol)
		geotest.ApproxEqual(t, "feature added", f.AddedM2, dboxM2(2, 0, 3, 1), dtol)
		geotest.ApproxEqual(t, "feature removed", f.RemovedM2, dboxM2(0, 0, 1, 1), dtol)
		geotest.ApproxEqual(t, "total kept", r.Total.KeptM2, dboxM2(1, 0, 2, 1), dtol)
	})

	t.Run("overlapping features inside OLD", func(t *testing.T) {
		old := idLayer(t, "F", nil, A, B, A) // A twice
		new := idLayer(t, "G", nil, dbox(0, 0, 3, 1))
		r := runDiff(t, old, new, nil, analysis.DiffOptions{})
		geotest.ApproxEqual(t, "old counted once", r.Total.OldM2, AB, dtol)
		geotest.ApproxEqual(t, "added", r.Total.AddedM2, 0, dtol)
		geotest.ApproxEqual(t, "removed", r.Total.RemovedM2, 0, dtol)
	})

	t.Run("a region the red line leaves", func(t *testing.T) {
		regions := idLayer(t, "R", nil, dbox(0, 0, 10, 10), dbox(10, 0, 20, 10))
		old := idLayer(t, "F", nil, dbox(1, 1, 3, 3), dbox(12, 1, 14, 4))
		new := idLayer(t, "F", nil, dbox(1, 1, 3, 3), dbox(4, 4, 5, 5))
		r := runDiff(t, old, new, regions, analysis.DiffOptions{})
		r1, r2 := r.Regions[0], r.Regions[1]
		geotest.ApproxEqual(t, "R1 added", r1.AddedM2, dboxM2(4, 4, 5, 5), dtol)
		geotest.ApproxEqual(t, "R2 removed", r2.RemovedM2, dboxM2(12, 1, 14, 4), dtol)
		geotest.ApproxEqual(t, "R2 new", r2.NewM2, 0, dtol)
		geotest.ApproxEqual(t, "R2 old share", *r2.OldSharePct, 100*dboxM2(12, 1, 14, 4)/dboxM2(10, 0, 20, 10), dtol)
		geotest.ApproxEqual(t, "total area", r.Total.AreaM2, dboxM2(0, 0, 20, 10), dtol)
		if r.Total.NetM2 >= 0 {
			t.Errorf("total net %g, want a loss", r.Total.NetM2)
		}
		losses := r.Losses(true)
		if len(losses) != 2 || !strings.Contains(losses[0], "R1") || !strings.Contains(losses[1], "total") {
			t.Errorf("losses %q, want R1 (id of the 2nd region) and the total", losses)
		}
		if l := r.Losses(false); len(l) != 1 {
			t.Errorf("losses without per-region %q", l)
		}
		if p := r.Ledger[len(r.Ledger)-1]; p.Type != analysis.PieceRemoved || p.Region != 1 || p.RegionID != "R1" {
			t.Errorf("removed piece %+v, want in region R1", p)
		}
	})

	t.Run("a piece across two regions and outside them", func(t *testing.T) {
		regions := idLayer(t, "R", nil, dbox(0, 0, 10, 10), dbox(10, 0, 20, 10))
		old := idLayer(t, "F", nil, dbox(1, 1, 2, 2))
		new := idLayer(t, "F", nil, dbox(1, 1, 2, 2), dbox(8, 8, 12, 12))
		r := runDiff(t, old, new, regions, analysis.DiffOptions{})
		geotest.ApproxEqual(t, "R0 added", r.Regions[0].AddedM2, dboxM2(8, 8, 10, 10), dtol)
		geotest.ApproxEqual(t, "R1 added", r.Regions[1].AddedM2, dboxM2(10, 8, 12, 10), dtol)
		geotest.ApproxEqual(t, "outside added", r.Outside.AddedM2, dboxM2(8, 10, 12, 12), dtol)
		if r.Pieces != 2 {
			t.Errorf("pieces %d, want one per region", r.Pieces)
		}
	})

	t.Run("overlapping regions count once in the total", func(t *testing.T) {
		regions := idLayer(t, "R", nil, dbox(0, 0, 10, 10), dbox(5, 0, 15, 10))
		old := idLayer(t, "F", nil, dbox(2, 2, 12, 4))
		new := idLayer(t, "F", nil, dbox(2, 2, 12, 3))
		r := runDiff(t, old, new, regions, analysis.DiffOptions{})
		geotest.ApproxEqual(t, "total old", r.Total.OldM2, dboxM2(2, 2, 12, 4), dtol)
		geotest.ApproxEqual(t, "total removed", r.Total.RemovedM2, dboxM2(2, 3, 12, 4), dtol)
		geotest.ApproxEqual(t, "R0 removed", r.Regions[0].RemovedM2, dboxM2(2, 3, 10, 4), dtol)
		geotest.ApproxEqual(t, "R1 removed", r.Regions[1].RemovedM2, dboxM2(5, 3, 12, 4), dtol)
		geotest.ApproxEqual(t, "total area", r.Total.AreaM2, dboxM2(0, 0, 15, 10), dtol)
	})

	t.Run("features without ids match by geometry", func(t *testing.T) {
		old := idLayer(t, "F", []string{"", ""}, dbox(0, 0, 1, 1), dbox(2, 0, 3, 1))
		new := idLayer(t, "F", []string{"", ""}, dbox(2, 0, 3, 1), dbox(0, 0, 1, 2))
		r := runDiff(t, old, new, nil, analysis.DiffOptions{})
		count := map[string]int{}
		for _, f := range r.Features {
			count[f.Status]++
		}
		if count[analysis.FeatureUnchanged] != 1 || count[analysis.FeatureRemoved] != 1 || count[analysis.FeatureAdded] != 1 {
			t.Errorf("statuses %v, want 1 unchanged, 1 removed, 1 added", count)
		}
		if p := r.Ledger[0]; len(p.NewIDs) != 1 || p.NewIDs[0] != "#1" {
			t.Errorf("added piece from %v, want [#1]", p.NewIDs)
		}
	})
}

func TestDiffMinArea(t *testing.T) {
	old := idLayer(t, "F", nil, dbox(0, 0, 10, 10))
	// NEW: the same box, shrunk by a sliver on the east (0.0001° ≈ 10 m
	// wide) and grown by a block on the north.
	new := idLayer(t, "F", nil, dbox(0, 0, 9.99, 12))
	sliver := dboxM2(9.99, 0, 10, 10)
	r := runDiff(t, old, new, nil, analysis.DiffOptions{MinAreaM2: sliver * 1.01})
	if r.Pieces != 1 || r.Ledger[0].Type != analysis.PieceAdded {
		t.Fatalf("ledger %+v, want the added block only", r.Ledger)
	}
	if r.Slivers.RemovedCount != 1 {
		t.Errorf("slivers %+v", r.Slivers)
	}
	geotest.ApproxEqual(t, "sliver area", r.Slivers.RemovedM2, sliver, dtol)
	geotest.ApproxEqual(t, "removed still counted", r.Total.RemovedM2, sliver, dtol)
}

func TestDiffLandClasses(t *testing.T) {
	old := idLayer(t, "F", nil, dbox(0, 0, 10, 10))
	new := idLayer(t, "F", nil, dbox(0, 0, 10, 5), dbox(0, 10, 10, 12))
	lu := &geo.Layer{Name: "三调"}
	for i, c := range []struct {
		g     orb.Polygon
		class string
	}{
		{dbox(0, 0, 4, 20), "耕地"},
		{dbox(4, 0, 10, 11), "林地"}, // the north-east corner lies outside every land-use feature
		{dbox(6, 0, 8, 11), "林地"},  // overlaps its own class: dissolved
	} {
		f, err := geo.NewFeature(i, "", map[string]any{"DLMC": c.class}, c.g)
		if err != nil {
			t.Fatal(err)
		}
		lu.Add(f)
	}
	r := runDiff(t, old, new, nil, analysis.DiffOptions{Landuse: lu, ByField: "DLMC"})
	want := map[string][2]float64{ // added, removed
		"耕地": {dboxM2(0, 10, 4, 12), dboxM2(0, 5, 4, 10)},
		"林地": {dboxM2(4, 10, 10, 11), dboxM2(4, 5, 10, 10)},
		"":   {dboxM2(4, 11, 10, 12), 0},
	}
	if len(r.Classes) != len(want) {
		t.Fatalf("classes %+v", r.Classes)
	}
	for _, c := range r.Classes {
		w := want[c.Class]
		geotest.ApproxEqual(t, c.Class+" added", c.AddedM2, w[0], dtol)
		geotest.ApproxEqual(t, c.Class+" removed", c.RemovedM2, w[1], dtol)
		if c.Region != -1 {
			t.Errorf("class %+v: region %d, want the total", c, c.Region)
		}
	}
	for _, p := range r.Ledger {
		if _, ok := want[p.Class]; !ok {
			t.Errorf("piece %+v: class %q", p, p.Class)
		}
	}

	if _, err := analysis.Diff(context.Background(), old, new, analysis.DiffOptions{Landuse: lu, ByField: "DLBM"}); err == nil ||
		!strings.Contains(err.Error(), `"DLBM"`) {
		t.Errorf("missing class field: err %v", err)
	}
}

func TestDiffBadInput(t *testing.T) {
	ctx := context.Background()
	good := idLayer(t, "F", nil, dbox(0, 0, 1, 1))
	bowtie := orb.Polygon{{{99, 23}, {99.01, 23.01}, {99.01, 23}, {99, 23.01}, {99, 23}}}
	bad := idLayer(t, "B", []string{"ok", "bow"}, dbox(0, 0, 1, 1), bowtie)
	_, err := analysis.Diff(ctx, bad, good, analysis.DiffOptions{})
	if err == nil || !strings.Contains(err.Error(), "feature 1 (id bow)") || !strings.Contains(err.Error(), "OLD") {
		t.Errorf("invalid feature: err %v", err)
	}
	r, err := analysis.Diff(ctx, bad, good, analysis.DiffOptions{Invalid: analysis.InvalidSkip})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Repairs) != 1 || r.Repairs[0].FeatureID != "bow" || r.Repairs[0].Action != "skipped" || !strings.Contains(r.Repairs[0].Layer, "OLD") {
		t.Errorf("repairs %+v", r.Repairs)
	}
	geotest.ApproxEqual(t, "skipped feature not counted", r.Total.OldM2, dboxM2(0, 0, 1, 1), dtol)

	pts := idLayer(t, "P", nil, orb.Point{99, 23})
	if _, err := analysis.Diff(ctx, good, pts, analysis.DiffOptions{}); err == nil || !strings.Contains(err.Error(), "no area") ||
		!strings.Contains(err.Error(), "NEW") {
		t.Errorf("point layer: err %v", err)
	}
	if _, err := analysis.Diff(ctx, &geo.Layer{Name: "empty"}, good, analysis.DiffOptions{}); err == nil {
		t.Error("empty OLD: no error")
	}
}

// TestDiffRandom checks the identities and the independent measurements on
// random overlapping polygons (fixed seeds) with and without regions.
func TestDiffRandom(t *testing.T) {
	regions := idLayer(t, "R", nil, dbox(0, 0, 10, 10), dbox(10, 0, 20, 10), dbox(0, 10, 20, 20))
	for seed := int64(1); seed <= 6; seed++ {
		rnd := rand.New(rand.NewSource(seed))
		var olds, news []orb.Geometry
		for i := 0; i < 25; i++ {
			g := randomStar(rnd, 99+rnd.Float64()*0.22-0.01, 23+rnd.Float64()*0.22-0.01, 0.005+rnd.Float64()*0.02)
			switch r := rnd.Float64(); {
			case r < 0.6: // shared
				olds, news = append(olds, g), append(news, g)
			case r < 0.8:
				olds = append(olds, g)
			default:
				news = append(news, g)
			}
		}
		olds = append(olds, randomStar(rnd, 99.1, 23.1, 0.01))
		news = append(news, randomStar(rnd, 99.1, 23.1, 0.012))
		old, new := idLayer(t, "O", nil, olds...), idLayer(t, "N", nil, news...)
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			runDiff(t, old, new, nil, analysis.DiffOptions{})
			runDiff(t, old, new, regions, analysis.DiffOptions{MinAreaM2: 1000})
		})
	}
}

// randomStar is a valid star-shaped polygon around (x, y) of radius up to r°.
func randomStar(rnd *rand.Rand, x, y, r float64) orb.Polygon {
	n := 5 + rnd.Intn(20)
	ring := make(orb.Ring, 0, n+1)
	for k := 0; k < n; k++ {
		a := 2 * math.Pi * (float64(k) + 0.8*rnd.Float64()) / float64(n)
		rr := r * (0.3 + 0.7*rnd.Float64())
		ring = append(ring, orb.Point{x + rr*math.Cos(a), y + rr*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	return orb.Polygon{ring}
}

// FuzzDiff checks the identities on boxes snapped to a coarse grid, so that
// edges coincide, touch and overlap often.
func FuzzDiff(f *testing.F) {
	f.Add([]byte{0, 0, 4, 4, 2, 2, 6, 6}, []byte{1, 1, 5, 5})
	f.Add([]byte{0, 0, 4, 4}, []byte{0, 0, 4, 4})
	f.Add([]byte{0, 0, 2, 2, 2, 0, 4, 2}, []byte{1, 0, 3, 2, 0, 2, 4, 3})
	boxes := func(b []byte) []orb.Geometry {
		var out []orb.Geometry
		for i := 0; i+3 < len(b) && len(out) < 6; i += 4 {
			x1, y1 := float64(b[i]%16), float64(b[i+1]%16)
			x2, y2 := x1+1+float64(b[i+2]%8), y1+1+float64(b[i+3]%8)
			out = append(out, dbox(x1, y1, x2, y2))
		}
		return out
	}
	regions := idLayer(f, "R", nil, dbox(0, 0, 12, 30), dbox(12, 0, 30, 30))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		olds, news := boxes(a), boxes(b)
		if len(olds) == 0 || len(news) == 0 {
			t.Skip()
		}
		old, new := idLayer(t, "O", nil, olds...), idLayer(t, "N", nil, news...)
		runDiff(t, old, new, nil, analysis.DiffOptions{})
		runDiff(t, old, new, regions, analysis.DiffOptions{})
	})
}

func ExampleDiff() {
	box := func(x1, y1, x2, y2 float64) orb.Polygon {
		return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
	}
	layer := func(name string, ps ...orb.Polygon) *geo.Layer {
		l := &geo.Layer{Name: name}
		for i, p := range ps {
			f, _ := geo.NewFeature(i, fmt.Sprintf("HX%d", i+1), nil, p)
			l.Add(f)
		}
		return l
	}
	// The red line before and after: HX2 moves 0.01° east, HX3 is new.
	old := layer("old", box(100, 23.9, 100.02, 23.92), box(100.05, 23.9, 100.07, 23.92))
	new := layer("new", box(100, 23.9, 100.02, 23.92), box(100.06, 23.9, 100.08, 23.92), box(100.1, 23.9, 100.11, 23.91))
	r, err := analysis.Diff(context.Background(), old, new, analysis.DiffOptions{})
	if err != nil {
		panic(err)
	}
	t := r.Total
	fmt.Printf("old %.1f ha, new %.1f ha: added %.1f, removed %.1f, kept %.1f, net %+.1f ha\n",
		t.OldM2/1e4, t.NewM2/1e4, t.AddedM2/1e4, t.RemovedM2/1e4, t.KeptM2/1e4, t.NetM2/1e4)
	for _, f := range r.Features {
		fmt.Println(f.ID, f.Status)
	}
	for _, p := range r.Ledger {
		fmt.Printf("%d %s %.1f ha from %v%v\n", p.Number, p.Type, p.AreaM2/1e4, p.OldIDs, p.NewIDs)
	}
	// Each 0.02° square near 23.9°N is about 2035 m × 2212 m = 450 ha.
	// Output:
	// old 902.2 ha, new 1015.0 ha: added 338.3, removed 225.6, kept 676.7, net +112.8 ha
	// HX1 unchanged
	// HX2 changed
	// HX3 added
	// 1 added 225.6 ha from [][HX2]
	// 2 added 112.8 ha from [][HX3]
	// 3 removed 225.6 ha from [HX2][]
}

// BenchmarkDiff compares two versions of n random polygons, 70 % of them
// shared, 15 % moved and 15 % replaced, over three regions.
func BenchmarkDiff(b *testing.B) {
	regions := idLayer(b, "R", nil, dbox(0, 0, 50, 100), dbox(50, 0, 100, 100), dbox(0, 100, 100, 200))
	ctx := context.Background()
	rg, err := analysis.NewRegions(ctx, regions, analysis.RegionOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{200, 2000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			rnd := rand.New(rand.NewSource(1))
			var olds, news []orb.Geometry
			for i := 0; i < n; i++ {
				x, y, r := 99+rnd.Float64(), 23+2*rnd.Float64(), 0.005+0.02*rnd.Float64()
				g := randomStar(rnd, x, y, r)
				olds = append(olds, g)
				switch u := rnd.Float64(); {
				case u < 0.7:
					news = append(news, g)
				case u < 0.85:
					news = append(news, randomStar(rnd, x+0.003, y, r))
				default:
					news = append(news, randomStar(rnd, 99+rnd.Float64(), 23+2*rnd.Float64(), r))
				}
			}
			old, new := idLayer(b, "O", nil, olds...), idLayer(b, "N", nil, news...)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := analysis.Diff(ctx, old, new, analysis.DiffOptions{Regions: rg, MinAreaM2: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
