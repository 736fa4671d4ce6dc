package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type screenOptions struct {
	outputs
	sites   string
	layers  []layerSpec
	config  string
	rules   string
	typ     string
	nearM   float64
	failOn  string
	read    data.ReadOptions
	invalid analysis.InvalidPolicy
	by      []analysis.ClassBy
	access  string // --access-list file
	// allowEmpty accepts constraint layers without polygon features.
	allowEmpty bool
	stderr     io.Writer
	outDB      string // results table URL
	dbLimit    int    // rows above which a table is read by pushdown
}

var screenOutputs = outputSet{Formats: []string{"table", "json", "csv"},
	Pieces: "write overlap pieces (.geojson, .shp, .zip, .kml, .kmz, .gpkg)",
	CSV:    "also write the CSV report to this file", JSON: "also write the JSON report to this file",
	HTML: "also write a printable HTML report with maps (self-contained, A4)",
	XLSX: "also write an Excel workbook (summary, conflicts, nearby)"}

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
		Flags: append(append(readFlags(), outputFlags(screenOutputs)...),
			&cli.StringSliceFlag{Name: "layer", Aliases: []string{"l"}, Usage: "constraint layer KIND=SOURCE (repeatable); SOURCE is a file or postgresql://…?table=schema.table"},
			&cli.StringFlag{Name: "config", Usage: "layers file (YAML): kind, path, zone field and mapping, id and name fields, by (class field), rules, access_list"},
			&cli.StringFlag{Name: "rules", Usage: "rule book file (YAML) extending the default one (replace: true replaces it)"},
			&cli.StringFlag{Name: "type", Usage: "project type of every site (else the site's project_type/项目类型, else other)"},
			&cli.StringFlag{Name: "near", Value: "1km", Usage: "list features within this distance (m, km) in the table, JSON, HTML and Excel reports (the CSV lists only conflicts and proximity-rule findings)"},
			&cli.StringFlag{Name: "fail-on", Value: "prohibited", Usage: "exit 3 when a verdict reaches: prohibited, restricted, review, any or never"},
			&cli.BoolFlag{Name: "allow-empty-layer", Usage: "accept a constraint layer with no polygon features (default: stop with an error, since every site would be clear)"},
			&cli.BoolFlag{Name: "skip-invalid", Usage: "leave invalid sites and layer features out, and list them; accept sites without geometry (kept in the reports with the verdict error) (default: stop with an error, exit 1)"},
			&cli.BoolFlag{Name: "repair", Usage: "repair invalid sites and layer features on load (exact repairs; MakeValid with GEOS) and list what changed"},
			classFlag("per site, the area of each value of a layer's field, features of a value dissolved, and the uncovered rest: "+
				"LAYER=FIELD (repeatable; --by landuse=DLMC gives the 土地利用现状表; DLBM codes are named by GB/T 21010-2017). "+
				"A layer named only here whose kind has no rules gives no conflicts, only the classes"),
			&cli.StringFlag{Name: "access-list", Usage: "access list of the control_unit layers (生态环境准入清单; CSV with a header, or YAML): " +
				"unit code or category, project type or GB/T 4754 industry code prefix, verdict, clause, source"},
			&cli.StringFlag{Name: "out-db", Usage: "also append the results (one row per site × conflict, with the pieces) to a PostGIS table: postgresql://…?table=schema.table"},
			&cli.IntFlag{Name: "db-load-limit", Value: defaultDBLoadLimit, Usage: "a layer table with more rows is read by pushdown (only the candidates of each batch of sites)"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErr("screen takes one SITES file, got %d arguments", c.NArg())
			}
			near, err := parseDistanceM(c.String("near"))
			if err != nil {
				return usageErr("--near: %v", err)
			}
			outs, err := parseOutputs(c, screenOutputs)
			if err != nil {
				return err
			}
			layers, err := parseLayerSpecs(c.StringSlice("layer"))
			if err != nil {
				return err
			}
			opt := screenOptions{outputs: outs, sites: c.Args().First(), layers: layers, config: c.String("config"),
				rules: c.String("rules"), typ: c.String("type"), nearM: near, failOn: c.String("fail-on"),
				read: readOptions(c), allowEmpty: c.Bool("allow-empty-layer"), stderr: c.App.ErrWriter, access: c.String("access-list"),
				outDB: c.String("out-db"), dbLimit: c.Int("db-load-limit")}
			if opt.by, err = parseClassBy(c.StringSlice("by"), true); err != nil {
				return err
			}
			if opt.invalid, err = invalidPolicy(c); err != nil {
				return err
			}
			return runScreen(c.Context, opt, c.App.Writer)
		},
	}
}

