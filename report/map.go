package report

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// Size of a site map in SVG user units (a 3:2 frame), and the most
// constraint features one map draws.
const (
	mapW           = 720.0
	mapH           = 480.0
	mapMaxFeatures = 600
)

// siteMap is one site's SVG map: every item is drawn as exactly one <path>.
type siteMap struct {
	Items   []mapItem
	Leaders []mapLeader
	Labels  []mapLabel
	Scale   mapScale
	Legend  []legendEntry
	Omitted int // features in view not drawn (over mapMaxFeatures)
}

type mapItem struct {
	D, Class, Fill, Stroke, Dash, Title string
	FillOpacity, Width                  float64
}

type mapLeader struct{ X1, Y1, X2, Y2 float64 }

type mapLabel struct {
	X, Y, W float64
	Text    string
}

type mapScale struct {
	X, Y, Px float64
	Text     string
}

type legendEntry struct {
	Label, Fill, Stroke, Dash string
	Line                      bool
}

// view maps lon/lat to the SVG plane with a local equirectangular scale at
// the view's centre (metres per degree measured geodesically), so that
// shapes keep their proportions.
type view struct {
	bound          orb.Bound
	cLon, cLat     float64
	kx, ky, mPerPx float64
}

func newView(b orb.Bound) view {
	c := b.Center()
	v := view{cLon: c[0], cLat: c[1]}
	v.kx, v.ky = geo.MetresPerDegree(c[1])
	ex, ey := (b.Max[0]-b.Min[0])*v.kx, (b.Max[1]-b.Min[1])*v.ky
	v.mPerPx = math.Max(math.Max(ex/mapW, ey/mapH), 0.05)
	hx, hy := mapW/2*v.mPerPx/v.kx, mapH/2*v.mPerPx/v.ky
	v.bound = orb.Bound{Min: orb.Point{c[0] - hx, c[1] - hy}, Max: orb.Point{c[0] + hx, c[1] + hy}}
	return v
}

func (v view) xy(p orb.Point) (float64, float64) {
	return mapW/2 + (p[0]-v.cLon)*v.kx/v.mPerPx, mapH/2 - (p[1]-v.cLat)*v.ky/v.mPerPx
}

// padBound grows b by frac of its size on each side, and by at least minM metres.
func padBound(b orb.Bound, frac, minM float64) orb.Bound {
	v := newView(b)
	dx := math.Max((b.Max[0]-b.Min[0])*frac, minM/v.kx)
	dy := math.Max((b.Max[1]-b.Min[1])*frac, minM/v.ky)
	return orb.Bound{Min: orb.Point{b.Min[0] - dx, b.Min[1] - dy}, Max: orb.Point{b.Max[0] + dx, b.Max[1] + dy}}
}

