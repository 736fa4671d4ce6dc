package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type diffOptions struct {
	outputs
	old, new    string
	regions     string
	regionField string
	landuse, by string
	minArea     float64 // m²
	noLoss      bool
	perRegion   bool
	invalid     analysis.InvalidPolicy
	read        data.ReadOptions
	outDB       string // results table URL
	stderr      io.Writer
}

var diffOutputs = outputSet{Formats: []string{"table", "json", "csv"},
	Pieces: "write the ledger pieces (.geojson, .shp, .zip, .kml, .kmz, .gpkg)",
	CSV:    "also write the per-region CSV to this file",
	JSON:   "also write the JSON to this file",
	HTML:   "also write a printable HTML report (a map per region, the tables)",
	XLSX:   "also write the ledger (台账) workbook: pieces, regions, features, land classes"}

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "red-line adjustment (生态保护红线评估调整): land added (调入), removed (调出) and kept (保留), per region and land class",
		ArgsUsage: "OLD NEW",
		Description: "OLD and NEW are two versions of a layer (any format and CRS). Each is dissolved (overlapping features\n" +
			"count once); added = NEW − OLD, removed = OLD − NEW, kept = OLD ∩ NEW. With --regions: per region its area,\n" +
			"old, new, added, removed, kept, net and the old/new share, and a total over the union of the regions\n" +
			"(regions overlapping each other count once). Features are matched by id (--id-field): added, removed,\n" +
			"changed (area before and after, the part added and removed) or unchanged; features without an id by\n" +
			"equal geometry. --landuse FILE --by DLMC splits the added and removed land by land class. The ledger\n" +
			"(台账, --xlsx; -o for the pieces) has one row per piece: type, area, region, land class, centroid and\n" +
			"the OLD/NEW features it came from; pieces under --min-area are left out of it and totalled.\n" +
			"--no-loss: exit 3 when the total shrinks (with --per-region, when any region shrinks).",
		Flags: append(append(readFlags(), outputFlags(diffOutputs)...),
			&cli.StringFlag{Name: "regions", Aliases: []string{"r"}, Usage: "regions file (counties, townships, …)"},
			&cli.StringFlag{Name: "region-field", Usage: "property with the region names (default: a name-like property, else the id)"},
			&cli.StringFlag{Name: "landuse", Usage: "land-use layer (三调) to split added and removed land by class (needs --by)"},
			&cli.StringFlag{Name: "by", Usage: "land-class property of --landuse (e.g. DLMC, DLBM)"},
			&cli.StringFlag{Name: "min-area", Value: "0", Usage: "leave pieces smaller than this out of the ledger, and total them (m2, ha/公顷, mu/亩)"},
			&cli.BoolFlag{Name: "no-loss", Usage: "exit 3 when the total area falls (面积不减少)"},
			&cli.BoolFlag{Name: "per-region", Usage: "with --no-loss: also when any region's area falls"},
			&cli.BoolFlag{Name: "skip-invalid", Usage: "leave invalid features out, and list them (default: stop with an error)"},
			&cli.BoolFlag{Name: "repair", Usage: "repair invalid features on load (exact repairs; MakeValid with GEOS) and list what changed"},
			&cli.StringFlag{Name: "out-db", Usage: "also append the areas per region and the ledger pieces (with their polygons) to a PostGIS table: postgresql://…?table=schema.table"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return usageErr("diff takes two files, OLD and NEW (got %d arguments)", c.NArg())
			}
			minArea, err := analysis.ParseArea(c.String("min-area"))
			if err != nil {
				return usageErr("--min-area: %v", err)
			}
			outs, err := parseOutputs(c, diffOutputs)
			if err != nil {
				return err
			}
			opt := diffOptions{outputs: outs, old: c.Args().Get(0), new: c.Args().Get(1), regions: c.String("regions"),
				regionField: c.String("region-field"), landuse: c.String("landuse"), by: c.String("by"), minArea: minArea,
				noLoss: c.Bool("no-loss"), perRegion: c.Bool("per-region"), read: readOptions(c), outDB: c.String("out-db"), stderr: c.App.ErrWriter}
			if opt.invalid, err = invalidPolicy(c); err != nil {
				return err
			}
			return runDiff(c.Context, opt, c.App.Writer)
		},
	}
}

