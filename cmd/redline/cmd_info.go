package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/report"
)

type infoOptions struct {
	outputs
	path    string
	read    data.ReadOptions
	warnOut io.Writer
}

var infoOutputs = outputSet{Formats: []string{"table", "json"}, NoLang: true, NoProgress: true}

func infoCommand() *cli.Command {
	return &cli.Command{
		Name:      "info",
		Usage:     "describe a layer file: format, CRS, features by type, bbox, area (like ogrinfo -so)",
		ArgsUsage: "FILE",
		Flags:     append(readFlags(), outputFlags(infoOutputs)...),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErr("info takes one FILE, got %d arguments", c.NArg())
			}
			outs, err := parseOutputs(c, infoOutputs)
			if err != nil {
				return err
			}
			opt := infoOptions{outputs: outs, path: c.Args().First(), read: readOptions(c), warnOut: c.App.ErrWriter}
			return runInfo(c.Context, opt, c.App.Writer)
		},
	}
}

// infoJSON is the shape of `info --format json`.
type infoJSON struct {
	Path    string `json:"path"`
	Format  string `json:"format"`
	CRS     string `json:"crs"`
	CRSFrom string `json:"crs_from"`
	analysis.Summary
	DXFLayers  []data.DXFLayer  `json:"dxf_layers,omitempty"`
	GPKGTables []data.GPKGTable `json:"gpkg_tables,omitempty"`
	Warnings   []string         `json:"warnings,omitempty"`
}

func runInfo(_ context.Context, opt infoOptions, stdout io.Writer) error {
	limitMemory(opt.path)
	layers, tables, err := contents(opt.path)
	if err != nil {
		return err
	}
	if len(tables) > 1 && opt.read.GPKGTable == "" {
		// Several feature tables: list them; the summary needs --gpkg-table.
		return writeTables(opt, stdout, tables)
	}
	l, info, err := readLayer(opt.path, opt.read)
	if err != nil {
		return err
	}
	out := infoJSON{Path: opt.path, Format: info.Format, CRS: info.CRS.String(), CRSFrom: info.CRSFrom,
		Summary: analysis.Summarize(l), DXFLayers: layers, GPKGTables: tables, Warnings: geo.WarningMessages(info.Warnings)}
	if opt.Format == "json" {
		return report.WriteJSON(stdout, out)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "File:      %s\n", out.Path)
	fmt.Fprintf(&b, "Format:    %s\n", out.Format)
	fmt.Fprintf(&b, "CRS:       %s (from %s); read as EPSG:4490 lon/lat\n", out.CRS, out.CRSFrom)
	fmt.Fprintf(&b, "Features:  %d\n", out.Features)
	types := make([]string, 0, len(out.GeometryTypes))
	for t, n := range out.GeometryTypes {
		types = append(types, fmt.Sprintf("%s %d", t, n))
	}
	sort.Strings(types)
	fmt.Fprintf(&b, "Geometry:  %s\n", strings.Join(types, ", "))
	if out.BBox != nil {
		fmt.Fprintf(&b, "Extent:    %.6f, %.6f – %.6f, %.6f (lon/lat)\n", out.BBox[0], out.BBox[1], out.BBox[2], out.BBox[3])
	}
	fmt.Fprintf(&b, "Area:      %s m² (%s ha, %s 亩; ellipsoidal, CGCS2000, not dissolved)\n",
		report.FormatNumber(out.AreaM2, 2), report.FormatNumber(out.AreaM2/1e4, 4), report.FormatNumber(out.AreaM2/analysis.MuM2, 2))
	if out.LengthM > 0 {
		fmt.Fprintf(&b, "Length:    %s m (geodesic)\n", report.FormatNumber(out.LengthM, 2))
	}
	fmt.Fprintf(&b, "Invalid:   %d", out.Invalid)
	if out.Invalid > 0 {
		fmt.Fprintf(&b, " (run 'redline validate %s')", opt.path)
	}
	b.WriteString("\n")
	for _, t := range tables {
		fmt.Fprintf(&b, "Table:     %s (%s, srs_id %d, %d features)\n", t.Name, t.GeometryType, t.SRSID, t.Features)
	}
	if len(layers) > 0 {
		b.WriteString("DXF layers (model-space entities):\n")
		for _, dl := range layers {
			fmt.Fprintf(&b, "  %-24s %6d  (colour %d)\n", dl.Name, dl.Entities, dl.Color)
		}
	}
	warn(opt.warnOut, info.Warnings)
	_, err = io.WriteString(stdout, b.String())
	return err
}

// writeTables lists a GeoPackage's feature tables.
func writeTables(opt infoOptions, stdout io.Writer, tables []data.GPKGTable) error {
	if opt.Format == "json" {
		return report.WriteJSON(stdout, infoJSON{Path: opt.path, Format: "GeoPackage", GPKGTables: tables})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "File:      %s\nFormat:    GeoPackage\nTables:    %d (choose one with --gpkg-table)\n", opt.path, len(tables))
	for _, t := range tables {
		fmt.Fprintf(&b, "  %-24s %s, srs_id %d, %d features\n", t.Name, t.GeometryType, t.SRSID, t.Features)
	}
	_, err := io.WriteString(stdout, b.String())
	return err
}
