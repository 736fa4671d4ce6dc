package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// Bar chart geometry, in SVG user units.
const (
	barLeft  = 170.0 // region names to the left of this
	barRight = 640.0 // values to the right of this
	barRow   = 24.0
	barTop   = 28.0
)

type sharePage struct {
	Lang               Lang
	Title, Note        string
	Generated, Version string
	AreaMethod         string
	Sources            []Source
	Layers             []shareView
	Scorecard          []indicatorRow
	ScorecardTitle     string
}

type shareView struct {
	Layer, Features, Target string
	Whole                   bool
	Total                   regionRow
	Regions                 []regionRow
	Chart                   *barChart
	Map                     *siteMap
	By                      string          // the class field of share --by
	Classes                 []shareClassRow // region × class, then the totals
	Warnings                []string        // regions whose classes overlap
}

type shareClassRow struct {
	Region, Class, Ha, Mu, Share, OfCovered string
	Total                                   bool
}

type regionRow struct {
	No                          int // 1-based, as people count; 0 for the total
	ID, Name, Area, Covered, Ha string
	Mu, Share, Meets            string
	Missed                      bool
}

type barChart struct {
	H, TargetX float64
	Target     string
	Bars       []bar
	Ticks      []tick
	Legend     []legendEntry // the classes of stacked bars
}

type bar struct {
	Y, W         float64
	Label, Value string
	Fill         string
	Segs         []barSeg // by class (share --by): drawn instead of one rect
}

type tick struct {
	X    float64
	Text string
}

type indicatorRow struct {
	ID, Name, Value, Target, Meets, Note string
	Missed                               bool
}

// WriteShareHTML writes the share report as one self-contained HTML page:
// a cover with the data sources, then per layer a bar chart of each
// region's share against the target, a map of the regions shaded by share,
// and the table; then the scorecard, if any. Regions without geometry
// (read back from JSON) get no map.
func WriteShareHTML(w io.Writer, rep Share, meta Meta, lang Lang) error {
	p := sharePage{Lang: lang, Title: meta.Title, Note: meta.Note, Version: meta.Version, Sources: meta.Sources}
	if p.Title == "" {
		p.Title = tr(lang, "面积占比报告", "Area share report")
	}
	if !meta.Generated.IsZero() {
		p.Generated = meta.Generated.Format("2006-01-02 15:04:05 MST")
	}
	for _, r := range rep.Results {
		p.AreaMethod = areaMethodText(lang, r.AreaMethod)
		p.Layers = append(p.Layers, shareViewOf(lang, r))
	}
	if sc := rep.Scorecard; sc != nil {
		p.ScorecardTitle = pick(lang, sc.Title, sc.TitleEN)
		for _, in := range sc.Indicators {
			row := indicatorRow{ID: in.ID, Name: pick(lang, in.Name, in.NameEN), Target: "≥ " + indicatorValue(in.Target, in.Unit),
				Meets: targetText(lang, in.MeetsTarget), Missed: in.MeetsTarget != nil && !*in.MeetsTarget, Note: in.Note}
			if in.Value != nil {
				row.Value = indicatorValue(*in.Value, in.Unit)
			}
			p.Scorecard = append(p.Scorecard, row)
		}
	}
	bw := bufio.NewWriter(w)
	if err := templates.ExecuteTemplate(bw, "share.html.tmpl", p); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return bw.Flush()
}

func indicatorValue(x float64, unit string) string {
	if unit == "pct" {
		return FormatNumber(x, 2) + " %"
	}
	return FormatNumber(x/1e4, 2) + " ha"
}

// targetText says whether a target is met, for reports people read.
func targetText(lang Lang, b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return tr(lang, "达标", "met")
	}
	return tr(lang, "未达标", "missed")
}

func shareViewOf(lang Lang, r *analysis.ShareResult) shareView {
	v := shareView{Layer: r.Layer, Features: FormatNumber(float64(r.Features), 0), Target: r.Target, Whole: r.Whole}
	row := func(no int, id, name string, area, covered, share float64, meets *bool) regionRow {
		return regionRow{No: no, ID: id, Name: name, Area: FormatNumber(area, 2), Covered: FormatNumber(covered, 2),
			Ha: FormatNumber(covered/1e4, 4), Mu: FormatNumber(covered/analysis.MuM2, 2), Share: FormatNumber(share, 2),
			Meets: targetText(lang, meets), Missed: meets != nil && !*meets}
	}
	t := r.Total
	v.Total = row(0, "", tr(lang, "合计", "total"), t.AreaM2, t.CoveredM2, t.SharePct, t.MeetsTarget)
	for _, g := range r.Regions {
		v.Regions = append(v.Regions, row(g.Index+1, g.ID, g.Name, g.AreaM2, g.CoveredM2, g.SharePct, g.MeetsTarget))
	}
	if !r.Whole {
		v.Chart = shareChart(lang, r)
		v.Map = shareMap(lang, r)
	}
	if shareByClass(r) {
		v.By = r.By
		cr := func(region string, c analysis.ClassShare, total bool) shareClassRow {
			return shareClassRow{Region: region, Class: classText(lang, c.Value, c.Code, false), Ha: FormatNumber(c.CoveredM2/1e4, 4),
				Mu: FormatNumber(c.CoveredM2/analysis.MuM2, 2), Share: FormatNumber(c.SharePct, 2), OfCovered: FormatNumber(c.OfCovered, 2), Total: total}
		}
		for _, g := range r.Regions {
			for _, c := range g.Classes {
				v.Classes = append(v.Classes, cr(regionText(g.Index, g.ID, g.Name), c, false))
			}
		}
		for _, c := range r.Total.Classes {
			v.Classes = append(v.Classes, cr(tr(lang, "合计", "total"), c, true))
		}
		v.Warnings = geo.WarningMessages(ShareWarnings(lang, r))
	}
	return v
}

