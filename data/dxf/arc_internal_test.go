package dxf

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// exactBulgeRingArea is the signed plane area of a closed polyline with
// bulges: shoelace on the vertices plus each arc's signed circular segment
// r²(θ − sin θ)/2, θ = 4·atan(bulge) (a closed form, independent of the
// densification).
func exactBulgeRingArea(pts []orb.Point, bulges []float64) float64 {
	var a float64
	n := len(pts)
	o := pts[0]
	for i := 0; i < n; i++ {
		p, q := pts[i], pts[(i+1)%n]
		a += ((p[0]-o[0])*(q[1]-o[1]) - (q[0]-o[0])*(p[1]-o[1])) / 2
		if b := bulges[i]; b != 0 {
			c := math.Hypot(q[0]-p[0], q[1]-p[1])
			th := 4 * math.Atan(b)
			r := c / (2 * math.Sin(math.Abs(th)/2))
			a += r * r * (th - math.Sin(th)) / 2
		}
	}
	return a
}

// TestBulgeDensification checks, for random arcs, that every densified
// vertex and chord midpoint lies within tol of the true circle, that points
// sampled along the true arc lie within tol of the polyline, and that the
// area of the densified arc equals the exact circular segment.
func TestBulgeDensification(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const tol = 0.01
	for k := 0; k < 2000; k++ {
		p := orb.Point{rng.Float64() * 100, rng.Float64() * 100}
		q := orb.Point{p[0] + (rng.Float64()-0.5)*200, p[1] + (rng.Float64()-0.5)*200}
		b := math.Tan((rng.Float64()*2 - 1) * math.Pi / 4 * 0.999) // up to almost a full turn
		if k%10 == 0 {
			b *= 1e-3 // flat arcs
		}
		pts := appendBulge([]orb.Point{p}, p, q, b, tol)
		if pts[len(pts)-1] != q {
			t.Fatalf("arc %d does not end at its vertex", k)
		}
		c := math.Hypot(q[0]-p[0], q[1]-p[1])
		th := 4 * math.Atan(b)
		r := c / (2 * math.Sin(math.Abs(th)/2))
		// centre from the closed form: midpoint + normal·(r cos(θ/2)) signed
		m := orb.Point{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2}
		nx, ny := -(q[1]-p[1])/c, (q[0]-p[0])/c
		d := r * math.Cos(th/2)
		if b < 0 {
			d = -d
		}
		ctr := orb.Point{m[0] + nx*d, m[1] + ny*d}
		for i := 0; i+1 < len(pts); i++ {
			for _, f := range []float64{0, 0.5} {
				x := orb.Point{pts[i][0] + f*(pts[i+1][0]-pts[i][0]), pts[i][1] + f*(pts[i+1][1]-pts[i][1])}
				if dev := math.Abs(math.Hypot(x[0]-ctr[0], x[1]-ctr[1]) - r); dev > tol*1.0001 {
					t.Fatalf("arc %d (r %.3f, bulge %.4f): point %d+%.1f is %.4f from the arc", k, r, b, i, f, dev)
				}
			}
		}
		// Samples of the true arc are within tol of the polyline.
		a0 := math.Atan2(p[1]-ctr[1], p[0]-ctr[0])
		for s := 0; s <= 50; s++ {
			ang := a0 + th*float64(s)/50
			x := orb.Point{ctr[0] + r*math.Cos(ang), ctr[1] + r*math.Sin(ang)}
			if dist := distToLine(x, pts); dist > tol*1.0001 {
				t.Fatalf("arc %d: true arc point %d is %.4f from the polyline", k, s, dist)
			}
		}
		// Area: the densified arc closed by its chord equals the segment.
		ring := append(append(orb.Ring{}, pts...), p)
		got := geo.RingSignedArea(ring) // p→arc→q→p runs counter-clockwise round the segment for b > 0
		want := r * r * (th - math.Sin(th)) / 2
		if len(pts) > 2 && math.Abs(got-want) > 1e-9*math.Max(1, r*r) {
			t.Fatalf("arc %d (%d points): area %.9f, want %.9f", k, len(pts), got, want)
		}
	}
}

func distToLine(x orb.Point, pts []orb.Point) float64 {
	best := math.Inf(1)
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		dx, dy := b[0]-a[0], b[1]-a[1]
		u := 0.0
		if l := dx*dx + dy*dy; l > 0 {
			u = math.Max(0, math.Min(1, ((x[0]-a[0])*dx+(x[1]-a[1])*dy)/l))
		}
		best = math.Min(best, math.Hypot(x[0]-a[0]-u*dx, x[1]-a[1]-u*dy))
	}
	return best
}

func TestOCS(t *testing.T) {
	tests := []struct {
		name string
		n    [3]float64
		in   orb.Point
		want orb.Point
	}{
		{"default", [3]float64{0, 0, 1}, orb.Point{3, 4}, orb.Point{3, 4}},
		{"mirrored (0,0,-1)", [3]float64{0, 0, -1}, orb.Point{3, 4}, orb.Point{-3, 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ocs(tc.n, 0).apply(tc.in)
			if math.Abs(got[0]-tc.want[0]) > 1e-12 || math.Abs(got[1]-tc.want[1]) > 1e-12 {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTextDecoding(t *testing.T) {
	gbk := "\xcd\xbc\xb2\xe3 1" // 图层 1 in GBK
	tests := []struct {
		name, acadver, codepage, raw, want string
		mtext                              bool
	}{
		{"GBK by code page", "AC1015", "ANSI_936", gbk, "图层 1", false},
		{"UTF-8 for 2007+ whatever the code page", "AC1027", "ANSI_936", "标注及文字", "标注及文字", false},
		{"Big5", "AC1015", "ANSI_950", "\xb9\xcf\xbch", "圖層", false},
		{"Windows-1252", "AC1009", "ANSI_1252", "\xe9ven", "éven", false},
		{"unicode escape", "AC1015", "ANSI_1252", `Gr\U+00FC\U+00DFe`, "Grüße", false},
		{"M+ escape GBK", "AC1009", "", `\M+5CDBC`, "图", false},
		{"double-encoded GBK repaired", "AC1021", "ANSI_1252", "Ô¤ÉèÖµ", "预设值", false},
		{"accented Latin kept", "AC1021", "", "éven", "éven", false},
		{"mtext codes", "AC1027", "", `{\fSimSun|b0|i0|c134|p2;控制腔}\P第二行 \S1^2;`, "控制腔 第二行 1/2", true},
		{"caret", "AC1027", "", "a^Jb^ c", "a b^c", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := chooseDecoder(tc.acadver, tc.codepage, false, false)
			if got := plainText(d.decode(tc.raw), tc.mtext); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
