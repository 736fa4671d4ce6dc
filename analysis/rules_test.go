package analysis_test

import (
	"fmt"
	"testing"

	"github.com/redline-gis/redline/analysis"
)

// TestDefaultRuleBookMatchesDesign checks every row of docs/rules.md's default
// rule book table, written out here independently of rules.yaml.
func TestDefaultRuleBookMatchesDesign(t *testing.T) {
	rb := analysis.DefaultRules()
	all := analysis.ProjectTypes
	type row struct {
		kind, zone string
		types      []string
		want       string // verdict name; "allowed" when no rule applies
	}
	except := func(drop ...string) []string {
		var out []string
		for _, t := range all {
			keep := true
			for _, d := range drop {
				keep = keep && t != d
			}
			if keep {
				out = append(out, t)
			}
		}
		return out
	}
	rows := []row{
		// reserve core, buffer; unzoned reserve: any → prohibited (core research → review)
		{"reserve", "core", except("research_monitoring"), "prohibited"},
		{"reserve", "core", []string{"research_monitoring"}, "review"},
		{"reserve", "buffer", all, "prohibited"},
		{"reserve", "unzoned", all, "prohibited"},
		{"reserve", "experimental", []string{"chemical", "industrial", "mining", "real_estate", "livestock_farm"}, "prohibited"},
		{"reserve", "experimental", except("chemical", "industrial", "mining", "real_estate", "livestock_farm"), "restricted"},
		{"redline", "", []string{"industrial", "chemical", "mining", "real_estate", "commercial", "livestock_farm"}, "prohibited"},
		{"redline", "", []string{"linear_infrastructure", "water_supply", "research_monitoring", "ecological_restoration", "military_border", "tourism", "agriculture", "other"}, "review"},
		{"water", "I", except("water_supply"), "prohibited"},
		{"water", "I", []string{"water_supply"}, "review"},
		{"water", "II", []string{"chemical", "industrial", "mining", "livestock_farm"}, "prohibited"},
		{"water", "II", []string{"tourism"}, "restricted"},
		{"water", "II", except("chemical", "industrial", "mining", "livestock_farm", "tourism"), "review"},
		{"water", "quasi", []string{"chemical", "mining", "livestock_farm"}, "prohibited"},
		{"water", "quasi", []string{"industrial"}, "restricted"},
		{"water", "quasi", except("chemical", "mining", "livestock_farm", "industrial"), "allowed"},
		{"livestock_ban", "", []string{"livestock_farm"}, "prohibited"},
		{"livestock_ban", "", except("livestock_farm"), "allowed"},
		{"farmland", "", except("agriculture", "linear_infrastructure"), "prohibited"},
		{"farmland", "", []string{"linear_infrastructure"}, "review"},
		{"farmland", "", []string{"agriculture"}, "allowed"},
		{"wetland", "", all, "review"},
		{"forest_park", "", all, "review"},
		{"scenic", "", all, "review"},
		{"geopark", "", all, "review"},
		{"urban", "", all, "allowed"},
		{"control_unit", "priority", []string{"industrial", "chemical", "mining", "real_estate"}, "review"},
		{"control_unit", "priority", except("industrial", "chemical", "mining", "real_estate"), "allowed"},
		{"control_unit", "key", all, "allowed"},
		{"control_unit", "general", all, "allowed"},
	}
	for _, r := range rows {
		for _, typ := range r.types {
			t.Run(fmt.Sprintf("%s/%s/%s", r.kind, r.zone, typ), func(t *testing.T) {
				got := "allowed"
				rule := rb.Match(r.kind, r.zone, typ)
				if rule != nil {
					got = rule.Verdict.String()
					if rule.Basis == "" {
						t.Errorf("rule %s has no legal basis", rule.ID)
					}
				}
				if got != r.want {
					t.Errorf("verdict %s (rule %v), want %s", got, rule, r.want)
				}
			})
		}
	}
}

func TestProximityRules(t *testing.T) {
	rb := analysis.DefaultRules()
	tests := []struct {
		kind, typ string
		d         float64
		want      bool
	}{
		{"water", "livestock_farm", 499, true},
		{"water", "chemical", 500, true},
		{"water", "chemical", 501, false},
		{"water", "industrial", 100, false},
		{"reserve", "mining", 999, true},
		{"reserve", "chemical", 1000, true},
		{"reserve", "tourism", 10, false},
		{"redline", "mining", 10, false},
	}
	for _, tc := range tests {
		r := rb.MatchProximity(tc.kind, "", tc.typ, tc.d)
		if (r != nil) != tc.want {
			t.Errorf("%s %s at %g m: rule %v, want match=%v", tc.kind, tc.typ, tc.d, r, tc.want)
		}
		if r != nil && r.Verdict != analysis.Review {
			t.Errorf("proximity verdict %s, want review", r.Verdict)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	for name, y := range map[string]string{
		"no basis":      "rules:\n  - {id: x, kind: redline, types: [\"*\"], verdict: review, rule: r}\n",
		"unknown type":  "rules:\n  - {id: x, kind: redline, types: [factory], verdict: review, rule: r, basis: b}\n",
		"bad verdict":   "rules:\n  - {id: x, kind: redline, types: [\"*\"], verdict: maybe, rule: r, basis: b}\n",
		"unknown field": "rules:\n  - {id: x, kind: redline, typo: 1, types: [\"*\"], verdict: review, rule: r, basis: b}\n",
		"no distance":   "proximity:\n  - {id: x, kind: water, types: [\"*\"], verdict: review, rule: r, basis: b}\n",
	} {
		if _, err := analysis.ParseRules([]byte(y)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestUserRulesExtendAndReplace(t *testing.T) {
	user, err := analysis.ParseRules([]byte("rules:\n  - {id: mine-near, kind: mining_right, types: [\"*\"], verdict: restricted, rule: r, basis: b}\n"))
	if err != nil {
		t.Fatal(err)
	}
	rb := analysis.DefaultRules().Extend(user)
	if r := rb.Match("mining_right", "", "other"); r == nil || r.Verdict != analysis.Restricted {
		t.Errorf("user rule not applied: %v", r)
	}
	if r := rb.Match("redline", "", "mining"); r == nil || r.Verdict != analysis.Prohibited {
		t.Error("default rules lost when extending")
	}
	user.Replace = true
	if r := analysis.DefaultRules().Extend(user).Match("redline", "", "mining"); r != nil {
		t.Error("replace: true kept the default rules")
	}
}

func TestParseProjectType(t *testing.T) {
	for in, want := range map[string]string{"工业": "industrial", "化工": "chemical", "道路": "linear_infrastructure", "": "other", "Tourism": "tourism"} {
		got, err := analysis.ParseProjectType(in)
		if err != nil || got != want {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := analysis.ParseProjectType("spaceport"); err == nil {
		t.Error("unknown type accepted")
	}
}