// shareChart draws one bar per region and one for the total, with the
// target as a vertical line.
func shareChart(lang Lang, r *analysis.ShareResult) *barChart {
	top := r.Total.SharePct
	for _, g := range r.Regions {
		top = math.Max(top, g.SharePct)
	}
	if r.TargetPct != nil {
		top = math.Max(top, *r.TargetPct)
	}
	step := niceStep(math.Max(top, 1) / 5)
	top = math.Min(100, step*math.Ceil(top*1.05/step))
	if top <= 0 {
		top = 100
	}
	x := func(pct float64) float64 { return barLeft + (barRight-barLeft)*math.Min(pct, top)/top }
	c := &barChart{}
	add := func(label string, share float64, meets *bool, total bool) {
		fill := "#4a8fa8"
		switch {
		case meets != nil && *meets:
			fill = "#2e7d32"
		case meets != nil:
			fill = "#c62828"
		}
		if total {
			fill = "#37474f"
			if meets != nil && !*meets {
				fill = "#8e0000"
			}
		}
		c.Bars = append(c.Bars, bar{Y: barTop + float64(len(c.Bars))*barRow, W: x(share) - barLeft,
			Label: shorten(label, 14), Value: FormatNumber(share, 2) + " %", Fill: fill})
	}
	for _, g := range r.Regions {
		name := g.Name
		if name == "" {
			name = g.ID
		}
		add(name, g.SharePct, g.MeetsTarget, false)
	}
	add(tr(lang, "合计", "total"), r.Total.SharePct, r.Total.MeetsTarget, true)
	c.H = barTop + float64(len(c.Bars))*barRow + 26
	for v := 0.0; v <= top+1e-9; v += step {
		c.Ticks = append(c.Ticks, tick{X: x(v), Text: strconv.FormatFloat(v, 'f', -1, 64) + "%"})
	}
	if r.TargetPct != nil {
		c.TargetX = x(*r.TargetPct)
		c.Target = tr(lang, "目标 ", "target ") + FormatNumber(*r.TargetPct, 2) + " %"
	}
	if shareByClass(r) {
		c.Legend = stackBars(lang, c, r, x)
	}
	return c
}

// niceStep rounds x up to 1, 2, 2.5 or 5 × 10ⁿ.
func niceStep(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, k := range []float64{1, 2, 2.5, 5, 10} {
		if k*p >= x {
			return k * p
		}
	}
	return 10 * p
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// shareClasses are the fills of the share classes on the map, light to dark.
var shareClasses = []string{"#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"}

// shareMap shades each region by its share in five equal classes up to the
// largest share; regions missing the target are outlined in red.
func shareMap(lang Lang, r *analysis.ShareResult) *siteMap {
	var b orb.Bound
	first := true
	top := 0.0
	for _, g := range r.Regions {
		if g.Geom == nil {
			continue
		}
		if first {
			b, first = g.Geom.Bound(), false
		} else {
			b = b.Union(g.Geom.Bound())
		}
		top = math.Max(top, g.SharePct)
	}
	if first {
		return nil
	}
	step := niceStep(math.Max(top, 0.5) / float64(len(shareClasses)))
	v := newView(padBound(b, 0.03, 0))
	m := &siteMap{}
	var boxes [][4]float64
	for _, g := range r.Regions {
		if g.Geom == nil {
			continue
		}
		k := min(len(shareClasses)-1, int(g.SharePct/step))
		it := mapItem{D: pathData(v, g.Geom), Class: "region", Fill: shareClasses[k], FillOpacity: 1, Stroke: "#555", Width: 0.8,
			Title: g.Name + " " + FormatNumber(g.SharePct, 2) + " %"}
		if g.MeetsTarget != nil && !*g.MeetsTarget {
			it.Stroke, it.Width = "#c62828", 2
		}
		m.Items = append(m.Items, it)
		gb := g.Geom.Bound()
		x1, y1 := v.xy(orb.Point{gb.Min[0], gb.Max[1]})
		x2, y2 := v.xy(orb.Point{gb.Max[0], gb.Min[1]})
		text := shorten(g.Name, 8) + " " + FormatNumber(g.SharePct, 1) + "%"
		w := float64(utf8.RuneCountInString(text))*8 + 8
		if x2-x1 < w*0.8 || y2-y1 < 20 {
			continue
		}
		if lb, ok := placeLabel(boxes, (x1+x2)/2, (y1+y2)/2, w); ok {
			boxes = append(boxes, lb)
			m.Labels = append(m.Labels, mapLabel{X: lb[0], Y: lb[1], W: w, Text: text})
		}
	}
	for k, fill := range shareClasses {
		lo, hi := float64(k)*step, float64(k+1)*step
		label := FormatNumber(lo, 1) + "–" + FormatNumber(hi, 1) + " %"
		if k == len(shareClasses)-1 {
			label = "≥ " + FormatNumber(lo, 1) + " %"
		}
		m.Legend = append(m.Legend, legendEntry{Label: label, Fill: fill, Stroke: "#555"})
	}
	if r.TargetPct != nil {
		m.Legend = append(m.Legend, legendEntry{Label: tr(lang, "未达目标", "below target"), Fill: "none", Stroke: "#c62828"})
	}
	m.Scale = scaleBar(v)
	return m
}
