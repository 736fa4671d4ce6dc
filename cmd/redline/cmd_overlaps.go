package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type overlapsOptions struct {
	layers   []string // [NAME=]PATH
	within   bool
	touching bool
	minArea  float64 // m²
	format   string
	lang     report.Lang
	out      string // pieces: .geojson, .shp, .zip, .kml
	xlsxPath string
	quiet    bool
	read     data.ReadOptions
	stderr   io.Writer
}

func overlapsCommand() *cli.Command {
	return &cli.Command{
		Name:      "overlaps",
		Usage:     "find features that overlap each other (交叉重叠): inside one layer, or across layers",
		ArgsUsage: "LAYER [LAYER ...]",
		Description: "LAYER is PATH, NAME=PATH or KIND=PATH (a built-in kind reads zones: " + strings.Join(analysis.BuiltinKinds(), ", ") + ").\n" +
			"One layer: the pairs of its features that overlap. Several: the pairs across layers (add --within for\n" +
			"the pairs inside each layer too). Per pair: overlap in m², 公顷 and 亩, and % of each feature, measured on\n" +
			"the CGCS2000 ellipsoid, like a PostGIS self-join (ST_Intersects + ST_Area(ST_Intersection(a, b)::geography)).\n" +
			"A pair is listed when the features' interiors overlap (area > 0) by at least --min-area; pairs that only\n" +
			"touch (a shared border, 0 m²) are left out unless --touching. The summary gives the total overlapped area\n" +
			"dissolved (ground covered by several features counts once) and the counts per pair of layers.",
		Flags: append(readFlags(),
			&cli.BoolFlag{Name: "within", Usage: "with several layers, also list the pairs inside each layer"},
			&cli.StringFlag{Name: "min-area", Value: "0", Usage: "leave out overlaps smaller than this (m2, ha/公顷, mu/亩; e.g. 1m2, 0.01ha)"},
			&cli.BoolFlag{Name: "touching", Usage: "also list pairs that only touch, with 0 m² (as the PostGIS self-join does)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "table", Usage: "table, json or csv"},
			&cli.StringFlag{Name: "lang", Value: "zh", Usage: "report language: zh or en"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the overlap pieces (.geojson, .shp, .zip, .kml)"},
			&cli.StringFlag{Name: "xlsx", Usage: "also write an Excel workbook (pairs, sums per pair of layers)"},
			&cli.BoolFlag{Name: quietFlag, Aliases: []string{"q"}, Usage: "no progress bars on stderr"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() < 1 {
				return usageErr("overlaps takes one or more LAYER files")
			}
			minArea, err := parseAreaM2(c.String("min-area"))
			if err != nil {
				return usageErr("--min-area: %v", err)
			}
			lang, err := parseLang(c.String("lang"))
			if err != nil {
				return err
			}
			opt := overlapsOptions{layers: c.Args().Slice(), within: c.Bool("within"), touching: c.Bool("touching"),
				minArea: minArea, format: c.String("format"), lang: lang, out: c.String("output"),
				xlsxPath: c.String("xlsx"), quiet: c.Bool(quietFlag), read: readOptions(c), stderr: c.App.ErrWriter}
			return runOverlaps(c.Context, opt, c.App.Writer)
		},
	}
}

func runOverlaps(ctx context.Context, opt overlapsOptions, stdout io.Writer) error {
	limitMemory(argPaths(opt.layers)...)
	if opt.format != "table" && opt.format != "json" && opt.format != "csv" {
		return usageErr("--format %q: want table, json or csv", opt.format)
	}
	var layers []*analysis.Constraint
	names := map[string]int{}
	for _, arg := range opt.layers {
		name, kind, path := splitLayerArg(arg)
		if names[name]++; names[name] > 1 {
			name = fmt.Sprintf("%s#%d", name, names[name])
		}
		l, info, err := readLayerProgress(path, opt.read, newProgress(opt.stderr, opt.quiet))
		if err != nil {
			return err
		}
		warn(opt.stderr, info.Warnings)
		c, err := analysis.NewOverlapLayer(l, name, kind)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		layers = append(layers, c)
	}
	res, err := analysis.Overlaps(ctx, layers, analysis.OverlapOptions{Within: opt.within, MinAreaM2: opt.minArea,
		Touching: opt.touching, Pieces: opt.out != ""})
	if err != nil {
		return err
	}
	for _, p := range res.Repairs {
		fmt.Fprintf(opt.stderr, "warning: layer %s: %s repaired: %s\n", p.Layer, geo.Label("feature", p.FeatureIndex, p.FeatureID), p.What)
	}
	if opt.out != "" {
		fields, pieces := report.OverlapPieces(res)
		if err := writeFeatures(opt.out, fields, pieces, ""); err != nil {
			return err
		}
	}
	if opt.xlsxPath != "" {
		if err := writeFileAtomic(opt.xlsxPath, func(f *os.File) error { return report.WriteOverlapsXLSX(f, res, opt.lang) }); err != nil {
			return err
		}
	}
	switch opt.format {
	case "json":
		return report.WriteJSON(stdout, res)
	case "csv":
		return report.WriteOverlapsCSV(stdout, res)
	}
	return report.WriteOverlapsTable(stdout, res, opt.lang)
}

// splitLayerArg reads PATH, NAME=PATH or KIND=PATH. A PATH that exists as
// given wins over a NAME= reading; a plain PATH is named after its file.
func splitLayerArg(arg string) (name, kind, path string) {
	if n, p, ok := strings.Cut(arg, "="); ok && n != "" && p != "" {
		if _, err := os.Stat(arg); err != nil {
			if slices.Contains(analysis.BuiltinKinds(), n) {
				kind = n
			}
			return n, kind, p
		}
	}
	base := filepath.Base(arg)
	return strings.TrimSuffix(base, filepath.Ext(base)), "", arg
}

// parseAreaM2 reads "0", "1", "1m2", "1 m²", "0.5ha", "0.5公顷", "3mu", "3亩",
// "1km2": the units of analysis.ParseArea.
func parseAreaM2(s string) (float64, error) {
	v, err := analysis.ParseArea(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not an area (e.g. 1m2, 0.01ha, 1亩)", s)
	}
	return v, nil
}
