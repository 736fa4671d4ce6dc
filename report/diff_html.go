package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// diffLedgerMax is the most ledger rows the HTML report lists (the xlsx
// ledger has them all).
const diffLedgerMax = 500

// Colours of the diff maps.
const (
	diffAddedFill   = "#2e7d32"
	diffRemovedFill = "#c62828"
	diffOldStroke   = "#6d4c41"
	diffNewStroke   = "#1565c0"
)

type diffPage struct {
	Lang               Lang
	Title, Note        string
	Generated, Version string
	AreaMethod         string
	Sources            []Source
	Total              diffRow
	Regions            []diffRow
	Maps               []diffMapView
	ClassField         string
	ClassTables        []htmlTable
	Counts             string
	Features           []diffFeatureRow
	Ledger             []diffPieceRow
	LedgerOmitted      int
	Pieces             int
	Slivers            string
	Losses             []string
}

type diffRow struct {
	No, ID, Name, Area, Old, New, Added, Removed, Kept, Net, NetMu, OldPct, NewPct string
	Loss                                                                           bool
}

type diffMapView struct {
	Title string
	Row   diffRow
	Map   *siteMap
}

type htmlTable struct {
	Title  string
	Header []string
	Rows   [][]string
}

type diffFeatureRow struct{ ID, Status, Old, New, OldHa, NewHa, Added, Removed string }

type diffPieceRow struct{ No, Type, M2, Ha, Mu, Region, Class, Lon, Lat, From string }

func diffRowOf(no string, a analysis.DiffArea) diffRow {
	r := diffRow{No: no, ID: a.ID, Name: a.Name, Old: ha(a.OldM2), New: ha(a.NewM2), Added: ha(a.AddedM2), Removed: ha(a.RemovedM2),
		Kept: ha(a.KeptM2), Net: ha(a.NetM2), NetMu: mu(a.NetM2), OldPct: sharePtr(a.OldSharePct), NewPct: sharePtr(a.NewSharePct), Loss: a.NetM2 < 0}
	if a.AreaM2 > 0 {
		r.Area = ha(a.AreaM2)
	}
	return r
}

// WriteDiffHTML writes the comparison as one self-contained printable HTML
// page: a cover with the sources, the totals and whether the area fell;
// per region a map (old and new outlines, added and removed pieces in two
// colours) with its figures; the land-class tables, the changed features
// and the ledger. old and new are the compared layers, for the outlines.
func WriteDiffHTML(w io.Writer, res *analysis.DiffResult, old, new *geo.Layer, meta Meta, lang Lang) error {
	p := diffPage{Lang: lang, Title: meta.Title, Note: meta.Note, Version: meta.Version, Sources: meta.Sources,
		AreaMethod: areaMethodText(lang, res.AreaMethod), ClassField: res.ClassField, Pieces: res.Pieces, Losses: res.Losses(true)}
	if p.Title == "" {
		p.Title = tr(lang, "生态保护红线调整对比报告", "Red-line adjustment report")
	}
	if !meta.Generated.IsZero() {
		p.Generated = meta.Generated.Format("2006-01-02 15:04:05 MST")
	}
	p.Total = diffRowOf("", res.Total)
	p.Total.Name = totalName(lang, res)
	for i, g := range res.Regions {
		row := diffRowOf(ordinal(i), g)
		p.Regions = append(p.Regions, row)
		if g.Geom != nil {
			p.Maps = append(p.Maps, diffMapView{Title: regionText(i, g.ID, g.Name), Row: row,
				Map: diffMap(lang, geo.BoundOf(g.Geom), g.Geom, old, new, res.Ledger, i)})
		}
	}
	if len(res.Regions) == 0 {
		b := old.Bound().Union(new.Bound())
		p.Maps = append(p.Maps, diffMapView{Title: totalName(lang, res), Row: p.Total, Map: diffMap(lang, b, nil, old, new, res.Ledger, -1)})
	}
	if len(res.Classes) > 0 {
		for _, typ := range []string{analysis.PieceAdded, analysis.PieceRemoved} {
			t := classTable(res, typ, lang)
			p.ClassTables = append(p.ClassTables, htmlTable{Title: PieceTypeText(lang, typ), Header: t.Header, Rows: t.Rows})
		}
	}
	counts := map[string]int{}
	for _, f := range res.Features {
		counts[f.Status]++
		if f.Status == analysis.FeatureUnchanged {
			continue
		}
		p.Features = append(p.Features, diffFeatureRow{ID: f.ID, Status: FeatureStatusText(lang, f.Status), Old: indexList(f.OldIndex),
			New: indexList(f.NewIndex), OldHa: ha(f.OldM2), NewHa: ha(f.NewM2), Added: ha(f.AddedM2), Removed: ha(f.RemovedM2)})
	}
	for _, s := range []string{analysis.FeatureAdded, analysis.FeatureRemoved, analysis.FeatureChanged, analysis.FeatureUnchanged} {
		p.Counts += fmt.Sprintf("%s %d  ", FeatureStatusText(lang, s), counts[s])
	}
	for k, q := range res.Ledger {
		if k == diffLedgerMax {
			p.LedgerOmitted = len(res.Ledger) - k
			break
		}
		from := q.NewIDs
		if q.Type == analysis.PieceRemoved {
			from = q.OldIDs
		}
		class := q.Class
		if res.ClassField != "" {
			class = diffClassText(lang, q.Class)
		}
		p.Ledger = append(p.Ledger, diffPieceRow{No: fmt.Sprint(q.Number), Type: PieceTypeText(lang, q.Type), M2: FormatNumber(q.AreaM2, 2),
			Ha: ha(q.AreaM2), Mu: mu(q.AreaM2), Region: q.RegionName, Class: class, Lon: fmt.Sprintf("%.6f", q.Lon),
			Lat: fmt.Sprintf("%.6f", q.Lat), From: joinIDs(from)})
	}
	if s := res.Slivers; s.AddedCount+s.RemovedCount > 0 {
		p.Slivers = fmt.Sprintf(tr(lang, "小于 %s m² 的碎片 %d 个（调入 %s m²，调出 %s m²）已计入面积，不列入台账。",
			"%[2]d slivers under %[1]s m² (added %[3]s m², removed %[4]s m²) are counted in the areas, not listed in the ledger."),
			FormatNumber(res.MinAreaM2, 2), s.AddedCount+s.RemovedCount, FormatNumber(s.AddedM2, 2), FormatNumber(s.RemovedM2, 2))
	}
	bw := bufio.NewWriter(w)
	if err := templates.ExecuteTemplate(bw, "diff.html.tmpl", p); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return bw.Flush()
}

