package report

import (
	"strconv"

	"github.com/redline-gis/redline/analysis"
)

// Lang selects the language of report text: "zh" (default) or "en".
type Lang string

// Languages of report text.
const (
	ZH Lang = "zh"
	EN Lang = "en"
)

// tr returns the text for lang: zh unless lang is en.
func tr(lang Lang, zh, en string) string {
	if lang == EN {
		return en
	}
	return zh
}

// VerdictText renders a verdict name for people.
func VerdictText(lang Lang, v string) string {
	switch v {
	case "prohibited":
		return tr(lang, "禁止", "prohibited")
	case "restricted":
		return tr(lang, "限制", "restricted")
	case "review":
		return tr(lang, "需审查", "review")
	case "allowed":
		return tr(lang, "允许", "allowed")
	case "clear":
		return tr(lang, "无冲突", "clear")
	case "error":
		return tr(lang, "错误（未筛查）", "error (not screened)")
	}
	return v
}

// Disclaimer says what the verdicts are and are not.
func Disclaimer(lang Lang) string {
	return tr(lang, "说明：结论为用地预审筛查辅助意见，不构成法律决定；以主管部门审查意见为准。",
		"Note: verdicts are a screening aid, not a legal decision; the competent authority decides.")
}

var projectTypesZH = map[string]string{
	"industrial": "工业", "chemical": "化工", "mining": "采矿", "real_estate": "房地产", "commercial": "商业",
	"linear_infrastructure": "线性基础设施", "water_supply": "供水", "tourism": "旅游", "livestock_farm": "畜禽养殖",
	"agriculture": "农业", "research_monitoring": "科研监测", "ecological_restoration": "生态修复",
	"military_border": "军事边防", "other": "其他",
}

// ProjectTypeText renders a project type for people: Chinese for zh.
func ProjectTypeText(lang Lang, t string) string {
	if zh, ok := projectTypesZH[t]; ok && lang != EN {
		return zh
	}
	return t
}

func pick(lang Lang, zh, en string) string {
	if lang == EN && en != "" {
		return en
	}
	return zh
}

func zoneText(lang Lang, zone string) string {
	if lang == EN {
		return zone
	}
	return analysis.ZoneNameZH(zone)
}

func featureLabel(id, name string, index int) string {
	s := id
	if s == "" {
		s = "#" + strconv.Itoa(index)
	}
	if name != "" && name != id {
		s += " " + name
	}
	return s
}

// basisOrRule shows the legal basis, or the rule text when there is none.
func basisOrRule(lang Lang, basis, basisEN, rule, ruleEN string) string {
	if basis != "" {
		return pick(lang, basis, basisEN)
	}
	return pick(lang, rule, ruleEN)
}
