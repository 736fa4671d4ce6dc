package dxf

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// shapeKind says what an emitted entity became.
type shapeKind int

const (
	shapePoint shapeKind = iota
	shapeLine
	shapeRing // a closed ring, assembled with the other rings of its layer
	shapePolygon
)

// shape is one entity drawn in WCS, with its resolved properties.
type shape struct {
	kind     shapeKind
	entity   string
	id       string
	layer    string
	linetype string
	color    int
	pts      []orb.Point
	geom     orb.Geometry // shapePolygon
}

type textItem struct {
	at   orb.Point
	text string
}

// context is what an INSERT hands down to the entities of its block.
type context struct {
	t        affine
	inBlock  bool
	layer    string
	color    int
	linetype string
	idPrefix string
	depth    int
}

type builder struct {
	d        *drawing
	opt      Options
	tol      float64 // arc tolerance in drawing units
	layerDef map[string]layerDef
	keep     map[string]bool // upper-case layer names to keep; nil: all
	shapes   []shape
	texts    []textItem
	vertices int
	warn     []geo.Warning
	deepWarn bool
	missing  map[string]int
	splines  int
	err      error
}

func (d *drawing) build(opt Options) (*geo.Source, error) {
	var note string
	d.dec, note = chooseDecoder(d.acadver, d.codepage, d.allUTF8, d.allGB)
	b := &builder{d: d, opt: opt, layerDef: map[string]layerDef{}, missing: map[string]int{}}
	b.tol = opt.ArcToleranceM * unitsPerMetre(d.insunits)
	if note != "" {
		b.warn = append(b.warn, geo.Warning{Kind: "dxf text encoding", Msg: note})
	}
	for _, l := range d.layers {
		n := d.dec.decode(l.name)
		b.layerDef[strings.ToUpper(n)] = layerDef{name: n, color: l.color, linetype: d.dec.decode(l.linetype)}
	}
	if len(opt.Layers) > 0 {
		all := d.layerList()
		have := map[string]bool{}
		for _, n := range all {
			have[strings.ToUpper(n)] = true
		}
		b.keep = map[string]bool{}
		for _, n := range opt.Layers {
			if !have[strings.ToUpper(n)] {
				return nil, fmt.Errorf("no layer %q (the drawing has %s)", n, strings.Join(quoteAll(all), ", "))
			}
			b.keep[strings.ToUpper(n)] = true
		}
	}
	top := context{t: identity, color: 7, linetype: "CONTINUOUS"}
	for _, e := range d.entities {
		b.emit(e, top)
		if b.err != nil {
			return nil, b.err
		}
	}
	src := &geo.Source{Format: Format, Fields: Fields}
	if err := b.records(src); err != nil {
		return nil, err
	}
	if len(b.missing) > 0 {
		var names []string
		for n, c := range b.missing {
			names = append(names, fmt.Sprintf("%s (%d INSERTs)", n, c))
		}
		sort.Strings(names)
		b.warn = append(b.warn, geo.Warnf("blocks not defined in the drawing, not drawn: %s", strings.Join(names, ", ")))
	}
	if b.splines > 0 {
		b.warn = append(b.warn, geo.Warnf("%d HATCH spline edges drawn through their fit or control points (not within the arc tolerance)", b.splines))
	}
	if len(d.skipped) > 0 {
		var ks []string
		for k, n := range d.skipped {
			ks = append(ks, fmt.Sprintf("%s×%d", k, n))
		}
		sort.Strings(ks)
		b.warn = append(b.warn, geo.Warnf("entities not read (no 2D feature type for them): %s", strings.Join(ks, ", ")))
	}
	src.Warnings = b.warn
	return src, nil
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

func (b *builder) addVertices(n int) bool {
	b.vertices += n
	if b.vertices > b.opt.MaxVertices {
		b.err = fmt.Errorf("more than %d vertices after arc densification and block expansion", b.opt.MaxVertices)
		return false
	}
	return true
}

func mapPts(pts []orb.Point, t affine) []orb.Point {
	if t.isIdentity() {
		return pts
	}
	for i, p := range pts {
		pts[i] = t.apply(p)
	}
	return pts
}

// props resolves an entity's layer, color and linetype in its context.
func (b *builder) props(e *entity, ctx context) (layer string, color int, linetype string) {
	dec := b.d.dec
	layer = dec.decode(e.layer)
	if layer == "" {
		layer = "0"
	}
	if ctx.inBlock && layer == "0" {
		layer = ctx.layer
	}
	ld, ok := b.layerDef[strings.ToUpper(layer)]
	if !ok {
		ld = layerDef{color: 7, linetype: "CONTINUOUS"}
	}
	switch color = e.color; {
	case color == 256 || color < 0:
		color = ld.color
		if color < 0 {
			color = -color // a negative layer colour means the layer is off
		}
	case color == 0:
		color = ctx.color
	}
	linetype = dec.decode(e.linetype)
	switch strings.ToUpper(linetype) {
	case "", "BYLAYER":
		linetype = ld.linetype
		if linetype == "" {
			linetype = "CONTINUOUS"
		}
	case "BYBLOCK":
		linetype = ctx.linetype
	}
	return layer, color, linetype
}

func (b *builder) emit(e *entity, ctx context) {
	layer, color, linetype := b.props(e, ctx)
	m := e.ocs.then(ctx.t)
	tol := b.tol / m.scaleOf()
	sh := shape{entity: e.kind, id: ctx.idPrefix + e.handle, layer: layer, color: color, linetype: linetype}
	keep := b.keep == nil || b.keep[strings.ToUpper(layer)]
	switch e.kind {
	case "LWPOLYLINE", "POLYLINE":
		if e.polyface {
			b.d.skipped[e.kind+" (mesh)"]++
			return
		}
		pts, bulges := e.pts, e.bulges
		closed := e.closed
		if len(pts) >= 2 && pts[0] == pts[len(pts)-1] {
			closed = true
			pts, bulges = pts[:len(pts)-1], bulges[:len(pts)-1]
		}
		if len(pts) < 2 || !keep {
			return
		}
		if closed && (len(pts) >= 3 || anyNonZero(bulges)) {
			sh.kind = shapeRing
		} else {
			sh.kind, closed = shapeLine, false
		}
		sh.pts = mapPts(polylinePoints(pts, bulges, closed, tol), m)
		if sh.kind == shapeRing && len(sh.pts) < 4 {
			sh.kind = shapeLine
		}
	case "LINE":
		if !keep {
			return
		}
		sh.kind, sh.pts = shapeLine, mapPts([]orb.Point{e.pts[0], e.pts[1]}, ctx.t)
	case "POINT":
		if !keep {
			return
		}
		sh.kind, sh.pts = shapePoint, mapPts([]orb.Point{e.pts[0]}, ctx.t)
	case "ARC":
		if !keep || !(e.radius > 0) {
			return
		}
		sh.kind, sh.pts = shapeLine, mapPts(arcLine(e.center, e.radius, e.a0, e.a1, true, tol), m)
	case "CIRCLE":
		if !keep || !(e.radius > 0) {
			return
		}
		sh.kind, sh.pts = shapeLine, mapPts(circleRing(e.center, e.radius, tol), m)
		if b.opt.CloseCircles {
			sh.kind = shapeRing
		}
	case "ELLIPSE":
		if !keep {
			return
		}
		t0, t1 := e.a0, e.a1
		if t0 == t1 || math.Abs(t1-t0) >= 2*math.Pi {
			t0, t1 = 0, 2*math.Pi
		}
		tol = b.tol / ctx.t.scaleOf()
		sh.kind, sh.pts = shapeLine, mapPts(ellipseLine(e.center, e.major, e.ratio, t0, t1, true, tol), ctx.t)
	case "HATCH":
		if !keep {
			return
		}
		var rings []orb.Ring
		n := 0
		for _, p := range e.paths {
			r, approx := p.ring(tol)
			if approx {
				b.splines++
			}
			if len(r) < 4 {
				continue
			}
			n += len(r)
			rings = append(rings, orb.Ring(mapPts(r, m)))
		}
		if len(rings) == 0 {
			return
		}
		if !b.addVertices(n) {
			return
		}
		g, notes := geo.AssembleRings(rings, geo.ByNesting)
		for _, nt := range notes {
			b.warn = append(b.warn, nt.Warning("HATCH "+sh.id+": "))
		}
		sh.kind, sh.geom = shapePolygon, g
		b.shapes = append(b.shapes, sh)
		return
	case "TEXT", "MTEXT", "ATTRIB":
		t := plainText(b.d.dec.decode(e.text), e.kind == "MTEXT")
		if t == "" {
			return
		}
		at := e.pts[0]
		if e.kind == "MTEXT" {
			at = ctx.t.apply(at)
		} else {
			at = m.apply(at)
		}
		b.texts = append(b.texts, textItem{at: at, text: t})
		return
	case "INSERT":
		b.insert(e, ctx, layer, color, linetype)
		return
	default:
		b.d.skipped[e.kind]++
		return
	}
	if !b.addVertices(len(sh.pts)) {
		return
	}
	b.shapes = append(b.shapes, sh)
}

// maxInsertCopies caps the copies of one INSERT array (rows × columns).
const maxInsertCopies = 100_000

func (b *builder) insert(e *entity, ctx context, layer string, color int, linetype string) {
	for _, a := range e.attribs {
		b.emit(a, context{t: ctx.t, inBlock: ctx.inBlock, layer: ctx.layer, color: ctx.color, linetype: ctx.linetype, idPrefix: ctx.idPrefix, depth: ctx.depth})
	}
	if b.opt.NoBlocks {
		return
	}
	name := b.d.dec.decode(e.block)
	blk, ok := b.d.blocks[strings.ToUpper(e.block)]
	if !ok {
		b.missing[name]++
		return
	}
	if ctx.depth >= maxBlockDepth {
		if !b.deepWarn {
			b.deepWarn = true
			b.warn = append(b.warn, geo.Warnf("INSERT %s (block %q): blocks nest deeper than %d (blocks inserting each other?): the deeper levels are not drawn", e.handle, name, maxBlockDepth))
		}
		return
	}
	p := e.ins
	cols, rows := max(p.cols, 1), max(p.rows, 1)
	if cols*rows > maxInsertCopies || cols > maxInsertCopies || rows > maxInsertCopies {
		b.err = fmt.Errorf("line %d: INSERT %s: %d × %d copies, more than %d", e.line, e.handle, cols, rows, maxInsertCopies)
		return
	}
	s, c := math.Sincos(p.rot * math.Pi / 180)
	for i := 0; i < cols; i++ {
		for j := 0; j < rows; j++ {
			// block → insert OCS: (q − base)·scale + array offset, rotated, moved to at.
			dx, dy := float64(i)*p.colSp, float64(j)*p.rowSp
			local := affine{a: p.sx, b: 0, c: -blk.base[0]*p.sx + dx, d: 0, e: p.sy, f: -blk.base[1]*p.sy + dy}
			rot := affine{a: c, b: -s, c: p.at[0], d: s, e: c, f: p.at[1]}
			t := local.then(rot).then(e.ocs).then(ctx.t)
			sub := context{t: t, inBlock: true, layer: layer, color: color, linetype: linetype,
				idPrefix: ctx.idPrefix + e.handle + "/", depth: ctx.depth + 1}
			for _, be := range blk.entities {
				b.emit(be, sub)
				if b.err != nil {
					return
				}
			}
		}
	}
}

func anyNonZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return true
		}
	}
	return false
}
