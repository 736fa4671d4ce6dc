package report

import (
	"fmt"
	"strings"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/geo"
)

// maxPairsShown is how many overlapping pairs a warning names; the rest are
// counted (JSON lists them all).
const maxPairsShown = 5

// ResultWarningText says a site's warning in lang, naming the site (地块 1
// counts from 1, as the tables do), the layer and what is wrong.
func ResultWarningText(lang Lang, s *analysis.SiteResult, w analysis.ResultWarning) string {
	site := tr(lang, "地块 ", "site ") + ordinal(s.Index)
	if s.ID != "" {
		site += " (" + s.ID + ")"
	}
	switch w.Kind {
	case analysis.WarnOverlappingClasses:
		var pairs []string
		for i, p := range w.Overlaps {
			if i == maxPairsShown {
				pairs = append(pairs, fmt.Sprintf(tr(lang, "另有 %d 对", "%d more pairs"), len(w.Overlaps)-maxPairsShown))
				break
			}
			pairs = append(pairs, fmt.Sprintf(tr(lang, "要素 %s「%s」与要素 %s「%s」重叠 %s m²", "feature %s (%s) and feature %s (%s) overlap by %s m²"),
				featureLabel(p.FeatureID, "", p.FeatureIndex), p.Value, featureLabel(p.OtherID, "", p.OtherIndex), p.OtherValue, FormatNumber(p.OverlapM2, 2)))
		}
		return fmt.Sprintf(tr(lang, "%s：图层 %s 按 %s 分类时，不同类别的要素相互重叠，各类别面积与未覆盖之和比地块多 %s m²（重叠部分计入了多个类别；数值未作调整）：%s",
			"%s: layer %s by %s: features of different classes overlap, so the class rows and uncovered add up to %s m² more than the site (the overlap counts in each class; the numbers are not adjusted): %s"),
			site, w.Layer, w.Field, FormatNumber(w.ExcessM2, 2), strings.Join(pairs, tr(lang, "；", "; ")))
	}
	return site + ": " + w.Kind
}

// ScreenWarnings are the sites' warnings in lang, in site order, of the
// kinds analysis gave them.
func ScreenWarnings(lang Lang, res *analysis.ScreenResult) []geo.Warning {
	var out []geo.Warning
	for i := range res.Sites {
		for _, w := range res.Sites[i].Warnings {
			out = append(out, geo.Warning{Kind: w.Kind, Msg: ResultWarningText(lang, &res.Sites[i], w)})
		}
	}
	return out
}

// RegionWarningText says a region's warning in lang (share --by).
func RegionWarningText(lang Lang, g *analysis.RegionShare, w analysis.ResultWarning) string {
	region := tr(lang, "区域 ", "region ") + ordinal(g.Index)
	if l := featureLabel(g.ID, g.Name, g.Index); g.ID != "" || g.Name != "" {
		region += " (" + l + ")"
	}
	if w.Kind == analysis.WarnOverlappingClasses {
		return fmt.Sprintf(tr(lang, "%s：图层 %s 按 %s 分类时，不同类别的要素相互重叠，各类别面积之和比覆盖面积多 %s m²（重叠部分计入了多个类别；数值未作调整；redline overlaps 可列出重叠的要素）",
			"%s: layer %s by %s: features of different classes overlap, so the class rows add up to %s m² more than the covered area (the overlap counts in each class; the numbers are not adjusted; redline overlaps lists the features)"),
			region, w.Layer, w.Field, FormatNumber(w.ExcessM2, 2))
	}
	return region + ": " + w.Kind
}

// ShareWarnings are the regions' warnings in lang, in region order.
func ShareWarnings(lang Lang, r *analysis.ShareResult) []geo.Warning {
	var out []geo.Warning
	for i := range r.Regions {
		for _, w := range r.Regions[i].Warnings {
			out = append(out, geo.Warning{Kind: w.Kind, Msg: RegionWarningText(lang, &r.Regions[i], w)})
		}
	}
	return out
}
