package dxf

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// entity is one drawing entity as parsed, before text decoding, block
// expansion and densification. Strings hold the file's raw bytes.
type entity struct {
	kind     string
	line     int // line of its "0" tag, for messages
	handle   string
	layer    string
	linetype string
	color    int // 256 ByLayer (also when absent), 0 ByBlock
	ocs      affine

	pts    []orb.Point // polyline vertices (OCS), LINE ends, POINT, text position (WCS)
	bulges []float64   // per polyline vertex: bulge of the segment that starts there
	closed bool

	center       orb.Point // ARC/CIRCLE/ELLIPSE (ARC/CIRCLE in OCS)
	radius       float64
	a0, a1       float64   // ARC angles (degrees), ELLIPSE parameters (radians)
	major        orb.Point // ELLIPSE major axis end point, relative
	ratio        float64
	paths        []hatchPath
	text         string // TEXT/MTEXT/ATTRIB raw text
	block        string // INSERT block name
	ins          insertParams
	attribs      []*entity
	polyface     bool // POLYLINE mesh or polyface: skipped
	vertexIsCtrl []bool
}

type insertParams struct {
	at           orb.Point // OCS
	sx, sy       float64
	rot          float64 // degrees
	cols, rows   int
	colSp, rowSp float64
}

// hatchPath is one boundary loop of a HATCH: a polyline or a list of edges.
type hatchPath struct {
	edges []hatchEdge
}

type hatchEdge struct {
	kind     int // 0 polyline (pts, bulges), 1 line, 2 arc, 3 elliptic arc, 4 spline (control points)
	pts      []orb.Point
	bulges   []float64
	center   orb.Point
	radius   float64
	a0, a1   float64
	ccw      bool
	major    orb.Point
	ratio    float64
	closed   bool
	splineFB bool // spline approximated by its control or fit points
}

// tagList is the tags of one entity, with typed accessors that remember the
// first error.
type tagList struct {
	tags []tag
	err  error
}

func (l *tagList) f(tg tag) float64 {
	v, err := tg.float()
	if err != nil && l.err == nil {
		l.err = err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		if l.err == nil {
			l.err = fmt.Errorf("group code %d: %q is not a finite number", tg.code, truncate(tg.val))
		}
		return 0
	}
	return v
}

func (l *tagList) i(tg tag) int {
	v, err := tg.int()
	if err != nil && l.err == nil {
		l.err = err
	}
	return v
}

// common reads the tags every entity may have; it returns false when tg is
// not one of them.
func (e *entity) common(l *tagList, tg tag, ext *[3]float64, elev *float64) bool {
	switch tg.code {
	case 5:
		e.handle = string(tg.val)
	case 8:
		e.layer = string(tg.val)
	case 6:
		e.linetype = string(tg.val)
	case 62:
		if c, err := tg.int(); err == nil {
			e.color = c
		} // a broken colour is not worth refusing the drawing: ByLayer
	case 210:
		ext[0] = l.f(tg)
	case 220:
		ext[1] = l.f(tg)
	case 230:
		ext[2] = l.f(tg)
	case 38:
		*elev = l.f(tg)
	default:
		return false
	}
	return true
}