func runScreen(ctx context.Context, opt screenOptions, stdout io.Writer) error {
	limitMemory(append(specSources(opt.layers), opt.sites)...)
	threshold, err := failThreshold(opt.failOn)
	if err != nil {
		return err
	}
	if opt.typ != "" {
		if opt.typ, err = analysis.ParseProjectType(opt.typ); err != nil {
			return usageErr("--type: %v", err)
		}
	}
	prog := newProgress(opt.stderr, opt.Quiet)
	rep := reportInputs{meta: report.Meta{Generated: time.Now(), Version: version, NearM: opt.nearM}}
	read := func(path string, ro data.ReadOptions) (*geo.Layer, *data.LayerInfo, error) {
		l, info, err := readLayerProgress(path, ro, prog)
		if err == nil {
			rep.meta.Sources = append(rep.meta.Sources, reportSource(path, l, info))
		}
		return l, info, err
	}
	sdb := newScreenDB(ctx, opt.dbLimit)
	defer sdb.Close()
	layers, fc, err := loadConstraints(opt.layers, opt.config, opt.read, opt.allowEmpty, opt.stderr,
		sdb.wrap(read, func(src report.Source) { rep.meta.Sources = append(rep.meta.Sources, src) }))
	if err != nil {
		return err
	}
	slayers, pushdown, err := sdb.layers(layers)
	if err != nil {
		return err
	}
	rulesFile := fc.rules
	if opt.rules != "" {
		rulesFile = opt.rules
	}
	rules, err := loadRules(rulesFile)
	if err != nil {
		return err
	}
	if opt.by, err = mergeClassBy(fc.by, opt.by, opt.config); err != nil {
		return err
	}
	if err := checkClassLayers(opt.by, layers); err != nil {
		return err
	}
	if opt.access == "" { // --access-list wins over the config's access_list
		opt.access = fc.access
	}
	access, err := loadAccessList(opt.access, layers, opt.stderr)
	if err != nil {
		return err
	}
	sites, info, err := read(opt.sites, opt.read)
	if err != nil {
		return err
	}
	warn(opt.stderr, info.Warnings)
	if pushdown {
		// The extent of a table read piecemeal is not known: no extent check.
		if sites.Len() == 0 {
			return fmt.Errorf("%s: no sites (the file has no features with a geometry)", opt.sites)
		}
	} else if err := checkScreenInputs(opt.sites, sites, layers, opt.stderr); err != nil {
		return err
	}
	rep.layers, rep.meta.Sources = layers, nameSources(rep.meta.Sources, layers)
	var notScreened []analysis.NotScreened
	for _, n := range info.NoGeometry {
		notScreened = append(notScreened, analysis.NotScreened{Index: n.Index, ID: n.ID, Props: n.Props,
			Reason: "no geometry (null or empty): not screened"})
	}
	tick, done := prog.counter(sites.Len(), "screening")
	sopt := analysis.ScreenOptions{Type: opt.typ, NearM: nearListed(opt), Progress: tick, Invalid: opt.invalid,
		Pieces: opt.Pieces != "" || opt.HTML != "" || opt.outDB != "", By: opt.by, Access: access, NotScreened: notScreened}
	var res *analysis.ScreenResult
	var stream *screenStream // the CSV written as the sites are done (nil: res holds them)
	if pushdown {
		var st pushdownStats
		res, st, err = screenPushdown(ctx, sites, slayers, rules, sopt, pushdownBatch)
		if err == nil && !opt.Quiet {
			fmt.Fprintf(opt.stderr, "pushdown: %d batches of up to %d sites, %d queries (%.1f ms each, decoding included), %d rows fetched (%.1f per site), %d features held\n",
				st.Batches, pushdownBatch, st.Queries, float64(st.QueryTime.Microseconds())/1000/float64(max(1, st.Queries)),
				st.Fetched, float64(st.Fetched)/float64(max(1, sites.Len())), st.Cached)
		}
	} else {
		if stream = newScreenStream(opt, threshold); stream != nil {
			defer stream.Close()
			sopt.Emit, sopt.ReleaseSites = stream.site, true // nothing after the run reads the sites' features
		}
		res, err = analysis.Screen(ctx, sites, layers, rules, sopt)
	}
	done()
	if err != nil {
		return err
	}
	if stream != nil {
		warn(opt.stderr, report.ScreenWarnings(opt.Lang, &analysis.ScreenResult{Sites: stream.warned}))
	} else {
		warn(opt.stderr, report.ScreenWarnings(opt.Lang, res))
	}
	if res.Summary.Sites == res.Summary.Error {
		return fmt.Errorf("%s: no site was screened: all %d sites with a geometry are invalid and were left out (--skip-invalid); nothing to report",
			opt.sites, sites.Len())
	}
	if pushdown {
		// Reports draw the features near the sites: those fetched.
		if err := reportLayers(layers, slayers); err != nil {
			return err
		}
	}
	if opt.outDB != "" {
		if err := writeScreenDB(ctx, opt.outDB, res, rep.meta.Generated); err != nil {
			return err
		}
	}
	for _, n := range res.Repairs {
		warnf(opt.stderr, "%s: %s: %s: %s (area %s → %s m²)", n.Layer, geo.Label("feature", n.FeatureIndex, n.FeatureID),
			n.Reason, n.Action, report.FormatNumber(n.AreaBeforeM2, 2), report.FormatNumber(n.AreaAfterM2, 2))
	}
	if err := writeScreenOutputs(ctx, res, rep, opt); err != nil {
		return err
	}
	switch {
	case stream != nil:
		err = stream.writeTo(stdout)
	case opt.Format == "json":
		err = report.WriteJSON(stdout, res)
	case opt.Format == "csv":
		err = report.WriteScreenCSV(stdout, res, opt.Lang)
	default:
		err = report.WriteScreenTable(stdout, res, opt.Lang)
	}
	if err != nil {
		return err
	}
	if len(notScreened) > 0 && opt.invalid != analysis.InvalidSkip {
		return fmt.Errorf("%s: %d of %d sites have no geometry and were not screened (%s first; verdict error in the reports): "+
			"fix them, or give --skip-invalid to accept the others' verdicts", opt.sites, len(notScreened), res.Summary.Sites,
			geo.Label("site", notScreened[0].Index, notScreened[0].ID))
	}
	if stream != nil {
		return stream.fail.err()
	}
	return screenExit(res, threshold)
}

