package data

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
)

// Config is a layers file (YAML; TOML-like keys): the constraint layers to
// screen against, and how to read each one.
//
//	layers:
//	  - kind: reserve
//	    path: reserve.shp          # relative to the config file
//	    name: 南滚河保护区           # optional; defaults to the kind
//	    zone_field: GNFQ           # optional; else the kind's candidates
//	    zones: {核心: core}        # optional extra zone value mappings
//	    id_field: BSM
//	    name_field: MC
//	    crs: EPSG:4521             # optional override
//	rules: my-rules.yaml           # optional rule book (extends the default)
type Config struct {
	Layers []ConfigLayer `yaml:"layers"`
	Rules  string        `yaml:"rules"`
}

// ConfigLayer is one layer of a Config.
type ConfigLayer struct {
	Kind      string            `yaml:"kind"`
	Path      string            `yaml:"path"`
	Name      string            `yaml:"name"`
	ZoneField string            `yaml:"zone_field"`
	Zones     map[string]string `yaml:"zones"`
	IDField   string            `yaml:"id_field"`
	NameField string            `yaml:"name_field"`
	CRS       string            `yaml:"crs"`
}

// ParseConfig reads a layers file; name is used in messages.
func ParseConfig(b []byte, name string) (*Config, error) {
	var c Config
	if err := yaml.UnmarshalWithOptions(b, &c, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	for i, l := range c.Layers {
		switch {
		case strings.TrimSpace(l.Kind) == "":
			return nil, fmt.Errorf("data: %s: layer %d: no kind", name, i)
		case strings.TrimSpace(l.Path) == "":
			return nil, fmt.Errorf("data: %s: layer %d (%s): no path", name, i, l.Kind)
		}
	}
	return &c, nil
}
