package analysis

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/redline-gis/redline/geo"
)

// Built-in layer kinds (docs/architecture.md; the README's "screen" section lists them). Any other name is a
// user-defined kind whose zones come from the config.
const (
	KindRedline      = "redline"
	KindReserve      = "reserve"
	KindWater        = "water"
	KindFarmland     = "farmland"
	KindUrban        = "urban"
	KindWetland      = "wetland"
	KindForestPark   = "forest_park"
	KindScenic       = "scenic"
	KindGeopark      = "geopark"
	KindLivestockBan = "livestock_ban"
	// KindControlUnit is a 三线一单 环境管控单元 layer: its zone is the unit's
	// category (priority, key, general), its code the unit code that access
	// list clauses name.
	KindControlUnit = "control_unit"
)

// kindSpec says how a built-in kind reads its zone.
type kindSpec struct {
	zh       string
	fields   []string          // zone field candidates, matched case-insensitively
	values   map[string]string // normalised zone for each known value
	missing  string            // zone of a feature with no zone value ("" = none)
	freeText bool              // any value is kept as is
	// codeFields and nameFields, when set, are where a feature's code (a
	// control unit's 环境管控单元编码) and name are read first.
	codeFields, nameFields []string
}

var kinds = map[string]kindSpec{
	KindRedline: {zh: "生态保护红线"},
	KindReserve: {zh: "自然保护区", fields: []string{"zone", "功能分区", "GNFQ", "分区"},
		values: map[string]string{"核心区": "core", "缓冲区": "buffer", "实验区": "experimental", "核心保护区": "core",
			"一般控制区": "general", "core": "core", "buffer": "buffer", "experimental": "experimental", "general": "general",
			"unzoned": "unzoned"},
		missing: "unzoned"},
	KindWater: {zh: "饮用水水源保护区", fields: []string{"level", "zone", "级别", "保护区级别", "BHQJB"},
		values: map[string]string{"一级": "I", "二级": "II", "准保护区": "quasi", "一级保护区": "I", "二级保护区": "II",
			"准": "quasi", "i": "I", "ii": "II", "1": "I", "2": "II", "quasi": "quasi"}},
	KindFarmland:     {zh: "永久基本农田"},
	KindUrban:        {zh: "城镇开发边界"},
	KindWetland:      {zh: "湿地", fields: []string{"zone"}, freeText: true},
	KindForestPark:   {zh: "森林公园", fields: []string{"zone"}, freeText: true},
	KindScenic:       {zh: "风景名胜区", fields: []string{"zone"}, freeText: true},
	KindGeopark:      {zh: "地质公园", fields: []string{"zone"}, freeText: true},
	KindLivestockBan: {zh: "畜禽禁养区"},
	KindControlUnit: {zh: "环境管控单元", fields: []string{"管控类别", "category", "GKLB", "单元类别", "管控单元类别", "HJDYLB"},
		values: map[string]string{"优先保护单元": "priority", "优先保护": "priority", "优先保护类": "priority", "priority": "priority",
			"重点管控单元": "key", "重点管控": "key", "重点管控类": "key", "key": "key",
			"一般管控单元": "general", "一般管控": "general", "一般管控类": "general", "general": "general"},
		codeFields: []string{"HJDYBM", "管控单元编码", "环境管控单元编码", "单元编码", "code"},
		nameFields: []string{"HJDYMC", "管控单元名称", "环境管控单元名称", "单元名称"}},
}

// KindNameZH returns the Chinese name of a built-in kind, or kind itself.
func KindNameZH(kind string) string {
	if s, ok := kinds[kind]; ok {
		return s.zh
	}
	return kind
}

// BuiltinKinds lists the built-in kinds, sorted.
func BuiltinKinds() []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ZoneNameZH renders a normalised zone in Chinese for reports.
func ZoneNameZH(zone string) string {
	switch zone {
	case "core":
		return "核心区"
	case "buffer":
		return "缓冲区"
	case "experimental":
		return "实验区"
	case "general":
		return "一般控制区"
	case "unzoned":
		return "未分区"
	case "I":
		return "一级"
	case "II":
		return "二级"
	case "quasi":
		return "准保护区"
	case "priority":
		return "优先保护单元"
	case "key":
		return "重点管控单元"
	}
	return zone
}

// LayerConfig says how to read one constraint layer's zones and names.
type LayerConfig struct {
	Name      string            // shown in reports; defaults to Kind
	Kind      string            // built-in or user-defined
	ZoneField string            // overrides the kind's candidates
	ZoneMap   map[string]string // extra value → zone mappings (applied first)
	NameField string            // property with a feature's name
}

// Constraint is a loaded constraint layer with each feature's zone and name.
type Constraint struct {
	Name  string
	Kind  string
	Layer *geo.Layer
	Zones []string // per feature (by position in Layer.Features)
	Names []string
	// Codes are the features' codes where the kind has a code field (a
	// control unit's 环境管控单元编码), else empty.
	Codes []string
	// Config is how the zones and names were read (a layer read piecemeal
	// by pushdown builds each piece's Constraint with it).
	Config LayerConfig
	// Warnings say what was accepted but is worth a look, such as a zoned
	// kind whose features carry no zone value.
	Warnings []geo.Warning

	valid validity // each feature's validity, computed once for all runs
}

