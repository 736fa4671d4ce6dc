package dxf

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// hatchCursor walks the tags of a HATCH in order: its boundary data is a
// sequence in which the same group codes recur.
type hatchCursor struct {
	l *tagList
	i int
}

func (c *hatchCursor) peek() (tag, bool) {
	if c.i >= len(c.l.tags) {
		return tag{}, false
	}
	return c.l.tags[c.i], true
}

// want returns the next tag's value if it has code; otherwise it leaves the
// cursor and returns ok false.
func (c *hatchCursor) want(code int) (tag, bool) {
	tg, ok := c.peek()
	if !ok || tg.code != code {
		return tag{}, false
	}
	c.i++
	return tg, true
}

func (c *hatchCursor) float(code int) float64 {
	tg, ok := c.want(code)
	if !ok {
		if c.l.err == nil {
			got := "end of entity"
			if t, ok := c.peek(); ok {
				got = fmt.Sprintf("group code %d", t.code)
			}
			c.l.err = fmt.Errorf("HATCH boundary: want group code %d, got %s", code, got)
		}
		return 0
	}
	return c.l.f(tg)
}

func (c *hatchCursor) int(code int) int {
	tg, ok := c.want(code)
	if !ok {
		if c.l.err == nil {
			c.l.err = fmt.Errorf("HATCH boundary: want group code %d", code)
		}
		return 0
	}
	return c.l.i(tg)
}

// maxHatchItems caps counts read from a HATCH (paths, edges, vertices), so
// that a hostile count cannot make the reader loop or allocate.
const maxHatchItems = 1 << 20

func (e *entity) parseHatch(l *tagList, ext *[3]float64, elev *float64) {
	c := &hatchCursor{l: l}
	for c.i < len(l.tags) {
		tg := l.tags[c.i]
		if tg.code == 91 {
			break
		}
		c.i++
		if tg.code == 30 {
			*elev = l.f(tg)
			continue
		}
		e.common(l, tg, ext, elev)
	}
	if c.i >= len(l.tags) {
		return
	}
	n := c.int(91)
	if n < 0 || n > maxHatchItems {
		l.err = fmt.Errorf("HATCH: %d boundary paths", n)
		return
	}
	for p := 0; p < n && l.err == nil; p++ {
		flags := c.int(92)
		var path hatchPath
		if flags&2 != 0 {
			ed := hatchEdge{kind: 0}
			hasBulge := c.int(72) != 0
			ed.closed = c.int(73) != 0
			nv := c.int(93)
			if nv < 0 || nv > maxHatchItems {
				l.err = fmt.Errorf("HATCH: %d polyline vertices", nv)
				return
			}
			for v := 0; v < nv && l.err == nil; v++ {
				x, y := c.float(10), c.float(20)
				b := 0.0
				if hasBulge {
					if tg, ok := c.want(42); ok {
						b = l.f(tg)
					}
				}
				ed.pts = append(ed.pts, orb.Point{x, y})
				ed.bulges = append(ed.bulges, b)
			}
			path.edges = append(path.edges, ed)
		} else {
			ne := c.int(93)
			if ne < 0 || ne > maxHatchItems {
				l.err = fmt.Errorf("HATCH: %d edges", ne)
				return
			}
			for k := 0; k < ne && l.err == nil; k++ {
				path.edges = append(path.edges, c.edge())
			}
		}
		// Source boundary objects.
		if tg, ok := c.want(97); ok {
			ns := l.i(tg)
			for k := 0; k < ns; k++ {
				if _, ok := c.want(330); !ok {
					break
				}
			}
		}
		e.paths = append(e.paths, path)
	}
}

