package analysis

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// Verdict is the outcome of screening, ordered from clear to prohibited.
type Verdict int

// Verdicts, weakest first: the strictest one of a site's findings wins.
const (
	Clear Verdict = iota
	Allowed
	Review
	Restricted
	Prohibited
	// Error marks a site that could not be screened (no geometry): it is
	// kept in every output with its reason, never read as clear. No rule
	// gives it.
	Error
)

var verdictNames = []string{"clear", "allowed", "review", "restricted", "prohibited", "error"}

func (v Verdict) String() string { return verdictNames[v] }

// MarshalText writes the verdict's name.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads a verdict name.
func (v *Verdict) UnmarshalText(b []byte) error {
	p, err := ParseVerdict(string(b))
	*v = p
	return err
}

// ParseVerdict reads "prohibited", "restricted", "review", "allowed" or "clear".
func ParseVerdict(s string) (Verdict, error) {
	if i := slices.Index(verdictNames[:Error], strings.ToLower(strings.TrimSpace(s))); i >= 0 {
		return Verdict(i), nil
	}
	return Clear, fmt.Errorf("unknown verdict %q (want prohibited, restricted, review or allowed)", s)
}

// ProjectTypes are the project types the rule book knows.
var ProjectTypes = []string{"industrial", "chemical", "mining", "real_estate", "commercial",
	"linear_infrastructure", "water_supply", "tourism", "livestock_farm", "agriculture",
	"research_monitoring", "ecological_restoration", "military_border", "other"}

// Rule decides the verdict for a site of some project types overlapping a
// feature of some kind and zone.
type Rule struct {
	ID      string   `yaml:"id" json:"id"`
	Kind    string   `yaml:"kind" json:"kind"`
	Zones   []string `yaml:"zones,omitempty" json:"zones,omitempty"`
	Types   []string `yaml:"types" json:"types"`
	Except  []string `yaml:"except,omitempty" json:"except,omitempty"`
	Verdict Verdict  `yaml:"verdict" json:"verdict"`
	Text    string   `yaml:"rule" json:"rule"`
	TextEN  string   `yaml:"rule_en,omitempty" json:"rule_en,omitempty"`
	Basis   string   `yaml:"basis" json:"basis"`
	BasisEN string   `yaml:"basis_en,omitempty" json:"basis_en,omitempty"`
}

// ProximityRule decides the verdict for a site of some project types within
// WithinM of a feature of a kind that it does not touch.
type ProximityRule struct {
	ID      string   `yaml:"id" json:"id"`
	Kind    string   `yaml:"kind" json:"kind"`
	Zones   []string `yaml:"zones,omitempty" json:"zones,omitempty"`
	Types   []string `yaml:"types" json:"types"`
	Except  []string `yaml:"except,omitempty" json:"except,omitempty"`
	WithinM float64  `yaml:"within_m" json:"within_m"`
	Verdict Verdict  `yaml:"verdict" json:"verdict"`
	Text    string   `yaml:"rule" json:"rule"`
	TextEN  string   `yaml:"rule_en,omitempty" json:"rule_en,omitempty"`
	Basis   string   `yaml:"basis" json:"basis"`
	BasisEN string   `yaml:"basis_en,omitempty" json:"basis_en,omitempty"`
}

// RuleBook is the set of rules in force.
type RuleBook struct {
	Rules     []Rule          `yaml:"rules" json:"rules"`
	Proximity []ProximityRule `yaml:"proximity" json:"proximity"`
	// Replace, in a user file, drops the default book instead of extending it.
	Replace bool `yaml:"replace,omitempty" json:"-"`
}

//go:embed rules.yaml
var defaultRulesYAML []byte

// DefaultRules returns the embedded default rule book.
func DefaultRules() *RuleBook {
	rb, err := ParseRules(defaultRulesYAML)
	if err != nil {
		panic("analysis: embedded rule book: " + err.Error()) // a build defect, caught by tests
	}
	return rb
}

// ParseRules reads a rule book in YAML and checks every rule.
func ParseRules(b []byte) (*RuleBook, error) {
	var rb RuleBook
	if err := yaml.UnmarshalWithOptions(b, &rb, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("analysis: rule book: %w", err)
	}
	for i, r := range rb.Rules {
		if err := checkRule(r.ID, r.Kind, r.Types, r.Except, r.Basis); err != nil {
			return nil, fmt.Errorf("analysis: rule book: rule %d (%s): %w", i, r.ID, err)
		}
	}
	for i, r := range rb.Proximity {
		if err := checkRule(r.ID, r.Kind, r.Types, r.Except, r.Basis); err != nil {
			return nil, fmt.Errorf("analysis: rule book: proximity rule %d (%s): %w", i, r.ID, err)
		}
		if r.WithinM <= 0 {
			return nil, fmt.Errorf("analysis: rule book: proximity rule %d (%s): within_m must be > 0", i, r.ID)
		}
	}
	return &rb, nil
}

