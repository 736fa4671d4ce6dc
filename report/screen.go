package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// WriteScreenTable writes the screening result as text tables: one line per
// site, then the conflicts and the nearby features worth knowing.
func WriteScreenTable(w io.Writer, res *analysis.ScreenResult, lang Lang) error {
	sites := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "id"), tr(lang, "名称", "name"),
		tr(lang, "类型", "type"), tr(lang, "几何", "geometry"), tr(lang, "面积(公顷)", "area (ha)"), tr(lang, "结论", "verdict")},
		Right: []bool{true, false, false, false, false, true, false}}
	for _, s := range res.Sites {
		size := FormatNumber(s.AreaM2/1e4, 4)
		if s.GeometryType == "LineString" || s.GeometryType == "MultiLineString" {
			size = FormatNumber(s.LengthM, 1) + " m"
		} else if s.AreaM2 == 0 {
			size = "-"
		}
		sites.Add(ordinal(s.Index), s.ID, s.Name, ProjectTypeText(lang, s.ProjectType), s.GeometryType, size, VerdictText(lang, s.Verdict.String()))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", tr(lang, "用地预审筛查结果", "Site screening"))
	sites.Write(&b)
	conf := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "site"), tr(lang, "图层", "layer"), tr(lang, "要素", "feature"),
		tr(lang, "分区", "zone"), tr(lang, "重叠(m²)", "overlap m²"), tr(lang, "公顷", "ha"), tr(lang, "亩", "mu"), tr(lang, "占比%", "% of site"),
		tr(lang, "线内长度(m)", "length in (m)"), tr(lang, "结论", "verdict"), tr(lang, "依据", "basis")},
		Right: []bool{true, false, false, false, false, true, true, true, true, true, false, false}}
	near := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "site"), tr(lang, "图层", "layer"), tr(lang, "要素", "feature"),
		tr(lang, "分区", "zone"), tr(lang, "距离(m)", "distance m"), tr(lang, "结论", "verdict"), tr(lang, "依据", "basis")},
		Right: []bool{true, false, false, false, false, true, false, false}}
	for _, s := range res.Sites {
		for _, c := range s.Conflicts {
			conf.Add(ordinal(s.Index), s.ID, c.Layer, featureLabel(c.FeatureID, c.FeatureName, c.FeatureIndex), zoneTextKind(lang, c.Kind, c.Zone),
				FormatNumber(c.OverlapM2, 2), FormatNumber(c.OverlapM2/1e4, 4), FormatNumber(c.OverlapM2/analysis.MuM2, 2), FormatNumber(c.OverlapPct, 2),
				FormatNumber(c.LengthInsideM, 1), VerdictText(lang, c.Verdict.String()), basisOrRule(lang, c.Basis, c.BasisEN, c.Rule, c.RuleEN))
		}
		for _, n := range s.Nearby {
			if n.DistanceM > 0 && n.Verdict == analysis.Clear && len(s.Nearby) > 20 {
				continue
			}
			v := ""
			if n.RuleID != "" {
				v = VerdictText(lang, n.Verdict.String())
			} else if n.Touching {
				v = tr(lang, "相接", "touching")
			}
			near.Add(ordinal(s.Index), s.ID, n.Layer, featureLabel(n.FeatureID, n.FeatureName, n.FeatureIndex), zoneTextKind(lang, n.Kind, n.Zone),
				FormatNumber(n.DistanceM, 1), v, pick(lang, n.Basis, n.BasisEN))
		}
	}
	perLayer := Table{Header: []string{tr(lang, "序号", "#"), tr(lang, "编号", "site"), tr(lang, "图层", "layer"),
		tr(lang, "重叠(m²)", "overlap m²"), tr(lang, "公顷", "ha"), tr(lang, "亩", "mu"), tr(lang, "占比%", "% of site"),
		tr(lang, "线内长度(m)", "length in (m)")},
		Right: []bool{true, false, false, true, true, true, true, true}}
	for _, s := range res.Sites {
		for _, l := range s.Layers {
			if l.Inside {
				perLayer.Add(ordinal(s.Index), s.ID, l.Layer, FormatNumber(l.OverlapM2, 2), FormatNumber(l.OverlapM2/1e4, 4),
					FormatNumber(l.OverlapM2/analysis.MuM2, 2), FormatNumber(l.OverlapPct, 2), FormatNumber(l.LengthInsideM, 1))
			}
		}
	}
	if len(perLayer.Rows) > 0 {
		fmt.Fprintf(&b, "\n%s\n\n", tr(lang, "按图层（图层溶解后，重叠部分不重复计算）", "Per layer (dissolved: overlaps count once)"))
		perLayer.Write(&b)
	}
	if len(conf.Rows) > 0 {
		fmt.Fprintf(&b, "\n%s\n\n", tr(lang, "冲突明细（按要素）", "Conflicts (per feature)"))
		conf.Write(&b)
	}
	if len(near.Rows) > 0 {
		fmt.Fprintf(&b, "\n%s\n\n", tr(lang, "邻近要素", "Nearby features"))
		near.Write(&b)
	}
	writeScreenClasses(&b, res, lang)
	c := res.Summary
	fmt.Fprintf(&b, "\n%s: %d  %s %d  %s %d  %s %d  %s %d  %s %d\n", tr(lang, "地块", "sites"), c.Sites,
		VerdictText(lang, "prohibited"), c.Prohibited, VerdictText(lang, "restricted"), c.Restricted,
		VerdictText(lang, "review"), c.Review, VerdictText(lang, "allowed"), c.Allowed, VerdictText(lang, "clear"), c.Clear)
	if c.Error > 0 {
		fmt.Fprintf(&b, "%s %d:", VerdictText(lang, "error"), c.Error)
		for _, s := range res.Sites {
			if s.Verdict == analysis.Error {
				fmt.Fprintf(&b, " %s %s;", ordinal(s.Index), s.ID)
			}
		}
		fmt.Fprintf(&b, " %s\n", tr(lang, "这些地块无几何图形，未予筛查，不能视为无冲突。", "these sites have no geometry and were not screened: they are not clear."))
	}
	fmt.Fprintf(&b, "%s\n", tr(lang, "面积为 CGCS2000 椭球面积；1 公顷 = 10 000 m²，1 亩 = 666.67 m²。",
		"Areas are ellipsoidal on CGCS2000; 1 ha = 10 000 m², 1 mu = 666.67 m²."))
	fmt.Fprintf(&b, "%s\n", Disclaimer(lang))
	_, err := io.WriteString(w, b.String())
	return err
}

