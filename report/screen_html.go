package report

import (
	"bufio"
	"fmt"
	"io"
	"iter"

	"github.com/redline-gis/redline/analysis"
)

// htmlPage is the data of the whole report template.
type htmlPage struct {
	Lang               Lang
	Title, Note        string
	Generated, Version string
	AreaMethod, Engine string
	NearM              string
	Sources            []Source
	Counts             []verdictCount
	Summary            []siteRow
	Sites              iter.Seq[siteView]
	Disclaimer         string
}

type verdictCount struct {
	Verdict string
	N       int
}

type siteRow struct {
	No                     int // 1-based, as people count
	ID, Name, Type, Size   string
	Verdict                string
	Conflicts, NearbyCount int
}

type siteView struct {
	siteRow
	GeometryType string
	Map          *siteMap
	Layers       []layerRow
	Conflicts    []conflictRow
	Nearby       []nearbyRow
	Classes      []classRow  // the table by class (--by), uncovered row last
	Warnings     []string    // the site's warnings (classes that overlap)
	Clauses      []clauseRow // access list clauses of the control units it is in
	Lines        bool        // the site is linear: lengths matter, areas do not
}

type layerRow struct {
	Layer, Overlap, Pct, Length string
}

type conflictRow struct {
	Layer, Zone, Feature, M2, Ha, Mu, Pct, Length, Verdict, RuleID, Rule, Basis string
}

type nearbyRow struct {
	Layer, Zone, Feature, Distance, Verdict, RuleID, Rule, Basis string
}

// WriteScreenHTML writes the screening result as one self-contained HTML
// page (inline CSS and SVG, no external resource): a cover with the data
// sources and counts, then per site a map, the verdict and the tables. A4
// print, one site per page. layers are the constraints screened, for the
// maps; sites without geometry (res read back from JSON) get no map.
func WriteScreenHTML(w io.Writer, res *analysis.ScreenResult, layers []*analysis.Constraint, meta Meta, lang Lang) error {
	p := htmlPage{Lang: lang, Title: meta.Title, Note: meta.Note, Version: meta.Version, Engine: res.Engine,
		AreaMethod: areaMethodText(lang, res.AreaMethod), Sources: meta.Sources, Disclaimer: Disclaimer(lang)}
	if p.Title == "" {
		p.Title = tr(lang, "建设项目用地生态保护红线筛查报告", "Ecological-constraint screening report")
	}
	if !meta.Generated.IsZero() {
		p.Generated = meta.Generated.Format("2006-01-02 15:04:05 MST")
	}
	if meta.NearM > 0 {
		p.NearM = FormatNumber(meta.NearM, 0) + " m"
	}
	c := res.Summary
	p.Counts = []verdictCount{{"prohibited", c.Prohibited}, {"restricted", c.Restricted}, {"review", c.Review},
		{"allowed", c.Allowed}, {"clear", c.Clear}}
	if c.Error > 0 {
		p.Counts = append(p.Counts, verdictCount{"error", c.Error})
	}
	for i := range res.Sites {
		p.Summary = append(p.Summary, siteRowOf(lang, &res.Sites[i]))
	}
	p.Sites = func(yield func(siteView) bool) {
		for i := range res.Sites {
			if !yield(siteViewOf(lang, &res.Sites[i], layers)) {
				return
			}
		}
	}
	bw := bufio.NewWriter(w)
	if err := templates.ExecuteTemplate(bw, "screen.html.tmpl", p); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return bw.Flush()
}

func siteRowOf(lang Lang, s *analysis.SiteResult) siteRow {
	r := siteRow{No: s.Index + 1, ID: s.ID, Name: s.Name, Type: ProjectTypeText(lang, s.ProjectType), Verdict: s.Verdict.String(),
		Conflicts: len(s.Conflicts), NearbyCount: len(s.Nearby)}
	switch {
	case isLinear(s.GeometryType):
		r.Size = FormatNumber(s.LengthM, 1) + " m"
	case s.AreaM2 > 0:
		r.Size = FormatNumber(s.AreaM2, 2) + " m² / " + FormatNumber(s.AreaM2/1e4, 4) + tr(lang, " 公顷 / ", " ha / ") +
			FormatNumber(s.AreaM2/analysis.MuM2, 2) + tr(lang, " 亩", " mu")
	default:
		r.Size = "-"
	}
	return r
}

func isLinear(geometryType string) bool {
	return geometryType == "LineString" || geometryType == "MultiLineString"
}

func siteViewOf(lang Lang, s *analysis.SiteResult, layers []*analysis.Constraint) siteView {
	v := siteView{siteRow: siteRowOf(lang, s), GeometryType: s.GeometryType, Lines: isLinear(s.GeometryType)}
	v.Map = buildSiteMap(s, layers, lang)
	v.Classes, v.Clauses = classRowsOf(lang, s), clauseRowsOf(lang, s)
	for _, w := range s.Warnings {
		v.Warnings = append(v.Warnings, ResultWarningText(lang, s, w))
	}
	for _, l := range s.Layers {
		if !l.Inside {
			continue
		}
		v.Layers = append(v.Layers, layerRow{Layer: layerLabel(lang, l.Layer, layerKind(s, l.Layer)), Overlap: FormatNumber(l.OverlapM2, 2),
			Pct: FormatNumber(l.OverlapPct, 2), Length: FormatNumber(l.LengthInsideM, 1)})
	}
	for _, c := range s.Conflicts {
		v.Conflicts = append(v.Conflicts, conflictRow{Layer: layerLabel(lang, c.Layer, c.Kind), Zone: zoneTextKind(lang, c.Kind, c.Zone),
			Feature: featureLabel(c.FeatureID, c.FeatureName, c.FeatureIndex), M2: FormatNumber(c.OverlapM2, 2),
			Ha: FormatNumber(c.OverlapM2/1e4, 4), Mu: FormatNumber(c.OverlapM2/analysis.MuM2, 2), Pct: FormatNumber(c.OverlapPct, 2),
			Length: FormatNumber(c.LengthInsideM, 1), Verdict: c.Verdict.String(), RuleID: c.RuleID, Rule: pick(lang, c.Rule, c.RuleEN),
			Basis: pick(lang, c.Basis, c.BasisEN)})
	}
	for _, n := range s.Nearby {
		r := nearbyRow{Layer: layerLabel(lang, n.Layer, n.Kind), Zone: zoneTextKind(lang, n.Kind, n.Zone), Feature: featureLabel(n.FeatureID, n.FeatureName, n.FeatureIndex),
			Distance: distanceText(lang, n), RuleID: n.RuleID, Rule: pick(lang, n.Rule, n.RuleEN), Basis: pick(lang, n.Basis, n.BasisEN)}
		if n.RuleID != "" {
			r.Verdict = n.Verdict.String()
		}
		v.Nearby = append(v.Nearby, r)
	}
	return v
}

// layerKind finds a layer's kind among the site's conflicts.
func layerKind(s *analysis.SiteResult, layer string) string {
	for _, c := range s.Conflicts {
		if c.Layer == layer {
			return c.Kind
		}
	}
	return ""
}