func (c *hatchCursor) edge() hatchEdge {
	l := c.l
	var ed hatchEdge
	ed.kind = c.int(72)
	switch ed.kind {
	case 1:
		ed.pts = []orb.Point{{c.float(10), c.float(20)}, {c.float(11), c.float(21)}}
	case 2:
		ed.center = orb.Point{c.float(10), c.float(20)}
		ed.radius = c.float(40)
		ed.a0, ed.a1 = c.float(50), c.float(51)
		ed.ccw = c.int(73) != 0
	case 3:
		ed.center = orb.Point{c.float(10), c.float(20)}
		ed.major = orb.Point{c.float(11), c.float(21)}
		ed.ratio = c.float(40)
		ed.a0, ed.a1 = c.float(50), c.float(51)
		ed.ccw = c.int(73) != 0
	case 4:
		ed.splineFB = true
		c.int(94)
		c.want(73)
		c.want(74)
		nk, nc := c.int(95), c.int(96)
		if nk < 0 || nc < 0 || nk > maxHatchItems || nc > maxHatchItems {
			l.err = fmt.Errorf("HATCH: spline with %d knots and %d control points", nk, nc)
			return ed
		}
		for k := 0; k < nk; k++ {
			c.want(40)
		}
		for k := 0; k < nc && l.err == nil; k++ {
			ed.pts = append(ed.pts, orb.Point{c.float(10), c.float(20)})
			c.want(42)
		}
		// Optional fit data (R2010+): a 97 followed by fit points.
		if tg, ok := c.peek(); ok && tg.code == 97 && c.i+1 < len(l.tags) && (l.tags[c.i+1].code == 11 || l.tags[c.i+1].code == 97 || l.tags[c.i+1].code == 12) {
			c.i++
			nf := l.i(tg)
			var fit []orb.Point
			for k := 0; k < nf && k < maxHatchItems; k++ {
				x, ok := c.want(11)
				if !ok {
					break
				}
				fit = append(fit, orb.Point{l.f(x), c.float(21)})
			}
			if len(fit) >= 2 {
				ed.pts = fit // fit points lie on the curve
			}
			for _, code := range []int{12, 22, 13, 23} {
				c.want(code)
			}
		}
	default:
		if l.err == nil {
			l.err = fmt.Errorf("HATCH: edge type %d (want 1 line, 2 arc, 3 elliptic arc, 4 spline)", ed.kind)
		}
	}
	return ed
}

// ring returns the closed boundary loop of path p in the hatch's OCS, and
// whether a spline edge was approximated.
func (p hatchPath) ring(tol float64) ([]orb.Point, bool) {
	var pts []orb.Point
	approx := false
	add := func(q []orb.Point) {
		for _, v := range q {
			if len(pts) > 0 && pts[len(pts)-1] == v {
				continue
			}
			pts = append(pts, v)
		}
	}
	for _, ed := range p.edges {
		switch ed.kind {
		case 0:
			add(polylinePoints(ed.pts, ed.bulges, true, tol))
		case 1:
			add(ed.pts)
		case 2:
			a0, a1 := ed.a0, ed.a1
			if !ed.ccw { // stored as 360−angle for clockwise edges
				a0, a1 = -a0, -a1
			}
			if math.Abs(ed.a1-ed.a0) >= 360 {
				add(circleRing(ed.center, ed.radius, tol))
			} else {
				add(arcLine(ed.center, ed.radius, a0, a1, ed.ccw, tol))
			}
		case 3:
			a0, a1 := ed.a0, ed.a1
			if !ed.ccw {
				a0, a1 = -a0, -a1
			}
			t0, t1 := ellipseParam(a0, ed.ratio), ellipseParam(a1, ed.ratio)
			if math.Abs(ed.a1-ed.a0) >= 360 {
				t1 = t0 + 2*math.Pi
				if !ed.ccw {
					t1 = t0 - 2*math.Pi
				}
			}
			add(ellipseLine(ed.center, ed.major, ed.ratio, t0, t1, ed.ccw, tol))
		case 4:
			approx = true
			add(ed.pts)
		}
	}
	if len(pts) > 0 && pts[0] != pts[len(pts)-1] {
		pts = append(pts, pts[0])
	}
	return pts, approx
}

// ellipseParam turns a HATCH elliptic-arc angle (degrees, measured as a
// point's direction) into the ellipse parameter.
func ellipseParam(deg, ratio float64) float64 {
	a := deg * math.Pi / 180
	if ratio == 0 {
		return a
	}
	return math.Atan2(math.Sin(a)/ratio, math.Cos(a))
}

// polylinePoints returns the densified points of a polyline with bulges
// (bulges[i] belongs to the segment from pts[i] to pts[i+1]); closed adds
// the closing segment and repeats the first point at the end.
func polylinePoints(pts []orb.Point, bulges []float64, closed bool, tol float64) []orb.Point {
	if len(pts) == 0 {
		return nil
	}
	out := make([]orb.Point, 1, len(pts)+1)
	out[0] = pts[0]
	n := len(pts)
	segs := n - 1
	if closed {
		segs = n
	}
	for i := 0; i < segs; i++ {
		p, q := pts[i], pts[(i+1)%n]
		b := 0.0
		if i < len(bulges) {
			b = bulges[i]
		}
		if p == q {
			continue
		}
		out = appendBulge(out, p, q, b, tol)
	}
	if closed && out[len(out)-1] != out[0] {
		out = append(out, out[0])
	}
	return out
}
