package analysis

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/redline-gis/redline/geo"
)

// Indicator is one line of a plan's scorecard. Value is null when the
// layers it needs were not given: not computed, never zero.
type Indicator struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	NameEN      string   `json:"name_en"`
	Layers      []string `json:"layers"`       // layer names it needs
	Unit        string   `json:"unit"`         // "pct" (per cent) or "m2"
	ShowUnit    string   `json:"display_unit"` // "%", "ha" or "mu" for reports
	Target      float64  `json:"target"`       // in Unit; the value must be ≥ it
	Value       *float64 `json:"value"`
	Computed    bool     `json:"computed"`
	MeetsTarget *bool    `json:"meets_target"`
	Note        string   `json:"note,omitempty"`
}

// Scorecard is a plan's spatial indicators computed from the layers given.
type Scorecard struct {
	Preset     string      `json:"preset"`
	Title      string      `json:"title"`
	TitleEN    string      `json:"title_en"`
	Indicators []Indicator `json:"indicators"`
}

// Missed lists the indicators computed and below target.
func (s *Scorecard) Missed() []string {
	var out []string
	for _, in := range s.Indicators {
		if in.MeetsTarget != nil && !*in.MeetsTarget {
			out = append(out, fmt.Sprintf("%s: %s", s.Preset, in.ID))
		}
	}
	return out
}

// Preset layer names.
const (
	LayerRedline   = "redline"
	LayerReserve   = "reserve"
	LayerForest    = "forest"
	LayerWetland   = "wetland"
	LayerProtected = "protected" // protected areas for the wetland protection rate; default: reserve
)

// presetLincang2020 holds the spatial indicators of the Lincang plan
// (2019, targets for 2020): 生态保护红线 25.6 % of the city, 自然保护地
// 200 000 ha, 森林覆盖率 66 %, 湿地 430 000 亩, 湿地保护率 52 %.
var presetLincang2020 = []Indicator{
	{ID: "redline_share", Name: "生态保护红线面积占比", NameEN: "Ecological red line share", Layers: []string{LayerRedline},
		Unit: "pct", ShowUnit: "%", Target: 25.6},
	{ID: "reserve_area", Name: "自然保护地面积", NameEN: "Nature reserve area", Layers: []string{LayerReserve},
		Unit: "m2", ShowUnit: "ha", Target: 200000 * 1e4},
	{ID: "forest_cover", Name: "森林覆盖率", NameEN: "Forest cover", Layers: []string{LayerForest},
		Unit: "pct", ShowUnit: "%", Target: 66},
	{ID: "wetland_area", Name: "湿地面积", NameEN: "Wetland area", Layers: []string{LayerWetland},
		Unit: "m2", ShowUnit: "mu", Target: 430000 * MuM2},
	{ID: "wetland_protection", Name: "湿地保护率", NameEN: "Wetland protection rate", Layers: []string{LayerWetland, LayerReserve},
		Unit: "pct", ShowUnit: "%", Target: 52,
		Note: "protected wetland (layer 'protected', else 'reserve') ÷ wetland area; wetland taken whole"},
}

// Presets lists the known scorecard presets.
func Presets() []string { return []string{"lincang-2020"} }

// PresetTargets returns the target each layer of a preset must reach,
// by layer name.
func PresetTargets(preset string) (map[string]Target, error) {
	if preset != "lincang-2020" {
		return nil, fmt.Errorf("analysis: unknown preset %q (known: %s)", preset, strings.Join(Presets(), ", "))
	}
	return map[string]Target{
		LayerRedline: {Layer: LayerRedline, Pct: 25.6, Text: "25.6%"},
		LayerReserve: {Layer: LayerReserve, AreaM2: 200000 * 1e4, Text: "200000ha"},
		LayerForest:  {Layer: LayerForest, Pct: 66, Text: "66%"},
		LayerWetland: {Layer: LayerWetland, AreaM2: 430000 * MuM2, Text: "430000亩"},
	}, nil
}

// NewScorecard computes a preset's indicators from the share results (by
// layer name) and, for the wetland protection rate, the wetland layer taken
// whole against the protected areas. An indicator whose layers are missing
// is marked not computed.
func NewScorecard(ctx context.Context, preset string, results map[string]*ShareResult, layers map[string]*geo.Layer, opt RegionOptions) (*Scorecard, error) {
	if _, err := PresetTargets(preset); err != nil {
		return nil, err
	}
	sc := &Scorecard{Preset: preset, Title: "临沧市生态保护空间指标（2020 年目标）", TitleEN: "Lincang spatial ecological indicators (2020 targets)"}
	for _, in := range presetLincang2020 {
		in.Layers = append([]string{}, in.Layers...)
		var v float64
		ok := true
		switch in.ID {
		case "wetland_protection":
			prot := LayerProtected
			if layers[prot] == nil {
				prot = LayerReserve
			}
			in.Layers[1] = prot
			if layers[LayerWetland] == nil || layers[prot] == nil {
				ok = false
				break
			}
			r, err := Share(ctx, layers[LayerWetland], layers[prot], ShareOptions{Whole: true, Regions: RegionOptions{Workers: opt.Workers, NoGaps: true}})
			if err != nil {
				return nil, fmt.Errorf("analysis: %s %s: %w", preset, in.ID, err)
			}
			v = r.Total.SharePct
		default:
			r := results[in.Layers[0]]
			if r == nil {
				ok = false
				break
			}
			v = r.Total.SharePct
			if in.Unit == "m2" {
				v = r.Total.CoveredM2
			}
		}
		if ok {
			in.Value, in.Computed, in.MeetsTarget = &v, true, boolPtr(v >= in.Target)
		} else {
			missing := []string{}
			for _, l := range in.Layers {
				if layers[l] == nil {
					missing = append(missing, l)
				}
			}
			sort.Strings(missing)
			in.Note = "not computed: no layer " + strings.Join(missing, ", ")
		}
		sc.Indicators = append(sc.Indicators, in)
	}
	return sc, nil
}