// DefaultNameFields are the properties tried for a feature's name.
var DefaultNameFields = []string{"name", "NAME", "名称", "MC", "地块名称", "保护区名称", "Name"}

// NewConstraint reads the zone and name of every feature of l. An unknown
// zone value is an error naming the feature, unless cfg.ZoneMap maps it.
func NewConstraint(l *geo.Layer, cfg LayerConfig) (*Constraint, error) {
	if cfg.Kind == "" {
		return nil, fmt.Errorf("analysis: layer %s: no kind", l.Name)
	}
	name := cfg.Name
	if name == "" {
		name = cfg.Kind
	}
	c := &Constraint{Name: name, Kind: cfg.Kind, Layer: l, Config: cfg,
		Zones: make([]string, l.Len()), Names: make([]string, l.Len()), Codes: make([]string, l.Len())}
	spec, builtin := kinds[cfg.Kind]
	nameFields := append(slices.Clone(spec.nameFields), DefaultNameFields...)
	if cfg.NameField != "" {
		nameFields = []string{cfg.NameField}
	}
	fields := spec.fields
	if cfg.ZoneField != "" {
		fields = []string{cfg.ZoneField}
	}
	unzoned := 0
	for i := range l.Features {
		f := &l.Features[i]
		if !geo.IsPolygonal(f.Geom) {
			return nil, fmt.Errorf("analysis: layer %s: %s is a %s: constraint layers must be polygons (zones, not points or lines)",
				name, f.Label(), f.Geom.GeoJSONType())
		}
		c.Names[i], _ = lookupFold(f.Props, nameFields)
		if spec.codeFields != nil {
			code, _ := lookupFold(f.Props, spec.codeFields)
			c.Codes[i] = strings.TrimSpace(code)
		}
		raw, found := lookupFold(f.Props, fields)
		if !found || raw == "" {
			if cfg.ZoneField != "" && !found {
				return nil, fmt.Errorf("analysis: layer %s: %s: no zone field %q", name, f.Label(), cfg.ZoneField)
			}
			c.Zones[i] = spec.missing
			unzoned++
			continue
		}
		zone, err := normaliseZone(raw, spec, builtin, cfg)
		if err != nil {
			return nil, fmt.Errorf("analysis: layer %s: %s: %w", name, f.Label(), err)
		}
		c.Zones[i] = zone
	}
	if unzoned > 0 && builtin && spec.values != nil {
		what := "they take no zone-specific rule"
		if spec.missing != "" {
			what = "they count as " + spec.missing
		}
		c.Warnings = append(c.Warnings, geo.Warnf("layer %s: %d of %d features have no zone value (looked for %s): %s; "+
			"name the field with zone_field in a layers file if it has another name", name, unzoned, l.Len(), strings.Join(fields, ", "), what))
	}
	return c, nil
}

func normaliseZone(raw string, spec kindSpec, builtin bool, cfg LayerConfig) (string, error) {
	v := strings.TrimSpace(raw)
	if z, ok := cfg.ZoneMap[v]; ok {
		return z, nil
	}
	if !builtin || spec.freeText || spec.values == nil {
		return v, nil
	}
	if z, ok := spec.values[v]; ok {
		return z, nil
	}
	if z, ok := spec.values[strings.ToLower(v)]; ok {
		return z, nil
	}
	known := make([]string, 0, len(spec.values))
	for k := range spec.values {
		known = append(known, k)
	}
	sort.Strings(known)
	return "", fmt.Errorf("unknown zone value %q for a %s layer (known: %s; map it in the layers config)",
		v, cfg.Kind, strings.Join(known, ", "))
}

// lookupFold finds the first of fields in props, matching names
// case-insensitively, and renders its value as text.
func lookupFold(props map[string]any, fields []string) (string, bool) {
	for _, want := range fields {
		if v, ok := props[want]; ok {
			return valueString(v), true
		}
		// A shapefile cuts field names to 10 bytes: 功能分区 in a UTF-8
		// .dbf arrives as 功能分.
		short := dbfFieldName(want)
		for k, v := range props {
			if strings.EqualFold(k, want) || short != want && k == short {
				return valueString(v), true
			}
		}
	}
	return "", false
}

// dbfFieldName is name cut to the 10 bytes a DBF field name holds, on a
// UTF-8 character boundary.
func dbfFieldName(name string) string {
	n := 0
	for _, r := range name {
		if n+utf8.RuneLen(r) > 10 {
			break
		}
		n += utf8.RuneLen(r)
	}
	return name[:n]
}

func propString(props map[string]any, field string, defaults []string) string {
	fields := defaults
	if field != "" {
		fields = []string{field}
	}
	s, _ := lookupFold(props, fields)
	return s
}

func valueString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", v), "0"), ".")
	}
	return fmt.Sprint(v)
}

// KindZoneNameZH renders a normalised zone of a layer of kind in Chinese:
// as ZoneNameZH, except that a control unit's zones are its categories.
func KindZoneNameZH(kind, zone string) string {
	if kind == KindControlUnit && zone == "general" {
		return "一般管控单元"
	}
	return ZoneNameZH(zone)
}
