package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type shareOptions struct {
	regions     string
	regionField string
	layers      []string // [NAME=]PATH
	targets     []string
	whole       bool
	preset      string
	format      string
	lang        report.Lang
	out         string
	htmlPath    string
	xlsxPath    string
	quiet       bool
	read        data.ReadOptions
	stderr      io.Writer
}

func shareCommand() *cli.Command {
	return &cli.Command{
		Name:  "share",
		Usage: "area share of each region covered by a layer, against targets (面积占比)",
		Description: "For each region (county, township, …): its area, the area of the layer inside it after dissolving the\n" +
			"layer (overlapping features count once) and the share; and the total over the union of the regions\n" +
			"(regions overlapping each other count once and are listed, as are gaps between them).\n" +
			"Targets: --target 25.6 | 25.6% | redline=25.6% | reserve=200000ha (units m2, ha, mu/亩, km2).\n" +
			"--preset lincang-2020 computes the plan's scorecard from layers named redline, reserve, forest,\n" +
			"wetland (and protected). Exit code 3 when a target is missed.",
		Flags: append(readFlags(),
			&cli.StringFlag{Name: "regions", Aliases: []string{"r"}, Usage: "regions file (counties, townships, …) (required)"},
			&cli.StringFlag{Name: "region-field", Usage: "property with the region names (default: a name-like property, else the id)"},
			&cli.StringSliceFlag{Name: "layer", Aliases: []string{"l"}, Usage: "layer [NAME=]PATH (repeatable)"},
			&cli.StringSliceFlag{Name: "target", Aliases: []string{"t"}, Usage: "target [LAYER=]VALUE: 25.6, 25.6%, 200000ha, 430000亩 (repeatable)"},
			&cli.BoolFlag{Name: "whole", Usage: "treat all regions as one (only the total)"},
			&cli.StringFlag{Name: "preset", Usage: "scorecard of a plan's indicators: " + strings.Join(analysis.Presets(), ", ")},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "table", Usage: "table, json or csv"},
			&cli.StringFlag{Name: "lang", Value: "zh", Usage: "report language: zh or en"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the regions with area, covered area and share (.geojson, .shp, .zip, .kml)"},
			&cli.StringFlag{Name: "html", Usage: "also write a printable HTML report (bar chart against the target, map shaded by share)"},
			&cli.StringFlag{Name: "xlsx", Usage: "also write an Excel workbook (shares, scorecard)"},
			&cli.BoolFlag{Name: quietFlag, Aliases: []string{"q"}, Usage: "no progress bars on stderr"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usageErr("share takes no positional arguments (use --regions and --layer), got %q", c.Args().First())
			}
			lang, err := parseLang(c.String("lang"))
			if err != nil {
				return err
			}
			opt := shareOptions{regions: c.String("regions"), regionField: c.String("region-field"), layers: c.StringSlice("layer"),
				targets: c.StringSlice("target"), whole: c.Bool("whole"), preset: c.String("preset"), format: c.String("format"),
				lang: lang, out: c.String("output"), htmlPath: c.String("html"), xlsxPath: c.String("xlsx"), quiet: c.Bool(quietFlag),
				read: readOptions(c), stderr: c.App.ErrWriter}
			return runShare(c.Context, opt, c.App.Writer)
		},
	}
}

type namedPath struct{ name, path string }

