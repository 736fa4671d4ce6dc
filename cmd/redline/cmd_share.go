package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type shareOptions struct {
	outputs
	regions     string
	regionField string
	layers      []layerSpec
	targets     []string
	whole       bool
	preset      string
	by          []analysis.ClassBy
	allowEmpty  bool
	read        data.ReadOptions
	stderr      io.Writer
}

var shareOutputs = outputSet{Formats: []string{"table", "json", "csv"},
	Pieces: "write the regions with area, covered area and share (.geojson, .shp, .zip, .kml, .kmz, .gpkg)",
	HTML:   "also write a printable HTML report (bar chart against the target, map shaded by share)",
	XLSX:   "also write an Excel workbook (shares, scorecard)"}

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
		Flags: append(append(readFlags(), outputFlags(shareOutputs)...),
			&cli.StringFlag{Name: "regions", Aliases: []string{"r"}, Usage: "regions file (counties, townships, …) (required)"},
			&cli.StringFlag{Name: "region-field", Usage: "property with the region names (default: a name-like property, else the id)"},
			&cli.StringSliceFlag{Name: "layer", Aliases: []string{"l"}, Usage: "layer [NAME=]PATH (repeatable)"},
			&cli.StringSliceFlag{Name: "target", Aliases: []string{"t"}, Usage: "target [LAYER=]VALUE: 25.6, 25.6%, 200000ha, 430000亩 (repeatable)"},
			&cli.BoolFlag{Name: "allow-empty-layer", Usage: "accept a layer with no polygon features (default: stop with an error, since its share would be 0)"},
			&cli.BoolFlag{Name: "whole", Usage: "treat all regions as one (only the total)"},
			&cli.StringFlag{Name: "preset", Usage: "scorecard of a plan's indicators: " + strings.Join(analysis.Presets(), ", ")},
			classFlag("the region × class cross-tab: covered area per value of FIELD, each value dissolved (FIELD for every layer, or LAYER=FIELD; DLBM codes are named by GB/T 21010-2017)"),
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usageErr("share takes no positional arguments (use --regions and --layer), got %q", c.Args().First())
			}
			outs, err := parseOutputs(c, shareOutputs)
			if err != nil {
				return err
			}
			layers, err := parseLayerSpecs(c.StringSlice("layer"))
			if err != nil {
				return err
			}
			opt := shareOptions{outputs: outs, regions: c.String("regions"), regionField: c.String("region-field"), layers: layers,
				targets: c.StringSlice("target"), whole: c.Bool("whole"), preset: c.String("preset"), allowEmpty: c.Bool("allow-empty-layer"),
				read: readOptions(c), stderr: c.App.ErrWriter}
			if opt.by, err = parseClassBy(c.StringSlice("by"), false); err != nil {
				return err
			}
			return runShare(c.Context, opt, c.App.Writer)
		},
	}
}

