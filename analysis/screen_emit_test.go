package analysis_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// emitFixture is a layer of overlapping squares and sites among them, one
// of them invalid (a bow tie), and sites without geometry before, between
// and after the others.
func emitFixture(t *testing.T) (*geo.Layer, []*analysis.Constraint, analysis.ScreenOptions) {
	t.Helper()
	rng := rand.New(rand.NewSource(2))
	l := &geo.Layer{Name: "c"}
	for i := 0; i < 300; i++ {
		x, y := 99+rng.Float64()*0.2, 23+rng.Float64()*0.2
		w, h := 0.002+rng.Float64()*0.03, 0.002+rng.Float64()*0.03
		f, err := geo.NewFeature(i, fmt.Sprint("F", i), map[string]any{}, orb.Polygon{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}}})
		if err != nil {
			t.Fatal(err)
		}
		l.Add(f)
	}
	c, err := analysis.NewConstraint(l, analysis.LayerConfig{Kind: "redline"})
	if err != nil {
		t.Fatal(err)
	}
	sites := &geo.Layer{Name: "sites"}
	for i := 0; i < 60; i++ {
		x, y := 99.02+rng.Float64()*0.16, 23.02+rng.Float64()*0.16
		ring := orb.Ring{{x, y}, {x + 0.01, y + 0.002}, {x + 0.008, y + 0.012}, {x - 0.001, y + 0.009}, {x, y}}
		if i == 7 {
			ring = orb.Ring{{x, y}, {x + 0.01, y + 0.01}, {x + 0.01, y}, {x, y + 0.01}, {x, y}} // bow tie
		}
		f, err := geo.NewFeature(2*i+1, fmt.Sprint("S", i), map[string]any{}, orb.Polygon{ring})
		if err != nil {
			t.Fatal(err)
		}
		sites.Add(f)
	}
	var ns []analysis.NotScreened
	for _, i := range []int{0, 10, 12, 500} {
		ns = append(ns, analysis.NotScreened{Index: i, ID: fmt.Sprint("N", i), Props: map[string]any{}, Reason: "no geometry"})
	}
	return sites, []*analysis.Constraint{c}, analysis.ScreenOptions{NearM: 500, Workers: 4, Invalid: analysis.InvalidSkip, NotScreened: ns}
}

// With Emit, the sites come one by one in the order, and with the numbers,
// of the result's Sites without it; the summary and repairs are the same.
func TestScreenEmitOrder(t *testing.T) {
	sites, layers, opt := emitFixture(t)
	want, err := analysis.Screen(context.Background(), sites, layers, analysis.DefaultRules(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Repairs) != 1 || want.Summary.Error != 4 || len(want.Sites) != 63 {
		t.Fatalf("fixture: %d repairs, %d errors, %d sites; want 1, 4, 63", len(want.Repairs), want.Summary.Error, len(want.Sites))
	}
	var emitted []analysis.SiteResult
	opt.Emit = func(r *analysis.SiteResult) error { emitted = append(emitted, *r); return nil }
	got, err := analysis.Screen(context.Background(), sites, layers, analysis.DefaultRules(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Sites) != 0 {
		t.Errorf("with Emit, Sites holds %d results; want none", len(got.Sites))
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if js(emitted) != js(want.Sites) {
		t.Errorf("emitted sites differ from Sites:\n%s\nwant\n%s", js(emitted), js(want.Sites))
	}
	if got.Summary != want.Summary || js(got.Repairs) != js(want.Repairs) {
		t.Errorf("summary %+v, repairs %s; want %+v, %s", got.Summary, js(got.Repairs), want.Summary, js(want.Repairs))
	}

	// ReleaseSites: the same results, and the sites' features are cleared.
	emitted = nil
	opt.ReleaseSites = true
	if _, err := analysis.Screen(context.Background(), sites, layers, analysis.DefaultRules(), opt); err != nil {
		t.Fatal(err)
	}
	if js(emitted) != js(want.Sites) {
		t.Errorf("ReleaseSites: emitted sites differ from Sites")
	}
	for i := range sites.Features {
		if sites.Features[i].Geom != nil || sites.Features[i].Props != nil {
			t.Fatalf("ReleaseSites: site %d still holds its feature", i)
		}
	}
}

// An error from Emit stops the run and is Screen's error.
func TestScreenEmitError(t *testing.T) {
	sites, layers, opt := emitFixture(t)
	stop := errors.New("disk full")
	n := 0
	opt.Emit = func(*analysis.SiteResult) error {
		if n++; n == 5 {
			return stop
		}
		return nil
	}
	if _, err := analysis.Screen(context.Background(), sites, layers, analysis.DefaultRules(), opt); !errors.Is(err, stop) {
		t.Fatalf("err = %v; want %v", err, stop)
	}
	if n != 5 {
		t.Errorf("Emit called %d times; want 5 (none after the error)", n)
	}
}
