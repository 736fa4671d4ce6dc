package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type diffOptions struct {
	old, new    string
	regions     string
	regionField string
	landuse, by string
	minArea     float64 // m²
	noLoss      bool
	perRegion   bool
	invalid     analysis.InvalidPolicy
	format      string
	lang        report.Lang
	out         string // pieces: .geojson, .shp, .zip, .kml
	htmlPath    string
	xlsxPath    string
	quiet       bool
	read        data.ReadOptions
	stderr      io.Writer
}

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
		Flags: append(readFlags(),
			&cli.StringFlag{Name: "regions", Aliases: []string{"r"}, Usage: "regions file (counties, townships, …)"},
			&cli.StringFlag{Name: "region-field", Usage: "property with the region names (default: a name-like property, else the id)"},
			&cli.StringFlag{Name: "landuse", Usage: "land-use layer (三调) to split added and removed land by class (needs --by)"},
			&cli.StringFlag{Name: "by", Usage: "land-class property of --landuse (e.g. DLMC, DLBM)"},
			&cli.StringFlag{Name: "min-area", Value: "0", Usage: "leave pieces smaller than this out of the ledger, and total them (m2, ha/公顷, mu/亩)"},
			&cli.BoolFlag{Name: "no-loss", Usage: "exit 3 when the total area falls (面积不减少)"},
			&cli.BoolFlag{Name: "per-region", Usage: "with --no-loss: also when any region's area falls"},
			&cli.BoolFlag{Name: "skip-invalid", Usage: "leave invalid features out, and list them (default: stop with an error)"},
			&cli.BoolFlag{Name: "repair", Usage: "repair invalid features on load (exact repairs; MakeValid with GEOS) and list what changed"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "table", Usage: "table, json or csv"},
			&cli.StringFlag{Name: "lang", Value: "zh", Usage: "report language: zh or en"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the ledger pieces (.geojson, .shp, .zip, .kml)"},
			&cli.StringFlag{Name: "html", Usage: "also write a printable HTML report (a map per region, the tables)"},
			&cli.StringFlag{Name: "xlsx", Usage: "also write the ledger (台账) workbook: pieces, regions, features, land classes"},
			&cli.BoolFlag{Name: quietFlag, Aliases: []string{"q"}, Usage: "no progress bars on stderr"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return usageErr("diff takes two files, OLD and NEW (got %d arguments)", c.NArg())
			}
			minArea, err := analysis.ParseArea(c.String("min-area"))
			if err != nil {
				return usageErr("--min-area: %v", err)
			}
			lang, err := parseLang(c.String("lang"))
			if err != nil {
				return err
			}
			opt := diffOptions{old: c.Args().Get(0), new: c.Args().Get(1), regions: c.String("regions"),
				regionField: c.String("region-field"), landuse: c.String("landuse"), by: c.String("by"), minArea: minArea,
				noLoss: c.Bool("no-loss"), perRegion: c.Bool("per-region"), format: c.String("format"), lang: lang,
				out: c.String("output"), htmlPath: c.String("html"), xlsxPath: c.String("xlsx"), quiet: c.Bool(quietFlag),
				read: readOptions(c), stderr: c.App.ErrWriter}
			switch {
			case c.Bool("skip-invalid") && c.Bool("repair"):
				return usageErr("--skip-invalid and --repair exclude each other")
			case c.Bool("skip-invalid"):
				opt.invalid = analysis.InvalidSkip
			case c.Bool("repair"):
				opt.invalid = analysis.InvalidRepair
			}
			return runDiff(c.Context, opt, c.App.Writer)
		},
	}
}

func runDiff(ctx context.Context, opt diffOptions, stdout io.Writer) error {
	limitMemory(opt.old, opt.new, opt.regions, opt.landuse)
	if opt.format != "table" && opt.format != "json" && opt.format != "csv" {
		return usageErr("--format %q: want table, json or csv", opt.format)
	}
	if (opt.landuse == "") != (opt.by == "") {
		return usageErr("--landuse and --by go together")
	}
	prog := newProgress(opt.stderr, opt.quiet)
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
		fmt.Fprintf(opt.stderr, "warning: OLD %s is in %s, NEW %s in %s: both converted to CGCS2000 lon/lat\n", opt.old, oc, opt.new, nc)
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
		fmt.Fprintf(opt.stderr, "warning: %s %s: %s\n", p.Layer, geo.Label("feature", p.FeatureIndex, p.FeatureID), p.What)
	}
	if err := writeDiffFiles(res, old, new, meta, opt); err != nil {
		return err
	}
	switch opt.format {
	case "json":
		err = report.WriteJSON(stdout, res)
	case "csv":
		err = report.WriteDiffCSV(stdout, res)
	default:
		err = report.WriteDiffTable(stdout, res, opt.lang)
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

// writeDiffFiles writes diff's -o, --html and --xlsx files.
func writeDiffFiles(res *analysis.DiffResult, old, new *geo.Layer, meta report.Meta, opt diffOptions) error {
	if opt.out != "" {
		fields, pieces := report.DiffPieces(res)
		if err := writeFeatures(opt.out, fields, pieces, ""); err != nil {
			return err
		}
	}
	if opt.htmlPath != "" {
		if err := writeFileAtomic(opt.htmlPath, func(f *os.File) error { return report.WriteDiffHTML(f, res, old, new, meta, opt.lang) }); err != nil {
			return err
		}
	}
	if opt.xlsxPath != "" {
		return writeFileAtomic(opt.xlsxPath, func(f *os.File) error { return report.WriteDiffXLSX(f, res, opt.lang) })
	}
	return nil
}
