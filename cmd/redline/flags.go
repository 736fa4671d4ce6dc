package main

import (
	"io"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/report"
)

// The flag groups every verb shares: how inputs are read (readFlags), the one
// --layer grammar (parseLayerSpec), and the outputs (outputFlags). A verb
// embeds the groups it needs; nothing here is parsed twice.

// readFlags are the flags every command that reads layers takes.
func readFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "crs", Usage: "CRS of the input when the file does not say or says wrong (EPSG:4490, EPSG:4521, gcj02, …)"},
		&cli.StringFlag{Name: "id-field", Usage: "property giving feature ids (default: the first of id, ID, 编号, BSM, name)"},
		&cli.StringSliceFlag{Name: "dxf-layer", Usage: "DXF: read only this layer (repeatable; default all)"},
		&cli.BoolFlag{Name: "dxf-blocks", Value: true, Usage: "DXF: expand block INSERTs (--dxf-blocks=false to skip them)"},
		&cli.BoolFlag{Name: "dxf-close-circles", Usage: "DXF: read CIRCLEs as polygons, not lines"},
		&cli.StringFlag{Name: "gpkg-table", Usage: "GeoPackage: the feature table to read (default: the only one)"},
	}
}

func readOptions(c *cli.Context) data.ReadOptions {
	return data.ReadOptions{CRS: c.String("crs"), IDField: c.String("id-field"),
		DXFLayers: c.StringSlice("dxf-layer"), DXFNoBlocks: !c.Bool("dxf-blocks"), DXFCloseCircles: c.Bool("dxf-close-circles"),
		GPKGTable: c.String("gpkg-table")}
}

// layerSpec is one layer argument, [KIND=]SOURCE. KIND is a built-in kind
// (redline, reserve, …) or any other name, and names the layer; SOURCE is a
// file path, or a database URL (postgresql://…?table=…) where the store
// supports it.
type layerSpec struct {
	Kind   string // "" when the argument has none
	Source string
}

// Name is the layer's name: its kind, else the file name without extension
// (a database URL: its table).
func (s layerSpec) Name() string {
	if s.Kind != "" {
		return s.Kind
	}
	if u, err := url.Parse(s.Source); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		t := u.Query().Get("table")
		return t[strings.LastIndex(t, ".")+1:]
	}
	base := s.Source
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.LastIndex(base, "."); i > 0 {
		base = base[:i]
	}
	return base
}

// parseLayerSpec reads [KIND=]SOURCE. What stands before the first '=' is a
// KIND only when it looks like one (letters, digits, _ and -, no path or URL
// characters), so that `postgresql://h/db?table=t` and `./a=b.shp` are
// sources whole.
func parseLayerSpec(arg string) (layerSpec, error) {
	arg = strings.TrimSpace(arg)
	if k, src, ok := strings.Cut(arg, "="); ok && isKindName(k) {
		if src == "" {
			return layerSpec{}, usageErr("--layer %q: no source after %q= (want [KIND=]PATH)", arg, k)
		}
		return layerSpec{Kind: k, Source: src}, nil
	}
	if arg == "" {
		return layerSpec{}, usageErr("--layer: empty (want [KIND=]PATH)")
	}
	return layerSpec{Source: arg}, nil
}

func isKindName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// parseLayerSpecs reads every --layer argument.
func parseLayerSpecs(args []string) ([]layerSpec, error) {
	out := make([]layerSpec, 0, len(args))
	for _, a := range args {
		s, err := parseLayerSpec(a)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func specSources(specs []layerSpec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Source
	}
	return out
}

// outputSet says which outputs a verb offers: the --format values (the first
// is the default) and, for each output file flag, its usage text ("" when the
// verb has no such output).
type outputSet struct {
	Formats                       []string
	Pieces, CSV, JSON, HTML, XLSX string
	NoLang, NoProgress            bool // the verb prints no language-dependent text / does no long work
	Repair                        bool // the verb has --repair OUT (a feature file), checked with the others
}

// outputs are the output flags as given.
type outputs struct {
	Format string
	Lang   report.Lang
	Pieces string // -o: features (.geojson, .shp, .zip, .kml, .kmz, .gpkg)
	CSV    string
	JSON   string
	HTML   string
	XLSX   string
	Quiet  bool
}

// outputFlags are the output flags of a verb offering set.
func outputFlags(set outputSet) []cli.Flag {
	fl := []cli.Flag{&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: set.Formats[0], Usage: strings.Join(set.Formats, ", ") + " on stdout"}}
	if !set.NoLang {
		fl = append(fl, &cli.StringFlag{Name: "lang", Value: "zh", Usage: "report language: zh or en"})
	}
	add := func(name string, aliases []string, usage string) {
		if usage != "" {
			fl = append(fl, &cli.StringFlag{Name: name, Aliases: aliases, Usage: usage})
		}
	}
	add("output", []string{"o"}, set.Pieces)
	add("csv", nil, set.CSV)
	add("json", nil, set.JSON)
	add("html", nil, set.HTML)
	add("xlsx", nil, set.XLSX)
	if !set.NoProgress {
		fl = append(fl, &cli.BoolFlag{Name: quietFlag, Aliases: []string{"q"}, Usage: "no progress bars on stderr"})
	}
	return fl
}