// buildSiteMap draws a site, the constraint features in view, the overlap
// pieces and the nearby features with their distances.
func buildSiteMap(s *analysis.SiteResult, layers []*analysis.Constraint, lang Lang) *siteMap {
	if s.Geom == nil {
		return nil
	}
	type ref struct {
		layer string
		index int
	}
	layerOf := map[string]*analysis.Constraint{}
	for _, c := range layers {
		layerOf[c.Name] = c
	}
	near := map[ref]analysis.Nearby{}
	b := padBound(s.Geom.Bound(), 0.3, 60)
	// Nearby features come into view when a rule names them or when they
	// are no farther than the site is wide (else the site would shrink to
	// a dot); the tables list them all.
	sv := newView(s.Geom.Bound())
	reachM := math.Max(200, math.Max((b.Max[0]-b.Min[0])*sv.kx, (b.Max[1]-b.Min[1])*sv.ky))
	type leader struct {
		a, b orb.Point
		d    float64
	}
	var leaders []leader
	for _, n := range s.Nearby {
		near[ref{n.Layer, n.FeatureIndex}] = n
		c := layerOf[n.Layer]
		if c == nil || n.DistanceM == 0 || (n.RuleID == "" && n.DistanceM > reachM) {
			continue
		}
		if n.SitePoint == n.FeaturePoint {
			continue // no nearest points kept (a result read back from JSON)
		}
		leaders = append(leaders, leader{n.SitePoint, n.FeaturePoint, n.DistanceM})
		b = b.Extend(n.FeaturePoint)
	}
	v := newView(padBound(b, 0.12, 0))
	m := &siteMap{}
	legend := map[string]bool{}
	addLegend := func(e legendEntry) {
		if !legend[e.Label] {
			legend[e.Label] = true
			m.Legend = append(m.Legend, e)
		}
	}
	addLegend(legendEntry{Label: tr(lang, "项目地块", "site"), Fill: "none", Stroke: siteStroke})
	clipBox := padBound(v.bound, 0.02, 0)
	drawn := 0
	for _, c := range layers {
		var idx []int
		c.Layer.Candidates(v.bound, func(i int, _ *geo.Feature) bool { idx = append(idx, i); return true })
		sort.Ints(idx)
		for _, i := range idx {
			f := &c.Layer.Features[i]
			d := pathData(v, clipGeom(clipBox, f.Geom))
			if d == "" {
				continue
			}
			if drawn == mapMaxFeatures {
				m.Omitted++
				continue
			}
			drawn++
			st := styleOf(c.Kind, c.Zones[i])
			it := mapItem{D: d, Class: "feat", Fill: st.fill, FillOpacity: 0.28, Stroke: st.stroke, Width: 1,
				Title: c.Name + " " + zoneTextKind(lang, c.Kind, c.Zones[i]) + " " + featureLabel(f.ID, c.Names[i], f.Index)}
			if !geo.IsPolygonal(f.Geom) {
				it.Fill, it.Width = "none", 2
			}
			if n, ok := near[ref{c.Name, f.Index}]; ok {
				it.Dash, it.Stroke, it.Width = "6 4", "#222", 2
				it.Title += " · " + distanceText(lang, n)
				addLegend(legendEntry{Label: tr(lang, "邻近要素（虚线）", "nearby feature (dashed)"), Fill: "none", Stroke: "#222", Dash: "6 4"})
			}
			m.Items = append(m.Items, it)
			addLegend(legendEntry{Label: layerZoneLabel(lang, c, c.Zones[i]), Fill: st.fill, Stroke: st.stroke})
		}
	}
	for _, cn := range s.Conflicts {
		d := pathData(v, clipGeom(clipBox, cn.Piece.Orb()))
		if d == "" {
			continue
		}
		col := verdictColor(cn.Verdict.String())
		it := mapItem{D: d, Class: "piece", Fill: col, FillOpacity: 0.75, Stroke: col, Width: 1,
			Title: cn.Layer + " " + zoneTextKind(lang, cn.Kind, cn.Zone) + " · " + VerdictText(lang, cn.Verdict.String())}
		if cn.Piece.Dimension() < 2 {
			it.Fill, it.Width = "none", 5
		}
		m.Items = append(m.Items, it)
		addLegend(legendEntry{Label: tr(lang, "重叠部分：", "overlap: ") + VerdictText(lang, cn.Verdict.String()), Fill: col, Stroke: col})
	}
	site := mapItem{D: pathData(v, s.Geom), Class: "site", Fill: "none", Stroke: siteStroke, Width: 2.5,
		Title: featureLabel(s.ID, s.Name, s.Index+1)} // sites are numbered from 1, as in the heading
	if s.GeometryType == "Point" || s.GeometryType == "MultiPoint" {
		site.Fill, site.FillOpacity = siteStroke, 1
	}
	m.Items = append(m.Items, site)
	var boxes [][4]float64
	for _, l := range leaders {
		x1, y1 := v.xy(l.a)
		x2, y2 := v.xy(l.b)
		m.Leaders = append(m.Leaders, mapLeader{x1, y1, x2, y2})
		text := FormatNumber(l.d, 0) + " m"
		w := float64(len(text))*6.6 + 8
		if lb, ok := placeLabel(boxes, (x1+x2)/2, (y1+y2)/2, w); ok {
			boxes = append(boxes, lb)
			m.Labels = append(m.Labels, mapLabel{X: lb[0], Y: lb[1], W: w, Text: text})
		}
	}
	m.Scale = scaleBar(v)
	return m
}

// siteStroke outlines the site.
const siteStroke = "#111111"

