package report

import "hash/fnv"

// featureStyle is how a constraint feature is drawn on a report map.
type featureStyle struct{ fill, stroke string }

// kindStyles is the fixed palette per built-in kind and zone ("" = any
// zone of that kind without its own entry).
var kindStyles = map[string]map[string]featureStyle{
	"redline": {"": {"#e34a33", "#b30000"}},
	"reserve": {
		"core":         {"#006d2c", "#00441b"},
		"buffer":       {"#41ab5d", "#006d2c"},
		"experimental": {"#a1d99b", "#41ab5d"},
		"general":      {"#74c476", "#238b45"},
		"":             {"#238b45", "#00441b"},
	},
	"water": {
		"I":     {"#08519c", "#08306b"},
		"II":    {"#4292c6", "#08519c"},
		"quasi": {"#9ecae1", "#4292c6"},
		"":      {"#6baed6", "#08519c"},
	},
	"farmland":      {"": {"#dfc27d", "#a6761d"}},
	"urban":         {"": {"#bdbdbd", "#636363"}},
	"wetland":       {"": {"#41b6c4", "#1d91c0"}},
	"forest_park":   {"": {"#78c679", "#31a354"}},
	"scenic":        {"": {"#c994c7", "#ae017e"}},
	"geopark":       {"": {"#bf812d", "#8c510a"}},
	"livestock_ban": {"": {"#fdae6b", "#e6550d"}},
	"control_unit": {
		"priority": {"#9e9ac8", "#54278f"},
		"key":      {"#fc9272", "#cb181d"},
		"general":  {"#d9d9d9", "#737373"},
		"":         {"#bcbddc", "#756bb1"},
	},
}

// userStyles colour user-defined kinds, chosen by a hash of the kind.
var userStyles = []featureStyle{
	{"#8da0cb", "#3f51b5"}, {"#e78ac3", "#c2185b"}, {"#a6d854", "#558b2f"},
	{"#ffd92f", "#b8860b"}, {"#e5c494", "#8d6e63"}, {"#b3b3b3", "#424242"},
}

func styleOf(kind, zone string) featureStyle {
	if zs, ok := kindStyles[kind]; ok {
		if s, ok := zs[zone]; ok {
			return s
		}
		return zs[""]
	}
	h := fnv.New32a()
	h.Write([]byte(kind))
	return userStyles[h.Sum32()%uint32(len(userStyles))]
}

// verdictColor is the colour of a verdict's badge and overlap pieces.
func verdictColor(v string) string {
	switch v {
	case "prohibited":
		return "#c62828"
	case "restricted":
		return "#ef6c00"
	case "review":
		return "#f2b600"
	case "allowed":
		return "#2e7d32"
	}
	return "#607d8b"
}