// parseOutputs reads the output flags of set and checks --format and --lang,
// before any work is done.
func parseOutputs(c *cli.Context, set outputSet) (outputs, error) {
	o := outputs{Format: strings.ToLower(c.String("format")), Quiet: c.Bool(quietFlag)}
	if !slices.Contains(set.Formats, o.Format) {
		return o, usageErr("--format %q: want %s", c.String("format"), strings.Join(set.Formats, ", "))
	}
	o.Lang = report.ZH
	if !set.NoLang {
		var err error
		if o.Lang, err = parseLang(c.String("lang")); err != nil {
			return o, err
		}
	}
	get := func(name, usage string) string {
		if usage == "" {
			return ""
		}
		return c.String(name)
	}
	o.Pieces, o.CSV, o.JSON = get("output", set.Pieces), get("csv", set.CSV), get("json", set.JSON)
	o.HTML, o.XLSX = get("html", set.HTML), get("xlsx", set.XLSX)
	paths := []outputPath{{"-o", o.Pieces, true}, {"--csv", o.CSV, false}, {"--json", o.JSON, false},
		{"--html", o.HTML, false}, {"--xlsx", o.XLSX, false}}
	if set.Repair {
		paths = append(paths, outputPath{"--repair", c.String("repair"), true})
	}
	for _, p := range paths {
		if p.Path == stdoutPath {
			// That output is the stdout: the --format report gives way.
			c.App.Writer = io.Discard
		}
	}
	return o, checkOutputPaths(paths, commandInputs(c))
}

// commandInputs are the files a command reads: its arguments, --layer
// sources, --regions, --config, --rules and --landuse.
func commandInputs(c *cli.Context) []string {
	in := c.Args().Slice()
	for _, l := range c.StringSlice("layer") {
		if s, err := parseLayerSpec(l); err == nil {
			in = append(in, s.Source)
		}
	}
	for _, name := range []string{"regions", "config", "rules", "landuse"} {
		if v := c.String(name); v != "" {
			in = append(in, v)
		}
	}
	return in
}

// parseDistanceM reads a distance ("500", "500m", "1km", "1.5 km").
func parseDistanceM(s string) (float64, error) {
	return analysis.ParseDistance(s)
}

// parseAreaM2 reads an area ("0", "1m2", "0.5ha", "3亩", "1km2").
func parseAreaM2(s string) (float64, error) {
	return analysis.ParseArea(s)
}

func parseLang(s string) (report.Lang, error) {
	switch strings.ToLower(s) {
	case "zh", "":
		return report.ZH, nil
	case "en":
		return report.EN, nil
	}
	return "", usageErr("--lang %q: want zh or en", s)
}

// classFlag is --by, the breakdown by the values of a field that screen and
// share take: [LAYER=]FIELD, repeatable. screen names the layer (--by
// landuse=DLMC); share's FIELD alone applies to every layer.
func classFlag(usage string) cli.Flag {
	return &cli.StringSliceFlag{Name: "by", Usage: usage}
}

// parseClassBy reads every --by argument; needLayer says that the layer
// must be named (screen).
func parseClassBy(args []string, needLayer bool) ([]analysis.ClassBy, error) {
	var out []analysis.ClassBy
	seen := map[string]bool{}
	for _, a := range args {
		var by analysis.ClassBy
		l, f, named := strings.Cut(a, "=")
		if named {
			by = analysis.ClassBy{Layer: strings.TrimSpace(l), Field: strings.TrimSpace(f)}
		} else {
			by.Field = strings.TrimSpace(a)
		}
		switch {
		case by.Field == "" || named && by.Layer == "":
			return nil, usageErr("--by %q: want LAYER=FIELD (e.g. --by landuse=DLMC)", a)
		case needLayer && by.Layer == "":
			return nil, usageErr("--by %q: name the layer: --by LAYER=FIELD (e.g. --by landuse=DLMC)", a)
		case seen[by.Layer]:
			return nil, usageErr("--by %q: layer %q is broken down twice", a, by.Layer)
		}
		seen[by.Layer] = true
		out = append(out, by)
	}
	return out, nil
}

// invalidPolicy reads --skip-invalid and --repair (screen, diff, import):
// what to do with an invalid feature instead of stopping with its error.
func invalidPolicy(c *cli.Context) (analysis.InvalidPolicy, error) {
	switch {
	case c.Bool("skip-invalid") && c.Bool("repair"):
		return 0, usageErr("--skip-invalid and --repair exclude each other")
	case c.Bool("skip-invalid"):
		return analysis.InvalidSkip, nil
	case c.Bool("repair"):
		return analysis.InvalidRepair, nil
	}
	return analysis.InvalidError, nil
}