// reportInputs is what the HTML report shows besides the result: the
// layers (for its maps) and the data sources.
type reportInputs struct {
	layers []*analysis.Constraint
	meta   report.Meta
}

func writeScreenOutputs(ctx context.Context, res *analysis.ScreenResult, rep reportInputs, opt screenOptions) error {
	if opt.Pieces != "" {
		fields, pieces := report.ScreenPieces(res)
		if err := writeFeatures(ctx, opt.Pieces, fields, pieces, "", opt.stderr); err != nil {
			return err
		}
	}
	if opt.CSV != "" {
		if err := writeFileAtomic(ctx, opt.CSV, func(f io.Writer) error { return report.WriteScreenCSV(f, res, opt.Lang) }); err != nil {
			return err
		}
	}
	if opt.JSON != "" {
		if err := writeFileAtomic(ctx, opt.JSON, func(f io.Writer) error { return report.WriteJSON(f, res) }); err != nil {
			return err
		}
	}
	if opt.HTML != "" {
		if err := writeFileAtomic(ctx, opt.HTML, func(f io.Writer) error {
			return report.WriteScreenHTML(f, res, rep.layers, rep.meta, opt.Lang)
		}); err != nil {
			return err
		}
	}
	if opt.XLSX != "" {
		if err := writeFileAtomic(ctx, opt.XLSX, func(f io.Writer) error { return report.WriteScreenXLSX(f, res, opt.Lang) }); err != nil {
			return err
		}
	}
	return nil
}