func runShare(ctx context.Context, opt shareOptions, stdout io.Writer) error {
	limitMemory(append(argPaths(opt.layers), opt.regions)...)
	if opt.format != "table" && opt.format != "json" && opt.format != "csv" {
		return usageErr("--format %q: want table, json or csv", opt.format)
	}
	if opt.regions == "" {
		return usageErr("share needs --regions FILE")
	}
	layers, err := shareLayerSpecs(opt.layers)
	if err != nil {
		return err
	}
	targets, err := shareTargets(opt.targets, opt.preset, layers)
	if err != nil {
		return err
	}
	prog := newProgress(opt.stderr, opt.quiet)
	meta := report.Meta{Generated: time.Now(), Version: version}
	regions, info, err := readLayerProgress(opt.regions, opt.read, prog)
	if err != nil {
		return err
	}
	meta.Sources = append(meta.Sources, reportSource(opt.regions, regions, info))
	meta.Sources[0].Role = "regions"
	warn(opt.stderr, info.Warnings)
	ropt := analysis.RegionOptions{NameField: opt.regionField, NoGaps: opt.whole}
	rg, err := analysis.NewRegions(ctx, regions, ropt)
	if err != nil {
		return fmt.Errorf("%s: %w", opt.regions, err)
	}
	var rep report.Share
	results := map[string]*analysis.ShareResult{}
	loaded := map[string]*geo.Layer{}
	for _, np := range layers {
		l, info, err := readLayerProgress(np.path, opt.read, prog)
		if err != nil {
			return err
		}
		src := reportSource(np.path, l, info)
		src.Role = np.name
		meta.Sources = append(meta.Sources, src)
		warn(opt.stderr, info.Warnings)
		l.Name = np.name
		res, err := rg.Share(ctx, l, analysis.ShareOptions{Regions: ropt, Target: targets[np.name], Whole: opt.whole})
		if err != nil {
			return fmt.Errorf("%s: %w", np.path, err)
		}
		for _, p := range res.Repairs {
			fmt.Fprintf(opt.stderr, "warning: %s %s: %s repaired: %s\n", p.Role, p.Layer, geo.Label("feature", p.FeatureIndex, p.FeatureID), p.What)
		}
		rep.Results = append(rep.Results, res)
		results[np.name], loaded[np.name] = res, l
	}
	if opt.preset != "" {
		if rep.Scorecard, err = analysis.NewScorecard(ctx, opt.preset, results, loaded, ropt); err != nil {
			return err
		}
	}
	if opt.out != "" {
		fields, feats := report.ShareRegions(rep)
		if err := writeFeatures(opt.out, fields, feats, ""); err != nil {
			return err
		}
	}
	if err := writeShareReports(rep, meta, opt); err != nil {
		return err
	}
	switch opt.format {
	case "json":
		err = report.WriteShareJSON(stdout, rep)
	case "csv":
		err = report.WriteShareCSV(stdout, rep, opt.lang)
	default:
		err = report.WriteShareTable(stdout, rep, opt.lang)
	}
	if err != nil {
		return err
	}
	var missed []string
	for _, r := range rep.Results {
		missed = append(missed, r.Missed()...)
	}
	if rep.Scorecard != nil {
		missed = append(missed, rep.Scorecard.Missed()...)
	}
	if len(missed) > 0 {
		for _, m := range missed {
			fmt.Fprintf(opt.stderr, "target missed: %s\n", m)
		}
		return fmt.Errorf("%w: %d targets missed", errFindings, len(missed))
	}
	return nil
}

// shareLayerSpecs reads --layer [NAME=]PATH; a bare path is named after its
// file (without extension).
func shareLayerSpecs(specs []string) ([]namedPath, error) {
	if len(specs) == 0 {
		return nil, usageErr("share needs at least one --layer [NAME=]PATH")
	}
	var out []namedPath
	seen := map[string]bool{}
	for _, s := range specs {
		np := namedPath{path: s}
		if name, path, ok := strings.Cut(s, "="); ok && name != "" && !strings.ContainsAny(name, `/\`) {
			np = namedPath{name: name, path: path}
		}
		if np.path == "" {
			return nil, usageErr("--layer %q: want [NAME=]PATH", s)
		}
		if np.name == "" {
			np.name = strings.TrimSuffix(filepath.Base(np.path), filepath.Ext(np.path))
		}
		if seen[np.name] {
			return nil, usageErr("--layer %q: two layers named %q (name them: --layer NAME=PATH)", s, np.name)
		}
		seen[np.name] = true
		out = append(out, np)
	}
	return out, nil
}

// shareTargets maps each layer name to its target: a --target naming the
// layer, else an unnamed --target, else the preset's.
func shareTargets(specs []string, preset string, layers []namedPath) (map[string]analysis.Target, error) {
	out := map[string]analysis.Target{}
	if preset != "" {
		pt, err := analysis.PresetTargets(preset)
		if err != nil {
			return nil, usageErr("--preset: %v", err)
		}
		for _, l := range layers {
			if t, ok := pt[l.name]; ok {
				out[l.name] = t
			}
		}
	}
	var bare *analysis.Target
	named := map[string]bool{}
	for _, s := range specs {
		t, err := analysis.ParseTarget(s)
		if err != nil {
			return nil, usageErr("--target: %v", err)
		}
		if t.Layer == "" {
			if bare != nil {
				return nil, usageErr("--target %q: only one target without a layer name", s)
			}
			bare = &t
			continue
		}
		found := false
		for _, l := range layers {
			found = found || l.name == t.Layer
		}
		if !found {
			return nil, usageErr("--target %q: no layer named %q", s, t.Layer)
		}
		out[t.Layer], named[t.Layer] = t, true
	}
	if bare != nil {
		for _, l := range layers {
			if !named[l.name] {
				out[l.name] = *bare
			}
		}
	}
	return out, nil
}