func joinIDs(ids []string) string {
	s := ""
	for k, id := range ids {
		if k > 0 {
			s += ", "
		}
		s += id
	}
	return s
}

// diffMap draws one region (nil: no outline): the old and new features in
// view as outlines, and the ledger pieces of region (−1: all pieces).
func diffMap(lang Lang, b orb.Bound, region orb.Geometry, old, new *geo.Layer, pieces []analysis.DiffPiece, ri int) *siteMap {
	v := newView(padBound(b, 0.03, 50))
	m := &siteMap{}
	if region != nil {
		m.Items = append(m.Items, mapItem{D: pathData(v, clipGeom(v.bound, region)), Class: "region", Fill: "#fafaf5", FillOpacity: 1,
			Stroke: "#555", Width: 1.2})
	}
	drawn := 0
	outline := func(l *geo.Layer, stroke, dash, title string) {
		l.Candidates(v.bound, func(_ int, f *geo.Feature) bool {
			if drawn >= mapMaxFeatures {
				m.Omitted++
				return true
			}
			g := clipGeom(v.bound, f.Geom)
			if g == nil {
				return true
			}
			drawn++
			m.Items = append(m.Items, mapItem{D: pathData(v, g), Class: "outline", Fill: "none", Stroke: stroke, Width: 1.1, Dash: dash,
				Title: title + " " + featureLabel(f.ID, "", f.Index)})
			return true
		})
	}
	for _, p := range pieces {
		if ri >= 0 && p.Region != ri {
			continue
		}
		fill := diffAddedFill
		if p.Type == analysis.PieceRemoved {
			fill = diffRemovedFill
		}
		g := clipGeom(v.bound, p.Geom)
		if g == nil {
			continue
		}
		m.Items = append(m.Items, mapItem{D: pathData(v, g), Class: "piece", Fill: fill, FillOpacity: 0.65, Stroke: fill, Width: 0.6,
			Title: fmt.Sprintf("%d %s %s m²", p.Number, PieceTypeText(lang, p.Type), FormatNumber(p.AreaM2, 2))})
	}
	outline(old, diffOldStroke, "5 3", tr(lang, "调整前", "old"))
	outline(new, diffNewStroke, "", tr(lang, "调整后", "new"))
	m.Legend = []legendEntry{{Label: tr(lang, "调整前边界", "old outline"), Fill: "none", Stroke: diffOldStroke, Dash: "4 2"},
		{Label: tr(lang, "调整后边界", "new outline"), Fill: "none", Stroke: diffNewStroke},
		{Label: tr(lang, "调入", "added"), Fill: diffAddedFill, Stroke: diffAddedFill},
		{Label: tr(lang, "调出", "removed"), Fill: diffRemovedFill, Stroke: diffRemovedFill}}
	if region != nil {
		m.Legend = append(m.Legend, legendEntry{Label: tr(lang, "区域", "region"), Fill: "#fafaf5", Stroke: "#555"})
	}
	m.Scale = scaleBar(v)
	return m
}
