package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type overlapsOptions struct {
	outputs
	layers   []layerSpec
	within   bool
	touching bool
	minArea  float64 // m²
	read     data.ReadOptions
	stderr   io.Writer
	outDB    string // results table URL
}

var overlapsOutputs = outputSet{Formats: []string{"table", "json", "csv"},
	Pieces: "write the overlap pieces (.geojson, .shp, .zip, .kml, .kmz, .gpkg)",
	XLSX:   "also write an Excel workbook (pairs, sums per pair of layers)"}

func overlapsCommand() *cli.Command {
	return &cli.Command{
		Name:      "overlaps",
		Usage:     "find features that overlap each other (交叉重叠): inside one layer, or across layers",
		ArgsUsage: "LAYER [LAYER ...]",
		Description: "LAYER is [KIND=]PATH: KIND names the layer (a built-in kind also reads zones: " + strings.Join(analysis.BuiltinKinds(), ", ") + ").\n" +
			"One layer: the pairs of its features that overlap. Several: the pairs across layers (add --within for\n" +
			"the pairs inside each layer too). Per pair: overlap in m², 公顷 and 亩, and % of each feature, measured on\n" +
			"the CGCS2000 ellipsoid, like a PostGIS self-join (ST_Intersects + ST_Area(ST_Intersection(a, b)::geography)).\n" +
			"A pair is listed when the features' interiors overlap (area > 0) by at least --min-area; pairs that only\n" +
			"touch (a shared border, 0 m²) are left out unless --touching. The summary gives the total overlapped area\n" +
			"dissolved (ground covered by several features counts once) and the counts per pair of layers.",
		Flags: append(append(readFlags(), outputFlags(overlapsOutputs)...),
			&cli.BoolFlag{Name: "within", Usage: "with several layers, also list the pairs inside each layer"},
			&cli.StringFlag{Name: "min-area", Value: "0", Usage: "leave out overlaps smaller than this (m2, ha/公顷, mu/亩; e.g. 1m2, 0.01ha)"},
			&cli.BoolFlag{Name: "touching", Usage: "also list pairs that only touch, with 0 m² (as the PostGIS self-join does)"},
			&cli.StringFlag{Name: "out-db", Usage: "also append the pairs (with the pieces) to a PostGIS table: postgresql://…?table=schema.table"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() < 1 {
				return usageErr("overlaps takes one or more LAYER files")
			}
			minArea, err := parseAreaM2(c.String("min-area"))
			if err != nil {
				return usageErr("--min-area: %v", err)
			}
			outs, err := parseOutputs(c, overlapsOutputs)
			if err != nil {
				return err
			}
			layers, err := parseLayerSpecs(c.Args().Slice())
			if err != nil {
				return err
			}
			opt := overlapsOptions{outputs: outs, layers: layers, within: c.Bool("within"), touching: c.Bool("touching"),
				minArea: minArea, read: readOptions(c), stderr: c.App.ErrWriter, outDB: c.String("out-db")}
			return runOverlaps(c.Context, opt, c.App.Writer)
		},
	}
}

func runOverlaps(ctx context.Context, opt overlapsOptions, stdout io.Writer) error {
	limitMemory(specSources(opt.layers)...)
	var layers []*analysis.Constraint
	names := map[string]int{}
	for _, spec := range opt.layers {
		name, kind, path := spec.Name(), "", spec.Source
		if slices.Contains(analysis.BuiltinKinds(), spec.Kind) {
			kind = spec.Kind
		}
		if names[name]++; names[name] > 1 {
			name = fmt.Sprintf("%s#%d", name, names[name])
		}
		l, info, err := readLayerProgress(path, opt.read, newProgress(opt.stderr, opt.Quiet))
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
		Touching: opt.touching, Pieces: opt.Pieces != "" || opt.outDB != "",
		ReleaseLayers: true, Released: relaxGC}) // every output below reads only res
	if err != nil {
		return err
	}
	if opt.outDB != "" {
		if err := writeOverlapsDB(ctx, opt.outDB, res, time.Now()); err != nil {
			return err
		}
	}
	for _, p := range res.Repairs {
		warnf(opt.stderr, "layer %s: %s repaired: %s", p.Layer, geo.Label("feature", p.FeatureIndex, p.FeatureID), p.What)
	}
	if opt.Pieces != "" {
		fields, pieces := report.OverlapPieces(res)
		if err := writeFeatures(ctx, opt.Pieces, fields, pieces, "", opt.stderr); err != nil {
			return err
		}
	}
	if opt.XLSX != "" {
		if err := writeFileAtomic(ctx, opt.XLSX, func(f io.Writer) error { return report.WriteOverlapsXLSX(f, res, opt.Lang) }); err != nil {
			return err
		}
	}
	switch opt.Format {
	case "json":
		return report.WriteJSON(stdout, res)
	case "csv":
		return report.WriteOverlapsCSV(stdout, res)
	}
	return report.WriteOverlapsTable(stdout, res, opt.Lang)
}
