package geo_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// The area of a 0.01° box at 23.9° N on the CGCS2000 ellipsoid, and of its
// overlap with a second box shifted by half its width (both agree with the
// closed-form box area, Snyder eq. 3-12, to the cent).
func ExampleAreaM2() {
	a := orb.Polygon{{{100, 23.9}, {100.01, 23.9}, {100.01, 23.91}, {100, 23.91}, {100, 23.9}}}
	b := orb.Polygon{{{100.005, 23.9}, {100.015, 23.9}, {100.015, 23.91}, {100.005, 23.91}, {100.005, 23.9}}}
	fmt.Printf("box: %.2f m²\n", geo.AreaM2(a))
	sa, _ := geo.ShapeOf(a)
	sb, _ := geo.ShapeOf(b)
	overlap, _ := geo.Intersect(sa, sb)
	fmt.Printf("overlap: %.2f m²\n", overlap.AreaM2())
	// The boxes share their top and bottom edges: the boundary walk
	// declines such input, and the caller uses the overlay instead.
	_, ok := geo.ClippedUnionAreaM2(a, []orb.Geometry{b})
	fmt.Println("boundary walk applies:", ok)
	// Output:
	// box: 1127796.35 m²
	// overlap: 563898.17 m²
	// boundary walk applies: false
}

// A layer indexes features by box; Candidates visits those whose box meets
// a query box, without allocating.
func ExampleLayer_Candidates() {
	var l geo.Layer
	for i, x := range []float64{100, 100.02, 100.5} {
		f, _ := geo.NewFeature(i, fmt.Sprint("F", i), nil, orb.Polygon{{{x, 23.9}, {x + 0.01, 23.9}, {x + 0.01, 23.91}, {x, 23.9}}})
		l.Add(f)
	}
	l.Candidates(orb.Bound{Min: orb.Point{100.005, 23.9}, Max: orb.Point{100.025, 23.91}}, func(i int, f *geo.Feature) bool {
		fmt.Println(f.Label())
		return true
	})
	// Unordered output:
	// feature 0 (id F0)
	// feature 1 (id F1)
}