func runShare(ctx context.Context, opt shareOptions, stdout io.Writer) error {
	limitMemory(append(specSources(opt.layers), opt.regions)...)
	if opt.regions == "" {
		return usageErr("share needs --regions FILE")
	}
	layers := opt.layers
	if err := checkShareLayers(layers); err != nil {
		return err
	}
	for _, b := range opt.by {
		found := b.Layer == ""
		for _, l := range layers {
			found = found || l.Name() == b.Layer
		}
		if !found {
			return usageErr("--by %s=%s: no layer %s", b.Layer, b.Field, b.Layer)
		}
	}
	targets, err := shareTargets(opt.targets, opt.preset, layers)
	if err != nil {
		return err
	}
	prog := newProgress(opt.stderr, opt.Quiet)
	meta := report.Meta{Generated: time.Now(), Version: version}
	regions, info, err := readLayerProgress(opt.regions, opt.read, prog)
	if err != nil {
		return err
	}
	meta.Sources = append(meta.Sources, reportSource(opt.regions, regions, info))
	meta.Sources[0].Role = "regions"
	warn(opt.stderr, info.Warnings)
	ropt := analysis.RegionOptions{NameField: opt.regionField, NoGaps: opt.whole}
	// The regions are prepared (overlaps, gaps, boundary grids) while the
	// first layer is read: the preparation is mostly serial, the read leaves
	// room on the other cores. Its error still comes first.
	type prepared struct {
		rg  *analysis.Regions
		err error
	}
	pending := make(chan prepared, 1)
	go func() {
		rg, err := analysis.NewRegions(ctx, regions, ropt)
		pending <- prepared{rg, err}
	}()
	var rg *analysis.Regions
	var rep report.Share
	results := map[string]*analysis.ShareResult{}
	loaded := map[string]*geo.Layer{}
	for _, np := range layers {
		l, info, err := readLayerProgress(np.Source, opt.read, prog)
		if rg == nil {
			p := <-pending
			if p.err != nil {
				return fmt.Errorf("%s: %w", opt.regions, p.err)
			}
			rg = p.rg
		}
		if err != nil {
			return err
		}
		src := reportSource(np.Source, l, info)
		src.Role = np.Name()
		meta.Sources = append(meta.Sources, src)
		warn(opt.stderr, info.Warnings)
		if err := checkConstraintLayer(np.Source, np.Name(), l, info, opt.allowEmpty, opt.stderr); err != nil {
			return err
		}
		l.Name = np.Name()
		sopt := analysis.ShareOptions{Regions: ropt, Target: targets[np.Name()], Whole: opt.whole, By: shareField(opt.by, np.Name())}
		var res *analysis.ShareResult
		if sopt.By != "" {
			res, err = rg.ShareBy(ctx, l, sopt.By, sopt)
		} else {
			res, err = rg.Share(ctx, l, sopt)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", np.Source, err)
		}
		for _, p := range res.Repairs {
			warnf(opt.stderr, "%s %s: %s repaired: %s", p.Role, p.Layer, geo.Label("feature", p.FeatureIndex, p.FeatureID), p.What)
		}
		warn(opt.stderr, report.ShareWarnings(opt.Lang, res))
		rep.Results = append(rep.Results, res)
		results[np.Name()], loaded[np.Name()] = res, l
	}
	if opt.preset != "" {
		if rep.Scorecard, err = analysis.NewScorecard(ctx, opt.preset, results, loaded, ropt); err != nil {
			return err
		}
	}
	if opt.Pieces != "" {
		fields, feats := report.ShareRegions(rep)
		if err := writeFeatures(ctx, opt.Pieces, fields, feats, "", opt.stderr); err != nil {
			return err
		}
	}
	if err := writeShareReports(ctx, rep, meta, opt); err != nil {
		return err
	}
	switch opt.Format {
	case "json":
		err = report.WriteShareJSON(stdout, rep)
	case "csv":
		err = report.WriteShareCSV(stdout, rep, opt.Lang)
	default:
		err = report.WriteShareTable(stdout, rep, opt.Lang)
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

// shareField is the --by field for layer name: a --by naming it, else a
// --by without a layer, else none.
func shareField(by []analysis.ClassBy, name string) string {
	field := ""
	for _, b := range by {
		if b.Layer == name {
			return b.Field
		}
		if b.Layer == "" {
			field = b.Field
		}
	}
	return field
}

// checkShareLayers: share needs a layer, and layer names (KIND, else the
// file name) that tell the layers apart.
func checkShareLayers(specs []layerSpec) error {
	if len(specs) == 0 {
		return usageErr("share needs at least one --layer [NAME=]PATH")
	}
	seen := map[string]bool{}
	for _, s := range specs {
		if seen[s.Name()] {
			return usageErr("--layer %q: two layers named %q (name them: --layer NAME=PATH)", s.Source, s.Name())
		}
		seen[s.Name()] = true
	}
	return nil
}

// shareTargets maps each layer name to its target: a --target naming the
// layer, else an unnamed --target, else the preset's.
func shareTargets(specs []string, preset string, layers []layerSpec) (map[string]analysis.Target, error) {
	out := map[string]analysis.Target{}
	if preset != "" {
		pt, err := analysis.PresetTargets(preset)
		if err != nil {
			return nil, usageErr("--preset: %v", err)
		}
		for _, l := range layers {
			if t, ok := pt[l.Name()]; ok {
				out[l.Name()] = t
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
			found = found || l.Name() == t.Layer
		}
		if !found {
			return nil, usageErr("--target %q: no layer named %q", s, t.Layer)
		}
		out[t.Layer], named[t.Layer] = t, true
	}
	if bare != nil {
		for _, l := range layers {
			if !named[l.Name()] {
				out[l.Name()] = *bare
			}
		}
	}
	return out, nil
}
