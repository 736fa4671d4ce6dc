package data

import (
	"bytes"
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
//	  - kind: landuse
//	    path: 三调.shp
//	    by: DLMC                   # optional: its table by class (screen --by landuse=DLMC)
//	  - kind: control_unit
//	    path: 管控单元.shp
//	rules: my-rules.yaml           # optional rule book (extends the default)
//	access_list: 准入清单.csv       # optional: the control units' access list (screen --access-list)
type Config struct {
	Layers []ConfigLayer `yaml:"layers"`
	Rules  string        `yaml:"rules"`
	// AccessList is the file of the control_unit layers' access list
	// (生态环境准入清单), relative to the config file.
	AccessList string `yaml:"access_list"`
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
	// By names the field whose values break this layer down into classes
	// (the table by class, as `screen --by LAYER=FIELD` for this layer).
	By string `yaml:"by"`
}

// ParseConfig reads a layers file; name is used in messages, which give the
// line of the key at fault.
func ParseConfig(b []byte, name string) (*Config, error) {
	var c Config
	if err := yaml.UnmarshalWithOptions(b, &c, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	at := func(path string) string {
		if line := configLine(b, path); line > 0 {
			return fmt.Sprintf("data: %s:%d: ", name, line)
		}
		return fmt.Sprintf("data: %s: ", name)
	}
	for i, l := range c.Layers {
		item := fmt.Sprintf("$.layers[%d]", i)
		switch {
		case strings.TrimSpace(l.Kind) == "":
			return nil, fmt.Errorf("%slayer %d: no kind", at(item), i)
		case strings.TrimSpace(l.Path) == "":
			return nil, fmt.Errorf("%slayer %d (%s): no path", at(item), i, l.Kind)
		}
		by := strings.TrimSpace(l.By)
		switch {
		case l.By != "" && by == "":
			return nil, fmt.Errorf("%slayer %d (%s): by: no field name", at(item+".by"), i, l.Kind)
		case strings.Contains(by, "="):
			_, field, _ := strings.Cut(by, "=")
			return nil, fmt.Errorf("%slayer %d (%s): by: %q: give the field only (by: %s); the layer is the one it stands under",
				at(item+".by"), i, l.Kind, l.By, strings.TrimSpace(field))
		}
		c.Layers[i].By = by
	}
	if c.AccessList != "" && strings.TrimSpace(c.AccessList) == "" {
		return nil, fmt.Errorf("%saccess_list: no file name", at("$.access_list"))
	}
	c.AccessList = strings.TrimSpace(c.AccessList)
	return &c, nil
}

// configLine is the line of the YAML node at path in b (0: not found).
func configLine(b []byte, path string) int {
	p, err := yaml.PathString(path)
	if err != nil {
		return 0
	}
	n, err := p.ReadNode(bytes.NewReader(b))
	if err != nil || n == nil || n.GetToken() == nil {
		return 0
	}
	return n.GetToken().Position.Line
}