// ScreenCSVHeader is the column list of the screening CSV.
var ScreenCSVHeader = []string{"site_index", "site_id", "site_name", "project_type", "geometry_type", "site_area_m2", "site_length_m",
	"site_verdict", "layer", "kind", "feature_index", "feature_id", "feature_name", "zone", "overlap_m2", "overlap_ha", "overlap_mu",
	"overlap_pct", "length_inside_m", "distance_m", "verdict", "rule_id", "rule", "basis"}

// WriteScreenCSV writes one row per site × conflict (and per nearby feature
// that a proximity rule names), and one row for a site with neither. UTF-8
// with a BOM, so that Excel shows the Chinese text.
func WriteScreenCSV(w io.Writer, res *analysis.ScreenResult, lang Lang) error {
	sw, err := NewScreenCSV(w, hasClasses(res), lang)
	if err != nil {
		return err
	}
	for i := range res.Sites {
		sw.Site(&res.Sites[i])
	}
	return sw.Flush()
}

// ScreenCSV writes the CSV of WriteScreenCSV site by site, for a run that
// does not hold every site's result (analysis.ScreenOptions.Emit).
type ScreenCSV struct {
	cw      *csv.Writer
	header  []string
	classes bool
	lang    Lang
}

// NewScreenCSV writes the BOM and the header; classes adds the columns of
// the tables by class (when a site has them: --by).
func NewScreenCSV(w io.Writer, classes bool, lang Lang) (*ScreenCSV, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	sw := &ScreenCSV{cw: csv.NewWriter(w), header: ScreenCSVHeader, classes: classes, lang: lang}
	if classes {
		sw.header = append(sw.header[:len(sw.header):len(sw.header)], screenClassCSVHeader...)
	}
	sw.cw.Write(sw.header)
	return sw, nil
}