// parseEntity turns the tags of one entity of kind into an entity. Kinds the
// reader does not draw come back with only their common fields.
func parseEntity(kind string, line int, tags []tag) (*entity, error) {
	e := &entity{kind: kind, line: line, color: 256}
	e.ins = insertParams{sx: 1, sy: 1, cols: 1, rows: 1}
	l := &tagList{tags: tags}
	ext := [3]float64{0, 0, 1}
	var elev, z float64
	switch kind {
	case "HATCH":
		e.parseHatch(l, &ext, &elev)
	default:
		var x, y, x1, y1 float64
		var haveY bool
		var textParts []string
		var just72, just73 int
		var have11 bool
		for _, tg := range tags {
			if e.common(l, tg, &ext, &elev) {
				continue
			}
			switch tg.code {
			case 10:
				x = l.f(tg)
				if kind == "LWPOLYLINE" {
					e.pts = append(e.pts, orb.Point{x, 0})
					e.bulges = append(e.bulges, 0)
				}
			case 20:
				y = l.f(tg)
				haveY = true
				if kind == "LWPOLYLINE" && len(e.pts) > 0 {
					e.pts[len(e.pts)-1][1] = y
				}
			case 30:
				z = l.f(tg)
			case 11:
				x1, have11 = l.f(tg), true
			case 21:
				y1 = l.f(tg)
			case 40:
				e.radius = l.f(tg)
				e.ratio = e.radius
			case 41:
				e.ins.sx = l.f(tg)
				e.a0 = e.ins.sx
			case 42:
				if kind == "LWPOLYLINE" || kind == "VERTEX" {
					if len(e.bulges) > 0 {
						e.bulges[len(e.bulges)-1] = l.f(tg)
					} else if kind == "VERTEX" {
						e.bulges = append(e.bulges, l.f(tg))
					}
				} else {
					e.ins.sy = l.f(tg)
					e.a1 = e.ins.sy
				}
			case 50:
				e.a0 = l.f(tg)
				e.ins.rot = e.a0
			case 51:
				e.a1 = l.f(tg)
			case 70:
				flags := l.i(tg)
				switch kind {
				case "LWPOLYLINE", "POLYLINE":
					e.closed = flags&1 != 0
					e.polyface = kind == "POLYLINE" && flags&(16|64) != 0
				case "VERTEX":
					e.closed = flags&16 != 0 // spline frame control point
				case "INSERT":
					e.ins.cols = flags
				}
			case 71:
				if kind == "INSERT" {
					e.ins.rows = l.i(tg)
				}
			case 44:
				e.ins.colSp = l.f(tg)
			case 45:
				e.ins.rowSp = l.f(tg)
			case 72:
				just72 = l.i(tg)
			case 73:
				just73 = l.i(tg)
			case 74:
				if kind == "ATTRIB" || kind == "ATTDEF" {
					just73 = l.i(tg)
				}
			case 1:
				if kind == "MTEXT" {
					textParts = append(textParts, string(tg.val))
				} else {
					e.text = string(tg.val)
				}
			case 3:
				if kind == "MTEXT" {
					textParts = append(textParts, string(tg.val))
				}
			case 2:
				e.block = string(tg.val)
			}
		}
		if kind == "MTEXT" {
			// 3 chunks come first, then the last 1 chunk: file order is text order.
			for _, p := range textParts {
				e.text += p
			}
		}
		e.major = orb.Point{x1, y1}
		switch kind {
		case "LINE":
			e.pts = []orb.Point{{x, y}, {x1, y1}}
		case "POINT", "VERTEX":
			e.pts = []orb.Point{{x, y}}
			if kind == "VERTEX" && len(e.bulges) == 0 {
				e.bulges = []float64{0}
			}
		case "ARC", "CIRCLE", "ELLIPSE":
			e.center = orb.Point{x, y}
		case "TEXT", "ATTRIB":
			if have11 && (just72 != 0 || just73 != 0) {
				x, y = x1, y1
			}
			e.pts = []orb.Point{{x, y}}
		case "MTEXT":
			e.pts = []orb.Point{{x, y}}
		case "INSERT":
			e.ins.at = orb.Point{x, y}
			elev = z
		case "BLOCK":
			e.pts = []orb.Point{{x, y}}
		case "POLYLINE":
			elev = z
		}
		_ = haveY
	}
	if l.err != nil {
		return nil, l.err
	}
	switch kind {
	case "LINE", "POINT", "MTEXT", "ELLIPSE":
		// WCS coordinates; the OCS is not used.
	default:
		e.ocs = ocs(ext, elev)
	}
	if e.ocs == (affine{}) {
		e.ocs = identity
	}
	return e, nil
}
