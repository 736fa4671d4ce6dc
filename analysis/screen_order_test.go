package analysis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// Screening does not depend on how a layer was built: the same features
// (same indexes) added in another order, or only those near the sites (as
// pushdown builds a layer), give the same JSON to the last bit.
func TestScreenIndependentOfLayerOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var feats []geo.Feature
	for i := 0; i < 300; i++ {
		x, y := 99+rng.Float64()*0.2, 23+rng.Float64()*0.2
		w, h := 0.002+rng.Float64()*0.03, 0.002+rng.Float64()*0.03
		f, err := geo.NewFeature(i, fmt.Sprint("F", i), map[string]any{}, orb.Polygon{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}})
		if err != nil {
			t.Fatal(err)
		}
		feats = append(feats, f)
	}
	sites := &geo.Layer{Name: "sites"}
	for i := 0; i < 40; i++ {
		x, y := 99.02+rng.Float64()*0.16, 23.02+rng.Float64()*0.16
		f, _ := geo.NewFeature(i, fmt.Sprint("S", i), map[string]any{}, orb.Polygon{{{x, y}, {x + 0.01, y + 0.002}, {x + 0.008, y + 0.012}, {x - 0.001, y + 0.009}, {x, y}}})
		sites.Add(f)
	}
	screen := func(order []int) string {
		l := &geo.Layer{Name: "c"}
		for _, i := range order {
			l.Add(feats[i])
		}
		c, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: "redline"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := analysis.Screen(context.Background(), sites, []*analysis.Constraint{c}, analysis.DefaultRules(), analysis.ScreenOptions{NearM: 500})
		if err != nil {
			t.Fatal(err)
		}
		res.Layers = nil // the feature count differs for the subset
		b, _ := json.Marshal(res)
		return string(b)
	}
	in := make([]int, len(feats))
	for i := range in {
		in[i] = i
	}
	want := screen(in)
	rev := make([]int, len(feats))
	for i := range rev {
		rev[i] = len(feats) - 1 - i
	}
	shuffled := rng.Perm(len(feats))
	var near []int
	for i, f := range feats {
		for _, s := range sites.Features {
			if f.Bound.Intersects(s.Bound.Pad(0.01)) {
				near = append(near, i)
				break
			}
		}
	}
	for name, order := range map[string][]int{"reversed": rev, "shuffled": shuffled, "near only": near} {
		if got := screen(order); got != want {
			t.Errorf("%s: other JSON than the layer in file order", name)
		}
	}
}
