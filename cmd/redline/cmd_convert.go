package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

type convertOptions struct {
	in, out string
	to      string
	read    data.ReadOptions
	stderr  io.Writer
}

func convertCommand() *cli.Command {
	return &cli.Command{
		Name:      "convert",
		Usage:     "convert any input (GeoJSON, Shapefile, 界址点 TXT, KML, DXF, GeoPackage) to GeoJSON, KML/KMZ, Shapefile or GeoPackage",
		ArgsUsage: "IN OUT",
		Description: "OUT's extension picks the format: .geojson/.json (RFC 7946, lon/lat), .kml, .kmz, .shp or .zip\n" +
			"(a zipped shapefile, UTF-8 .dbf with .cpg), .gpkg (GeoPackage, one table named after OUT, R-tree index).\n" +
			"The input CRS is detected (or --crs); --to sets the output CRS: EPSG:4490 (default) or 4326 for any\n" +
			"format, Gauss-Krüger (EPSG:4491–4554) for shapefiles (the .prj says which) and GeoPackages (srs_id),\n" +
			"gcj02 for GeoJSON meant for Chinese web maps.",
		Flags: append(readFlags(),
			&cli.StringFlag{Name: "to", Value: "EPSG:4490", Usage: "output CRS"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return usageErr("convert takes IN and OUT, got %d arguments", c.NArg())
			}
			if err := checkOutputPaths([]outputPath{{"OUT", c.Args().Get(1), true}}, c.Args().Slice()[:1]); err != nil {
				return err
			}
			return runConvert(c.Context, convertOptions{in: c.Args().Get(0), out: c.Args().Get(1), to: c.String("to"),
				read: readOptions(c), stderr: c.App.ErrWriter})
		},
	}
}

func runConvert(ctx context.Context, opt convertOptions) error {
	to, err := crs.Parse(opt.to)
	if err != nil {
		return usageErr("--to: %v", err)
	}
	ext := strings.ToLower(filepath.Ext(opt.out))
	shp := ext == ".shp" || ext == ".zip"
	gpkgOut := ext == ".gpkg"
	switch {
	case !to.IsLonLat() && to.Kind != crs.GCJ02 && !shp && !(gpkgOut && to.Kind == crs.GaussKruger):
		return usageErr("--to %s: %s output is lon/lat; write a .shp, .zip or .gpkg (Gauss-Krüger) for a projected CRS", to, ext)
	case to.Kind == crs.GCJ02 && (shp || gpkgOut):
		return usageErr("--to gcj02: only for GeoJSON/KML output (a .prj or srs_id cannot say GCJ-02)")
	}
	l, info, err := readLayer(opt.in, opt.read)
	if err != nil {
		return err
	}
	warn(opt.stderr, info.Warnings)
	feats := make([]geo.Record, 0, l.Len())
	for i := range l.Features {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err() // Ctrl-C: stop, write nothing
		}
		f := &l.Features[i]
		if ps := geo.Validate(f.Geom); ps != nil {
			warnf(opt.stderr, "%s: %s is invalid: %s: written as it is to %s; fix it with 'redline validate --repair'",
				opt.in, f.Label(), ps[0], opt.out)
		}
		g, err := to.Project(f.Geom)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", opt.in, f.Label(), err)
		}
		feats = append(feats, geo.Record{Props: f.Props, Geom: g})
	}
	prj := ""
	if shp {
		if prj, err = to.WKT(); err != nil {
			return usageErr("--to: %v", err)
		}
	}
	if err := writeFeaturesWith(ctx, opt.out, info.Fields, feats, data.WriteOptions{PRJ: prj, CRS: to}, opt.stderr); err != nil {
		return err
	}
	fmt.Fprintf(opt.stderr, "%s: %d features, %s → %s (%s)\n", opt.out, len(feats), info.CRS, to, info.Format)
	return nil
}