// placeLabel finds room for a label of width w near (x, y) that overlaps no
// placed label and stays inside the frame; it returns the box (x, y, w, h).
func placeLabel(boxes [][4]float64, x, y, w float64) ([4]float64, bool) {
	const h = 16
	for _, dy := range []float64{0, -18, 18, -36, 36, -54, 54} {
		b := [4]float64{math.Min(math.Max(x-w/2, 2), mapW-w-2), math.Min(math.Max(y-h/2+dy, 2), mapH-h-40), w, h}
		free := true
		for _, o := range boxes {
			if b[0] < o[0]+o[2] && o[0] < b[0]+b[2] && b[1] < o[1]+o[3] && o[1] < b[1]+b[3] {
				free = false
				break
			}
		}
		if free {
			return b, true
		}
	}
	return [4]float64{}, false
}

// scaleBar picks a round length (1, 2 or 5 × 10ⁿ m) near a fifth of the
// map's width.
func scaleBar(v view) mapScale {
	target := mapW / 5 * v.mPerPx
	p := math.Pow(10, math.Floor(math.Log10(target)))
	m := p
	for _, k := range []float64{2, 5, 10} {
		if k*p <= target {
			m = k * p
		}
	}
	text := FormatNumber(m, 0) + " m"
	if m >= 1000 {
		text = strconv.FormatFloat(m/1000, 'f', -1, 64) + " km"
	}
	return mapScale{X: 16, Y: mapH - 18, Px: m / v.mPerPx, Text: text}
}

// clipGeom clips a copy of g to b (orb/clip modifies its input).
func clipGeom(b orb.Bound, g orb.Geometry) orb.Geometry {
	if g == nil || !g.Bound().Intersects(b) {
		return nil
	}
	if b.Contains(g.Bound().Min) && b.Contains(g.Bound().Max) {
		return g
	}
	return clip.Geometry(b, orb.Clone(g))
}

// pathData renders g as SVG path data in v, dropping vertices closer than
// half a unit to the previous one. Points become small circles.
func pathData(v view, g orb.Geometry) string {
	var sb strings.Builder
	num := func(x float64) { sb.WriteString(strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)) }
	line := func(pts []orb.Point, closed bool) {
		if len(pts) < 2 {
			return
		}
		var lx, ly float64
		n := 0
		for i, p := range pts {
			x, y := v.xy(p)
			if i > 0 && i < len(pts)-1 && math.Abs(x-lx) < 0.5 && math.Abs(y-ly) < 0.5 {
				continue
			}
			if n == 0 {
				sb.WriteByte('M')
			} else {
				sb.WriteByte('L')
			}
			num(x)
			sb.WriteByte(' ')
			num(y)
			lx, ly = x, y
			n++
		}
		if closed {
			sb.WriteByte('Z')
		}
	}
	point := func(p orb.Point) {
		x, y := v.xy(p)
		sb.WriteByte('M')
		num(x - 4)
		sb.WriteByte(' ')
		num(y)
		sb.WriteString("a4 4 0 1 0 8 0a4 4 0 1 0 -8 0Z")
	}
	var walk func(g orb.Geometry)
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Point:
			point(g)
		case orb.MultiPoint:
			for _, p := range g {
				point(p)
			}
		case orb.LineString:
			line(g, false)
		case orb.MultiLineString:
			for _, l := range g {
				line(l, false)
			}
		case orb.Ring:
			if len(g) >= 4 {
				line(g, true)
			}
		case orb.Polygon:
			for _, r := range g {
				walk(r)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		case orb.Collection:
			for _, c := range g {
				walk(c)
			}
		case orb.Bound:
			walk(g.ToPolygon())
		}
	}
	walk(g)
	return sb.String()
}

func distanceText(lang Lang, n analysis.Nearby) string {
	if n.Touching {
		return tr(lang, "相接", "touching")
	}
	return FormatNumber(n.DistanceM, 0) + " m"
}

func layerZoneLabel(lang Lang, c *analysis.Constraint, zone string) string {
	name := layerLabel(lang, c.Name, c.Kind)
	if zone == "" {
		return name
	}
	return name + " · " + zoneTextKind(lang, c.Kind, zone)
}