// Site writes a site's rows. A write error shows in Flush (and Err).
func (sw *ScreenCSV) Site(s *analysis.SiteResult) {
	cw, header, lang := sw.cw, sw.header, sw.lang
	put := func(row []string) { cw.Write(append(row, make([]string, len(header)-len(row))...)) }
	site := []string{strconv.Itoa(s.Index), s.ID, s.Name, s.ProjectType, s.GeometryType, full(s.AreaM2), full(s.LengthM), s.Verdict.String()}
	rows := 0
	for _, c := range s.Conflicts {
		put(append(site[:8:8], c.Layer, c.Kind, strconv.Itoa(c.FeatureIndex), c.FeatureID, c.FeatureName, c.Zone,
			full(c.OverlapM2), full(c.OverlapM2/1e4), full(c.OverlapM2/analysis.MuM2), full(c.OverlapPct), full(c.LengthInsideM), "",
			c.Verdict.String(), c.RuleID, pick(lang, c.Rule, c.RuleEN), pick(lang, c.Basis, c.BasisEN)))
		rows++
	}
	for _, n := range s.Nearby {
		if n.RuleID == "" {
			continue
		}
		put(append(site[:8:8], n.Layer, n.Kind, strconv.Itoa(n.FeatureIndex), n.FeatureID, n.FeatureName, n.Zone,
			"0", "0", "0", "0", "0", full(n.DistanceM), n.Verdict.String(), n.RuleID, pick(lang, n.Rule, n.RuleEN), pick(lang, n.Basis, n.BasisEN)))
		rows++
	}
	if rows == 0 && (!sw.classes || s.Verdict == analysis.Error) {
		row := append(site[:8:8], make([]string, len(ScreenCSVHeader)-8)...)
		if s.Verdict == analysis.Error {
			row[len(ScreenCSVHeader)-4], row[len(ScreenCSVHeader)-2] = s.Verdict.String(), s.Error // verdict and rule columns: the reason
		}
		put(row)
	}
	for _, row := range screenClassCSVRows(site, *s, len(ScreenCSVHeader)) {
		put(row)
	}
}

// Err is the first write error so far.
func (sw *ScreenCSV) Err() error { return sw.cw.Error() }

// Flush writes what is buffered and returns the first write error.
func (sw *ScreenCSV) Flush() error {
	sw.cw.Flush()
	return sw.cw.Error()
}

// ScreenPieces returns the overlap pieces (site ∩ feature) with the conflict
// fields as properties, for GeoJSON, Shapefile or KML output.
func ScreenPieces(res *analysis.ScreenResult) ([]string, []geo.Record) {
	fields := []string{"site_index", "site_id", "project_type", "layer", "kind", "feature_index", "feature_id", "feature_name",
		"zone", "overlap_m2", "overlap_pct", "length_inside_m", "verdict", "rule_id", "basis"}
	var out []geo.Record
	for _, s := range res.Sites {
		for _, c := range s.Conflicts {
			p := c.Piece
			switch {
			case c.OverlapM2 > 0:
				p = p.Polygonal()
			case c.LengthInsideM > 0:
				p = p.Linear()
			}
			out = append(out, geo.Record{Geom: p.Orb(), Props: map[string]any{
				"site_index": s.Index, "site_id": s.ID, "project_type": s.ProjectType, "layer": c.Layer, "kind": c.Kind,
				"feature_index": c.FeatureIndex, "feature_id": c.FeatureID, "feature_name": c.FeatureName, "zone": c.Zone,
				"overlap_m2": c.OverlapM2, "overlap_pct": c.OverlapPct, "length_inside_m": c.LengthInsideM,
				"verdict": c.Verdict.String(), "rule_id": c.RuleID, "basis": c.Basis}})
		}
	}
	return fields, out
}