func checkRule(id, kind string, types, except []string, basis string) error {
	switch {
	case id == "":
		return fmt.Errorf("no id")
	case kind == "":
		return fmt.Errorf("no kind")
	case len(types) == 0:
		return fmt.Errorf("no types (use [\"*\"] for any)")
	case basis == "":
		return fmt.Errorf("no basis: every rule needs its legal basis")
	}
	for _, t := range append(slices.Clone(types), except...) {
		if t != "*" && !slices.Contains(ProjectTypes, t) {
			return fmt.Errorf("unknown project type %q (known: %s)", t, strings.Join(ProjectTypes, ", "))
		}
	}
	return nil
}

// Extend returns the default book with user's rules added, or user's book
// alone when it says replace: true.
func (rb *RuleBook) Extend(user *RuleBook) *RuleBook {
	if user.Replace {
		return user
	}
	out := &RuleBook{Rules: slices.Clone(rb.Rules), Proximity: slices.Clone(rb.Proximity)}
	out.Rules = append(out.Rules, user.Rules...)
	out.Proximity = append(out.Proximity, user.Proximity...)
	return out
}

// typeMatch tells whether a rule's types cover typ, and whether it names
// typ explicitly (more specific than "*").
func typeMatch(types, except []string, typ string) (match, explicit bool) {
	if slices.Contains(types, typ) {
		return true, true
	}
	if slices.Contains(types, "*") && !slices.Contains(except, typ) {
		return true, false
	}
	return false, false
}

func zoneMatch(zones []string, zone string) bool {
	return len(zones) == 0 || slices.Contains(zones, zone)
}

// Match returns the rule that decides a conflict of a site of project type
// typ with a feature of kind and zone, or nil (the conflict is allowed).
func (rb *RuleBook) Match(kind, zone, typ string) *Rule {
	var best *Rule
	bestExplicit := false
	for i := range rb.Rules {
		r := &rb.Rules[i]
		if r.Kind != kind || !zoneMatch(r.Zones, zone) {
			continue
		}
		ok, explicit := typeMatch(r.Types, r.Except, typ)
		if !ok {
			continue
		}
		if best == nil || explicit && !bestExplicit || explicit == bestExplicit && r.Verdict > best.Verdict {
			best, bestExplicit = r, explicit
		}
	}
	return best
}

// MatchProximity returns the strictest proximity rule for a site of type
// typ at distanceM from a feature of kind and zone that it does not touch.
func (rb *RuleBook) MatchProximity(kind, zone, typ string, distanceM float64) *ProximityRule {
	var best *ProximityRule
	for i := range rb.Proximity {
		r := &rb.Proximity[i]
		if r.Kind != kind || !zoneMatch(r.Zones, zone) || distanceM > r.WithinM {
			continue
		}
		if ok, _ := typeMatch(r.Types, r.Except, typ); ok && (best == nil || r.Verdict > best.Verdict) {
			best = r
		}
	}
	return best
}

// ReachM is the largest distance a proximity rule for kind and project type
// looks at (0 when none applies).
func (rb *RuleBook) ReachM(kind, typ string) float64 {
	var m float64
	for _, r := range rb.Proximity {
		if ok, _ := typeMatch(r.Types, r.Except, typ); ok && r.Kind == kind {
			m = max(m, r.WithinM)
		}
	}
	return m
}

// MaxProximityM is the largest distance any proximity rule looks at.
func (rb *RuleBook) MaxProximityM() float64 {
	var m float64
	for _, r := range rb.Proximity {
		m = max(m, r.WithinM)
	}
	return m
}

// projectTypeAliases maps Chinese and common names to project types.
var projectTypeAliases = map[string]string{
	"工业": "industrial", "化工": "chemical", "印染": "chemical", "高风险": "chemical", "采矿": "mining", "矿山": "mining",
	"采矿权": "mining", "房地产": "real_estate", "住宅": "real_estate", "商业": "commercial", "商服": "commercial",
	"道路": "linear_infrastructure", "公路": "linear_infrastructure", "铁路": "linear_infrastructure",
	"管线": "linear_infrastructure", "管道": "linear_infrastructure", "输电线路": "linear_infrastructure",
	"线性基础设施": "linear_infrastructure", "供水": "water_supply", "水厂": "water_supply", "旅游": "tourism",
	"畜禽养殖": "livestock_farm", "养殖": "livestock_farm", "养殖场": "livestock_farm", "农业": "agriculture",
	"科研": "research_monitoring", "监测": "research_monitoring", "科研监测": "research_monitoring",
	"生态修复": "ecological_restoration", "军事": "military_border", "边防": "military_border", "其他": "other",
}

// ParseProjectType reads a project type by name or Chinese alias.
func ParseProjectType(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "other", nil
	}
	if slices.Contains(ProjectTypes, strings.ToLower(t)) {
		return strings.ToLower(t), nil
	}
	if p, ok := projectTypeAliases[t]; ok {
		return p, nil
	}
	return "", fmt.Errorf("unknown project type %q (known: %s, or 工业, 化工, 采矿, 道路, 旅游, 养殖, …)", s, strings.Join(ProjectTypes, ", "))
}

// HasKind tells whether any rule or proximity rule names kind.
func (rb *RuleBook) HasKind(kind string) bool {
	for _, r := range rb.Rules {
		if r.Kind == kind {
			return true
		}
	}
	for _, r := range rb.Proximity {
		if r.Kind == kind {
			return true
		}
	}
	return false
}