func runDiff(ctx context.Context, opt diffOptions, stdout io.Writer) error {
	limitMemory(opt.old, opt.new, opt.regions, opt.landuse)
	if (opt.landuse == "") != (opt.by == "") {
		return usageErr("--landuse and --by go together")
	}
	prog := newProgress(opt.stderr, opt.Quiet)
	meta := report.Meta{Generated: time.Now(), Version: version}
	read := func(path, role string) (*geo.Layer, *data.LayerInfo, error) {
		l, info, err := readLayerProgress(path, opt.read, prog)
		if err != nil {
			return nil, nil, err
		}
		warn(opt.stderr, info.Warnings)
		src := reportSource(path, l, info)
		src.Role = role
		meta.Sources = append(meta.Sources, src)
		return l, info, nil
	}
	old, oldInfo, err := read(opt.old, "OLD")
	if err != nil {
		return err
	}
	new, newInfo, err := read(opt.new, "NEW")
	if err != nil {
		return err
	}
	if oc, nc := oldInfo.CRS.String(), newInfo.CRS.String(); oc != nc {
		warnf(opt.stderr, "OLD %s is in %s, NEW %s in %s: both converted to CGCS2000 lon/lat", opt.old, oc, opt.new, nc)
	}
	dopt := analysis.DiffOptions{MinAreaM2: opt.minArea, Invalid: opt.invalid, ByField: opt.by}
	if opt.regions != "" {
		regions, _, err := read(opt.regions, "regions")
		if err != nil {
			return err
		}
		if dopt.Regions, err = analysis.NewRegions(ctx, regions, analysis.RegionOptions{NameField: opt.regionField}); err != nil {
			return fmt.Errorf("%s: %w", opt.regions, err)
		}
	}
	if opt.landuse != "" {
		if dopt.Landuse, _, err = read(opt.landuse, "landuse"); err != nil {
			return err
		}
	}
	res, err := analysis.Diff(ctx, old, new, dopt)
	if err != nil {
		return err
	}
	res.Old.CRS, res.New.CRS = meta.Sources[0].CRS, meta.Sources[1].CRS
	for _, p := range res.Repairs {
		warnf(opt.stderr, "%s %s: %s", p.Layer, geo.Label("feature", p.FeatureIndex, p.FeatureID), p.What)
	}
	if err := writeDiffFiles(ctx, res, old, new, meta, opt); err != nil {
		return err
	}
	if opt.outDB != "" {
		if err := writeDiffDB(ctx, opt.outDB, res, meta.Generated); err != nil {
			return err
		}
	}
	switch opt.Format {
	case "json":
		err = report.WriteJSON(stdout, res)
	case "csv":
		err = report.WriteDiffCSV(stdout, res)
	default:
		err = report.WriteDiffTable(stdout, res, opt.Lang)
	}
	if err != nil {
		return err
	}
	if losses := res.Losses(opt.perRegion); opt.noLoss && len(losses) > 0 {
		for _, l := range losses {
			fmt.Fprintf(opt.stderr, "redline: area falls: %s\n", l)
		}
		return fmt.Errorf("%w: the area falls in %d place(s)", errFindings, len(losses))
	}
	return nil
}

// writeDiffFiles writes diff's -o, --csv, --json, --html and --xlsx files.
func writeDiffFiles(ctx context.Context, res *analysis.DiffResult, old, new *geo.Layer, meta report.Meta, opt diffOptions) error {
	if opt.Pieces != "" {
		fields, pieces := report.DiffPieces(res)
		if err := writeFeatures(ctx, opt.Pieces, fields, pieces, "", opt.stderr); err != nil {
			return err
		}
	}
	for _, w := range []struct {
		path string
		fn   func(w io.Writer) error
	}{
		{opt.CSV, func(w io.Writer) error { return report.WriteDiffCSV(w, res) }},
		{opt.JSON, func(w io.Writer) error { return report.WriteJSON(w, res) }},
		{opt.HTML, func(w io.Writer) error { return report.WriteDiffHTML(w, res, old, new, meta, opt.Lang) }},
		{opt.XLSX, func(w io.Writer) error { return report.WriteDiffXLSX(w, res, opt.Lang) }},
	} {
		if w.path == "" {
			continue
		}
		if err := writeFileAtomic(ctx, w.path, w.fn); err != nil {
			return err
		}
	}
	return nil
}
