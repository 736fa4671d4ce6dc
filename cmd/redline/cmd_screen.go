package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type screenOptions struct {
	sites    string
	layers   []string // KIND=PATH
	config   string
	rules    string
	typ      string
	nearM    float64
	format   string
	lang     report.Lang
	failOn   string
	out      string // pieces: .geojson, .shp, .zip, .kml
	csvPath  string
	jsonPath string
	htmlPath string
	xlsxPath string
	quiet    bool
	read     data.ReadOptions
	invalid  analysis.InvalidPolicy
	stderr   io.Writer
}

func screenCommand() *cli.Command {
	return &cli.Command{
		Name:      "screen",
		Usage:     "screen project sites against constraint layers with the rule book (选址/用地预审)",
		ArgsUsage: "SITES",
		Description: "Checks each site (polygon, line or point) against every constraint layer: overlap in m², ha, 亩\n" +
			"and % of the site (per feature and per dissolved layer), length inside for lines, nearby features\n" +
			"with geodesic distances, and the verdict of the rule book (prohibited > restricted > review > allowed).\n" +
			"Built-in kinds: " + strings.Join(analysis.BuiltinKinds(), ", ") + "; any other name is a user kind.\n" +
			"Exit code 3 when a site's verdict reaches --fail-on.",
		Flags: append(readFlags(),
			&cli.StringSliceFlag{Name: "layer", Aliases: []string{"l"}, Usage: "constraint layer KIND=PATH (repeatable)"},
			&cli.StringFlag{Name: "config", Usage: "layers file (YAML): kind, path, zone field and mapping, id and name fields"},
			&cli.StringFlag{Name: "rules", Usage: "rule book file (YAML) extending the default one (replace: true replaces it)"},
			&cli.StringFlag{Name: "type", Usage: "project type of every site (else the site's project_type/项目类型, else other)"},
			&cli.StringFlag{Name: "near", Value: "1km", Usage: "list features within this distance (m, km) in the table, JSON, HTML and Excel reports (the CSV lists only conflicts and proximity-rule findings)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "table", Usage: "table, json or csv"},
			&cli.StringFlag{Name: "lang", Value: "zh", Usage: "report language: zh or en"},
			&cli.StringFlag{Name: "fail-on", Value: "prohibited", Usage: "exit 3 when a verdict reaches: prohibited, restricted, review, any or never"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write overlap pieces (.geojson, .shp, .zip, .kml)"},
			&cli.StringFlag{Name: "csv", Usage: "also write the CSV report to this file"},
			&cli.StringFlag{Name: "json", Usage: "also write the JSON report to this file"},
			&cli.BoolFlag{Name: "skip-invalid", Usage: "leave invalid sites and layer features out, and list them (default: stop with an error)"},
			&cli.BoolFlag{Name: "repair", Usage: "repair invalid sites and layer features on load (exact repairs; MakeValid with GEOS) and list what changed"},
			&cli.StringFlag{Name: "html", Usage: "also write a printable HTML report with maps (self-contained, A4)"},
			&cli.StringFlag{Name: "xlsx", Usage: "also write an Excel workbook (summary, conflicts, nearby)"},
			&cli.BoolFlag{Name: quietFlag, Aliases: []string{"q"}, Usage: "no progress bars on stderr"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErr("screen takes one SITES file, got %d arguments", c.NArg())
			}
			near, err := parseDistanceM(c.String("near"))
			if err != nil {
				return usageErr("--near: %v", err)
			}
			lang, err := parseLang(c.String("lang"))
			if err != nil {
				return err
			}
			opt := screenOptions{sites: c.Args().First(), layers: c.StringSlice("layer"), config: c.String("config"),
				rules: c.String("rules"), typ: c.String("type"), nearM: near, format: c.String("format"), lang: lang,
				failOn: c.String("fail-on"), out: c.String("output"), csvPath: c.String("csv"), jsonPath: c.String("json"),
				htmlPath: c.String("html"), xlsxPath: c.String("xlsx"), quiet: c.Bool(quietFlag),
				read: readOptions(c), stderr: c.App.ErrWriter}
			switch {
			case c.Bool("skip-invalid") && c.Bool("repair"):
				return usageErr("--skip-invalid and --repair exclude each other")
			case c.Bool("skip-invalid"):
				opt.invalid = analysis.InvalidSkip
			case c.Bool("repair"):
				opt.invalid = analysis.InvalidRepair
			}
			return runScreen(c.Context, opt, c.App.Writer)
		},
	}
}

func runScreen(ctx context.Context, opt screenOptions, stdout io.Writer) error {
	limitMemory(append(argPaths(opt.layers), opt.sites)...)
	if opt.format != "table" && opt.format != "json" && opt.format != "csv" {
		return usageErr("--format %q: want table, json or csv", opt.format)
	}
	threshold, err := failThreshold(opt.failOn)
	if err != nil {
		return err
	}
	if opt.typ != "" {
		if opt.typ, err = analysis.ParseProjectType(opt.typ); err != nil {
			return usageErr("--type: %v", err)
		}
	}
	prog := newProgress(opt.stderr, opt.quiet)
	rep := reportInputs{meta: report.Meta{Generated: time.Now(), Version: version, NearM: opt.nearM}}
	read := func(path string, ro data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
		l, info, err := readLayerProgress(path, ro, prog)
		if err == nil {
			rep.meta.Sources = append(rep.meta.Sources, reportSource(path, l, info))
		}
		return l, info, err
	}
	layers, rulesFile, err := loadConstraints(opt.layers, opt.config, opt.read, opt.stderr, read)
	if err != nil {
		return err
	}
	if opt.rules != "" {
		rulesFile = opt.rules
	}
	rules, err := loadRules(rulesFile)
	if err != nil {
		return err
	}
	sites, info, err := read(opt.sites, opt.read)
	if err != nil {
		return err
	}
	warn(opt.stderr, info.Warnings)
	if err := checkScreenInputs(opt.sites, sites, layers, opt.stderr); err != nil {
		return err
	}
	rep.layers, rep.meta.Sources = layers, nameSources(rep.meta.Sources, layers)
	tick, done := prog.counter(sites.Len(), "screening")
	res, err := analysis.Screen(ctx, sites, layers, rules, analysis.ScreenOptions{Type: opt.typ, NearM: nearListed(opt), Progress: tick, Invalid: opt.invalid,
		Pieces: opt.out != "" || opt.htmlPath != ""})
	done()
	if err != nil {
		return err
	}
	for _, n := range res.Repairs {
		fmt.Fprintf(opt.stderr, "warning: %s: %s: %s: %s (area %s → %s m²)\n", n.Layer, geo.Label("feature", n.FeatureIndex, n.FeatureID),
			n.Reason, n.Action, report.FormatNumber(n.AreaBeforeM2, 2), report.FormatNumber(n.AreaAfterM2, 2))
	}
	if err := writeScreenOutputs(res, rep, opt); err != nil {
		return err
	}
	switch opt.format {
	case "json":
		err = report.WriteJSON(stdout, res)
	case "csv":
		err = report.WriteScreenCSV(stdout, res, opt.lang)
	default:
		err = report.WriteScreenTable(stdout, res, opt.lang)
	}
	if err != nil {
		return err
	}
	return screenExit(res, threshold)
}

// reportInputs is what the HTML report shows besides the result: the
// layers (for its maps) and the data sources.
type reportInputs struct {
	layers []*analysis.Constraint
	meta   report.Meta
}

func writeScreenOutputs(res *analysis.ScreenResult, rep reportInputs, opt screenOptions) error {
	if opt.out != "" {
		fields, pieces := report.ScreenPieces(res)
		if err := writeFeatures(opt.out, fields, pieces, ""); err != nil {
			return err
		}
	}
	if opt.csvPath != "" {
		if err := writeFileAtomic(opt.csvPath, func(f *os.File) error { return report.WriteScreenCSV(f, res, opt.lang) }); err != nil {
			return err
		}
	}
	if opt.jsonPath != "" {
		if err := writeFileAtomic(opt.jsonPath, func(f *os.File) error { return report.WriteJSON(f, res) }); err != nil {
			return err
		}
	}
	if opt.htmlPath != "" {
		if err := writeFileAtomic(opt.htmlPath, func(f *os.File) error {
			return report.WriteScreenHTML(f, res, rep.layers, rep.meta, opt.lang)
		}); err != nil {
			return err
		}
	}
	if opt.xlsxPath != "" {
		if err := writeFileAtomic(opt.xlsxPath, func(f *os.File) error { return report.WriteScreenXLSX(f, res, opt.lang) }); err != nil {
			return err
		}
	}
	return nil
}

// screenExit returns errFindings when a site's verdict reaches threshold.
func screenExit(res *analysis.ScreenResult, threshold analysis.Verdict) error {
	if threshold == 0 {
		return nil
	}
	for _, s := range res.Sites {
		if s.Verdict >= threshold {
			return fmt.Errorf("%w: site %s is %s", errFindings, s.ID, s.Verdict)
		}
	}
	return nil
}

// failThreshold maps --fail-on to the lowest verdict that fails (0: never).
func failThreshold(s string) (analysis.Verdict, error) {
	switch s {
	case "never":
		return 0, nil
	case "any":
		return analysis.Allowed, nil
	}
	v, err := analysis.ParseVerdict(s)
	if err != nil || v == analysis.Clear || v == analysis.Allowed {
		return 0, usageErr("--fail-on %q: want prohibited, restricted, review, any or never", s)
	}
	return v, nil
}

// loadConstraints reads the --layer and --config layers; it returns the
// rule book file the config names, if any.
func loadConstraints(specs []string, config string, read data.ReadOptions, stderr io.Writer,
	readFn func(path string, opt data.ReadOptions) (*geo.Layer, *data.LayerInfo, error)) ([]*analysis.Constraint, string, error) {
	var cfgs []data.ConfigLayer
	for _, s := range specs {
		kind, path, ok := strings.Cut(s, "=")
		if !ok || kind == "" || path == "" {
			return nil, "", usageErr("--layer %q: want KIND=PATH (e.g. --layer redline=redline.shp)", s)
		}
		cfgs = append(cfgs, data.ConfigLayer{Kind: kind, Path: path})
	}
	rulesFile := ""
	if config != "" {
		b, err := os.ReadFile(config)
		if err != nil {
			return nil, "", err
		}
		cfg, err := data.ParseConfig(b, config)
		if err != nil {
			return nil, "", err
		}
		dir := filepath.Dir(config)
		for _, l := range cfg.Layers {
			if !filepath.IsAbs(l.Path) {
				l.Path = filepath.Join(dir, l.Path)
			}
			cfgs = append(cfgs, l)
		}
		if cfg.Rules != "" {
			rulesFile = cfg.Rules
			if !filepath.IsAbs(rulesFile) {
				rulesFile = filepath.Join(dir, rulesFile)
			}
		}
	}
	if len(cfgs) == 0 {
		return nil, "", usageErr("no constraint layers: give --layer KIND=PATH or --config FILE")
	}
	out, err := readConstraints(cfgs, read, stderr, readFn)
	return out, rulesFile, err
}

// readConstraints reads each configured layer with readFn (readLayer from
// the file system; demo reads the embedded data set) and reads its zones.
func readConstraints(cfgs []data.ConfigLayer, read data.ReadOptions, stderr io.Writer,
	readFn func(path string, opt data.ReadOptions) (*geo.Layer, *data.LayerInfo, error)) ([]*analysis.Constraint, error) {
	names := map[string]int{}
	var out []*analysis.Constraint
	for _, lc := range cfgs {
		ro := read
		if lc.IDField != "" {
			ro.IDField = lc.IDField
		}
		if lc.CRS != "" {
			ro.CRS = lc.CRS
		}
		l, info, err := readFn(lc.Path, ro)
		if err != nil {
			return nil, err
		}
		warn(stderr, info.Warnings)
		name := lc.Name
		if name == "" {
			name = lc.Kind
		}
		if names[name]++; names[name] > 1 {
			name = fmt.Sprintf("%s#%d", name, names[name])
		}
		c, err := analysis.NewConstraint(l, analysis.LayerConfig{Name: name, Kind: lc.Kind, ZoneField: lc.ZoneField,
			ZoneMap: lc.Zones, NameField: lc.NameField})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", lc.Path, err)
		}
		warn(stderr, c.Warnings)
		out = append(out, c)
	}
	return out, nil
}

func loadRules(path string) (*analysis.RuleBook, error) {
	def := analysis.DefaultRules()
	if path == "" {
		return def, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	user, err := analysis.ParseRules(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return def.Extend(user), nil
}

func warn(w io.Writer, msgs []string) {
	for _, m := range msgs {
		fmt.Fprintf(w, "warning: %s\n", m)
	}
}

// nearListed is the distance within which nearby features are measured:
// --near when an output lists them (table, JSON, HTML, Excel), else 0 —
// the CSV lists only conflicts and proximity-rule findings, and proximity
// rules measure as far as they need whatever this says.
func nearListed(opt screenOptions) float64 {
	if opt.format == "csv" && opt.jsonPath == "" && opt.htmlPath == "" && opt.xlsxPath == "" {
		return 0
	}
	return opt.nearM
}
