package report

import (
	"regexp"
	"strings"
)

// reasonsZH renders the geometry core's English validity reasons and repair
// actions in Chinese, phrase by phrase; anything not listed stays as is.
var reasonsZH = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`ring (\d+) of part (\d+)`), "第 $2 部分第 $1 环"},
	{regexp.MustCompile(`ring (\d+)`), "第 $1 环"},
	{regexp.MustCompile(`polygon of part (\d+)`), "第 $1 部分的多边形"},
	{regexp.MustCompile(` is not closed`), "未闭合"},
	{regexp.MustCompile(` has fewer than 3 distinct points`), "不同的点少于 3 个"},
	{regexp.MustCompile(` has a zero-area spike`), "有零面积尖刺"},
	{regexp.MustCompile(` has no area \(its points lie on one line\)`), "无面积（各点共线）"},
	{regexp.MustCompile(` self-intersects`), "自相交"},
	{regexp.MustCompile(` has no rings`), "没有环"},
	{regexp.MustCompile(`multipolygon parts overlap or touch along an edge`), "多部件之间重叠或沿边相接"},
	{regexp.MustCompile(`hole lies outside its shell`), "洞位于外环之外"},
	{regexp.MustCompile(`hole is nested inside another hole`), "洞嵌套在另一个洞内"},
	{regexp.MustCompile(`holes split the polygon's interior`), "洞将多边形内部分割开"},
	{regexp.MustCompile(`rings cross or touch along an edge`), "环相交或沿边相接"},
	{regexp.MustCompile(`coordinate is NaN or infinite`), "坐标为 NaN 或无穷大"},
	{regexp.MustCompile(`coordinate is not lon/lat \(out of range\)`), "坐标超出经纬度范围"},
	{regexp.MustCompile(`line has fewer than 2 distinct points`), "线的不同点少于 2 个"},
	{regexp.MustCompile(`dropped a polygon with no area`), "删除无面积的多边形"},
	{regexp.MustCompile(`dropped a part with no area`), "删除无面积的部件"},
	{regexp.MustCompile(`dropped repeated points`), "删除重复点"},
	{regexp.MustCompile(`merged overlapping parts \(exact union\)`), "合并重叠部件（精确并集）"},
	{regexp.MustCompile(`MakeValid \(GEOS\)`), "MakeValid（GEOS）"},
	{regexp.MustCompile(`dropped a degenerate hole`), "删除退化的洞"},
	{regexp.MustCompile(`oriented rings \(outer counter-clockwise, holes clockwise\)`), "统一环方向（外环逆时针，洞顺时针）"},
	{regexp.MustCompile(`closed an unclosed ring`), "闭合未闭合的环"},
	{regexp.MustCompile(`removed zero-area spikes`), "删除零面积尖刺"},
	{regexp.MustCompile(`dropped a ring with no area`), "删除无面积的环"},
	{regexp.MustCompile(` near `), "，位置 "},
}

// ReasonText renders a validity reason or repair action for lang.
func ReasonText(lang Lang, s string) string {
	if lang == EN {
		return s
	}
	for _, r := range reasonsZH {
		s = r.re.ReplaceAllString(s, r.zh)
	}
	return strings.TrimSpace(s)
}
