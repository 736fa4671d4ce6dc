package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/data/postgis"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type validateOptions struct {
	outputs
	files  []string
	repair string // output path; its extension picks the format
	read   data.ReadOptions
	stderr io.Writer
}

var validateOutputs = outputSet{Formats: []string{"table", "json"}, NoProgress: true, Repair: true}

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "find invalid geometry (index, id, reason, location) and repair it",
		ArgsUsage: "FILE [FILE ...]",
		Description: "Lists every invalid feature: unclosed or degenerate rings, spikes, self-intersections, holes\n" +
			"outside their shell, overlapping multipolygon parts, NaN or out-of-range coordinates.\n" +
			"--repair OUT (one FILE) writes the whole layer with the invalid features repaired, in the format of OUT's\n" +
			"extension (.geojson, .shp, .zip, .kml, .gpkg), and prints what changed per feature with the area before and after.\n" +
			"This build: " + geo.EngineName + ". The pure-Go build makes the exact repairs (close rings, drop repeated\n" +
			"points, spikes and degenerate rings, orient rings, merge overlapping parts); the rest (a self-intersecting\n" +
			"ring, a hole outside its shell) needs MakeValid in the GEOS build (go build -tags geos), and such features\n" +
			"are written unchanged. Features with unusable coordinates are reported and left out of OUT.\n" +
			"Exit code 3 when a feature is invalid (with --repair: when one is still invalid after the repair).",
		Flags: append(append(readFlags(), outputFlags(validateOutputs)...),
			&cli.StringFlag{Name: "repair", Usage: "write the repaired layer to this file (one input FILE)"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() < 1 {
				return usageErr("validate takes one or more FILEs")
			}
			if c.String("repair") != "" && c.NArg() != 1 {
				return usageErr("--repair takes one input FILE, got %d", c.NArg())
			}
			outs, err := parseOutputs(c, validateOutputs)
			if err != nil {
				return err
			}
			opt := validateOptions{outputs: outs, files: c.Args().Slice(), repair: c.String("repair"),
				read: readOptions(c), stderr: c.App.ErrWriter}
			return runValidate(c.Context, opt, c.App.Writer)
		},
	}
}

func runValidate(ctx context.Context, opt validateOptions, stdout io.Writer) error {
	res := &analysis.ValidateResult{Engine: geo.EngineName, Files: []analysis.FileValidation{}}
	var changes []analysis.Repair
	remaining := 0
	for _, path := range opt.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		l, info, rejected, err := readLayerLenient(path, opt.read)
		if err != nil {
			return err
		}
		warn(opt.stderr, info.Warnings)
		bad := make([]analysis.InvalidFeature, len(rejected))
		for i, r := range rejected {
			bad[i] = analysis.NewInvalidFeature(r.Index, r.ID, []geo.Problem{{Reason: r.Reason, Location: r.Location}})
		}
		fv := analysis.ValidateLayer(path, l, bad)
		remaining += len(fv.Invalid)
		if opt.repair != "" {
			var geoms []orb.Geometry
			geoms, changes = analysis.RepairLayer(l)
			remaining = len(rejected) + markRepaired(&fv, changes)
			feats := make([]geo.Record, l.Len())
			for i := range l.Features {
				feats[i] = geo.Record{Props: l.Features[i].Props, Geom: geoms[i]}
			}
			if err := writeFeatures(ctx, opt.repair, info.Fields, feats, "", opt.stderr); err != nil {
				return err
			}
			for _, r := range rejected {
				warnf(opt.stderr, "%s: %s left out of %s: %s", path, geo.Label("feature", r.Index, r.ID), opt.repair, r.Reason)
			}
		}
		res.Files = append(res.Files, fv)
	}
	var err error
	if opt.Format == "json" {
		err = report.WriteJSON(stdout, res)
	} else {
		err = report.WriteValidateTable(stdout, res, opt.Lang)
		if err == nil && opt.repair != "" && len(changes) > 0 {
			fmt.Fprintln(stdout)
			err = report.WriteRepairTable(stdout, opt.repair, changes, opt.Lang)
		}
	}
	if err != nil {
		return err
	}
	if remaining > 0 {
		return fmt.Errorf("%w: %d invalid features", errFindings, remaining)
	}
	return nil
}

// markRepaired fills Repaired for each invalid feature and returns how many
// are still invalid.
func markRepaired(fv *analysis.FileValidation, changes []analysis.Repair) int {
	byIndex := map[int]analysis.Repair{}
	for _, c := range changes {
		byIndex[c.FeatureIndex] = c
	}
	left := 0
	for i := range fv.Invalid {
		if c, ok := byIndex[fv.Invalid[i].Index]; ok {
			fv.Invalid[i].Repaired = c.Summary()
			if c.Error != "" {
				left++
			}
		}
	}
	fv.Repairs = changes
	return left
}

// readLayerLenient is readLayer, keeping features with unusable
// coordinates out of the layer instead of failing (data.ReadLayerLenient).
func readLayerLenient(path string, opt data.ReadOptions) (*geo.Layer, *data.LayerInfo, []data.RejectedFeature, error) {
	if postgis.IsURL(path) {
		l, info, err := readDBLayer(path, opt)
		return l, info, nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", path, errNotFound(err))
	}
	l, info, rejected, err := data.ReadLayerLenient(os.DirFS(filepath.Dir(abs)), filepath.Base(abs), opt)
	if err != nil {
		return nil, nil, nil, err
	}
	l.Name, info.Path = path, path
	return l, info, rejected, nil
}