// screenExit returns errFindings when a site's verdict reaches threshold.
func screenExit(res *analysis.ScreenResult, threshold analysis.Verdict) error {
	w := failWatch{threshold: threshold}
	for i := range res.Sites {
		w.see(&res.Sites[i])
	}
	return w.err()
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

// fromConfig is what a layers file says besides its layers, with paths
// resolved against the file's folder.
type fromConfig struct {
	rules  string             // the rule book file
	access string             // the access list file
	by     []analysis.ClassBy // the layers' `by:` keys, by the layers' final names
}

// loadConstraints reads the --layer and --config layers; it returns what
// else the config says (rule book, access list, tables by class).
func loadConstraints(specs []layerSpec, config string, read data.ReadOptions, allowEmpty bool, stderr io.Writer,
	readFn func(path string, opt data.ReadOptions) (*geo.Layer, *data.LayerInfo, error)) ([]*analysis.Constraint, fromConfig, error) {
	var fc fromConfig
	var cfgs []data.ConfigLayer
	for _, s := range specs {
		if s.Kind == "" {
			return nil, fc, usageErr("--layer %q: screen needs the layer's kind: --layer KIND=PATH (e.g. --layer redline=redline.shp)", s.Source)
		}
		cfgs = append(cfgs, data.ConfigLayer{Kind: s.Kind, Path: s.Source})
	}
	if config != "" {
		b, err := os.ReadFile(config)
		if err != nil {
			return nil, fc, err
		}
		cfg, err := data.ParseConfig(b, config)
		if err != nil {
			return nil, fc, err
		}
		dir := filepath.Dir(config)
		for _, l := range cfg.Layers {
			if !filepath.IsAbs(l.Path) && !postgis.IsURL(l.Path) {
				l.Path = filepath.Join(dir, l.Path)
			}
			cfgs = append(cfgs, l)
		}
		rel := func(p string) string {
			if p != "" && !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			return p
		}
		fc.rules, fc.access = rel(cfg.Rules), rel(cfg.AccessList)
	}
	if len(cfgs) == 0 {
		return nil, fc, usageErr("no constraint layers: give --layer KIND=PATH or --config FILE")
	}
	out, err := readConstraints(cfgs, read, allowEmpty, stderr, readFn)
	if err != nil {
		return nil, fc, err
	}
	for i, lc := range cfgs { // one constraint per entry, in order
		if lc.By != "" {
			fc.by = append(fc.by, analysis.ClassBy{Layer: out[i].Name, Field: lc.By})
		}
	}
	return out, fc, nil
}

// mergeClassBy adds the command line's --by to the config's by: keys; the
// same layer broken down by two different fields is a usage error.
func mergeClassBy(config, flags []analysis.ClassBy, configFile string) ([]analysis.ClassBy, error) {
	out := slices.Clone(config)
	for _, f := range flags {
		i := slices.IndexFunc(out, func(c analysis.ClassBy) bool { return c.Layer == f.Layer })
		switch {
		case i < 0:
			out = append(out, f)
		case out[i].Field != f.Field:
			return nil, usageErr("--by %s=%s: %s says by: %s for layer %s; give one of them", f.Layer, f.Field, configFile, out[i].Field, f.Layer)
		}
	}
	return out, nil
}

// readConstraints reads each configured layer with readFn (readLayer from
// the file system; demo reads the embedded data set) and reads its zones.
func readConstraints(cfgs []data.ConfigLayer, read data.ReadOptions, allowEmpty bool, stderr io.Writer,
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
		if err := checkConstraintLayer(lc.Path, name, l, info, allowEmpty, stderr); err != nil {
			return nil, err
		}
		warn(stderr, c.Warnings)
		out = append(out, c)
	}
	return out, nil
}

// checkClassLayers: every --by names a loaded layer.
func checkClassLayers(by []analysis.ClassBy, layers []*analysis.Constraint) error {
	for _, b := range by {
		names := make([]string, len(layers))
		found := false
		for i, c := range layers {
			names[i], found = c.Name, found || c.Name == b.Layer
		}
		if !found {
			return usageErr("--by %s=%s: no layer %s (layers: %s)", b.Layer, b.Field, b.Layer, strings.Join(names, ", "))
		}
	}
	return nil
}

// loadAccessList reads --access-list; without a control_unit layer it
// has nothing to apply to, which is worth a warning.
func loadAccessList(path string, layers []*analysis.Constraint, stderr io.Writer) (*analysis.AccessList, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a, err := analysis.ParseAccessList(path, b)
	if err != nil {
		return nil, err
	}
	units := false
	for _, c := range layers {
		units = units || c.Kind == analysis.KindControlUnit
	}
	if !units {
		fmt.Fprintf(stderr, "warning: --access-list %s: no control_unit layer to apply it to (give --layer control_unit=PATH)\n", path)
	}
	return a, nil
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

// nearListed is the distance within which nearby features are measured:
// --near when an output lists them (table, JSON, HTML, Excel), else 0 —
// the CSV lists only conflicts and proximity-rule findings, and proximity
// rules measure as far as they need whatever this says.
func nearListed(opt screenOptions) float64 {
	if opt.Format == "csv" && opt.JSON == "" && opt.HTML == "" && opt.XLSX == "" {
		return 0
	}
	return opt.nearM
}
